"""The plant energy lab's tabs and charts (Qt): one module per task, and the pieces they share."""
