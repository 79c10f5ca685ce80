"""Train one model and measure it honestly: `train(frame, spec, state) -> RunResult`.

A run: check the choices, split the rows, fit the preparation and the model (tree ensembles grow
in chunks with warm_start, so progress moves and cancel works between chunks), measure it on the
test rows next to a naive baseline, rank the features by permutation importance, and collect the
cautions (leakage, future data, class imbalance). Everything the learner's script does, the same way.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.inspection import permutation_importance
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, confusion_matrix, get_scorer, mean_absolute_error,
                             precision_recall_fscore_support, r2_score, root_mean_squared_error, silhouette_score)
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from app.core.i18n import N_, _
from app.core.tasks import TaskState
from labs.machine_learning.engine.cautions import (Caution, imbalance_cautions, leakage_cautions, moment_text,
                                                   split_cautions)
from labs.machine_learning.engine.models import (BOOSTING, ESTIMATOR_NAMES, GROWN_PARAMETER, NEEDS_SCALING, ModelSpec,
                                                 baseline_source, check_model, estimator_source)
from labs.machine_learning.engine.prepare import build_from_source, feature_groups, make_preprocessor
from labs.machine_learning.engine.problem import CLASSIFICATION, CLUSTERING, REGRESSION, SetupProblem, infer_task
from labs.machine_learning.engine.split import SplitSpec, split_rows

IMPORTANCE_ROWS = 2000  # permutation importance on at most this many test rows (seeded sample)
IMPORTANCE_REPEATS = 5
RESIDUAL_POINTS = 2000  # points in the residual plot
SILHOUETTE_ROWS = 2000
CHUNKS = 10  # a grown ensemble is fitted in this many steps
# ... except gradient boosting: each warm-start call re-bins every row, so on 100,000 rows ten steps
# cost 2.8x one fit and four 1.5-1.6x (`bench labs`); three keep it under 1.5x, and cancel still answers
# within a third of the fit.
BOOSTING_CHUNKS = 3

METRIC_TITLES = {
    "accuracy": N_("Accuracy (share of right answers)"),
    "balanced_accuracy": N_("Balanced accuracy (average recall over the classes)"),
    "r2": N_("R² (share of the variation explained; 1 is perfect, 0 is no better than the average)"),
    "mae": N_("Mean absolute error (average size of a mistake)"),
    "rmse": N_("Root mean squared error (punishes big mistakes more)"),
    "silhouette": N_("Silhouette (how well separated the groups are, -1 to 1)"),
    "inertia": N_("Spread around the group centres (smaller is tighter)"),
}
MAIN_METRIC = {CLASSIFICATION: "balanced_accuracy", REGRESSION: "r2", CLUSTERING: "silhouette"}
IMPORTANCE_SCORING = {CLASSIFICATION: "balanced_accuracy", REGRESSION: "r2"}


@dataclass(frozen=True)
class RunSpec:
    """Everything a run depends on: the same spec and data give the same numbers."""

    dataset: str
    target: str | None
    features: tuple[str, ...]
    split: SplitSpec = field(default_factory=SplitSpec)
    model: ModelSpec = field(default_factory=ModelSpec)

    @property
    def seed(self) -> int:
        return self.split.seed

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "target": self.target, "features": list(self.features),
                "split": self.split.to_dict(), "model": self.model.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunSpec:
        return cls(str(data["dataset"]), data.get("target"), tuple(data.get("features", ())),
                   SplitSpec.from_dict(data.get("split", {})), ModelSpec.from_dict(data.get("model", {})))


@dataclass
class RunSummary:
    """What a run measured, as JSON-able data: the run list, the checks and the model card read it."""

    spec: RunSpec
    task: str
    rows: dict[str, int]  # used, train, test, no_target, no_time
    metrics: dict[str, float]
    baseline: dict[str, float]
    classes: list[str] = field(default_factory=list)
    confusion: list[list[int]] = field(default_factory=list)  # rows: true class, columns: predicted
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)  # class -> precision, recall, f1, support
    importance: list[tuple[str, float, float]] = field(default_factory=list)  # (feature, mean drop, spread), best first
    clusters: dict[str, Any] = field(default_factory=dict)  # sizes, centres (in the data's own units)
    cautions: list[Caution] = field(default_factory=list)
    stratified: bool = False
    cutoff: str = ""  # time split: first moment of the test period
    period: tuple[str, str] = ("", "")  # first and last time in the rows used
    baseline_answer: str = ""  # the class the naive baseline always answers
    duration: float = 0.0

    @property
    def main_metric(self) -> str:
        return MAIN_METRIC[self.task]

    @property
    def beats_baseline(self) -> bool:
        if self.task == CLUSTERING:
            return self.metrics.get("inertia", 0) < self.baseline.get("inertia", 0)
        key = self.main_metric
        return self.metrics.get(key, 0) > self.baseline.get(key, 0) + 0.01

    def to_dict(self) -> dict[str, Any]:
        return {"spec": self.spec.to_dict(), "task": self.task, "rows": self.rows, "metrics": self.metrics,
                "baseline": self.baseline, "classes": self.classes, "confusion": self.confusion,
                "per_class": self.per_class, "importance": [list(i) for i in self.importance],
                "clusters": self.clusters, "cautions": [c.to_dict() for c in self.cautions],
                "stratified": self.stratified, "cutoff": self.cutoff, "period": list(self.period),
                "baseline_answer": self.baseline_answer, "duration": self.duration}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunSummary:
        return cls(RunSpec.from_dict(data["spec"]), data["task"], dict(data["rows"]), dict(data["metrics"]),
                   dict(data["baseline"]), list(data.get("classes", [])), [list(r) for r in data.get("confusion", [])],
                   dict(data.get("per_class", {})), [tuple(i) for i in data.get("importance", [])],
                   dict(data.get("clusters", {})), [Caution.from_dict(c) for c in data.get("cautions", [])],
                   bool(data.get("stratified", False)), str(data.get("cutoff", "")),
                   tuple(data.get("period", ("", ""))), str(data.get("baseline_answer", "")),
                   float(data.get("duration", 0.0)))


@dataclass
class RunResult:
    """A run with what is too big to save: the fitted pipeline and the residual plot's points."""

    summary: RunSummary
    pipeline: Pipeline | None = None
    predicted: np.ndarray | None = None  # regression: a sample of predictions, for the residual plot
    residuals: np.ndarray | None = None  # ... and of (actual - predicted)


def fit_threads() -> int:
    """Leave one processor to the window: fitting on every core makes the GUI stall (and, on a busy
    two-core PC, OpenMP threads fighting for cores made fitting three times slower)."""
    return max(1, (os.cpu_count() or 2) - 1)


def check_spec(frame: pd.DataFrame, spec: RunSpec) -> str:
    """The task the spec makes; SetupProblem naming what to change when it cannot be trained."""
    if not spec.features:
        raise SetupProblem(_("Choose at least one feature: a column the model may use to predict."))
    missing = [c for c in spec.features if c not in frame.columns]
    if missing:
        raise SetupProblem(_("These columns are not in the data: {columns}.").format(columns=", ".join(missing)))
    if spec.target is not None and spec.target in spec.features:
        raise SetupProblem(_("{column} is the column to predict, so it cannot also be a feature: remove it from "
                             "the features.").format(column=spec.target))
    task = infer_task(frame, spec.target)
    check_model(spec.model, task)
    return task


def _whole_number_classes(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def target_source(frame: pd.DataFrame, target: str, task: str) -> str:
    """The line that makes the classes text labels (so 1 and "yes" print alike), or "" for numbers."""
    if task != CLASSIFICATION:
        return ""
    if _whole_number_classes(frame[target]):
        return f'data[{target!r}] = data[{target!r}].astype("int64").astype(str)'
    return f"data[{target!r}] = data[{target!r}].astype(str)"


def rows_with_target(frame: pd.DataFrame, target: str | None, task: str) -> pd.DataFrame:
    """The rows a run learns from, as the script's first lines make them (see target_source)."""
    if target is None:
        return frame
    data = frame.dropna(subset=[target])
    if task == CLASSIFICATION:
        data = data.copy()
        labels = data[target].astype("int64") if _whole_number_classes(frame[target]) else data[target]
        data[target] = labels.astype(str)
    return data


class _Progress:
    """Maps each stage of a run onto its share of the progress bar."""

    STAGES: ClassVar[dict[str, tuple[float, float]]] = {
        "check": (0.0, 0.05), "fit": (0.05, 0.7), "measure": (0.7, 0.75), "importance": (0.75, 0.92),
        "cautions": (0.92, 1.0)}

    def __init__(self, state: TaskState):
        self.state = state

    def __call__(self, stage: str, done: float, total: float, message: str) -> None:
        self.state.raise_if_cancelled()
        start, end = self.STAGES[stage]
        self.state.set_progress(start + (end - start) * (done / total if total else 1.0), 1.0, message)


def fit_model(model: Any, X: Any, y: Any, spec: ModelSpec, progress: _Progress) -> None:
    """Fit; ensembles grow CHUNKS times with warm_start (the same model as one fit of the full size)."""
    grown = GROWN_PARAMETER.get(spec.kind)
    with threadpool_limits(limits=fit_threads()):
        if not grown:
            progress("fit", 0, 1, _("Fitting the model"))
            model.fit(X, y)
            return
        total = int(model.get_params()[grown])
        step = max(1, math.ceil(total / (BOOSTING_CHUNKS if spec.kind == BOOSTING else CHUNKS)))
        model.set_params(warm_start=True)
        for count in range(step, total + step, step):
            count = min(count, total)
            model.set_params(**{grown: count})
            model.fit(X, y)
            progress("fit", count, total, _("Fitting the model: {done} of {total} trees").format(done=count,
                                                                                                 total=total))
        model.set_params(warm_start=False)


def train(frame: pd.DataFrame, spec: RunSpec, state: TaskState | None = None,
          reference_time: str | None = None) -> RunResult:
    """Train the model the spec describes on `frame`; `reference_time` is the data's own time column
    (when each case began), used to warn about random splits of dated rows and after-the-fact dates."""
    state = state or TaskState()
    progress = _Progress(state)
    started = time.perf_counter()
    progress("check", 0, 1, _("Checking your choices"))
    task = check_spec(frame, spec)
    data = rows_with_target(frame, spec.target, task)
    features = list(spec.features)
    groups = feature_groups(data, features)
    pipeline = Pipeline([
        ("prepare", make_preprocessor(groups, scale=spec.model.kind in NEEDS_SCALING)),
        ("model", build_from_source(estimator_source(spec.model, task, spec.seed), ESTIMATOR_NAMES)),
    ])
    if task == CLUSTERING:
        result = _train_clusters(data, spec, pipeline, progress)
    else:
        result = _train_supervised(data, spec, task, pipeline, progress, reference_time)
    summary = result.summary
    summary.rows["no_target"] = len(frame) - len(data)
    time_column = spec.split.time_column if spec.split.kind == "time" else reference_time
    if time_column and time_column in data.columns and pd.api.types.is_datetime64_any_dtype(data[time_column]):
        times = data[time_column].dropna()
        if len(times):
            summary.period = (moment_text(times.min()), moment_text(times.max()))
    summary.duration = time.perf_counter() - started
    state.set_progress(1, 1, _("Done"))
    return result


def _train_supervised(data: pd.DataFrame, spec: RunSpec, task: str, pipeline: Pipeline, progress: _Progress,
                      reference_time: str | None) -> RunResult:
    target, features = spec.target, list(spec.features)
    split = split_rows(data, target, task, spec.split)
    train_rows, test_rows = split.train, split.test
    progress("check", 1, 1, _("Preparing the features"))
    X_train = pipeline["prepare"].fit_transform(train_rows[features])
    fit_model(pipeline["model"], X_train, train_rows[target], spec.model, progress)
    progress("measure", 0, 1, _("Measuring on the test rows"))
    y_test = test_rows[target]
    predicted = pipeline.predict(test_rows[features])
    baseline_model = build_from_source(baseline_source(task), ESTIMATOR_NAMES).fit(train_rows[features],
                                                                                  train_rows[target])
    baseline_predicted = baseline_model.predict(test_rows[features])
    summary = RunSummary(spec, task, {"used": len(train_rows) + len(test_rows), "train": len(train_rows),
                                      "test": len(test_rows), "no_time": split.dropped_no_time}, {}, {},
                         stratified=split.stratified, cutoff=moment_text(split.cutoff) if split.cutoff is not None
                         else "")
    result = RunResult(summary, pipeline)
    if task == CLASSIFICATION:
        classes = sorted(set(train_rows[target]) | set(y_test))
        summary.classes = classes
        summary.metrics = _classification_metrics(y_test, predicted)
        summary.baseline = _classification_metrics(y_test, baseline_predicted)
        summary.baseline_answer = str(baseline_predicted[0])
        summary.confusion = confusion_matrix(y_test, predicted, labels=classes).tolist()
        precision, recall, f1, support = precision_recall_fscore_support(y_test, predicted, labels=classes,
                                                                         zero_division=0)
        summary.per_class = {c: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
                             for c, p, r, f, s in zip(classes, precision, recall, f1, support)}
    else:
        summary.metrics = _regression_metrics(y_test, predicted)
        summary.baseline = _regression_metrics(y_test, baseline_predicted)
        summary.baseline_answer = f"{float(baseline_predicted[0]):.4g}"
        points = np.random.default_rng(spec.seed).permutation(len(y_test))[:RESIDUAL_POINTS]
        result.predicted = np.asarray(predicted, dtype=float)[points]
        result.residuals = (y_test.to_numpy(dtype=float) - np.asarray(predicted, dtype=float))[points]
    summary.importance = _importance(pipeline, test_rows, features, target, task, spec.seed, progress)
    progress("cautions", 0, 1, _("Looking for leakage and imbalance"))
    summary.cautions = (leakage_cautions(train_rows, test_rows, target, features, task, reference_time,
                                         progress.state)
                        + split_cautions(train_rows, test_rows, spec.split.kind, features,
                                         spec.split.time_column if spec.split.kind == "time" else reference_time,
                                         split.cutoff)
                        + (imbalance_cautions(train_rows[target], target) if task == CLASSIFICATION else []))
    return result


def _classification_metrics(y_true: pd.Series, predicted: Any) -> dict[str, float]:
    return {"accuracy": float(accuracy_score(y_true, predicted)),
            "balanced_accuracy": float(balanced_accuracy_score(y_true, predicted))}


def _regression_metrics(y_true: pd.Series, predicted: Any) -> dict[str, float]:
    return {"r2": float(r2_score(y_true, predicted)), "mae": float(mean_absolute_error(y_true, predicted)),
            "rmse": float(root_mean_squared_error(y_true, predicted))}


def importance_sample(test_rows: pd.DataFrame, seed: int) -> pd.DataFrame:
    return test_rows.sample(n=min(IMPORTANCE_ROWS, len(test_rows)), random_state=seed)


def _importance(pipeline: Pipeline, test_rows: pd.DataFrame, features: list[str], target: str, task: str,
                seed: int, progress: _Progress) -> list[tuple[str, float, float]]:
    """How much the score drops when one feature's values are shuffled (on a seeded test sample)."""
    sample = importance_sample(test_rows, seed)
    scorer = get_scorer(IMPORTANCE_SCORING[task])
    total = 1 + len(features) * IMPORTANCE_REPEATS
    calls = [0]

    def scoring(estimator: Any, X: Any, y: Any) -> float:  # the named scorer, plus progress and cancel
        progress("importance", calls[0], total, _("Shuffling each feature to see how much it matters"))
        calls[0] += 1
        return scorer(estimator, X, y)

    found = permutation_importance(pipeline, sample[features], sample[target], scoring=scoring,
                                   n_repeats=IMPORTANCE_REPEATS, random_state=seed)
    ranked = sorted(zip(features, found.importances_mean, found.importances_std), key=lambda f: -f[1])
    return [(name, float(mean), float(spread)) for name, mean, spread in ranked]


def _train_clusters(data: pd.DataFrame, spec: RunSpec, pipeline: Pipeline, progress: _Progress) -> RunResult:
    """k-means on every row (no test part: there is no answer to test against)."""
    features = list(spec.features)
    X = pipeline["prepare"].fit_transform(data[features])
    fit_model(pipeline["model"], X, None, spec.model, progress)
    progress("measure", 0, 1, _("Measuring the groups"))
    model = pipeline["model"]
    labels = model.labels_
    sample = np.random.default_rng(spec.seed).permutation(len(data))[:SILHOUETTE_ROWS]
    silhouette = float(silhouette_score(X[sample], labels[sample])) if len(set(labels[sample])) > 1 else 0.0
    one_group = float(((X - X.mean(axis=0)) ** 2).sum())
    groups = feature_groups(data, features)
    sizes = pd.Series(labels).value_counts().sort_index()
    centres: dict[str, dict[str, Any]] = {}
    for column in groups["number"]:
        centres[column] = {str(k): float(v) for k, v in data[column].groupby(labels).mean().items()}
    for column in groups["category"]:
        centres[column] = {str(k): str(v.mode().iloc[0]) if v.notna().any() else ""
                           for k, v in data[column].groupby(labels)}
    summary = RunSummary(spec, CLUSTERING, {"used": len(data), "train": len(data), "test": 0, "no_time": 0},
                         {"silhouette": silhouette, "inertia": float(model.inertia_)}, {"inertia": one_group},
                         clusters={"sizes": {str(k): int(v) for k, v in sizes.items()}, "centres": centres},
                         baseline_answer="1")
    return RunResult(summary, pipeline)


def comparison_text(summary: RunSummary) -> str:
    """The model next to the naive baseline, in plain words with the numbers."""
    m, b = summary.metrics, summary.baseline
    if summary.task == CLASSIFICATION:
        text = _("The model's balanced accuracy is {model}; always answering \"{answer}\" gets {baseline} "
                 "(its plain accuracy is {baseline_accuracy}, because that is the share of \"{answer}\" in the "
                 "test rows).").format(model=f"{m['balanced_accuracy']:.2f}", answer=summary.baseline_answer,
                                       baseline=f"{b['balanced_accuracy']:.2f}",
                                       baseline_accuracy=f"{b['accuracy']:.0%}")
    elif summary.task == REGRESSION:
        text = _("The model is off by {model} on average; always guessing the training average ({average}) is "
                 "off by {baseline}. R²: model {r2}, average {baseline_r2}.").format(
            model=f"{m['mae']:.4g}", average=summary.baseline_answer, baseline=f"{b['mae']:.4g}",
            r2=f"{m['r2']:.2f}", baseline_r2=f"{b['r2']:.2f}")
    else:
        reduction = 1 - m["inertia"] / b["inertia"] if b["inertia"] else 0.0
        text = _("The {k} groups cut the spread around the group centres by {share} compared with putting every "
                 "row in one group.").format(k=len(summary.clusters.get("sizes", {})), share=f"{reduction:.0%}")
    verdict = _("The model does better than the naive baseline.") if summary.beats_baseline else _(
        "The model does NOT do better than the naive baseline: it has not learned anything useful yet.")
    return _("{comparison} {verdict}").format(comparison=text, verdict=verdict)
