"""Train/test splits: random (seeded, stratified for classes) or by time (train on the earlier rows).

The engine runs the same pandas / scikit-learn calls the script shows (`split_source`), so the rows
in the learner's script and in the lab are the same rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split

from app.core.i18n import _
from labs.machine_learning.engine.problem import CLASSIFICATION, SetupProblem

RANDOM = "random"
TIME = "time"
MIN_TEST_ROWS = 10


@dataclass(frozen=True)
class SplitSpec:
    kind: str = RANDOM  # RANDOM or TIME
    test_fraction: float = 0.25
    time_column: str | None = None  # for TIME: train on rows before the cut, test on rows from it on
    stratify: bool = True  # for RANDOM classification: keep each class's share the same in both parts
    seed: int = 42

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SplitSpec:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass(frozen=True)
class Split:
    train: pd.DataFrame
    test: pd.DataFrame
    stratified: bool  # whether stratification was really used
    cutoff: pd.Timestamp | None = None  # TIME: the first moment of the test period
    dropped_no_time: int = 0  # TIME: rows without a time, left out


def can_stratify(y: pd.Series, test_fraction: float) -> bool:
    """train_test_split needs at least two rows of every class, and room for each class in the test part."""
    counts = y.value_counts()
    return bool(len(counts) and counts.min() >= 2 and round(len(y) * test_fraction) >= len(counts))


def check_split(spec: SplitSpec, data: pd.DataFrame) -> None:
    if not 0.05 <= spec.test_fraction <= 0.5:
        raise SetupProblem(_("Keep between 5% and 50% of the rows for testing (you chose {share:.0%}).")
                           .format(share=spec.test_fraction))
    if spec.kind == TIME:
        if not spec.time_column:
            raise SetupProblem(_("Choose the date or time column to split by."))
        if spec.time_column not in data.columns:
            raise SetupProblem(_("There is no column named {column} to split by.").format(column=spec.time_column))
        if not pd.api.types.is_datetime64_any_dtype(data[spec.time_column]):
            raise SetupProblem(_("The column {column} does not hold dates or times, so it cannot split by time.")
                               .format(column=spec.time_column))
    elif spec.kind != RANDOM:
        raise SetupProblem(_("Unknown kind of split: {kind}.").format(kind=spec.kind))


def split_rows(data: pd.DataFrame, target: str | None, task: str, spec: SplitSpec) -> Split:
    """Split `data` (rows with a target) into train and test as `split_source` says."""
    check_split(spec, data)
    if spec.kind == TIME:
        column = spec.time_column
        timed = data.dropna(subset=[column])
        cutoff = timed[column].quantile(1 - spec.test_fraction, interpolation="lower")  # a real moment of the data
        train = timed[timed[column] < cutoff]
        test = timed[timed[column] >= cutoff]
        result = Split(train, test, False, cutoff, len(data) - len(timed))
    else:
        stratified = bool(spec.stratify and task == CLASSIFICATION and target
                          and can_stratify(data[target], spec.test_fraction))
        train, test = train_test_split(data, test_size=spec.test_fraction, random_state=spec.seed,
                                       stratify=data[target] if stratified else None)
        result = Split(train, test, stratified)
    if len(result.train) < MIN_TEST_ROWS or len(result.test) < MIN_TEST_ROWS:
        raise SetupProblem(_("This split leaves {train} rows to train on and {test} to test on; each part needs "
                             "at least {least}. Use more data or another test share.")
                           .format(train=len(result.train), test=len(result.test), least=MIN_TEST_ROWS))
    return result


def split_source(spec: SplitSpec, target: str | None, task: str, stratified: bool) -> str:
    """The pandas / scikit-learn lines that make `train` and `test` from `data`."""
    if spec.kind == TIME:
        column = spec.time_column
        return (f"data = data.dropna(subset=[{column!r}])\n"
                f"cutoff = data[{column!r}].quantile({1 - spec.test_fraction!r}, interpolation=\"lower\")\n"
                f"train = data[data[{column!r}] < cutoff]\n"
                f"test = data[data[{column!r}] >= cutoff]")
    stratify = f"data[{target!r}]" if stratified else "None"
    return (f"train, test = train_test_split(data, test_size={spec.test_fraction!r}, "
            f"random_state={spec.seed!r}, stratify={stratify})")
