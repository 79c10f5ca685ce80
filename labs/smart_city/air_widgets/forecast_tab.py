"""Task 1, "Forecast": the learner picks a forecaster, the ridge regression's inputs and how it is tested, and
fits it (long work, on the task runner); the tab shows its errors beside persistence's, every forecaster tried so
far, and the test days' forecasts against the actual PM2.5.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import get_month_names

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from app.core.formatting import isolated
from app.core.i18n import _, current_locale
from app.ui.widgets import button
from labs.panel_widgets import bold, table
from labs.smart_city.air_lab import INPUT_TITLES, MODEL_TITLES, SPLIT_TITLES, describe, num, share, signed
from labs.smart_city.air_widgets.charts import ForecastChart
from labs.smart_city.air_widgets.common import cell, error_label, fit_height, wrapping
from labs.smart_city.air_workspace import (INPUTS, MIN_SKILL, MODELS, PERSISTENCE, RIDGE, SPLITS,
                                           TIME_SPLIT, AirWorkspace, ForecastChoice, ForecastRun)


class ForecastTab(QWidget):
    changed = Signal()
    fitted = Signal()  # a fit's results are on screen

    def __init__(self, workspace: AirWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        self.busy = False
        self.task = None
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("Every evening the city forecasts tomorrow's daily mean of PM2.5, the fine dust "
                                    "that harms lungs and hearts. The data are real: the PM2.5 measured in Beijing "
                                    "and the weather at its airport, every day from 2010 to 2014. A forecast may use "
                                    "only what is known that evening, and a weather forecast for tomorrow.")))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName(_("Forecaster"))
        for model in MODELS:
            self.model_combo.addItem(_(MODEL_TITLES[model]), model)
        self.model_combo.currentIndexChanged.connect(lambda _i: self._choice_changed())
        form.addRow(_("Forecaster:"), self.model_combo)
        inputs = QVBoxLayout()
        inputs.setContentsMargins(0, 0, 0, 0)
        self.input_boxes: dict[str, QCheckBox] = {}
        for input_id in INPUTS:
            box = QCheckBox(_(INPUT_TITLES[input_id]))
            box.setAccessibleName(_(INPUT_TITLES[input_id]))
            box.toggled.connect(lambda _checked: self._choice_changed())
            self.input_boxes[input_id] = box
            inputs.addWidget(box)
        self.inputs_label = QLabel(_("Inputs of the ridge regression:"))
        form.addRow(self.inputs_label, inputs)
        self.inputs_error = error_label()
        form.addRow("", self.inputs_error)
        self.split_combo = QComboBox()
        self.split_combo.setAccessibleName(_("How the forecaster is tested"))
        for split in SPLITS:
            self.split_combo.addItem(_(SPLIT_TITLES[split]), split)
        self.split_combo.currentIndexChanged.connect(lambda _i: self._choice_changed())
        form.addRow(_("Test:"), self.split_combo)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.fit_button = button(_("Fit and test"), self.fit, primary=True)
        row.addWidget(self.fit_button)
        self.status = wrapping()
        self.status.setAccessibleName(_("Fit status"))
        row.addWidget(self.status, 1)
        layout.addLayout(row)

        self.errors_title = bold(wrapping())
        layout.addWidget(self.errors_title)
        self.scores = table(("", _("Your forecaster"), _("Persistence: tomorrow like today")),
                            _("Forecast errors, yours and persistence's"))
        titles = (_("Mean absolute error (µg/m³)"), _("Root mean square error (µg/m³)"),
                  # TRANSLATORS: a row of the errors table: the forecast minus the actual PM2.5, averaged over days.
                  _("Bias: forecast minus actual, on average (µg/m³)"), _("Smaller errors than persistence"))
        self.scores.setRowCount(len(titles))
        for row_index, title in enumerate(titles):
            self.scores.setItem(row_index, 0, cell(title))
        header = self.scores.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.scores)
        self.verdict = bold(wrapping())
        layout.addWidget(self.verdict)
        self.chart_title = bold(wrapping())
        layout.addWidget(self.chart_title)
        period = QFormLayout()
        period.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.period_combo = QComboBox()
        self.period_combo.setAccessibleName(_("Part of the year shown on the chart"))
        self.period_combo.addItem(_("The whole year"), None)
        months = get_month_names("wide", locale=current_locale())
        for first in (1, 4, 7, 10):
            # TRANSLATORS: a quarter of the year on the chart, e.g. "January to March".
            self.period_combo.addItem(_("{first} to {last}").format(first=months[first], last=months[first + 2]),
                                      first)
        self.period_combo.currentIndexChanged.connect(lambda _i: self._show_period())
        period.addRow(_("Show:"), self.period_combo)
        layout.addLayout(period)
        self.chart = ForecastChart()
        layout.addWidget(self.chart, 1)
        self.tried_title = bold(wrapping(_("The forecasters you tried")))
        layout.addWidget(self.tried_title)
        self.tried = table((_("Forecaster"), _("Test"), _("Mean absolute error (µg/m³)"),
                            _("Smaller errors than persistence")), _("The forecasters you tried"))
        self.tried.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tried.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.tried)
        self.refresh()

    # --- showing ---------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            choice = self.workspace.forecast
            self.model_combo.setCurrentIndex(self.model_combo.findData(choice.model))
            for input_id, box in self.input_boxes.items():
                box.setChecked(input_id in choice.inputs)
                box.setEnabled(choice.model == RIDGE and not self.busy)
            self.split_combo.setCurrentIndex(self.split_combo.findData(choice.split))
            for widget in (self.model_combo, self.split_combo):
                widget.setEnabled(not self.busy)
            self.inputs_error.setText(_("Tick at least one input: a ridge regression needs something to learn "
                                        "from.") if not choice.ready else "")
            self.inputs_error.setVisible(not choice.ready)
            self.fit_button.setEnabled(choice.ready and not self.busy)
            run = self.workspace.run if self.workspace.run_is_current() else None
            if not self.busy:
                self._status("" if run is not None else _("Press \"Fit and test\" to see how your forecaster does."))
            self._show_run(run)
            self._show_tried()
        finally:
            self._updating = False

    def _show_run(self, run: ForecastRun | None) -> None:
        ordered = run is None or run.ordered
        self.errors_title.setText(_("Errors on 2014, fitted on 2010–2013") if ordered else
                                  _("Errors on the 355 random days, fitted on all the other days"))
        if run is None:
            for row in range(self.scores.rowCount()):
                for column in (1, 2):
                    self.scores.setItem(row, column, cell("–", True))
            self.verdict.setText("")
            self.chart_title.setText(_("The test days: actual PM2.5 and the forecasts"))
            self.chart.show_days(None)
            fit_height(self.scores)
            return
        for column, errors in ((1, run.errors), (2, run.baseline)):
            values = (num(errors.mae, 1), num(errors.rmse, 1), isolated(signed(errors.bias, 1)), share(errors.skill))
            for row, text in enumerate(values):
                self.scores.setItem(row, column, cell(text, True))
        fit_height(self.scores)
        if run.choice.model == PERSISTENCE:
            self.verdict.setText(_("You are testing the baseline itself: choose another forecaster to compare."))
        elif run.errors.skill >= MIN_SKILL:
            self.verdict.setText(_("Yours makes {share} smaller errors than persistence.").format(
                share=share(run.errors.skill)))
        elif run.errors.skill > 0:
            self.verdict.setText(_("Yours makes only {share} smaller errors than persistence: the task asks for at "
                                   "least {target}.").format(share=share(run.errors.skill), target=share(MIN_SKILL)))
        else:
            self.verdict.setText(_("Yours makes larger errors than persistence."))
        self.chart_title.setText(_("2014, day by day: the actual PM2.5 and the forecasts") if run.ordered else
                                 _("The 355 random test days: the actual PM2.5 and your forecast"))
        test = run.test
        self.period_combo.setEnabled(run.ordered)
        self.chart.show_days(test.dates, test.actual, test.forecast, test.persistence, self._span())

    def _span(self) -> tuple[dt.date, dt.date] | None:
        run = self.workspace.run
        first = self.period_combo.currentData()
        if first is None or run is None or not run.ordered:
            return None
        year = run.test.dates[0].year
        last = dt.date(year, 12, 31) if first == 10 else dt.date(year, first + 3, 1) - dt.timedelta(days=1)
        return dt.date(year, first, 1), last

    def _show_period(self) -> None:
        self.chart.show_span(self._span())

    def _show_tried(self) -> None:
        tried = self.workspace.tried
        self.tried.setRowCount(len(tried))
        for row, choice in enumerate(tried):
            run = self.workspace.result_of(choice)
            # TRANSLATORS: the "Test" column of the tried forecasters: tested on 2014 ("by time") or at random.
            test = _("by time") if choice.split == TIME_SPLIT else _("at random")
            for column, (text, numeric) in enumerate(((describe(choice), False), (test, False),
                                                      (num(run.errors.mae, 1), True),
                                                      (share(run.errors.skill), True))):
                self.tried.setItem(row, column, cell(text, numeric))
        self.tried.setVisible(bool(tried))
        self.tried_title.setVisible(bool(tried))
        fit_height(self.tried)

    def _status(self, text: str) -> None:
        self.status.setText(text)

    # --- editing and fitting -------------------------------------------------------------------------------------

    def _choice_changed(self) -> None:
        if self._updating:
            return
        inputs = tuple(i for i, box in self.input_boxes.items() if box.isChecked())
        choice = ForecastChoice(self.model_combo.currentData(), inputs, self.split_combo.currentData())
        if choice == self.workspace.forecast:
            return
        self.workspace.set_forecast(choice)
        self.refresh()
        self.changed.emit()

    def choose(self, model: str, inputs=(), split: str = TIME_SPLIT) -> None:
        """Pick a forecaster through the widgets, as the learner does (for tests and previews)."""
        self.model_combo.setCurrentIndex(self.model_combo.findData(model))
        for input_id, box in self.input_boxes.items():
            box.setChecked(input_id in inputs)
        self.split_combo.setCurrentIndex(self.split_combo.findData(split))

    def fit(self) -> None:
        if self.busy:
            return
        try:
            job = self.workspace.fit_job()
        except ValueError:
            self.refresh()
            return
        self.busy = True
        self._status(_("Fitting and testing…"))
        self.refresh()
        self.task = self.host.run(job, self._fitted, _("Fitting the forecaster"), on_error=self._failed,
                                  on_cancel=self._cancelled)

    def _fitted(self, run: ForecastRun) -> None:
        self.busy, self.task = False, None
        if run.choice != self.workspace.forecast:  # the choice changed while it ran (not possible from the widgets)
            self.refresh()
            return
        self.workspace.set_run(run)
        self.refresh()
        self._status(_("Fitted and tested."))
        self.changed.emit()
        self.fitted.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy, self.task = False, None
        self.refresh()
        self._status(_("The forecaster could not be fitted: {reason}").format(reason=error))

    def _cancelled(self) -> None:
        self.busy, self.task = False, None
        self.refresh()
        self._status(_("The fit was cancelled."))
