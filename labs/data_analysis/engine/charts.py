"""Charts as data: a ChartSpec says what to draw, chart_data computes the numbers (off the GUI thread),
chart_code says it as pandas + matplotlib. The panel draws ChartData with pyqtgraph; nothing here
imports a plotting library.

    spec = ChartSpec("bar", x="received_date", time_part="weekday")      # complaints per weekday
    data = chart_data(frame, spec, state)    # data.labels == ["Mon", ...], data.y == counts

On big tables a scatter plot shows a fixed random sample and a line keeps each stretch's lowest and
highest point, so drawing stays quick and the shape stays true; `data.shown` / `data.total` say so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from app.core.formatting import number
from app.core.i18n import N_, _, current_locale
from app.core.tasks import TaskState
from labs.data_analysis.engine.steps import (
    AGGREGATIONS,
    NUMERIC_AGGREGATIONS,
    TIME_PARTS,
    StepError,
    is_date,
    is_number,
    time_part_code,
    time_part_values,
)

CHART_KINDS = {
    "bar": N_("bar chart"),
    "line": N_("line chart"),
    "scatter": N_("scatter plot"),
    "histogram": N_("histogram"),
    "box": N_("box plot"),
}
MAX_SCATTER_POINTS = 20_000
MAX_LINE_POINTS = 10_000
MAX_BARS = 200
MAX_BOXES = 40
SAMPLE_SEED = 0  # the same sample every time: a chart redrawn on resume looks the same


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # bar | line | scatter | histogram | box
    x: str | None = None  # bar/line/scatter: across; histogram: the values; box: the groups (optional)
    y: str | None = None  # the values (none with agg "count": the number of rows)
    agg: str = "count"  # bar/line: count|sum|mean|median|min|max per x; line also "none" (every row)
    time_part: str | None = None  # x is a date: group by weekday, month, year, ...
    bins: int = 30  # histogram

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChartSpec:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def describe(self) -> str:
        kind = _(CHART_KINDS.get(self.kind, self.kind))
        x = self.x or ""
        if self.time_part:
            x = _("{column} ({part})").format(column=self.x, part=_(TIME_PARTS[self.time_part]))
        if self.kind == "histogram":
            return _("{kind} of {x}").format(kind=kind, x=self.x)
        if self.kind == "box":
            return (_("{kind} of {y} for each {x}").format(kind=kind, y=self.y, x=x) if self.x
                    else _("{kind} of {y}").format(kind=kind, y=self.y))
        return _("{kind}: {y} by {x}").format(kind=kind, y=self.y_label(), x=x)

    def y_label(self) -> str:
        if self.kind in ("bar", "line") and self.y is None:
            return _("number of rows")
        if self.kind in ("bar", "line") and self.agg not in ("none", "count"):
            return _("{agg} of {column}").format(agg=_(AGGREGATIONS[self.agg]), column=self.y)
        if self.kind in ("bar", "line") and self.agg == "count":
            return _("number of values of {column}").format(column=self.y)
        return self.y or ""

    def validate(self, frame: pd.DataFrame) -> None:
        if self.kind not in CHART_KINDS:
            raise StepError(_("Unknown kind of chart: {kind}.").format(kind=self.kind))
        for column in (self.x, self.y):
            if column is not None and column not in frame.columns:
                raise StepError(_("There is no column {column} in the table.").format(column=column))
        needs_x = self.kind in ("bar", "line", "scatter", "histogram")
        if needs_x and self.x is None:
            raise StepError(_("Choose the column for the horizontal axis."))
        if self.time_part and (self.x is None or not is_date(frame[self.x])):
            raise StepError(_("{column} does not hold dates, so it has no day of the week, month or year.")
                            .format(column=self.x))
        if self.kind in ("scatter", "box") and self.y is None:
            raise StepError(_("Choose the column of values for the vertical axis."))
        if self.kind in ("bar", "line"):
            if self.agg not in (*AGGREGATIONS, "none"):
                raise StepError(_("Unknown summary: {agg}.").format(agg=self.agg))
            if self.y is None and self.agg not in ("count", "none"):
                raise StepError(_("Choose the column to summarise, e.g. the column whose average you want."))
            if self.agg == "none" and (self.kind != "line" or self.y is None):
                raise StepError(_("Choose how to summarise the values for each {column}.").format(column=self.x))
            if self.x is not None and is_date(frame[self.x]) and not self.time_part and self.kind == "bar":
                raise StepError(_("{column} holds dates: choose which part to group by (day, month, weekday, "
                                  "...).").format(column=self.x))
        numeric_y = self.kind in ("scatter", "box") or (self.kind in ("bar", "line")
                                                        and self.agg in (*NUMERIC_AGGREGATIONS, "none"))
        if numeric_y and self.y is not None and not is_number(frame[self.y]):
            raise StepError(_("{column} holds text, not numbers; convert it to numbers first (Clean: change the "
                              "type).").format(column=self.y))
        if self.kind == "histogram" and not is_number(frame[self.x]):
            raise StepError(_("A histogram shows how numbers spread; {column} holds text. Use a bar chart to "
                              "count categories.").format(column=self.x))
        if self.kind == "scatter" and not (is_number(frame[self.x]) or is_date(frame[self.x])):
            raise StepError(_("A scatter plot needs numbers or dates on both axes; {column} holds text.")
                            .format(column=self.x))


@dataclass
class BoxStats:
    label: str
    low: float  # lowest value within 1.5 IQR of the box
    q1: float
    median: float
    q3: float
    high: float
    outliers: np.ndarray  # up to 200 values beyond the whiskers
    count: int


@dataclass
class ChartData:
    spec: ChartSpec
    x_label: str
    y_label: str
    x: np.ndarray = field(default_factory=lambda: np.zeros(0))
    y: np.ndarray = field(default_factory=lambda: np.zeros(0))
    labels: list[str] | None = None  # bars/boxes: the label of position 0, 1, 2, ...
    x_is_date: bool = False  # x holds seconds since 1970 (UTC), for a date axis
    edges: np.ndarray | None = None  # histogram bin edges (len(y) + 1)
    boxes: list[BoxStats] = field(default_factory=list)
    shown: int = 0  # points drawn
    total: int = 0  # rows behind them

    def note(self) -> str:
        if self.shown < self.total and self.spec.kind == "scatter":
            return _("Showing a random sample of {shown} of {total} points.").format(
                shown=number(self.shown), total=number(self.total))
        if self.shown < self.total and self.spec.kind == "line":
            return _("{total} points, drawn as {shown} (each stretch keeps its lowest and highest).").format(
                shown=number(self.shown), total=number(self.total))
        return ""


def _seconds(values: pd.Series | np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype="datetime64[ns]")
    return (array - np.datetime64(0, "s")) / np.timedelta64(1, "s")


def part_labels(keys: pd.Index, part: str | None) -> list[str]:
    """Bar and box labels: weekday and month names in the learner's language, dates as ISO."""
    if part in ("weekday", "month"):
        from babel.dates import get_day_names, get_month_names

        try:
            names = (get_day_names("abbreviated", locale=current_locale()) if part == "weekday"
                     else get_month_names("abbreviated", locale=current_locale()))
        except Exception:
            names = get_day_names("abbreviated", locale="en") if part == "weekday" else get_month_names(
                "abbreviated", locale="en")
        return [str(names.get(int(k), k)) for k in keys]
    if part == "year_month":
        return [pd.Timestamp(k).strftime("%Y-%m") for k in keys]
    if part == "date" or (len(keys) and isinstance(keys[0], pd.Timestamp)):
        return [pd.Timestamp(k).date().isoformat() for k in keys]
    return [_label(k) for k in keys]


def _label(value: Any) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _grouped(frame: pd.DataFrame, spec: ChartSpec) -> pd.Series:
    key = time_part_values(frame[spec.x], spec.time_part) if spec.time_part else spec.x
    grouped = frame.groupby(key)
    if spec.y is None:
        return grouped.size()
    return getattr(grouped[spec.y], spec.agg)()


def chart_data(frame: pd.DataFrame, spec: ChartSpec, state: TaskState | None = None) -> ChartData:
    state = state or TaskState()
    spec.validate(frame)
    state.set_progress(0.1, 1, _("Computing the chart"))
    x_label = spec.x or ""
    if spec.time_part:
        x_label = _("{column} ({part})").format(column=spec.x, part=_(TIME_PARTS[spec.time_part]))
    data = ChartData(spec, x_label, spec.y_label() if spec.kind in ("bar", "line") else (spec.y or _("count")),
                     total=len(frame))
    if spec.kind == "bar" or (spec.kind == "line" and spec.agg != "none"):
        series = _grouped(frame, spec)
        if spec.kind == "bar" and len(series) > MAX_BARS:
            raise StepError(_("{column} has {n} different values: too many bars to read. Choose a column with "
                              "fewer values, or a part of a date.").format(column=spec.x, n=number(len(series))))
        data.y = series.to_numpy(dtype=float)
        data.shown = len(series)
        if spec.kind == "bar" or not (is_number(pd.Series(series.index)) or is_date(pd.Series(series.index))):
            data.labels = part_labels(series.index, spec.time_part)
            data.x = np.arange(len(series), dtype=float)
        elif is_date(pd.Series(series.index)):
            data.x, data.x_is_date = _seconds(series.index.to_numpy()), True
        else:
            data.x = series.index.to_numpy(dtype=float)
            if spec.time_part in ("weekday", "month"):
                data.labels = part_labels(series.index, spec.time_part)
    elif spec.kind == "line":
        points = frame[[spec.x, spec.y]].dropna().sort_values(spec.x)
        x = points[spec.x]
        data.x_is_date = is_date(x)
        data.x = _seconds(x) if data.x_is_date else x.to_numpy(dtype=float)
        data.y = points[spec.y].to_numpy(dtype=float)
        data.x, data.y = _peaks(data.x, data.y, MAX_LINE_POINTS)
        data.total, data.shown = len(points), len(data.x)
    elif spec.kind == "scatter":
        points = frame[[spec.x, spec.y]].dropna()
        data.total = len(points)
        if len(points) > MAX_SCATTER_POINTS:
            chosen = np.sort(np.random.default_rng(SAMPLE_SEED).choice(len(points), MAX_SCATTER_POINTS, replace=False))
            points = points.iloc[chosen]
        data.x_is_date = is_date(points[spec.x])
        data.x = _seconds(points[spec.x]) if data.x_is_date else points[spec.x].to_numpy(dtype=float)
        data.y = points[spec.y].to_numpy(dtype=float)
        data.shown = len(points)
    elif spec.kind == "histogram":
        values = frame[spec.x].dropna().to_numpy(dtype=float)
        counts, edges = np.histogram(values, bins=max(1, int(spec.bins)))
        data.y, data.edges = counts.astype(float), edges
        data.x = (edges[:-1] + edges[1:]) / 2
        data.y_label = _("number of rows")
        data.total = data.shown = len(values)
    else:  # box
        data.boxes = _boxes(frame, spec, state)
        data.labels = [b.label for b in data.boxes]
        data.x = np.arange(len(data.boxes), dtype=float)
        data.shown = sum(b.count for b in data.boxes)
    state.set_progress(1, 1)
    return data


def _peaks(x: np.ndarray, y: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ~limit points: each stretch of the line keeps its lowest and its highest point."""
    if len(x) <= limit:
        return x, y
    per = int(np.ceil(len(x) / (limit // 2)))
    usable = (len(x) // per) * per
    buckets = y[:usable].reshape(-1, per)
    lows = buckets.argmin(axis=1) + np.arange(0, usable, per)
    highs = buckets.argmax(axis=1) + np.arange(0, usable, per)
    keep = np.unique(np.concatenate([lows, highs, np.arange(usable, len(x))]))
    return x[keep], y[keep]


def _boxes(frame: pd.DataFrame, spec: ChartSpec, state: TaskState) -> list[BoxStats]:
    if spec.x is None:
        groups: list[tuple[Any, pd.Series]] = [(spec.y, frame[spec.y])]
    else:
        key = time_part_values(frame[spec.x], spec.time_part) if spec.time_part else frame[spec.x]
        grouped = frame[spec.y].groupby(key)
        if grouped.ngroups > MAX_BOXES:
            raise StepError(_("{column} has {n} different values: too many boxes to compare. Choose a column "
                              "with fewer values.").format(column=spec.x, n=number(grouped.ngroups)))
        groups = list(grouped)
    labels = part_labels(pd.Index([k for k, _v in groups]), spec.time_part) if spec.x else [str(spec.y)]
    boxes = []
    for label, (_key, values) in zip(labels, groups, strict=True):
        state.raise_if_cancelled()
        numbers = values.dropna().to_numpy(dtype=float)
        if not len(numbers):
            continue
        q1, median, q3 = np.percentile(numbers, [25, 50, 75])
        reach = 1.5 * (q3 - q1)
        inside = numbers[(numbers >= q1 - reach) & (numbers <= q3 + reach)]
        outliers = numbers[(numbers < q1 - reach) | (numbers > q3 + reach)]
        boxes.append(BoxStats(label, float(inside.min()), float(q1), float(median), float(q3), float(inside.max()),
                              outliers[:200], len(numbers)))
    return boxes


def chart_code(spec: ChartSpec) -> str:
    """pandas + matplotlib code that draws the same chart (the first line computes `series` or `data`)."""
    key = time_part_code(spec.x, spec.time_part) if spec.time_part and spec.x else repr(spec.x)
    labels = f"xlabel={spec.x!r}, ylabel={spec.y_label()!r}"
    if spec.kind == "bar" or (spec.kind == "line" and spec.agg != "none"):
        what = ".size()" if spec.y is None else f"[{spec.y!r}].{spec.agg}()"
        lines = [f"series = df.groupby({key}){what}",
                 f"series.plot(kind={spec.kind!r}, {labels})"]
    elif spec.kind == "line":
        lines = [f"data = df[[{spec.x!r}, {spec.y!r}]].dropna().sort_values({spec.x!r})",
                 f"data.plot(x={spec.x!r}, y={spec.y!r}, kind=\"line\")"]
    elif spec.kind == "scatter":
        lines = [f"data = df[[{spec.x!r}, {spec.y!r}]].dropna()",
                 f"data.plot(kind=\"scatter\", x={spec.x!r}, y={spec.y!r}, s=4)"]
    elif spec.kind == "histogram":
        lines = [f"data = df[{spec.x!r}].dropna()",
                 f"data.plot(kind=\"hist\", bins={int(spec.bins)}, xlabel={spec.x!r})"]
    elif spec.x:
        lines = [f"data = df[[{spec.y!r}]].assign(group={key if spec.time_part else f'df[{spec.x!r}]'})",
                 f"data.boxplot(column={spec.y!r}, by=\"group\")"]
    else:
        lines = [f"data = df[{spec.y!r}].dropna()", "data.plot(kind=\"box\")"]
    return "\n".join(["import matplotlib.pyplot as plt", "", *lines, "plt.show()"])
