"""Task 2, "Learn each routine": how the alarm learns what is normal in each home (weeks, statistic, percentile,
margin, whose routine, the door, the low-activity check, a five-hour cap), learning and testing it over the six
scored weeks (long work, on the task runner), the limits it learned hour by hour against the robot's five hours,
the alarm against the robot in numbers and home by home, and the learner's answer.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QHeaderView, QLineEdit,
                               QSpinBox, QVBoxLayout, QWidget)

from app.core.formatting import minutes as format_minutes
from app.core.i18n import _
from app.ui.widgets import button
from labs.answers import parse_percent
from labs.panel_widgets import table
from labs.smart_city.care.streams import SLOT_MINUTES
from labs.smart_city.care_lab import (PERCENTILE_TITLES, ROUTINE_TITLES, STATISTIC_TITLES, decimal, hours_text,
                                      household_name, out_of)
from labs.smart_city.care_widgets.charts import LimitsChart
from labs.smart_city.care_widgets.common import (Status, cell, error_label, fit_table_height, section, show_error,
                                                 wrapping)
from labs.smart_city.care_workspace import (MARGIN_RANGE, MEAN_SD_STAT, OWN_ROUTINE, PERCENTILE_STAT, PERCENTILES,
                                            ROBOT, SHARED_ROUTINE, WEEKS_RANGE, CareWorkspace, LearnChoice, Run)

LATIN_DIGITS = QLocale.c()


class LearnTab(QWidget):
    changed = Signal()
    learned = Signal()  # a learned alarm's results are on screen

    def __init__(self, workspace: CareWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        self.busy = False
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("The robot gives everybody the same five hours. A learned alarm looks at each "
                                    "home's first weeks and learns, for every hour of the day, how long a still spell "
                                    "at home can normally last there, and how little movement is still normal. A "
                                    "still spell longer than that, or a day far quieter than usual, calls the "
                                    "guardian.")))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.weeks_spin = QSpinBox()
        self.weeks_spin.setRange(*WEEKS_RANGE)
        self.weeks_spin.setLocale(LATIN_DIGITS)
        self.weeks_spin.setKeyboardTracking(False)
        self.weeks_spin.setAccessibleName(_("Weeks to learn from"))
        form.addRow(_("Weeks to learn from:"), self.weeks_spin)
        self.statistic_combo = QComboBox()
        self.statistic_combo.setAccessibleName(_("The normal still spell is measured from"))
        for key in (PERCENTILE_STAT, MEAN_SD_STAT):
            self.statistic_combo.addItem(_(STATISTIC_TITLES[key]), key)
        form.addRow(_("The normal still spell is measured from:"), self.statistic_combo)
        self.percentile_combo = QComboBox()
        self.percentile_combo.setAccessibleName(_("How unusual a still spell must be"))
        for value in PERCENTILES:
            self.percentile_combo.addItem(_(PERCENTILE_TITLES[value]), value)
        form.addRow(_("How unusual a still spell must be:"), self.percentile_combo)
        self.margin_spin = QDoubleSpinBox()
        first, last, step = MARGIN_RANGE
        self.margin_spin.setRange(first, last)
        self.margin_spin.setSingleStep(step)
        self.margin_spin.setDecimals(2)
        self.margin_spin.setLocale(LATIN_DIGITS)
        self.margin_spin.setKeyboardTracking(False)
        self.margin_spin.setAccessibleName(_("Safety margin: the limit is this many times the normal spell, plus 30 "
                                             "minutes"))
        form.addRow(_("Safety margin:"), self.margin_spin)
        form.addRow(wrapping(_("The limit is the normal still spell times the margin, plus 30 minutes, and never "
                               "under 45 minutes.")))
        self.routine_combo = QComboBox()
        self.routine_combo.setAccessibleName(_("Whose routine is learned"))
        for key in (OWN_ROUTINE, SHARED_ROUTINE):
            self.routine_combo.addItem(_(ROUTINE_TITLES[key]), key)
        form.addRow(_("Whose routine is learned:"), self.routine_combo)
        layout.addLayout(form)
        self.door_check = QCheckBox(_("Read the front door: time out of the house is not a still spell at home"))
        self.low_check = QCheckBox(_("Also call when movement stays far below the usual for 6 hours (illness in bed)"))
        self.cap_check = QCheckBox(_("Never wait longer than the robot's 5 hours, not even at night"))
        for check in (self.door_check, self.low_check, self.cap_check):
            check.setAccessibleName(check.text())
            layout.addWidget(check)
        for widget in (self.weeks_spin, self.margin_spin):
            widget.valueChanged.connect(lambda _v: self._edited())
        for widget in (self.statistic_combo, self.percentile_combo, self.routine_combo):
            widget.currentIndexChanged.connect(lambda _i: self._edited())
        for check in (self.door_check, self.low_check, self.cap_check):
            check.toggled.connect(lambda _c: self._edited())
        row = QHBoxLayout()
        self.learn_button = button(_("Learn and test"), self.learn, primary=True)
        row.addWidget(self.learn_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = Status(_("The learned alarm's run"))
        layout.addWidget(self.status)

        layout.addWidget(section(_("What your alarm learned")))
        limits_form = QFormLayout()
        self.household_combo = QComboBox()
        self.household_combo.setAccessibleName(_("Show the limits of"))
        for household in workspace.households:
            self.household_combo.addItem(household_name(household), household)
        self.household_combo.currentIndexChanged.connect(lambda _i: self._household_chosen())
        limits_form.addRow(_("Show the limits of:"), self.household_combo)
        layout.addLayout(limits_form)
        self.chart = LimitsChart()
        layout.addWidget(self.chart)

        layout.addWidget(section(_("Your alarm against the robot, over the six scored weeks")))
        self.compare = table(("", _("The robot"), _("Your alarm")), _("Your alarm against the robot"))
        self.compare.setRowCount(7)
        for index, title in enumerate((
                _("False calls"), _("False calls per household-month"), _("Emergencies caught"),
                _("Emergencies missed"), _("Hours people lay unattended, in all"),
                _("Median time from an emergency's start to the call"),
                # TRANSLATORS: a row of the comparison: unattended hours + the weight × false calls; lower is better.
                _("Score: hours unattended + weight × false calls (lower is better)"))):
            self.compare.setItem(index, 0, cell(title))
        header = self.compare.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.compare.setWordWrap(True)
        layout.addWidget(self.compare)
        cost_form = QFormLayout()
        cost_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.cost_spin = QDoubleSpinBox()
        self.cost_spin.setRange(0, 24)
        self.cost_spin.setSingleStep(0.5)
        self.cost_spin.setDecimals(1)
        self.cost_spin.setLocale(LATIN_DIGITS)
        self.cost_spin.setKeyboardTracking(False)
        self.cost_spin.setAccessibleName(_("Weight: one needless call weighs as much as this many hours of someone "
                                           "lying unattended"))
        self.cost_spin.valueChanged.connect(lambda _v: self._cost_changed())
        cost_form.addRow(wrapping(_("The score weighs one needless call to a guardian as much as some hours of someone "
                                    "lying unattended. How many is a policy choice, not a fact.")))
        cost_form.addRow(_("Weight of one needless call, in hours:"), self.cost_spin)
        layout.addLayout(cost_form)
        self.homes = table((_("Household"), _("False calls: the robot"), _("False calls: your alarm"),
                            _("Emergencies caught by your alarm")), _("False calls home by home"))
        layout.addWidget(self.homes)

        layout.addWidget(section(_("Your answer")))
        answer = QFormLayout()
        self.cut_edit = QLineEdit()
        self.cut_edit.setPlaceholderText(_("for example 40%"))
        prompt = _("Share of the robot's false calls your alarm avoids:")
        self.cut_edit.setAccessibleName(prompt.rstrip(":"))
        self.cut_edit.editingFinished.connect(self._cut_typed)
        self.cut_error = error_label()
        answer.addRow(wrapping(prompt), self.cut_edit)
        answer.addRow("", self.cut_error)
        layout.addLayout(answer)
        layout.addStretch(1)
        self.refresh()

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            choice = workspace.choice
            self.weeks_spin.setValue(choice.weeks)
            self.statistic_combo.setCurrentIndex(self.statistic_combo.findData(choice.statistic))
            self.percentile_combo.setCurrentIndex(self.percentile_combo.findData(choice.percentile))
            self.percentile_combo.setEnabled(choice.statistic == PERCENTILE_STAT and not self.busy)
            self.margin_spin.setValue(choice.margin)
            self.routine_combo.setCurrentIndex(self.routine_combo.findData(choice.routine))
            self.door_check.setChecked(choice.use_door)
            self.low_check.setChecked(choice.low_activity)
            self.cap_check.setChecked(choice.cap_five_hours)
            for widget in (self.weeks_spin, self.statistic_combo, self.margin_spin, self.routine_combo,
                           self.door_check, self.low_check, self.cap_check, self.learn_button):
                widget.setEnabled(not self.busy)
            self.household_combo.setCurrentIndex(self.household_combo.findData(workspace.household))
            self.cost_spin.setValue(workspace.call_cost)
            if self.cut_edit.text() != workspace.answers.get("learned_cut", ""):
                self.cut_edit.setText(workspace.answers.get("learned_cut", ""))
            run = workspace.learned if workspace.learned_is_current() else None
            self._show_run(run)
            if not self.busy:
                if run is None and workspace.learned is not None:
                    self.status.say(_("You changed the settings: press \"Learn and test\" to test them."))
                elif run is None:
                    self.status.say(_("Press \"Learn and test\" to learn each routine from the first weeks and test "
                                      "the alarm on the six weeks after them."))
        finally:
            self._updating = False

    def _show_run(self, run: Run | None) -> None:
        robot = self.workspace.reference(ROBOT).summary
        mine = run.summary if run is not None else None
        cost = self.workspace.call_cost

        def values(summary) -> list[str]:
            if summary is None:
                return ["–"] * 7
            median = summary.median_minutes_to_alert
            return [str(summary.false_calls), decimal(summary.false_calls_per_household_month, 2),
                    out_of(summary.caught, summary.emergencies), str(summary.missed),
                    hours_text(summary.hours_unattended),
                    format_minutes(int(median)) if median is not None else "–", decimal(summary.score(cost))]
        for column, summary in ((1, robot), (2, mine)):
            for row, text in enumerate(values(summary)):
                self.compare.setItem(row, column, cell(text, True))
        fit_table_height(self.compare)
        rows = []
        for outcome in robot.outcomes:
            household = outcome.household
            found = next((o for o in mine.outcomes if o.household == household), None) if mine else None
            rows.append((household_name(household), str(outcome.false_calls),
                         str(found.false_calls) if found else "–",
                         out_of(sum(d.caught for d in found.detections), len(found.detections)) if found else "–"))
        self.homes.setRowCount(len(rows))
        for index, texts in enumerate(rows):
            for column, text in enumerate(texts):
                self.homes.setItem(index, column, cell(text, column > 0))
        fit_table_height(self.homes)
        household = self.workspace.household
        title = _("{who}: the longest still spell at home the alarm allows, hour by hour").format(
            who=household_name(household))
        profile = run.profiles.get(household) if run is not None else None
        self.chart.show_limits(None if profile is None else [v * SLOT_MINUTES / 60 for v in profile.limits], title)

    # --- editing and running -----------------------------------------------------------------------------------------

    def _edited(self) -> None:
        if self._updating:
            return
        choice = LearnChoice(self.weeks_spin.value(), self.percentile_combo.currentData(), self.margin_spin.value(),
                             self.door_check.isChecked(), self.low_check.isChecked(), self.cap_check.isChecked(),
                             self.statistic_combo.currentData(), self.routine_combo.currentData())
        if choice == self.workspace.choice:
            return
        self.workspace.set_choice(choice)
        self.refresh()
        self.changed.emit()

    def _household_chosen(self) -> None:
        if self._updating or self.household_combo.currentData() == self.workspace.household:
            return
        self.workspace.set_view(household=self.household_combo.currentData())
        self.refresh()
        self.changed.emit()

    def _cost_changed(self) -> None:
        if self._updating or self.cost_spin.value() == self.workspace.call_cost:
            return
        self.workspace.set_call_cost(self.cost_spin.value())
        self.refresh()
        self.changed.emit()

    def learn(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.status.say(_("Learning each routine and testing the alarm…"))
        self.refresh()
        self.host.run(self.workspace.learn_job(), self._done, _("Learning the routines"), on_error=self._failed,
                      on_cancel=self._cancelled)

    def _done(self, run: Run) -> None:
        self.busy = False
        if run.choice != self.workspace.choice:  # the settings changed while it ran: not the learner's alarm now
            self.refresh()
            return
        self.workspace.set_learned(run)
        self.status.say(_("Tested: {calls} false calls and {missed} emergencies missed over the six weeks.").format(
            calls=run.summary.false_calls, missed=run.summary.missed))
        self.refresh()
        self.changed.emit()
        self.learned.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.refresh()
        self.status.say(_("The alarm could not be learned: {reason}").format(reason=error))

    def _cancelled(self) -> None:
        self.busy = False
        self.refresh()
        self.status.say(_("Learning was cancelled."))

    def _cut_typed(self) -> None:
        text = self.cut_edit.text().strip()
        show_error(self.cut_error, "" if not text or parse_percent(text) is not None
                   else _("Type a percentage from 0 to 100, for example 40%."))
        if self._updating or text == self.workspace.answers.get("learned_cut", ""):
            return
        self.workspace.set_answer("learned_cut", text)
        self.changed.emit()

    def choose(self, **settings: Any) -> None:
        """Change settings through the widgets, as the learner does (for tests and previews)."""
        widgets = {"weeks": self.weeks_spin, "margin": self.margin_spin, "percentile": self.percentile_combo,
                   "statistic": self.statistic_combo, "routine": self.routine_combo, "use_door": self.door_check,
                   "low_activity": self.low_check, "cap_five_hours": self.cap_check}
        for name, value in settings.items():
            widget = widgets[name]
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(widget.findData(value))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(value)
            else:
                widget.setValue(value)

