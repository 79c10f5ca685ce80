"""The hours-saved estimate (engine/savings.py): the arithmetic, where the numbers come from, and the
formula and code the learner sees."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from labs.automation.engine.savings import (DECISIONS, DEFAULT_HOURS_PER_FTE, LETTERS, ROUTING, SavingsInputs, Stream,
                                            estimate, formula_lines, savings_code, stream_hours)

MEASURED = {DECISIONS: {"per_year": 2000.0, "share": 0.75}, ROUTING: {"per_year": None, "share": None},
            LETTERS: {"per_year": 1900.0, "share": 1.0}}


def test_one_stream_by_hand():
    # 2,000 cases × 75% automated × (30 − 6) minutes = 36,000 minutes = 600 hours
    assert stream_hours(2000, 0.75, 30, 6) == pytest.approx(600.0)
    assert stream_hours(1000, 0.5, 5, 8) == pytest.approx(-25.0)  # an automated case taking longer costs hours
    assert stream_hours(0, 1, 30, 6) == 0


def test_the_estimate_adds_the_streams_takes_off_upkeep_and_divides_by_the_working_year():
    inputs = SavingsInputs({DECISIONS: Stream(None, None, 30, 6), ROUTING: Stream(36500, 0.6, 4, 0.5),
                            LETTERS: Stream(None, 0.9, 12, 2)}, upkeep_hours=120, hours_per_fte=1600)
    result = estimate(inputs, MEASURED)
    decisions, routing, letters = (result.stream(n) for n in (DECISIONS, ROUTING, LETTERS))
    assert (decisions.per_year, decisions.share, decisions.per_year_measured, decisions.share_measured) == (
        2000, 0.75, True, True)
    assert decisions.hours == pytest.approx(600.0)
    assert routing.hours == pytest.approx(36500 * 0.6 * 3.5 / 60)  # 1,277.5
    assert (letters.per_year, letters.share, letters.share_measured) == (1900, 0.9, False)
    assert letters.hours == pytest.approx(1900 * 0.9 * 10 / 60)  # 285
    assert result.gross_hours == pytest.approx(600 + 1277.5 + 285)
    assert result.net_hours == pytest.approx(2162.5 - 120)
    assert result.fte == pytest.approx(2042.5 / 1600)
    assert result.missing == ()


def test_missing_minutes_count_nothing_and_are_listed():
    result = estimate(SavingsInputs(), MEASURED)
    assert result.gross_hours == 0 and result.net_hours == 0 and result.fte == 0
    assert result.missing == (DECISIONS, LETTERS)  # routing has no cases a year yet
    assert estimate(SavingsInputs(upkeep_hours=50), MEASURED).net_hours == -50


def test_inputs_round_trip_and_are_read_safely():
    inputs = SavingsInputs().with_stream(ROUTING, per_year=1000, share=0.5, by_hand=4, automated=1)
    inputs = SavingsInputs(inputs.streams, 80, 1700)
    assert SavingsInputs.from_dict(inputs.to_dict()) == inputs
    odd = SavingsInputs.from_dict({"streams": {DECISIONS: {"per_year": -5, "share": 1.7, "by_hand": "x",
                                                           "automated": ""}},
                                   "upkeep_hours": "lots", "hours_per_fte": 0})
    assert odd.stream(DECISIONS) == Stream(0.0, 1.0, None, None)
    assert odd.upkeep_hours == 0 and odd.hours_per_fte == DEFAULT_HOURS_PER_FTE
    assert SavingsInputs.from_dict(None) == SavingsInputs()
    assert SavingsInputs().stream("unknown") == Stream()


def test_the_formula_shows_the_learners_numbers():
    inputs = SavingsInputs({DECISIONS: Stream(None, None, 30, 6), ROUTING: Stream(), LETTERS: Stream()},
                           upkeep_hours=100, hours_per_fte=1600)
    lines = formula_lines(estimate(inputs, MEASURED))
    assert lines == ["Applications decided: 2,000 a year × 75.0% automated × (30.0 − 6.0 minutes) ÷ 60 = "
                     "600 hours",
                     "Hours saved = 600 − 100 hours of upkeep = 500 hours a year",
                     "Full-time equivalents = 500 ÷ 1,600 working hours a year = 0.31"]


def test_the_shown_code_computes_the_same_hours():
    inputs = SavingsInputs({DECISIONS: Stream(None, None, 30, 6), ROUTING: Stream(36500, 0.6, 4, 0.5),
                            LETTERS: Stream()}, upkeep_hours=120, hours_per_fte=1650)
    result = estimate(inputs, MEASURED)
    namespace: dict = {}
    with redirect_stdout(io.StringIO()) as printed:
        exec(compile(savings_code(result), "<savings>", "exec"), namespace)  # noqa: S102 - running it is the test
    assert namespace["hours_saved"] == pytest.approx(result.net_hours)
    assert namespace["fte"] == pytest.approx(result.fte)
    assert "'letters': minutes not filled in yet" in savings_code(result)
    assert printed.getvalue().startswith(f"{round(result.net_hours)} hours a year")
