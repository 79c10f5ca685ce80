"""Task 3, "Search": the computer's grid search over every budget, with bottled CO2 or without (long work, on the
task runner, with progress and Cancel), the harvests a year it finds for each budget on a chart against the
vendor's 13, the best plan of each budget in a table, and the learner's two answers.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QHeaderView, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.core.i18n import _, ngettext
from labs.panel_widgets import bold, table
from labs.smart_city.farm import farm as fm
from labs.smart_city.farm_lab import describe, num
from labs.smart_city.farm_widgets.charts import SweepChart
from labs.smart_city.farm_widgets.common import (RunRow, cell, error_label, fit_height, short_edit, show_error,
                                                 wrapping)
from labs.smart_city.farm_workspace import SWEEP_BUDGETS, FarmWorkspace, grid_size, parse_number


class SearchTab(QWidget):
    changed = Signal()
    searched = Signal()  # a search's results are on screen

    def __init__(self, workspace: FarmWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        layout = QVBoxLayout(self)
        grid = fm.GRID
        layout.addWidget(wrapping(_("An \"AI\" that sets a farm's climate does, in essence, what the computer does "
                                    "here: it tries combinations of setpoints on a crop model and keeps the best one "
                                    "that fits. The computer tries {ppfd} light levels, {hours} day lengths, {temps} "
                                    "day temperatures (nights {drop} °C cooler) and {co2} CO2 levels, skips what "
                                    "lettuce does not tolerate, and for every budget from {low} to {high} kWh a year "
                                    "keeps the plan with the most kg of lettuce per m².").format(
            ppfd=len(grid["ppfd"]), hours=len(grid["photoperiod"]), temps=len(grid["temp_day"]),
            drop=num(fm.NIGHT_DROP), co2=len(grid["co2_ppm"]), low=num(min(SWEEP_BUDGETS)),
            high=num(max(SWEEP_BUDGETS)))))
        self.co2_box = QCheckBox(_("Bottled CO2 (without it the crop gets the outdoor air's 420 ppm)"))
        self.co2_box.setAccessibleName(_("Bottled CO2"))
        self.co2_box.toggled.connect(self._co2_toggled)
        layout.addWidget(self.co2_box)
        self.run_row = RunRow(host, _("Search every budget"), _("Searching every budget"))
        self.run_row.button.clicked.connect(self.search)
        layout.addWidget(self.run_row)
        self.chart = SweepChart()
        layout.addWidget(self.chart)
        self.table_title = bold(wrapping())
        layout.addWidget(self.table_title)
        self.table = table((_("Budget (kWh a year)"), _("Best setpoints"), _("Days to harvest"), _("Harvests a year"),
                            _("kg per m² a year"), _("kWh used"), _("kWh per kg")),
                           _("The best plan for each budget"))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.table)
        layout.addWidget(bold(wrapping(_("The vendor promises 13 harvests a year. What is the smallest budget whose "
                                         "best plan reaches 13?"))))
        form = QFormLayout()
        self.answer_edits: dict[str, QLineEdit] = {}
        self.answer_errors: dict[str, QLabel] = {}
        for key, prompt in (("budget_co2", _("With bottled CO2 (kWh a year):")),
                            ("budget_no_co2", _("Without bottled CO2 (kWh a year):"))):
            edit = QLineEdit()
            edit.setPlaceholderText(_("for example {budget}").format(budget=num(55_000)))
            edit.setAccessibleName(_("Smallest budget for 13 harvests a year: {which}").format(
                which=prompt.rstrip(":")))
            error = error_label()
            edit.editingFinished.connect(lambda k=key, e=edit, r=error: self._typed(k, e, r))
            column = QVBoxLayout()
            column.setContentsMargins(0, 0, 0, 0)
            column.addLayout(short_edit(edit))
            column.addWidget(error)
            form.addRow(QLabel(prompt), column)
            self.answer_edits[key], self.answer_errors[key] = edit, error
        layout.addLayout(form)
        layout.addStretch(1)
        self.refresh()

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            self.co2_box.setChecked(workspace.sweep_co2)
            self.chart.show_sweeps(workspace.sweeps)
            found = workspace.sweeps.get(workspace.sweep_co2)
            if found is None:
                self.table_title.setText("")
                self.table.setRowCount(0)
                self.table.setVisible(False)
                if not self.run_row.busy:
                    points = grid_size(workspace.sweep_co2)
                    self.run_row.say(ngettext("Press \"Search every budget\": the computer tries {n} plan and keeps "
                                              "the best for each budget.",
                                              "Press \"Search every budget\": the computer tries {n} plans and keeps "
                                              "the best for each budget.", points).format(n=num(points)))
            else:
                self.table_title.setText(_("The best plan for each budget, with bottled CO2") if workspace.sweep_co2
                                         else _("The best plan for each budget, without bottled CO2"))
                self._show_table(found)
            for key, edit in self.answer_edits.items():
                text = workspace.answers.get(key, "")
                if edit.text() != text:
                    edit.setText(text)
                self._show_problem(text, self.answer_errors[key])
        finally:
            self._updating = False

    def _show_table(self, found: dict[float, fm.FarmResult | None]) -> None:
        budgets = sorted(found)
        self.table.setRowCount(len(budgets))
        for row, budget in enumerate(budgets):
            best = found[budget]
            if best is None:
                values = [(num(budget), True), (_("nothing fits this budget"), False)] + [("–", True)] * 5
            else:
                values = [(num(budget), True), (describe(best.setpoints), False),
                          (str(best.days_to_harvest), True), (num(best.harvests_per_year, 1), True),
                          (num(best.kg_per_m2_year, 1), True), (num(best.kwh_per_year), True),
                          (num(best.kwh_per_kg, 1), True)]
            for column, (text, numeric) in enumerate(values):
                self.table.setItem(row, column, cell(text, numeric))
        self.table.setVisible(True)
        fit_height(self.table)

    @staticmethod
    def _show_problem(text: str, error: QLabel) -> None:
        show_error(error, "" if not text or parse_number(text) is not None else
                   _("\"{text}\" is not a number: type a budget in kWh, for example {budget}.").format(
                       text=text, budget=num(55_000)))

    # --- searching and answering ----------------------------------------------------------------------------------

    def _co2_toggled(self, checked: bool) -> None:
        if self._updating or checked == self.workspace.sweep_co2:
            return
        self.workspace.set_sweep_co2(checked)
        self.refresh()
        self.changed.emit()

    def search(self) -> None:
        co2 = self.workspace.sweep_co2
        self.co2_box.setEnabled(False)
        self.run_row.start(self.workspace.sweep_job(co2), lambda found: self._searched(co2, found),
                           _("Searched: read the chart and the table."))
        if not self.run_row.busy:
            self.co2_box.setEnabled(True)
        else:
            self.run_row.finished.connect(self._ended)

    def _ended(self) -> None:
        self.run_row.finished.disconnect(self._ended)
        self.co2_box.setEnabled(True)

    def _searched(self, co2: bool, found: dict[float, fm.FarmResult | None]) -> None:
        self.workspace.set_sweep(co2, found)
        self.refresh()
        self.changed.emit()
        self.searched.emit()

    def _typed(self, key: str, edit: QLineEdit, error: QLabel) -> None:
        if self._updating:
            return
        text = edit.text().strip()
        self._show_problem(text, error)
        if text == self.workspace.answers.get(key, ""):
            return
        self.workspace.set_answer(key, text)
        self.changed.emit()

