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


def preview_panel(lab_module: str, panel_class: type) -> None:  # pragma: no cover - a developer's look
    """Open a lab's panel alone on a fresh workspace: `python -m labs.<family>.panel [LOCALE]`."""
    import importlib

    from app.core.tasks import TaskState

    lab = importlib.import_module(lab_module).LAB
    preview(lab.title, lambda host: panel_class(lab.open(None, TaskState(), None), host))


def preview(title: str, build) -> None:  # pragma: no cover - a developer's look
    """Open `build(host)` alone in a window, in the locale named on the command line (default English)."""
    import sys

    from PySide6.QtWidgets import QApplication, QVBoxLayout

    from app.core.i18n import _, set_locale
    from app.ui.fonts import register_bundled_fonts
    from app.ui.locale_setup import apply_qt_locale

    locale = sys.argv[1] if len(sys.argv) > 1 else "en"
    app = QApplication(sys.argv[:1])
    set_locale(locale)
    apply_qt_locale(app, locale)
    register_bundled_fonts()
    window = QWidget()
    window.setWindowTitle(_(title))
    host = PreviewHost(Path.cwd(), window)
    host.locale = locale
    QVBoxLayout(window).addWidget(build(host))
    window.resize(1200, 850)
    window.show()
    app.aboutToQuit.connect(host.runner.shutdown)
    sys.exit(app.exec())
