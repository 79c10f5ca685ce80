"""The traffic lab's Qt widgets: the district schematic, the charts, and one tab per task (the panel,
labs/smart_city/traffic_panel.py, puts them together). Outside the Qt-free engine packages on purpose."""
