"""Task 1, "Forecast": the learner chooses a load model and fits it (long work, on the task runner); the tab lists
the errors of every model fitted so far against the seasonal-naive baseline over October to December, says
whether the chosen one is fit to judge a saving, and draws a week of the meter against the forecasts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QVBoxLayout, QWidget

from app.core.formatting import date as format_date
from app.core.i18n import _
from app.ui.widgets import button
from labs.panel_widgets import bold, table
from labs.smart_city.energy_lab import MODEL_TITLES, bias_text, decimal, model_name, pct
from labs.smart_city.energy_widgets.charts import WeekChart
from labs.smart_city.energy_widgets.common import cell, fit_height, value_columns, wrapping
from labs.smart_city.energy_workspace import MAX_BIAS, MODELS, SEASONAL_NAIVE, EnergyWorkspace



class ForecastTab(QWidget):
    changed = Signal()
    fitted = Signal()  # a fit's results are on screen

    def __init__(self, workspace: EnergyWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        self.busy = False
        self.task = None
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("The plant's meter reads its electricity use every quarter of an hour; the lab "
                                    "adds them up by the hour. A model predicts tomorrow's load, hour by hour, from "
                                    "what is known the day before: the calendar of the plant's working days, and "
                                    "the readings up to yesterday. Each model learns January to September 2018 and "
                                    "is tested on October to December.")))
        form = QFormLayout()
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName(_("Load model"))
        for name in MODELS:
            self.model_combo.addItem(_(MODEL_TITLES[name]), name)
        self.model_combo.currentIndexChanged.connect(lambda _i: self._model_chosen())
        row = QHBoxLayout()
        row.addWidget(self.model_combo, 1)
        self.fit_button = button(_("Fit the model"), self.fit, primary=True)
        row.addWidget(self.fit_button)
        form.addRow(_("Model:"), row)
        layout.addLayout(form)
        self.status = wrapping()
        self.status.setAccessibleName(_("Fitting status"))
        self.status.setVisible(False)
        layout.addWidget(self.status)
        layout.addWidget(bold(wrapping(_("Errors over October to December 2018, the test period"))))
        self.scores = table((
            _("Model"),
            # TRANSLATORS: column heading (two lines: keep a line break where it reads well): the mean absolute
            # error of the hourly forecast.
            _("Mean error\n(kWh per hour)"),
            # TRANSLATORS: column heading (two lines): the normalised mean bias error; keep "NMBE".
            _("Bias\n(NMBE)"),
            # TRANSLATORS: column heading (two lines): the coefficient of variation of the RMSE of the hourly
            # forecast; keep "CV(RMSE)".
            _("Hourly error\n(CV(RMSE))"),
            # TRANSLATORS: column heading (two lines): the CV(RMSE) of each day's total, on working weekdays only.
            _("Daily error,\nworking weekdays")), _("Errors of the models you fitted"))
        value_columns(self.scores)
        layout.addWidget(self.scores)
        self.verdict = bold(wrapping())
        self.verdict.setAccessibleName(_("Verdict on your model"))
        layout.addWidget(self.verdict)
        layout.addWidget(wrapping(_("A model judges a saving in task 3, so it must not be biased: ASHRAE Guideline "
                                    "14 accepts a baseline whose forecasts are at most {limit} too high or too low "
                                    "on average (NMBE), and whose hourly CV(RMSE) is at most 30%.").format(
            limit=pct(MAX_BIAS, 0))))
        week_row = QFormLayout()
        self.week_combo = QComboBox()
        self.week_combo.setAccessibleName(_("Week of the test period shown on the chart"))
        week_row.addRow(_("Week shown:"), self.week_combo)
        layout.addLayout(week_row)
        self.chart = WeekChart()
        layout.addWidget(self.chart, 1)
        self._fill_weeks()
        self.week_combo.currentIndexChanged.connect(lambda _i: self._show_week())
        self.refresh()

    def _fill_weeks(self) -> None:
        _frame, weeks = self.workspace.test_week(0)
        first = self.workspace.baseline().test["date"].min().date()
        for index in range(weeks):
            monday = first + dt.timedelta(weeks=index)
            self.week_combo.addItem(_("The week of {date}").format(date=format_date(monday)), index)
        # The week of Christmas first: the plant is shut on the Tuesday, which the production calendar knows and last
        # week's readings do not.
        self.week_combo.setCurrentIndex(self.week_combo.count() - 1)

    # --- showing ---------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            self.model_combo.setCurrentIndex(self.model_combo.findData(workspace.model))
            self.model_combo.setEnabled(not self.busy)
            fitted = workspace.is_fitted()
            self.fit_button.setEnabled(not self.busy and not fitted)
            self._show_scores()
            self._show_verdict()
            self._show_week()
        finally:
            self._updating = False

    def _show_scores(self) -> None:
        workspace = self.workspace
        names = [n for n in MODELS if workspace.is_fitted(n)]
        self.scores.setRowCount(len(names))
        for row, name in enumerate(names):
            found = workspace.result(name)
            texts = ((model_name(name), False), (decimal(found.mae, 1), True), (pct(found.nmbe, 1), True),
                     (pct(found.cv_rmse, 0), True), (pct(found.weekday_daily_cv_rmse, 1), True))
            for column, (text, numeric) in enumerate(texts):
                item = cell(text, numeric)
                if name == workspace.model:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                self.scores.setItem(row, column, item)
        fit_height(self.scores)

    def _show_verdict(self) -> None:
        workspace = self.workspace
        name = workspace.model
        verdict = workspace.verdict()
        mine = workspace.result() if verdict.fitted else None
        if name == SEASONAL_NAIVE:
            text = _("You are using the baseline itself: choose another model and fit it.")
        elif not verdict.fitted:
            text = _("Press \"Fit the model\" to see its errors.")
        elif verdict.leaky:
            text = _("The smallest errors, but it reads the previous hour's meter, which is not known the day "
                     "before.")
        elif not verdict.beats_baseline:
            text = _("It is not better than the baseline.")
        elif verdict.biased:
            text = _("Better than the baseline, but its forecasts are {bias} on average: too biased to judge a "
                     "saving.").format(bias=bias_text(mine.nmbe))
        else:
            text = _("{share} smaller errors than the baseline and a bias of {bias}: fit to judge a saving.").format(
                share=pct(100 * (1 - mine.mae / workspace.baseline().mae), 0), bias=pct(mine.nmbe))
        self.verdict.setText(text)

    def _show_week(self) -> None:
        index = self.week_combo.currentData()
        if index is None:
            return
        frame, _weeks = self.workspace.test_week(index)
        first = frame["datetime"].iloc[0].date()
        mine = frame["forecast"].tolist() if "forecast" in frame and self.workspace.model != SEASONAL_NAIVE else None
        self.chart.show_week(first, frame["kwh"].tolist(), frame["baseline"].tolist(), mine)

    # --- editing and fitting ------------------------------------------------------------------------------------

    def _model_chosen(self) -> None:
        if self._updating:
            return
        name = self.model_combo.currentData()
        if name == self.workspace.model:
            return
        self.workspace.set_model(name)
        self._status("")
        self.refresh()
        self.changed.emit()

    def choose(self, name: str) -> None:
        """Pick a model through the combo, as the learner does (for tests and previews)."""
        self.model_combo.setCurrentIndex(self.model_combo.findData(name))

    def fit(self) -> None:
        if self.busy or self.workspace.is_fitted():
            return
        self.busy = True
        self._status(_("Fitting the model…"))
        self.refresh()
        self.task = self.host.run(self.workspace.fit_job(), self._fitted, _("Fitting the load model"),
                                  on_error=self._failed, on_cancel=self._cancelled)

    def _fitted(self, results) -> None:
        self.busy, self.task = False, None
        self.workspace.add_results(results)
        self._status("")
        self.refresh()
        QTimer.singleShot(0, self, self._announce)  # the other tabs, the autosave and the code view next

    def _announce(self) -> None:
        self.changed.emit()
        self.fitted.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy, self.task = False, None
        self.refresh()
        self._status(_("The model could not be fitted: {reason}").format(reason=error))

    def _cancelled(self) -> None:
        self.busy, self.task = False, None
        self.refresh()
        self._status(_("The fitting was cancelled."))

    def _status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
