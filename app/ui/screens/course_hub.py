"""Trainer tools → Courses: every course on this PC, and what a trainer does with it — edit (a bundled
course is duplicated first: the app's own folder is read-only), translate, publish a draft, export a
package for another office; plus "New course" and "Install a package". Every action goes through the
core with the signed-in principal, which refuses anyone below trainer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QInputDialog

from app.core.accounts.roles import TRAINER, require
from app.core.i18n import _
from app.core.problems import InvalidInput
from app.ui.screens.page import Page
from app.ui.widgets import button, card, heading, text

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def _is_under(path: Path, folder: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(Path(folder).resolve())
    except OSError:
        return False


class CourseHubScreen(Page):
    def __init__(self, window: MainWindow, parent=None):
        require(window.principal, TRAINER)
        super().__init__(parent)
        from app.core.authoring.files import DRAFT_MARKER
        from app.core.paths import user_courses_dir

        self.window = window
        self.courses_dir = user_courses_dir(window.data_dir)
        self.buttons: dict[str, object] = {}
        self.body.addWidget(heading(_("Courses")))
        self.body.addWidget(text(_("Courses that come with the app cannot be changed: duplicate one to edit it. "
                                   "Learners see a course as soon as it is saved here."), muted=True))
        row = QHBoxLayout()
        self.new_button = button(_("New course…"), self.new_course, primary=True)
        self.install_button = button(_("Install a course package…"), lambda: window.install_course_package())
        row.addWidget(self.new_button)
        row.addWidget(self.install_button)
        row.addStretch(1)
        self.body.addLayout(row)
        for course in window.services.catalogue.courses:
            folder = Path(course.location)
            editable = folder.is_dir() and _is_under(folder, self.courses_dir)
            box, layout = card()
            layout.addWidget(heading(course.title, 2))
            draft = editable and (folder / DRAFT_MARKER).exists()
            where = _("yours, draft") if draft else (_("yours") if editable else _("comes with the app"))
            layout.addWidget(text(_("{id} · version {version} · {where}").format(id=course.id, version=course.version,
                                                                                where=where), muted=True))
            actions = QHBoxLayout()
            if editable:
                actions.addWidget(self._button(course.id, "edit", _("Edit"), lambda f=folder: self.edit(f)))
                actions.addWidget(self._button(course.id, "translate", _("Translate"),
                                               lambda f=folder: self.translate(f)))
                if draft:
                    actions.addWidget(self._button(course.id, "publish", _("Publish"),
                                                   lambda f=folder: self.publish(f)))
            else:
                actions.addWidget(self._button(course.id, "duplicate", _("Duplicate to edit"),
                                               lambda f=folder: self.duplicate(f)))
            actions.addWidget(self._button(course.id, "export", _("Export package…"),
                                           lambda f=folder, c=course.id: self.export(f, c)))
            actions.addStretch(1)
            layout.addLayout(actions)
            self.body.addWidget(box)
        self.body.addStretch(1)

    def _button(self, course_id: str, action: str, label: str, on_click):
        # clicked(bool) would fill the actions' `f=folder` default: call them with no argument
        made = button(label, lambda _checked=False: on_click(),
                      accessible=_("{action}: {course}").format(action=label, course=course_id))
        self.buttons[f"{course_id}:{action}"] = made
        return made

    def focus_first(self) -> None:
        self.new_button.setFocus()

    # -- actions ---------------------------------------------------------------------------------
    def edit(self, folder: Path) -> None:
        from app.ui.screens.course_editor import CourseEditorScreen

        self._show(lambda: CourseEditorScreen(self.window.principal, folder))

    def translate(self, folder: Path) -> None:
        from app.ui.screens.translation_workspace import TranslationWorkspaceScreen

        self._show(lambda: TranslationWorkspaceScreen(self.window.principal, folder))

    def _show(self, build) -> None:
        try:
            screen = build()
        except InvalidInput as problem:
            self.window.show_notice(str(problem))
            return
        self.window.show_tool_screen(screen, "courses")

    def new_course(self, title: str | None = None) -> None:
        from app.core.authoring.saving import create_course
        from app.core.i18n import current_locale
        from labs.registry import lab_ids

        if title is None:
            title, ok = QInputDialog.getText(self, _("New course"), _("Title of the new course:"))
            if not ok or not title.strip():
                return
        self._then_edit(lambda: create_course(self.window.principal, self.courses_dir, title.strip(),
                                              current_locale(), lab_ids()))

    def duplicate(self, folder: Path) -> None:
        from app.core.authoring.saving import duplicate_course
        from labs.registry import lab_ids

        self._then_edit(lambda: duplicate_course(self.window.principal, folder, self.courses_dir, lab_ids()))

    def _then_edit(self, make) -> None:
        try:
            folder = make()
        except InvalidInput as problem:
            self.window.show_notice(str(problem))
            return
        self.window.reload_catalogue(then=lambda: self.edit(folder))

    def publish(self, folder: Path) -> None:
        from app.core.authoring.saving import publish_course

        publish_course(self.window.principal, folder)
        self.window.reload_catalogue(then=lambda: self.window.show_tool("courses"))

    def export(self, folder: Path, course_id: str, out: Path | None = None) -> None:
        from app.core.course.sharing import export_course
        from labs.registry import lab_ids

        if out is None:
            home = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)
            chosen, _filter = QFileDialog.getSaveFileName(self, _("Export a course package"),
                                                          str(Path(home) / f"{course_id}.zip"),
                                                          _("Course packages (*.zip)"))
            if not chosen:
                return
            out = Path(chosen)
        require(self.window.principal, TRAINER)
        self.window.runner.submit(lambda state: export_course(folder, out, lab_ids(), state),
                                  on_done=lambda _result: self.window.show_notice(
                                      _("The course package is saved: {path}").format(path=out)),
                                  on_error=lambda error: self.window.show_notice(str(error)),
                                  label=_("Exporting the course…"))
