"""Task 2, "Alert": the cost of a missed very bad day (counted in false alarms) and the alert threshold; the sweep
of false alarms, misses and cost over the thresholds for 2013 (the tuning year) or 2014 (the test year); and the
counts at the learner's threshold in both years beside an alert at the band's edge.

Every number comes from the fitted run's sweeps and one count at the learner's threshold: arithmetic on a few
hundred days, so it runs on the GUI thread as the learner types.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHeaderView, QVBoxLayout, QWidget

from app.core.i18n import _
from labs.panel_widgets import bold, table
from labs.smart_city.air.data import VERY_BAD
from labs.smart_city.air_lab import describe, level_text, num
from labs.smart_city.air_widgets.charts import SweepChart
from labs.smart_city.air_widgets.common import cell, fit_height, number_box, wrapping
from labs.smart_city.air_workspace import (MISS_COST_RANGE, TEST, TEST_YEAR, THRESHOLD_RANGE, TUNE, TUNE_YEAR,
                                           VERY_BAD_LEVEL, AirWorkspace, cost)


class AlertTab(QWidget):
    changed = Signal()

    def __init__(self, workspace: AirWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("The alert goes out the evening before when the forecast for tomorrow reaches "
                                    "your threshold. It is meant for very bad days: a daily mean of 76 µg/m³ or more, "
                                    "Korea's band. Each false alarm costs 1; a missed very bad day costs what you "
                                    "decide. The threshold is chosen on 2013 with the forecaster fitted on "
                                    "2010–2012, then tested on 2014.")))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.miss_cost_box = number_box(*MISS_COST_RANGE, 0.5, 1,
                                        _("Cost of one missed very bad day, counted in false alarms"))
        self.miss_cost_box.valueChanged.connect(lambda _v: self._miss_cost_typed())
        form.addRow(_("Cost of one missed very bad day, counted in false alarms:"), self.miss_cost_box)
        self.threshold_box = number_box(*THRESHOLD_RANGE, 2.5, 1, _("Alert threshold, in µg/m³"))
        self.threshold_box.valueChanged.connect(lambda _v: self._threshold_typed())
        form.addRow(_("Alert when tomorrow's forecast reaches (µg/m³):"), self.threshold_box)
        self.year_combo = QComboBox()
        self.year_combo.setAccessibleName(_("Year shown on the chart"))
        self.year_combo.addItem(_("{year}, the tuning year").format(year=TUNE_YEAR), TUNE)
        self.year_combo.addItem(_("{year}, the test year").format(year=TEST_YEAR), TEST)
        self.year_combo.currentIndexChanged.connect(lambda _i: self._show_chart())
        form.addRow(_("Chart of:"), self.year_combo)
        layout.addLayout(form)
        self.note = wrapping()
        layout.addWidget(self.note)
        self.chart_title = bold(wrapping())
        layout.addWidget(self.chart_title)
        self.chart = SweepChart()
        layout.addWidget(self.chart, 1)
        layout.addWidget(bold(wrapping(_("What the alert does"))))
        self.table = table(("", _("Alerts"), _("Very bad days warned of"), _("False alarms"), _("Missed very bad days"),
                            # TRANSLATORS: column heading: days with no alert that were not very bad (correct).
                            _("Quiet days"), _("Cost")), _("What the alert does in each year"))
        self.table.setRowCount(3)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        layout.addWidget(self.table)
        self.summary = wrapping()
        self.summary.setAccessibleName(_("The alert in 2014"))
        layout.addWidget(self.summary)
        self.refresh()

    # --- showing -------------------------------------------------------------------------------------------------

    def _ready(self) -> bool:
        run = self.workspace.run
        return run is not None and self.workspace.run_is_current() and run.ordered

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            if self.miss_cost_box.value() != workspace.miss_cost:
                self.miss_cost_box.setValue(workspace.miss_cost)
            if self.threshold_box.value() != workspace.threshold:
                self.threshold_box.setValue(workspace.threshold)
            ready = self._ready()
            for widget in (self.miss_cost_box, self.threshold_box, self.year_combo):
                widget.setEnabled(ready)
            if workspace.run is None or not workspace.run_is_current():
                self.note.setText(_("Fit and test a forecaster in \"1. Forecast\" first: the alert is set on its "
                                    "forecasts."))
            elif not ready:
                self.note.setText(_("Your forecaster was tested at random, so there is no tuning year: test it by "
                                    "time in \"1. Forecast\"."))
            else:
                self.note.setText(_("Forecaster: {method}.").format(method=describe(workspace.forecast)))
            self._show_chart()
            self._show_table()
        finally:
            self._updating = False

    def _show_chart(self) -> None:
        which = self.year_combo.currentData()
        year = TUNE_YEAR if which == TUNE else TEST_YEAR
        self.chart_title.setText(_("{year}: false alarms, misses and cost for every threshold").format(year=year))
        if not self._ready():
            self.chart.show_sweep(None, 1, self.workspace.threshold)
            return
        self.chart.show_sweep(self.workspace.run.sweeps[(which, VERY_BAD_LEVEL)], self.workspace.miss_cost,
                              self.workspace.threshold)

    def _show_table(self) -> None:
        workspace = self.workspace
        rows = (_("{year}, the tuning year, at your threshold").format(year=TUNE_YEAR),
                _("{year}, the test year, at your threshold").format(year=TEST_YEAR),
                _("{year}, alerting at the band's edge ({edge} µg/m³)").format(year=TEST_YEAR,
                                                                               edge=level_text(VERY_BAD)))
        ready = self._ready()
        for row, title in enumerate(rows):
            self.table.setItem(row, 0, cell(title))
            counts = None
            if ready:
                counts = (workspace.counts(TUNE), workspace.counts(TEST), workspace.counts(TEST, VERY_BAD))[row]
            values = ("–",) * 6 if counts is None else (
                num(counts.hits + counts.false_alarms), num(counts.hits), num(counts.false_alarms),
                num(counts.misses), num(counts.quiet), level_text(cost(counts, workspace.miss_cost)))
            for column, text in enumerate(values, start=1):
                self.table.setItem(row, column, cell(text, True))
        fit_height(self.table)
        if not ready:
            self.summary.setText("")
            return
        test = workspace.counts(TEST)
        self.summary.setText(_("In {year}, with your threshold, the alert would have warned of {hits} of the {bad} "
                               "very bad days and gone out on {false_alarms} days that were not very bad.").format(
            year=TEST_YEAR, hits=num(test.hits), bad=num(test.hits + test.misses),
            false_alarms=num(test.false_alarms)))

    # --- editing -----------------------------------------------------------------------------------------------------

    def _miss_cost_typed(self) -> None:
        if self._updating or self.miss_cost_box.value() == self.workspace.miss_cost:
            return
        self.workspace.set_miss_cost(self.miss_cost_box.value())
        self._after_change()

    def _threshold_typed(self) -> None:
        if self._updating or self.threshold_box.value() == self.workspace.threshold:
            return
        self.workspace.set_threshold(self.threshold_box.value())
        self._after_change()

    def _after_change(self) -> None:
        self._updating = True
        try:
            self._show_chart()
            self._show_table()
        finally:
            self._updating = False
        self.changed.emit()

    def set_values(self, miss_cost: float | None = None, threshold: float | None = None) -> None:
        """Type the cost of a miss and the threshold, as the learner does (for tests and previews)."""
        if miss_cost is not None:
            self.miss_cost_box.setValue(miss_cost)
        if threshold is not None:
            self.threshold_box.setValue(threshold)
