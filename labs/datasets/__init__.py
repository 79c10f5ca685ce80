"""Sample datasets for the hands-on labs: real public data and clearly labelled synthetic data (see DATASETS.md)."""
