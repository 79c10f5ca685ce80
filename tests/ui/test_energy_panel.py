"""The plant energy lab's panel, driven the way a learner does: through a synchronous fake host (each tab, the grid
with mouse and keyboard, bad input, cancel), and in the real window in English and Arabic (the whole lab, task by
task, with "Check my work"; resume; cancelling and leaving while a model is being fitted)."""

from __future__ import annotations

import copy
import time

import pytest
from PySide6.QtCore import Qt

from app.core.i18n import set_locale
from app.core.tasks import TaskState
from labs.framework import run_check
from labs.smart_city import energy_workspace as ew
from labs.smart_city.energy_lab import LAB, REFERENCE, RIGHT_ANSWERS
from tests.ui.lab_panels import lab_course, plain, type_and_leave, unnamed
from tests.ui.lab_panels import open_lab_in_window as _open_lab
from tests.ui.sync_host import SyncHost

CHEAPEST = REFERENCE["schedule"]
OVER_LOAD = {"mill": [8, 9, 10, 11, 13, 14, 15, 16], "finishing": [13, 15, 16, 20]}  # 487 kW at 13:00


@pytest.fixture
def make_panel(qtbot, tmp_path):
    def make(snapshot=None, locale: str = "en", **host_options):
        from labs.smart_city.energy_panel import EnergyPanel

        host = SyncHost(tmp_path, locale=locale, **host_options)
        panel = EnergyPanel(LAB.open(copy.deepcopy(snapshot) if snapshot else None, TaskState(), None), host)
        qtbot.addWidget(panel)
        panel.resize(1000, 800)
        panel.show()
        return panel, host
    return make


def check(panel, task_id: str):
    return run_check(LAB.task(task_id), panel.workspace)


def fit(qtbot, panel, model: str, timeout: int = 30000) -> None:
    """Choose a model in the combo and press "Fit the model"; wait for its errors on screen."""
    forecast = panel.forecast
    forecast.choose(model)
    assert forecast.fit_button.isEnabled()
    with qtbot.waitSignal(panel.fitted, timeout=timeout):
        qtbot.mouseClick(forecast.fit_button, Qt.MouseButton.LeftButton)


def do_the_lab(qtbot, panel) -> None:
    panel.tabs.setCurrentIndex(0)
    fit(qtbot, panel, ew.BOOSTING)
    panel.tabs.setCurrentIndex(1)
    panel.schedule.set_plan(**CHEAPEST)
    panel.tabs.setCurrentIndex(2)
    type_and_leave(qtbot, panel.verify.detectable_edit, REFERENCE["answers"]["detectable"])
    type_and_leave(qtbot, panel.verify.days_edit, REFERENCE["answers"]["days_needed"])
    panel.tabs.setCurrentIndex(3)
    for question, answer in RIGHT_ANSWERS.items():
        panel.failures.answer(question, answer)


# --- through the widgets --------------------------------------------------------------------------------------------

def test_a_learner_does_the_whole_lab_through_the_widgets(qtbot, make_panel):
    panel, host = make_panel()
    changes = []
    panel.changed.connect(lambda: changes.append(1))
    assert [panel.tabs.tabText(i) for i in range(4)] == ["1. Forecast", "2. Tomorrow's schedule",
                                                         "3. Measure the saving", "4. Where it fails"]
    # 1. the forecast: a biased model first, then a fair one
    forecast = panel.forecast
    assert forecast.verdict.text().startswith("You are using the baseline itself")
    assert forecast.scores.rowCount() == 1 and forecast.scores.item(0, 1).text() == "47.2"
    fit(qtbot, panel, ew.PROFILE)
    assert host.labels == ["Fitting the load model"]
    assert plain(forecast.verdict.text()) == ("Better than the baseline, but its forecasts are 13.8% too high on "
                                              "average: too biased to judge a saving.")
    assert not check(panel, "forecast").passed and not forecast.fit_button.isEnabled()
    fit(qtbot, panel, ew.BOOSTING)
    assert [forecast.scores.item(r, 0).text() for r in range(3)] == ["Seasonal naive (baseline)", "Calendar profile",
                                                                     "Gradient-boosted trees"]
    assert forecast.scores.item(2, 1).text() == "29.3" and forecast.scores.item(2, 4).text() == "26.9%"
    assert forecast.scores.item(2, 0).font().bold()  # the chosen model
    assert forecast.chart.shown[1] is True  # its forecast is drawn
    assert check(panel, "forecast").passed
    # 2. tomorrow's schedule: a plan over the maximum load, then the cheapest
    panel.tabs.setCurrentIndex(1)
    schedule = panel.schedule
    assert not schedule.reset_button.isEnabled() and schedule.summary.item(5, 2).text() == "none"
    schedule.set_plan(**OVER_LOAD)
    assert schedule.grid.item(4, 13).text() == "487" and schedule.problems_label.isVisible()
    assert plain(schedule.problems_label.text()).startswith("At 13:00 the plant would draw 487 kW, above its 480 kW")
    assert schedule.summary.item(5, 2).text() == "1" and schedule.chart.series[1][13] == 487
    assert not check(panel, "schedule").passed
    schedule.set_plan(**CHEAPEST)
    assert not schedule.problems_label.isVisible()
    assert schedule.summary.item(1, 2).text() == schedule.summary.item(1, 3).text() == "414,821"
    assert schedule.change_label.text() == ("Compared with today's plan, your bill is 3.6% lower and your kWh 0.7% "
                                            "higher.")
    assert check(panel, "schedule").passed
    # 3. measuring the saving
    panel.tabs.setCurrentIndex(2)
    verify = panel.verify
    assert plain(verify.detectable_label.text()) == ("With 20 working days of readings, only savings above 11.8% can "
                                                     "be told from the model's error.")
    verify.days_spin.setValue(64)
    assert "only savings above 6.6%" in verify.detectable_label.text()
    verify.days_spin.setValue(697)
    assert verify.days_slider.value() == 697 and panel.workspace.days == 697
    assert "only savings above 2.0%" in verify.detectable_label.text()
    verify.true_spin.setValue(10.0)
    assert panel.workspace.true_saving == 10.0 and verify.apparent_chart.shown is not None
    type_and_leave(qtbot, verify.detectable_edit, "26.9")
    assert plain(check(panel, "verify").message).startswith("You typed 26.9%: that is your model's error on a single")
    type_and_leave(qtbot, verify.detectable_edit, "6.6")
    type_and_leave(qtbot, verify.days_edit, "697")
    assert check(panel, "verify").passed
    # 4. where it fails
    panel.tabs.setCurrentIndex(3)
    failures = panel.failures
    assert "12.9%" in failures.placebo_label.text() and failures.year_table.item(4, 2).text() == "39.2%"
    failures.answer("co2", "bill")
    assert plain(check(panel, "failures").message).startswith("Compared with today's plan, tomorrow's bill is 3.6%")
    for question, answer in RIGHT_ANSWERS.items():
        failures.answer(question, answer)
    assert check(panel, "failures").passed
    assert len(changes) >= 15
    snapshot = panel.workspace.snapshot()
    assert snapshot["forecast"] == {"model": ew.BOOSTING, "fitted": [ew.SEASONAL_NAIVE, ew.PROFILE, ew.BOOSTING]}
    assert snapshot["schedule"] == CHEAPEST
    assert snapshot["answers"] == {"detectable": "6.6", "days_needed": "697", **RIGHT_ANSWERS}


def test_the_grid_works_with_the_keyboard(qtbot, make_panel):
    panel, _host = make_panel()
    panel.tabs.setCurrentIndex(1)
    grid = panel.schedule.grid
    grid.setFocus()
    grid.setCurrentCell(3, 17)  # finishing at 17:00, ticked today
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    assert 17 not in panel.workspace.plan.hours("finishing")
    qtbot.keyClick(grid, Qt.Key.Key_Left)  # 16:00
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    qtbot.keyClick(grid, Qt.Key.Key_Left)  # 13:00
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    assert panel.workspace.plan.hours("finishing") == frozenset({13, 18, 19, 20})
    assert grid.item(3, 13).data(Qt.ItemDataRole.AccessibleTextRole) == "Finishing at \u206813:00\u2069: runs a batch"
    assert panel.schedule.reset_button.isEnabled()
    qtbot.mouseClick(panel.schedule.reset_button, Qt.MouseButton.LeftButton)
    assert panel.workspace.is_today() and grid.item(3, 17).checkState() == Qt.CheckState.Checked


def test_bad_input_is_shown_where_it_is_typed(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    verify = panel.verify
    panel.tabs.setCurrentIndex(2)
    type_and_leave(qtbot, verify.detectable_edit, "a lot")
    assert verify.errors["detectable"].isVisible()
    assert verify.errors["detectable"].text() == "Type a percentage from 0 to 100, such as 4.5."
    type_and_leave(qtbot, verify.days_edit, "0")
    assert verify.errors["days_needed"].text() == "Type a number of days, such as 120."
    type_and_leave(qtbot, verify.detectable_edit, "6,6 %")
    assert not verify.errors["detectable"].isVisible()
    assert panel.workspace.days == 697 and verify.days_slider.value() == 697
    verify.days_spin.setValue(99999)  # the spin box keeps within its range
    assert panel.workspace.days == ew.MAX_DAYS


def test_a_cancelled_fit_leaves_the_tab_ready(qtbot, make_panel):
    panel, host = make_panel(cancel=True)
    forecast = panel.forecast
    forecast.choose(ew.RIDGE)
    qtbot.mouseClick(forecast.fit_button, Qt.MouseButton.LeftButton)
    assert host.labels == ["Fitting the load model"]
    assert forecast.status.text() == "The fitting was cancelled."
    assert forecast.fit_button.isEnabled() and not forecast.busy and not panel.workspace.is_fitted()


def test_every_control_is_named(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        qtbot.wait(5)
        assert not unnamed(panel), (panel.tabs.tabText(index), unnamed(panel))
    assert panel.schedule.grid.accessibleName() == "Tomorrow's schedule, hour by hour"


def test_arabic_mirrors_the_panel_but_not_the_timeline_or_the_charts(qtbot, make_panel, qapp):
    from app.ui.locale_setup import apply_qt_locale

    set_locale("ar")
    apply_qt_locale(qapp, "ar")
    panel, _host = make_panel(REFERENCE, locale="ar")
    assert panel.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert panel.schedule.summary.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert panel.failures.year_table.layoutDirection() == Qt.LayoutDirection.RightToLeft
    for widget in (panel.forecast.chart, panel.schedule.chart, panel.schedule.grid, panel.verify.detectable_chart,
                   panel.verify.apparent_chart, panel.verify.days_slider):
        assert widget.layoutDirection() == Qt.LayoutDirection.LeftToRight, type(widget).__name__
    assert panel.verify.days_spin.text() == "697"  # 0-9 digits, as in the tables
    grid = panel.schedule.grid  # midnight on the left, as on the chart below it
    assert grid.visualItemRect(grid.item(0, 0)).x() < grid.visualItemRect(grid.item(0, 23)).x()


# --- in the real window ----------------------------------------------------------------------------------------------


@pytest.fixture
def energy_course(data_dir):
    return lab_course(data_dir, "smart_city/plant-energy")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_in_the_real_window_a_learner_does_every_task_and_resumes(qtbot, energy_course, locale):
    from app.core.record.labwork import LabWorkStore
    from tests.ui.helpers import click

    window, course, screen = _open_lab(qtbot, energy_course, locale)
    panel = screen.panel
    rtl = locale == "ar"
    assert panel.layoutDirection() == (Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    assert panel.schedule.grid.layoutDirection() == Qt.LayoutDirection.LeftToRight

    def check_task(index: int) -> None:
        screen.task_list.setCurrentRow(index)
        click(qtbot, screen.check_button)
        assert screen.task_list.item(index).text().startswith("✓"), screen.feedback.text()

    do_the_lab(qtbot, panel)
    for index in range(4):
        check_task(index)
    assert screen.continue_button.isVisible()
    assert "days_needed" in screen.code_view.toPlainText()
    saved = LabWorkStore(window.services.database).load(window.learning.learner.id, course.id, course.items[1].id)
    assert saved.snapshot["schedule"] == CHEAPEST and saved.snapshot["forecast"]["model"] == ew.BOOSTING
    window.close()

    window, course, screen = _open_lab(qtbot, energy_course, locale)  # closed and opened again
    panel = screen.panel
    assert screen.workspace.snapshot() == saved.snapshot
    assert screen.workspace.is_fitted(ew.BOOSTING) and panel.forecast.scores.rowCount() == 2
    assert panel.schedule.grid.item(2, 19).checkState() == Qt.CheckState.Checked  # the mill at 19:00
    assert panel.verify.days_edit.text() == "697"
    window.close()


def test_cancelling_or_leaving_while_a_model_is_fitted_is_clean(qtbot, energy_course, monkeypatch):
    from labs.smart_city.energy import forecast as fc
    from tests.ui.helpers import click

    real = fc.predict

    def slow(*args, **kwargs):
        time.sleep(0.4)  # long enough to press Cancel or leave before it ends
        return real(*args, **kwargs)

    monkeypatch.setattr(fc, "predict", slow)
    monkeypatch.setattr(ew, "_fits", {})  # nothing cached: every fit really runs
    window, course, screen = _open_lab(qtbot, energy_course, "en")
    forecast = screen.panel.forecast
    forecast.choose(ew.RIDGE)  # not fitted yet (opening the lab fits the baseline and the calendar profile)
    click(qtbot, forecast.fit_button)
    assert forecast.busy and not forecast.fit_button.isEnabled() and forecast.status.text() == "Fitting the model…"
    qtbot.waitUntil(lambda: window.task_cancel.isVisible(), timeout=5000)
    click(qtbot, window.task_cancel)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert forecast.status.text() == "The fitting was cancelled."
    assert not forecast.busy and forecast.fit_button.isEnabled() and not screen.workspace.is_fitted()

    click(qtbot, forecast.fit_button)  # again, and leave the lab while it runs
    assert window.runner.busy
    window.show_catalogue()
    assert type(window.screen).__name__ != "LabScreen"
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    qtbot.wait(50)  # a late result would arrive now: it is dropped, nothing breaks
    assert not screen.workspace.is_fitted()
    window.close()
