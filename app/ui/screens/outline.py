"""A course's modules and items with their status; Enter or double-click opens an item."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QProgressBar, QTreeWidget, QTreeWidgetItem

from app.core import formatting
from app.core.course.model import Course, Item
from app.core.i18n import _, ngettext
from app.core.record.progress import CourseProgress
from app.ui.screens.catalogue import status_text
from app.ui.screens.page import Page
from app.ui.widgets import button, heading, marked, text


def kind_label(item: Item) -> str:
    return {"lesson": _("Lesson"), "quiz": _("Quiz"), "lab": _("Lab")}[item.kind]


def item_status(item: Item, progress: CourseProgress) -> str:
    if item.kind == "quiz":
        quiz = progress.quizzes.get(item.id)
        if quiz is None or not quiz.attempts:
            return _("Not started")
        if quiz.passed:
            return _("Passed ({score})").format(score=formatting.percent(quiz.best_percent or 0))
        if quiz.current:
            return _("In progress")
        if not quiz.can_start:
            return _("No attempts left")
        return _("Not passed yet ({score})").format(score=formatting.percent(quiz.best_percent or 0))
    if item.kind == "lab":
        from labs.registry import lab_ids  # a plain dict: no lab library is imported here

        if item.target not in lab_ids():
            return _("Not available in this version")
        passed = len(progress.lab_tasks.get(item.id, ()))
        if item.id not in progress.lessons_done and passed:
            return ngettext("In progress ({n} task done)", "In progress ({n} tasks done)", passed).format(
                n=formatting.number(passed))
    if item.id in progress.lessons_done:
        return _("Done")
    if progress.resume and progress.resume.item_id == item.id:
        return _("In progress")
    return _("Not started")


class OutlineScreen(Page):
    open_item = Signal(str)

    def __init__(self, course: Course, progress: CourseProgress, parent=None):
        super().__init__(parent)
        self.course = course
        self.body.addWidget(heading(marked(course.title)))
        self.body.addWidget(text(marked(course.summary)))
        authors = ", ".join(a.name + (f" ({a.organisation})" if a.organisation else "") for a in course.authors)
        self.body.addWidget(text(_("Version {version} · {licence} · by {authors}").format(
            version=course.version, licence=course.licence, authors=authors), muted=True))
        if course.locale != course.source_language and any(getattr(i.title, "untranslated", False)
                                                          for i in course.items):
            self.body.addWidget(text(_("Parts of this course are not yet translated and are shown in the "
                                       "original language."), muted=True))
        row = QHBoxLayout()
        bar = QProgressBar()
        bar.setRange(0, 100)
        bar.setValue(int(progress.percent))
        bar.setTextVisible(False)
        bar.setAccessibleName(_("Course progress"))
        bar.setAccessibleDescription(status_text(progress))
        row.addWidget(bar, 1)
        row.addWidget(text(status_text(progress), muted=True))
        target = self._continue_target(progress)
        label = _("Start") if not progress.started else (_("Review") if progress.completed else _("Continue"))
        self.go = button(label, lambda: self.open_item.emit(target), primary=True,
                         accessible=_("{action}: {course}").format(action=label, course=course.title))
        row.addWidget(self.go)
        self.body.addLayout(row)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName(_("Course outline"))
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("Title"), _("Type"), _("Status")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        header = self.tree.header()
        header.setAccessibleName(_("Column headers"))
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        first = None
        for number, module in enumerate(course.modules, start=1):
            top = QTreeWidgetItem([_("Module {n}: {title}").format(n=formatting.number(number), title=marked(module.title)), "", ""])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for item in module.items:
                status = item_status(item, progress)
                row_item = QTreeWidgetItem(top, ["    " + marked(item.title), kind_label(item), status])
                row_item.setData(0, Qt.ItemDataRole.UserRole, item.id)
                row_item.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                                 f"{item.title}, {kind_label(item)}, {status}")
                if item.id == target:
                    first = row_item
            top.setExpanded(True)
        self.tree.setMinimumHeight(min(60 + 34 * len(course.items) + 34 * len(course.modules), 700))
        self.tree.itemActivated.connect(self._activated)
        if first:
            self.tree.setCurrentItem(first)
        self.body.addWidget(self.tree, 1)

    def _continue_target(self, progress: CourseProgress) -> str:
        if progress.resume and self.course.item(progress.resume.item_id):
            return progress.resume.item_id
        for item in self.course.items:
            if not progress.item_done(item):
                return item.id
        return self.course.items[0].id

    def _activated(self, row: QTreeWidgetItem) -> None:
        item_id = row.data(0, Qt.ItemDataRole.UserRole)
        if item_id:
            self.open_item.emit(item_id)

    def focus_first(self) -> None:
        self.go.setFocus()
