"""A model trained on past decisions, set beside the decision table: where they disagree, and why.

The model learns what caseworkers did, not what the rules say, so where the two part ways is a
governance question (is the past practice wrong, or the table?), not a score to maximise.

    run = train_model(applications, ModelChoice("decision_tree", 5), FEATURES, "past_decision", state)
    found = compare(table_run.outcomes, run, applications, ("region", ...))
    found.agreement, found.by_group["region"], found.drivers

Every case is predicted by a model that did not see it (5-fold cross-validation), so the comparison
covers all cases honestly; the importance comes from one more fit on every case.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.tree import DecisionTreeClassifier

from app.core.i18n import N_, _
from app.core.tasks import TaskState
from labs.automation.engine.decisions import UNDECIDED, Condition, column_kind

TREE, BOOSTING = "decision_tree", "gradient_boosting"
MODEL_KINDS = (TREE, BOOSTING)
MODEL_TITLES = {TREE: N_("Decision tree"), BOOSTING: N_("Gradient boosting (100 small trees)")}
DEPTH_RANGE = {TREE: (1, 10), BOOSTING: (1, 5)}
DEFAULT_DEPTH = {TREE: 5, BOOSTING: 3}
FOLDS = 5
DRIVER_DEPTH = 2  # the "where do they disagree" tree stays readable: two conditions at most


@dataclass(frozen=True)
class ModelChoice:
    kind: str = TREE
    max_depth: int = DEFAULT_DEPTH[TREE]
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "max_depth": self.max_depth, "seed": self.seed}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ModelChoice:
        data = data or {}
        kind = data.get("kind", TREE)
        kind = kind if kind in MODEL_KINDS else TREE
        low, high = DEPTH_RANGE[kind]
        try:
            depth = int(data.get("max_depth", DEFAULT_DEPTH[kind]))
        except (TypeError, ValueError):
            depth = DEFAULT_DEPTH[kind]
        seed = data.get("seed", 0)
        return cls(kind, min(max(depth, low), high), seed if isinstance(seed, int) else 0)

    def estimator(self) -> Any:
        if self.kind == BOOSTING:
            return GradientBoostingClassifier(n_estimators=100, max_depth=self.max_depth, random_state=self.seed)
        return DecisionTreeClassifier(max_depth=self.max_depth, random_state=self.seed)

    def estimator_code(self) -> str:
        if self.kind == BOOSTING:
            return f"GradientBoostingClassifier(n_estimators=100, max_depth={self.max_depth}, random_state={self.seed})"
        return f"DecisionTreeClassifier(max_depth={self.max_depth}, random_state={self.seed})"


def categorical_features(frame: pd.DataFrame, features: Sequence[str]) -> list[str]:
    return [c for c in features if column_kind(frame[c]) == "text"]


def model_pipeline(choice: ModelChoice, categorical: Sequence[str]) -> Pipeline:
    """One-hot encoding of the text columns (numbers pass through), then the model. The shown code
    builds exactly this, so the learner's script reproduces the numbers on screen."""
    encode = make_column_transformer((OneHotEncoder(handle_unknown="ignore"), list(categorical)),
                                     remainder="passthrough", verbose_feature_names_out=False)
    return make_pipeline(encode, choice.estimator())


def _output_columns(pipeline: Pipeline, features: Sequence[str]) -> list[tuple[str, str | None]]:
    """For each column the encoder outputs: (feature, category) for one-hot ones, (feature, None) for numbers."""
    encoder = pipeline[0]
    out: list[tuple[str, str | None]] = []
    for name, transformer, columns in encoder.transformers_:
        if name == "remainder":
            out += [(features[i] if isinstance(i, (int, np.integer)) else str(i), None) for i in columns]
        elif transformer != "drop":
            for column, categories in zip(columns, transformer.categories_):
                out += [(column, str(c)) for c in categories]
    return out


@dataclass
class ModelRun:
    choice: ModelChoice
    features: tuple[str, ...]
    target: str
    predicted: np.ndarray  # per case, predicted by a model that did not see it
    past_accuracy: float  # share of cases where the model gives the past decision
    importance: tuple[tuple[str, float], ...]  # per feature, its share of the model's importance, largest first
    seconds: float


def train_model(frame: pd.DataFrame, choice: ModelChoice, features: Sequence[str], target: str,
                state: TaskState | None = None) -> ModelRun:
    """Cross-validated predictions of `target` for every case, then one fit on all for the importance."""
    state = state or TaskState()
    started = time.perf_counter()
    features = tuple(features)
    categorical = categorical_features(frame, features)
    pipeline = model_pipeline(choice, categorical)
    X = frame[list(features)]
    y = frame[target].astype(str).to_numpy(dtype=object)
    predicted = np.empty(len(y), dtype=object)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=choice.seed)
    for number, (train, test) in enumerate(folds.split(X, y)):
        state.raise_if_cancelled()
        state.set_progress(number, FOLDS + 1, _("Training on past decisions: part {n} of {total}").format(
            n=number + 1, total=FOLDS))
        fitted = clone(pipeline).fit(X.iloc[train], y[train])
        predicted[test] = fitted.predict(X.iloc[test])
    state.raise_if_cancelled()
    state.set_progress(FOLDS, FOLDS + 1, _("Measuring which columns the model uses"))
    final = clone(pipeline).fit(X, y)
    shares: dict[str, float] = {f: 0.0 for f in features}
    for (feature, _category), value in zip(_output_columns(final, features), final[-1].feature_importances_):
        shares[feature] += float(value)
    importance = tuple(sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])))
    state.set_progress(1, 1)
    return ModelRun(choice, features, target, predicted, float(np.mean(predicted == y)), importance,
                    time.perf_counter() - started)


# --- the comparison --------------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupRate:
    value: str
    cases: int
    disagreements: int

    @property
    def share(self) -> float:
        return self.disagreements / self.cases if self.cases else 0.0


@dataclass(frozen=True)
class Driver:
    """A group of cases, described by at most DRIVER_DEPTH conditions, where disagreements gather."""

    conditions: tuple[Condition, ...]
    cases: int
    disagreements: int

    @property
    def share(self) -> float:
        return self.disagreements / self.cases if self.cases else 0.0

    def describe(self) -> str:
        return _(" and ").join(c.describe() for c in self.conditions) if self.conditions else _("every case")


@dataclass(frozen=True)
class OutcomePair:
    table: str  # UNDECIDED when no rule decides
    model: str
    count: int
    examples: tuple[int, ...]  # row positions


@dataclass
class Disagreements:
    cases: int
    disagreements: int
    table_vs_past: float  # share of cases where the table gives the past decision
    model_vs_past: float
    pairs: tuple[OutcomePair, ...]  # (table, model) outcome pairs that differ, most frequent first
    by_group: dict[str, tuple[GroupRate, ...]]  # per text column: disagreement share per value, highest first
    drivers: tuple[Driver, ...]  # groups where disagreements gather, most disagreements first
    rows: np.ndarray  # row positions of every disagreement

    @property
    def agreement(self) -> float:
        return 1 - self.disagreements / self.cases if self.cases else 0.0

    def worst(self, column: str) -> GroupRate | None:
        """The value of `column` with the highest share of disagreements."""
        rates = self.by_group.get(column, ())
        return rates[0] if rates else None


def _drivers(frame: pd.DataFrame, features: Sequence[str], disagree: np.ndarray) -> tuple[Driver, ...]:
    """Fit a small tree that predicts "the two disagree" and read its leaves as readable groups."""
    if not disagree.any() or disagree.all():
        return ()
    categorical = categorical_features(frame, features)
    minimum = max(10, len(frame) // 100)
    pipeline = make_pipeline(make_column_transformer((OneHotEncoder(handle_unknown="ignore"), categorical),
                                                     remainder="passthrough", verbose_feature_names_out=False),
                             DecisionTreeClassifier(max_depth=DRIVER_DEPTH, min_samples_leaf=minimum, random_state=0))
    pipeline.fit(frame[list(features)], disagree)
    outputs = _output_columns(pipeline, list(features))
    tree = pipeline[-1].tree_
    integer = {c for c in features if column_kind(frame[c]) == "number"
               and np.all(np.mod(frame[c].dropna().to_numpy(dtype=float), 1) == 0)}
    overall = disagree.mean()
    found: list[Driver] = []

    def condition(node: int, left: bool) -> Condition:
        feature, category = outputs[tree.feature[node]]
        threshold = float(tree.threshold[node])
        if category is not None:  # a one-hot column: <= 0.5 means "not this value"
            return Condition(feature, "!=" if left else "=", category)
        if feature in integer and not threshold.is_integer():
            bound = str(math.ceil(threshold))
            return Condition(feature, "<" if left else ">=", bound)
        text = f"{threshold:g}"
        return Condition(feature, "<=" if left else ">", text)

    def walk(node: int, path: tuple[Condition, ...]) -> None:
        if tree.children_left[node] == -1:
            cases = int(tree.n_node_samples[node])
            # the leaf's share of "disagree" (value holds class fractions in recent scikit-learn, counts in older)
            values = tree.value[node][0]
            share = float(values[1] / values.sum()) if len(values) > 1 else 0.0
            count = int(round(share * cases))
            if share > overall and count >= 3:
                found.append(Driver(path, cases, count))
            return
        walk(int(tree.children_left[node]), path + (condition(node, True),))
        walk(int(tree.children_right[node]), path + (condition(node, False),))

    walk(0, ())
    return tuple(sorted(found, key=lambda d: (-d.disagreements, -d.share)))


def compare(table_outcomes: np.ndarray, run: ModelRun, frame: pd.DataFrame,
            group_columns: Sequence[str] = ()) -> Disagreements:
    """Where the table's outcomes and the model's predictions part ways (an undecided case counts as a
    disagreement), with the past decisions for reference."""
    table = np.asarray(table_outcomes, dtype=object)
    model = run.predicted
    past = frame[run.target].astype(str).to_numpy(dtype=object)
    disagree = table != model
    pairs = []
    frame_pairs = pd.DataFrame({"table": table[disagree], "model": model[disagree],
                                "row": np.flatnonzero(disagree)})
    for (t, m), group in frame_pairs.groupby(["table", "model"], sort=False):
        pairs.append(OutcomePair(str(t), str(m), len(group), tuple(group["row"].head(5).tolist())))
    pairs.sort(key=lambda p: (-p.count, p.table, p.model))
    by_group: dict[str, tuple[GroupRate, ...]] = {}
    for column in group_columns:
        values = frame[column].astype(str)
        stats = pd.DataFrame({"value": values, "disagree": disagree}).groupby("value")["disagree"].agg(["size", "sum"])
        rates = [GroupRate(str(v), int(r["size"]), int(r["sum"])) for v, r in stats.iterrows()]
        by_group[column] = tuple(sorted(rates, key=lambda g: (-g.share, -g.disagreements, g.value)))
    return Disagreements(len(table), int(disagree.sum()), float(np.mean(table == past)),
                         float(np.mean(model == past)), tuple(pairs), by_group,
                         _drivers(frame, run.features, disagree), np.flatnonzero(disagree))


def undecided_label(outcome: str) -> str:
    return outcome if outcome != UNDECIDED else _("(undecided)")


# --- the equivalent scikit-learn code ----------------------------------------------------------

def comparison_code(choice: ModelChoice, features: Sequence[str], categorical: Sequence[str], target: str,
                    group_column: str, data: str = "applications") -> str:
    """Lines that train the model on past decisions and compare it with `decision` (the table's)."""
    model_import = ("from sklearn.ensemble import GradientBoostingClassifier" if choice.kind == BOOSTING
                    else "from sklearn.tree import DecisionTreeClassifier")
    return "\n".join([
        "# A model trained on the past decisions: every case predicted by a model that did not see it",
        "from sklearn.compose import make_column_transformer",
        "from sklearn.model_selection import StratifiedKFold, cross_val_predict",
        "from sklearn.pipeline import make_pipeline",
        "from sklearn.preprocessing import OneHotEncoder",
        model_import,
        "",
        f"features = {list(features)!r}",
        f"text_columns = {list(categorical)!r}",
        "model = make_pipeline(",
        "    make_column_transformer((OneHotEncoder(handle_unknown=\"ignore\"), text_columns),",
        "                            remainder=\"passthrough\", verbose_feature_names_out=False),",
        f"    {choice.estimator_code()})",
        f"past = {data}[{target!r}]",
        f"predicted = cross_val_predict(model, {data}[features], past,",
        f"                              cv=StratifiedKFold({FOLDS}, shuffle=True, random_state={choice.seed}))",
        "print(\"model gives the past decision:\", (predicted == past).mean())",
        "print(\"table gives the past decision:\", (decision == past).mean())",
        "agreement = (predicted == decision).mean()",
        "print(\"model and table agree on\", agreement)",
        "disagree = pd.Series(predicted != decision, index=decision.index)",
        f"print(disagree.groupby({data}[{group_column!r}]).mean().sort_values(ascending=False))",
        "print(pd.crosstab(decision[disagree], predicted[disagree.to_numpy()],",
        "                  rownames=[\"table\"], colnames=[\"model\"]))",
    ])
