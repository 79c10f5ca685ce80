"""The steps a learner applies to a table, each with the pandas code that does the same thing.

Every step is a small frozen dataclass that says itself three ways:
- `apply(frame)`: does it (a new DataFrame; the input is never modified);
- `code()`: the pandas lines a programmer would write (tests run them and compare with `apply`, so
  the code the learner reads is the code that ran);
- `describe()`: one translated sentence for the list of applied steps.

Two families: *transforms* (filter, sort, clean, convert) change the table `df` that later steps
see; *summaries* (group, pivot) make a new table `result_N` and leave `df` as it was, so a learner can
group by district and then pivot by channel on the same cleaned data (as a pandas script would).

`validate(frame)` raises StepError with a message the learner can act on ("days_to_resolve holds
text: convert it to numbers first") before anything runs.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar

import pandas as pd

from app.core.formatting import number
from app.core.i18n import N_, _, ngettext

NUMBER_PATTERN = r"(-?\d+(?:\.\d+)?)"  # the first number inside a text such as "12 days"
MAX_PIVOT_COLUMNS = 200


class StepError(Exception):
    """A step that cannot apply to this table; str() is the translated reason and what to do."""


OPERATORS = {
    "==": N_("{column} is {value}"),
    "!=": N_("{column} is not {value}"),
    ">": N_("{column} is more than {value}"),
    ">=": N_("{column} is at least {value}"),
    "<": N_("{column} is less than {value}"),
    "<=": N_("{column} is at most {value}"),
    "contains": N_("{column} contains \u201c{value}\u201d"),
    "is missing": N_("{column} is missing"),
    "is not missing": N_("{column} is not missing"),
}
COMPARISONS = (">", ">=", "<", "<=")
NO_VALUE = ("is missing", "is not missing")

AGGREGATIONS = {
    "count": N_("number of rows"),
    "sum": N_("sum"),
    "mean": N_("average (mean)"),
    "median": N_("median"),
    "min": N_("smallest"),
    "max": N_("largest"),
}
NUMERIC_AGGREGATIONS = ("sum", "mean", "median")

TIME_PARTS = {  # the part of a date a summary or chart groups by
    "date": N_("day"),
    "year_month": N_("month (timeline)"),
    "year": N_("year"),
    "month": N_("month of the year"),
    "weekday": N_("day of the week"),
    "hour": N_("hour of the day"),
}
# In a summary table these parts are numbers (so they sort in calendar order); say how to read them.
TIME_PART_NUMBERS = {"month": N_("1 = January"), "weekday": N_("0 = Monday")}


def time_part_label(part: str, numbered: bool = False) -> str:
    """'day of the week', or with `numbered` 'day of the week, 0 = Monday' (summary tables show numbers)."""
    label = _(TIME_PARTS[part])
    if numbered and part in TIME_PART_NUMBERS:
        return _("{part}, {numbers}").format(part=label, numbers=_(TIME_PART_NUMBERS[part]))
    return label
_TIME_PART_CODE = {
    "date": ".dt.normalize()",
    "year_month": '.dt.to_period("M").dt.to_timestamp()',
    "year": ".dt.year",
    "month": ".dt.month",
    "weekday": ".dt.day_of_week",
    "hour": ".dt.hour",
}

FILL_METHODS = {
    "value": N_("a value"),
    "mean": N_("the average (mean)"),
    "median": N_("the median"),
    "most_frequent": N_("the most frequent value"),
}
TARGET_TYPES = {"number": N_("number"), "date": N_("date"), "text": N_("text")}


def literal(value: Any) -> str:
    """A value as Python source (JSON stores 0 for 0.0; both print as the learner typed them)."""
    if isinstance(value, float) and value.is_integer():
        return repr(int(value))
    return repr(value)


def time_part_name(column: str, part: str) -> str:
    return f"{column}_{part}"


def time_part_code(column: str, part: str, frame: str = "df") -> str:
    return f"{frame}[{column!r}]{_TIME_PART_CODE[part]}.rename({time_part_name(column, part)!r})"


def time_part_values(series: pd.Series, part: str) -> pd.Series:
    values = {
        "date": lambda s: s.dt.normalize(),
        "year_month": lambda s: s.dt.to_period("M").dt.to_timestamp(),
        "year": lambda s: s.dt.year,
        "month": lambda s: s.dt.month,
        "weekday": lambda s: s.dt.day_of_week,
        "hour": lambda s: s.dt.hour,
    }[part](series)
    return values.rename(time_part_name(str(series.name), part))


def is_number(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def is_date(series: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(series)


def _require(frame: pd.DataFrame, *columns: str | None) -> None:
    for column in columns:
        if column is not None and column not in frame.columns:
            raise StepError(_("There is no column {column} in the table. Choose one of: {columns}.").format(
                column=column, columns=", ".join(map(str, frame.columns[:20]))))


def _needs_numbers(frame: pd.DataFrame, column: str, purpose: str) -> None:
    if not is_number(frame[column]):
        raise StepError(_("{column} holds text, not numbers, so it cannot be used for {purpose}. Convert it "
                          "to numbers first (Clean: change the type).").format(column=column, purpose=purpose))


def _needs_date(frame: pd.DataFrame, column: str) -> None:
    if not is_date(frame[column]):
        raise StepError(_("{column} does not hold dates, so it has no day of the week, month or year. If it "
                          "holds dates written as text, convert it to dates first.").format(column=column))


def _typed_value(frame: pd.DataFrame, column: str, value: Any) -> Any:
    """Check that `value` fits the column's kind; return it as it will be compared."""
    series = frame[column]
    if is_number(series):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise StepError(_("{column} holds numbers; {value} is not a number.").format(column=column,
                                                                                        value=repr(value)))
        return value
    if is_date(series):
        try:
            pd.Timestamp(str(value))
        except ValueError as err:
            raise StepError(_("{column} holds dates; write the date as year-month-day, e.g. 2024-03-31.")
                            .format(column=column)) from err
        return str(value)
    return value


class Step:
    kind: ClassVar[str] = ""
    summary: ClassVar[bool] = False  # True: makes a new table and leaves df unchanged

    def validate(self, frame: pd.DataFrame) -> None:
        raise NotImplementedError

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        raise NotImplementedError

    def code(self, result_name: str = "result") -> str:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def report(self, before: pd.DataFrame, after: pd.DataFrame) -> str:
        """What the step did to this table, in a sentence (rows removed, values converted, groups)."""
        removed = len(before) - len(after)
        if self.summary:
            return ngettext("{n} row in the new table.", "{n} rows in the new table.", len(after)).format(
                n=number(len(after)))
        if removed:
            return ngettext("{n} row removed; {left} left.", "{n} rows removed; {left} left.", removed).format(
                n=number(removed), left=number(len(after)))
        return _("No row removed.")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (tuples as lists), exactly what a snapshot read back gives."""
        data = asdict(self)  # type: ignore[call-overload]
        return {"kind": self.kind, **{k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in names}
        return cls(**values)


@dataclass(frozen=True)
class Filter(Step):
    column: str
    operator: str
    value: Any = None
    kind: ClassVar[str] = "filter"

    def validate(self, frame: pd.DataFrame) -> None:
        _require(frame, self.column)
        if self.operator not in OPERATORS:
            raise StepError(_("Unknown comparison: {operator}.").format(operator=self.operator))
        if self.operator in NO_VALUE or self.operator == "contains":
            return
        series = frame[self.column]
        if self.operator in COMPARISONS and not (is_number(series) or is_date(series)):
            raise StepError(_("{column} holds text, so \"more than\" or \"less than\" would compare letters, "
                              "not amounts. Convert it to numbers first (Clean: change the type).")
                            .format(column=self.column))
        _typed_value(frame, self.column, self.value)

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        series = frame[self.column]
        op = self.operator
        if op == "is missing":
            return series.isna()
        if op == "is not missing":
            return series.notna()
        if op == "contains":
            return series.astype("str").str.contains(str(self.value), case=False, regex=False, na=False)
        return {"==": series.__eq__, "!=": series.__ne__, ">": series.__gt__, ">=": series.__ge__,
                "<": series.__lt__, "<=": series.__le__}[op](self.value)

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame[self.mask(frame)]

    def code(self, result_name: str = "result") -> str:
        column = f"df[{self.column!r}]"
        if self.operator == "is missing":
            condition = f"{column}.isna()"
        elif self.operator == "is not missing":
            condition = f"{column}.notna()"
        elif self.operator == "contains":
            condition = (f"{column}.astype(\"str\").str.contains({str(self.value)!r}, case=False, regex=False, "
                         f"na=False)")
        else:
            condition = f"{column} {self.operator} {literal(self.value)}"
        return f"df = df[{condition}]"

    def describe(self) -> str:
        condition = _(OPERATORS.get(self.operator, "{column} {value}")).format(
            column=self.column, value="" if self.value is None else _shown(self.value))
        return _("Keep the rows where {condition}").format(condition=condition)


def _shown(value: Any) -> str:
    return literal(value) if isinstance(value, (int, float)) else str(value)


@dataclass(frozen=True)
class Sort(Step):
    columns: tuple[str, ...]
    descending: bool = False
    kind: ClassVar[str] = "sort"

    def validate(self, frame: pd.DataFrame) -> None:
        if not self.columns:
            raise StepError(_("Choose a column to sort by."))
        _require(frame, *self.columns)

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.sort_values(list(self.columns), ascending=not self.descending)

    def code(self, result_name: str = "result") -> str:
        return f"df = df.sort_values({list(self.columns)!r}, ascending={not self.descending})"

    def describe(self) -> str:
        columns = ", ".join(self.columns)
        if self.descending:
            return _("Sort by {columns}, largest first").format(columns=columns)
        return _("Sort by {columns}, smallest first").format(columns=columns)

    def report(self, before: pd.DataFrame, after: pd.DataFrame) -> str:
        return _("Rows sorted.")


@dataclass(frozen=True)
class DropDuplicates(Step):
    columns: tuple[str, ...] | None = None  # None: rows identical in every column
    kind: ClassVar[str] = "drop_duplicates"

    def validate(self, frame: pd.DataFrame) -> None:
        _require(frame, *(self.columns or ()))

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.drop_duplicates(subset=list(self.columns) if self.columns else None)

    def code(self, result_name: str = "result") -> str:
        if self.columns:
            return f"df = df.drop_duplicates(subset={list(self.columns)!r})"
        return "df = df.drop_duplicates()"

    def describe(self) -> str:
        if self.columns:
            return _("Remove rows that repeat the values of {columns}").format(columns=", ".join(self.columns))
        return _("Remove duplicate rows (identical in every column)")


@dataclass(frozen=True)
class DropMissing(Step):
    columns: tuple[str, ...] | None = None  # None: a value missing in any column
    kind: ClassVar[str] = "drop_missing"

    def validate(self, frame: pd.DataFrame) -> None:
        _require(frame, *(self.columns or ()))

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.dropna(subset=list(self.columns) if self.columns else None)

    def code(self, result_name: str = "result") -> str:
        if self.columns:
            return f"df = df.dropna(subset={list(self.columns)!r})"
        return "df = df.dropna()"

    def describe(self) -> str:
        if self.columns:
            return _("Remove rows with a missing {columns}").format(columns=", ".join(self.columns))
        return _("Remove rows with a missing value in any column")


@dataclass(frozen=True)
class DropColumns(Step):
    columns: tuple[str, ...]
    kind: ClassVar[str] = "drop_columns"

    def validate(self, frame: pd.DataFrame) -> None:
        if not self.columns:
            raise StepError(_("Choose a column to remove."))
        _require(frame, *self.columns)

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.drop(columns=list(self.columns))

    def code(self, result_name: str = "result") -> str:
        return f"df = df.drop(columns={list(self.columns)!r})"

    def describe(self) -> str:
        return _("Remove the columns {columns}").format(columns=", ".join(self.columns))

    def report(self, before: pd.DataFrame, after: pd.DataFrame) -> str:
        return ngettext("{n} column left.", "{n} columns left.", after.shape[1]).format(n=after.shape[1])


@dataclass(frozen=True)
class FillMissing(Step):
    column: str
    method: str = "value"  # value | mean | median | most_frequent
    value: Any = None
    date: bool = False  # the value is a date (stored as ISO text); `parse_value` sets it
    kind: ClassVar[str] = "fill_missing"

    def validate(self, frame: pd.DataFrame) -> None:
        _require(frame, self.column)
        if self.method not in FILL_METHODS:
            raise StepError(_("Unknown way to fill: {method}.").format(method=self.method))
        if self.method in ("mean", "median"):
            _needs_numbers(frame, self.column, _(FILL_METHODS[self.method]))
        if self.method == "value":
            if self.value is None or self.value == "":
                raise StepError(_("Type the value that should fill the missing cells."))
            _typed_value(frame, self.column, self.value)
            if is_date(frame[self.column]) != self.date:
                raise StepError(_("{column} holds dates; write the date as year-month-day, e.g. 2024-03-31.")
                                .format(column=self.column))
        if self.method != "value" and frame[self.column].notna().sum() == 0:
            raise StepError(_("{column} has no value at all to compute a fill from.").format(column=self.column))

    def fill_value(self, series: pd.Series) -> Any:
        if self.method == "mean":
            return series.mean()
        if self.method == "median":
            return series.median()
        if self.method == "most_frequent":
            return series.mode().iloc[0]
        return pd.Timestamp(self.value) if self.date else self.value

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        series = frame[self.column]
        return frame.assign(**{self.column: series.fillna(self.fill_value(series))})

    def code(self, result_name: str = "result") -> str:
        column = f"df[{self.column!r}]"
        fill = {"mean": f"{column}.mean()", "median": f"{column}.median()",
                "most_frequent": f"{column}.mode().iloc[0]"}.get(self.method)
        if fill is None:
            fill = f"pd.Timestamp({self.value!r})" if self.date else literal(self.value)
        return f"{column} = {column}.fillna({fill})"

    def describe(self) -> str:
        how = _shown(self.value) if self.method == "value" else _(FILL_METHODS.get(self.method, self.method))
        return _("Fill the missing values of {column} with {how}").format(column=self.column, how=how)

    def report(self, before: pd.DataFrame, after: pd.DataFrame) -> str:
        filled = int(before[self.column].isna().sum() - after[self.column].isna().sum())
        return ngettext("{n} missing value filled.", "{n} missing values filled.", filled).format(n=number(filled))


@dataclass(frozen=True)
class ConvertType(Step):
    column: str
    to: str  # number | date | text
    dayfirst: bool = True  # for dates such as 03/04/2024
    kind: ClassVar[str] = "convert"

    def validate(self, frame: pd.DataFrame) -> None:
        _require(frame, self.column)
        if self.to not in TARGET_TYPES:
            raise StepError(_("Unknown type: {type}.").format(type=self.to))
        series = frame[self.column]
        if self.to == "number" and is_date(series):
            raise StepError(_("{column} holds dates; dates do not become numbers. To count or group by "
                              "year, month or weekday, use a summary with a part of the date.")
                            .format(column=self.column))
        if self.to == "date" and is_number(series):
            raise StepError(_("{column} holds numbers, not dates written as text.").format(column=self.column))

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        series = frame[self.column]
        if self.to == "number":
            inside = pd.to_numeric(series.astype("str").str.extract(NUMBER_PATTERN, expand=False), errors="coerce")
            converted = pd.to_numeric(series, errors="coerce").fillna(inside)
        elif self.to == "date":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "could not infer format": same result
                converted = pd.to_datetime(series, errors="coerce", dayfirst=self.dayfirst)
        else:
            converted = series.astype("str")
        return frame.assign(**{self.column: converted})

    def code(self, result_name: str = "result") -> str:
        column = f"df[{self.column!r}]"
        if self.to == "number":
            comment = _("the number inside the text (\"12 days\" -> 12); text without a number becomes missing")
            return (f"# {comment}\n"
                    f"{column} = pd.to_numeric({column}, errors=\"coerce\").fillna(\n"
                    f"    pd.to_numeric({column}.astype(\"str\").str.extract(r\"{NUMBER_PATTERN}\", expand=False), "
                    f"errors=\"coerce\"))")
        if self.to == "date":
            return f"{column} = pd.to_datetime({column}, errors=\"coerce\", dayfirst={self.dayfirst})"
        return f"{column} = {column}.astype(\"str\")"

    def describe(self) -> str:
        return _("Change {column} to {type}").format(column=self.column, type=_(TARGET_TYPES.get(self.to, self.to)))

    def report(self, before: pd.DataFrame, after: pd.DataFrame) -> str:
        lost_mask = before[self.column].notna() & after[self.column].isna()
        lost = int(lost_mask.sum())
        if not lost:
            return _("Every value was converted.")
        examples = ", ".join(repr(str(v)) for v in before.loc[lost_mask, self.column].unique()[:3])
        return ngettext("{n} value could not be converted and is now missing (e.g. {examples}).",
                        "{n} values could not be converted and are now missing (e.g. {examples}).",
                        lost).format(n=number(lost), examples=examples)


@dataclass(frozen=True)
class GroupBy(Step):
    by: tuple[str, ...]
    value: str | None = None  # None with "count": the number of rows in each group
    agg: str = "count"
    time_part: str | None = None  # a part of the date in by[0]: weekday, month, year, ...
    kind: ClassVar[str] = "group"
    summary: ClassVar[bool] = True

    def validate(self, frame: pd.DataFrame) -> None:
        if not self.by:
            raise StepError(_("Choose the column to group by."))
        _require(frame, *self.by, self.value)
        if self.agg not in AGGREGATIONS:
            raise StepError(_("Unknown summary: {agg}.").format(agg=self.agg))
        if self.time_part:
            if self.time_part not in TIME_PARTS:
                raise StepError(_("Unknown part of a date: {part}.").format(part=self.time_part))
            _needs_date(frame, self.by[0])
        if self.value is None and self.agg != "count":
            raise StepError(_("Choose the column to summarise, e.g. the column whose average you want."))
        if self.value is not None and self.agg in NUMERIC_AGGREGATIONS:
            _needs_numbers(frame, self.value, _(AGGREGATIONS[self.agg]))
        if self.value is not None and self.agg in ("min", "max") and not (
                is_number(frame[self.value]) or is_date(frame[self.value])):
            _needs_numbers(frame, self.value, _(AGGREGATIONS[self.agg]))

    def keys(self, frame: pd.DataFrame) -> list[Any]:
        keys: list[Any] = list(self.by)
        if self.time_part:
            keys[0] = time_part_values(frame[self.by[0]], self.time_part)
        return keys

    def result_column(self) -> str:
        return "count" if self.value is None else f"{self.agg}_{self.value}"

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        keys = self.keys(frame)
        grouped = frame.groupby(keys if len(keys) > 1 else keys[0])
        if self.value is None:
            return grouped.size().reset_index(name="count")
        return getattr(grouped[self.value], self.agg)().reset_index(name=self.result_column())

    def code(self, result_name: str = "result") -> str:
        keys = [time_part_code(self.by[0], self.time_part) if self.time_part else repr(self.by[0])]
        keys += [repr(c) for c in self.by[1:]]
        key = keys[0] if len(keys) == 1 else "[" + ", ".join(keys) + "]"
        if self.value is None:
            return f"{result_name} = df.groupby({key}).size().reset_index(name=\"count\")"
        return (f"{result_name} = df.groupby({key})[{self.value!r}].{self.agg}()"
                f".reset_index(name={self.result_column()!r})")

    def describe(self) -> str:
        by = ", ".join(self.by)
        if self.time_part:
            by = _("{column} ({part})").format(column=self.by[0], part=time_part_label(self.time_part, True))
            if len(self.by) > 1:
                by = ", ".join([by, *self.by[1:]])
        if self.value is None:
            return _("Count the rows for each {by}").format(by=by)
        return _("{agg} of {value} for each {by}").format(agg=_(AGGREGATIONS[self.agg]).capitalize(),
                                                          value=self.value, by=by)


@dataclass(frozen=True)
class Pivot(Step):
    index: str
    columns: str
    value: str | None = None  # None with "count": how many rows fall in each cell
    agg: str = "count"
    kind: ClassVar[str] = "pivot"
    summary: ClassVar[bool] = True

    def validate(self, frame: pd.DataFrame) -> None:
        _require(frame, self.index, self.columns, self.value)
        if self.index == self.columns:
            raise StepError(_("Choose two different columns for the rows and the columns of the pivot table."))
        if self.agg not in AGGREGATIONS:
            raise StepError(_("Unknown summary: {agg}.").format(agg=self.agg))
        if self.value is None and self.agg != "count":
            raise StepError(_("Choose the column to summarise, e.g. the column whose average you want."))
        if self.value is not None and self.agg in NUMERIC_AGGREGATIONS:
            _needs_numbers(frame, self.value, _(AGGREGATIONS[self.agg]))
        distinct = frame[self.columns].nunique()
        if distinct > MAX_PIVOT_COLUMNS:
            raise StepError(_("{column} has {n} different values; across the top a pivot table needs a column "
                              "with few values (at most {limit}), such as a category.").format(
                column=self.columns, n=number(distinct), limit=MAX_PIVOT_COLUMNS))

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.value is None:
            return pd.crosstab(frame[self.index], frame[self.columns]).reset_index()
        return frame.pivot_table(index=self.index, columns=self.columns, values=self.value,
                                 aggfunc=self.agg).reset_index()

    def code(self, result_name: str = "result") -> str:
        if self.value is None:
            return f"{result_name} = pd.crosstab(df[{self.index!r}], df[{self.columns!r}]).reset_index()"
        return (f"{result_name} = df.pivot_table(index={self.index!r}, columns={self.columns!r}, "
                f"values={self.value!r}, aggfunc={self.agg!r}).reset_index()")

    def describe(self) -> str:
        what = _("number of rows") if self.value is None else _("{agg} of {value}").format(
            agg=_(AGGREGATIONS[self.agg]), value=self.value)
        return _("Pivot table: {index} down, {columns} across, {what} in the cells").format(
            index=self.index, columns=self.columns, what=what)


STEP_TYPES: dict[str, type[Step]] = {cls.kind: cls for cls in (
    Filter, Sort, DropDuplicates, DropMissing, DropColumns, FillMissing, ConvertType, GroupBy, Pivot)}


def parse_value(frame: pd.DataFrame, column: str, text: str) -> Any:
    """What the learner typed, as a value of the column's kind: "12,5" -> 12.5 for numbers (a decimal
    comma is accepted), "31/03/2024" -> "2024-03-31" for dates, the text itself for text."""
    _require(frame, column)
    text = (text or "").strip()
    series = frame[column]
    if is_number(series):
        try:
            number = float(text.replace(" ", "").replace(",", "."))
        except ValueError as err:
            raise StepError(_("{column} holds numbers; {value} is not a number.").format(
                column=column, value=repr(text))) from err
        return int(number) if number.is_integer() else number
    if is_date(series):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                moment = pd.to_datetime(text, dayfirst="/" in text or "." in text)
        except (ValueError, TypeError) as err:
            raise StepError(_("{column} holds dates; write the date as year-month-day, e.g. 2024-03-31.")
                            .format(column=column)) from err
        if pd.isna(moment):
            raise StepError(_("{column} holds dates; write the date as year-month-day, e.g. 2024-03-31.")
                            .format(column=column))
        return moment.isoformat(sep=" ") if (moment.hour or moment.minute) else moment.date().isoformat()
    return text


def step_from_dict(data: dict[str, Any]) -> Step:
    try:
        cls = STEP_TYPES[data["kind"]]
        return cls.from_dict(data)
    except (KeyError, TypeError) as err:
        raise StepError(_("This saved step cannot be read: {step}").format(step=data)) from err
