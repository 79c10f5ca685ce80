"""How a report reads on screen (app/core/reports/presentation.py): the number a cell shows is the number
its CSV cell holds — a percentage keeps its one decimal, a count stays whole, a time keeps its second —
written the way the language writes numbers and dates; columns sort by value; the charts' series are the
tables' own cells."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.i18n import set_locale
from app.core.reports.export import csv_cell
from app.core.reports.model import (BOOLEAN, DATE, DATETIME, INTEGER, PERCENT, TEXT, Column, Report, Table, mean,
                                    percent)
from app.core.reports.presentation import (MISSING, cell_text, completions_by_week, datetime_text, hardest_questions,
                                           learners_by_status, sort_key)

SHARE = Column("share", "Share (%)", PERCENT)
COUNT = Column("count", "Count", INTEGER)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_locale("en")


def test_a_percentage_on_screen_is_the_csv_number_with_its_one_decimal():
    set_locale("en")
    for value in [percent(part, whole) for whole in range(1, 40) for part in range(whole + 1)] + [mean([1, 2, 2])]:
        shown = cell_text(value, SHARE)
        assert shown.endswith("%") and shown[-3] == "."  # always one decimal: "50.0%", never "50%"
        assert float(shown[:-1]) == float(csv_cell(value, SHARE)) == value


@pytest.mark.parametrize(("locale", "share", "count", "day"), [
    ("en", "85.3%", "12,345", "March 2, 2026"),
    ("ko", "85.3%", "12,345", "2026년 3월 2일"),
    ("ar", "85.3%", "12,345", "2 مارس 2026"),
    ("fr", "85,3\xa0%", "12\u202f345", "2 mars 2026"),
])
def test_numbers_and_dates_are_written_as_the_language_writes_them(locale, share, count, day):
    set_locale(locale)
    assert cell_text(85.3, SHARE) == share
    assert cell_text(12345, COUNT) == count
    assert cell_text(dt.date(2026, 3, 2), Column("d", "Day", DATE)) == day
    moment = cell_text(dt.datetime(2026, 3, 2, 9, 5, 7), Column("t", "Time", DATETIME))
    assert day in moment and ("9:05:07" in moment or "09:05:07" in moment)  # to the second, as in the CSV
    assert moment == datetime_text(dt.datetime(2026, 3, 2, 9, 5, 7))


def test_empty_cells_yes_no_and_text_read_as_the_csv_writes_them():
    set_locale("en")
    flag = Column("passed", "Passed", BOOLEAN)
    assert [cell_text(v, flag) for v in (True, False, None)] == ["yes", "no", ""]
    assert [csv_cell(v, flag) for v in (True, False, None)] == ["yes", "no", ""]
    assert cell_text(None, SHARE) == cell_text(None, COUNT) == ""
    typed = Column("answer", "Answer", TEXT)
    assert cell_text("=1+1", typed) == "=1+1"  # shown as typed; only the CSV marks it as text for Excel
    assert csv_cell("=1+1", typed) == "'=1+1"


def test_columns_sort_by_value_with_empty_cells_first():
    shares = [33.3, None, 100.0, 5.0]
    assert sorted(shares, key=lambda v: sort_key(v, SHARE)) == [None, 5.0, 33.3, 100.0]
    assert sort_key(None, SHARE) == MISSING
    days = [dt.date(2026, 3, 10), None, dt.date(2026, 1, 2)]
    assert sorted(days, key=lambda v: sort_key(v, Column("d", "Day", DATE))) == [None, dt.date(2026, 1, 2),
                                                                                   dt.date(2026, 3, 10)]
    counts = [10, 9, 100]  # not "10" < "100" < "9"
    assert sorted(counts, key=lambda v: sort_key(v, COUNT)) == [9, 10, 100]


def _report() -> Report:
    courses = Table("courses", "Courses", (Column("course", "Course"), Column("title", "Title"),
                                           Column("enrolled", "Enrolled", INTEGER),
                                           Column("completed", "Completed", INTEGER),
                                           Column("overdue", "Overdue", INTEGER)),
                    (("a", "Course A", 4, 1, 1), ("b", "Course B", 0, 0, 0)))
    learners = Table("learners", "Learners", (Column("course", "Course"), Column("name", "Name"),
                                              Column("started", "Started", BOOLEAN),
                                              Column("completed", "Completed", BOOLEAN),
                                              Column("overdue", "Overdue", BOOLEAN)),
                     (("a", "Kim", True, True, False), ("a", "Lee", True, False, True),
                      ("a", "Park", True, False, False), ("a", "Choi", False, False, False)))
    questions = Table("questions", "Questions", (
        Column("course", "Course"), Column("quiz", "Quiz"), Column("question_id", "Question id"),
        Column("question", "Question"), Column("answers", "Answers", INTEGER), Column("correct", "Correct", INTEGER),
        Column("share_correct", "Share correct (%)", PERCENT)),
        (("a", "Q", "q1", "Easy?", 4, 4, 100.0), ("a", "Q", "q2", "Hard?", 3, 1, 33.3),
         ("a", "Q", "q3", "Unanswered?", 0, 0, None), ("a", "Q", "q4", "Also hard?", 6, 2, 33.3)))
    weeks = Table("completions_by_week", "Completions by week", (
        Column("course", "Course"), Column("period", "Week", DATE), Column("completed", "Completed", INTEGER),
        Column("cumulative", "Completed so far", INTEGER)),
        (("a", dt.date(2026, 3, 2), 1, 1), ("a", dt.date(2026, 3, 16), 2, 3)))
    return Report("r", dt.datetime(2026, 4, 1, 9), None, ("a", "b"), (courses, learners, questions, weeks))


def test_the_charts_series_are_the_tables_cells():
    report = _report()
    first, second = learners_by_status(report)
    assert (first.course_id, first.title, first.completed, first.in_progress, first.not_started, first.overdue) == (
        "a", "Course A", 1, 1, 1, 1)
    courses = report.table("courses").records()
    assert (first.total, first.completed, first.overdue) == (courses[0]["enrolled"], courses[0]["completed"],
                                                             courses[0]["overdue"])
    assert (second.course_id, second.total) == ("b", 0)  # a course nobody is in: still a bar, of nothing
    hardest = hardest_questions(report)
    assert [bar.question_id for bar in hardest] == ["q4", "q2", "q1"]  # a tie: more answers first; unanswered out
    assert [bar.share_correct for bar in hardest] == [33.3, 33.3, 100.0]
    weeks = completions_by_week(report)
    assert [(p.week, p.completed, p.cumulative) for p in weeks["a"]] == [(dt.date(2026, 3, 2), 1, 1),
                                                                         (dt.date(2026, 3, 16), 2, 3)]
