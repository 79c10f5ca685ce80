"""The air-quality alerts lab's tabs and charts (Qt)."""
