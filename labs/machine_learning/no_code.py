"""Lab "machine_learning/no-code": predict benefit decisions (and bike rentals) without writing code.

The learner picks a target and honest features, splits the rows, trains a model, compares it with
a naive baseline, reads the confusion matrix and the feature importance, learns why bike rentals
need a time-based split, and writes a model card. No Qt here: the panel is named by string.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from app.core.i18n import N_, _, ngettext
from app.core.tasks import TaskState
from labs.framework import Feedback, LabDefinition, Task, WrongAttempt
from labs.machine_learning.engine.models import LOGISTIC, MODEL_TITLES, TREE
from labs.machine_learning.engine.problem import CLASSIFICATION, REGRESSION
from labs.machine_learning.engine.training import RunResult, RunSpec, RunSummary, train
from labs.answers import parse_percent
from labs.machine_learning.engine.workspace import NOT_CHOSEN, CatalogSource, ModelWorkspace, Question, open_workspace

BENEFIT = "benefit-applications"
BIKES = "bikeshare-hourly"
DATASETS = (BENEFIT, BIKES)

# Columns of benefit-applications that are only known after the decision, and why (labs/datasets/DATASETS.md).
BENEFIT_LEAKS = {
    "approval_code": N_("{column} is the decision written as a code (A- approved, R- refused)"),
    "decision_letter_sent_date": N_("{column} exists only for approved applications: the letter is sent after "
                                    "the decision"),
    "processing_days": N_("{column} is only known once the decision is made (refusals take longer)"),
    "application_id": N_("{column} is a reference number, different for every application: there is nothing "
                         "general in it to learn"),
}
BIKE_LEAKS = {
    "casual": N_("{column} is part of the count: casual + registered = bikers"),
    "registered": N_("{column} is part of the count: casual + registered = bikers"),
}
MIN_FEATURES = 3
ANSWER_TOLERANCE = 2.0  # percentage points
CARD_MIN_WORDS = 8

QUESTIONS = (
    Question("baseline_accuracy", N_("What accuracy does the naive baseline (always giving the most common "
                                     "decision) reach on your test rows? (a percentage)"), "percent"),
    Question("no_recall", N_("Of the applications really refused (\"no\"), what share did your model also refuse? "
                             "This is the recall of \"no\" (a percentage)."), "percent"),
    Question("top_feature", N_("Which feature matters most to your model, by permutation importance?"), "feature"),
)


# --- checks -----------------------------------------------------------------------------------------

def _leak_reasons(features: tuple[str, ...], leaks: dict[str, str]) -> list[str]:
    return [_(leaks[c]).format(column=c) for c in features if c in leaks]


def _benefit_run(workspace: ModelWorkspace, kinds: tuple[str, ...] = ()) -> RunSummary | None:
    """The latest classification run predicting approved (of one of `kinds`, when given)."""
    for run in reversed(workspace.runs):
        if (run.spec.dataset == BENEFIT and run.spec.target == "approved" and run.task == CLASSIFICATION
                and (not kinds or run.spec.model.kind in kinds)):
            return run
    return None


def _percent_text(value: float) -> str:
    return f"{value:.0f}%"


def check_choose(workspace: ModelWorkspace) -> Feedback:
    setup = workspace.setups.get(BENEFIT)
    if setup is None or setup.target == NOT_CHOSEN:
        return Feedback(False, _("Open the benefit applications and choose approved as the column to predict."))
    if setup.target != "approved":
        chosen = setup.target if setup.target is not None else _("no target")
        return Feedback(False, _("You chose {chosen} as the column to predict; the task asks for approved (the "
                                 "decision on each application).").format(chosen=chosen))
    reasons = _leak_reasons(setup.features, BENEFIT_LEAKS)
    if reasons:
        return Feedback(False, ngettext(
            "Remove this column: {reasons}. A model that uses it cannot work on a new application.",
            "Remove these columns: {reasons}. A model that uses them cannot work on a new application.",
            len(reasons)).format(reasons="; ".join(reasons)))
    if len(setup.features) < MIN_FEATURES:
        return Feedback(False, ngettext(
            "You chose {count} feature; choose at least {least} columns known when an application arrives.",
            "You chose {count} features; choose at least {least} columns known when an application arrives.",
            len(setup.features)).format(count=len(setup.features), least=MIN_FEATURES))
    return Feedback(True, _("Good: {count} features, all known when an application arrives.").format(
        count=len(setup.features)))


def check_split(workspace: ModelWorkspace) -> Feedback:
    setup = workspace.setups.get(BENEFIT)
    if setup is None:
        return Feedback(False, _("Open the benefit applications first."))
    split = setup.split
    if split.kind != "random":
        return Feedback(False, _("You split by time; this task asks for a random split (you will split by time in "
                                 "the bike-share task)."))
    if not 0.2 <= split.test_fraction <= 0.3:
        return Feedback(False, _("You keep {share} of the rows for testing; the task asks for 20% to 30%.").format(
            share=f"{split.test_fraction:.0%}"))
    if not split.stratify:
        return Feedback(False, _("Tick \"same share of each class in both parts\" (stratify): about one application "
                                 "in five is refused, and a plain random test part can get too many or too few "
                                 "of them."))
    return Feedback(True, _("Good: a random, stratified split keeping {share} of the rows for testing.").format(
        share=f"{split.test_fraction:.0%}"))


def check_baseline(workspace: ModelWorkspace) -> Feedback:
    run = _benefit_run(workspace, (TREE, LOGISTIC))
    if run is None:
        trained = _benefit_run(workspace)
        if trained is not None:
            model = _(MODEL_TITLES[trained.spec.model.kind])
            return Feedback(False, _("Your latest run uses the model \"{model}\"; the task asks you to train a "
                                     "decision tree or a logistic regression.").format(model=model))
        return Feedback(False, _("Train a decision tree or a logistic regression that predicts approved."))
    reasons = _leak_reasons(run.spec.features, BENEFIT_LEAKS)
    if reasons:
        return Feedback(False, _("Your run uses columns known only after the decision ({reasons}). Train again "
                                 "without them.").format(reasons="; ".join(reasons)))
    if not run.beats_baseline:
        return Feedback(False, _("Your model's balanced accuracy ({model:.2f}) is no better than the naive "
                                 "baseline's ({baseline:.2f}). Add features or let the tree go deeper.").format(
            model=run.metrics["balanced_accuracy"], baseline=run.baseline["balanced_accuracy"]))
    expected = run.baseline["accuracy"] * 100
    answer = parse_percent(workspace.answers.get("baseline_accuracy", ""))
    if answer is None:
        return Feedback(False, _("Your model beats the baseline. Now answer the question: what accuracy does the "
                                 "naive baseline reach?"))
    if abs(answer - expected) > ANSWER_TOLERANCE:
        if abs(answer - run.baseline["balanced_accuracy"] * 100) <= ANSWER_TOLERANCE:
            return Feedback(False, _("You answered {answer}: that is the baseline's balanced accuracy. The question "
                                     "asks for its plain accuracy, the share of test rows it gets right.").format(
                answer=_percent_text(answer)))
        return Feedback(False, _("You answered {answer}. Always answering \"{value}\" is right exactly as often as "
                                 "\"{value}\" appears in the test rows: look at the baseline's accuracy in the "
                                 "results.").format(answer=_percent_text(answer), value=run.baseline_answer))
    return Feedback(True, _("Right: always answering \"{value}\" scores {accuracy}, so a high accuracy alone proves "
                            "little. Your model's balanced accuracy is {model:.2f} against {baseline:.2f}.").format(
        value=run.baseline_answer, accuracy=_percent_text(expected), model=run.metrics["balanced_accuracy"],
        baseline=run.baseline["balanced_accuracy"]))


def check_confusion(workspace: ModelWorkspace) -> Feedback:
    run = _benefit_run(workspace)
    if run is None or "no" not in run.per_class:
        return Feedback(False, _("Train a model that predicts approved first."))
    expected = run.per_class["no"]["recall"] * 100
    answer = parse_percent(workspace.answers.get("no_recall", ""))
    if answer is None:
        return Feedback(False, _("Answer the question: what share of the refused applications did your model find?"))
    if abs(answer - expected) <= ANSWER_TOLERANCE:
        return Feedback(True, _("Right: your model finds {recall} of the refusals; the rest it wrongly approves. "
                                "Accuracy alone hides this.").format(recall=_percent_text(expected)))
    near = {_("the recall of \"yes\""): run.per_class.get("yes", {}).get("recall", -1) * 100,
            _("the precision of \"no\" (of the applications the model refused, the share really refused)"):
                run.per_class["no"]["precision"] * 100,
            _("the accuracy"): run.metrics["accuracy"] * 100}
    for name, value in near.items():
        if abs(answer - value) <= ANSWER_TOLERANCE:
            return Feedback(False, _("You answered {answer}: that is {name}. The recall of \"no\" counts, among the "
                                     "applications really refused, those the model refused too: read the \"no\" row "
                                     "of the confusion matrix.").format(answer=_percent_text(answer), name=name))
    return Feedback(False, _("You answered {answer}. In the confusion matrix, take the \"no\" row (really refused): "
                             "the share of it the model predicted \"no\".").format(answer=_percent_text(answer)))


def check_importance(workspace: ModelWorkspace) -> Feedback:
    run = _benefit_run(workspace)
    if run is None or not run.importance:
        return Feedback(False, _("Train a model that predicts approved first."))
    answer = workspace.answers.get("top_feature", "")
    if not answer:
        return Feedback(False, _("Choose the feature that matters most, from the importance chart."))
    scores = {name: (mean, spread) for name, mean, spread in run.importance}
    top, (top_mean, top_spread) = run.importance[0][0], run.importance[0][1:]
    if answer not in scores:
        return Feedback(False, _("{answer} is not one of your latest run's features.").format(answer=answer))
    mean, spread = scores[answer]
    if mean >= top_mean - max(top_spread + spread, 0.005):  # a tie within the shuffles' own spread
        return Feedback(True, _("Right: shuffling {answer} lowers the score by {drop:.3f}, more than any other "
                                "feature.").format(answer=answer, drop=mean))
    return Feedback(False, _("Your model's importance chart ranks {top} first (the score drops by {top_drop:.3f} when "
                             "it is shuffled); {answer} drops it by {drop:.3f}.").format(
        top=top, top_drop=top_mean, answer=answer, drop=mean))


def check_time_split(workspace: ModelWorkspace) -> Feedback:
    runs = [r for r in workspace.runs if r.spec.dataset == BIKES]
    if not runs:
        return Feedback(False, _("Open the bike-share data, choose bikers as the column to predict and train a "
                                 "model."))
    run = runs[-1]
    if run.spec.target != "bikers" or run.task != REGRESSION:
        chosen = run.spec.target if run.spec.target is not None else _("no target")
        return Feedback(False, _("Your latest bike-share run predicts {chosen}; the task asks for bikers, the number "
                                 "of rentals in the hour.").format(chosen=chosen))
    reasons = _leak_reasons(run.spec.features, BIKE_LEAKS)
    if reasons:
        return Feedback(False, ngettext("Remove this column: {reasons}. It is only known once the hour is over.",
                                        "Remove these columns: {reasons}. They are only known once the hour is over.",
                                        len(reasons)).format(reasons="; ".join(reasons)))
    if run.spec.split.kind != "time":
        return Feedback(False, _("With a random split the model is tested on hours before ones it learned from; the "
                                 "task asks for a time-based split on datetime."))
    if run.spec.split.time_column != "datetime":
        return Feedback(False, _("You split by {column}; the task asks to split by datetime.").format(
            column=run.spec.split.time_column))
    if not run.beats_baseline:
        return Feedback(False, _("Your model's R² ({r2:.2f}) is no better than always guessing the average. Add "
                                 "features such as the hour (hr) or the temperature.").format(r2=run.metrics["r2"]))
    return Feedback(True, _("Good: trained on the hours before {cutoff} and tested on the later ones, R² {r2:.2f} "
                            "(the average alone: {baseline:.2f}).").format(cutoff=run.cutoff, r2=run.metrics["r2"],
                                                                          baseline=run.baseline["r2"]))


def word_count(text: str) -> int:
    """Words, for every script: Khmer writes no spaces between words and Korean few, so about five
    letters also count as one word (a sentence or two is then long enough in any language)."""
    letters = sum(1 for ch in text if not ch.isspace())
    return max(len(text.split()), letters // 5)


def check_card(workspace: ModelWorkspace) -> Feedback:
    if not workspace.runs:
        return Feedback(False, _("Train a model first: the card describes your latest run."))
    for name, text in ((_("Purpose"), workspace.card.purpose), (_("Limits"), workspace.card.limits)):
        words = word_count(text)
        if words < CARD_MIN_WORDS:
            return Feedback(False, ngettext(
                "Write the card's {field} in a sentence or two (it has {count} word; write at least {least}).",
                "Write the card's {field} in a sentence or two (it has {count} words; write at least {least}).",
                words).format(field=name, count=words, least=CARD_MIN_WORDS))
    if not workspace.card_exports:
        return Feedback(False, _("Save the card as Markdown or PDF (buttons under the card)."))
    return Feedback(True, _("Your model card is written and saved."))


TASKS = (
    Task("choose", N_("Choose what to predict, and from what"),
         N_("Open the benefit applications. Choose approved as the column to predict, and at least three "
            "features that are known when an application arrives. Read the warnings beside the columns."),
         check_choose,
         N_("Ask of each column: would I know this on the day the application arrives? A code or a date "
            "written after the decision gives the answer away.")),
    Task("split", N_("Keep rows aside for testing"),
         N_("Split the applications at random, keeping 20% to 30% for testing, with the same share of each "
            "decision in both parts (stratified)."),
         check_split,
         N_("In the Split step, choose a random split, set the test share, and tick the stratify box.")),
    Task("baseline", N_("Beat the naive baseline"),
         N_("Train a decision tree or a logistic regression. Compare it with the naive baseline that always "
            "gives the most common decision, then answer: what accuracy does that baseline reach?"),
         check_baseline,
         N_("The baseline column of the results table shows its accuracy. Balanced accuracy is the average of "
            "the recall of each class.")),
    Task("confusion", N_("Read the confusion matrix"),
         N_("In the confusion matrix, find the applications that were really refused. What share of them did "
            "your model also refuse (the recall of \"no\")?"),
         check_confusion,
         N_("Take the \"no\" row: the count predicted \"no\" divided by the whole row.")),
    Task("importance", N_("Which feature matters most?"),
         N_("Look at the permutation importance chart of your latest run and name the feature that matters most."),
         check_importance,
         N_("The longest bar is the feature whose shuffling lowers the score the most.")),
    Task("time_split", N_("Predict bike rentals with a time-based split"),
         N_("Open the bike-share data. Predict bikers (rentals per hour) from the weather and the calendar, split "
            "by time on datetime (train on the earlier hours, test on the later ones) and beat the average."),
         check_time_split,
         N_("casual and registered add up to bikers, so leave them out. In the Split step, choose 'by time'.")),
    Task("card", N_("Write and save a model card"),
         N_("In the Model card step, write the purpose of your model and its limits (a sentence or two each), "
            "then save the card as Markdown or PDF."),
         check_card,
         N_("Limits: what data it was trained on, what it gets wrong (look at the recall), and who must check "
            "its answers.")),
)


# --- opening (with a cache: the embedded data never changes, so a spec always gives the same run) ----

_RUN_CACHE: dict[str, RunResult] = {}
_RUN_CACHE_SIZE = 8


def _cached_train(frame: Any, spec: RunSpec, state: TaskState, reference_time: str | None) -> RunResult:
    key = json.dumps([spec.to_dict(), reference_time], sort_keys=True)
    if key not in _RUN_CACHE:
        result = train(frame, spec, state, reference_time)
        while len(_RUN_CACHE) >= _RUN_CACHE_SIZE:
            _RUN_CACHE.pop(next(iter(_RUN_CACHE)))
        _RUN_CACHE[key] = result
    return _RUN_CACHE[key]


def open_lab(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> ModelWorkspace:
    return open_workspace(snapshot, state, files, source=CatalogSource(), datasets=DATASETS, questions=QUESTIONS,
                          fit=_cached_train)


# --- the reference solution and plausible mistakes -------------------------------------------------------

_HONEST = ["region", "applicant_age", "employment", "household_size", "children_under_6", "monthly_income",
           "documents_complete", "previous_applications"]
_BIKE_FEATURES = ["season", "hr", "holiday", "weekday", "workingday", "weathersit", "temp", "atemp", "hum",
                  "windspeed"]
_BENEFIT_SPLIT = {"kind": "random", "test_fraction": 0.25, "time_column": "submitted_date", "stratify": True,
                  "seed": 42}
_BIKE_SPLIT = {"kind": "time", "test_fraction": 0.25, "time_column": "datetime", "stratify": True, "seed": 42}
_TREE = {"kind": "decision_tree", "params": {"max_depth": 4}}
_BOOSTING = {"kind": "gradient_boosting", "params": {"n_trees": 100, "learning_rate": 0.1}}


def _setup(target: str, features: list[str], split: dict[str, Any], model: dict[str, Any]) -> dict[str, Any]:
    return {"target": target, "features": features, "split": split, "model": model}


def _run(dataset: str, setup: dict[str, Any]) -> dict[str, Any]:
    """A run saved as its spec only: opening the snapshot trains it."""
    return {"spec": {"dataset": dataset, **setup}}


_BENEFIT_SETUP = _setup("approved", _HONEST, _BENEFIT_SPLIT, _TREE)
_BIKE_SETUP = _setup("bikers", _BIKE_FEATURES, _BIKE_SPLIT, _BOOSTING)

REFERENCE: dict[str, Any] = {
    "version": 1,
    "dataset": BIKES,
    "setups": {BENEFIT: _BENEFIT_SETUP, BIKES: _BIKE_SETUP},
    "runs": [_run(BENEFIT, _BENEFIT_SETUP), _run(BIKES, _BIKE_SETUP)],
    "card": {"purpose": "Sort incoming childcare benefit applications so that caseworkers look first at the ones "
                        "likely to be refused.",
             "limits": "Trained on 6,000 made-up applications from 2023 and 2024. It misses about a third of the "
                       "refusals, so a caseworker decides every application.",
             "not_for": "Refusing an application without a person reading it."},
    # Measured on the embedded data with the reference runs (the self-test proves they still hold).
    "answers": {"baseline_accuracy": "79", "no_recall": "67", "top_feature": "documents_complete"},
    "card_exports": ["markdown"],
}


def _variant(**changes: Any) -> dict[str, Any]:
    """The reference with some top-level parts replaced (deep-copied first)."""
    snapshot = copy.deepcopy(REFERENCE)
    snapshot.update(copy.deepcopy(changes))
    return snapshot


def _benefit_variant(setup: dict[str, Any], *, run_too: bool = False) -> dict[str, Any]:
    setups = {BENEFIT: setup, BIKES: _BIKE_SETUP}
    runs = [_run(BENEFIT, setup), _run(BIKES, _BIKE_SETUP)] if run_too else REFERENCE["runs"]
    return _variant(setups=setups, runs=runs)


def _answers(**answers: str) -> dict[str, str]:
    return {**REFERENCE["answers"], **answers}


WRONG_ATTEMPTS = (
    WrongAttempt("keeps approval_code, the target in disguise", "choose",
                 _benefit_variant(_setup("approved", _HONEST + ["approval_code"], _BENEFIT_SPLIT, _TREE))),
    WrongAttempt("keeps decision_letter_sent_date, known after the decision", "choose",
                 _benefit_variant(_setup("approved", _HONEST + ["decision_letter_sent_date"], _BENEFIT_SPLIT, _TREE))),
    WrongAttempt("predicts fraud_flag instead of approved", "choose",
                 _benefit_variant(_setup("fraud_flag", _HONEST, _BENEFIT_SPLIT, _TREE))),
    WrongAttempt("only two features", "choose",
                 _benefit_variant(_setup("approved", ["region", "applicant_age"], _BENEFIT_SPLIT, _TREE))),
    WrongAttempt("keeps only 10% for testing", "split",
                 _benefit_variant(_setup("approved", _HONEST, {**_BENEFIT_SPLIT, "test_fraction": 0.1}, _TREE))),
    WrongAttempt("random split without stratification", "split",
                 _benefit_variant(_setup("approved", _HONEST, {**_BENEFIT_SPLIT, "stratify": False}, _TREE))),
    WrongAttempt("answers the baseline's balanced accuracy (50%)", "baseline",
                 _variant(answers=_answers(baseline_accuracy="50"))),
    WrongAttempt("trains with approval_code", "baseline",
                 _benefit_variant(_setup("approved", _HONEST + ["approval_code"], _BENEFIT_SPLIT, _TREE),
                                  run_too=True)),
    WrongAttempt("trains a random forest instead of a tree or logistic regression", "baseline",
                 _benefit_variant(_setup("approved", _HONEST, _BENEFIT_SPLIT,
                                         {"kind": "random_forest", "params": {}}), run_too=True)),
    WrongAttempt("gives the recall of yes instead of no", "confusion", _variant(answers=_answers(no_recall="99"))),
    WrongAttempt("names a feature that hardly matters", "importance",
                 _variant(answers=_answers(top_feature="region"))),
    WrongAttempt("splits the bike hours at random", "time_split",
                 _variant(runs=[_run(BENEFIT, _BENEFIT_SETUP),
                                _run(BIKES, _setup("bikers", _BIKE_FEATURES, {**_BIKE_SPLIT, "kind": "random"},
                                                   _BOOSTING))])),
    WrongAttempt("predicts bikers from registered riders", "time_split",
                 _variant(runs=[_run(BENEFIT, _BENEFIT_SETUP),
                                _run(BIKES, _setup("bikers", _BIKE_FEATURES + ["registered"], _BIKE_SPLIT,
                                                   _BOOSTING))])),
    WrongAttempt("card never saved", "card", _variant(card_exports=[])),
    WrongAttempt("card without a purpose", "card",
                 _variant(card={**REFERENCE["card"], "purpose": "Predict approvals."})),
)

LAB = LabDefinition(
    id="machine_learning/no-code",
    family="machine_learning",
    title=N_("Predict benefit decisions without code"),
    summary=N_("Choose a target and honest features, split the data, train a model, compare it with a naive "
               "baseline, read its mistakes and write a model card. Every step shows the scikit-learn code."),
    datasets=DATASETS,
    tasks=TASKS,
    open=open_lab,
    reference=REFERENCE,
    wrong_attempts=WRONG_ATTEMPTS,
    panel="labs.machine_learning.panel:ModelPanel",
)
