"""Task 2, "Fixed plan": the demand the plan is designed for, and for each junction the numbers Webster's method
needs (the design hour, the flow ratios y of both phases, Y, the lost time L) beside a box for the cycle the
learner works out. The greens and the degree of saturation follow from the typed cycle at once, so the learner sees
what a cycle does before the day is simulated.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QButtonGroup, QRadioButton, QSpinBox, QVBoxLayout, QWidget

from app.core.formatting import isolated
from app.core.i18n import _
from labs.smart_city.traffic_lab import hours_text, junction_name, webster_formula
from labs.panel_widgets import bold, table
from labs.smart_city.traffic_widgets.common import cell, error_label, wrapping
from labs.smart_city.traffic_workspace import AVERAGE, PEAK, TrafficWorkspace, saturation_at

CYCLE_COLUMN = 6
LATIN_DIGITS = QLocale.c()


class FixedTab(QWidget):
    changed = Signal()

    def __init__(self, workspace: TrafficWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        district = workspace.district
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("A fixed plan runs the same timing all day at each junction. Design it for the "
                                    "traffic of a typical weekday (the median of 484 weekdays), then type each "
                                    "junction's cycle in whole seconds.")))
        self.peak_radio = QRadioButton(_("Design each junction for its peak hour (its busiest hour)"))
        self.average_radio = QRadioButton(_("Design each junction for the day's average hour"))
        self.basis_group = QButtonGroup(self)
        for radio in (self.peak_radio, self.average_radio):
            radio.setAccessibleName(radio.text())
            self.basis_group.addButton(radio)
            layout.addWidget(radio)
        self.basis_group.buttonToggled.connect(lambda _b, checked: checked and self._basis_chosen())
        formula = bold(wrapping(_("Webster's optimum cycle: {formula}. The city runs cycles from {low} s to {high} s: "
                                  "outside that, use the nearest limit.").format(
            formula=webster_formula(), low=f"{district.min_cycle:g}", high=f"{district.max_cycle:g}")))
        layout.addWidget(formula)
        self.table = table((
            _("Junction"),
            # TRANSLATORS: column heading: the hour of the typical weekday the junction is designed for.
            _("Design hour"),
            # TRANSLATORS: column heading: Webster's flow ratio y = q / s of the north-south phase; keep the "y".
            _("y north–south"),
            # TRANSLATORS: column heading: Webster's flow ratio y = q / s of the east-west phase; keep the "y".
            _("y east–west"),
            # TRANSLATORS: column heading: Webster's Y, the sum of the two phases' flow ratios; usually kept as "Y".
            _("Y"),
            _("Lost time L (s)"), _("Your cycle (s)"),
            # TRANSLATORS: column heading: the effective green times of the two phases, in seconds.
            _("Greens (s)"),
            _("Degree of saturation at the design hour")), _("Webster's method, junction by junction"))
        self.table.setRowCount(len(district.intersections))
        self.cycle_spins: dict[str, QSpinBox] = {}
        for row, junction in enumerate(district.intersections):
            spin = QSpinBox()
            spin.setRange(0, 999)
            spin.setSpecialValueText("–")  # 0: not typed yet
            spin.setKeyboardTracking(False)
            spin.setLocale(LATIN_DIGITS)  # digits stay 0-9 in every language, as in the table beside it
            spin.setAccessibleName(_("Cycle for {junction}, in seconds").format(junction=junction_name(junction.id)))
            spin.valueChanged.connect(lambda value, j=junction.id: self._cycle_typed(j, value))
            self.cycle_spins[junction.id] = spin
            self.table.setCellWidget(row, CYCLE_COLUMN, spin)
        self.table.currentCellChanged.connect(lambda row, *_args: self._show_worked(row))
        layout.addWidget(self.table)
        self.worked = wrapping()
        self.worked.setAccessibleName(_("Webster's formula with this junction's numbers"))
        layout.addWidget(self.worked)
        self.problems = error_label()
        layout.addWidget(self.problems)
        layout.addStretch(1)
        self.refresh()

    # --- showing ---------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            (self.peak_radio if self.workspace.basis == PEAK else self.average_radio).setChecked(True)
            rows = self.workspace.design_rows()
            timings = self.workspace.timings()
            problems = []
            for index, row in enumerate(rows):
                junction = row.intersection
                # TRANSLATORS: in the "Design hour" column when the plan is designed for the day's average hour.
                hour = hours_text(row.hour) if row.hour is not None else _("average hour")
                cycle = self.workspace.cycles.get(junction)
                timing = timings[junction]
                texts = [(junction_name(junction), False), (hour, False), (f"{row.ratios[0]:.3f}", True),
                         (f"{row.ratios[1]:.3f}", True), (f"{row.flow_ratio_sum:.3f}", True),
                         (f"{row.lost_time:g}", True)]
                for column, (text, numeric) in enumerate(texts):
                    self.table.setItem(index, column, cell(text, numeric))
                spin = self.cycle_spins[junction]
                spin.setValue(int(round(cycle)) if cycle else 0)
                if timing is not None:
                    greens = isolated(" / ".join(f"{g:.1f}" for g in timing.greens))  # north-south first
                    x = saturation_at(self.workspace.district, row, timing)
                    saturation = f"{x:.2f}" if x < 1 else _("{x}: over capacity").format(x=f"{x:.2f}")
                else:
                    greens = saturation = "–"
                    if cycle:
                        problems.append(_("{junction}: a {cycle} s cycle leaves no room for two greens of at least "
                                          "{green} s after {lost} s of lost time.").format(
                            junction=junction_name(junction), cycle=f"{cycle:g}",
                            green=f"{self.workspace.district.min_green:g}", lost=f"{row.lost_time:g}"))
                self.table.setItem(index, CYCLE_COLUMN + 1, cell(greens, True))
                self.table.setItem(index, CYCLE_COLUMN + 2, cell(saturation, True))
            self.table.resizeColumnsToContents()
            self.table.resizeRowsToContents()
            self.table.setFixedHeight(self.table.horizontalHeader().height()
                                      + sum(self.table.rowHeight(r) for r in range(len(rows))) + 6)
            self.problems.setText("\n".join(problems))
            self.problems.setVisible(bool(problems))
            self._show_worked(max(0, self.table.currentRow()))
        finally:
            self._updating = False

    def _show_worked(self, index: int) -> None:
        rows = self.workspace.design_rows()
        if not 0 <= index < len(rows):
            return
        row = rows[index]
        self.worked.setText(_("{junction}: {sum}, so {formula}.").format(
            junction=junction_name(row.intersection),
            sum=isolated(f"Y = {row.ratios[0]:.3f} + {row.ratios[1]:.3f} = {row.flow_ratio_sum:.3f}"),
            formula=webster_formula(row.lost_time, row.flow_ratio_sum)))

    # --- editing ----------------------------------------------------------------------------------------------

    def _basis_chosen(self) -> None:
        if self._updating:
            return
        basis = PEAK if self.peak_radio.isChecked() else AVERAGE
        if basis == self.workspace.basis:
            return
        self.workspace.set_basis(basis)
        self.refresh()
        self.changed.emit()

    def _cycle_typed(self, junction_id: str, value: int) -> None:
        if self._updating:
            return
        cycle = float(value) if value > 0 else None
        if self.workspace.cycles.get(junction_id) == cycle:
            return
        self.workspace.set_cycle(junction_id, cycle)
        self.refresh()
        self.changed.emit()

    def type_cycle(self, junction_id: str, value: int) -> None:
        """Type a cycle into a junction's box and leave it, as the learner does (for tests and previews)."""
        self.cycle_spins[junction_id].setValue(value)
