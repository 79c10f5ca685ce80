"""The report as data: named tables of typed cells. Numbers are rounded here, once (percentages to one
decimal), so a screen, a CSV and a workbook that render the same Report show the same values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Union

# Column kinds and the Python values their cells hold (None: empty cell)
TEXT, INTEGER, PERCENT, DATE, DATETIME, BOOLEAN = "text", "integer", "percent", "date", "datetime", "boolean"
Cell = Union[str, int, float, bool, dt.date, dt.datetime, None]


@dataclass(frozen=True)
class Column:
    key: str  # stable, for code and tests: "completion_rate"
    title: str  # translated, for people: "Completion rate (%)"
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    key: str  # stable: "learners"
    title: str  # translated: the sheet's name
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def column(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def values(self, key: str) -> list[Cell]:
        index = self.column(key)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, Cell]]:
        """Each row as {column key: value}: handy for screens and tests."""
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row)) for row in self.rows]


@dataclass(frozen=True)
class Report:
    title: str
    generated_at: dt.datetime  # local time, to the second
    cohort: str | None  # the cohort's name; None: every learner this machine knows
    course_ids: tuple[str, ...]
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    @property
    def table_keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.tables)


def percent(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
