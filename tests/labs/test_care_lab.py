"""The lab "smart_city/elder-care" on the embedded sensor data: self-test, the checks' feedback, the reference numbers
(measured by the engine), resume, the shown script (run in a temporary folder, it gives the lab's numbers), and the
workspace the panel drives."""

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
from labs.smart_city import care_lab
from labs.smart_city.care import privacy as pv
from labs.smart_city.care.evaluate import evaluate, pooled_system
from labs.smart_city.care.learned import Settings
from labs.smart_city.care_lab import LAB, REFERENCE, WRONG_ATTEMPTS, parse_number
from labs.smart_city.care_workspace import (LEARNED, REFERENCE_CHOICE, RELEARNED, ROBOT, ROBOT_DOOR, LearnChoice,
                                            PrivacyChoice, minimised_view, run_learned)
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def reference():
    return LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)


def plain(text: str) -> str:
    """Without the isolates that keep times left to right in a right-to-left sentence."""
    return text.replace("\u2068", "").replace("\u2069", "")


def wrong(name: str) -> str:
    """The feedback on a wrong attempt, which must fail its task."""
    attempt = next(w for w in WRONG_ATTEMPTS if w.name == name)
    feedback = run_check(LAB.task(attempt.task_id), LAB.open(copy.deepcopy(attempt.snapshot), TaskState(), None))
    assert not feedback.passed
    return plain(feedback.message)


def test_selftest_passes_and_every_task_has_wrong_attempts():
    result = selftest(LAB)
    assert result.ok, result.as_dict()
    assert [t.id for t in LAB.tasks] == ["robot", "learned", "failures", "privacy"]
    per_task = {t.id: sum(w.task_id == t.id for w in WRONG_ATTEMPTS) for t in LAB.tasks}
    assert all(count >= 3 for count in per_task.values()), per_task


def test_the_registry_ships_the_lab_with_its_panel():
    assert load_lab("smart_city/elder-care") is LAB
    assert LAB.family == "smart_city" and LAB.datasets == ("elder-care-activity",)
    assert LAB.panel == "labs.smart_city.care_panel:CarePanel"


def test_the_selftest_command_reports_that_every_check_behaves():
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "lab", "selftest", "smart_city/elder-care"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("smart_city/elder-care: all checks behave.")


def test_every_task_has_a_hint_and_instructions():
    for task in LAB.tasks:
        assert task.hint and task.instructions and task.title, task.id


def test_the_definition_the_workspace_and_the_script_import_no_qt():
    code = ("import labs.smart_city.care_lab, labs.smart_city.care_workspace, labs.smart_city.care_script, sys; "
            "print('PySide6' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]


# --- the reference numbers come from the engine ----------------------------------------------------------------------

def test_the_reference_answers_are_the_engines_numbers(reference):
    robot, learned = reference.reference(ROBOT).summary, reference.reference(LEARNED).summary
    assert robot.false_calls == 51 and robot.household_months == pytest.approx(7.0)
    assert float(REFERENCE["answers"]["robot_rate"]) == pytest.approx(robot.false_calls_per_household_month, abs=0.005)
    assert int(REFERENCE["answers"]["robot_missed"]) == robot.missed == 2
    assert learned.false_calls == 18 and learned.caught == 7
    cut = 100 * (1 - learned.false_calls / robot.false_calls)
    assert float(REFERENCE["answers"]["learned_cut"]) == pytest.approx(cut, abs=0.05)
    assert reference.learned.emergency_ids(caught=False) == [REFERENCE["answers"]["missed"]] == ["H4-illness-32"]
    # the engine's own evaluation agrees with the workspace's runs (same systems, same scoring)
    assert evaluate("fixed").false_calls == robot.false_calls and evaluate("learned").false_calls == 18
    assert reference.reference(ROBOT_DOOR).summary.false_calls == evaluate("fixed_door").false_calls == 32


def test_the_reference_failures_are_the_ones_the_engine_documents(reference):
    relearned = reference.relearned.summary
    assert reference.relearned.choice == REFERENCE_CHOICE and relearned.false_calls == 8
    assert relearned.outcomes[0].false_calls <= 2  # H1's new nap followed
    assert "H5-illness-62" in reference.relearned.emergency_ids(caught=False)  # learned her fall week as normal
    early, late = care_lab.false_calls_split(reference.learned, "H1")
    assert late > early and late >= 6  # most of H1's false calls come after her new nap (day 49)
    night = reference.learned.detection("H1-fall-66")
    assert night.minutes_to_alert == 390 > reference.reference(ROBOT).detection("H1-fall-66").minutes_to_alert == 250


@pytest.mark.parametrize("choice", [REFERENCE_CHOICE, LearnChoice(weeks=3), LearnChoice(weeks=4, percentile=98.0),
                                    LearnChoice(weeks=4, margin=2.0), LearnChoice(weeks=4, margin=4.0),
                                    LearnChoice(weeks=4, use_door=False), LearnChoice(weeks=4, percentile=100.0)])
def test_settings_that_pass_task_2_all_miss_mr_chois_illness(reference, choice):
    """Task 3's first two questions are about Mr Choi's illness: every alarm that beats the robot misses it."""
    run = run_learned(reference.streams, choice, TaskState())
    assert care_lab.beats_robot(reference, run) == (True, True)
    assert run.emergency_ids(caught=False) == ["H4-illness-32"]


def test_the_shared_routine_is_the_engines_pooled_system(reference):
    run = run_learned(reference.streams, LearnChoice(weeks=4, routine="shared"), TaskState())
    engine = evaluate(pooled_system(Settings(), reference.streams))
    assert run.summary.false_calls == engine.false_calls == 86
    assert len({id(p) for p in run.profiles.values()}) == 1  # one profile drawn for everybody


def test_the_minimised_views_are_the_engines():
    item = next(iter(LAB.open(None, TaskState(), None).streams))
    view = minimised_view(PrivacyChoice(motion="yes_no", door="none", sound="none", step=60))
    expected = pv.coarser(60)(pv.without_sound(pv.without_door(pv.motion_yes_no(item))))
    cut = view(item)
    for name in ("motion", "door", "sound"):
        assert (getattr(cut, name) == getattr(expected, name)).all(), name
    assert minimised_view(PrivacyChoice())(item) is item  # as collected


# --- a fresh start and the feedback ---------------------------------------------------------------------------------

def test_a_fresh_start_says_what_to_do_first():
    workspace = LAB.open(None, TaskState(), None)
    assert workspace.robot is None and workspace.learned is None and workspace.choice.weeks == 1
    messages = {t.id: plain(run_check(t, workspace).message) for t in LAB.tasks}
    assert not any(run_check(t, workspace).passed for t in LAB.tasks)
    assert messages["robot"].startswith("Run the robot's rules over the six weeks first")
    assert messages["learned"].startswith("Learn the routines first")
    assert messages["failures"].startswith("Learn the routines and test your alarm in task 2 first")
    assert messages["privacy"].startswith("No alarm here needs a recording")
    snapshot = workspace.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["robot"] == {"door": False, "run": False} and snapshot["learn"]["run"] is False


def test_feedback_says_exactly_what_differs():
    assert wrong("all false calls typed as the rate") == (
        "You typed 51: that is every false call in the five homes over the six weeks. Per household-month, divide it "
        "by the household-months watched: 7.")
    assert wrong("false calls per home over six weeks, not per household-month").startswith(
        "You typed 10.2: that is false calls per home over six weeks (42 days).")
    assert "with the door, 4.57 false calls per household-month" in wrong(
        "the rate with the count paused while the door says out")
    assert wrong("emergencies caught typed as missed") == (
        "You typed 6: that is how many emergencies the robot called about. The question asks how many of the 8 it "
        "missed.")
    assert wrong("learned from one week").startswith(
        "Your alarm makes 8.29 false calls per household-month; the robot makes 7.29. The task asks for at most half "
        "of the robot's, 3.64. With 1 week to learn from")
    assert "Mrs Jung (H5) alone gets 32 false calls" in wrong("one routine for everybody")
    assert "The average plus two standard deviations assumes" in wrong("mean + 2 sd of a skewed quantity")
    assert wrong("no false calls at all, by missing emergencies").startswith(
        "Your alarm makes only 0 false calls per household-month, but it misses 3 emergencies (Mr Park (H2): ill from "
        "May 15, 2024 at 09:30;")
    assert wrong("the share of false calls still made") == (
        "You typed 35.3%: that is the share of the robot's false calls your alarm still makes. The question asks for "
        "the share it avoids.")
    assert wrong("names Mrs Jung's illness as missed") == (
        "Your alarm called about Mrs Jung (H5): ill from June 2, 2024 at 07:00 after 2 hours 55 minutes. Look for the "
        "emergency with no time in the \"Your alarm\" column.")
    assert wrong("blames a broken sensor").startswith(
        "The sensors worked: on May 3, 2024 they saw movement in 39 of the day's 288 five-minute slots.")
    assert wrong("names the day centre's Mr Choi as the changed routine").startswith(
        "Mr Choi (H4) gets 0 false calls in weeks 5 to 7 and 1 in weeks 8 to 10")
    assert wrong("re-learning is free").startswith(
        "It is not free: re-learned every week, the alarm misses Mrs Jung (H5): ill from June 2, 2024 at 07:00")
    assert wrong("hourly totals: the alarm learns of a fall too late").startswith(
        "On the data you keep, your alarm catches 7 of 8 emergencies (as collected: 7) and people lie unattended 61.7 "
        "hours (as collected: 43.5 hours): this cut breaks the alarm. With hourly totals")
    assert "people lie unattended 50.8 hours" in wrong("no door sensor")
    assert "needs 17.2 hours" in wrong("raw readings kept only 6 hours")
    assert "storage limitation" in wrong("raw readings kept for a year")
    assert wrong("minimal data, but everyone sees the raw readings").startswith(
        "A guardian who can watch the live readings")
    assert wrong("the vendor gets the readings to improve its products").startswith(
        "The vendor maintains the device")


def test_the_passing_feedback_quotes_the_measured_numbers(reference):
    messages = {t.id: plain(run_check(t, reference).message) for t in LAB.tasks}
    assert all(run_check(t, reference).passed for t in LAB.tasks)
    assert messages["robot"].startswith("Right: the robot makes 7.29 false calls per household-month (51 in 7 "
                                        "household-months) and misses 2 of 8 emergencies")
    assert "bring the rate down to 4.57" in messages["robot"]
    assert messages["learned"].startswith("Right: your alarm avoids 64.7% of the robot's false calls (2.57 per "
                                          "household-month against 7.29), catches 7 of 8 emergencies")
    assert "43.5 hours in all instead of 85.9 hours" in messages["learned"]
    assert "re-learned every week, she gets 1" in messages["failures"]
    assert "your alarm waited 6 hours 30 minutes for Mrs Kim (H1)'s bedtime fall" in messages["failures"]
    assert "your alarm makes 14 false calls, catches 7 of 8 emergencies" in messages["privacy"]


def test_numbers_are_read_as_people_type_them(reference):
    saved = dict(reference.answers)
    try:
        for typed in ("7.29", "7.3", "7,29", "٧٫٢٩", " 7.28 "):
            reference.set_answer("robot_rate", typed)
            assert run_check(LAB.task("robot"), reference).passed, typed
        reference.set_answer("robot_rate", "seven")
        assert run_check(LAB.task("robot"), reference).message.startswith("Type the robot's false calls")
        reference.set_answer("robot_rate", "7.29")
        reference.set_answer("robot_missed", "2.5")
        assert run_check(LAB.task("robot"), reference).message.startswith("Type how many emergencies")
        for typed in ("64.7", "65 %", "0.647", "64,7"):
            reference.set_answer("learned_cut", typed)
            assert run_check(LAB.task("learned"), reference).passed, typed
    finally:
        reference.answers = saved
    assert parse_number("1e400") is None and parse_number("") is None and parse_number("٣") == 3


# --- the workspace ---------------------------------------------------------------------------------------------------

def test_changes_drop_the_runs_that_depended_on_them():
    workspace = LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)
    assert workspace.learned_is_current() and workspace.relearned_is_current() and workspace.measured_is_current()
    workspace.set_privacy("guardian", "live")  # who is told what does not change what the alarm reads
    assert workspace.measured_is_current()
    workspace.set_privacy("step", 60)
    assert not workspace.measured_is_current() and workspace.learned_is_current()
    workspace.set_choice(LearnChoice(weeks=3))
    assert not workspace.learned_is_current() and not workspace.relearned_is_current()
    assert workspace.day_view("H1", 40).learned_calls is None
    assert workspace.snapshot()["learn"]["run"] is False and workspace.snapshot()["relearned"] is False
    workspace.set_robot_door(True)
    assert workspace.robot is None


def test_settings_and_choices_from_a_snapshot_are_kept_in_range():
    assert LearnChoice.from_dict({"weeks": 9, "margin": 99, "percentile": 99}).weeks == 4
    assert LearnChoice.from_dict({"margin": 1.3}).margin == 1.25
    assert LearnChoice.from_dict({"percentile": 42}) == LearnChoice()
    assert LearnChoice.from_dict({"statistic": "magic"}) == LearnChoice()
    assert PrivacyChoice.from_dict({"step": 15.0, "keep": "forever", "vendor": "raw"}) == PrivacyChoice(step=15)
    with pytest.raises(ValueError):
        PrivacyChoice(sound="camera")


def test_long_work_honours_cancel():
    workspace = LAB.open(None, TaskState(), None)
    state = TaskState()
    state.request_cancel()
    for job in (workspace.robot_job(), workspace.learn_job(), workspace.relearn_job(), workspace.measure_job()):
        with pytest.raises(Cancelled):
            job(state)


def test_resume_reproduces_the_work_and_its_numbers(reference):
    again = LAB.open(json.loads(json.dumps(reference.snapshot())), TaskState(), None)
    assert again.snapshot() == reference.snapshot()
    assert again.learned.summary == reference.learned.summary
    assert again.measured.minimised == reference.measured.minimised
    day = again.day_view("H1", 40)
    assert day.robot_calls and day.learned_calls and any(day.incident) and len(day.motion) == 288


def test_the_day_view_shows_the_robot_and_the_learned_alarm(reference):
    day = reference.day_view("H1", 40)  # Mrs Kim's kitchen fall at 10:20
    first = day.incident.index(1)
    assert first == 10 * 12 + 4
    assert day.learned_calls[0] - first == 65 // 5 and day.robot_calls[0] - first == 290 // 5
    assert not any(day.out) and any(reference.day_view("H1", 41).out[6 * 12:8 * 12])  # no walk that day; next day


# --- the shown script -----------------------------------------------------------------------------------------------

def _run_script(code: str) -> dict:
    namespace: dict = {"__name__": "__main__"}
    with redirect_stdout(io.StringIO()):
        exec(compile(code, "<lab script>", "exec"), namespace)  # noqa: S102 - running it is the test
    return namespace


@pytest.mark.parametrize("scenario", ["reference", "variant"])
def test_the_shown_script_runs_and_gives_the_labs_numbers(scenario, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever the script might write lands here, not in the repository
    snapshot = copy.deepcopy(REFERENCE)
    if scenario == "variant":
        snapshot["robot"]["door"] = True
        snapshot["learn"].update(weeks=2, statistic="mean_sd", routine="shared", cap_five_hours=True, door=False)
        snapshot["privacy"].update(motion="counts", door="none", step=60)
        snapshot["relearned"] = False
    workspace = LAB.open(snapshot, TaskState(), None)
    code = workspace.code()
    assert code.startswith("# Care for elders living alone: what you did in the lab")
    assert "import labs" not in code and "from labs" not in code  # it needs nothing from the app
    ns = _run_script(code)
    robot, learned = workspace.robot.summary, workspace.learned.summary
    assert ns["robot_false_calls"] == robot.false_calls and ns["robot_missed"] == robot.missed
    assert ns["robot_rate"] == pytest.approx(robot.false_calls_per_household_month)
    assert ns["robot_hours_unattended"] == pytest.approx(robot.hours_unattended)
    assert ns["learned_false_calls"] == learned.false_calls and ns["learned_caught"] == learned.caught
    assert ns["learned_hours_unattended"] == pytest.approx(learned.hours_unattended)
    measured = workspace.measured
    assert ns["kept_false_calls"] == measured.minimised.false_calls
    assert ns["kept_hours_unattended"] == pytest.approx(measured.minimised.hours_unattended)
    assert max(ns["raw_hours_needed"].values()) == pytest.approx(max(measured.needed_hours.values()))
    if scenario == "reference":
        assert ns["relearned_false_calls"] == workspace.relearned.summary.false_calls
    else:
        assert "relearned_false_calls" not in ns
    assert list(tmp_path.iterdir()) == []


def test_the_names_and_times_the_lab_shows(reference):
    assert care_lab.household_name("H4") == "Mr Choi (H4)"
    assert care_lab.clock(10 * 12 + 4) == "\u206810:20\u2069"
    assert plain(care_lab.emergency_title(reference, reference.emergency("H1-fall-66"))) == (
        "Mrs Kim (H1): a fall on June 6, 2024 at 22:30")
    assert [care_lab.question(q).id for q in ("missed", "why", "changed", "relearn")]
    assert RELEARNED == "relearned_weekly"
