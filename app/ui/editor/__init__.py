"""Widgets of the course editor screen (app/ui/screens/course_editor.py)."""
