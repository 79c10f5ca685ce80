"""The air-quality lab's panel, driven the way a learner does: through a synchronous fake host (each tab, the
charts, cancel, bad input), and in the real window in English and Arabic (the whole lab, task by task, with "Check my
work"; resume; cancelling and leaving while a forecaster is being fitted)."""

from __future__ import annotations

import copy
import datetime as dt
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.core.i18n import set_locale
from app.core.tasks import TaskState
from labs.framework import run_check
from labs.smart_city.air_lab import LAB, REFERENCE
from labs.smart_city.air_workspace import (
    BAD_LEVEL,
    INPUTS,
    PERSISTENCE,
    PM25,
    RANDOM_SPLIT,
    RIDGE,
    TEST,
    TIME_SPLIT,
    ForecastChoice,
)
from tests.ui.lab_panels import lab_course, plain, unnamed
from tests.ui.lab_panels import open_lab_in_window as _open_lab
from tests.ui.sync_host import SyncHost

ANSWERS = {"misses": "turn", "bad_level": "every_day", "weather": "upper_bound"}
PUBLIC = {"who": "everyone", "cost": "real_costs"}


@pytest.fixture
def make_panel(qtbot, tmp_path):
    def make(snapshot=None, locale: str = "en", **host_options):
        from labs.smart_city.air_panel import AirPanel

        host = SyncHost(tmp_path, locale=locale, **host_options)
        panel = AirPanel(LAB.open(copy.deepcopy(snapshot) if snapshot else None, TaskState(), None), host)
        qtbot.addWidget(panel)
        panel.resize(1000, 800)
        panel.show()
        return panel, host
    return make


def check(panel, task_id: str):
    return run_check(LAB.task(task_id), panel.workspace)


def type_number(qtbot, box, value: float) -> None:
    """Type a number with the keyboard and press Enter, as the learner does."""
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), f"{value:g}")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def type_and_leave(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.clear()
    qtbot.keyClicks(edit, text)
    edit.editingFinished.emit()  # as when the learner tabs away


def fit(qtbot, panel, model: str, inputs=(), split: str = TIME_SPLIT) -> None:
    panel.tabs.setCurrentIndex(0)
    panel.forecast.choose(model, inputs, split)
    with qtbot.waitSignal(panel.fitted, timeout=30000):
        qtbot.mouseClick(panel.forecast.fit_button, Qt.MouseButton.LeftButton)


def texts(table, row: int) -> list[str]:
    return [plain(table.item(row, c).text()) for c in range(table.columnCount())]


# --- through the widgets --------------------------------------------------------------------------------------------

def test_a_learner_does_the_whole_lab_through_the_widgets(qtbot, make_panel):
    panel, host = make_panel()
    changes = []
    panel.changed.connect(lambda: changes.append(1))
    assert [panel.tabs.tabText(i) for i in range(4)] == ["1. Forecast", "2. Alert", "3. Where it fails",
                                                         "4. Who is told"]
    forecast = panel.forecast
    assert forecast.status.text() == "Press \"Fit and test\" to see how your forecaster does."
    assert not any(box.isEnabled() for box in forecast.input_boxes.values())  # persistence has no inputs
    assert not panel.alert.threshold_box.isEnabled()
    # 1. the forecast: the baseline, one input, none, a random split, then by time
    fit(qtbot, panel, PERSISTENCE)
    assert forecast.verdict.text() == "You are testing the baseline itself: choose another forecaster to compare."
    fit(qtbot, panel, RIDGE, (PM25,))
    assert forecast.verdict.text() == "Yours makes only 6% smaller errors than persistence: the task asks for at " \
                                      "least 10%."
    assert not check(panel, "forecast").passed
    forecast.input_boxes[PM25].setChecked(False)
    assert forecast.inputs_error.isVisible() and not forecast.fit_button.isEnabled()
    assert forecast.inputs_error.text().startswith("Tick at least one input")
    fit(qtbot, panel, RIDGE, INPUTS, RANDOM_SPLIT)
    assert forecast.errors_title.text() == "Errors on the 355 random days, fitted on all the other days"
    assert not forecast.period_combo.isEnabled() and not panel.alert.threshold_box.isEnabled()
    assert panel.alert.note.text().startswith("Your forecaster was tested at random")
    assert check(panel, "forecast").message.startswith("You tested on days drawn at random")
    fit(qtbot, panel, RIDGE, INPUTS, TIME_SPLIT)
    assert host.labels == ["Fitting the forecaster"] * 4
    assert texts(forecast.scores, 0)[1:] == ["28.4", "51.5"] and texts(forecast.scores, 2)[1:] == ["-5.8", "-0.4"]
    assert forecast.verdict.text() == "Yours makes 45% smaller errors than persistence."
    assert forecast.tried.rowCount() == 4 and texts(forecast.tried, 2)[1] == "at random"
    assert np.isfinite(forecast.chart.actual.getData()[1]).sum() == 355  # with a break at each missing day
    forecast.period_combo.setCurrentIndex(4)  # October to December
    assert forecast.chart.span == (dt.date(2014, 10, 1), dt.date(2014, 12, 31))
    assert check(panel, "forecast").passed
    # 2. the alert, typed with the keyboard
    panel.tabs.setCurrentIndex(1)
    alert = panel.alert
    assert alert.threshold_box.isEnabled() and texts(alert.table, 2)[1:] == ["183", "153", "30", "28", "144", "58"]
    type_number(qtbot, alert.miss_cost_box, 3)
    assert not check(panel, "alert").message.startswith("Your cost")
    assert "You alert only when the forecast reaches the band's edge" in check(panel, "alert").message
    type_number(qtbot, alert.threshold_box, 62.5)
    assert (panel.workspace.miss_cost, panel.workspace.threshold) == (3.0, 62.5)
    assert texts(alert.table, 1)[1:] == ["221", "166", "55", "15", "119", "100"]
    assert texts(alert.table, 0)[-1] == "87" and texts(alert.table, 2)[-1] == "114"
    assert alert.chart.mark.value() == 62.5 and len(alert.chart.rows) == 73
    assert alert.chart.toolTip() == "Lowest cost on this chart: 87 at 62.5 µg/m³."
    alert.year_combo.setCurrentIndex(1)
    assert alert.chart.toolTip() == "Lowest cost on this chart: 99 at 70 µg/m³."  # the test year: never choose here
    assert check(panel, "alert").passed
    # 3. where it fails
    panel.tabs.setCurrentIndex(2)
    failures = panel.failures
    assert failures.misses_table.rowCount() == 10
    assert texts(failures.misses_table, 3) == ["November 30, 2014", "302", "37", "91", "1.2 → 7.5", "6 → 22"]
    failures.misses_table.setCurrentCell(3, 0)
    assert failures.episode.day == dt.date(2014, 11, 30)
    assert "Days from November 30, 2014" in plain(failures.episode.getAxis("bottom").labelText)
    assert len(failures.wind.bars.opts["x"]) == 21
    assert texts(failures.weather_table, 2)[1] == "28.4" and texts(failures.weather_table, 1)[1] == "44.4"
    for question, answer in ANSWERS.items():
        failures.questions.answer(question, answer)
    assert check(panel, "failures").message.startswith("Choose \"Bad days\" under \"Alert for\"")
    failures.choose_level(BAD_LEVEL)
    assert "sends the alert on 334 of 355 days" in failures.level_label.text()
    assert check(panel, "failures").passed
    # 4. who is told
    panel.tabs.setCurrentIndex(3)
    public = panel.public
    count = public.questions.widgets["false_alarms"]
    type_and_leave(qtbot, count, "lots")
    assert public.questions.errors["false_alarms"].isVisible()
    assert public.questions.errors["false_alarms"].text() == "Type a whole number of days, for example 12."
    type_and_leave(qtbot, count, "55")
    assert not public.questions.errors["false_alarms"].isVisible()
    for question, answer in PUBLIC.items():
        public.questions.answer(question, answer)
    assert check(panel, "public").passed
    assert len(changes) >= 15
    snapshot = panel.workspace.snapshot()
    assert snapshot["answers"] == {**ANSWERS, "false_alarms": "55", **PUBLIC}
    assert snapshot["explore"] == {"level": BAD_LEVEL, "seen": [BAD_LEVEL]}
    assert all(run_check(t, panel.workspace).passed for t in LAB.tasks)


def test_a_new_forecaster_clears_the_alert_and_the_missed_days(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    assert panel.failures.misses_table.rowCount() == 10 and panel.alert.threshold_box.isEnabled()
    panel.tabs.setCurrentIndex(0)
    panel.forecast.input_boxes[PM25].setChecked(False)
    assert panel.workspace.run is None and panel.workspace.forecast == ForecastChoice(
        RIDGE, INPUTS[1:], TIME_SPLIT)
    assert panel.forecast.status.text() == "Press \"Fit and test\" to see how your forecaster does."
    assert texts(panel.forecast.scores, 0)[1:] == ["–", "–"]
    assert not panel.alert.threshold_box.isEnabled() and texts(panel.alert.table, 1)[1] == "–"
    assert panel.alert.note.text().startswith("Fit and test a forecaster in \"1. Forecast\" first")
    assert panel.failures.misses_table.rowCount() == 0 and not panel.failures.level_combo.isEnabled()
    # a threshold typed after the fit changes the missed days at once
    fit(qtbot, panel, RIDGE, INPUTS)
    panel.tabs.setCurrentIndex(1)
    type_number(qtbot, panel.alert.threshold_box, 80)
    assert plain(panel.failures.misses_title.text()).startswith(
        "The worst very bad days of 2014 with no alert (your forecaster, threshold 80 µg/m³)")
    assert panel.workspace.counts(TEST).misses > 15


def test_a_cancelled_fit_leaves_the_tab_ready(qtbot, make_panel):
    snapshot = copy.deepcopy(REFERENCE)
    snapshot["forecast"]["run"] = False
    panel, host = make_panel(snapshot, cancel=True)
    forecast = panel.forecast
    qtbot.mouseClick(forecast.fit_button, Qt.MouseButton.LeftButton)
    assert host.labels == ["Fitting the forecaster"]
    assert forecast.status.text() == "The fit was cancelled."
    assert forecast.fit_button.isEnabled() and not forecast.busy and panel.workspace.run is None


def test_every_control_is_named(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        qtbot.wait(5)
        assert not unnamed(panel), (panel.tabs.tabText(index), unnamed(panel))
    assert panel.alert.chart.accessibleName() == "False alarms, misses and cost for every threshold"
    assert panel.public.questions.widgets["false_alarms"].accessibleName().startswith("With your threshold")


def test_arabic_mirrors_the_panel_but_not_the_charts(qtbot, make_panel, qapp):
    from app.ui.locale_setup import apply_qt_locale

    set_locale("ar")
    apply_qt_locale(qapp, "ar")
    try:
        panel, _host = make_panel(REFERENCE, locale="ar")
        assert panel.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert panel.failures.misses_table.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for chart in (panel.forecast.chart, panel.alert.chart, panel.failures.episode, panel.failures.wind):
            assert chart.layoutDirection() == Qt.LayoutDirection.LeftToRight, type(chart).__name__
            assert chart.getPlotItem().layoutDirection() == Qt.LayoutDirection.LeftToRight
        assert panel.alert.threshold_box.text() == "62.5" and panel.alert.miss_cost_box.text() == "3.0"  # 0-9, a point
        # numbers read left to right in mirrored cells: the wind before and on the day, a negative bias
        cell = panel.failures.misses_table.item(3, 5).text()
        assert cell.startswith("\u2068") and plain(cell) == "6 → 22"
        assert panel.forecast.scores.item(2, 1).text().startswith("\u2068")
    finally:
        set_locale("en")
        apply_qt_locale(qapp, "en")


# --- in the real window ----------------------------------------------------------------------------------------------


@pytest.fixture
def air_course(data_dir):
    return lab_course(data_dir, "smart_city/air-quality")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_in_the_real_window_a_learner_does_every_task_and_resumes(qtbot, air_course, locale):
    from app.core.record.labwork import LabWorkStore
    from tests.ui.helpers import click

    window, course, screen = _open_lab(qtbot, air_course, locale)
    panel = screen.panel
    rtl = locale == "ar"
    assert panel.layoutDirection() == (Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    assert panel.forecast.chart.layoutDirection() == Qt.LayoutDirection.LeftToRight

    def check_task(index: int) -> None:
        screen.task_list.setCurrentRow(index)
        click(qtbot, screen.check_button)
        assert screen.task_list.item(index).text().startswith("✓"), screen.feedback.text()

    panel.tabs.setCurrentIndex(0)
    panel.forecast.choose(RIDGE, INPUTS, TIME_SPLIT)
    with qtbot.waitSignal(panel.fitted, timeout=30000):
        click(qtbot, panel.forecast.fit_button)
    check_task(0)
    panel.tabs.setCurrentIndex(1)
    type_number(qtbot, panel.alert.miss_cost_box, 3)
    type_number(qtbot, panel.alert.threshold_box, 62.5)
    check_task(1)
    panel.tabs.setCurrentIndex(2)
    panel.failures.choose_level(BAD_LEVEL)
    for question, answer in ANSWERS.items():
        panel.failures.questions.answer(question, answer)
    check_task(2)
    panel.tabs.setCurrentIndex(3)
    type_and_leave(qtbot, panel.public.questions.widgets["false_alarms"], "55")
    for question, answer in PUBLIC.items():
        panel.public.questions.answer(question, answer)
    check_task(3)
    assert screen.continue_button.isVisible()
    assert "best_2013" in screen.code_view.toPlainText()
    saved = LabWorkStore(window.services.database).load(window.learning.learner.id, course.id, course.items[1].id)
    assert saved.snapshot["alert"] == {"miss_cost": 3, "threshold": 62.5}
    assert saved.snapshot["forecast"]["run"] is True
    window.close()

    window, course, screen = _open_lab(qtbot, air_course, locale)  # closed and opened again
    panel = screen.panel
    assert screen.workspace.snapshot() == saved.snapshot
    assert panel.alert.threshold_box.value() == 62.5 and texts(panel.alert.table, 1)[3] == "55"
    assert panel.failures.level_combo.currentData() == BAD_LEVEL and panel.failures.misses_table.rowCount() == 10
    window.close()


def test_cancelling_or_leaving_while_a_forecaster_is_fitted_is_clean(qtbot, air_course, monkeypatch):
    import labs.smart_city.air_workspace as workspace_module
    from tests.ui.helpers import click

    real = workspace_module.forecast_with

    def slow(*args, **kwargs):
        time.sleep(0.4)  # long enough to press Cancel or leave before it ends
        return real(*args, **kwargs)

    window, course, screen = _open_lab(qtbot, air_course, "en")
    monkeypatch.setattr(workspace_module, "forecast_with", slow)
    panel = screen.panel
    forecast = panel.forecast
    forecast.choose(RIDGE, INPUTS, TIME_SPLIT)
    click(qtbot, forecast.fit_button)
    assert forecast.busy and not forecast.fit_button.isEnabled() and forecast.status.text() == "Fitting and testing…"
    assert not forecast.model_combo.isEnabled()
    qtbot.waitUntil(lambda: window.task_cancel.isVisible(), timeout=5000)
    click(qtbot, window.task_cancel)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert forecast.status.text() == "The fit was cancelled."
    assert not forecast.busy and forecast.fit_button.isEnabled() and screen.workspace.run is None

    click(qtbot, forecast.fit_button)  # again, and leave the lab while it runs
    assert window.runner.busy
    window.show_catalogue()
    assert type(window.screen).__name__ != "LabScreen"
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    qtbot.wait(50)  # a late result would arrive now: it is dropped, nothing breaks
    assert screen.workspace.run is None
    window.close()
