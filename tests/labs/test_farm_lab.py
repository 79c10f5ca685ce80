"""The lab "smart_city/container-farm": self-test, the checks' feedback, the reference's numbers measured on the
engine, resume, cancel, the shown script (run in a temporary folder, it gives the lab's numbers), and the workspace
the panel drives."""

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
from labs.smart_city import farm_lab
from labs.smart_city.farm import farm as fm
from labs.smart_city.farm_lab import LAB, REFERENCE, WRONG_ATTEMPTS
from labs.smart_city.farm_workspace import (BUDGET_KWH, CAROTTI, SHARE, START, SWEEP_BUDGETS, VENDOR_OPTIONS,
                                            VENDOR_RIGHT, FarmWorkspace, grow, light_use, parse_number, reference,
                                            setpoints_dict, smallest_budget, sweep)
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def ref() -> FarmWorkspace:
    return LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)


def plain(text: str) -> str:
    """Without the isolates that keep units left to right in a right-to-left sentence."""
    return text.replace("\u2068", "").replace("\u2069", "")


def wrong(name: str) -> str:
    """The feedback on a wrong attempt, which must fail its task."""
    attempt = next(w for w in WRONG_ATTEMPTS if w.name == name)
    feedback = run_check(LAB.task(attempt.task_id), LAB.open(copy.deepcopy(attempt.snapshot), TaskState(), None))
    assert not feedback.passed
    return plain(feedback.message)


def check(workspace: FarmWorkspace, task_id: str):
    return run_check(LAB.task(task_id), workspace)


# --- the lab as a whole ----------------------------------------------------------------------------------------------

def test_selftest_passes_and_every_task_has_wrong_attempts():
    result = selftest(LAB)
    assert result.ok, result.as_dict()
    assert [t.id for t in LAB.tasks] == ["read", "tune", "search", "claim"]
    per_task = {t.id: sum(w.task_id == t.id for w in WRONG_ATTEMPTS) for t in LAB.tasks}
    assert all(count >= 3 for count in per_task.values()), per_task


def test_the_registry_ships_the_lab_with_its_panel():
    assert load_lab("smart_city/container-farm") is LAB
    assert LAB.family == "smart_city" and LAB.datasets == ()
    assert LAB.panel == "labs.smart_city.farm_panel:FarmPanel"


def test_the_selftest_command_reports_that_every_check_behaves():
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "lab", "selftest", "smart_city/container-farm"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("smart_city/container-farm: all checks behave.")


def test_every_task_has_a_hint_and_instructions():
    for task in LAB.tasks:
        assert task.hint and task.instructions, task.id


def test_the_definition_the_workspace_and_the_script_import_no_qt():
    code = ("import labs.smart_city.farm_lab, labs.smart_city.farm_workspace, labs.smart_city.farm_script, sys; "
            "print('PySide6' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]


# --- the reference's numbers come from the engine --------------------------------------------------------------------

def test_the_reference_answers_are_the_engines_numbers(ref):
    start = fm.evaluate(START)
    assert float(REFERENCE["answers"]["harvests"]) == round(start.harvests_per_year, 1) == 6.5
    assert float(REFERENCE["answers"]["kwh_per_kg"]) == round(start.kwh_per_kg, 1) == 11.0
    assert start.days_to_harvest == 55
    assert reference() == fm.search()  # the lab's reference is the engine's search within the default budget
    plan = ref.plan.result
    assert plan.within_budget and not plan.flags
    share = plan.kg_per_m2_year / reference().kg_per_m2_year
    assert share == pytest.approx(0.953, abs=0.001) and share >= SHARE
    assert parse_number(REFERENCE["answers"]["budget_co2"]) == smallest_budget(sweep(True)) == 30_000
    assert parse_number(REFERENCE["answers"]["budget_no_co2"]) == smallest_budget(sweep(False)) == 45_000
    assert sweep(True)[30_000].harvests_per_year == pytest.approx(13.52, abs=0.01)
    assert sweep(False)[40_000].harvests_per_year < 13 <= sweep(False)[45_000].harvests_per_year
    assert sweep(True)[20_000] is None and sweep(False)[20_000] is None
    assert ref.vendor_choices() == VENDOR_RIGHT


def test_the_model_error_the_lab_quotes_is_measured():
    """The question says the model is 17 to 23 % below Carotti et al.; a quarter more light use closes most of it."""
    gaps = {ppfd: 1 - light_use(ppfd) / measured for ppfd, measured in CAROTTI}
    assert all(0.165 <= gap <= 0.235 for gap in gaps.values()), gaps
    for ppfd, measured in CAROTTI[:2]:
        assert light_use(ppfd, 1.25) == pytest.approx(measured, rel=0.03)
    what_if = dict(grow(fm.Setpoints(200, 20, 22, 18, 1000), what_if=True).what_if)
    assert what_if[0.8].harvests_per_year < what_if[1.0].harvests_per_year < what_if[1.25].harvests_per_year


# --- a fresh start and the feedback ----------------------------------------------------------------------------------

def test_a_fresh_start_says_what_to_do_first():
    workspace = LAB.open(None, TaskState(), None)
    assert workspace.setpoints == START and workspace.baseline is None and workspace.plan is None
    messages = {t.id: run_check(t, workspace) for t in LAB.tasks}
    assert not any(f.passed for f in messages.values())
    assert messages["read"].message == ("Grow the starting setpoints first: press \"Grow the crop\" in \"1. Read a "
                                        "crop\".")
    assert messages["tune"].message == "Change the setpoints in \"2. Tune the setpoints\" and press \"Grow the crop\"."
    assert messages["search"].message.startswith("Let the computer search with bottled CO2 first")
    assert messages["claim"].message.startswith("Answer the question: A vendor says its containers")
    snapshot = workspace.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["setpoints"] == {"ppfd": 150, "photoperiod": 12, "temp_day": 20, "temp_night": 18, "co2_ppm": 420}


def test_feedback_says_exactly_what_differs():
    assert wrong("harvests a year as 365 / days, without the day to replant") == (
        "You typed 6.64: that is 365 ÷ 55. After each harvest the container needs a day to clean and replant, so each "
        "crop takes 56 days: work out 365 ÷ 56.")
    assert wrong("kWh per kg of a single square metre").startswith(
        "You typed 550: that is the year's electricity divided by the lettuce of a single square metre. The "
        "container grows lettuce on 50 m²: divide 22,579 kWh by 41.1 kg per m² × 50 m².")
    assert wrong("kWh per kg counting only the lights") == (
        "You typed 5.9: that counts only the lights (12,167 kWh a year). The heat pump and the fans and pumps use "
        "electricity too: 22,579 kWh in all.")
    assert wrong("OVERDRIVE: strong light for 20 h, twice the budget").startswith(
        "Your plan grows 28.1 harvests a year but uses 86,603 kWh of electricity a year, 41,603 kWh over the budget "
        "of 45,000 kWh.")
    assert "Tipburn risk" in wrong("hot days at 28 degC: tipburn, outside what the model is valid for")
    assert "Leaf injury risk" in wrong("continuous light, 24 h: leaf injury, outside what the model is valid for")
    assert wrong("a good guess without CO2 enrichment").endswith(
        "You do not enrich the air with CO2: at outdoor air's 420 ppm the leaves are short of carbon, and bottled "
        "CO2 costs no electricity.")
    assert wrong("light of 900 umol/m2/s, beyond the model's range").startswith(
        "Light intensity at the plants: 900 µmol/m²/s is outside the range the model and the container are built "
        "for, 50 µmol/m²/s to 800 µmol/m²/s.")
    assert wrong("the budget just below 13 harvests") == (
        "With bottled CO2, the best plan for 25,000 kWh a year gives 10.7 harvests: short of 13. Look at larger "
        "budgets.")
    assert wrong("the CO2 budget copied for the search without CO2") == (
        "30,000 kWh is the budget with bottled CO2. Without it the same budget gives only 9.1 harvests a year: read "
        "the search without CO2.")
    assert wrong("the claim is impossible").startswith(
        "Your own runs say otherwise: with bottled CO2 the computer's best plan reaches 13.5 harvests a year on "
        "30,000 kWh")
    assert wrong("heating is most of the electricity").startswith(
        "In the plan you grew the lights use 27,037 kWh a year, 65% of the electricity")
    assert wrong("promise more than the model gives").startswith(
        "Light used a quarter better would raise the plan you grew from 18.2 to 20.3 harvests a year")
    assert "locked in to one vendor" in wrong("forgets the data and the software")


def test_the_numbers_are_read_as_people_type_them(ref):
    saved = dict(ref.answers)
    try:
        for typed, passes in (("6.5", True), ("6,5", True), ("٦٫٥", True), ("6.52", True), ("6.6", False),
                              ("6.4", False)):
            ref.set_answer("harvests", typed)
            assert check(ref, "read").passed is passes, typed
        ref.set_answer("harvests", "six and a half")
        assert check(ref, "read").message == ("\"six and a half\" is not a number: type the harvests a year, for "
                                             "example 7.5.")
        ref.answers = dict(saved)
        for typed in ("30000", "30,000", "30 000", "30000 kWh", "٣٠٠٠٠"):
            ref.set_answer("budget_co2", typed)
            assert check(ref, "search").passed, typed
        ref.set_answer("budget_co2", "31000")
        assert check(ref, "search").message.startswith("31,000 kWh is not one of the budgets the computer searched")
    finally:
        ref.answers = saved
    assert parse_number("11.0") == 11.0 and parse_number("1,5") == 1.5 and parse_number("") is None
    assert parse_number("abc") is None and parse_number("2,500.5") == 2500.5


def test_a_plan_that_reaches_the_share_passes_and_one_just_short_fails():
    workspace = LAB.open(None, TaskState(), None)
    for setpoints, passes in ((fm.REFERENCE_GUESS, True), (fm.Setpoints(200, 18, 22, 18, 1000), False)):
        workspace.set_setpoints(setpoints)
        workspace.set_plan(workspace.plan_job()(TaskState()))
        share = workspace.plan.result.kg_per_m2_year / reference().kg_per_m2_year
        assert (share >= SHARE) is passes and check(workspace, "tune").passed is passes, setpoints


# --- the workspace ---------------------------------------------------------------------------------------------------

def test_any_change_drops_the_grown_plan_and_a_late_result_is_not_current():
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    assert workspace.plan_is_current()
    job = workspace.plan_job()
    workspace.set_setpoint("co2_ppm", 1200)
    assert workspace.plan is None and not workspace.snapshot()["plan"]
    workspace.set_plan(job(TaskState()))  # grown for the old setpoints: remembered, not current
    assert not workspace.plan_is_current() and len(workspace.tried) == 4
    workspace.set_plan(workspace.plan_job()(TaskState()))
    assert workspace.plan_is_current() and workspace.tried[-1] == workspace.setpoints
    for value in range(60, 800, 50):
        workspace.set_setpoint("ppfd", value)
        workspace.set_plan(workspace.plan_job()(TaskState()))
    assert len(workspace.tried) == 12


def test_a_plan_outside_the_range_cannot_be_grown_and_cancel_is_honoured():
    workspace = LAB.open(None, TaskState(), None)
    workspace.set_setpoint("photoperiod", 2)
    assert workspace.problems() == [("photoperiod", 2.0, 4.0, 24.0)]
    with pytest.raises(ValueError):
        workspace.plan_job()
    workspace.set_setpoint("photoperiod", 16)
    cancelled = TaskState()
    cancelled.request_cancel()
    with pytest.raises(Cancelled):
        workspace.plan_job()(cancelled)
    with pytest.raises(Cancelled):
        workspace.sweep_job(False)(cancelled)
    assert workspace.plan is None and workspace.sweeps == {}


def test_the_search_reports_progress():
    seen = []
    found = FarmWorkspace.sweep_job(False)(TaskState(on_progress=lambda p, _m: seen.append(p)))
    assert found == sweep(False) and seen[-1] == 1.0 and len(seen) == 90
    assert tuple(found) == SWEEP_BUDGETS


def test_resume_reproduces_the_work_and_its_numbers(ref):
    again = LAB.open(json.loads(json.dumps(ref.snapshot())), TaskState(), None)
    assert again.snapshot() == ref.snapshot()
    assert again.plan == ref.plan and again.baseline == ref.baseline
    assert again.tried_results() == ref.tried_results() and again.sweeps == ref.sweeps


def test_a_damaged_snapshot_opens_as_far_as_it_makes_sense():
    workspace = LAB.open({"setpoints": {"ppfd": "lots", "photoperiod": True, "temp_day": 23}, "plan": True,
                          "tried": [None, {"ppfd": 9000}], "sweeps": "yes", "answers": None}, TaskState(), None)
    assert workspace.setpoints == fm.Setpoints(150, 12, 23, 18, 420)
    assert workspace.plan_is_current() and workspace.tried == [workspace.setpoints]
    assert workspace.sweeps == {} and workspace.answers == {}


def test_the_vendor_choices_and_the_price():
    workspace = FarmWorkspace()
    workspace.set_vendor_choices({"data", "measured", "nonsense"})
    assert workspace.answers["vendor"] == "measured,data" and workspace.vendor_choices() == {"measured", "data"}
    assert set(VENDOR_OPTIONS) > VENDOR_RIGHT
    for typed, value in (("0.15", 0.15), ("120", 120.0), ("-1", None), ("cheap", None), ("", None)):
        workspace.set_price(typed)
        assert workspace.price_value() == value, typed


# --- the shown script -------------------------------------------------------------------------------------------------

def _run_script(code: str) -> dict:
    namespace: dict = {"__name__": "__main__"}
    with redirect_stdout(io.StringIO()):
        exec(compile(code, "<lab script>", "exec"), namespace)  # noqa: S102 - running it is the test
    return namespace


def test_the_shown_script_runs_and_gives_the_labs_numbers(ref, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever the script might write lands here, not in the repository
    code = ref.code()
    assert code.startswith("# Container farm: what you did in the lab")
    assert "import labs" not in code and "from labs" not in code  # it needs nothing from the app
    ns = _run_script(code)
    for mine, result in ((ns["start"], fm.evaluate(START)), (ns["plan"], ref.plan.result)):
        assert mine["days"] == result.days_to_harvest
        assert mine["harvests"] == pytest.approx(result.harvests_per_year, rel=1e-12)
        assert mine["kg_per_m2"] == pytest.approx(result.kg_per_m2_year, rel=1e-9)
        assert mine["kwh"] == pytest.approx(result.kwh_per_year, rel=1e-9)
        assert mine["kwh_per_kg"] == pytest.approx(result.kwh_per_kg, rel=1e-9)
    assert ns["start"]["curve"] == pytest.approx([sum(x) for x in ref.baseline.curve], rel=1e-9)
    for name, co2 in (("search_with_co2", True), ("search_without_co2", False)):
        for budget, best in sweep(co2).items():
            found = ns[name][int(budget)]
            assert (found is None) == (best is None), (name, budget)
            if best is not None:
                assert found[0] == tuple(setpoints_dict(best.setpoints).values())
                assert found[1]["kg_per_m2"] == pytest.approx(best.kg_per_m2_year, rel=1e-9)
    assert list(tmp_path.iterdir()) == []


def test_the_script_of_unfinished_work_runs_as_far_as_the_work_goes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    workspace = LAB.open(None, TaskState(), None)
    code = workspace.code()
    assert "(not grown in the lab yet)" in code and "best_by_budget" not in code
    ns = _run_script(code)
    assert ns["plan"]["days"] == 55 and ns["plan"]["kwh"] <= ns["BUDGET"] == BUDGET_KWH
    workspace.set_setpoint("ppfd", 900)
    code = workspace.code()
    assert "are outside the range the lab's model is built for" in code and "MINE" not in code
    _run_script(code)


def test_the_names_and_numbers_the_lab_shows():
    assert plain(farm_lab.describe(START)) == ("150 µmol/m²/s for 12 hours, 20 °C by day and 18 °C by night, 420 ppm "
                                               "of CO2")
    assert farm_lab.light_text(200) == "\u2068200 µmol/m²/s\u2069"  # left to right inside Arabic text
    assert farm_lab.hours_text(1) == "1 hour" and farm_lab.num(41_814.3) == "41,814" and farm_lab.num(6.518, 1) == "6.5"
