"""Civic AI Academy: the application package (core domain in app.core, Qt screens in app.ui)."""

__version__ = "0.1.0"
APP_NAME = "Civic AI Academy"
APP_ID = "CivicAIAcademy"  # folder name for per-user data; never translated
