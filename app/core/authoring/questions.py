"""A valid starting point for each question type, with its feedback fields, for "Add question"."""

from __future__ import annotations

from typing import Any

from app.core.i18n import _

TYPES = ("single", "multiple", "true_false", "short", "numerical", "matching")


def template(kind: str, question_id: str = "q1") -> dict[str, Any]:
    """A question of `kind` that passes `course check`; the trainer then writes the real text."""
    base: dict[str, Any] = {"id": question_id, "type": kind, "prompt": _("Write the question here.")}
    if kind == "single":
        base["choices"] = [{"text": _("The right answer"), "correct": True, "feedback": _("Correct.")},
                           {"text": _("A wrong answer"), "feedback": _("Not quite.")}]
    elif kind == "multiple":
        base["choices"] = [{"text": _("A right answer"), "weight": 50, "feedback": _("Yes.")},
                           {"text": _("Another right answer"), "weight": 50, "feedback": _("Yes.")},
                           {"text": _("A wrong answer"), "weight": -100, "feedback": _("No.")}]
    elif kind == "true_false":
        base.update(answer=True, feedback_true=_("Correct."), feedback_false=_("Not quite."))
    elif kind == "short":
        base.update(answers=[{"text": _("answer"), "feedback": _("Correct.")}], feedback_wrong=_("Not quite."))
    elif kind == "numerical":
        base.update(answers=[{"value": 1, "tolerance": 0, "feedback": _("Correct.")}], feedback_wrong=_("Not quite."))
    elif kind == "matching":
        base["pairs"] = [{"left": _("First"), "right": _("Matches the first"), "feedback": _("Right.")},
                         {"left": _("Second"), "right": _("Matches the second")}]
    else:
        raise ValueError(kind)
    return base
