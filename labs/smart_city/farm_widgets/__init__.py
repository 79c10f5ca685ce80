"""The container farm lab's tabs, charts and shared pieces (Qt)."""
