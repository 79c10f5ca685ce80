"""The traffic lab's panel, driven the way a learner does: through a synchronous fake host (each tab, the maps and
their animation, cancel), and in the real window in English and Arabic (the whole lab, task by task, with
"Check my work"; resume; cancelling and leaving while a day is being simulated)."""

from __future__ import annotations

import copy
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from app.core.i18n import set_locale
from app.core.tasks import TaskState
from labs.framework import run_check
from labs.smart_city.traffic_lab import LAB, REFERENCE
from labs.smart_city.traffic_workspace import (
    AFTER_HOLIDAY,
    ORDINARY_DAY,
    SAME_HOUR_MEAN,
    SAME_WEEKDAY_MEAN,
    ForecastChoice,
    scenario_key,
)
from tests.ui.lab_panels import lab_course, plain, type_and_leave, unnamed
from tests.ui.lab_panels import open_lab_in_window as _open_lab
from tests.ui.sync_host import SyncHost

CYCLES = REFERENCE["fixed"]["cycles"]


@pytest.fixture
def make_panel(qtbot, tmp_path):
    def make(snapshot=None, locale: str = "en", **host_options):
        from labs.smart_city.traffic_panel import TrafficPanel

        host = SyncHost(tmp_path, locale=locale, **host_options)
        panel = TrafficPanel(LAB.open(copy.deepcopy(snapshot) if snapshot else None, TaskState(), None), host)
        qtbot.addWidget(panel)
        panel.resize(1000, 800)
        panel.show()
        return panel, host
    return make


def check(panel, task_id: str):
    return run_check(LAB.task(task_id), panel.workspace)


def type_cycle(qtbot, spin, value: int) -> None:
    """Type a cycle with the keyboard and press Enter, as the learner does."""
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), str(value))
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def choose(combo: QComboBox, data) -> None:
    index = combo.findData(data)
    assert index >= 0, (data, [combo.itemData(i) for i in range(combo.count())])
    combo.setCurrentIndex(index)


def do_forecast_and_fixed_plan(qtbot, panel) -> None:
    panel.tabs.setCurrentIndex(0)
    choose(panel.forecast.method_combo, SAME_WEEKDAY_MEAN)
    panel.tabs.setCurrentIndex(1)
    for junction, cycle in CYCLES.items():
        type_cycle(qtbot, panel.fixed.cycle_spins[junction], cycle)


# --- through the widgets --------------------------------------------------------------------------------------------

def test_a_learner_does_the_whole_lab_through_the_widgets(qtbot, make_panel):
    panel, host = make_panel()
    changes = []
    panel.changed.connect(lambda: changes.append(1))
    assert [panel.tabs.tabText(i) for i in range(4)] == ["1. Forecast", "2. Fixed plan", "3. Simulate the day",
                                                         "4. Where it fails"]
    # 1. the forecast
    forecast = panel.forecast
    assert forecast.verdict.text().startswith("You are using the baseline itself")
    assert not forecast.window_spin.isEnabled()
    choose(forecast.method_combo, SAME_HOUR_MEAN)
    forecast.window_spin.setValue(5)
    assert panel.workspace.forecast == ForecastChoice(SAME_HOUR_MEAN, 5)
    assert forecast.verdict.text() == "Yours is not better than the baseline yet."
    assert not check(panel, "forecast").passed
    choose(forecast.method_combo, SAME_WEEKDAY_MEAN)
    assert panel.workspace.forecast == ForecastChoice(SAME_WEEKDAY_MEAN, 4)  # the method's own default window
    assert forecast.window_label.text() == "Weeks to look back:"
    assert (forecast.scores.item(0, 1).text(), forecast.scores.item(0, 2).text()) == ("191.9", "232.1")
    assert forecast.verdict.text() == "Yours makes 17% smaller errors than the baseline."
    assert check(panel, "forecast").passed
    # 2. the fixed plan, typed junction by junction
    panel.tabs.setCurrentIndex(1)
    fixed = panel.fixed
    assert fixed.peak_radio.isChecked() and not panel.day.simulate_button.isEnabled()
    fixed.table.setCurrentCell(1, 0)
    assert plain(fixed.worked.text()) == ("Market Cross: Y = 0.329 + 0.371 = 0.700, so C0 = (1.5 × 10 + 5) / "
                                          "(1 − 0.700).")
    for junction, cycle in CYCLES.items():
        type_cycle(qtbot, fixed.cycle_spins[junction], cycle)
    assert panel.workspace.cycles == {k: float(v) for k, v in CYCLES.items()}
    assert fixed.table.item(4, 8).text() == "1.06: over capacity"  # Station Square, even at 120 s
    assert plain(fixed.table.item(0, 7).text()) == "12.7 / 20.3"  # Harbour Gate's greens, Webster's split of 43 - 10 s
    assert check(panel, "fixed").passed
    # 3. the day
    panel.tabs.setCurrentIndex(2)
    day = panel.day
    assert day.simulate_button.isEnabled() and not day.play_button.isEnabled()
    with qtbot.waitSignal(panel.simulated, timeout=10000):
        qtbot.mouseClick(day.simulate_button, Qt.MouseButton.LeftButton)
    assert host.labels == ["Simulating the day"]
    assert day.fixed_caption.text() == "Fixed plan: 2,164 vehicle-hours of delay over the day"
    assert day.responsive_caption.text() == "Responsive plan: 1,580 vehicle-hours of delay over the day"
    assert day.chart.series is not None and len(day.chart.series[0]) == 24
    assert not check(panel, "gain").passed
    type_and_leave(qtbot, day.gain_edit, "27%")
    assert check(panel, "gain").passed
    # 4. where it fails
    panel.tabs.setCurrentIndex(3)
    failures = panel.failures
    assert plain(failures.capacity_label.text()).endswith("Fixed plan: Station Square 07:00–09:00, 16:00–18:00.\n"
                                                   "Responsive plan: Station Square 16:00–18:00.")
    failures.answer("junction", "M2")
    failures.answer("remedy", "capacity")
    failures.answer("holiday", "holiday")
    assert check(panel, "failures").message.startswith("Simulate September 10, 2018 with the responsive plan timed")
    with qtbot.waitSignal(panel.simulated, timeout=10000):
        qtbot.mouseClick(failures.holiday_button, Qt.MouseButton.LeftButton)
    assert panel.tabs.currentIndex() == 2 and panel.workspace.run.key == scenario_key(AFTER_HOLIDAY, "seasonal_naive")
    assert day.day_combo.currentData() == AFTER_HOLIDAY.isoformat()
    assert "Responsive plan: 4" in day.responsive_caption.text()  # tens of thousands of vehicle-hours
    assert check(panel, "failures").passed
    assert "Station Square" in failures.capacity_label.text() and "City Hall" in failures.capacity_label.text()
    assert len(changes) >= 12
    snapshot = panel.workspace.snapshot()
    assert snapshot["answers"] == {"gain": "27%", "junction": "M2", "remedy": "capacity", "holiday": "holiday"}
    assert snapshot["explored"] == [scenario_key(ORDINARY_DAY, SAME_WEEKDAY_MEAN),
                                    scenario_key(AFTER_HOLIDAY, "seasonal_naive")]


def test_the_maps_change_colour_with_the_hour_and_the_animation_plays(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    day = panel.day
    panel.tabs.setCurrentIndex(2)
    day.show_time(3)
    assert plain(day.time_label.text()) == "03:00–03:15"
    assert day.responsive_view.level_of("M2") in ("A", "B")
    night = day.responsive_view.colour_of("M2").name()
    assert day.fixed_view.level_of("M2") != "F"
    day.show_time(8)
    assert day.fixed_view.level_of("M2") == "F" and day.responsive_view.level_of("M2") != "F"  # the morning split
    day.show_time(17)
    assert day.fixed_view.level_of("M2") == day.responsive_view.level_of("M2") == "F"
    assert day.responsive_view.colour_of("M2").name() != night
    assert "Station Square" in day.responsive_view.accessibleDescription()
    assert day.chart.time_line.value() == 17
    day.show_time(0)
    with qtbot.waitSignal(day.finished_playing, timeout=20000):
        day.play(interval_ms=1)
        assert day.playing and day.play_button.text() == "Pause"
    assert not day.playing and day.slider.value() == 95 and plain(day.time_label.text()) == "23:45–24:00"
    day.play(interval_ms=20)  # from the end, playing starts the day again
    assert day.slider.value() == 0
    qtbot.waitUntil(lambda: day.slider.value() >= 2, timeout=5000)
    panel.tabs.setCurrentIndex(0)  # the maps are hidden: the animation stops
    assert not day.playing and day.play_button.text() == "Play"


def test_a_change_elsewhere_clears_the_maps(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    day = panel.day
    assert day.play_button.isEnabled() and day.fixed_view.level_of("H1")
    panel.tabs.setCurrentIndex(1)
    type_cycle(qtbot, panel.fixed.cycle_spins["H1"], 44)
    assert panel.workspace.run is None
    assert not day.play_button.isEnabled() and day.fixed_view.level_of("H1") == ""
    assert day.status.text() == "Press \"Simulate the day\" to see both plans at work."
    assert day.fixed_caption.text() == "Fixed plan"
    assert panel.failures.capacity_label.text() == "Simulate a day in \"3. Simulate the day\" first."


def test_a_cancelled_simulation_leaves_the_tab_ready(qtbot, make_panel):
    snapshot = copy.deepcopy(REFERENCE)
    snapshot["simulation"]["run"] = False
    panel, host = make_panel(snapshot, cancel=True)
    day = panel.day
    qtbot.mouseClick(day.simulate_button, Qt.MouseButton.LeftButton)
    assert host.labels == ["Simulating the day"]
    assert day.status.text() == "The simulation was cancelled."
    assert day.simulate_button.isEnabled() and not day.busy and panel.workspace.run is None


def test_every_control_is_named(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        qtbot.wait(5)
        assert not unnamed(panel), (panel.tabs.tabText(index), unnamed(panel))
    assert panel.day.fixed_view.accessibleName() == "Map of the district under the fixed plan"


def test_arabic_mirrors_the_panel_but_not_the_maps_or_the_charts(qtbot, make_panel, qapp):
    from app.ui.locale_setup import apply_qt_locale

    set_locale("ar")
    apply_qt_locale(qapp, "ar")
    panel, _host = make_panel(REFERENCE, locale="ar")
    assert panel.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert panel.fixed.table.layoutDirection() == Qt.LayoutDirection.RightToLeft
    day = panel.day
    for widget in (day.fixed_view, day.responsive_view, day.chart, day.slider, panel.forecast.chart):
        assert widget.layoutDirection() == Qt.LayoutDirection.LeftToRight, type(widget).__name__
    assert panel.fixed.cycle_spins["H1"].text() == "43"  # 0-9 digits, as in the tables
    # the map is the same map: Harbour Gate north-west of Station Square in both directions
    view = day.fixed_view
    harbour, station = (view.discs[i].sceneBoundingRect().center() for i in (0, 4))
    assert view.mapFromScene(harbour).x() < view.mapFromScene(station).x()
    assert view.mapFromScene(harbour).y() < view.mapFromScene(station).y()


# --- in the real window ----------------------------------------------------------------------------------------------


@pytest.fixture
def traffic_course(data_dir):
    return lab_course(data_dir, "smart_city/traffic-signals")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_in_the_real_window_a_learner_does_every_task_and_resumes(qtbot, traffic_course, locale):
    from app.core.record.labwork import LabWorkStore
    from tests.ui.helpers import click

    window, course, screen = _open_lab(qtbot, traffic_course, locale)
    panel = screen.panel
    rtl = locale == "ar"
    assert panel.layoutDirection() == (Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    assert panel.day.fixed_view.layoutDirection() == Qt.LayoutDirection.LeftToRight

    def check_task(index: int) -> None:
        screen.task_list.setCurrentRow(index)
        click(qtbot, screen.check_button)
        assert screen.task_list.item(index).text().startswith("✓"), screen.feedback.text()

    do_forecast_and_fixed_plan(qtbot, panel)
    check_task(0)
    check_task(1)
    panel.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(panel.simulated, timeout=30000):
        click(qtbot, panel.day.simulate_button)
    type_and_leave(qtbot, panel.day.gain_edit, "27")
    check_task(2)
    with qtbot.waitSignal(panel.day.finished_playing, timeout=30000):
        panel.day.play(interval_ms=1)
    panel.tabs.setCurrentIndex(3)
    for question, answer in (("junction", "M2"), ("remedy", "capacity"), ("holiday", "holiday")):
        panel.failures.answer(question, answer)
    with qtbot.waitSignal(panel.simulated, timeout=30000):
        click(qtbot, panel.failures.holiday_button)
    check_task(3)
    assert screen.continue_button.isVisible()
    assert "saving_percent" in screen.code_view.toPlainText()
    saved = LabWorkStore(window.services.database).load(window.learning.learner.id, course.id, course.items[1].id)
    assert saved.snapshot["fixed"]["cycles"] == CYCLES
    assert saved.snapshot["simulation"] == {"day": AFTER_HOLIDAY.isoformat(), "timed_on": "last_week", "run": True}
    window.close()

    window, course, screen = _open_lab(qtbot, traffic_course, locale)  # closed and opened again
    day = screen.panel.day
    assert screen.workspace.snapshot() == saved.snapshot
    assert day.play_button.isEnabled() and day.day_combo.currentData() == AFTER_HOLIDAY.isoformat()
    day.show_time(8)
    assert day.responsive_view.level_of("M2") == "F"  # the holiday plan's morning, on the maps again
    window.close()


def test_cancelling_or_leaving_while_the_day_is_simulated_is_clean(qtbot, traffic_course, monkeypatch):
    import labs.smart_city.traffic_workspace as workspace_module
    from tests.ui.helpers import click

    real = workspace_module.simulate_day

    def slow(*args, **kwargs):
        time.sleep(0.4)  # long enough to press Cancel or leave before it ends
        return real(*args, **kwargs)

    monkeypatch.setattr(workspace_module, "simulate_day", slow)
    window, course, screen = _open_lab(qtbot, traffic_course, "en")
    panel = screen.panel
    do_forecast_and_fixed_plan(qtbot, panel)
    panel.tabs.setCurrentIndex(2)
    day = panel.day
    assert day.simulate_button.isEnabled()
    click(qtbot, day.simulate_button)
    assert day.busy and not day.simulate_button.isEnabled() and day.status.text() == "Simulating the day…"
    qtbot.waitUntil(lambda: window.task_cancel.isVisible(), timeout=5000)
    click(qtbot, window.task_cancel)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert day.status.text() == "The simulation was cancelled."
    assert not day.busy and day.simulate_button.isEnabled() and screen.workspace.run is None

    click(qtbot, day.simulate_button)  # again, and leave the lab while it runs
    assert window.runner.busy
    window.show_catalogue()
    assert type(window.screen).__name__ != "LabScreen"
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    qtbot.wait(50)  # a late result would arrive now: it is dropped, nothing breaks
    assert screen.workspace.run is None
    window.close()
