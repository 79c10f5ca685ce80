"""The learner's courses as cards with progress, and "continue where you left off"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QProgressBar

from app.core import formatting
from app.core.course.catalogue import Catalogue
from app.core.course.model import Course
from app.core.i18n import _, ngettext
from app.core.record.progress import CourseProgress
from app.ui.screens.page import Page
from app.ui.widgets import button, card, heading, marked, text


def status_text(progress: CourseProgress | None) -> str:
    if progress is None or not progress.started:
        return _("Not started")
    if progress.completed:
        return _("Completed")
    return _("{percent} done").format(percent=formatting.percent(progress.percent))


class CatalogueScreen(Page):
    open_course = Signal(str)
    continue_course = Signal(str)
    install_package = Signal()  # "Install a course package…": a .zip a trainer handed over
    my_learning = Signal()  # "My progress and assignments"
    verify_certificate = Signal()  # "Verify a certificate…"

    def __init__(self, learner_name: str, catalogue: Catalogue, progress: dict[str, CourseProgress],
                 last_course: str | None, parent=None):
        super().__init__(parent)
        self.catalogue = catalogue
        self.first_button = None
        self.course_buttons: dict[str, object] = {}  # course id -> its Start/Continue/Review button
        self.body.addWidget(heading(_("Hello, {name}").format(name=learner_name)))
        last = catalogue.course(last_course) if last_course else None
        if last is not None and not progress[last.id].completed and progress[last.id].resume:
            self._resume_card(last, progress[last.id])
        self.body.addWidget(heading(_("Your courses"), 2))
        if not catalogue.courses:
            self.body.addWidget(text(_("No courses are installed. Ask your trainer for a course package."), True))
        for course in catalogue.courses:
            self._course_card(course, progress.get(course.id))
        if catalogue.refused:
            self._refused_notice()
        self.install_button = button(_("Install a course package…"), self.install_package.emit,
                                     accessible=_("Install a course package from a file"))
        self.my_learning_button = button(_("My progress and assignments"), self.my_learning.emit)
        self.verify_button = button(_("Verify a certificate…"), self.verify_certificate.emit)
        actions = QHBoxLayout()
        for action in (self.my_learning_button, self.install_button, self.verify_button):
            actions.addWidget(action)
        actions.addStretch(1)
        self.body.addLayout(actions)
        self.body.addStretch(1)

    def _resume_card(self, course: Course, progress: CourseProgress) -> None:
        box, layout = card()
        layout.addWidget(text(_("Continue where you left off"), muted=True))
        layout.addWidget(heading(marked(course.title), 2))
        item = course.item(progress.resume.item_id) if progress.resume else None
        if item:
            layout.addWidget(text(marked(item.title)))
        go = button(_("Continue"), lambda: self.continue_course.emit(course.id), primary=True,
                    accessible=_("Continue {course}").format(course=course.title))
        layout.addWidget(go, 0, Qt.AlignmentFlag.AlignRight)
        self.first_button = go
        self.body.addWidget(box)

    def _course_card(self, course: Course, progress: CourseProgress | None) -> None:
        box, layout = card()
        box.setAccessibleName(course.title)
        layout.addWidget(heading(marked(course.title), 2))
        layout.addWidget(text(marked(course.summary)))
        lessons = sum(1 for i in course.items if i.kind == "lesson")
        quizzes = sum(1 for i in course.items if i.kind == "quiz")
        meta = " · ".join([ngettext("{n} lesson", "{n} lessons", lessons).format(n=formatting.number(lessons)),
                           ngettext("{n} quiz", "{n} quizzes", quizzes).format(n=formatting.number(quizzes)),
                           _("about {duration}").format(duration=formatting.minutes(course.estimated_minutes))])
        layout.addWidget(text(meta, muted=True))
        row = QHBoxLayout()
        bar = QProgressBar()
        bar.setRange(0, 100)
        bar.setValue(int(progress.percent) if progress else 0)
        bar.setTextVisible(False)
        bar.setAccessibleName(_("Progress in {course}").format(course=course.title))
        status = status_text(progress)
        bar.setAccessibleDescription(status)
        row.addWidget(bar, 1)
        row.addWidget(text(status, muted=True))
        if progress is not None and progress.last_active and not progress.completed:
            when = _("Last studied on {date}").format(date=formatting.date(progress.last_active))
            bar.setAccessibleDescription(f"{status}. {when}")
            layout.addWidget(text(when, muted=True))
        if progress is None or not progress.started:
            label = _("Start")
        elif progress.completed:
            label = _("Review")
        else:
            label = _("Continue")
        go = button(label, lambda: self.open_course.emit(course.id), primary=progress is None or not progress.completed,
                    accessible=_("{action}: {course}").format(action=label, course=course.title))
        row.addWidget(go)
        self.course_buttons[course.id] = go
        if self.first_button is None:
            self.first_button = go
        layout.addLayout(row)
        self.body.addWidget(box)

    def _refused_notice(self) -> None:
        count = len(self.catalogue.refused)
        box, layout = card()
        layout.addWidget(text(ngettext("{n} course package could not be opened.",
                                       "{n} course packages could not be opened.", count).format(n=formatting.number(count))))
        layout.addWidget(button(_("Show details"), self._show_refused), 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(box)

    def _show_refused(self) -> None:
        lines = []
        for refused in self.catalogue.refused:
            lines.append(refused.location)
            lines.extend(f"  {p}" for p in refused.problems[:20])
        box = QMessageBox(QMessageBox.Icon.Warning, _("Course packages not opened"),
                          _("These packages were refused because they have problems. Give this list to your "
                            "trainer."), QMessageBox.StandardButton.NoButton, self)
        box.setDefaultButton(box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole))
        box.setDetailedText("\n".join(lines))
        box.exec()

    def focus_first(self) -> None:
        if self.first_button:
            self.first_button.setFocus()
