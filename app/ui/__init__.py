"""The Qt screens. Only this package (and lab panels) may import PySide6."""
