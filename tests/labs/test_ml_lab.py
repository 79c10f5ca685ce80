"""The lab "machine_learning/no-code" on the embedded datasets: self-test, feedback, and the shown code."""

from __future__ import annotations

import copy
import io
from contextlib import redirect_stdout

import pytest

from app.core.tasks import TaskState
from labs.framework import run_check, selftest
from labs.machine_learning import no_code
from labs.machine_learning.no_code import LAB, REFERENCE
from labs.registry import load_lab


@pytest.fixture(scope="module")
def reference():
    return LAB.open(copy.deepcopy(REFERENCE), TaskState(), None)


def test_selftest_passes_on_the_real_datasets():
    result = selftest(LAB)
    assert result.ok, result.as_dict()
    assert len(LAB.tasks) == 7 and not result.untested_tasks


def test_the_registry_ships_this_lab():
    assert load_lab("machine_learning/no-code") is LAB
    assert LAB.panel == "labs.machine_learning.panel:ModelPanel"


def test_feedback_names_the_leaky_columns_and_why(reference):
    workspace = copy.copy(reference)
    workspace.setups = dict(reference.setups)
    workspace.dataset = no_code.BENEFIT
    workspace.set_features(list(reference.setups[no_code.BENEFIT].features) + ["approval_code",
                                                                                 "decision_letter_sent_date"])
    feedback = run_check(LAB.task("choose"), workspace)
    assert not feedback.passed
    assert "Remove these columns" in feedback.message
    assert "approval_code is the decision written as a code" in feedback.message
    assert "decision_letter_sent_date exists only for approved applications" in feedback.message


def test_random_split_feedback_explains_the_time_problem():
    wrong = next(w for w in LAB.wrong_attempts if w.task_id == "time_split" and "random" in w.name)
    feedback = run_check(LAB.task("time_split"), LAB.open(wrong.snapshot, TaskState(), None))
    assert feedback.message.startswith("With a random split the model is tested on hours before ones it learned from")


def test_reference_answers_match_the_measured_numbers(reference):
    tree = no_code._benefit_run(reference)
    assert tree.spec.model.kind == "decision_tree"
    assert abs(tree.baseline["accuracy"] * 100 - float(REFERENCE["answers"]["baseline_accuracy"])) <= 2
    assert abs(tree.per_class["no"]["recall"] * 100 - float(REFERENCE["answers"]["no_recall"])) <= 2
    assert tree.importance[0][0] == REFERENCE["answers"]["top_feature"]
    assert tree.baseline["accuracy"] == pytest.approx(0.788, abs=0.01)  # DATASETS.md: 78.8% approved


def run_code(code: str) -> dict:
    namespace: dict = {"__name__": "__main__"}
    with redirect_stdout(io.StringIO()):
        exec(compile(code, "<lab script>", "exec"), namespace)  # noqa: S102 - running it is the test
    return namespace


def test_the_shown_code_reproduces_the_reference_runs_from_the_shipped_files(reference):
    bikes = reference.latest.summary
    assert reference.dataset == no_code.BIKES and bikes.spec.dataset == no_code.BIKES
    namespace = run_code(reference.code())
    assert namespace["r2"] == pytest.approx(bikes.metrics["r2"])
    assert namespace["mae"] == pytest.approx(bikes.metrics["mae"])

    benefit = copy.copy(reference)
    benefit.dataset = no_code.BENEFIT
    tree = no_code._benefit_run(reference)
    namespace = run_code(benefit.code())
    assert namespace["accuracy"] == pytest.approx(tree.metrics["accuracy"])
    assert namespace["baseline_accuracy"] == pytest.approx(tree.baseline["accuracy"])
    assert namespace["importance"].index[0] == tree.importance[0][0]


def test_a_model_card_sentence_counts_in_scripts_without_spaces():
    from labs.machine_learning.no_code import CARD_MIN_WORDS, word_count

    khmer = "ម៉ូដែលនេះជួយមន្ត្រីរៀបចំលំដាប់ពាក្យសុំដែលត្រូវពិនិត្យមុនគេ"  # one sentence, no spaces
    korean = "이 모델은 담당 공무원이 먼저 검토할 신청서를 고르도록 돕습니다."
    assert word_count(khmer) >= CARD_MIN_WORDS and word_count(korean) >= CARD_MIN_WORDS
    assert word_count("Helps staff.") < CARD_MIN_WORDS
    assert word_count("It helps caseworkers decide which applications to check first.") >= CARD_MIN_WORDS
