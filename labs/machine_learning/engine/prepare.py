"""Feature columns -> the numbers a model reads, as one scikit-learn ColumnTransformer.

Numbers are used as they are (a missing value becomes the column's median, and a 0/1 column says
it was missing: an empty field can carry information); categories become
one 0/1 column per value (at most MAX_CATEGORIES, rarer values grouped); dates become year, month,
weekday and hour numbers. Models that compare sizes (linear, logistic, k-means) also get scaled inputs.

The preparation is written once, as the source code the learner sees, and the engine builds its
objects by evaluating that same source: the code on screen is the code that ran.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from labs.machine_learning.engine.problem import column_kind

MAX_CATEGORIES = 20
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?")


# The function is kept as source text and run from it, so the code the learner sees is the code that
# runs, also in the frozen bundle, which ships no .py files for inspect.getsource to read.
DATE_PARTS_SOURCE = '''\
def date_parts(frame):
    """Each date column -> year, month, weekday (0 = Monday) and hour numbers a model can read."""
    parts = {}
    for column in frame.columns:
        moments = pd.to_datetime(frame[column])
        parts[column + "_year"] = moments.dt.year
        parts[column + "_month"] = moments.dt.month
        parts[column + "_weekday"] = moments.dt.day_of_week
        parts[column + "_hour"] = moments.dt.hour
    return pd.DataFrame(parts, index=frame.index).astype("float64")
'''
_namespace: dict = {"pd": pd}
exec(DATE_PARTS_SOURCE, _namespace)  # noqa: S102 - our own constant, above
date_parts = _namespace["date_parts"]
date_parts.__module__ = __name__


def date_text_columns(frame: pd.DataFrame) -> list[str]:
    """Text columns that hold ISO dates ("2024-03-01"), which pandas reads as text unless told."""
    found = []
    for column in frame.columns:
        series = frame[column]
        if not (pd.api.types.is_string_dtype(series) or pd.api.types.is_object_dtype(series)):
            continue
        sample = series.dropna().astype(str).head(200)
        if len(sample) and sample.map(lambda v: bool(_ISO_DATE.match(v))).mean() >= 0.95:
            found.append(column)
    return found


def parse_date_text(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its ISO-date text columns read as dates (as `read_csv(parse_dates=...)` does)."""
    columns = date_text_columns(frame)
    if not columns:
        return frame
    frame = frame.copy()
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], errors="coerce", format="ISO8601")
    return frame


def feature_groups(frame: pd.DataFrame, features: list[str] | tuple[str, ...]) -> dict[str, list[str]]:
    """{"number": [...], "category": [...], "date": [...]}: how each feature is prepared."""
    groups: dict[str, list[str]] = {"number": [], "category": [], "date": []}
    for column in features:
        kind = column_kind(frame[column])
        groups["category" if kind == "text" else kind].append(column)
    return groups


def preprocessor_source(groups: dict[str, list[str]], scale: bool) -> str:
    """Python source of the ColumnTransformer for these groups (what the learner reads)."""
    scaler = ", StandardScaler()" if scale else ""
    parts = []
    if groups["number"]:
        parts.append('    ("numbers", make_pipeline(SimpleImputer(strategy="median", add_indicator=True)'
                     f'{scaler}), {groups["number"]!r}),')
    if groups["category"]:
        parts.append('    ("categories", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder('
                     f'handle_unknown="infrequent_if_exist", max_categories={MAX_CATEGORIES}, sparse_output=False)), '
                     f'{groups["category"]!r}),')
    if groups["date"]:
        parts.append('    ("dates", make_pipeline(FunctionTransformer(date_parts), '
                     f'SimpleImputer(strategy="median", add_indicator=True){scaler}), {groups["date"]!r}),')
    return "ColumnTransformer([\n" + "\n".join(parts) + "\n])"


# Everything the generated preparation and model source may name, and nothing else.
SOURCE_NAMES: dict[str, Any] = {
    "ColumnTransformer": ColumnTransformer, "SimpleImputer": SimpleImputer, "OneHotEncoder": OneHotEncoder,
    "StandardScaler": StandardScaler, "FunctionTransformer": FunctionTransformer, "Pipeline": Pipeline,
    "make_pipeline": make_pipeline, "date_parts": date_parts,
}


def build_from_source(source: str, names: dict[str, Any] | None = None) -> Any:
    """The object the generated source describes. The source is ours (column names go in through
    repr()), so evaluating it is safe; it keeps the shown code and the fitted objects identical."""
    return eval(source, {"__builtins__": {}}, {**SOURCE_NAMES, **(names or {})})


def make_preprocessor(groups: dict[str, list[str]], scale: bool) -> ColumnTransformer:
    return build_from_source(preprocessor_source(groups, scale))
