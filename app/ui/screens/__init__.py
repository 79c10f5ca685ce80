"""One module per screen. Screens emit signals; the main window decides where to go next."""
