"""The lab "smart_city/traffic-signals" on the embedded counts: self-test, the checks' feedback, resume, the shown
script (run in a temporary folder, it gives the lab's numbers), and the workspace the panel drives."""

from __future__ import annotations

import copy
import io
import json
import math
import subprocess
import sys
from contextlib import redirect_stdout

import pytest

from app.core.tasks import Cancelled, TaskState
from labs.framework import run_check, selftest
from labs.registry import load_lab
from labs.smart_city import traffic_lab
from labs.smart_city.traffic.plans import fixed_plan
from labs.smart_city.traffic.simulate import PERIOD
from labs.smart_city.traffic_lab import LAB, REFERENCE, WRONG_ATTEMPTS
from labs.smart_city.traffic_workspace import (AFTER_HOLIDAY, AVERAGE, DAYS, LOS_LETTERS, ORDINARY_DAY, PEAK,
                                               PERIODS, SAME_HOUR_MEAN, SAME_HOUR_MEDIAN, SAME_WEEKDAY_MEAN,
                                               SEASONAL_NAIVE, TIMED_ON_ACTUAL, TIMED_ON_FORECAST, TIMED_ON_LAST_WEEK,
                                               ForecastChoice, level_of_service, scenario_key)
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def reference():
    return LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)


def plain(text: str) -> str:
    """Without the isolates that keep times and formulas left to right in a right-to-left sentence."""
    return text.replace("\u2068", "").replace("\u2069", "")


def wrong(name: str) -> str:
    """The feedback on a wrong attempt, which must fail its task."""
    attempt = next(w for w in WRONG_ATTEMPTS if w.name == name)
    feedback = run_check(LAB.task(attempt.task_id), LAB.open(copy.deepcopy(attempt.snapshot), TaskState(), None))
    assert not feedback.passed
    return plain(feedback.message)


def test_selftest_passes_and_every_task_has_a_wrong_attempt():
    result = selftest(LAB)
    assert result.ok, result.as_dict()
    assert not result.untested_tasks
    assert [t.id for t in LAB.tasks] == ["forecast", "fixed", "gain", "failures"]


def test_the_registry_ships_the_lab_with_its_panel():
    assert load_lab("smart_city/traffic-signals") is LAB
    assert LAB.family == "smart_city" and LAB.datasets == ("metro-traffic",)
    assert LAB.panel == "labs.smart_city.traffic_panel:TrafficPanel"


def test_the_selftest_command_reports_that_every_check_behaves():
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "lab", "selftest", "smart_city/traffic-signals"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("smart_city/traffic-signals: all checks behave.")


def test_every_task_has_a_hint_and_instructions():
    targeted = {w.task_id for w in WRONG_ATTEMPTS}
    for task in LAB.tasks:
        assert task.hint and task.instructions and task.id in targeted, task.id


def test_the_definition_and_the_workspace_import_no_qt():
    code = ("import labs.smart_city.traffic_lab, labs.smart_city.traffic_workspace, labs.smart_city.traffic_script, "
            "sys; print('PySide6' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]


# --- a fresh start and the feedback ---------------------------------------------------------------------------------

def test_a_fresh_start_says_what_to_do_first():
    workspace = LAB.open(None, TaskState(), None)
    assert workspace.forecast.method == SEASONAL_NAIVE and workspace.run is None
    assert all(cycle is None for cycle in workspace.cycles.values())
    messages = {t.id: run_check(t, workspace) for t in LAB.tasks}
    assert not any(f.passed for f in messages.values())
    assert messages["forecast"].message.startswith("You chose the seasonal-naive forecast")
    assert messages["fixed"].message == ("Type a cycle for 6 more junctions: Harbour Gate, Market Cross, Hospital "
                                         "Junction, School Corner, Station Square, City Hall.")
    assert messages["gain"].message.startswith("Time the fixed plan first (task 2)")
    assert messages["failures"].message.startswith("Simulate the day first (task 3)")
    snapshot = workspace.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["simulation"] == {"day": "2018-09-12", "timed_on": "forecast", "run": False}


def test_the_reference_cycles_are_webster_for_the_peak_hour(reference):
    """The reference types Webster's C0 rounded to whole seconds: the engine's own fixed plan, rounded."""
    engine = fixed_plan(reference.district, reference.typical, "peak")
    assert {k: round(v[0].cycle) for k, v in engine.timings.items()} == REFERENCE["fixed"]["cycles"]
    rows = {r.intersection: r for r in reference.design_rows()}
    assert rows["M2"].c0 == pytest.approx(620, abs=0.5) and rows["M2"].cycle == 120
    assert rows["H2"].flow_ratio_sum == pytest.approx(0.70, abs=0.005)
    assert all(r.hour == 16 for r in rows.values())  # every junction peaks in the evening on a typical weekday
    assert all(r.lost_time == 10 for r in rows.values())


def test_feedback_says_exactly_what_differs():
    assert wrong("fixed plan timed on the daily average").startswith(
        "You designed the plan for the day's average hour. Its cycles are short, and in the peak hour Market Cross, "
        "Station Square, City Hall would be over capacity")
    assert wrong("lost time without the all-red (L = 6 s)") == (
        "Harbour Gate: you typed 30 s, which is what the formula gives with L = 6 s. The lost time counts the all-red "
        "too: L = 2 × 3 s + 4 s = 10 s.")
    assert wrong("Station Square at Webster's 620 s, beyond the city's longest cycle").startswith(
        "Station Square: 620 s is longer than the city's longest cycle, 120 s.")
    assert wrong("the mean of only the last 5 weekdays: Labor Day weighs a fifth").endswith(
        "With only 5 past days, one unusual day, such as a holiday, weighs a lot.")
    assert "1,294 vehicles per hour off" in wrong(
        "forecasting with last week's counts, holiday and all (the baseline itself)")
    assert wrong("the saving as a share of the responsive plan's delay").startswith(
        "You answered 36.9%: that is the saving as a share of the responsive plan's delay.")
    assert wrong("a longer cycle for Station Square").startswith(
        "With Y = 0.968, Station Square needs 97% of every cycle as green: only a cycle longer than 310 s")
    assert wrong("a better forecast for Station Square") == (
        "Timed on the actual counts, a perfect forecast, Station Square is still over capacity at 16:00–18:00: the "
        "forecast is not the problem.")
    assert wrong("blames heavy traffic for the Monday after the holiday").startswith(
        "That Monday's counts were ordinary: 84,265 vehicles passed the counting station, against 87,115")


def test_a_cycle_off_by_more_than_rounding_shows_the_formula_with_the_junctions_numbers(reference):
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    workspace.set_cycle("H2", 60)
    feedback = run_check(LAB.task("fixed"), workspace)
    assert plain(feedback.message) == ("Market Cross: you typed 60 s, but for its peak hour (16:00–17:00) Webster's "
                                       "formula gives C0 = (1.5 × 10 + 5) / (1 − 0.700). Work it out again and "
                                       "round it to whole seconds.")
    for typed, passes in ((66, True), (67, True), (68, False)):  # C0 = 66.7 s: within a second is rounding
        workspace.set_cycle("H2", typed)
        assert run_check(LAB.task("fixed"), workspace).passed is passes, typed
    workspace.set_cycle("H2", 67)
    workspace.set_cycle("M2", 100)
    assert run_check(LAB.task("fixed"), workspace).message.endswith(
        "If the result is longer than the city's longest cycle, 120 s, use 120 s.")
    workspace.set_cycle("M2", 20)
    assert "leaves no room for two greens of at least 7 s after 10 s of lost time" in run_check(
        LAB.task("fixed"), workspace).message


def test_the_saving_is_read_as_people_type_it(reference):
    saved = dict(reference.answers)
    try:
        for typed in ("27", "27 %", "27.0%", "0.27", "٢٧٪", "26,5"):
            reference.set_answer("gain", typed)
            assert run_check(LAB.task("gain"), reference).passed, typed
        reference.set_answer("gain", "about a quarter")
        assert run_check(LAB.task("gain"), reference).message.startswith("Type the saving")
    finally:
        reference.answers = saved


def test_the_reference_gain_is_the_measured_one(reference):
    comparison = reference.run.comparison
    assert comparison.saving_percent == pytest.approx(float(REFERENCE["answers"]["gain"]), abs=0.1)
    assert comparison.base_vehicle_hours == pytest.approx(2164, abs=1)  # the engine README's 2,163, rounded cycles
    assert comparison.other_vehicle_hours == pytest.approx(1580, abs=1)
    assert reference.score().mae < reference.baseline().mae == pytest.approx(232.1, abs=0.05)


# --- the workspace ---------------------------------------------------------------------------------------------------

def test_forecasters_use_only_earlier_days_and_their_windows():
    workspace = LAB.open(None, TaskState(), None)
    history = workspace.history
    day = ORDINARY_DAY
    weekdays = history.complete_weekdays(before=day)
    same_weekday = [d for d in weekdays if d.weekday() == day.weekday()][-4:]
    expected = [sum(history.day(d)[h] for d in same_weekday) / 4 for h in range(24)]
    assert workspace.forecast_of(day, ForecastChoice(SAME_WEEKDAY_MEAN, 4)) == pytest.approx(expected)
    median = workspace.forecast_of(day, ForecastChoice(SAME_HOUR_MEDIAN, 3))
    assert median[8] == sorted(history.day(d)[8] for d in weekdays[-3:])[1]
    assert ForecastChoice(SAME_HOUR_MEAN, 500).window == 60 and ForecastChoice(SAME_WEEKDAY_MEAN, 0).window == 1
    assert ForecastChoice.from_dict({"method": "crystal_ball"}) == ForecastChoice(SEASONAL_NAIVE)
    scores = {m: workspace.score(ForecastChoice.default(m)).mae for m in (SAME_HOUR_MEAN, SAME_HOUR_MEDIAN,
                                                                          SAME_WEEKDAY_MEAN)}
    assert scores[SAME_HOUR_MEAN] == pytest.approx(230.0, abs=0.05)  # the engine README's backtest
    assert all(s < workspace.baseline().mae for s in scores.values())


def test_any_change_drops_the_simulated_day_but_keeps_what_was_explored(reference):
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    assert workspace.run is not None and workspace.run_is_current()
    key = workspace.run.key
    for change in (lambda: workspace.set_forecast(ForecastChoice(SAME_HOUR_MEAN, 20)),
                   lambda: workspace.set_cycle("H1", 44), lambda: workspace.set_basis(AVERAGE),
                   lambda: workspace.set_day(AFTER_HOLIDAY), lambda: workspace.set_timed_on(TIMED_ON_ACTUAL)):
        workspace.set_run(workspace.simulation_job()(TaskState()))
        change()
        assert workspace.run is None
        assert workspace.snapshot()["simulation"]["run"] is False
    assert key in workspace.explored


def test_an_incomplete_plan_cannot_be_simulated_and_a_cancel_is_honoured(reference):
    workspace = LAB.open(None, TaskState(), None)
    with pytest.raises(ValueError):
        workspace.simulation_job()
    state = TaskState()
    state.request_cancel()
    with pytest.raises(Cancelled):
        reference.simulation_job()(state)


def test_frames_add_up_to_the_days_delay(reference):
    run = reference.run
    keys = reference.district.approach_keys()
    for frames, result in ((run.fixed_frames, run.fixed), (run.responsive_frames, run.responsive)):
        assert len(frames.approach_delay) == PERIODS == 96 and len(frames.approach_delay[0]) == len(keys) == 24
        vehicle_hours = sum(sum(row) for row in frames.approach_queue) * PERIOD / 3600
        assert vehicle_hours == pytest.approx(result.vehicle_hours, rel=1e-9)
        junction_queue = sum(sum(row) for row in frames.junction_queue) * PERIOD / 3600
        assert junction_queue == pytest.approx(result.vehicle_hours, rel=1e-9)
    evening, night = 17 * 4, 3 * 4
    m2 = [i.id for i in reference.district.intersections].index("M2")
    assert level_of_service(run.responsive_frames.junction_delay[evening][m2]) == 5  # F: over capacity
    assert level_of_service(run.responsive_frames.junction_delay[night][m2]) <= 1  # A or B at 3 am
    assert run.fixed_frames.junction_delay[night][m2] > 2 * run.responsive_frames.junction_delay[night][m2]


def test_levels_of_service_follow_the_hcm_bands():
    assert [LOS_LETTERS[level_of_service(d)] for d in (0, 10, 10.1, 20, 35, 55, 80, 80.1, math.inf)] == \
        ["A", "A", "B", "B", "C", "D", "E", "F", "F"]


def test_resume_reproduces_the_work_and_its_numbers(reference):
    again = LAB.open(json.loads(json.dumps(reference.snapshot())), TaskState(), None)
    assert again.snapshot() == reference.snapshot()
    assert again.run.comparison == reference.run.comparison
    assert again.run.fixed_frames == reference.run.fixed_frames


def test_the_holiday_scenario_is_the_runaway_the_engine_documents(reference):
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    workspace.set_day(AFTER_HOLIDAY)
    workspace.set_timed_on(TIMED_ON_LAST_WEEK)
    workspace.set_run(workspace.simulation_job()(TaskState()))
    comparison = workspace.run.comparison
    assert comparison.other_vehicle_hours > 20 * comparison.base_vehicle_hours
    assert workspace.run.key == scenario_key(AFTER_HOLIDAY, SEASONAL_NAIVE)
    assert not run_check(LAB.task("gain"), workspace).passed
    assert run_check(LAB.task("failures"), workspace).passed  # the answers stand, whatever is on screen


# --- the shown script -----------------------------------------------------------------------------------------------

def _run_script(code: str) -> dict:
    namespace: dict = {"__name__": "__main__"}
    with redirect_stdout(io.StringIO()):
        exec(compile(code, "<lab script>", "exec"), namespace)  # noqa: S102 - running it is the test
    return namespace


@pytest.mark.parametrize("scenario", ["reference", "average", "holiday", "perfect", "median"])
def test_the_shown_script_runs_and_gives_the_labs_numbers(scenario, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever the script might write lands here, not in the repository
    snapshot = copy.deepcopy(REFERENCE)
    if scenario == "average":
        snapshot["fixed"] = {"basis": AVERAGE, "cycles": {"H1": 30, "H2": 33, "H3": 30, "M1": 31, "M2": 45, "M3": 35}}
    elif scenario == "holiday":
        snapshot["simulation"] = {"day": AFTER_HOLIDAY.isoformat(), "timed_on": TIMED_ON_LAST_WEEK, "run": True}
    elif scenario == "perfect":
        snapshot["simulation"] = {"day": AFTER_HOLIDAY.isoformat(), "timed_on": TIMED_ON_ACTUAL, "run": True}
    elif scenario == "median":
        snapshot["forecast"] = {"method": SAME_HOUR_MEDIAN, "window": 10}
    workspace = LAB.open(snapshot, TaskState(), None)
    assert workspace.run is not None
    code = workspace.code()
    assert code.startswith("# Adaptive traffic signals: what you did in the lab")
    assert "import labs" not in code and "from labs" not in code  # it needs nothing from the app
    ns = _run_script(code)
    assert ns["my_mae"] == pytest.approx(workspace.score().mae, rel=1e-9)
    assert ns["baseline_mae"] == pytest.approx(workspace.baseline().mae, rel=1e-9)
    comparison = workspace.run.comparison
    assert ns["fixed_vehicle_hours"] == pytest.approx(comparison.base_vehicle_hours, rel=1e-9)
    assert ns["responsive_vehicle_hours"] == pytest.approx(comparison.other_vehicle_hours, rel=1e-9)
    assert ns["saving_percent"] == pytest.approx(comparison.saving_percent, rel=1e-9)
    assert ns["fixed_hourly"] == pytest.approx(list(workspace.run.fixed.hourly_vehicle_hours()), rel=1e-9)
    assert list(tmp_path.iterdir()) == []


def test_the_script_of_unfinished_work_runs_as_far_as_the_work_goes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    workspace = LAB.open(None, TaskState(), None)
    workspace.set_forecast(ForecastChoice(SAME_HOUR_MEAN, 20))
    workspace.set_cycle("H1", 43)
    code = workspace.code()
    assert "type a cycle for every junction in the lab to time it (missing: H2, H3, M1, M2, M3)" in code
    assert "fixed_vehicle_hours" not in code
    ns = _run_script(code)
    assert ns["my_mae"] == pytest.approx(workspace.score().mae, rel=1e-9)


def test_the_days_and_names_the_lab_shows():
    assert DAYS == (ORDINARY_DAY, AFTER_HOLIDAY) and ORDINARY_DAY.weekday() == 2 and AFTER_HOLIDAY.weekday() == 0
    assert traffic_lab.day_title(AFTER_HOLIDAY) == "September 10, 2018: the Monday a week after Labor Day"
    assert [traffic_lab.junction_name(k) for k in ("H1", "M2")] == ["Harbour Gate", "Station Square"]
    assert traffic_lab.hours_text(16, 17) == "\u206816:00–18:00\u2069"  # left to right inside Arabic text
    assert traffic_lab.describe_forecast(ForecastChoice(SAME_WEEKDAY_MEAN, 1)) == (
        "the mean of the same hour on the same weekday over the last 1 week")
    assert {PEAK, AVERAGE} == {"peak", "average"} and TIMED_ON_FORECAST == "forecast"


def test_bench_labs_reports_the_simulated_day_against_its_target_and_baseline():
    from app.bench_labs import TRAFFIC_DAY_TARGET_S, traffic_day

    result = traffic_day()
    assert result["target_s"] == TRAFFIC_DAY_TARGET_S == 1.0
    assert result["simulated_day_s"] > 0 and result["baseline_loop_s"] > 0
    assert result["ratio"] == pytest.approx(result["simulated_day_s"] / result["baseline_loop_s"], rel=0.05)
    assert result["ok"] == (result["simulated_day_s"] < TRAFFIC_DAY_TARGET_S)
