"""The container farm lab's panel, driven the way a learner does: through a synchronous fake host (each tab, bad
input where it is typed, cancel), and in the real window in English and Arabic (the whole lab, task by task, with
"Check my work"; resume; cancelling and leaving while the computer searches)."""

from __future__ import annotations

import copy
import time

import pytest
from PySide6.QtCore import Qt

from app.core.i18n import set_locale
from app.core.tasks import TaskState
from labs.framework import run_check
from labs.smart_city.farm_lab import LAB, REFERENCE
from labs.smart_city.farm_workspace import VENDOR_RIGHT
from tests.ui.lab_panels import lab_course, plain, type_and_leave, unnamed
from tests.ui.lab_panels import open_lab_in_window as _open_lab
from tests.ui.sync_host import SyncHost

PLAN = {"ppfd": 200, "photoperiod": 20, "temp_day": 22, "temp_night": 18, "co2_ppm": 1000}
CLAIM_ANSWERS = {"claim": "lettuce", "field": "sunlight", "model": "estimate"}


@pytest.fixture
def make_panel(qtbot, tmp_path):
    def make(snapshot=None, locale: str = "en", **host_options):
        from labs.smart_city.farm_panel import FarmPanel

        host = SyncHost(tmp_path, locale=locale, **host_options)
        panel = FarmPanel(LAB.open(copy.deepcopy(snapshot) if snapshot else None, TaskState(), None), host)
        qtbot.addWidget(panel)
        panel.resize(1000, 800)
        panel.show()
        return panel, host
    return make


def check(panel, task_id: str):
    return run_check(LAB.task(task_id), panel.workspace)


def type_value(qtbot, spin, value: int) -> None:
    """Type a setpoint with the keyboard and press Enter, as the learner does."""
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), str(value))
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def do_read(qtbot, panel, click) -> None:
    panel.tabs.setCurrentIndex(0)
    click(panel.read.run_row.button)
    type_and_leave(qtbot, panel.read.harvests_edit, "6.5")
    type_and_leave(qtbot, panel.read.kwh_edit, "11")


def do_tune(qtbot, panel, click) -> None:
    panel.tabs.setCurrentIndex(1)
    for name, value in PLAN.items():
        type_value(qtbot, panel.tune.spins[name], value)
    click(panel.tune.run_row.button)


def do_search(qtbot, panel, click, wait) -> None:
    panel.tabs.setCurrentIndex(2)
    search = panel.search
    if not search.co2_box.isChecked():
        search.co2_box.setChecked(True)
    wait(lambda: click(search.run_row.button))
    search.co2_box.setChecked(False)
    wait(lambda: click(search.run_row.button))
    type_and_leave(qtbot, search.answer_edits["budget_co2"], "30,000")
    type_and_leave(qtbot, search.answer_edits["budget_no_co2"], "45000")


def do_claim(panel) -> None:
    panel.tabs.setCurrentIndex(3)
    for question, answer in CLAIM_ANSWERS.items():
        panel.claim.answer(question, answer)
    panel.claim.tick(set(VENDOR_RIGHT))


# --- through the widgets --------------------------------------------------------------------------------------------

def test_a_learner_does_the_whole_lab_through_the_widgets(qtbot, make_panel):
    panel, host = make_panel()
    changes = []
    panel.changed.connect(lambda: changes.append(1))

    def click(button):
        assert button.isEnabled() and button.isVisible(), button.text()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert [panel.tabs.tabText(i) for i in range(4)] == ["1. Read a crop", "2. Tune the setpoints", "3. Search",
                                                         "4. Judge the claim"]
    # 1. read a crop
    read = panel.read
    assert not read.results.isVisible() and read.chart.start.xData is None
    assert read.run_row.status.text().startswith("Press \"Grow the crop\"")
    with qtbot.waitSignal(panel.grown, timeout=10000):
        click(read.run_row.button)
    assert host.labels == ["Growing the crop"]
    assert read.results.item(0, 1).text() == "55" and read.results.item(7, 1).text() == "22,579 kWh"
    assert len(read.chart.start.xData) == 56 and read.chart.day_lines[0].value() == 55
    type_and_leave(qtbot, read.harvests_edit, "6.6")
    assert not check(panel, "read").passed
    type_and_leave(qtbot, read.harvests_edit, "6.5")
    type_and_leave(qtbot, read.kwh_edit, "11")
    assert check(panel, "read").passed
    # 2. tune, within the budget
    panel.tabs.setCurrentIndex(1)
    tune = panel.tune
    assert tune.compare.item(1, 1).text() == "6.5" and tune.compare.item(1, 2).text() == "–"
    type_value(qtbot, tune.spins["co2_ppm"], 1000)
    assert panel.workspace.setpoints.co2_ppm == 1000 and panel.workspace.plan is None
    click(tune.run_row.button)
    assert tune.compare.item(1, 2).text() == "9.1" and not check(panel, "tune").passed
    for name, value in PLAN.items():
        type_value(qtbot, tune.spins[name], value)
    assert tune.compare.item(1, 2).text() == "–"  # changed: the old crop is gone
    with qtbot.waitSignal(panel.grown, timeout=10000):
        click(tune.run_row.button)
    assert tune.compare.item(1, 2).text() == "18.2" and tune.compare.item(8, 2).text() == "within"
    assert tune.months.months is not None and len(tune.months.months) == 12
    assert tune.tried.rowCount() == 2 and plain(tune.tried.item(0, 0).text()).startswith("200 µmol/m²/s")
    assert check(panel, "tune").passed
    tune.tried.selectRow(1)
    click(tune.reuse_button)
    assert panel.workspace.setpoints.co2_ppm == 1000 and tune.spins["ppfd"].value() == 150
    assert not check(panel, "tune").passed
    tune.tried.selectRow(0)
    click(tune.reuse_button)
    click(tune.run_row.button)
    assert check(panel, "tune").passed
    # 3. the computer's search
    panel.tabs.setCurrentIndex(2)
    search = panel.search
    assert search.co2_box.isChecked() and not search.table.isVisible()
    with qtbot.waitSignal(panel.searched, timeout=10000):
        click(search.run_row.button)
    assert len(search.chart.series[True]) == 11 and search.table.rowCount() == 11
    assert search.table.item(2, 3).text() == "13.5"  # 30,000 kWh with CO2
    search.co2_box.setChecked(False)
    assert not search.table.isVisible() and not check(panel, "search").passed
    click(search.run_row.button)
    assert set(search.chart.series) == {True, False} and search.table.item(5, 3).text() == "13.5"
    type_and_leave(qtbot, search.answer_edits["budget_co2"], "30,000")
    type_and_leave(qtbot, search.answer_edits["budget_no_co2"], "45000")
    assert check(panel, "search").passed
    # 4. judge the claim
    panel.tabs.setCurrentIndex(3)
    claim = panel.claim
    assert plain(claim.plan_label.text()).startswith("The plan you grew: 200 µmol/m²/s for 20 hours")
    assert claim.energy.item(2, 1).text() == "206"
    type_and_leave(qtbot, claim.price_edit, "0.15")
    assert plain(claim.cost_label.text()).startswith("Electricity for one kg of lettuce: 7.21 kWh × 0.15 = 1.08")
    assert claim.what_if.item(2, 2).text() == "20.3"
    for question, answer in CLAIM_ANSWERS.items():
        claim.answer(question, answer)
    claim.tick({"measured", "metered", "data"})
    assert check(panel, "claim").message.startswith("You left out 1 question")
    claim.tick(set(VENDOR_RIGHT))
    assert check(panel, "claim").passed
    assert len(changes) >= 20
    snapshot = panel.workspace.snapshot()
    assert snapshot["setpoints"] == PLAN and snapshot["plan"] and snapshot["sweeps"] == [True, False]
    assert snapshot["answers"]["vendor"] == "measured,metered,data,staff" and snapshot["price"] == "0.15"


def test_bad_input_is_shown_where_it_is_typed(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    tune = panel.tune
    panel.tabs.setCurrentIndex(1)
    assert tune.run_row.button.isEnabled() and not tune.errors["photoperiod"].isVisible()
    type_value(qtbot, tune.spins["photoperiod"], 2)
    assert tune.errors["photoperiod"].isVisible() and not tune.run_row.button.isEnabled()
    assert plain(tune.errors["photoperiod"].text()) == ("Hours of light a day: 2 hours is outside the range the "
                                                       "model and the container are built for, 4 hours to 24 hours.")
    assert check(panel, "tune").message.startswith("Hours of light a day: 2 hours is outside")
    type_value(qtbot, tune.spins["photoperiod"], 20)
    assert not tune.errors["photoperiod"].isVisible() and tune.run_row.button.isEnabled()
    panel.tabs.setCurrentIndex(0)
    type_and_leave(qtbot, panel.read.harvests_edit, "lots")
    assert panel.read.harvests_error.isVisible() and "is not a number" in panel.read.harvests_error.text()
    type_and_leave(qtbot, panel.read.harvests_edit, "6,5")
    assert not panel.read.harvests_error.isVisible()
    panel.tabs.setCurrentIndex(2)
    type_and_leave(qtbot, panel.search.answer_edits["budget_co2"], "much")
    assert panel.search.answer_errors["budget_co2"].isVisible()
    panel.tabs.setCurrentIndex(3)
    type_and_leave(qtbot, panel.claim.price_edit, "cheap")
    assert panel.claim.price_error.isVisible() and not panel.claim.cost_label.isVisible()


def test_a_cancelled_search_or_crop_leaves_the_tabs_ready(qtbot, make_panel):
    panel, host = make_panel(cancel=True)
    panel.tabs.setCurrentIndex(2)
    search = panel.search
    qtbot.mouseClick(search.run_row.button, Qt.MouseButton.LeftButton)
    assert host.labels == ["Searching every budget"]
    assert search.run_row.status.text() == "Cancelled: nothing changed."
    assert search.run_row.button.isEnabled() and search.co2_box.isEnabled() and not search.run_row.busy
    assert panel.workspace.sweeps == {}
    panel.tabs.setCurrentIndex(1)
    qtbot.mouseClick(panel.tune.run_row.button, Qt.MouseButton.LeftButton)
    assert panel.workspace.plan is None and panel.tune.run_row.button.isEnabled()


def test_every_control_is_named(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        qtbot.wait(5)
        assert not unnamed(panel), (panel.tabs.tabText(index), unnamed(panel))
    assert panel.search.chart.accessibleName() == "Harvests a year of the best plan for each budget"


def test_the_questions_answer_from_the_keyboard(qtbot, make_panel):
    panel, _host = make_panel()
    panel.tabs.setCurrentIndex(3)
    vendor = panel.claim.vendor_list
    vendor.setFocus()
    vendor.setCurrentRow(0)
    qtbot.keyClick(vendor, Qt.Key.Key_Space)
    assert panel.workspace.vendor_choices() == {"measured"}
    choices = panel.claim.answer_lists["claim"]
    choices.setFocus()
    choices.setCurrentRow(0)
    qtbot.keyClick(choices, Qt.Key.Key_Down)
    assert panel.workspace.answers["claim"] == "lettuce"


def test_arabic_mirrors_the_panel_but_not_the_charts(qtbot, make_panel, qapp):
    from app.ui.locale_setup import apply_qt_locale

    set_locale("ar")
    apply_qt_locale(qapp, "ar")
    try:
        panel, _host = make_panel(REFERENCE, locale="ar")
        assert panel.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert panel.tune.compare.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for chart in (panel.read.chart, panel.tune.growth, panel.tune.months, panel.search.chart):
            assert chart.layoutDirection() == Qt.LayoutDirection.LeftToRight, type(chart).__name__
            assert chart.legend.layoutDirection() == Qt.LayoutDirection.LeftToRight, type(chart).__name__
        assert panel.tune.spins["co2_ppm"].text() == "1000"  # 0-9 digits, as in the tables
        days = panel.read.chart.getAxis("bottom")
        assert days.range[0] < days.range[1]  # day 0 on the left, in Arabic too
    finally:
        set_locale("en")
        apply_qt_locale(qapp, "en")


# --- in the real window ----------------------------------------------------------------------------------------------


@pytest.fixture
def farm_course(data_dir):
    return lab_course(data_dir, "smart_city/container-farm")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_in_the_real_window_a_learner_does_every_task_and_resumes(qtbot, farm_course, locale):
    from app.core.record.labwork import LabWorkStore
    from tests.ui.helpers import click as click_in

    window, course, screen = _open_lab(qtbot, farm_course, locale)
    panel = screen.panel
    rtl = locale == "ar"
    assert panel.layoutDirection() == (Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    assert panel.tune.growth.layoutDirection() == Qt.LayoutDirection.LeftToRight

    def click(button):
        click_in(qtbot, button)

    def wait_grown(action):
        with qtbot.waitSignal(panel.grown, timeout=30000):
            action()

    def wait_searched(action):
        with qtbot.waitSignal(panel.searched, timeout=60000):
            action()

    def check_task(index: int) -> None:
        screen.task_list.setCurrentRow(index)
        click(screen.check_button)
        assert screen.task_list.item(index).text().startswith("✓"), screen.feedback.text()

    panel.tabs.setCurrentIndex(0)
    wait_grown(lambda: click(panel.read.run_row.button))
    type_and_leave(qtbot, panel.read.harvests_edit, "6.5")
    type_and_leave(qtbot, panel.read.kwh_edit, "11")
    check_task(0)
    panel.tabs.setCurrentIndex(1)
    for name, value in PLAN.items():
        type_value(qtbot, panel.tune.spins[name], value)
    wait_grown(lambda: click(panel.tune.run_row.button))
    check_task(1)
    do_search(qtbot, panel, click, wait_searched)
    check_task(2)
    do_claim(panel)
    check_task(3)
    assert screen.continue_button.isVisible()
    assert "best_by_budget" in screen.code_view.toPlainText()
    saved = LabWorkStore(window.services.database).load(window.learning.learner.id, course.id, course.items[1].id)
    assert saved.snapshot["setpoints"] == PLAN and saved.snapshot["sweeps"] == [True, False]
    window.close()

    window, course, screen = _open_lab(qtbot, farm_course, locale)  # closed and opened again
    assert screen.workspace.snapshot() == saved.snapshot
    assert screen.panel.tune.compare.item(1, 2).text() == "18.2"
    assert set(screen.panel.search.chart.series) == {True, False}
    window.close()


def test_cancelling_or_leaving_while_the_computer_searches_is_clean(qtbot, farm_course, monkeypatch):
    import labs.smart_city.farm_workspace as workspace_module
    from tests.ui.helpers import click

    real = workspace_module.sweep

    def slow(co2, state=None, fresh=False):
        for step in range(20):  # long enough to press Cancel or leave before it ends
            state.raise_if_cancelled()
            state.set_progress(step, 40)
            time.sleep(0.04)
        return real(co2, state, fresh)

    window, course, screen = _open_lab(qtbot, farm_course, "en")
    monkeypatch.setattr(workspace_module, "sweep", slow)
    panel = screen.panel
    panel.tabs.setCurrentIndex(2)
    row = panel.search.run_row
    click(qtbot, row.button)
    assert row.busy and not row.button.isEnabled() and not panel.search.co2_box.isEnabled()
    assert row.progress.isVisible() and row.cancel_button.isVisible()
    qtbot.waitUntil(lambda: row.progress.value() > 0, timeout=5000)
    click(qtbot, row.cancel_button)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert row.status.text() == "Cancelled: nothing changed." and not row.progress.isVisible()
    assert row.button.isEnabled() and panel.search.co2_box.isEnabled() and screen.workspace.sweeps == {}

    click(qtbot, row.button)  # again, and leave the lab while it runs
    assert window.runner.busy
    window.show_catalogue()
    assert type(window.screen).__name__ != "LabScreen"
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    qtbot.wait(50)  # a late result would arrive now: it is dropped, nothing breaks
    assert screen.workspace.sweeps == {}
    window.close()
