"""The care lab's panel, driven the way a learner does: through a synchronous fake host (each tab, the charts, bad
input, cancel), and in the real window in English and Arabic (the whole lab, task by task, with "Check my work";
resume; cancelling and leaving while work runs)."""

from __future__ import annotations

import copy
import time

import pytest
from PySide6.QtCore import Qt

from app.core.i18n import set_locale
from app.core.tasks import TaskState
from labs.framework import run_check
from labs.smart_city.care_lab import LAB, REFERENCE, minutes_to_alert
from tests.ui.lab_panels import lab_course, type_and_leave, unnamed
from tests.ui.lab_panels import open_lab_in_window as _open_lab
from tests.ui.sync_host import SyncHost

PRIVACY = {"motion": "yes_no", "sound": "none", "step": 15, "keep": "day", "care_worker": "calls_activity",
           "city": "monthly_counts", "vendor": "device_health"}


@pytest.fixture
def make_panel(qtbot, tmp_path):
    def make(snapshot=None, locale: str = "en", **host_options):
        from labs.smart_city.care_panel import CarePanel

        host = SyncHost(tmp_path, locale=locale, **host_options)
        panel = CarePanel(LAB.open(copy.deepcopy(snapshot) if snapshot else None, TaskState(), None), host)
        qtbot.addWidget(panel)
        panel.resize(1000, 800)
        panel.show()
        return panel, host
    return make


def check(panel, task_id: str):
    return run_check(LAB.task(task_id), panel.workspace)


def click(qtbot, widget) -> None:
    assert widget.isEnabled() and widget.isVisible(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def do_the_robot(qtbot, panel) -> None:
    panel.tabs.setCurrentIndex(0)
    click(qtbot, panel.robot.run_button)
    type_and_leave(qtbot, panel.robot.rate_edit, "7.29")
    type_and_leave(qtbot, panel.robot.missed_edit, "2")


def do_the_learning(qtbot, panel) -> None:
    panel.tabs.setCurrentIndex(1)
    panel.learn.choose(weeks=4)
    click(qtbot, panel.learn.learn_button)
    type_and_leave(qtbot, panel.learn.cut_edit, "64.7%")


def do_the_failures(qtbot, panel) -> None:
    panel.tabs.setCurrentIndex(2)
    failures = panel.failures
    for question, answer in (("missed", "H4-illness-32"), ("why", "quiet_life"), ("changed", "H1")):
        failures.answer(question, answer)
    click(qtbot, failures.relearn_button)
    failures.answer("relearn", "both")


def do_the_privacy(qtbot, panel) -> None:
    panel.tabs.setCurrentIndex(3)
    for name, value in PRIVACY.items():
        panel.privacy.choose(name, value)
    click(qtbot, panel.privacy.measure_button)


# --- through the widgets --------------------------------------------------------------------------------------------

def test_a_learner_does_the_whole_lab_through_the_widgets(qtbot, make_panel):
    panel, host = make_panel()
    changes = []
    panel.changed.connect(lambda: changes.append(1))
    assert [panel.tabs.tabText(i) for i in range(4)] == ["1. The robot's rules", "2. Learn each routine",
                                                         "3. Where it fails", "4. Data and who sees it"]
    # 1. the robot: a day on the chart, then six weeks
    robot = panel.robot
    robot.day.picker.go_to("H1", 40)
    chart = robot.day.chart
    assert chart.view.household == "H1" and chart.view.day == 40 and chart.view.learned_calls is None
    assert "the robot calls: 15:10" in chart.accessibleDescription()
    assert robot.day.picker.date_label.text() == "May 11, 2024, in the six scored weeks"
    robot.day.picker.emergency_combo.setCurrentIndex(robot.day.picker.emergency_combo.findData("H4-illness-32"))
    assert (panel.workspace.household, panel.workspace.day) == ("H4", 32)
    assert robot.table.rowCount() == 0 and not check(panel, "robot").passed
    do_the_robot(qtbot, panel)
    assert host.labels == ["Running the robot's rules"]
    assert [robot.table.item(r, 1).text() for r in range(6)] == ["3", "8", "6", "18", "16", "51"]
    assert robot.table.item(5, 3).text() == "2"
    assert robot.months.text().startswith("Scored: 42 days in each of 5 homes, that is 7 household-months")
    assert check(panel, "robot").passed
    # 2. learning: one week is not enough, four weeks are
    panel.tabs.setCurrentIndex(1)
    learn = panel.learn
    assert learn.weeks_spin.value() == 1 and learn.chart.limits is None
    click(qtbot, learn.learn_button)
    assert learn.compare.item(0, 2).text() == "58" and learn.compare.item(1, 2).text() == "8.29"
    assert "8.29 false calls per household-month" in check(panel, "learned").message
    learn.choose(weeks=4)
    assert learn.status.text() == "You changed the settings: press \"Learn and test\" to test them."
    assert learn.compare.item(0, 2).text() == "–"
    do_the_learning(qtbot, panel)
    assert learn.compare.item(0, 2).text() == "18" and learn.compare.item(3, 2).text() == "1"
    assert learn.compare.item(6, 1).text() == "187.9" and learn.compare.item(6, 2).text() == "79.5"
    learn.cost_spin.setValue(0)
    assert learn.compare.item(6, 2).text() == "43.5" and panel.workspace.call_cost == 0
    assert learn.chart.limits is not None and len(learn.chart.limits) == 24
    assert learn.chart.limits[3] > 5 > learn.chart.limits[11]  # Mr Choi: asleep at 3 am, up at 11
    assert check(panel, "learned").passed
    assert panel.robot.day.chart.view.learned_calls is not None  # the day chart shows the learned alarm now
    # 3. where it fails
    failures = panel.failures
    assert failures.table.item(0, 2).text() == "missed" and failures.table.item(0, 3).text() == "–"
    failures.answer("missed", "H4-illness-32")
    failures.answer("why", "quiet_life")
    failures.answer("changed", "H1")
    assert check(panel, "failures").message.startswith("Press \"Re-learn every week\"")
    do_the_failures(qtbot, panel)
    assert failures.table.item(6, 3).text() == "missed"  # Mrs Jung's illness, once re-learned
    failures.day.picker.go_to("H1", 50)
    assert failures.weekly.series["learned"] == (0, 0, 0, 4, 1, 3)  # none until her new nap in week 8
    assert failures.weekly.series["relearned"][3:] != failures.weekly.series["learned"][3:]
    assert check(panel, "failures").passed
    # 4. the data kept
    privacy = panel.privacy
    assert not check(panel, "privacy").passed
    do_the_privacy(qtbot, panel)
    assert privacy.results.item(0, 1).text() == "18" and privacy.results.item(0, 2).text() == "14"
    assert privacy.results.item(5, 2).text() == "The alarm still works."
    assert check(panel, "privacy").passed
    privacy.choose("step", 60)
    assert privacy.results.item(0, 2).text() == "–"  # a new choice of data: test again
    click(qtbot, privacy.measure_button)
    assert privacy.results.item(5, 2).text() == "This cut breaks the alarm."
    assert not check(panel, "privacy").passed
    assert host.labels == ["Running the robot's rules", "Learning the routines", "Learning the routines",
                           "Re-learning every week", "Testing the alarm on the data kept",
                           "Testing the alarm on the data kept"]
    assert len(changes) >= 20
    answers = panel.workspace.snapshot()["answers"]
    assert answers == {"robot_rate": "7.29", "robot_missed": "2", "learned_cut": "64.7%", "missed": "H4-illness-32",
                       "why": "quiet_life", "changed": "H1", "relearn": "both"}


def test_bad_input_is_shown_where_it_is_typed(qtbot, make_panel):
    panel, _host = make_panel()
    robot = panel.robot
    type_and_leave(qtbot, robot.rate_edit, "seven")
    assert robot.rate_error.isVisible() and robot.rate_error.text() == "Type a number, for example 3.5."
    type_and_leave(qtbot, robot.missed_edit, "9")
    assert robot.missed_error.isVisible() and robot.missed_error.text() == "Type a whole number from 0 to 8."
    type_and_leave(qtbot, robot.rate_edit, "7,29")
    type_and_leave(qtbot, robot.missed_edit, "2")
    assert not robot.rate_error.isVisible() and not robot.missed_error.isVisible()
    panel.tabs.setCurrentIndex(1)
    type_and_leave(qtbot, panel.learn.cut_edit, "150%")
    assert panel.learn.cut_error.isVisible()
    assert panel.workspace.answers["learned_cut"] == "150%"  # kept: the check says what is wrong with it
    for typed, margin in (("99", 1.5), ("2.5", 2.5)):  # the box refuses what is out of range as it is typed
        panel.learn.margin_spin.lineEdit().selectAll()
        qtbot.keyClicks(panel.learn.margin_spin.lineEdit(), typed)
        qtbot.keyClick(panel.learn.margin_spin.lineEdit(), Qt.Key.Key_Return)
        assert panel.workspace.choice.margin == margin, typed


def test_cancelled_work_leaves_each_tab_ready(qtbot, make_panel):
    panel, host = make_panel(cancel=True)
    click(qtbot, panel.robot.run_button)
    assert panel.robot.status.text() == "The run was cancelled."
    assert panel.robot.run_button.isEnabled() and not panel.robot.busy and panel.workspace.robot is None
    panel.tabs.setCurrentIndex(1)
    click(qtbot, panel.learn.learn_button)
    assert panel.learn.status.text() == "Learning was cancelled." and panel.learn.learn_button.isEnabled()
    panel.tabs.setCurrentIndex(3)
    click(qtbot, panel.privacy.measure_button)
    assert panel.privacy.status.text() == "The test was cancelled." and panel.workspace.measured is None
    assert host.labels == ["Running the robot's rules", "Learning the routines", "Testing the alarm on the data kept"]


def test_every_control_is_named(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        qtbot.wait(5)
        assert not unnamed(panel), (panel.tabs.tabText(index), unnamed(panel))
    assert panel.robot.day.chart.accessibleName() == "One household's day, every 5 minutes"
    assert "your alarm calls: –" in panel.robot.day.chart.accessibleDescription()  # Mr Choi's missed illness


def test_arabic_mirrors_the_panel_but_not_the_charts(qtbot, make_panel, qapp):
    from app.ui.locale_setup import apply_qt_locale

    set_locale("ar")
    apply_qt_locale(qapp, "ar")
    panel, _host = make_panel(REFERENCE, locale="ar")
    assert panel.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert panel.robot.table.layoutDirection() == Qt.LayoutDirection.RightToLeft
    for chart in (panel.robot.day.chart, panel.learn.chart, panel.failures.weekly, panel.failures.day.chart):
        assert chart.layoutDirection() == Qt.LayoutDirection.LeftToRight, type(chart).__name__
    assert panel.robot.day.picker.day_spin.text() == "33"  # 0-9 digits, as in the tables


# --- in the real window ----------------------------------------------------------------------------------------------


@pytest.fixture
def care_course(data_dir):
    return lab_course(data_dir, "smart_city/elder-care")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_in_the_real_window_a_learner_does_every_task_and_resumes(qtbot, care_course, locale):
    from app.core.record.labwork import LabWorkStore
    from tests.ui.helpers import click as click_button

    window, course, screen = _open_lab(qtbot, care_course, locale)
    panel = screen.panel
    rtl = locale == "ar"
    assert panel.layoutDirection() == (Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    assert panel.robot.day.chart.layoutDirection() == Qt.LayoutDirection.LeftToRight

    def check_task(index: int) -> None:
        screen.task_list.setCurrentRow(index)
        click_button(qtbot, screen.check_button)
        assert screen.task_list.item(index).text().startswith("✓"), screen.feedback.text()

    for index, step in enumerate((do_the_robot, do_the_learning, do_the_failures, do_the_privacy)):
        with qtbot.waitSignal(panel.ran, timeout=30000):
            step(qtbot, panel)
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
        check_task(index)
    assert screen.continue_button.isVisible()
    assert "learned_false_calls" in screen.code_view.toPlainText()
    saved = LabWorkStore(window.services.database).load(window.learning.learner.id, course.id, course.items[1].id)
    assert saved.snapshot["learn"]["weeks"] == 4 and saved.snapshot["learn"]["run"] is True
    assert saved.snapshot["privacy"]["measured"] is True and saved.snapshot["relearned"] is True
    window.close()

    window, course, screen = _open_lab(qtbot, care_course, locale)  # closed and opened again
    panel = screen.panel
    assert screen.workspace.snapshot() == saved.snapshot
    assert panel.learn.compare.item(0, 2).text() == "18"
    assert panel.privacy.results.item(0, 2).text() == "14"
    relearned = screen.workspace.relearned.detection("H5-illness-62")
    assert not relearned.caught and panel.failures.table.item(6, 3).text() == minutes_to_alert(relearned)
    window.close()


def test_cancelling_or_leaving_while_work_runs_is_clean(qtbot, care_course, monkeypatch):
    import labs.smart_city.care_workspace as workspace_module
    from tests.ui.helpers import click as click_button

    window, _course, screen = _open_lab(qtbot, care_course, "en")
    real = workspace_module._run

    def slow(*args, **kwargs):
        time.sleep(0.4)  # long enough to press Cancel or leave before it ends
        return real(*args, **kwargs)

    monkeypatch.setattr(workspace_module, "_run", slow)
    monkeypatch.setattr(workspace_module, "_RUNS", {})  # nothing cached: the work really runs
    panel = screen.panel
    panel.tabs.setCurrentIndex(0)
    click_button(qtbot, panel.robot.run_button)
    assert panel.robot.busy and not panel.robot.run_button.isEnabled()
    assert panel.robot.status.text() == "Running the robot's rules…"
    qtbot.waitUntil(lambda: window.task_cancel.isVisible(), timeout=5000)
    click_button(qtbot, window.task_cancel)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert panel.robot.status.text() == "The run was cancelled."
    assert not panel.robot.busy and panel.robot.run_button.isEnabled() and screen.workspace.robot is None

    panel.tabs.setCurrentIndex(1)
    click_button(qtbot, panel.learn.learn_button)  # again, and leave the lab while it runs
    assert window.runner.busy
    window.show_catalogue()
    assert type(window.screen).__name__ != "LabScreen"
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    qtbot.wait(50)  # a late result would arrive now: it is dropped, nothing breaks
    assert screen.workspace.learned is None
    window.close()
