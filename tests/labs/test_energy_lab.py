"""The lab "smart_city/plant-energy" on the embedded readings: self-test, the reference measured by the engine, the
checks' feedback, answers read as people type them, resume, the shown script (run in a temporary folder, it gives
the lab's numbers), and the workspace the panel drives."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from contextlib import redirect_stdout

import pytest

from app.core.tasks import Cancelled, TaskState
from labs.framework import run_check, selftest
from labs.registry import load_lab
from labs.smart_city import energy_lab
from labs.smart_city import energy_workspace as ew
from labs.smart_city.energy import data as energy_data
from labs.smart_city.energy import plant as pl
from labs.smart_city.energy import savings
from labs.smart_city.energy import schedule as sc
from labs.smart_city.energy_lab import LAB, REFERENCE, WRONG_ATTEMPTS
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def reference():
    return LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)


def plain(text: str) -> str:
    """Without the isolates that keep times, formulas and negative numbers left to right in right-to-left text."""
    return text.replace("\u2068", "").replace("\u2069", "")


def wrong(name: str) -> str:
    """The feedback on a wrong attempt, which must fail its task."""
    attempt = next(w for w in WRONG_ATTEMPTS if w.name == name)
    feedback = run_check(LAB.task(attempt.task_id), LAB.open(copy.deepcopy(attempt.snapshot), TaskState(), None))
    assert not feedback.passed
    return plain(feedback.message)


def check(workspace, task_id: str):
    return run_check(LAB.task(task_id), workspace)


def test_selftest_passes_and_every_task_has_wrong_attempts():
    result = selftest(LAB)
    assert result.ok, result.as_dict()
    assert [t.id for t in LAB.tasks] == ["forecast", "schedule", "verify", "failures"]
    per_task = {t.id: sum(1 for w in WRONG_ATTEMPTS if w.task_id == t.id) for t in LAB.tasks}
    assert min(per_task.values()) >= 6, per_task


def test_the_registry_ships_the_lab_with_its_panel():
    assert load_lab("smart_city/plant-energy") is LAB
    assert LAB.family == "smart_city" and LAB.datasets == ("steel-plant-energy",)
    assert LAB.panel == "labs.smart_city.energy_panel:EnergyPanel"


def test_the_selftest_command_reports_that_every_check_behaves():
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "lab", "selftest", "smart_city/plant-energy"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("smart_city/plant-energy: all checks behave.")


def test_every_task_has_a_hint_and_instructions():
    for task in LAB.tasks:
        assert task.hint and task.instructions, task.id


def test_the_definition_and_the_workspace_import_no_qt():
    code = ("import labs.smart_city.energy_lab, labs.smart_city.energy_workspace, labs.smart_city.energy_script, "
            "sys; print('PySide6' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]


# --- the reference is the engine's -----------------------------------------------------------------------------------

def test_the_reference_plans_are_the_engines(reference):
    plant = pl.sample_plant()
    as_lists = ew.plan_key
    assert as_lists(sc.optimise(plant, ew.MONTH, sc.COST)) == as_lists(ew.plan_from(REFERENCE["schedule"]))
    assert as_lists(sc.optimise(plant, 7, sc.COST)) == as_lists(ew.plan_from(energy_lab._SUMMER_CHEAPEST))
    assert as_lists(sc.stack_off_peak(plant, ew.MONTH)) == as_lists(ew.plan_from(energy_lab._STACKED))
    assert as_lists(sc.skip_peak(ew.MONTH)) == as_lists(ew.plan_from(energy_lab._SKIP_PEAK))
    assert as_lists(sc.cheapest_hours(plant, ew.MONTH)) == as_lists(ew.plan_from(energy_lab._NIGHT))
    mine, today, best = reference.evaluation(), reference.today(), reference.best()
    assert mine.feasible and mine.cost_won == pytest.approx(best.cost_won)
    # Measured (engine README: winter is where the evening peak is): 3.6 % off the bill, 0.7 % more kWh.
    assert round(today.cost_won) == 430491 and round(mine.cost_won) == 414821
    assert today.kwh == 3483 and mine.kwh == 3508 and mine.peak_kw == 462
    leanest = reference.best(sc.ENERGY)
    assert leanest.kwh < today.kwh < mine.kwh and leanest.cost_won > mine.cost_won


def test_the_reference_answers_are_the_engines_measurement(reference):
    boosting = reference.result(ew.BOOSTING)
    cv = boosting.weekday_daily_cv_rmse
    assert cv == pytest.approx(26.9, abs=0.05) and reference.daily_cv() == cv
    assert reference.test_days() == 64
    assert sum(energy_data.working_weekdays_by_month(reference.hours).values()) == energy_lab.YEAR_WORKING_DAYS
    assert float(REFERENCE["answers"]["detectable"]) == pytest.approx(savings.detectable(cv, 64), abs=0.05)
    assert int(REFERENCE["answers"]["days_needed"]) == savings.days_needed(2.0, cv) == 697
    # the typed mistakes of the wrong attempts are what those mistakes give
    assert cv / 8 == pytest.approx(3.4, abs=0.05) and 1.96 * cv / 64 == pytest.approx(0.8, abs=0.05)
    assert int(1.96 * cv / 2) == 26 and int((cv / 2) ** 2) == 181
    year = reference.year  # the engine README's table
    assert year[ew.CHEAPEST].cost_percent == pytest.approx(2.2, abs=0.05)
    assert year[ew.LEANEST_LUNCH].kwh_percent == pytest.approx(1.7, abs=0.05)
    assert year[ew.CHEAPEST_NIGHT].cost_percent == pytest.approx(39.2, abs=0.05)
    assert reference.claim(0.0, ew.PROFILE).mean == pytest.approx(12.9, abs=0.05)


# --- a fresh start and the feedback ---------------------------------------------------------------------------------

def test_a_fresh_start_says_what_to_do_first():
    workspace = LAB.open(None, TaskState(), None)
    assert workspace.model == ew.SEASONAL_NAIVE and workspace.is_today() and workspace.fitted == [ew.SEASONAL_NAIVE]
    messages = {t.id: plain(run_check(t, workspace).message) for t in LAB.tasks}
    assert not any(run_check(t, workspace).passed for t in LAB.tasks)
    assert messages["forecast"].startswith("You chose the seasonal-naive model")
    assert messages["schedule"] == ("This is still today's plan: 430,491 won for tomorrow's energy. Move batches in "
                                    "the grid: the optimiser finds a plan for 414,821 won (3.6% lower).")
    assert messages["verify"].startswith("Choose a fair day-ahead model in task 1 first")
    assert messages["failures"].startswith("Choose a fair day-ahead model in task 1 first")
    snapshot = workspace.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["schedule"] == {"mill": [8, 9, 10, 11, 13, 14, 15, 16], "finishing": [17, 18, 19, 20]}


def test_feedback_says_exactly_what_differs():
    assert wrong("the model that reads the previous hour's meter (not available a day ahead)").startswith(
        "The model \"Trees reading the previous hour\" makes the smallest errors, 19.8 kWh per hour against the "
        "baseline's 47.2, because it reads the meter an hour before each hour it forecasts.")
    assert "its forecasts are 13.8% too high on average (NMBE)" in wrong(
        "the calendar profile: better than the baseline, 14 % biased")
    assert wrong("regression without the production calendar").endswith(
        "It also cannot know which days the plant is shut: it has no production calendar.")
    assert wrong("finishing moved beside the mill, warming up at 13:00: 487 kW") == (
        "Your plan would cost 400,733 won, but it breaks a limit, so it is not a saving the plant can make. At 13:00 "
        "the plant would draw 487 kW, above its 480 kW maximum load. Both lines run then, and one of them warms up "
        "from cold (25 kWh).")
    assert wrong("everything switched off in the peak hours (the engine's skip_peak)").startswith(
        "Switching the lines off in the peak hours cuts the bill to 262,812 won, but only because the plant makes "
        "less steel: a saving must keep the day's output. Your plan runs the mill for 6 batches, but the day's "
        "orders need 8")
    assert "At 00:00, 01:00, 02:00, 03:00, 04:00, 05:00, 06:00, 07:00, 12:00, 23:00 no crew is on shift" in wrong(
        "every batch in the cheapest hours, at night with no crew (the engine's cheapest_hours)")
    assert wrong("finishing at 08:00 before any coil is rolled").endswith(
        "At 08:00 the finishing line has no rolled coils to work on: its batch number 1 needs 2 mill batches "
        "finished before it, and only 0 are.")
    assert wrong("the summer's cheapest plan used in winter: feasible, 1.8 % dearer than the optimum") == (
        "Your plan meets every limit and costs 422,441 won, against 430,491 won for today's plan (1.9% lower). The "
        "optimiser finds a plan for 414,821 won (3.6% lower). Your plan runs 4 batch-hours in peak hours, the "
        "optimiser's 3; in winter the peak hours are 10:00, 11:00, 17:00, 18:00, 19:00, 22:00.")
    assert wrong("the standard error without 1.96") == ("You typed 3.4%: that is one standard error, 26.9 ÷ √64. "
                                                         "For 95% confidence multiply it by 1.96.")
    assert wrong("the days needed, not squared").startswith("You typed 26: you did not square.")
    assert wrong("the days needed without 1.96").startswith("You typed 181: that leaves out 1.96")
    assert wrong("CO2 falls with the bill") == (
        "Compared with today's plan, tomorrow's bill is 3.6% lower and its kWh 0.7% higher. CO2 is the kWh times "
        "0.4594 kg at every hour, so the CO2 is 0.7% higher too: moving hours saves money, not emissions.")
    assert wrong("the placebo saving is noise that averages out").startswith("Noise averages out; this does not.")
    assert wrong("a year of readings is proof enough") == (
        "A year has about 248 working weekdays. With your model's daily error of 26.9%, they can show only savings "
        "above 3.4%; a saving of 2% needs about 697 working days.")
    assert "the kWh rise by 1.3%" in wrong("the 39 % night saving is the one to report")


def test_the_numbers_are_read_as_people_type_them(reference):
    saved = dict(reference.answers)
    try:
        for typed in ("6.6", "6.6 %", "6,6%", "7", "0.066", "٦٫٦٪"):
            reference.set_answer("detectable", typed)
            assert check(reference, "verify").passed, typed
        for typed in ("697", "700", "٦٩٧", "690 "):
            reference.set_answer("days_needed", typed)
            assert check(reference, "verify").passed, typed
        reference.set_answer("days_needed", "about two years")
        assert check(reference, "verify").message.startswith("Now type how many working days")
        reference.set_answer("detectable", "a few")
        assert check(reference, "verify").message.startswith("Type the smallest saving")
    finally:
        reference.answers = saved
    assert energy_lab.parse_count("1,200") == 1200 and energy_lab.parse_count("1 200") == 1200
    assert energy_lab.parse_count("-3") is None and energy_lab.parse_typed_percent("0.8") == 0.8
    assert energy_lab.parse_typed_percent("140") is None


def test_a_plan_within_one_percent_of_the_optimum_passes(reference):
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    workspace.set_plan(workspace.best(sc.ENERGY).plan)  # the leanest: 0.7 % dearer than the cheapest
    feedback = check(workspace, "schedule")
    assert feedback.passed and "It uses 3,443 kWh (1.1% lower)" in feedback.message
    workspace.set_batch("mill", 17, False)
    assert plain(check(workspace, "schedule").message).startswith("Your plan would cost")


# --- the workspace ---------------------------------------------------------------------------------------------------

def test_the_schedule_is_edited_hour_by_hour_and_priced_by_the_engine():
    workspace = LAB.open(None, TaskState(), None)
    workspace.set_batch("finishing", 17, False)
    workspace.set_batch("finishing", 13, True)
    assert workspace.plan.hours("finishing") == frozenset({13, 18, 19, 20})
    result = workspace.evaluation()
    assert result == sc.evaluate(workspace.plant, workspace.plan, 12)
    assert "feed:13" not in result.violations and any(v.startswith("max_load:13") for v in result.violations)
    warm = ew.warmups(workspace.plant, workspace.plan)
    assert warm == {"mill": {8}, "finishing": {13, 18}}  # finishing goes cold after an idle hour
    assert ew.peak_batches(workspace.plan) == 4  # mill 10, 11; finishing 18, 19
    with pytest.raises(ValueError):
        workspace.set_batch("mill", 24, True)
    workspace.reset_plan()
    assert workspace.is_today()


def test_the_models_and_their_verdicts(reference):
    verdicts = {name: reference.verdict(name) for name in (ew.SEASONAL_NAIVE, ew.PROFILE, ew.RIDGE, ew.BOOSTING)}
    assert [v.fair for v in verdicts.values()] == [False, False, False, True]
    assert verdicts[ew.PROFILE].biased and verdicts[ew.RIDGE].biased and not verdicts[ew.SEASONAL_NAIVE].beats_baseline
    assert not reference.verdict(ew.LEAKY).fitted  # not fitted in the reference
    frame, weeks = reference.test_week(12)
    assert weeks == 13 and len(frame) == 168 and str(frame["datetime"].iloc[0].date()) == "2018-12-24"
    assert set(frame.columns) == {"datetime", "kwh", "baseline", "forecast"}


def test_a_fit_reports_progress_and_honours_cancel(reference, monkeypatch):
    monkeypatch.setattr(ew, "_fits", {})  # nothing cached: the fit must really run
    state = TaskState()
    state.request_cancel()
    with pytest.raises(Cancelled):
        reference.fit_job([ew.PROFILE])(state)
    seen = []
    results = reference.fit_job([ew.SEASONAL_NAIVE, ew.PROFILE])(TaskState(lambda p, _m: seen.append(p)))
    assert set(results) == {ew.SEASONAL_NAIVE, ew.PROFILE} and seen[-1] == 1.0 and 0.0 in seen


def test_resume_reproduces_the_work_and_its_numbers(reference):
    again = LAB.open(json.loads(json.dumps(reference.snapshot())), TaskState(), None)
    assert again.snapshot() == reference.snapshot()
    assert again.result().mae == reference.result().mae and again.evaluation() == reference.evaluation()
    damaged = copy.deepcopy(REFERENCE)
    damaged["forecast"] = {"model": "crystal_ball", "fitted": ["crystal_ball", "boosting"]}
    damaged["schedule"] = {"mill": [8, "nine", 99], "finishing": None}
    damaged["verify"] = {"days": 10 ** 6, "true_saving": -5}
    opened = LAB.open(damaged, TaskState(), None)
    assert opened.model == ew.SEASONAL_NAIVE and opened.fitted == [ew.SEASONAL_NAIVE, ew.BOOSTING]
    assert opened.plan.hours("mill") == frozenset({8}) and not opened.plan.hours("finishing")
    assert opened.days == ew.MAX_DAYS and opened.true_saving == 0.0


# --- the shown script -----------------------------------------------------------------------------------------------

def _run_script(code: str) -> dict:
    from threadpoolctl import threadpool_limits

    namespace: dict = {"__name__": "__main__"}
    with redirect_stdout(io.StringIO()), threadpool_limits(limits=1):  # one thread: the machine is shared
        exec(compile(code, "<lab script>", "exec"), namespace)  # noqa: S102 - running it is the test
    return namespace


@pytest.mark.parametrize("scenario", ["reference", "ridge_night_plan", "fresh"])
def test_the_shown_script_runs_and_gives_the_labs_numbers(scenario, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever the script might write lands here, not in the repository
    snapshot = copy.deepcopy(REFERENCE) if scenario != "fresh" else None
    if scenario == "ridge_night_plan":
        snapshot["forecast"] = {"model": ew.RIDGE, "fitted": [ew.SEASONAL_NAIVE, ew.RIDGE]}
        snapshot["schedule"] = energy_lab._NIGHT
        snapshot["verify"]["true_saving"] = 5.0
    workspace = LAB.open(snapshot, TaskState(), None)
    if scenario == "fresh":
        workspace.add_results(workspace.fit_job([ew.SEASONAL_NAIVE])(TaskState()))
    code = workspace.code()
    assert code.startswith("# Energy in a plant: what you did in the lab")
    assert "import labs" not in code and "from labs" not in code  # it needs nothing from the app
    ns = _run_script(code)
    mine = workspace.result()
    assert ns["mine"]["mae"] == pytest.approx(mine.mae, rel=1e-9)
    assert ns["mine"]["nmbe"] == pytest.approx(mine.nmbe, rel=1e-9, abs=1e-9)
    assert ns["baseline"]["mae"] == pytest.approx(workspace.baseline().mae, rel=1e-9)
    assert ns["DAILY_CV"] == pytest.approx(workspace.daily_cv(), rel=1e-9)
    result = workspace.evaluation()
    assert ns["yours"]["cost_won"] == pytest.approx(result.cost_won, rel=1e-12)
    assert ns["yours"]["kwh"] == pytest.approx(result.kwh) and ns["yours"]["peak_kw"] == result.peak_kw
    assert ns["yours"]["broken"] == list(result.violations)
    assert ns["today"]["cost_won"] == pytest.approx(workspace.today().cost_won, rel=1e-12)
    assert ns["detectable"] == pytest.approx(workspace.detectable(64), rel=1e-9)
    assert ns["days_needed"] == workspace.days_needed()
    assert ns["apparent"].mean() == pytest.approx(workspace.claim().mean, rel=1e-9, abs=1e-9)
    assert list(tmp_path.iterdir()) == []


def test_the_names_and_numbers_the_lab_shows():
    assert energy_lab.hour_text(8) == "\u206808:00\u2069"  # left to right inside Arabic text
    assert energy_lab.change_text(100, 96.4) == "3.6% lower" and energy_lab.change_text(100, 100.01) == "unchanged"
    assert energy_lab.pct(-0.8) == "\u2068-0.8%\u2069" and energy_lab.pct(0.8) == "0.8%"
    assert energy_lab.decimal(414820.6) == "414,821" and energy_lab.decimal(26.0, 1) == "26.0"
    assert energy_lab.model_name(ew.BOOSTING) == "Gradient-boosted trees"
    assert {q.id for q in energy_lab.QUESTIONS} == set(energy_lab.RIGHT_ANSWERS)
    for item in energy_lab.QUESTIONS:  # the right answer is not always in the same place
        assert energy_lab.RIGHT_ANSWERS[item.id] in dict(item.options)
    assert len({[o for o, _t in q.options].index(energy_lab.RIGHT_ANSWERS[q.id]) for q in energy_lab.QUESTIONS}) > 1
