"""Task 2, "Tune the setpoints": the five setpoints (a value outside the model's range is refused where it is
typed), the crop grown with them (long work, on the task runner), what it gives against the starting setpoints and
the budget, the growth curves, the year's electricity month by month, and every plan grown so far.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QHeaderView, QLabel, QSpinBox, QVBoxLayout, QWidget

from app.core.formatting import percent
from app.core.i18n import _
from app.ui.widgets import button
from labs.panel_widgets import bold, table
from labs.smart_city.farm import farm as fm
from labs.smart_city.farm_lab import FLAG_TEXTS, describe, num, range_problem
from labs.smart_city.farm_widgets.charts import GrowthChart, MonthChart
from labs.smart_city.farm_widgets.common import RunRow, cell, error_label, fit_height, show_error, wrapping
from labs.smart_city.farm_workspace import (BUDGET_KWH, FIELDS, SHARE, FarmWorkspace, Grown, out_of_range,
                                            start_grown)

LATIN_DIGITS = QLocale.c()
# field -> (lowest, highest, step) the box accepts: wider than the model's range, so that a value outside it is
# typed, then explained beside the box, rather than silently refused
SPIN_RANGES = {"ppfd": (0, 2000, 10), "photoperiod": (0, 24, 1), "temp_day": (0, 45, 1), "temp_night": (0, 45, 1),
               "co2_ppm": (0, 5000, 50)}


def field_labels() -> dict[str, str]:
    return {"ppfd": _("Light intensity at the plants (µmol/m²/s):"), "photoperiod": _("Hours of light a day:"),
            "temp_day": _("Temperature with the lights on (°C):"),
            "temp_night": _("Temperature with the lights off (°C):"), "co2_ppm": _("CO2 in the air (ppm):")}


def budget_text(result: fm.FarmResult) -> str:
    if result.within_budget:
        # TRANSLATORS: in the "Budget" column: the plan's electricity is within the budget.
        text = _("within")
    else:
        # TRANSLATORS: in the "Budget" column: the plan's electricity is over the budget by this many kWh.
        text = _("over by {kwh} kWh").format(kwh=num(result.kwh_per_year - BUDGET_KWH))
    if result.flags:
        flags = {"tipburn": _("tipburn risk"), "co2_waste": _("CO2 waste"), "long_day": _("leaf injury risk")}
        # TRANSLATORS: the budget status, then the risks of the plan, e.g. "within; tipburn risk".
        text = _("{budget}; {risks}").format(budget=text, risks=", ".join(flags[f] for f in result.flags))
    return text


class TuneTab(QWidget):
    changed = Signal()
    grown = Signal()  # a plan's results are on screen

    def __init__(self, workspace: FarmWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("Each setpoint holds all year. Light: the midday summer sun gives about {sun} "
                                    "µmol/m²/s; lettuce grows well on a tenth of that, for longer days. CO2: outdoor "
                                    "air has about 420 ppm; bottled CO2 raises it and costs no electricity. Every "
                                    "watt of light also heats the container, and the heat pump pays to remove it.")
                                  .format(sun=num(2000))))
        form = QFormLayout()
        self.spins: dict[str, QSpinBox] = {}
        self.errors: dict[str, QLabel] = {}
        labels = field_labels()
        for name in FIELDS:
            low, high, step = SPIN_RANGES[name]
            spin = QSpinBox()
            spin.setRange(low, high)
            spin.setSingleStep(step)
            spin.setKeyboardTracking(False)  # one change when the learner is done typing
            spin.setLocale(LATIN_DIGITS)  # digits stay 0-9 in every language, as in the tables
            spin.setAccessibleName(labels[name].rstrip(":"))
            spin.valueChanged.connect(lambda value, n=name: self._typed(n, value))
            spin.setMinimumWidth(110)
            error = error_label()
            column = QVBoxLayout()
            column.setContentsMargins(0, 0, 0, 0)
            row = QHBoxLayout()
            row.addWidget(spin)
            row.addStretch(1)
            column.addLayout(row)
            column.addWidget(error)
            form.addRow(QLabel(labels[name]), column)
            self.spins[name], self.errors[name] = spin, error
        layout.addLayout(form)
        self.target = bold(wrapping())
        layout.addWidget(self.target)
        self.run_row = RunRow(host, _("Grow the crop"), _("Growing your setpoints"))
        self.run_row.button.clicked.connect(self.grow)
        layout.addWidget(self.run_row)
        self.compare = table(("", _("Starting setpoints"), _("Your setpoints")),
                             _("What the starting setpoints and yours give"))
        header = self.compare.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.compare)
        self.warnings = error_label()
        self.warnings.setAccessibleName(_("What lettuce does not tolerate in your setpoints"))
        layout.addWidget(self.warnings)
        layout.addWidget(bold(wrapping(_("Growth curves: the starting setpoints and yours"))))
        self.growth = GrowthChart()
        layout.addWidget(self.growth)
        layout.addWidget(bold(wrapping(_("Your setpoints' electricity, month by month in Seoul's climate"))))
        self.months = MonthChart()
        layout.addWidget(self.months)
        self.tried_title = bold(wrapping(_("Every plan you grew")))
        layout.addWidget(self.tried_title)
        self.tried = table((_("Setpoints"), _("Harvests a year"), _("kg per m² a year"), _("kWh a year"),
                            _("kWh per kg"), _("Budget")), _("Every plan you grew"))
        self.tried.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tried.horizontalHeader().setStretchLastSection(False)
        self.tried.itemSelectionChanged.connect(self._tried_selected)
        layout.addWidget(self.tried)
        row = QHBoxLayout()
        self.reuse_button = button(_("Use the chosen plan's setpoints again"), self.reuse)
        row.addWidget(self.reuse_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.refresh()

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            for name, spin in self.spins.items():
                value = int(round(getattr(workspace.setpoints, name)))
                if spin.value() != value:
                    spin.setValue(value)
            problems = {field: (value, low, high) for field, value, low, high in out_of_range(workspace.setpoints)}
            for name, error in self.errors.items():
                show_error(error, range_problem(name, *problems[name]) if name in problems else "")
            self.run_row.allow(not problems)
            best = workspace.reference()
            self.target.setText(_("Budget: {budget} kWh of electricity a year. Target: at least {kg} kg of lettuce "
                                  "per m² a year, {share} of the best plan the computer's search finds within the "
                                  "budget.").format(budget=num(BUDGET_KWH), kg=num(SHARE * best.kg_per_m2_year),
                                                    share=percent(100 * SHARE)))
            plan = workspace.plan if workspace.plan_is_current() else None
            self._show_compare(plan)
            self.growth.show_crops(start_grown(), plan)
            self.months.show_months(plan)
            if not self.run_row.busy:
                if problems:
                    self.run_row.say(_("Bring every setpoint back into the model's range to grow the crop."))
                elif plan is None:
                    self.run_row.say(_("Press \"Grow the crop\" to see what these setpoints give."))
            self._show_tried()
        finally:
            self._updating = False

    def _show_compare(self, plan: Grown | None) -> None:
        start = start_grown().result
        mine = plan.result if plan is not None else None
        best = self.workspace.reference()

        def days(result: fm.FarmResult) -> str:
            return str(result.days_to_harvest) if result.days_to_harvest is not None else "–"

        rows = [
            (_("Days to harvest"), days),
            (_("Harvests a year"), lambda r: num(r.harvests_per_year, 1)),
            (_("Lettuce a year (kg per m²)"), lambda r: num(r.kg_per_m2_year, 1)),
            (_("Share of the search's best yield"), lambda r: percent(100 * r.kg_per_m2_year / best.kg_per_m2_year)),
            (_("Electricity a year (kWh)"), lambda r: num(r.kwh_per_year)),
            (_("of which the lights (kWh)"), lambda r: num(r.lighting_kwh)),
            (_("Electricity per kg (kWh)"), lambda r: num(r.kwh_per_kg, 1) if r.kg_per_m2_year else "–"),
            (_("Bottled CO2 a year (kg)"), lambda r: num(r.co2_kg_per_year)),
            (_("Budget"), budget_text),
        ]
        self.compare.setRowCount(len(rows))
        for index, (title, value) in enumerate(rows):
            self.compare.setItem(index, 0, cell(title))
            self.compare.setItem(index, 1, cell(value(start), numeric=True))
            self.compare.setItem(index, 2, cell(value(mine) if mine is not None else "–", numeric=True))
        fit_height(self.compare)
        flags = mine.flags if mine is not None else ()
        show_error(self.warnings, "\n".join(_(FLAG_TEXTS[f]) for f in flags))

    def _show_tried(self) -> None:
        results = list(reversed(self.workspace.tried_results()))  # the latest first
        self.tried.setRowCount(len(results))
        for index, result in enumerate(results):
            values = [(describe(result.setpoints), False), (num(result.harvests_per_year, 1), True),
                      (num(result.kg_per_m2_year, 1), True), (num(result.kwh_per_year), True),
                      (num(result.kwh_per_kg, 1) if result.kg_per_m2_year else "–", True), (budget_text(result), False)]
            for column, (text, numeric) in enumerate(values):
                self.tried.setItem(index, column, cell(text, numeric))
        self.tried.setVisible(bool(results))
        self.tried_title.setVisible(bool(results))
        fit_height(self.tried)
        self.reuse_button.setVisible(bool(results))
        self.reuse_button.setEnabled(bool(self.tried.selectedItems()))

    # --- editing and growing --------------------------------------------------------------------------------------

    def _typed(self, name: str, value: int) -> None:
        if self._updating or getattr(self.workspace.setpoints, name) == value:
            return
        self.workspace.set_setpoint(name, float(value))
        self.refresh()
        self.changed.emit()

    def set_value(self, name: str, value: int) -> None:
        """Type a setpoint into its box and leave it, as the learner does (for tests and previews)."""
        self.spins[name].setValue(value)

    def grow(self) -> None:
        try:
            job = self.workspace.plan_job()
        except ValueError:
            self.refresh()
            return
        self.run_row.start(job, self._grown, _("Grown: compare your setpoints with the starting ones."))

    def _grown(self, grown: Grown) -> None:
        self.workspace.set_plan(grown)
        self.refresh()
        self.changed.emit()
        self.grown.emit()

    def _tried_selected(self) -> None:
        self.reuse_button.setEnabled(bool(self.tried.selectedItems()))

    def reuse(self) -> None:
        row = self.tried.currentRow()
        results = list(reversed(self.workspace.tried_results()))
        if not 0 <= row < len(results) or not self.tried.selectedItems():
            return
        self.workspace.set_setpoints(results[row].setpoints)
        self.refresh()
        self.changed.emit()
