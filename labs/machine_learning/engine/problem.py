"""Which kind of task a target column makes, and which models fit it.

A text or yes/no target, or whole numbers with few distinct values, is a classification task; other
numbers make a regression task; no target at all means grouping similar rows (k-means clustering).
"""

from __future__ import annotations

import pandas as pd

from app.core.i18n import N_, _

CLASSIFICATION = "classification"
REGRESSION = "regression"
CLUSTERING = "clustering"

TASK_TITLES = {
    CLASSIFICATION: N_("Classification (predict a category, e.g. yes or no)"),
    REGRESSION: N_("Regression (predict a number)"),
    CLUSTERING: N_("Clustering (find groups of similar rows, no target)"),
}

# Whole-number targets with at most this many distinct values are read as classes (0/1 flags, ratings).
MAX_NUMBER_CLASSES = 10
# A text target with more distinct values than this is not a sensible set of classes (ids, free text).
MAX_CLASSES = 20
# A text column with more distinct values than this share of its rows reads as an identifier.
IDENTIFIER_SHARE = 0.9


class SetupProblem(Exception):
    """A choice that cannot be trained; str() is a translated message that says what to change."""


def column_kind(series: pd.Series) -> str:
    """"date", "number", "category" (text, yes/no, bool with few values) or "text" (many values)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_bool_dtype(series):
        return "category"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    distinct = series.nunique(dropna=True)
    if distinct > MAX_CLASSES and distinct >= IDENTIFIER_SHARE * series.notna().sum():
        return "text"
    return "category"


def is_identifier(series: pd.Series) -> bool:
    """Text whose every value is (nearly) different, or a running number: ids say nothing general."""
    present = series.dropna()
    if len(present) < 20 or pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_bool_dtype(series):
        return False
    if pd.api.types.is_integer_dtype(series):
        steps = present.sort_values().diff().dropna()
        return present.is_unique and bool((steps == 1).mean() >= IDENTIFIER_SHARE)
    if pd.api.types.is_numeric_dtype(series):
        return False
    return present.nunique() >= IDENTIFIER_SHARE * len(present)


def infer_task(frame: pd.DataFrame, target: str | None) -> str:
    """The task the target makes; SetupProblem when the column cannot be a target."""
    if target is None:
        return CLUSTERING
    if target not in frame.columns:
        raise SetupProblem(_("There is no column named {column} in this data.").format(column=target))
    series = frame[target]
    values = series.dropna()
    distinct = values.nunique()
    if distinct < 2:
        raise SetupProblem(_("The column {column} has only one value, so there is nothing to predict. "
                             "Pick another column.").format(column=target))
    if pd.api.types.is_datetime64_any_dtype(series):
        raise SetupProblem(_("The column {column} holds dates. Predict a number or a category instead, "
                             "and use dates as features or to split by time.").format(column=target))
    if pd.api.types.is_bool_dtype(series):
        return CLASSIFICATION
    if pd.api.types.is_numeric_dtype(series):
        whole = bool((values == values.round()).all())
        return CLASSIFICATION if whole and distinct <= MAX_NUMBER_CLASSES else REGRESSION
    if distinct > MAX_CLASSES:
        raise SetupProblem(_("The column {column} has {count} different values: too many to predict as "
                             "categories. Pick a yes/no or category column, or a number column.")
                           .format(column=target, count=f"{distinct:,}"))
    return CLASSIFICATION


def candidate_targets(frame: pd.DataFrame) -> list[str]:
    """Columns that can be predicted (in frame order): not dates, not identifiers, not constant."""
    result = []
    for column in frame.columns:
        try:
            infer_task(frame, column)
        except SetupProblem:
            continue
        if not is_identifier(frame[column]):
            result.append(column)
    return result
