"""Task 1, "Forecast": the learner picks a forecaster and how many past days it uses; the tab scores it and the
seasonal-naive baseline on the last 40 complete weekdays and draws both against the simulated day's real counts.

Scoring a forecaster takes a few milliseconds (40 days of 24 hours) and is cached, so it runs on the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHeaderView, QLabel, QSpinBox, QVBoxLayout, QWidget

from app.core.formatting import date as format_date
from app.core.i18n import _
from labs.smart_city.traffic_lab import METHOD_TITLES, describe_forecast
from labs.smart_city.traffic_widgets.charts import ForecastChart
from labs.panel_widgets import bold, table
from labs.smart_city.traffic_widgets.common import cell, wrapping
from labs.smart_city.traffic_workspace import (METHODS, SAME_WEEKDAY_MEAN, SEASONAL_NAIVE, WINDOWS, ForecastChoice,
                                               TrafficWorkspace)


class ForecastTab(QWidget):
    changed = Signal()

    def __init__(self, workspace: TrafficWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("A responsive plan is timed on a forecast of the coming day's traffic, hour by "
                                    "hour. The counts are real: vehicles per hour on a motorway in Minnesota, which "
                                    "this lab scales to the district's streets. Each forecaster uses only the days "
                                    "before the day it forecasts.")))
        form = QFormLayout()
        self.method_combo = QComboBox()
        self.method_combo.setAccessibleName(_("Forecaster"))
        for method in METHODS:
            self.method_combo.addItem(_(METHOD_TITLES[method]), method)
        self.method_combo.currentIndexChanged.connect(lambda _i: self._method_chosen())
        form.addRow(_("Forecaster:"), self.method_combo)
        self.window_label = QLabel()
        self.window_spin = QSpinBox()
        self.window_spin.setKeyboardTracking(False)  # one change when the learner is done typing
        self.window_spin.setLocale(QLocale.c())  # digits stay 0-9 in every language, as in the table below
        self.window_spin.valueChanged.connect(lambda _v: self._window_changed())
        form.addRow(self.window_label, self.window_spin)
        layout.addLayout(form)
        layout.addWidget(bold(QLabel(_("Errors over the last 40 complete weekdays"))))
        self.scores = table(("", _("Your forecaster"), _("Baseline: the same hour one week earlier")),
                            _("Forecast errors, yours and the baseline's"))
        self.scores.setRowCount(3)
        for row, title in enumerate((_("Mean absolute error (vehicles per hour)"), _("Mean absolute percentage error"),
                                     # TRANSLATORS: the day of the 40 the forecaster got most wrong.
                                     _("Worst day"))):
            self.scores.setItem(row, 0, cell(title))
        header = self.scores.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.scores)
        self.method_note = wrapping()
        layout.addWidget(self.method_note)
        self.verdict = bold(wrapping())
        layout.addWidget(self.verdict)
        self.chart_title = bold(wrapping())
        layout.addWidget(self.chart_title)
        self.chart = ForecastChart()
        layout.addWidget(self.chart, 1)
        self.refresh()

    # --- showing ---------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            choice = self.workspace.forecast
            self.method_combo.setCurrentIndex(self.method_combo.findData(choice.method))
            low, high, _default = WINDOWS[choice.method]
            self.window_spin.setRange(low, high)
            self.window_spin.setValue(choice.window)
            self.window_spin.setEnabled(choice.method != SEASONAL_NAIVE)
            self.window_label.setText(_("Weeks to look back:") if choice.method == SAME_WEEKDAY_MEAN
                                      else _("Weekdays to look back:"))
            self.window_spin.setAccessibleName(self.window_label.text().rstrip(":"))
            self._show_scores()
        finally:
            self._updating = False

    def _show_scores(self) -> None:
        choice = self.workspace.forecast
        mine, baseline = self.workspace.score(), self.workspace.baseline()
        for column, found in enumerate((mine, baseline), start=1):
            worst = _("{day} ({mae} off)").format(day=format_date(found.worst_day), mae=f"{found.worst_mae:,.0f}") \
                if found.worst_day else "–"
            for row, (text, numeric) in enumerate(((f"{found.mae:,.1f}", True), (f"{found.mape:.1f}%", True),
                                                   (worst, False))):
                self.scores.setItem(row, column, cell(text, numeric))
        self.scores.resizeRowsToContents()
        self.scores.setFixedHeight(self.scores.horizontalHeader().height()
                                   + sum(self.scores.rowHeight(r) for r in range(3)) + 6)
        self.method_note.setText(_("Your forecaster: {method}.").format(method=describe_forecast(choice)))
        if choice.method == SEASONAL_NAIVE:
            self.verdict.setText(_("You are using the baseline itself: choose another forecaster to compare."))
        elif mine.mae < baseline.mae:
            self.verdict.setText(_("Yours makes {share} smaller errors than the baseline.").format(
                share=f"{1 - mine.mae / baseline.mae:.0%}"))
        else:
            self.verdict.setText(_("Yours is not better than the baseline yet."))
        day = self.workspace.day
        self.chart_title.setText(_("{date}, the day you simulate: the counts and the forecasts").format(
            date=format_date(day)))
        mine_counts = None if choice.method == SEASONAL_NAIVE else self.workspace.forecast_of(day)
        self.chart.show_day(self.workspace.history.day(day), mine_counts,
                            self.workspace.forecast_of(day, ForecastChoice(SEASONAL_NAIVE)))

    # --- editing ----------------------------------------------------------------------------------------------

    def _method_chosen(self) -> None:
        if self._updating:
            return
        method = self.method_combo.currentData()
        if method == self.workspace.forecast.method:
            return
        self._set(ForecastChoice.default(method))

    def _window_changed(self) -> None:
        if self._updating:
            return
        choice = self.workspace.forecast
        if self.window_spin.value() == choice.window:
            return
        self._set(ForecastChoice(choice.method, self.window_spin.value()))

    def _set(self, choice: ForecastChoice) -> None:
        self.workspace.set_forecast(choice)
        self.refresh()
        self.changed.emit()

    def choose(self, method: str, window: int | None = None) -> None:
        """Pick a forecaster through the widgets, as the learner does (for tests and previews)."""
        self.method_combo.setCurrentIndex(self.method_combo.findData(method))
        if window is not None:
            self.window_spin.setValue(window)
