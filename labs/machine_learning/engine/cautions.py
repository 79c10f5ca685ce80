"""Warnings a learner must see before trusting a model: leakage, future data, class imbalance.

(Named `cautions`, not `warnings`, so it never shadows the standard library module.)

A Caution stores its kind, the columns and the numbers; its message is written at display time,
so a saved run reads in whatever language the learner switches to later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd
from sklearn.metrics import balanced_accuracy_score, r2_score
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from app.core.i18n import _
from app.core.tasks import TaskState
from labs.machine_learning.engine.prepare import feature_groups, make_preprocessor
from labs.machine_learning.engine.problem import CLASSIFICATION, REGRESSION, column_kind, is_identifier

STRONG, WARNING, HINT = "strong", "warning", "hint"

LEAK_ALONE = "leak_alone"  # one feature alone predicts the target almost perfectly on held-out rows
LEAK_CODE = "leak_code"  # a text code whose prefix maps one to one to the target ("A-…" / "R-…")
LEAK_CORRELATION = "leak_correlation"  # a number that moves almost exactly with the target
AFTER_OUTCOME = "after_outcome"  # a date later than the case's own time: recorded after the fact
NAME_HINT = "name_hint"  # the name suggests an after-the-fact record (weak: only a hint)
IDENTIFIER = "identifier"  # a different value in nearly every row
RANDOM_SPLIT_TIME = "random_split_time"  # random split of time-stamped rows: tested on the past
FUTURE_IN_TRAIN = "future_in_train"  # time split, but training rows carry dates from the test period
RARE_CLASS = "rare_class"  # a class under 40% of an even share (20% of two classes): accuracy misleads
VERY_RARE_CLASS = "very_rare_class"  # under 10% of an even share (5% of two classes)

LEAKAGE_KINDS = frozenset({LEAK_ALONE, LEAK_CODE, LEAK_CORRELATION, AFTER_OUTCOME})

ALONE_THRESHOLD = 0.98  # balanced accuracy or R² of a one-feature tree on held-out rows
CORRELATION_THRESHOLD = 0.95
CODE_PURITY = 0.98
AFTER_SHARE = 0.95
SAMPLE_TRAIN, SAMPLE_TEST = 5000, 2000  # rows for the one-feature trees: quick even on 100,000 rows
# Words in a column name that suggest it is written down after the outcome.
AFTER_WORDS = frozenset({"decision", "decided", "outcome", "result", "results", "approval", "approved", "refusal",
                         "refused", "rejected", "resolved", "resolution", "closed", "letter", "sent", "final",
                         "status", "paid", "payment", "processing", "verdict", "granted"})


@dataclass(frozen=True)
class Caution:
    kind: str
    severity: str  # STRONG, WARNING or HINT
    columns: tuple[str, ...]
    numbers: dict[str, Any] = field(default_factory=dict)  # JSON-able values the message quotes

    @property
    def column(self) -> str:
        return self.columns[0] if self.columns else ""

    def message(self) -> str:
        return _MESSAGES[self.kind](self.column, **self.numbers)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "severity": self.severity, "columns": list(self.columns),
                "numbers": dict(self.numbers)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Caution:
        return cls(data["kind"], data["severity"], tuple(data["columns"]), dict(data.get("numbers", {})))


def _percent(value: float) -> str:
    return f"{value:.0%}" if value >= 0.1 else f"{value:.1%}"


_MESSAGES: dict[str, Callable[..., str]] = {
    LEAK_ALONE: lambda column, target, score, metric: _(
        "{column} alone predicts {target} with a {metric} of {score} on held-out rows. One column that "
        "predicts this well is usually the answer in disguise: check it is known before the outcome, or "
        "remove it.").format(column=column, target=target, score=f"{score:.2f}",
                             metric=_("balanced accuracy") if metric == "balanced_accuracy" else "R²"),
    LEAK_CODE: lambda column, target, purity, example_code, example_value: _(
        "{column} starts with a code that matches {target} in {share} of the rows (for example {code} goes "
        "with {value}). It is the target written another way: remove it.").format(
        column=column, target=target, share=_percent(purity), code=example_code, value=example_value),
    LEAK_CORRELATION: lambda column, target, correlation: _(
        "{column} moves almost exactly with {target} (correlation {r}). It is probably computed from the "
        "target or known only with it: remove it unless you are sure it is known in advance.").format(
        column=column, target=target, r=f"{correlation:.2f}"),
    AFTER_OUTCOME: lambda column, time_column, share: _(
        "{column} is later than {time_column} in {share} of the rows: it is recorded after the case "
        "began, probably after the outcome. A model used on a new case cannot know it: remove it.").format(
        column=column, time_column=time_column, share=_percent(share)),
    NAME_HINT: lambda column, word: _(
        "Hint: the name {column} (\"{word}\") suggests it may be recorded after the outcome. Check that it "
        "is known at the moment the prediction is made.").format(column=column, word=word),
    IDENTIFIER: lambda column, share: _(
        "Hint: {column} has a different value in {share} of the rows, like an identifier. It says nothing "
        "general about a case, so the model cannot learn from it.").format(column=column, share=_percent(share)),
    RANDOM_SPLIT_TIME: lambda column, share: _(
        "With a random split, {share} of the test rows are earlier than the last training row (by "
        "{column}): the model is tested on days before ones it learned from, which flatters it. To see "
        "how it does on future data, split by time.").format(column=column, share=_percent(share)),
    FUTURE_IN_TRAIN: lambda column, count, cutoff: _(
        "In this time split, {count} training rows have a {column} in the test period (from {cutoff}): "
        "the model learns from the future it is tested on.").format(column=column, count=f"{count:,}",
                                                                   cutoff=cutoff),
    RARE_CLASS: lambda column, value, share, count, total, majority, majority_share: _(
        "Only {share} of the training rows have {column} = {value} ({count} of {total}). Accuracy is "
        "misleading: always answering {majority} is right {majority_share} of the time. Look at the recall "
        "of {value} and at balanced accuracy.").format(
        column=column, value=value, share=_percent(share), count=f"{count:,}", total=f"{total:,}",
        majority=majority, majority_share=_percent(majority_share)),
    VERY_RARE_CLASS: lambda column, value, share, count, total, majority, majority_share: _(
        "Only {share} of the training rows have {column} = {value} ({count} of {total}): a very rare class. "
        "Accuracy is misleading: always answering {majority} is right {majority_share} of the time. A model "
        "may never predict {value}: judge it by the recall of {value} and by balanced accuracy, and try "
        "'Give rare classes equal weight'.").format(
        column=column, value=value, share=_percent(share), count=f"{count:,}", total=f"{total:,}",
        majority=majority, majority_share=_percent(majority_share)),
}


# --- leakage ------------------------------------------------------------------------------------

def _binary_codes(y: pd.Series) -> pd.Series | None:
    """A two-class target as 0/1 (for correlations), else None."""
    values = y.dropna().unique()
    if len(values) != 2:
        return None
    return (y == sorted(values, key=str)[1]).astype(float).where(y.notna())


def _alone_score(train: pd.DataFrame, test: pd.DataFrame, column: str, target: str, task: str) -> float:
    """How well a small tree on this one column predicts the target on held-out rows."""
    tree = DecisionTreeClassifier(max_depth=6, random_state=0) if task == CLASSIFICATION else \
        DecisionTreeRegressor(max_depth=6, random_state=0)
    model = make_pipeline(make_preprocessor(feature_groups(train, [column]), scale=False), tree)
    model.fit(train[[column]], train[target])
    predicted = model.predict(test[[column]])
    if task == CLASSIFICATION:
        return float(balanced_accuracy_score(test[target], predicted))
    return float(r2_score(test[target], predicted))


def _code_prefix_caution(series: pd.Series, y: pd.Series, target: str, column: str) -> Caution | None:
    """"A-1043" / "R-2211": a letter code before a separator that gives the class away."""
    prefixes = series.astype("str").str.extract(r"^([^\W\d_]+)[\W_\d]", expand=False)
    known = prefixes.notna() & y.notna() & series.notna()
    if known.sum() < 20 or known.mean() < 0.9:
        return None
    table = pd.crosstab(prefixes[known], y[known])
    if not 2 <= len(table) <= 20:
        return None
    purity = float(table.max(axis=1).sum() / known.sum())
    majority_share = float(y[known].value_counts(normalize=True).iloc[0])
    if purity < CODE_PURITY or purity < majority_share + 0.05:
        return None
    code = str(table.sum(axis=1).idxmax())
    return Caution(LEAK_CODE, STRONG, (column,), {"target": target, "purity": purity,
                                                  "example_code": code, "example_value": str(table.loc[code].idxmax())})


def _after_outcome_caution(data: pd.DataFrame, column: str, reference_time: str | None) -> Caution | None:
    if not reference_time or reference_time == column or reference_time not in data.columns:
        return None
    both = data[[column, reference_time]].dropna()
    if len(both) < 10 or not pd.api.types.is_datetime64_any_dtype(data[reference_time]):
        return None
    share = float((both[column] > both[reference_time]).mean())
    if share < AFTER_SHARE:
        return None
    return Caution(AFTER_OUTCOME, STRONG, (column,), {"time_column": reference_time, "share": share})


def unique_share(series: pd.Series) -> float:
    return float(series.nunique() / max(1, series.notna().sum()))


def _name_word(column: str) -> str | None:
    words = re.split(r"[^a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", column).lower())
    return next((w for w in words if w in AFTER_WORDS), None)


def leakage_cautions(train: pd.DataFrame, test: pd.DataFrame, target: str, features: list[str] | tuple[str, ...],
                     task: str, reference_time: str | None = None,
                     state: TaskState | None = None) -> list[Caution]:
    """Features that give the answer away, and features only known after it, for one target.

    `reference_time` is the moment each row's case begins (benefit applications: submitted_date);
    a date feature later than it is recorded after the fact.
    """
    cautions: list[Caution] = []
    fit_train = train.sample(n=min(SAMPLE_TRAIN, len(train)), random_state=0)
    fit_test = test.sample(n=min(SAMPLE_TEST, len(test)), random_state=0)
    whole = pd.concat([train, test])
    numeric_target = whole[target].astype(float) if task == REGRESSION else _binary_codes(whole[target])
    for column in features:
        if state:
            state.raise_if_cancelled()
        found: list[Caution] = []
        series = whole[column]
        kind = column_kind(series)
        if kind == "date":
            caution = _after_outcome_caution(whole, column, reference_time)
            found += [caution] if caution else []
        if kind in ("category", "text") and task == CLASSIFICATION:
            caution = _code_prefix_caution(series, whole[target], target, column)
            found += [caution] if caution else []
        if kind == "number" and numeric_target is not None and series.nunique() > 2:
            correlation = series.corr(numeric_target)
            if pd.notna(correlation) and abs(correlation) > CORRELATION_THRESHOLD:
                found.append(Caution(LEAK_CORRELATION, STRONG, (column,),
                                     {"target": target, "correlation": float(correlation)}))
        if not found and fit_train[column].notna().any():
            score = _alone_score(fit_train, fit_test, column, target, task)
            if score >= ALONE_THRESHOLD:
                found.append(Caution(LEAK_ALONE, STRONG, (column,), {
                    "target": target, "score": score,
                    "metric": "balanced_accuracy" if task == CLASSIFICATION else "r2"}))
        if not found and is_identifier(series):
            found.append(Caution(IDENTIFIER, HINT, (column,), {"share": unique_share(series)}))
        word = _name_word(column)
        if not found and word:
            found.append(Caution(NAME_HINT, HINT, (column,), {"word": word}))
        cautions += found
    return cautions


# --- splits ---------------------------------------------------------------------------------------

def moment_text(moment: pd.Timestamp) -> str:
    """A date as 2024-03-01, or with its time when it has one."""
    return str(moment.date()) if moment == moment.normalize() else str(moment.floor("min"))[:16]


def is_time_series(times: pd.Series) -> bool:
    """Rows that are successive measurements (one per hour or day), not many cases per day."""
    present = times.dropna()
    return len(present) > 0 and present.nunique() >= 0.9 * len(present)


def split_cautions(train: pd.DataFrame, test: pd.DataFrame, split_kind: str, features: list[str] | tuple[str, ...],
                   time_column: str | None, cutoff: pd.Timestamp | None = None) -> list[Caution]:
    """Testing on the past (random split of dated rows) or training on the future (dates past the cut)."""
    cautions: list[Caution] = []
    if split_kind == "random" and time_column and time_column in train.columns:
        last_train = train[time_column].max()
        tested = test[time_column].dropna()
        if pd.notna(last_train) and len(tested):
            share = float((tested < last_train).mean())
            if share > 0.5:
                severity = WARNING if is_time_series(pd.concat([train[time_column], tested])) else HINT
                cautions.append(Caution(RANDOM_SPLIT_TIME, severity, (time_column,), {"share": share}))
    if split_kind == "time" and cutoff is not None:
        for column in features:
            if column != time_column and pd.api.types.is_datetime64_any_dtype(train[column]):
                count = int((train[column] >= cutoff).sum())
                if count:
                    cautions.append(Caution(FUTURE_IN_TRAIN, WARNING, (column,),
                                            {"count": count, "cutoff": moment_text(cutoff)}))
    return cautions


# --- class imbalance ----------------------------------------------------------------------------

def imbalance_cautions(y_train: pd.Series, target: str) -> list[Caution]:
    """A class under 40% of an even share (under 20% of two classes) makes accuracy misleading."""
    shares = y_train.value_counts(normalize=True)
    if len(shares) < 2:
        return []
    even = 1 / len(shares)
    rarest, share = str(shares.index[-1]), float(shares.iloc[-1])
    if share >= 0.4 * even:
        return []
    kind, severity = (VERY_RARE_CLASS, STRONG) if share < 0.1 * even else (RARE_CLASS, WARNING)
    return [Caution(kind, severity, (target,), {
        "value": rarest, "share": share, "count": int((y_train.astype(str) == rarest).sum()), "total": len(y_train),
        "majority": str(shares.index[0]), "majority_share": float(shares.iloc[0])})]


# --- all columns at once, for the feature list -----------------------------------------------------

def column_hints(data: pd.DataFrame, target: str | None, task: str, reference_time: str | None,
                 state: TaskState | None = None, seed: int = 42) -> dict[str, list[Caution]]:
    """Cautions for every column that could be a feature of `target`, shown beside the column list."""
    hints: dict[str, list[Caution]] = {}
    columns = [c for c in data.columns if c != target]
    if target is None:
        for column in columns:
            if is_identifier(data[column]):
                hints[column] = [Caution(IDENTIFIER, HINT, (column,), {"share": unique_share(data[column])})]
        return hints
    rows = data.dropna(subset=[target])
    rows = rows.sample(n=min(len(rows), SAMPLE_TRAIN + SAMPLE_TEST), random_state=seed)
    cut = int(len(rows) * 0.7)
    for caution in leakage_cautions(rows.iloc[:cut], rows.iloc[cut:], target, columns, task, reference_time, state):
        hints.setdefault(caution.column, []).append(caution)
    return hints


def leakage_columns(cautions: list[Caution]) -> list[str]:
    return [c.column for c in cautions if c.kind in LEAKAGE_KINDS]

