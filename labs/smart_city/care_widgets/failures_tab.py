"""Task 3, "Where it fails": every emergency with the time each alarm took to call (the robot, the learner's alarm,
and the same alarm re-learned every week, long work on the task runner), false calls week by week for a household,
a household's day on the chart, and the four questions.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from app.core.i18n import _
from app.ui.widgets import button
from labs.panel_widgets import table
from labs.smart_city.care.streams import SLOTS_PER_DAY
from labs.smart_city.care_lab import QUESTIONS, emergency_title, household_name, minutes_to_alert
from labs.smart_city.care_widgets.charts import WeeklyChart
from labs.smart_city.care_widgets.common import AnswerList, Status, cell, fit_table_height, section, wrapping
from labs.smart_city.care_widgets.robot_tab import DayPanel
from labs.smart_city.care_workspace import DAYS, FIRST_SCORED_DAY, ROBOT, CareWorkspace, Run, emergency_id

WEEKS = tuple(range(FIRST_SCORED_DAY // 7 + 1, DAYS // 7 + 1))  # weeks 5 to 10 of the study


def weekly_false_calls(run: Run | None, household: str) -> tuple[int, ...] | None:
    if run is None:
        return None
    outcome = next(o for o in run.summary.outcomes if o.household == household)
    counts = [0] * len(WEEKS)
    for slot in outcome.false_call_slots:
        counts[slot // SLOTS_PER_DAY // 7 - WEEKS[0] + 1] += 1
    return tuple(counts)


class FailuresTab(QWidget):
    changed = Signal()
    relearned = Signal()  # the re-learned alarm's results are on screen

    def __init__(self, workspace: CareWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        self.busy = False
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("A learned alarm knows only what its learning weeks showed. Look for an emergency "
                                    "it never calls about, for a home whose false calls begin in one week and keep "
                                    "coming, and for what re-learning the routine every week changes.")))
        self.note = wrapping()
        layout.addWidget(self.note)
        layout.addWidget(section(_("Every emergency of the six weeks: time until the guardian was called")))
        self.table = table((_("Emergency"), _("The robot"), _("Your alarm"), _("Re-learned every week")),
                           _("Time until the guardian was called, for each emergency"))
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.relearn_button = button(_("Re-learn every week"), self.relearn, primary=True)
        row.addWidget(self.relearn_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = Status(_("The re-learned alarm's run"))
        layout.addWidget(self.status)

        layout.addWidget(section(_("A household, week by week and day by day")))
        self.day = DayPanel(workspace)
        self.day.changed.connect(self._day_changed)
        self.weekly = WeeklyChart()
        self.day.extra.addWidget(self.weekly)  # below the household's picker, above its day
        layout.addWidget(self.day)

        box = QGroupBox(_("Questions"))
        questions = QVBoxLayout(box)
        self.answer_widgets: dict[str, QWidget] = {}
        for item in QUESTIONS:
            prompt = _(item.prompt)
            questions.addWidget(wrapping(prompt))
            widget = self._answer_widget(item)
            widget.setAccessibleName(prompt)
            self.answer_widgets[item.id] = widget
            questions.addWidget(widget)
        layout.addWidget(box)
        layout.addStretch(1)
        self.refresh()

    def _answer_widget(self, item) -> QWidget:
        if item.options:
            choices = AnswerList([(option_id, _(text)) for option_id, text in item.options])
            choices.itemSelectionChanged.connect(lambda q=item.id, w=choices: self._answered(q, w.chosen()))
            return choices
        combo = QComboBox()
        if item.id == "missed":
            combo.addItem(_("Choose an emergency…"), "")
            for emergency in self.workspace.emergencies():
                combo.addItem(emergency_title(self.workspace, emergency), emergency_id(emergency))
        else:
            combo.addItem(_("Choose a household…"), "")
            for household in self.workspace.households:
                combo.addItem(household_name(household), household)
        combo.currentIndexChanged.connect(lambda _i, q=item.id, w=combo: self._answered(q, w.currentData()))
        return combo

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            learned = workspace.learned if workspace.learned_is_current() else None
            relearned = workspace.relearned if workspace.relearned_is_current() else None
            robot = workspace.reference(ROBOT)
            if learned is None:
                self.note.setText(_("Learn the routines and test your alarm in \"2. Learn each routine\" first: the "
                                    "failures here are your alarm's."))
            else:
                self.note.setText(_("Your alarm: the settings you tested in \"2. Learn each routine\"."))
            emergencies = workspace.emergencies()
            self.table.setRowCount(len(emergencies))
            for index, emergency in enumerate(emergencies):
                key = emergency_id(emergency)
                texts = [emergency_title(workspace, emergency), minutes_to_alert(robot.detection(key)),
                         minutes_to_alert(learned.detection(key)) if learned else "–",
                         minutes_to_alert(relearned.detection(key)) if relearned else "–"]
                for column, text in enumerate(texts):
                    self.table.setItem(index, column, cell(text, column > 0))
            fit_table_height(self.table)
            self.relearn_button.setEnabled(learned is not None and not self.busy)
            if not self.busy:
                if learned is not None and relearned is None:
                    self.status.say(_("Press \"Re-learn every week\" to re-learn each routine every Monday from the "
                                      "weeks before it, with your settings."))
                elif learned is None:
                    self.status.say("")
            household = workspace.household
            self.weekly.show_weeks(WEEKS, {"robot": weekly_false_calls(robot, household),
                                           "learned": weekly_false_calls(learned, household),
                                           "relearned": weekly_false_calls(relearned, household)},
                                   _("{who}: false calls in each scored week").format(who=household_name(household)))
            self.day.refresh()
            for question_id, widget in self.answer_widgets.items():
                answer = workspace.answers.get(question_id, "")
                if isinstance(widget, QComboBox):
                    widget.setCurrentIndex(max(0, widget.findData(answer)))
                else:
                    widget.choose(answer)
        finally:
            self._updating = False

    def _day_changed(self) -> None:
        self.refresh()
        self.changed.emit()

    # --- re-learning ------------------------------------------------------------------------------------------------

    def relearn(self) -> None:
        if self.busy or not self.workspace.learned_is_current():
            return
        self.busy = True
        self.status.say(_("Re-learning every week…"))
        self.refresh()
        self.host.run(self.workspace.relearn_job(), self._done, _("Re-learning every week"), on_error=self._failed,
                      on_cancel=self._cancelled)

    def _done(self, run: Run) -> None:
        self.busy = False
        if run.choice != self.workspace.choice:
            self.refresh()
            return
        self.workspace.set_relearned(run)
        self.status.say(_("Re-learned: {calls} false calls, {missed} emergencies missed over the six weeks.").format(
            calls=run.summary.false_calls, missed=run.summary.missed))
        self.refresh()
        self.changed.emit()
        self.relearned.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.refresh()
        self.status.say(_("The alarm could not be re-learned: {reason}").format(reason=error))

    def _cancelled(self) -> None:
        self.busy = False
        self.refresh()
        self.status.say(_("Re-learning was cancelled."))

    # --- answering ------------------------------------------------------------------------------------------------

    def _answered(self, question_id: str, answer: str) -> None:
        if self._updating or self.workspace.answers.get(question_id, "") == answer:
            return
        self.workspace.set_answer(question_id, answer)
        self.changed.emit()

    def answer(self, question_id: str, answer: str) -> None:
        """Choose an answer through the widgets, as the learner does (for tests and previews)."""
        widget = self.answer_widgets[question_id]
        if isinstance(widget, QComboBox):
            index = widget.findData(answer)
            if index < 0:
                raise KeyError(answer)
            widget.setCurrentIndex(index)
            return
        widget.choose(answer)
        if widget.chosen() != answer:
            raise KeyError(answer)

