"""Install a course package (.zip) from a USB stick: check it, show what it holds and what it replaces,
install only when the person agrees. Checking and installing run on the task runner; a refused
package lists its problems as file:line: message and changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QPlainTextEdit, QVBoxLayout,
                               QWidget)

from app.core.i18n import _


class ImportPlanDialog(QDialog):
    """The plan, read-only, with Install and Cancel (Cancel is the default)."""

    def __init__(self, lines: list[str], warned: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Install this course?"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("Nothing has been installed yet. Check what the package holds and what it replaces:")
                       if not warned else
                       _("Read the warnings before you install: nothing has been installed yet."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.plan = QPlainTextEdit("\n".join(lines))
        self.plan.setReadOnly(True)
        self.plan.setAccessibleName(_("What the package holds and what it replaces"))
        layout.addWidget(self.plan)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.install = buttons.addButton(_("Install"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.install.setAccessibleName(_("Install the course"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)


def choose_package(parent: QWidget) -> Path | None:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)
    chosen, _filter = QFileDialog.getOpenFileName(parent, _("Install a course package"), folder,
                                                  _("Course packages (*.zip)"))
    return Path(chosen) if chosen else None


def import_course_package(window, path: Path | None = None,
                          confirm: Callable[[list[str], bool], bool] | None = None) -> None:
    """Check `path` (asks for it when None), show the plan, install on agreement, reload the catalogue.
    `window` is the main window (runner, data_dir, reload_catalogue); `confirm` replaces the dialog in tests."""
    path = path or choose_package(window)
    if path is None:
        return

    def check(state):
        from app.core.course.sharing import plan_import
        from app.core.paths import user_courses_dir
        from app.core.resources import bundled_courses_dir
        from labs.registry import lab_ids

        return plan_import(path, user_courses_dir(window.data_dir), bundled_courses_dir(), known_labs=lab_ids(),
                           state=state)

    def refused(error: BaseException) -> None:  # in the window's message bar: nothing to click away
        window.show_notice(_("This course package cannot be installed: {reason}").format(reason=error))

    def planned(plan) -> None:
        from app.core.course.import_report import plan_lines

        lines = plan_lines(plan)
        warned = bool(plan.warnings)
        if confirm is not None:
            agreed = confirm(lines, warned)
        else:
            agreed = ImportPlanDialog(lines, warned, window).exec() == QDialog.DialogCode.Accepted
        if not agreed:
            return

        def install(state):
            from app.core.course.sharing import apply_import
            from labs.registry import lab_ids

            return apply_import(plan, known_labs=lab_ids(), state=state)

        window.runner.submit(install, on_done=lambda _folder: installed(plan), on_error=refused,
                             label=_("Installing the course…"))

    def installed(plan) -> None:
        window.reload_catalogue()
        window.show_notice(_("“{title}” is installed and listed with your courses.").format(title=plan.title))

    window.runner.submit(check, on_done=planned, on_error=refused, label=_("Checking the course package…"))
