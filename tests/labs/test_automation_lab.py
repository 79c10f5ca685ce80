"""The lab "automation/paperwork" on the embedded data: self-test, the checks' feedback, resume, the
shown script, and the hours-saved numbers that come from the learner's work."""

from __future__ import annotations

import copy
import io
import subprocess
import sys
from contextlib import redirect_stdout

import numpy as np
import pytest

from app.core.tasks import TaskState
from labs.automation import paperwork
from labs.automation.engine.decisions import FIRST, UNIQUE, run_table
from labs.automation.engine.savings import DECISIONS, LETTERS, ROUTING
from labs.automation.paperwork import FRESH_TABLE, GUIDANCE_TABLE, LAB, REFERENCE
from labs.datasets import generate
from labs.framework import run_check, selftest
from labs.registry import load_lab
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def reference():
    return LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)


def wrong(name: str):
    attempt = next(w for w in LAB.wrong_attempts if w.name == name)
    return run_check(LAB.task(attempt.task_id), LAB.open(copy.deepcopy(attempt.snapshot), TaskState(), None))


def test_selftest_passes_with_every_part():
    result = selftest(LAB)
    assert result.ok, result.as_dict()
    assert not result.untested_tasks


def test_the_registry_ships_this_lab_with_its_tasks_in_order():
    assert load_lab("automation/paperwork") is LAB
    assert LAB.panel == "labs.automation.panel:AutomationPanel"
    ids = [t.id for t in LAB.tasks]
    assert ids[:4] == ["gaps", "overlaps", "guidance", "compare"] and ids[-1] == "savings"
    assert len(ids) == len(set(ids)) >= 7  # the routing and letters tasks sit in between
    assert {"birth-package-applications", "citizen-requests"} <= set(LAB.datasets)


def test_the_guidance_table_is_the_documented_rule(reference):
    frame = reference.decisions.frame
    run = run_table(GUIDANCE_TABLE, frame)
    rule = [generate.birth_package_rule(r.nationality_status, r.residence_months, r.child_birth_order,
                                        r.multiple_birth == "yes", r.single_parent == "yes",
                                        r.disability_in_household == "yes", r.income_pct_of_median)
            for r in frame.itertuples()]
    assert run.outcomes.tolist() == [outcome for outcome, _tier in rule]
    assert run.tiers.tolist() == [tier for _outcome, tier in rule]
    # and the reference table decides the same, by other names
    assert (reference.decisions.run.outcomes == run.outcomes).all()


def test_a_fresh_start_is_the_colleagues_draft_with_its_gaps():
    workspace = LAB.open(None, TaskState(), None)
    assert workspace.decisions.table == FRESH_TABLE and FRESH_TABLE.hit_policy == UNIQUE
    assert workspace.decisions.model is None and workspace.routing.summary() is None
    gaps = run_check(LAB.task("gaps"), workspace)
    assert not gaps.passed
    count = len(workspace.decisions.run.gaps)
    assert gaps.message.startswith(f"{count} applications match no rule, for example BP-2024-")
    assert gaps.message.endswith("Add a rule for them: the guidance says what every family gets.")
    overlaps = run_check(LAB.task("overlaps"), workspace)
    assert "With the \"unique\" hit policy they stay undecided" in overlaps.message
    assert "Rule 1 (Recent foreign residents)" in overlaps.message
    assert not any(run_check(t, workspace).passed for t in LAB.tasks if t.id in ("gaps", "overlaps", "compare"))


def test_feedback_says_exactly_what_differs():
    message = wrong("recent foreign residents put last, so the income rules decide them").message
    assert message.startswith("47 applications match both Rule 5 (Income up to 150%) and Rule 7 (Recent foreign "
                              "residents); Rule 5 (Income up to 150%) comes first, so they are approved, but the "
                              "guidance says declined")
    assert message.endswith("Move Rule 7 (Recent foreign residents) above Rule 5 (Income up to 150%).")
    assert "nationality_status foreign_resident" in message
    boundary = wrong("income below 150% instead of at most 150%").message
    assert boundary.startswith("Your table gives partial to 38 applications the guidance says are approved")
    assert "(income_pct_of_median 150)" in boundary and "point 3: an income of at most 150%" in boundary
    priority = wrong("only the third child counts as a priority family").message
    assert "makes a priority family" in priority and "decided by Rule 4 (Income above 150%)" in priority
    assert wrong("names the islands, second worst").message.startswith("In islands, 7% of the applications")
    assert wrong("gives the model's agreement with the past decisions").message == (
        "You answered 95.2%: that is the share where the model gives the past decision. The question compares your "
        "table with the model.")
    refusals = wrong("counts refusals as automatic too").message
    assert "every refusal goes to a caseworker" in refusals and "you count 100.0% as automatic" in refusals


def test_the_reference_answers_are_the_measured_numbers(reference):
    found = reference.decisions.disagreements()
    answers = REFERENCE["decisions"]["answers"]
    assert abs(found.agreement * 100 - float(answers["agreement"])) < 0.05
    assert found.worst("region").value == answers["region"] == "north"
    assert found.agreement == pytest.approx(0.940, abs=0.0005)  # DATASETS.md


def test_answers_are_read_in_every_script(reference):
    decisions = reference.decisions
    saved = dict(decisions.answers)
    try:
        for typed in ("94", "94.0 %", "0.94", "٩٤٫٠٪", "94,0"):
            decisions.set_answer("agreement", typed)
            assert run_check(LAB.task("compare"), reference).passed, typed
        decisions.set_answer("agreement", "ninety-four")
        assert "Answer the first question" in run_check(LAB.task("compare"), reference).message
    finally:
        decisions.answers = saved


def test_resume_reproduces_the_work_and_its_numbers(reference):
    snapshot = reference.snapshot()
    assert snapshot["decisions"] == REFERENCE["decisions"]
    assert snapshot["savings"] == REFERENCE["savings"]
    assert snapshot["version"] == 1 and set(snapshot) == {"version", "decisions", "routing", "letters", "savings"}
    again = LAB.open(copy.deepcopy(snapshot), TaskState(), None)
    assert again.snapshot() == snapshot
    assert (again.decisions.model.predicted == reference.decisions.model.predicted).all()
    assert again.savings_estimate() == reference.savings_estimate()


def test_hours_saved_start_from_the_learners_work(reference):
    measured = reference.measured()
    run = reference.decisions.run
    assert measured[DECISIONS] == {"per_year": 2000.0,
                                   "share": pytest.approx(float(np.mean(run.outcomes != "declined")))}
    summary = reference.routing.summary()
    assert measured[ROUTING] == {"per_year": pytest.approx(summary["requests_per_day"] * 365),
                                 "share": summary["auto_share"]}
    letters = reference.letters.summary()
    assert measured[LETTERS] == {"per_year": float(run.decided), "share": letters["letters"] / letters["records"]}
    result = reference.savings_estimate()
    decisions = result.stream(DECISIONS)
    assert decisions.hours == pytest.approx(2000 * measured[DECISIONS]["share"] * (30 - 6) / 60)
    assert result.net_hours == pytest.approx(sum(s.hours for s in result.streams) - 120)
    assert run_check(LAB.task("savings"), reference).message.startswith(f"Your estimate: {result.net_hours:,.0f} hours")


def test_the_shown_script_runs_and_reproduces_the_numbers(reference, tmp_path, monkeypatch):
    code = reference.code()
    assert code.startswith("# Decision table over the birth-package applications\n")
    monkeypatch.chdir(tmp_path)  # the letters part writes its files beside the script
    namespace: dict = {"__name__": "__main__"}
    with redirect_stdout(io.StringIO()):
        exec(compile(code, "<lab script>", "exec"), namespace)  # noqa: S102 - running it is the test
    # the decisions part ran first; later parts may reuse names, so check what only it defines
    assert namespace["outcomes"] == [r.outcome for r in reference.decisions.table.rules]
    assert namespace["hours_saved"] == pytest.approx(reference.savings_estimate().net_hours)
    decisions_part = code.split("\n\n\n")[0]
    ns: dict = {"__name__": "__main__"}
    with redirect_stdout(io.StringIO()):
        exec(compile(decisions_part, "<decisions>", "exec"), ns)  # noqa: S102
    assert ns["decision"].tolist() == reference.decisions.run.outcomes.tolist()
    assert ns["agreement"] == pytest.approx(reference.decisions.disagreements().agreement)


def test_a_table_that_cannot_run_says_why_in_the_script():
    snapshot = copy.deepcopy(REFERENCE)
    snapshot["decisions"]["table"]["rules"][5]["conditions"][0]["value"] = "lots"
    snapshot["decisions"]["trained"] = False
    workspace = LAB.open(snapshot, TaskState(), None)
    assert workspace.decisions.run is None
    assert ("# - Rule 6 (Income up to 150%), condition 1: income_pct_of_median holds numbers; \"lots\" is not a "
            "number.") in workspace.code()
    assert run_check(LAB.task("guidance"), workspace).message.startswith("Your table cannot run yet: Rule 6")
    assert workspace.decisions.table.hit_policy == FIRST


def test_the_definition_imports_no_qt():
    code = "import labs.automation.paperwork, sys; print('PySide6' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]


def test_every_task_has_a_hint_and_a_wrong_attempt():
    targeted = {w.task_id for w in LAB.wrong_attempts}
    for task in LAB.tasks:
        assert task.hint and task.instructions and task.id in targeted, task.id
    assert paperwork.GUIDANCE.startswith("One-stop birth package")
