"""Task 4, "Who is told": what an alert sets in motion across a city, and three questions: the false alarms of the
learner's alert in 2014 (typed), who should be told, and what a false alarm costs.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.core.i18n import _
from labs.smart_city.air_lab import PUBLIC_QUESTIONS, parse_count
from labs.smart_city.air_widgets.common import QuestionBox, wrapping
from labs.smart_city.air_workspace import AirWorkspace


class PublicTab(QWidget):
    changed = Signal()

    def __init__(self, workspace: AirWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("An alert is a decision that reaches far: schools move lessons and sport indoors "
                                    "or close, care homes keep residents in, building sites stop outdoor work, "
                                    "hospitals prepare for more patients with asthma and heart trouble, and people "
                                    "change their plans. It works only if the people at risk hear it in time and "
                                    "still believe it.")))
        self.questions = QuestionBox(_("Questions"), PUBLIC_QUESTIONS, self._answered)
        layout.addWidget(self.questions)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        self.questions.show_answers(self.workspace.answers)
        self._check_count(self.workspace.answers.get("false_alarms", ""))

    def _check_count(self, text: str) -> None:
        bad = bool(text.strip()) and parse_count(text) is None
        self.questions.show_error("false_alarms", _("Type a whole number of days, for example 12.") if bad else "")

    def _answered(self, question_id: str, answer: str) -> None:
        if question_id == "false_alarms":
            self._check_count(answer)
        if self.workspace.answers.get(question_id, "") == answer.strip():
            return
        self.workspace.set_answer(question_id, answer)
        self.changed.emit()
