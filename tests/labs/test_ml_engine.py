"""The machine-learning lab's engine: task inference, splits, models, metrics, baseline, importance, cautions."""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, balanced_accuracy_score, mean_absolute_error, r2_score

from app.core.tasks import Cancelled, TaskState
from labs.machine_learning.engine import cautions as c
from labs.machine_learning.engine.models import MODELS_FOR_TASK, ModelSpec
from labs.machine_learning.engine.prepare import date_parts, feature_groups, parse_date_text
from labs.machine_learning.engine.problem import (CLASSIFICATION, CLUSTERING, REGRESSION, SetupProblem,
                                                  candidate_targets, infer_task, is_identifier)
from labs.machine_learning.engine.samples import make_benefit_frame, make_regression_frame
from labs.machine_learning.engine.split import SplitSpec, split_rows
from labs.machine_learning.engine.training import RunSpec, comparison_text, rows_with_target, train

HONEST = ("applicant_age", "household_size", "monthly_income", "children_under_6", "employment", "region",
          "documents_complete", "previous_applications")


@pytest.fixture(scope="module")
def benefit() -> pd.DataFrame:
    return make_benefit_frame(2000, seed=1)


@pytest.fixture(scope="module")
def bikes() -> pd.DataFrame:
    return make_regression_frame(3000, seed=2)


def tiny_classes(rows: int = 400, seed: int = 0) -> pd.DataFrame:
    """A planted rule: label is "high" when signal > 0; noise is pure noise."""
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=rows)
    return pd.DataFrame({"signal": signal, "noise": rng.normal(size=rows),
                         "colour": rng.choice(["red", "blue"], rows),
                         "label": np.where(signal > 0, "high", "low")})


# --- problem -------------------------------------------------------------------------------------

def test_the_target_decides_the_task(benefit, bikes):
    assert infer_task(benefit, "approved") == CLASSIFICATION  # yes/no text
    assert infer_task(benefit, "fraud_flag") == CLASSIFICATION  # 0/1 whole numbers
    assert infer_task(benefit, "children_under_6") == CLASSIFICATION  # few whole numbers
    assert infer_task(benefit, "monthly_income") == REGRESSION
    assert infer_task(bikes, "count") == REGRESSION
    assert infer_task(bikes, None) == CLUSTERING


def test_targets_that_cannot_be_predicted_say_why(benefit):
    with pytest.raises(SetupProblem, match="submitted_date holds dates"):
        infer_task(benefit, "submitted_date")
    with pytest.raises(SetupProblem, match="too many"):
        infer_task(benefit, "application_id")
    with pytest.raises(SetupProblem, match="only one value"):
        infer_task(benefit.assign(same="x"), "same")
    assert "application_id" not in candidate_targets(benefit)
    assert "approved" in candidate_targets(benefit)
    assert is_identifier(benefit["application_id"]) and not is_identifier(benefit["monthly_income"])


def test_models_fit_their_task():
    assert "logistic_regression" in MODELS_FOR_TASK[CLASSIFICATION]
    assert "linear_regression" not in MODELS_FOR_TASK[CLASSIFICATION]
    assert MODELS_FOR_TASK[CLUSTERING] == ("kmeans",)
    with pytest.raises(SetupProblem, match="does not fit"):
        train(tiny_classes(), RunSpec("t", "label", ("signal",), model=ModelSpec("linear_regression")))


# --- preparation ------------------------------------------------------------------------------------

def test_features_are_grouped_by_kind(benefit):
    groups = feature_groups(benefit, ["monthly_income", "region", "submitted_date", "application_id"])
    assert groups == {"number": ["monthly_income"], "category": ["region", "application_id"],
                      "date": ["submitted_date"]}


def test_dates_become_numbers_and_date_text_is_parsed():
    frame = pd.DataFrame({"when": pd.to_datetime(["2024-03-04 08:00", "2024-12-29 17:00"])})
    parts = date_parts(frame)
    assert parts.loc[0].tolist() == [2024, 3, 0, 8]  # a Monday at 8
    assert parts.loc[1].tolist() == [2024, 12, 6, 17]
    text = pd.DataFrame({"sent": ["2024-01-02", None, "2024-02-03"], "name": ["a", "b", "c"]})
    parsed = parse_date_text(text)
    assert pd.api.types.is_datetime64_any_dtype(parsed["sent"]) and parsed["name"].dtype == text["name"].dtype


# --- splits -------------------------------------------------------------------------------------------

def test_time_split_tests_only_on_later_rows(bikes):
    split = split_rows(bikes, "count", REGRESSION, SplitSpec("time", 0.25, "datetime"))
    assert split.train["datetime"].max() < split.test["datetime"].min()
    assert split.test["datetime"].min() == split.cutoff
    assert abs(len(split.test) / len(bikes) - 0.25) < 0.01


def test_time_split_leaves_out_rows_without_a_time(bikes):
    holes = bikes.copy()
    holes.loc[:9, "datetime"] = pd.NaT
    split = split_rows(holes, "count", REGRESSION, SplitSpec("time", 0.2, "datetime"))
    assert split.dropped_no_time == 10 and len(split.train) + len(split.test) == len(bikes) - 10


def test_random_split_is_stratified_and_seeded(benefit):
    data = rows_with_target(benefit, "approved", CLASSIFICATION)
    first = split_rows(data, "approved", CLASSIFICATION, SplitSpec("random", 0.25, seed=7))
    again = split_rows(data, "approved", CLASSIFICATION, SplitSpec("random", 0.25, seed=7))
    assert first.stratified and first.test.index.equals(again.test.index)
    share = data["approved"].eq("no").mean()
    assert abs(first.test["approved"].eq("no").mean() - share) < 0.005
    assert abs(first.train["approved"].eq("no").mean() - share) < 0.005
    assert set(first.train.index).isdisjoint(first.test.index)


def test_bad_splits_are_refused_with_a_reason(bikes):
    with pytest.raises(SetupProblem, match="between 5% and 50%"):
        split_rows(bikes, "count", REGRESSION, SplitSpec("random", 0.9))
    with pytest.raises(SetupProblem, match="does not hold dates"):
        split_rows(bikes, "count", REGRESSION, SplitSpec("time", 0.2, "temp"))


# --- training: every model kind, metrics checked against scikit-learn's own ---------------------------

@pytest.mark.parametrize("kind", MODELS_FOR_TASK[CLASSIFICATION])
def test_each_classifier_trains_and_its_metrics_are_right(kind):
    frame = tiny_classes()
    result = train(frame, RunSpec("t", "label", ("signal", "noise", "colour"), SplitSpec(test_fraction=0.25),
                                  ModelSpec(kind, {"n_trees": 20} if kind in ("random_forest", "gradient_boosting")
                                            else {})))
    summary = result.summary
    test_rows = split_rows(frame, "label", CLASSIFICATION, SplitSpec(test_fraction=0.25)).test
    predicted = result.pipeline.predict(test_rows[["signal", "noise", "colour"]])
    assert summary.metrics["accuracy"] == pytest.approx(accuracy_score(test_rows["label"], predicted))
    assert summary.metrics["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(test_rows["label"], predicted))
    assert summary.metrics["accuracy"] > 0.85  # the rule is easy
    assert np.array(summary.confusion).sum() == len(test_rows) == summary.rows["test"]
    assert summary.classes == ["high", "low"]
    recall_high = summary.confusion[0][0] / sum(summary.confusion[0])
    assert summary.per_class["high"]["recall"] == pytest.approx(recall_high)


@pytest.mark.parametrize("kind", MODELS_FOR_TASK[REGRESSION])
def test_each_regressor_trains_and_its_metrics_are_right(kind, bikes):
    features = ("datetime", "season", "workingday", "temp", "humidity")
    spec = RunSpec("b", "count", features, SplitSpec("time", 0.2, "datetime"),
                   ModelSpec(kind, {"n_trees": 30} if kind in ("random_forest", "gradient_boosting") else {}))
    result = train(bikes, spec)
    test_rows = split_rows(bikes, "count", REGRESSION, spec.split).test
    predicted = result.pipeline.predict(test_rows[list(features)])
    assert result.summary.metrics["r2"] == pytest.approx(r2_score(test_rows["count"], predicted))
    assert result.summary.metrics["mae"] == pytest.approx(mean_absolute_error(test_rows["count"], predicted))
    assert result.summary.metrics["r2"] > 0.1 and result.summary.beats_baseline
    assert len(result.residuals) == len(result.predicted) == len(test_rows)  # fewer than 2,000 points: all
    assert np.allclose(np.sort(result.residuals), np.sort(test_rows["count"].to_numpy() - predicted))


def test_kmeans_finds_planted_groups_and_reports_centres_in_data_units():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"x": np.r_[rng.normal(0, 1, 150), rng.normal(50, 1, 150)],
                          "y": np.r_[rng.normal(0, 1, 150), rng.normal(-20, 1, 150)]})
    summary = train(frame, RunSpec("k", None, ("x", "y"), model=ModelSpec("kmeans", {"k": 2}))).summary
    assert sorted(summary.clusters["sizes"].values()) == [150, 150]
    assert sorted(round(v) for v in summary.clusters["centres"]["x"].values()) == [0, 50]
    assert summary.metrics["silhouette"] > 0.8
    assert summary.metrics["inertia"] < 0.05 * summary.baseline["inertia"] and summary.beats_baseline
    assert "cut the spread" in comparison_text(summary)


def test_baseline_is_the_majority_class_and_the_training_mean(benefit, bikes):
    summary = train(benefit, RunSpec("b", "approved", HONEST)).summary
    test_share_yes = summary.per_class["yes"]["support"] / summary.rows["test"]
    assert summary.baseline_answer == "yes"
    assert summary.baseline["accuracy"] == pytest.approx(test_share_yes)
    assert summary.baseline["balanced_accuracy"] == pytest.approx(0.5)
    assert summary.beats_baseline
    assert "always answering \"yes\"" in comparison_text(summary)
    spec = RunSpec("b", "count", ("temp",), SplitSpec("time", 0.25, "datetime"), ModelSpec("linear_regression"))
    regression = train(bikes, spec).summary
    train_rows = split_rows(bikes, "count", REGRESSION, spec.split).train
    assert float(regression.baseline_answer) == pytest.approx(train_rows["count"].mean(), rel=1e-3)


def test_permutation_importance_ranks_the_planted_feature_first():
    summary = train(tiny_classes(600), RunSpec("t", "label", ("noise", "colour", "signal"))).summary
    ranked = [name for name, _mean, _spread in summary.importance]
    assert ranked[0] == "signal"
    assert summary.importance[0][1] > 0.3 and abs(summary.importance[-1][1]) < 0.05


def test_missing_target_rows_are_left_out_and_counted():
    frame = tiny_classes()
    frame.loc[:4, "label"] = None
    summary = train(frame, RunSpec("t", "label", ("signal",))).summary
    assert summary.rows["no_target"] == 5 and summary.rows["used"] == len(frame) - 5


def test_bad_choices_raise_clear_problems():
    frame = tiny_classes()
    with pytest.raises(SetupProblem, match="at least one feature"):
        train(frame, RunSpec("t", "label", ()))
    with pytest.raises(SetupProblem, match="cannot also be a feature"):
        train(frame, RunSpec("t", "label", ("signal", "label")))
    with pytest.raises(SetupProblem, match="not in the data: nothing"):
        train(frame, RunSpec("t", "label", ("nothing",)))


# --- progress and cancel ---------------------------------------------------------------------------

def test_progress_rises_to_the_end():
    seen: list[float] = []
    train(tiny_classes(), RunSpec("t", "label", ("signal",), model=ModelSpec("random_forest", {"n_trees": 20})),
          TaskState(on_progress=lambda p, m: seen.append(p)))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 10


def test_cancel_during_a_fit_stops_it_promptly():
    frame = make_regression_frame(60_000, seed=4)
    state = TaskState()
    fitting = threading.Event()
    state._on_progress = lambda p, m: fitting.set() if "trees" in m else None
    spec = RunSpec("b", "count", ("datetime", "season", "weather", "temp", "humidity", "windspeed"),
                   SplitSpec("time", 0.2, "datetime"), ModelSpec("gradient_boosting", {"n_trees": 1000}))
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            train(frame, spec, state)
        except BaseException as error:  # noqa: BLE001 - the test inspects it
            outcome["error"] = error

    worker = threading.Thread(target=run)
    worker.start()
    assert fitting.wait(60), "the fit never reported progress"
    asked = time.process_time()
    state.request_cancel()
    worker.join(30)
    assert not worker.is_alive()
    assert isinstance(outcome.get("error"), Cancelled)
    assert time.process_time() - asked < 5  # one chunk of 100 trees at most, not the 1,000


# --- cautions -------------------------------------------------------------------------------------

def kinds_by_column(cautions: list[c.Caution]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for caution in cautions:
        found.setdefault(caution.column, set()).add(caution.kind)
    return found


def test_leakage_warnings_fire_on_the_planted_leaks_and_not_on_honest_features(benefit):
    features = HONEST + ("approval_code", "decision_letter_sent_date", "processing_days", "application_id")
    summary = train(benefit, RunSpec("b", "approved", features), reference_time="submitted_date").summary
    found = kinds_by_column(summary.cautions)
    assert found["approval_code"] == {c.LEAK_CODE}
    assert found["decision_letter_sent_date"] == {c.AFTER_OUTCOME}
    assert found["processing_days"] == {c.NAME_HINT}
    assert found["application_id"] == {c.IDENTIFIER}
    assert not set(found) & set(HONEST)
    messages = {x.column: x.message() for x in summary.cautions}
    assert "approval_code" in messages["approval_code"] and "100%" in messages["approval_code"]
    assert "submitted_date" in messages["decision_letter_sent_date"]


def test_a_feature_that_alone_predicts_the_target_is_flagged():
    frame = tiny_classes()
    frame["verdict"] = frame["label"].map({"high": "H", "low": "L"})  # the answer renamed
    frame["score"] = frame["signal"] * 10 + 1  # numbers that carry the rule exactly
    found = kinds_by_column(train(frame, RunSpec("t", "label", ("verdict", "noise", "colour"))).summary.cautions)
    assert found == {"verdict": {c.LEAK_ALONE}}
    numbers = pd.DataFrame({"x": np.arange(300.0), "noise": np.random.default_rng(0).normal(size=300)})
    numbers["y"] = numbers["x"] * 2 + 1
    found = kinds_by_column(train(numbers, RunSpec("n", "y", ("x", "noise"), model=ModelSpec("linear_regression")))
                            .summary.cautions)
    assert found == {"x": {c.LEAK_CORRELATION}}


def test_random_split_of_a_time_series_warns_and_a_time_split_does_not(bikes):
    features = ("season", "workingday", "temp")
    random_run = train(bikes, RunSpec("b", "count", features, SplitSpec("random", 0.25)), reference_time="datetime")
    warned = [x for x in random_run.summary.cautions if x.kind == c.RANDOM_SPLIT_TIME]
    assert len(warned) == 1 and warned[0].severity == c.WARNING and "datetime" in warned[0].message()
    timed = train(bikes, RunSpec("b", "count", features, SplitSpec("time", 0.25, "datetime")),
                  reference_time="datetime")
    assert not [x for x in timed.summary.cautions if x.kind == c.RANDOM_SPLIT_TIME]


def test_random_split_of_dated_cases_is_only_a_hint(benefit):
    summary = train(benefit, RunSpec("b", "approved", HONEST), reference_time="submitted_date").summary
    assert [(x.kind, x.severity) for x in summary.cautions] == [(c.RANDOM_SPLIT_TIME, c.HINT)]


def test_time_split_warns_about_training_rows_carrying_test_period_dates(benefit):
    spec = RunSpec("b", "approved", HONEST + ("decision_letter_sent_date",),
                   SplitSpec("time", 0.25, "submitted_date"))
    summary = train(benefit, spec, reference_time="submitted_date").summary
    future = [x for x in summary.cautions if x.kind == c.FUTURE_IN_TRAIN]
    assert len(future) == 1 and future[0].numbers["count"] > 0 and summary.cutoff in future[0].message()


def test_class_imbalance_warnings(benefit):
    summary = train(benefit, RunSpec("b", "fraud_flag", HONEST), reference_time="submitted_date").summary
    rare = [x for x in summary.cautions if x.kind == c.VERY_RARE_CLASS]
    assert len(rare) == 1 and rare[0].severity == c.STRONG
    assert rare[0].numbers["value"] == "1" and rare[0].numbers["share"] < 0.05
    assert "recall" in rare[0].message()
    y = pd.Series(["a"] * 85 + ["b"] * 15)
    assert [x.kind for x in c.imbalance_cautions(y, "t")] == [c.RARE_CLASS]
    assert c.imbalance_cautions(pd.Series(["a"] * 70 + ["b"] * 30), "t") == []
    assert c.imbalance_cautions(pd.Series(["a", "b", "c", "d"] * 10), "t") == []


def test_column_hints_cover_every_column(benefit):
    hints = c.column_hints(benefit, "approved", CLASSIFICATION, "submitted_date")
    assert {x.kind for x in hints["approval_code"]} == {c.LEAK_CODE}
    assert {x.kind for x in hints["decision_letter_sent_date"]} == {c.AFTER_OUTCOME}
    assert not set(hints) & set(HONEST)


def test_cautions_survive_json_and_speak_the_current_language(benefit):
    caution = c.Caution(c.LEAK_CODE, c.STRONG, ("approval_code",), {"target": "approved", "purity": 1.0,
                                                                    "example_code": "A", "example_value": "yes"})
    assert c.Caution.from_dict(caution.to_dict()) == caution
    assert caution.message().startswith("approval_code starts with a code")
