"""The lab screen's host, cut down, for opening a panel alone with sample data (Orange's
WidgetPreview habit): `python -m labs.data_analysis.panel`, `python -m labs.machine_learning.panel`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.tasks import TaskRunner


class PreviewHost:
    def __init__(self, files_dir: Path, parent: QWidget | None = None):
        self.runner = TaskRunner(parent)
        self.parent = parent
        self.files_dir = files_dir
        self.locale = "en"

    def run(self, fn, on_done, label, on_error=None, on_cancel=None):
        return self.runner.submit(fn, on_done=on_done, on_error=on_error or (lambda e: self.tell(label, str(e))),
                                  on_cancel=on_cancel, label=label)

    def tell(self, title: str, message: str) -> None:
        QMessageBox.warning(self.parent, title, message)

    def lessons(self) -> list[tuple[str, str]]:
        return []  # no catalogue in a preview

    def open_lesson(self, target: str) -> bool:
        return False
