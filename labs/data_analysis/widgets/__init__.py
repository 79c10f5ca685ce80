"""The Qt pieces of the data-analysis panel (the panel itself is labs/data_analysis/panel.py)."""
