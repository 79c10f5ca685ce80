"""Task 3, "Where it fails": the worst missed very bad days of 2014 with the wind around them (a table, and three
weeks around the chosen day on two charts), what changes when the alert is for bad days instead, the error with
and without tomorrow's weather, and the three questions.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHeaderView, QVBoxLayout, QWidget

from app.core.formatting import date as format_date
from app.core.formatting import isolated
from app.core.i18n import _
from labs.panel_widgets import bold, table
from labs.smart_city.air_lab import (FAILURE_QUESTIONS, LEVEL_TITLES, WITH_TOMORROW, WITHOUT_TOMORROW, describe,
                                     level_text, num, share)
from labs.smart_city.air_widgets.charts import EpisodeChart, WindChart
from labs.smart_city.air_widgets.common import QuestionBox, cell, fit_height, wrapping
from labs.smart_city.air_workspace import (LEVELS, TEST_YEAR, TUNE_YEAR, AirWorkspace, ForecastChoice, MissedDay,
                                           PERSISTENCE)

EPISODE_DAYS = 10  # days shown either side of a missed day


class FailuresTab(QWidget):
    changed = Signal()

    def __init__(self, workspace: AirWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        self._misses: list[MissedDay] = []
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("A forecaster that beats persistence still misses days. Find out which ones, and "
                                    "what else limits an alert.")))
        self.misses_title = bold(wrapping())
        layout.addWidget(self.misses_title)
        self.misses_table = table((
            _("Day"),
            # TRANSLATORS: column heading: the PM2.5 of the day before the missed day, where the forecast starts.
            _("PM2.5 the day before"), _("Forecast"), _("Actual"),
            # TRANSLATORS: column heading: mean wind speed on the day before and on the missed day, e.g. "1.2 → 7.5"
            # (the values stay left to right, as on the charts).
            _("Wind (m/s), day before → day"),
            # TRANSLATORS: column heading: hours of north-westerly wind on the day before and on the day, e.g. "6 → 22"
            # (the values stay left to right, as on the charts).
            _("North-westerly hours, day before → day")), _("The worst missed very bad days"))
        self.misses_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.misses_table.currentCellChanged.connect(lambda row, *_args: self._show_episode(row))
        layout.addWidget(self.misses_table)
        self.episode = EpisodeChart()
        self.episode.setFixedHeight(250)
        layout.addWidget(self.episode)
        self.wind = WindChart()
        self.wind.setFixedHeight(150)
        layout.addWidget(self.wind)

        layout.addWidget(bold(wrapping(_("Which days to alert for"))))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.level_combo = QComboBox()
        self.level_combo.setAccessibleName(_("Alert for"))
        for level in LEVELS:
            self.level_combo.addItem(_(LEVEL_TITLES[level]), level)
        self.level_combo.currentIndexChanged.connect(lambda _i: self._level_chosen())
        form.addRow(_("Alert for:"), self.level_combo)
        layout.addLayout(form)
        self.level_label = wrapping()
        self.level_label.setAccessibleName(_("What the alert does for this level"))
        layout.addWidget(self.level_label)

        layout.addWidget(bold(wrapping(_("With and without tomorrow's weather (errors on 2014)"))))
        self.weather_table = table((_("Forecaster"), _("Mean absolute error (µg/m³)"),
                                    _("Smaller errors than persistence")), _("Errors with and without tomorrow's weather"))
        self.weather_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.weather_table.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.weather_table)
        layout.addWidget(wrapping(_("\"Tomorrow's weather\" is the weather observed the next day: in the test it is a "
                                    "perfect weather forecast.")))
        self.questions = QuestionBox(_("Questions"), FAILURE_QUESTIONS, self._answered)
        layout.addWidget(self.questions)
        layout.addStretch(1)
        self._show_weather()
        self.refresh()

    # --- showing -------------------------------------------------------------------------------------------------

    def _ready(self) -> bool:
        run = self.workspace.run
        return run is not None and self.workspace.run_is_current() and run.ordered

    def refresh(self) -> None:
        self._updating = True
        try:
            ready = self._ready()
            self.level_combo.setCurrentIndex(self.level_combo.findData(self.workspace.level))
            self.level_combo.setEnabled(ready)
            self._show_misses(ready)
            self._show_level(ready)
            self.questions.show_answers(self.workspace.answers)
        finally:
            self._updating = False

    def _show_misses(self, ready: bool) -> None:
        workspace = self.workspace
        if not ready:
            self.misses_title.setText(_("Fit and test a forecaster by time in \"1. Forecast\" first: its missed days "
                                        "appear here."))
            self._misses = []
        else:
            self._misses = workspace.misses()
            self.misses_title.setText(_("The worst very bad days of {year} with no alert (your forecaster, threshold "
                                        "{tau} µg/m³); choose one to see the days around it:").format(
                year=TEST_YEAR, tau=level_text(workspace.threshold)))
        table_widget = self.misses_table
        table_widget.setRowCount(len(self._misses))
        for row, miss in enumerate(self._misses):
            values = ((format_date(miss.day), False), (num(miss.today), True), (num(miss.forecast), True),
                      (num(miss.actual), True), (isolated(f"{num(miss.wind_today, 1)} → {num(miss.wind_tomorrow, 1)}"), True),
                      (isolated(f"{num(miss.nw_today)} → {num(miss.nw_tomorrow)}"), True))
            for column, (text, numeric) in enumerate(values):
                table_widget.setItem(row, column, cell(text, numeric))
        table_widget.setVisible(bool(self._misses))
        fit_height(table_widget)
        if self._misses:
            current = table_widget.currentRow()
            row = current if 0 <= current < len(self._misses) else 0
            table_widget.setCurrentCell(row, 0)
            self._show_episode(row)
        else:
            self._show_episode(-1)

    def _show_episode(self, row: int) -> None:
        if not 0 <= row < len(self._misses) or self.workspace.run is None:
            self.episode.show_episode(None)
            self.wind.show_hours()
            self.episode.setVisible(False)
            self.wind.setVisible(False)
            return
        self.episode.setVisible(True)
        self.wind.setVisible(True)
        day = self._misses[row].day
        part = self.workspace.run.test
        offsets = list(range(-EPISODE_DAYS, EPISODE_DAYS + 1))
        actual, mine = [math.nan] * len(offsets), [math.nan] * len(offsets)  # days without a PM2.5 mean: gaps
        for i, other in enumerate(part.dates):
            offset = (other - day).days
            if abs(offset) <= EPISODE_DAYS:
                actual[offset + EPISODE_DAYS] = float(part.actual[i])
                mine[offset + EPISODE_DAYS] = float(part.forecast[i])
        self.episode.show_episode(day, offsets, actual, mine)
        self.wind.show_hours(*self.workspace.around(day, EPISODE_DAYS))

    def _show_level(self, ready: bool) -> None:
        if not ready:
            self.level_label.setText("")
            return
        explored = self.workspace.explored(self.workspace.level)
        test = explored.test
        self.level_label.setText(_("{share} of the days of {test_year} were at this level or above. With a miss worth "
                                   "{n} false alarms, the lowest cost in {tune_year} is at {tau} µg/m³. In {test_year} "
                                   "that threshold sends the alert on {alerts} of {days} days: {hits} warned of, "
                                   "{false_alarms} false alarms, {misses} missed.").format(
            share=share(explored.bad_share), test_year=TEST_YEAR, tune_year=TUNE_YEAR,
            n=level_text(self.workspace.miss_cost), tau=level_text(explored.best.threshold),
            alerts=num(test.hits + test.false_alarms), days=num(test.days), hits=num(test.hits),
            false_alarms=num(test.false_alarms), misses=num(test.misses)))

    def _show_weather(self) -> None:
        rows = (ForecastChoice(PERSISTENCE), WITHOUT_TOMORROW, WITH_TOMORROW)
        self.weather_table.setRowCount(len(rows))
        for row, choice in enumerate(rows):
            run = self.workspace.result_of(choice)
            for column, (text, numeric) in enumerate(((describe(choice), False), (num(run.errors.mae, 1), True),
                                                      (share(run.errors.skill), True))):
                self.weather_table.setItem(row, column, cell(text, numeric))
        fit_height(self.weather_table)

    # --- editing -------------------------------------------------------------------------------------------------

    def _level_chosen(self) -> None:
        if self._updating:
            return
        level = self.level_combo.currentData()
        self.workspace.set_level(level)
        self._show_level(self._ready())
        self.changed.emit()

    def choose_level(self, level: str) -> None:
        """Choose the level through the combo, as the learner does."""
        self.level_combo.setCurrentIndex(self.level_combo.findData(level))

    def _answered(self, question_id: str, answer: str) -> None:
        if self.workspace.answers.get(question_id, "") == answer:
            return
        self.workspace.set_answer(question_id, answer)
        self.changed.emit()
