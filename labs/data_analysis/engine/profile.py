"""A column's profile: what kind of values it holds, how many are missing, how they spread.

    profile_column(frame["district"]).missing      # 356
    profile_frame(frame, state)                    # every column, with progress and cancel

One value_counts per column does most of the work (distinct values, most frequent values and, for
text, how many values are really numbers), so a profile of 1,000,000 rows takes a fraction of a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from app.core.formatting import number
from app.core.i18n import N_, _, ngettext
from app.core.tasks import TaskState

KIND_LABELS = {
    "number": N_("number"),
    "text": N_("text"),
    "date": N_("date"),
    "yes_no": N_("yes/no"),
    "empty": N_("empty"),
}

# Values read as yes/no in the languages the app ships (lower-cased). A column whose distinct
# values all belong here is a yes/no column.
YES_NO_VALUES = frozenset({
    "yes", "no", "y", "n", "true", "false", "t", "f",
    "oui", "non", "sí", "si", "да", "нет", "có", "không", "ya", "tidak", "ha", "yo'q", "yoʻq",
    "نعم", "لا", "예", "아니오", "아니요", "បាទ", "ទេ",
})


def kind_label(kind: str) -> str:
    return _(KIND_LABELS.get(kind, kind))


def column_kind(series: pd.Series, distinct_values: pd.Index | None = None) -> str:
    """'number', 'date', 'yes_no', 'text' or 'empty' (no value at all)."""
    if series.notna().sum() == 0:
        return "empty"
    if pd.api.types.is_bool_dtype(series):
        return "yes_no"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    distinct = distinct_values if distinct_values is not None else pd.Index(series.dropna().unique())
    if 1 <= len(distinct) <= 2 and all(str(v).strip().lower() in YES_NO_VALUES for v in distinct):
        return "yes_no"
    return "text"


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


@dataclass
class ColumnProfile:
    name: str
    kind: str
    rows: int
    missing: int
    distinct: int
    minimum: float | str | None = None  # numbers as float, dates as ISO text
    maximum: float | str | None = None
    mean: float | None = None
    median: float | None = None
    std: float | None = None
    top: list[tuple[str, int]] = field(default_factory=list)  # most frequent values with their counts
    numbers_in_text: int = 0  # text columns: how many values would read as numbers
    not_numbers: list[str] = field(default_factory=list)  # text columns: examples that would not

    @property
    def present(self) -> int:
        return self.rows - self.missing

    def to_dict(self) -> dict[str, Any]:
        data = {"name": self.name, "type": self.kind, "rows": self.rows, "missing": self.missing,
                "distinct": self.distinct}
        for key in ("minimum", "maximum", "mean", "median", "std"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.top:
            data["top"] = [{"value": v, "count": c} for v, c in self.top]
        return data

    def remarks(self) -> list[str]:
        """What a careful analyst would say about this column, in plain words (translated)."""
        notes = []
        if self.missing:
            share = 100 * self.missing / max(1, self.rows)
            notes.append(ngettext("{n} value is missing ({share}% of the rows).",
                                  "{n} values are missing ({share}% of the rows).", self.missing)
                         .format(n=number(self.missing), share=f"{share:.1f}"))
        if self.kind == "text" and self.present and self.numbers_in_text >= 0.8 * self.present:
            examples = ", ".join(repr(v) for v in self.not_numbers)
            notes.append(_("Most values are numbers, but some are not (e.g. {examples}), so the column is text "
                           "and cannot be averaged. Convert it to numbers to use it in calculations.")
                         .format(examples=examples))
        if self.kind == "text" and self.distinct == self.present and self.present > 20:
            notes.append(_("Every value is different: this looks like an identifier, not a category."))
        return notes


def profile_column(series: pd.Series, name: str | None = None, top: int = 5) -> ColumnProfile:
    name = str(series.name if name is None else name)
    rows = len(series)
    missing = int(series.isna().sum())
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.dropna()
        counts = values.value_counts()
        profile = ColumnProfile(name, "number" if len(values) else "empty", rows, missing, len(counts))
        if len(values):
            numbers = values.to_numpy(dtype=float)
            profile.minimum, profile.maximum = float(numbers.min()), float(numbers.max())
            profile.mean, profile.median = float(numbers.mean()), float(np.median(numbers))
            profile.std = _float(values.std()) if len(values) > 1 else None
            profile.top = [(_text(v), int(c)) for v, c in counts.iloc[:top].items()]
        return profile
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series.dropna()
        profile = ColumnProfile(name, "date" if len(values) else "empty", rows, missing, int(values.nunique()))
        if len(values):
            profile.minimum, profile.maximum = _text(values.min()), _text(values.max())
        return profile
    counts = series.value_counts(dropna=True)
    profile = ColumnProfile(name, column_kind(series, counts.index), rows, missing, len(counts))
    profile.top = [(_text(v), int(c)) for v, c in counts.iloc[:top].items()]
    if profile.kind == "text" and len(counts):
        as_numbers = pd.to_numeric(pd.Series(counts.index.astype(str), dtype="str").str.strip(), errors="coerce")
        numeric = as_numbers.notna().to_numpy()
        profile.numbers_in_text = int(counts.to_numpy()[numeric].sum())
        profile.not_numbers = [str(v) for v in counts.index[~numeric][:3]]
    return profile


def _text(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ") if (value.hour or value.minute or value.second) else value.date().isoformat()
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def profile_frame(frame: pd.DataFrame, state: TaskState | None = None) -> list[ColumnProfile]:
    state = state or TaskState()
    profiles = []
    for position, column in enumerate(frame.columns):
        state.raise_if_cancelled()
        state.set_progress(position, len(frame.columns), _("Profiling {column}").format(column=column))
        profiles.append(profile_column(frame[column], str(column)))
    state.set_progress(1, 1)
    return profiles
