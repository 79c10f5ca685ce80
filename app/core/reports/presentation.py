"""How a Report reads on a screen: each cell's text in the current language, a key to sort it by, and the
series the report's charts draw. Everything here is taken from the Report's own cells, as CSV and XLSX
are (export.py), so the screen, its charts and the files show the same numbers: percentages keep the
report's one decimal (85.3 in the CSV is 85.3% on screen, "85,3 %" in French), whole numbers stay whole,
dates keep their day and times their second. Only the way of writing them follows the language.

No Qt: the Reports screen renders these strings and series, a test holds them to the files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.core import formatting
from app.core.i18n import _, current_locale
from app.core.reports.model import BOOLEAN, DATE, DATETIME, INTEGER, PERCENT, Cell, Column, Report

NUMERIC = (INTEGER, PERCENT)
MISSING = float("-inf")  # an empty number sorts before every number


def cell_text(value: Cell, column: Column) -> str:
    """`value` of `column` as the screen shows it (an empty cell: "")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")  # the CSV's own words
    if column.kind == PERCENT and isinstance(value, (int, float)):
        return formatting.percent(value, 1)
    if column.kind == INTEGER and isinstance(value, (int, float)):
        return formatting.number(value)
    if isinstance(value, dt.datetime):
        return datetime_text(value)
    if isinstance(value, dt.date):
        return formatting.date(value)
    return str(value)


def datetime_text(value: dt.datetime) -> str:
    """A local time to the second, the date written as formatting.date writes it: "March 2, 2026, 9:05:00 AM"."""
    from babel.dates import format_time, get_datetime_format

    locale = current_locale()
    time = format_time(value.time(), format="medium", locale=locale)
    pattern = str(get_datetime_format("medium", locale=locale)).replace("'", "")
    return pattern.replace("{1}", formatting.date(value.date())).replace("{0}", time)


def sort_key(value: Cell, column: Column) -> float | str:
    """What a column sorts by: numbers by value, dates by time, text as text (empty cells first)."""
    if column.kind in NUMERIC or column.kind == BOOLEAN or isinstance(value, bool):
        if value is None:
            return MISSING
        return float(value)
    if column.kind in (DATE, DATETIME):
        return "" if value is None else value.isoformat()
    return "" if value is None else str(value)


def is_number(column: Column) -> bool:
    return column.kind in NUMERIC


# -- the charts' series: read from the tables, never computed beside them

@dataclass(frozen=True)
class StatusCounts:
    """One course's learners by status, each counted once: completed; else overdue; else in progress
    (started); else not started. From the "learners" table's started/completed/overdue cells."""

    course_id: str
    title: str
    completed: int
    in_progress: int
    not_started: int
    overdue: int

    @property
    def total(self) -> int:
        return self.completed + self.in_progress + self.not_started + self.overdue


def learners_by_status(report: Report) -> list[StatusCounts]:
    """In the order of the "courses" table."""
    counts: dict[str, list[int]] = {}
    for row in report.table("learners").records():
        slot = counts.setdefault(row["course"], [0, 0, 0, 0])
        if row["completed"]:
            slot[0] += 1
        elif row["overdue"]:
            slot[3] += 1
        elif row["started"]:
            slot[1] += 1
        else:
            slot[2] += 1
    return [StatusCounts(course["course"], course["title"], *counts.get(course["course"], [0, 0, 0, 0]))
            for course in report.table("courses").records()]


@dataclass(frozen=True)
class QuestionBar:
    course_id: str
    quiz: str
    question_id: str
    question: str  # the prompt, in the quiz's words
    share_correct: float  # the table's cell: one decimal
    correct: int
    answers: int


def hardest_questions(report: Report) -> list[QuestionBar]:
    """Every question someone answered, the lowest share of right answers first (more answers first on a
    tie, then the report's order)."""
    bars = [QuestionBar(row["course"], row["quiz"], row["question_id"], row["question"], row["share_correct"],
                        row["correct"], row["answers"])
            for row in report.table("questions").records() if row["share_correct"] is not None]
    ranked = sorted(enumerate(bars), key=lambda pair: (pair[1].share_correct, -pair[1].answers, pair[0]))
    return [bar for _index, bar in ranked]


@dataclass(frozen=True)
class WeekPoint:
    week: dt.date  # the Monday
    completed: int
    cumulative: int


def completions_by_week(report: Report) -> dict[str, list[WeekPoint]]:
    """Course id -> its weeks with a completion, oldest first (the "completions_by_week" table)."""
    series: dict[str, list[WeekPoint]] = {}
    for row in report.table("completions_by_week").records():
        series.setdefault(row["course"], []).append(WeekPoint(row["period"], row["completed"], row["cumulative"]))
    for points in series.values():
        points.sort(key=lambda point: point.week)
    return series
