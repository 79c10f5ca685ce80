"""Task 1, "Read a crop": the container, the starting setpoints, the crop grown with them (long work, on the task
runner), its growth curve and what it gives in a year; the learner works out the harvests a year and the kWh per
kg and types them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.core.i18n import _
from labs.panel_widgets import bold, table
from labs.smart_city.farm_lab import describe, num
from labs.smart_city.farm_widgets.charts import GrowthChart
from labs.smart_city.farm_widgets.common import (RunRow, cell, error_label, fit_height, fit_width, short_edit,
                                                 show_error, wrapping)
from labs.smart_city.farm_workspace import AREA_M2, START, FarmWorkspace, Grown, parse_number


def result_rows(grown: Grown) -> list[tuple[str, str]]:
    """What a grown crop gives, without the two numbers task 1 asks for."""
    result = grown.result
    days = result.days_to_harvest
    return [
        (_("Days from transplanting to harvest"), str(days) if days is not None else _("not reached in 120 days")),
        # TRANSLATORS: a weight in grams, e.g. "252 g".
        (_("Weight of a head at harvest"), _("{n} g").format(n=num(result.head_fw_g))),
        (_("Lettuce a year"), _("{n} kg per m²").format(n=num(result.kg_per_m2_year, 1))),
        # TRANSLATORS: an area in square metres, e.g. "50 m²".
        (_("Area under the lights"), _("{n} m²").format(n=num(AREA_M2))),
        # TRANSLATORS: electricity in kilowatt-hours, e.g. "12,167 kWh".
        (_("Electricity a year for the lights"), _("{n} kWh").format(n=num(result.lighting_kwh))),
        (_("Electricity a year for heating and cooling"), _("{n} kWh").format(n=num(result.hvac_kwh))),
        (_("Electricity a year for the fans and pumps"), _("{n} kWh").format(n=num(result.aux_kwh))),
        (_("Electricity a year in all"), _("{n} kWh").format(n=num(result.kwh_per_year))),
    ]


class ReadTab(QWidget):
    changed = Signal()
    grown = Signal()  # a crop's results are on screen

    def __init__(self, workspace: FarmWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("The farm is a 40-foot shipping container with four tiers of racks: {area} m² of "
                                    "lettuce under LED lights, 25 heads per m². Two-week-old seedlings are planted "
                                    "out, and each head is cut when it weighs 250 g. A heat pump holds the "
                                    "temperature; the lights, the heat pump and the fans and pumps all run on "
                                    "electricity. The crop grows as Van Henten's crop model says it does.").format(
            area=num(AREA_M2))))
        layout.addWidget(bold(wrapping(_("Starting setpoints, a greenhouse habit: {setpoints}.").format(
            setpoints=describe(START)))))
        self.run_row = RunRow(host, _("Grow the crop"), _("Growing the crop"))
        self.run_row.button.clicked.connect(self.grow)
        layout.addWidget(self.run_row)
        self.chart = GrowthChart(mine=False)
        layout.addWidget(self.chart)
        # TRANSLATORS: column heading: the number each row of the table gives (days, grams, kWh).
        self.results = table((_("What the starting setpoints give"), _("Value")), _("What the starting setpoints "
                                                                                     "give"))
        layout.addWidget(self.results)
        layout.addWidget(bold(wrapping(_("Work out and type:"))))
        form = QFormLayout()
        self.harvests_edit, self.harvests_error = self._answer_field(
            form, _("Harvests a year:"), _("for example 7.5"), "harvests")
        self.kwh_edit, self.kwh_error = self._answer_field(
            form, _("Electricity per kg of lettuce (kWh):"), _("for example 9.5"), "kwh_per_kg")
        layout.addLayout(form)
        layout.addStretch(1)
        self.refresh()

    def _answer_field(self, form: QFormLayout, prompt: str, example: str, key: str) -> tuple[QLineEdit, QLabel]:
        edit = QLineEdit()
        edit.setPlaceholderText(example)
        edit.setAccessibleName(prompt.rstrip(":"))
        edit.editingFinished.connect(lambda: self._typed(key, edit, error))
        error = error_label()
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(short_edit(edit))
        column.addWidget(error)
        holder = QWidget()
        holder.setLayout(column)
        form.addRow(QLabel(prompt), holder)
        return edit, error

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            grown = self.workspace.baseline
            self.chart.show_crops(grown)
            rows = result_rows(grown) if grown is not None else []
            self.results.setRowCount(len(rows))
            for index, (title, value) in enumerate(rows):
                self.results.setItem(index, 0, cell(title))
                self.results.setItem(index, 1, cell(value, numeric=True))
            self.results.setVisible(grown is not None)
            fit_width(self.results)
            fit_height(self.results)
            if grown is None and not self.run_row.busy:
                self.run_row.say(_("Press \"Grow the crop\" to plant the starting setpoints and watch them grow."))
            for key, edit, error in (("harvests", self.harvests_edit, self.harvests_error),
                                     ("kwh_per_kg", self.kwh_edit, self.kwh_error)):
                text = self.workspace.answers.get(key, "")
                if edit.text() != text:
                    edit.setText(text)
                self._show_problem(text, error)
        finally:
            self._updating = False

    @staticmethod
    def _show_problem(text: str, error: QLabel) -> None:
        show_error(error, "" if not text or parse_number(text) is not None else
                   _("\"{text}\" is not a number: type digits, for example 6.5.").format(text=text))

    # --- growing and answering ------------------------------------------------------------------------------------

    def grow(self) -> None:
        self.run_row.start(self.workspace.baseline_job(), self._grown, _("Grown: read the curve and the table."))

    def _grown(self, grown: Grown) -> None:
        self.workspace.set_baseline(grown)
        self.refresh()
        self.changed.emit()
        self.grown.emit()

    def _typed(self, key: str, edit: QLineEdit, error: QLabel) -> None:
        if self._updating:
            return
        text = edit.text().strip()
        self._show_problem(text, error)
        if text == self.workspace.answers.get(key, ""):
            return
        self.workspace.set_answer(key, text)
        self.changed.emit()

