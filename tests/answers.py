"""Right and wrong responses for any quiz question, shared by core and UI tests."""

from __future__ import annotations

from app.core.course.quiz import Matching, MultipleChoice, Numerical, ShortAnswer, SingleChoice, TrueFalse


def right_answer(question):
    """The full-marks response for any question type."""
    if isinstance(question, SingleChoice):
        return question.correct_index
    if isinstance(question, MultipleChoice):
        return frozenset(i for i, c in enumerate(question.choices) if c.weight > 0)
    if isinstance(question, TrueFalse):
        return question.answer
    if isinstance(question, ShortAnswer):
        return max(question.answers, key=lambda a: a.weight).accepted[0]
    if isinstance(question, Numerical):
        best = max(question.answers, key=lambda a: a.weight)
        return str(best.low)
    if isinstance(question, Matching):
        return {i: i for i in range(len(question.pairs))}
    raise AssertionError(question)


def wrong_answer(question):
    if isinstance(question, SingleChoice):
        return next(i for i, c in enumerate(question.choices) if c.weight <= 0)
    if isinstance(question, MultipleChoice):
        return frozenset(i for i, c in enumerate(question.choices) if c.weight <= 0) or frozenset({0})
    if isinstance(question, TrueFalse):
        return not question.answer
    if isinstance(question, ShortAnswer):
        return "certainly not this"
    if isinstance(question, Numerical):
        return "-987654"
    if isinstance(question, Matching):
        n = len(question.pairs)
        return {i: (i + 1) % n for i in range(n)}
    raise AssertionError(question)
