"""The lab "smart_city/air-quality" on the embedded Beijing data: self-test, the numbers the reference and the feedback
quote (the engine README's), the checks' feedback, resume, the shown script (run in a temporary folder, it gives
the lab's numbers), and the workspace the panel drives."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
import warnings
from contextlib import redirect_stdout

import numpy as np
import pytest

from app.core.tasks import Cancelled, TaskState
from labs.framework import run_check, selftest
from labs.registry import load_lab
from labs.smart_city import air_lab
from labs.smart_city.air import alerts
from labs.smart_city.air import forecast as fc
from labs.smart_city.air.data import BAD, VERY_BAD
from labs.smart_city.air_lab import LAB, REFERENCE, WRONG_ATTEMPTS, parse_count
from labs.smart_city.air_workspace import (BAD_LEVEL, CLIMATOLOGY, INPUTS, PERSISTENCE, PM25, RANDOM_SPLIT, RIDGE,
                                           TEST, TIME_SPLIT, TUNE, VERY_BAD_LEVEL, WEATHER_TODAY, WEATHER_TOMORROW,
                                           ForecastChoice, MissedDay, fit_and_test, random_split)
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def reference():
    return LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)


def wrong(name: str) -> str:
    """The feedback on a wrong attempt, which must fail its task."""
    attempt = next(w for w in WRONG_ATTEMPTS if w.name == name)
    feedback = run_check(LAB.task(attempt.task_id), LAB.open(copy.deepcopy(attempt.snapshot), TaskState(), None))
    assert not feedback.passed
    return feedback.message


def test_selftest_passes_and_every_task_has_wrong_attempts():
    result = selftest(LAB)
    assert result.ok, result.as_dict()
    assert not result.untested_tasks
    assert [t.id for t in LAB.tasks] == ["forecast", "alert", "failures", "public"]
    per_task = {t.id: sum(1 for w in WRONG_ATTEMPTS if w.task_id == t.id) for t in LAB.tasks}
    assert all(count >= 3 for count in per_task.values()), per_task


def test_the_registry_ships_the_lab_with_its_panel():
    assert load_lab("smart_city/air-quality") is LAB
    assert LAB.family == "smart_city" and LAB.datasets == ("beijing-pm25-daily",)
    assert LAB.panel == "labs.smart_city.air_panel:AirPanel"


def test_the_selftest_command_reports_that_every_check_behaves():
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "lab", "selftest", "smart_city/air-quality"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("smart_city/air-quality: all checks behave.")


def test_every_task_has_a_hint_and_instructions():
    for task in LAB.tasks:
        assert task.hint and task.instructions and task.title, task.id


def test_the_definition_the_workspace_and_the_script_import_no_qt():
    code = ("import labs.smart_city.air_lab, labs.smart_city.air_workspace, labs.smart_city.air_script, sys; "
            "print('PySide6' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]


# --- the numbers the lab quotes are the engine's ----------------------------------------------------------------------

def test_the_reference_forecaster_is_the_engine_readmes(reference):
    run = reference.run
    assert run.choice == ForecastChoice(RIDGE, INPUTS, TIME_SPLIT)
    assert (len(run.tune), len(run.test)) == (360, 355)
    assert run.errors.mae == pytest.approx(28.4, abs=0.05) and run.baseline.mae == pytest.approx(51.5, abs=0.05)
    assert run.errors.bias == pytest.approx(-5.8, abs=0.05) and run.errors.skill == pytest.approx(0.45, abs=0.005)
    # the same forecasts as the engine's own model of that name
    years = fc.split()
    engine = fc.forecasts(years.test, fc.concat(years.fit, years.tune), "ridge_with_weather_forecast")
    assert np.allclose(run.test.forecast, engine, rtol=1e-12)
    assert np.allclose(run.tune.forecast, fc.forecasts(years.tune, years.fit, "ridge_with_weather_forecast"),
                       rtol=1e-12)
    tried = {describe: reference.result_of(c).errors.mae for c in reference.tried
             for describe in [air_lab.describe(c)]}
    assert [round(v, 1) for v in tried.values()] == [51.5, 48.5, 44.4, 28.4]


def test_the_reference_alert_is_the_engine_readmes(reference):
    assert reference.best(TUNE).threshold == 62.5 and reference.threshold == 62.5 and reference.miss_cost == 3
    test = reference.counts(TEST)
    assert (test.hits, test.false_alarms, test.misses, test.quiet) == (166, 55, 15, 119)
    engine = alerts.alert_result("ridge_with_weather_forecast", miss_cost=3)
    assert engine.threshold == 62.5 and engine.test == test and engine.test_cost == 100
    edge = reference.counts(TEST, VERY_BAD)
    assert (edge.hits, edge.false_alarms, edge.misses, edge.quiet) == (153, 30, 28, 144)
    leak = reference.best(TEST)
    assert (leak.threshold, leak.cost(1, 3)) == (70.0, 99)  # the engine README's leaky threshold
    assert REFERENCE["answers"]["false_alarms"] == str(test.false_alarms)
    persistence = reference.result_of(ForecastChoice(PERSISTENCE))
    best = reference.best(TUNE, run=persistence)
    assert best.threshold == 32.5 and reference.counts(TEST, 32.5, run=persistence).cost(1, 3) == 161


def test_the_failures_the_lab_shows_are_the_engine_readmes(reference):
    misses = reference.misses()
    engine = alerts.worst_misses("ridge_with_weather_forecast", threshold=62.5)
    assert [(m.day, round(m.forecast, 6), round(m.actual, 6)) for m in misses] == \
        [(m.day, round(m.forecast, 6), round(m.actual, 6)) for m in engine]
    november = next(m for m in misses if m.day.isoformat() == "2014-11-30")
    assert (round(november.today), round(november.forecast), round(november.actual)) == (302, 37, 91)
    assert november.nw_tomorrow - november.nw_today >= 10 and november.weather_turned
    assert sum(m.weather_turned for m in misses) == 8
    assert not any(m.rain_tomorrow for m in misses)
    bad = reference.explored(BAD_LEVEL)
    assert bad.best.threshold == 25 and bad.test.hits + bad.test.false_alarms == 334 and bad.test.days == 355
    assert bad.bad_share == pytest.approx(0.78, abs=0.005)
    very_bad = reference.explored(VERY_BAD_LEVEL)
    assert very_bad.best.threshold == 62.5 and very_bad.bad_share == pytest.approx(0.51, abs=0.005)


def test_a_turn_of_the_weather_is_the_wind_coming_or_going():
    day = MissedDay(None, 50, 40, 90, wind_today=2.0, wind_tomorrow=3.9, nw_today=5, nw_tomorrow=14, rain_tomorrow=0)
    assert not day.weather_turned
    assert MissedDay(None, 50, 40, 90, 2.0, 4.0, 5, 14, 0).weather_turned  # the wind doubled
    assert MissedDay(None, 50, 40, 90, 4.0, 2.0, 5, 14, 0).weather_turned  # ... or halved
    assert MissedDay(None, 50, 40, 90, 2.0, 3.0, 20, 10, 0).weather_turned  # the north-westerly went


# --- a fresh start and the feedback ---------------------------------------------------------------------------------

def test_a_fresh_start_says_what_to_do_first():
    workspace = LAB.open(None, TaskState(), None)
    assert workspace.forecast == ForecastChoice(PERSISTENCE, (PM25,), TIME_SPLIT) and workspace.run is None
    assert (workspace.miss_cost, workspace.threshold) == (1.0, VERY_BAD)
    messages = {t.id: run_check(t, workspace) for t in LAB.tasks}
    assert not any(f.passed for f in messages.values())
    assert messages["forecast"].message.startswith("Press \"Fit and test\"")
    assert messages["alert"].message.startswith("Fit and test a forecaster first (task 1)")
    assert messages["failures"].message.startswith("Fit and test a forecaster by time first (task 1)")
    assert messages["public"].message.startswith("Fit and test a forecaster by time (task 1)")
    snapshot = workspace.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["forecast"] == {"model": PERSISTENCE, "inputs": [PM25], "split": TIME_SPLIT, "run": False}


def test_feedback_says_exactly_what_differs():
    assert wrong("persistence: the baseline itself").startswith(
        "You chose persistence, tomorrow like today: that is the baseline itself, off by 51.5 µg/m³")
    assert "is off by 58.2 µg/m³ on an average day of 2014, persistence by 51.5: yours is worse" in wrong(
        "climatology: the month's average, worse than persistence")
    assert "only 6% smaller errors, which one year's luck could give or take away. The task asks for at least 10%." \
        in wrong("ridge on today's PM2.5 only: 6% better, within a year's luck")
    random = wrong("every input, tested on a random split")
    assert random.startswith("You tested on days drawn at random from all five years")
    assert "the same forecaster is off by 28.4 against 51.5" in random
    assert wrong("alert at the band's edge, 75.5") == (
        "You alert only when the forecast reaches the band's edge, 75.5 µg/m³. In 2013 that gives 33 false alarms and "
        "24 misses, a cost of 105 with a miss worth 3 false alarms. The lowest cost in 2013 is 87, at 62.5 µg/m³: "
        "forecasts are uncertain and misses cost more, so the alert must start below the edge.")
    leak = wrong("threshold chosen on the test year 2014 (70)")
    assert leak.startswith("70 µg/m³ is the lowest-cost threshold of 2014, the test year itself.")
    assert "it shows a cost of 99 in 2014, where the threshold set on 2013 honestly scores 100" in leak
    assert wrong("a miss weighed as one false alarm").startswith(
        "Your cost of a missed very bad day is 1, where a false alarm costs 1.")
    assert wrong("a threshold far below the lowest cost (45)").startswith(
        "At 45 µg/m³ your alert gives 107 false alarms and 2 misses in 2013: a cost of 113")
    assert wrong("persistence's own best threshold, with persistence as the forecaster").startswith(
        "An alert is only as good as its forecast: finish task 1 first. You chose persistence")
    assert wrong("blames rain for the misses") == (
        "None of your 10 worst missed days had rain. Rain washes PM2.5 out of the air; look at the wind instead.")
    assert wrong("thinks alerts for bad days are more useful").startswith(
        "78% of the days of 2014 were bad. With your costs the best threshold is 25 µg/m³ and the alert goes out on "
        "334 of 355 days")
    assert wrong("answers about bad days without looking at them").startswith("Choose \"Bad days\" under \"Alert for\"")
    assert "With it the error is 28.4 µg/m³, without tomorrow's weather 44.4" in wrong(
        "takes the perfect weather forecast's error as the real one")
    assert wrong("counts the missed days instead of the false alarms").startswith(
        "15 is the number of very bad days your alert missed in 2014.")
    assert wrong("counts every alert").startswith("221 is every alert of 2014, the right ones too.")
    assert wrong("a false alarm costs nothing").startswith(
        "With your threshold, 55 alerts of 2014 went out on days that were not very bad.")


def test_any_threshold_with_the_lowest_cost_passes(reference):
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    tune = workspace.run.tune.forecast
    assert not ((tune >= 62.5) & (tune < 62.6)).any()  # no forecast between: 62.6 counts as 62.5
    for threshold, passes in ((62.6, True), (62.5, True), (60, False), (80, False)):
        workspace.set_threshold(threshold)
        assert run_check(LAB.task("alert"), workspace).passed is passes, threshold
    workspace.set_threshold(62.5)
    workspace.set_miss_cost(2)  # a miss worth 2 false alarms: 67.5 is the lowest cost in 2013 (engine README)
    assert not run_check(LAB.task("alert"), workspace).passed
    workspace.set_threshold(67.5)
    assert run_check(LAB.task("alert"), workspace).passed
    for bad in (0, 25, -1):
        with pytest.raises(ValueError):
            workspace.set_miss_cost(bad)
    with pytest.raises(ValueError):
        workspace.set_threshold(501)


def test_the_false_alarm_count_is_read_as_people_type_it(reference):
    assert [parse_count(t) for t in ("55", " 55 days", "٥٥", "1,055", "55.5", "about fifty", "", "5 or 6")] == \
        [55, 55, 55, 1055, None, None, None, None]
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    workspace.set_answer("false_alarms", "55 days")
    assert run_check(LAB.task("public"), workspace).passed
    workspace.set_answer("false_alarms", "fifty-five")
    assert run_check(LAB.task("public"), workspace).message == "Type the number of days as a whole number, for " \
                                                               "example 12."
    workspace.set_answer("false_alarms", "57")  # 2013's
    assert "the number of false alarms in 2013, the tuning year" in run_check(LAB.task("public"), workspace).message


def test_the_answers_follow_the_learners_own_threshold():
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    workspace.set_threshold(VERY_BAD)
    assert workspace.counts(TEST).false_alarms == 30
    assert not run_check(LAB.task("public"), workspace).passed
    workspace.set_answer("false_alarms", "30")
    assert run_check(LAB.task("public"), workspace).passed


# --- the workspace ---------------------------------------------------------------------------------------------------

def test_choices_are_normalised_and_garbage_is_refused():
    choice = ForecastChoice(RIDGE, (WEATHER_TOMORROW, PM25))
    assert choice.inputs == (PM25, WEATHER_TOMORROW)
    assert choice.features == ("log_pm25",) + fc.TOMORROW
    assert ForecastChoice(RIDGE, (PM25, WEATHER_TODAY)).features == fc.FEATURE_SETS["today"]
    assert not ForecastChoice(RIDGE, ()).ready and ForecastChoice(PERSISTENCE, ()).ready
    assert ForecastChoice(PERSISTENCE, (PM25,)).forecaster() == ForecastChoice(PERSISTENCE, ())
    for bad in ({"model": "crystal_ball"}, {"inputs": "all"}, {"split": "sideways"}, None):
        assert ForecastChoice.from_dict(bad).ready
    with pytest.raises(ValueError):
        ForecastChoice("crystal_ball")
    with pytest.raises(ValueError):
        ForecastChoice(RIDGE, ("tea_leaves",))


def test_the_random_split_draws_355_days_from_every_year_and_is_the_same_each_time():
    cases = fc.samples()
    fit, test = random_split(cases, 355)
    assert len(test) == 355 and len(fit) + len(test) == len(cases)
    assert not set(fit.target_dates) & set(test.target_dates)
    assert {d.year for d in test.target_dates} == {2010, 2011, 2012, 2013, 2014}
    assert random_split(cases, 355)[1].target_dates == test.target_dates


def test_a_changed_forecaster_drops_the_run_and_a_cancel_is_honoured():
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    assert workspace.run_is_current()
    workspace.set_forecast(ForecastChoice(RIDGE, (PM25,)))
    assert workspace.run is None and workspace.snapshot()["forecast"]["run"] is False
    workspace.set_forecast(ForecastChoice(RIDGE, ()))
    with pytest.raises(ValueError):
        workspace.fit_job()
    state = TaskState()
    state.request_cancel()
    with pytest.raises(Cancelled):
        fit_and_test(ForecastChoice(RIDGE, INPUTS), workspace.cases, state)
    random = fit_and_test(ForecastChoice(CLIMATOLOGY, (), RANDOM_SPLIT), workspace.cases, TaskState())
    assert not random.ordered and random.sweeps == {}
    with pytest.raises(ValueError):
        random.part(TUNE)


def test_resume_reproduces_the_work_and_its_numbers(reference):
    again = LAB.open(json.loads(json.dumps(reference.snapshot())), TaskState(), None)
    assert again.snapshot() == reference.snapshot()
    assert again.run.errors == reference.run.errors and again.counts(TEST) == reference.counts(TEST)
    assert again.tried == reference.tried and again.seen_levels == [VERY_BAD_LEVEL, BAD_LEVEL]
    broken = LAB.open({"forecast": {"model": "x", "run": True}, "alert": {"miss_cost": "many", "threshold": 9999},
                       "explore": {"level": "awful", "seen": ["awful"]}, "tried": ["nonsense"]}, TaskState(), None)
    assert broken.forecast == ForecastChoice() and broken.run is not None  # the default forecaster, fitted
    assert (broken.miss_cost, broken.threshold, broken.level, broken.seen_levels) == (1.0, VERY_BAD,
                                                                                       VERY_BAD_LEVEL, [])


# --- the shown script -----------------------------------------------------------------------------------------------

def _run_script(code: str) -> dict:
    namespace: dict = {"__name__": "__main__"}
    with redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("error")  # the script must run clean on the pandas the app ships
        exec(compile(code, "<lab script>", "exec"), namespace)  # noqa: S102 - running it is the test
    return namespace


@pytest.mark.parametrize("scenario", ["reference", "persistence", "climatology", "pm25", "random", "cost"])
def test_the_shown_script_runs_and_gives_the_labs_numbers(scenario, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever the script might write lands here, not in the repository
    snapshot = copy.deepcopy(REFERENCE)
    forecast = snapshot["forecast"]
    if scenario in ("persistence", "climatology"):
        forecast["model"] = scenario
    elif scenario == "pm25":
        forecast["inputs"] = [PM25]
    elif scenario == "random":
        forecast["split"] = RANDOM_SPLIT
    elif scenario == "cost":
        snapshot["alert"] = {"miss_cost": 1.5, "threshold": 71.3}
    workspace = LAB.open(snapshot, TaskState(), None)
    code = workspace.code()
    assert code.startswith("# Air quality alerts: what you did in the lab")
    assert "import labs" not in code and "from labs" not in code  # it needs nothing from the app
    ns = _run_script(code)
    run = workspace.run
    assert ns["mae"] == pytest.approx(run.errors.mae, rel=1e-9)
    assert ns["baseline_mae"] == pytest.approx(run.baseline.mae, rel=1e-9)
    assert ns["bias"] == pytest.approx(run.errors.bias, rel=1e-9, abs=1e-9)
    if scenario == "random":
        assert "best_2013" not in ns
        return
    assert ns["best_2013"] == workspace.best(TUNE).threshold
    for name, counts in (("tune_counts", workspace.counts(TUNE)), ("test_counts", workspace.counts(TEST)),
                         ("edge_counts", workspace.counts(TEST, VERY_BAD))):
        assert ns[name] == {"hits": counts.hits, "false_alarms": counts.false_alarms, "misses": counts.misses,
                            "quiet": counts.quiet}, name
    assert [d.date() for d in ns["worst_misses"]["date"]] == [m.day for m in workspace.misses()]
    bad = workspace.explored(BAD_LEVEL)
    assert ns["bad_threshold"] == bad.best.threshold and ns["BAD"] == BAD
    assert ns["bad_alerts"] == bad.test.hits + bad.test.false_alarms
    assert list(tmp_path.iterdir()) == []


def test_the_script_of_unfinished_work_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    workspace = LAB.open(None, TaskState(), None)
    workspace.set_forecast(ForecastChoice(RIDGE, ()))
    code = workspace.code()
    assert "a ridge regression needs at least one input" in code and "mae" not in code
    _run_script(code)


def test_the_names_the_lab_shows():
    assert air_lab.describe(ForecastChoice(RIDGE, INPUTS)) == (
        "ridge regression on today's PM2.5, today's weather and the season, and tomorrow's weather forecast")
    assert air_lab.describe(ForecastChoice(PERSISTENCE)) == "persistence: tomorrow like today"
    assert (air_lab.num(1234.56, 1), air_lab.signed(-5.8), air_lab.signed(0.5), air_lab.signed(0.0)) == \
        ("1,234.6", "-5.8", "+0.5", "0.0")
    assert (air_lab.level_text(62.5), air_lab.level_text(70.0), air_lab.share(0.449)) == ("62.5", "70", "45%")
