"""Task 1, "The robot's rules": one household's day on a chart (movement, sound, the front door, outings,
emergencies, and what the robot did), the robot's rules run over the six scored weeks (long work, on the task
runner), the results home by home, and the learner's two numbers.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from app.core.formatting import date as format_date
from app.core.i18n import _
from app.ui.widgets import button
from labs.panel_widgets import table
from labs.smart_city.care.streams import SLOTS_PER_DAY
from labs.smart_city.care_lab import HOUSEHOLD_ROUTINES, decimal, emergency_title, household_name, parse_number
from labs.smart_city.care_widgets.charts import DOOR, EMERGENCY, LEARNED, MOTION, OUT, ROBOT, SOUND, DayChart
from labs.smart_city.care_widgets.common import (Legend, Status, cell, error_label, fit_table_height, section,
                                                 show_error, wrapping)
from labs.smart_city.care_workspace import DAYS, FIRST_SCORED_DAY, CareWorkspace, Run, emergency_id


def _rgba(colour) -> str:
    return f"rgba({colour.red()}, {colour.green()}, {colour.blue()}, {colour.alpha()})"


def day_legend() -> Legend:
    return Legend([
        (f"background: {MOTION};", _("movement")),
        (f"background: {SOUND};", _("sound heard")),
        (f"background: {DOOR}; border-radius: 6px;", _("front door opened (triangle)")),
        (f"background: {_rgba(OUT)}; border: 1px solid #999;", _("taken to be out")),
        (f"background: {_rgba(EMERGENCY)}; border: 1px solid #c66;", _("emergency")),
        (f"border-top: 3px dashed {ROBOT};", _("the robot calls a guardian (dashed line; a diamond: it speaks up)")),
        (f"border-top: 3px solid {LEARNED};", _("your alarm calls (solid line)")),
    ], _("Legend of the day chart"))


class DayPicker(QWidget):
    """The household and the day the chart shows, and a shortcut to each emergency's day (shared by tabs 1 and 3)."""

    changed = Signal()

    def __init__(self, workspace: CareWorkspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self._updating = False
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.household_combo = QComboBox()
        self.household_combo.setAccessibleName(_("Household"))
        for household in workspace.households:
            self.household_combo.addItem(household_name(household), household)
        self.household_combo.currentIndexChanged.connect(lambda _i: self._chosen())
        form.addRow(_("Household:"), self.household_combo)
        self.routine = wrapping()
        form.addRow(self.routine)
        row = QHBoxLayout()
        self.day_spin = QSpinBox()
        self.day_spin.setRange(1, DAYS)
        self.day_spin.setLocale(QLocale.c())  # digits 0-9 in every language, as in the tables
        self.day_spin.setKeyboardTracking(False)
        self.day_spin.setAccessibleName(_("Day of the study, 1 to 70"))
        self.day_spin.valueChanged.connect(lambda _v: self._chosen())
        row.addWidget(self.day_spin)
        self.date_label = wrapping()
        row.addWidget(self.date_label, 1)
        form.addRow(_("Day:"), row)
        self.emergency_combo = QComboBox()
        self.emergency_combo.setAccessibleName(_("Go to the day of an emergency"))
        self.emergency_combo.addItem(_("Choose an emergency…"), "")
        for emergency in workspace.emergencies():
            self.emergency_combo.addItem(emergency_title(workspace, emergency), emergency_id(emergency))
        self.emergency_combo.currentIndexChanged.connect(lambda _i: self._go_to_emergency())
        form.addRow(_("Go to an emergency:"), self.emergency_combo)
        self.refresh()

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            self.household_combo.setCurrentIndex(self.household_combo.findData(workspace.household))
            self.routine.setText(_(HOUSEHOLD_ROUTINES[workspace.household]))
            self.day_spin.setValue(workspace.day + 1)
            date = format_date(workspace.date_of(workspace.day))
            if workspace.day < FIRST_SCORED_DAY:
                self.date_label.setText(_("{date}, in the four weeks the alarm learns from").format(date=date))
            else:
                self.date_label.setText(_("{date}, in the six scored weeks").format(date=date))
        finally:
            self._updating = False

    def _chosen(self) -> None:
        if self._updating:
            return
        household, day = self.household_combo.currentData(), self.day_spin.value() - 1
        if (household, day) == (self.workspace.household, self.workspace.day):
            return
        self.workspace.set_view(household, day)
        self.refresh()
        self.changed.emit()

    def _go_to_emergency(self) -> None:
        if self._updating or not self.emergency_combo.currentData():
            return
        emergency = self.workspace.emergency(self.emergency_combo.currentData())
        self.workspace.set_view(emergency.household, emergency.start // SLOTS_PER_DAY)
        self._updating = True
        self.emergency_combo.setCurrentIndex(0)
        self._updating = False
        self.refresh()
        self.changed.emit()

    def go_to(self, household: str, day: int) -> None:
        """Show a household's day through the widgets, as the learner does (for tests and previews)."""
        self.household_combo.setCurrentIndex(self.household_combo.findData(household))
        self.day_spin.setValue(day + 1)


class DayPanel(QWidget):
    """The picker, the chart and its legend."""

    changed = Signal()

    def __init__(self, workspace: CareWorkspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.picker = DayPicker(workspace)
        self.picker.changed.connect(self._changed)
        layout.addWidget(self.picker)
        self.extra = QVBoxLayout()  # a tab may show more of the household here (the weekly chart)
        self.extra.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.extra)
        self.chart = DayChart()
        layout.addWidget(self.chart)
        self.legend = day_legend()
        layout.addWidget(self.legend)
        self.refresh()

    def _changed(self) -> None:
        self.refresh()
        self.changed.emit()

    def refresh(self) -> None:
        self.picker.refresh()
        workspace = self.workspace
        title = _("{who}, {date}").format(who=household_name(workspace.household),
                                          date=format_date(workspace.date_of(workspace.day)))
        self.chart.show_day(workspace.day_view(), title)


class RobotTab(QWidget):
    changed = Signal()
    ran = Signal()  # the robot's results are on screen

    def __init__(self, workspace: CareWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        self.busy = False
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("Each home has motion sensors, a front-door sensor and a sound sensor, read every "
                                    "5 minutes for ten weeks. Look at a few days: sleep is a long quiet spell at "
                                    "night, an outing a door followed by stillness, a visitor a burst of movement and "
                                    "voices. Falls and illnesses are marked so that you can judge the alarms; no "
                                    "alarm reads those marks.")))
        self.day = DayPanel(workspace)
        self.day.changed.connect(self.changed)
        layout.addWidget(self.day)

        layout.addWidget(section(_("The robot's rules over the six scored weeks")))
        layout.addWidget(wrapping(_("The robot speaks up after 30 minutes without any sound, and calls a guardian "
                                    "after 5 hours without movement. A call is false when no emergency is going on; "
                                    "an emergency is missed when no call comes before the person is found, or within "
                                    "a day.")))
        self.door_check = QCheckBox(_("Pause the count while the front door says the resident is out (not the robot's "
                                      "rule: for comparison)"))
        self.door_check.setAccessibleName(self.door_check.text())
        self.door_check.toggled.connect(self._door_toggled)
        layout.addWidget(self.door_check)
        row = QHBoxLayout()
        self.run_button = button(_("Run the robot's rules"), self.run, primary=True)
        row.addWidget(self.run_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = Status(_("The robot's run"))
        layout.addWidget(self.status)
        # TRANSLATORS: "Missed" is a column heading: emergencies the robot never called about.
        self.table = table((_("Household"), _("False calls"), _("Emergencies caught"), _("Missed"),
                            # TRANSLATORS: column heading: how often a day the robot spoke up after 30 silent minutes.
                            _("Prompts a day"),
                            # TRANSLATORS: column heading: of those, how many between 22:00 and 07:00.
                            _("Prompts at night")), _("The robot's results, home by home"))
        layout.addWidget(self.table)
        self.months = wrapping()
        layout.addWidget(self.months)

        layout.addWidget(section(_("Your answers")))
        form = QFormLayout()
        self.rate_edit = QLineEdit()
        self.rate_edit.setPlaceholderText(_("for example 3.5"))
        prompt = _("The robot's false calls per household-month:")
        self.rate_edit.setAccessibleName(prompt.rstrip(":"))
        self.rate_edit.editingFinished.connect(self._rate_typed)
        self.rate_error = error_label()
        form.addRow(wrapping(prompt), self.rate_edit)
        form.addRow("", self.rate_error)
        self.missed_edit = QLineEdit()
        self.missed_edit.setPlaceholderText(_("for example 1"))
        prompt = _("Emergencies the robot missed:")
        self.missed_edit.setAccessibleName(prompt.rstrip(":"))
        self.missed_edit.editingFinished.connect(self._missed_typed)
        self.missed_error = error_label()
        form.addRow(wrapping(prompt), self.missed_edit)
        form.addRow("", self.missed_error)
        layout.addLayout(form)
        layout.addStretch(1)
        self.refresh()

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            self.door_check.setChecked(workspace.robot_door)
            self.door_check.setEnabled(not self.busy)
            self.run_button.setEnabled(not self.busy)
            for edit, key in ((self.rate_edit, "robot_rate"), (self.missed_edit, "robot_missed")):
                if edit.text() != workspace.answers.get(key, ""):
                    edit.setText(workspace.answers.get(key, ""))
            self.day.refresh()
            self._show_run(workspace.robot if workspace.robot_is_current() else None)
            if not self.busy and workspace.robot is None:
                self.status.say(_("Press \"Run the robot's rules\" to run them over the six scored weeks."))
        finally:
            self._updating = False

    def _show_run(self, run: Run | None) -> None:
        self.table.setRowCount(0)
        if run is None:
            self.months.setText("")
            fit_table_height(self.table)
            return
        summary = run.summary
        rows = []
        for outcome in summary.outcomes:
            caught = sum(d.caught for d in outcome.detections)
            days = outcome.scored_days
            rows.append((household_name(outcome.household), outcome.false_calls, caught,
                         len(outcome.detections) - caught, decimal(outcome.prompts / days),
                         decimal(outcome.night_prompts / days)))
        rows.append((_("All five homes"), summary.false_calls, summary.caught, summary.missed,
                     decimal(summary.prompts_per_day), decimal(summary.night_prompts_per_day)))
        self.table.setRowCount(len(rows))
        for index, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(index, column, cell(str(value), column > 0))
        fit_table_height(self.table)
        days = summary.outcomes[0].scored_days if summary.outcomes else 0
        self.months.setText(_("Scored: {days} days in each of {homes} homes, that is {months} household-months (one "
                              "home watched for 30 days is one household-month).").format(
            days=decimal(days, 0), homes=len(summary.outcomes), months=decimal(summary.household_months)))

    # --- running ----------------------------------------------------------------------------------------------------

    def _door_toggled(self, checked: bool) -> None:
        if self._updating or checked == self.workspace.robot_door:
            return
        self.workspace.set_robot_door(checked)
        self.refresh()
        self.changed.emit()

    def run(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.status.say(_("Running the robot's rules…"))
        self.refresh()
        self.host.run(self.workspace.robot_job(), self._done, _("Running the robot's rules"), on_error=self._failed,
                      on_cancel=self._cancelled)

    def _done(self, run: Run) -> None:
        self.busy = False
        self.workspace.set_robot(run)
        self.status.say(_("Done: the results of the six weeks are in the table."))
        self.refresh()
        self.changed.emit()
        self.ran.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.refresh()
        self.status.say(_("The rules could not be run: {reason}").format(reason=error))

    def _cancelled(self) -> None:
        self.busy = False
        self.refresh()
        self.status.say(_("The run was cancelled."))

    # --- answers ----------------------------------------------------------------------------------------------------

    def _rate_typed(self) -> None:
        text = self.rate_edit.text().strip()
        show_error(self.rate_error, "" if not text or parse_number(text) is not None
                   else _("Type a number, for example 3.5."))
        self._store("robot_rate", text)

    def _missed_typed(self) -> None:
        text = self.missed_edit.text().strip()
        value = parse_number(text)
        valid = not text or (value is not None and value == int(value) and 0 <= value <= 8)
        show_error(self.missed_error, "" if valid else _("Type a whole number from 0 to 8."))
        self._store("robot_missed", text)

    def _store(self, key: str, text: str) -> None:
        if self._updating or text == self.workspace.answers.get(key, ""):
            return
        self.workspace.set_answer(key, text)
        self.changed.emit()
