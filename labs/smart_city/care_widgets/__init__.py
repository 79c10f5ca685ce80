"""The care lab's tabs and charts (Qt): one tab per task, pyqtgraph charts that stay left to right."""
