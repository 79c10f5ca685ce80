"""Task 3, "Measure the saving": the chosen model's daily error, the smallest saving a number of working days of
readings can show (a slider over the days, with the curve), what a true saving looks like in the meter day by day,
and the learner's two answers. Everything here is arithmetic on the fitted model: it runs on the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (QDoubleSpinBox, QFormLayout, QHBoxLayout, QLineEdit, QSlider, QSpinBox, QVBoxLayout,
                               QWidget)

from app.core.formatting import isolated
from app.core.i18n import _
from labs.panel_widgets import bold
from labs.smart_city.energy_lab import decimal, days_symbol, model_name, parse_count, parse_typed_percent, pct
from labs.smart_city.energy_widgets.charts import ApparentChart, DetectableChart
from labs.smart_city.energy_widgets.common import error_label, wrapping
from labs.smart_city.energy_workspace import CLAIM, MAX_BIAS, MAX_DAYS, MAX_TRUE_SAVING, EnergyWorkspace

LATIN_DIGITS = QLocale.c()


class VerifyTab(QWidget):
    changed = Signal()

    def __init__(self, workspace: EnergyWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("A saving is never read off the meter. It is what the plant would have used "
                                    "without the change, which only your model can say, minus what the meter "
                                    "reads. When the model is off by more than the saving from day to day, a "
                                    "saving cannot be told from its error until enough days are averaged.")))
        self.model_label = bold(wrapping())
        self.model_label.setAccessibleName(_("Your model's daily error"))
        layout.addWidget(self.model_label)
        layout.addWidget(wrapping(_("The smallest saving that a number of working days can show with 95% "
                                    "confidence: {formula}. CV is your model's daily error on working weekdays.")
                                  .format(formula=isolated(f"1.96 × CV ÷ √{days_symbol()}"))))
        days_row = QHBoxLayout()
        self.days_slider = QSlider(Qt.Orientation.Horizontal)
        self.days_slider.setRange(1, MAX_DAYS)
        self.days_slider.setPageStep(50)
        self.days_slider.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # more days to the right, as on the chart
        self.days_slider.setAccessibleName(_("Working days of readings"))
        self.days_slider.valueChanged.connect(self._days_changed)
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, MAX_DAYS)
        self.days_spin.setLocale(LATIN_DIGITS)
        self.days_spin.setKeyboardTracking(False)
        self.days_spin.setAccessibleName(_("Working days of readings"))
        self.days_spin.valueChanged.connect(self._days_changed)
        days_form = QFormLayout()
        days_row.addWidget(self.days_slider, 1)
        days_row.addWidget(self.days_spin)
        days_form.addRow(_("Working days of readings:"), days_row)
        layout.addLayout(days_form)
        self.detectable_label = bold(wrapping())
        self.detectable_label.setAccessibleName(_("The smallest saving these days can show"))
        layout.addWidget(self.detectable_label)
        self.detectable_chart = DetectableChart(MAX_DAYS, CLAIM)
        layout.addWidget(self.detectable_chart)

        layout.addWidget(bold(wrapping(_("What a true saving looks like in the meter"))))
        true_form = QFormLayout()
        self.true_spin = QDoubleSpinBox()
        self.true_spin.setRange(0.0, MAX_TRUE_SAVING)
        self.true_spin.setDecimals(1)
        self.true_spin.setSingleStep(0.5)
        self.true_spin.setSuffix(" %")
        self.true_spin.setLocale(LATIN_DIGITS)
        self.true_spin.setKeyboardTracking(False)
        self.true_spin.setAccessibleName(_("The saving the change truly made, in percent"))
        self.true_spin.valueChanged.connect(self._true_changed)
        true_form.addRow(_("Suppose the change truly saved:"), self.true_spin)
        layout.addLayout(true_form)
        self.claim_label = wrapping()
        self.claim_label.setAccessibleName(_("What the meter would report"))
        layout.addWidget(self.claim_label)
        self.apparent_chart = ApparentChart()
        layout.addWidget(self.apparent_chart)

        self.prompts = {}
        self.errors = {}
        self.detectable_edit = QLineEdit()
        self.detectable_edit.setPlaceholderText(_("for example 4.5%"))
        self.days_edit = QLineEdit()
        self.days_edit.setPlaceholderText(_("for example 120"))
        layout.addWidget(bold(wrapping(_("Your answers"))))
        for key, edit, prompt in (
                ("detectable", self.detectable_edit,
                 _("The smallest saving the {days} working weekdays of October to December can show (%):")),
                ("days_needed", self.days_edit, _("Working days of readings a saving of {claim} needs:"))):
            text = prompt.format(days=workspace.test_days(), claim=pct(CLAIM, 0))
            label = wrapping(text)
            edit.setAccessibleName(text.rstrip(":"))
            edit.editingFinished.connect(lambda k=key, e=edit: self._typed(k, e))
            layout.addWidget(label)
            layout.addWidget(edit)
            self.prompts[key] = label
            self.errors[key] = error_label()
            layout.addWidget(self.errors[key])
        layout.addStretch(1)
        self.refresh()

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            self.days_slider.setValue(workspace.days)
            self.days_spin.setValue(workspace.days)
            self.true_spin.setValue(workspace.true_saving)
            for key, edit in (("detectable", self.detectable_edit), ("days_needed", self.days_edit)):
                if edit.text() != workspace.answers.get(key, ""):
                    edit.setText(workspace.answers.get(key, ""))
                self._check_typed(key)
            self._show()
        finally:
            self._updating = False

    def _show(self) -> None:
        workspace = self.workspace
        cv = workspace.daily_cv()
        mine = workspace.result() if workspace.is_fitted() else None
        if mine is None:
            self.model_label.setText(_("Fit a model in \"1. Forecast\" first: the numbers here are about it."))
            self.detectable_label.setText("")
            self.claim_label.setText("")
            self.detectable_chart.show_model(None, workspace.days)
            self.apparent_chart.show_days(None, 0, 0)
            return
        meets = mine.cv_rmse <= 30 and abs(mine.nmbe) <= MAX_BIAS
        self.model_label.setText(_("Your model, {model}: daily error on working weekdays {cv} (CV(RMSE)); hourly "
                                   "CV(RMSE) {hourly}, bias {bias}. {verdict}").format(
            model=model_name(workspace.model), cv=pct(cv), hourly=pct(mine.cv_rmse, 0), bias=pct(mine.nmbe),
            verdict=_("It meets ASHRAE Guideline 14's criteria for a savings baseline.") if meets else
            _("It does not meet ASHRAE Guideline 14's criteria for a savings baseline (hourly CV(RMSE) at most 30%, "
              "bias at most 10%).")))
        days = workspace.days
        self.detectable_label.setText(_("With {days} working days of readings, only savings above {percent} can be "
                                        "told from the model's error.").format(
            days=decimal(days), percent=pct(workspace.detectable(days))))
        self.detectable_chart.show_model(cv, days)
        claim = workspace.claim()
        self.claim_label.setText(_("Had the plant truly saved {true} from 1 October, the meter judged against your "
                                   "model would report {mean} on average over the {days} working weekdays, from "
                                   "{low} to {high} on single days.").format(
            true=pct(workspace.true_saving), mean=pct(claim.mean), days=claim.days, low=pct(min(claim.daily), 0),
            high=pct(max(claim.daily), 0)))
        self.apparent_chart.show_days(claim.daily, workspace.true_saving, claim.mean)

    # --- editing ----------------------------------------------------------------------------------------------

    def _days_changed(self, value: int) -> None:
        if self._updating or value == self.workspace.days:
            return
        self.workspace.set_days(value)
        self._updating = True
        try:
            self.days_slider.setValue(self.workspace.days)
            self.days_spin.setValue(self.workspace.days)
        finally:
            self._updating = False
        self._show()
        self.changed.emit()

    def _true_changed(self, value: float) -> None:
        if self._updating or round(value, 1) == self.workspace.true_saving:
            return
        self.workspace.set_true_saving(value)
        self._show()
        self.changed.emit()

    def _typed(self, key: str, edit: QLineEdit) -> None:
        if self._updating:
            return
        text = edit.text().strip()
        if text == self.workspace.answers.get(key, ""):
            return
        self.workspace.set_answer(key, text)
        self._check_typed(key)
        self.changed.emit()

    def _check_typed(self, key: str) -> None:
        """Say under the box when what was typed is not a number the question can read."""
        text = self.workspace.answers.get(key, "")
        if key == "detectable":
            bad = bool(text) and parse_typed_percent(text) is None
            message = _("Type a percentage from 0 to 100, such as 4.5.")
        else:
            value = parse_count(text) if text else None
            bad = bool(text) and (value is None or value < 1)
            message = _("Type a number of days, such as 120.")
        self.errors[key].setText(message if bad else "")
        self.errors[key].setVisible(bad)
