"""Shown when a course is complete: what the learner achieved, and where to go next."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout

from app.core import formatting
from app.core.course.model import Course
from app.core.i18n import _, ngettext
from app.core.record.progress import CourseProgress
from app.ui.screens.page import Page
from app.ui.widgets import button, card, heading, marked, text


class CompleteScreen(Page):
    to_catalogue = Signal()
    to_outline = Signal(str)

    def __init__(self, course: Course, progress: CourseProgress, parent=None):
        super().__init__(parent)
        box, layout = card()
        title = heading(_("Course complete"))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        layout.addWidget(heading(marked(course.title), 2))
        layout.addWidget(text(_("Congratulations! You have finished every lesson and passed every quiz.")))
        lessons = len(progress.lessons_done)
        quizzes = sum(1 for q in progress.quizzes.values() if q.passed)
        layout.addWidget(text(ngettext("{n} lesson read", "{n} lessons read", lessons).format(n=formatting.number(lessons))
                              + " · " + ngettext("{n} quiz passed", "{n} quizzes passed", quizzes).format(n=formatting.number(quizzes))))
        if progress.completed_at:
            layout.addWidget(text(_("Completed on {date}").format(date=formatting.date(progress.completed_at)),
                                  muted=True))
        if progress.score_percent is not None:
            layout.addWidget(text(_("Average quiz score: {score}").format(
                score=formatting.percent(progress.score_percent))))
        layout.addWidget(text(_("Your trainer can collect this result and issue your certificate."), muted=True))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button(_("Review the course"), lambda: self.to_outline.emit(course.id)))
        self.home = button(_("Back to my courses"), self.to_catalogue.emit, primary=True)
        row.addWidget(self.home)
        layout.addLayout(row)
        self.body.addWidget(box)
        self.body.addStretch(1)

    def focus_first(self) -> None:
        self.home.setFocus()
