"""A quiz of the course format written as GIFT, for Moodle or any tool that reads it, and so that
importing the result gives the same questions back (type, texts, answers, weights, feedback, pool).

Written as Moodle's exporter writes (question/format/gift/format.php): one question per block,
'::id::' as its name, answers one per line, '####' for the explanation, '$CATEGORY:' before each
pool. Points and case_sensitive have no GIFT equivalent and are not written.
"""

from __future__ import annotations

from decimal import Decimal

from app.core.banks.gift import BLANK, clean
from app.core.course.quiz import (
    AnyQuestion,
    Matching,
    MultipleChoice,
    Numerical,
    Quiz,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)

_RESERVED = str.maketrans({"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:",
                           "\n": "\\n", "\r": ""})
TOP = "$course$/top"


def quiz_to_gift(quiz: Quiz) -> str:
    blocks = []
    pool = ""
    for question in quiz.questions:
        if question.pool != pool:
            pool = question.pool
            blocks.append(f"$CATEGORY: {TOP}/{_escape(pool)}" if pool else f"$CATEGORY: {TOP}")
        blocks.append(question_to_gift(question))
    return "\n\n".join(blocks) + "\n"


def question_to_gift(question: AnyQuestion) -> str:
    lines = [f"\t{line}" for line in _answers(question)]
    if question.explanation:
        lines.append("\t####" + text(question.explanation))
    block = "{" + ("#" if isinstance(question, Numerical) else "") + "\n" + "\n".join(lines) + "\n}"
    prompt = question.prompt
    marker = "[plain]" if _needs_plain(prompt) else ""
    # A question imported with its answers inside the text ("Grant is _____ in Grant's tomb.") gets them back there.
    before, _blank, after = prompt.partition(BLANK)
    if prompt.count(BLANK) == 1 and after.strip() and clean(f"{before} {BLANK} {after}") == prompt:
        body = f"{marker}{_escape(before)}{block}{_escape(after)}"
    else:
        body = f"{marker}{_escape(prompt)}{block}"
    return f"::{question.id}::{body}"


def text(value: str) -> str:
    """A text as GIFT: control characters escaped, and '[plain]' first when needed."""
    return ("[plain]" if _needs_plain(value) else "") + _escape(value)


def _needs_plain(value: str) -> bool:
    """Moodle's default format is HTML-ish, so '<' or '&' would be read as markup; a text starting with '['
    could be read as a format marker."""
    return "<" in value or "&" in value or value.lstrip().startswith("[")


def _escape(value: str) -> str:
    return value.translate(_RESERVED)


def _answers(question: AnyQuestion) -> list[str]:
    if isinstance(question, SingleChoice):
        return [_choice("=" if c.weight == 100 else "~", c.weight if c.weight not in (0, 100) else None, c.text,
                        c.feedback) for c in question.choices]
    if isinstance(question, MultipleChoice):
        return [_choice("~", c.weight or None, c.text, c.feedback) for c in question.choices]
    if isinstance(question, TrueFalse):
        right, wrong = ((question.feedback_true, question.feedback_false) if question.answer
                        else (question.feedback_false, question.feedback_true))
        line = "TRUE" if question.answer else "FALSE"
        if wrong or right:
            line += "#" + text(wrong)
        if right:
            line += "#" + text(right)
        return [line]
    if isinstance(question, ShortAnswer):
        lines = [_choice("=", a.weight if a.weight != 100 else None, a.accepted[0], a.feedback)
                 for a in question.answers]
        if question.feedback_wrong:
            lines.append("=%0%*#" + text(question.feedback_wrong))
        return lines
    if isinstance(question, Numerical):
        lines = []
        for a in question.answers:
            # Moodle writes value:tolerance; halving a decimal is exact, so the range comes back the same.
            middle, margin = (a.low + a.high) / 2, (a.high - a.low) / 2
            written = _decimal(a.low) if a.low == a.high else f"{_decimal(middle)}:{_decimal(margin)}"
            lines.append(f"={_weight(a.weight) if a.weight != 100 else ''}{written}"
                         + (f"#{text(a.feedback)}" if a.feedback else ""))
        if question.feedback_wrong:
            lines.append("~#" + text(question.feedback_wrong))
        return lines
    if isinstance(question, Matching):
        return [f"={text(p.left)} -> {_escape(p.right)}" + (f"#{text(p.feedback)}" if p.feedback else "")
                for p in question.pairs]
    raise TypeError(f"no GIFT for {type(question).__name__}")  # pragma: no cover - every type is above


def _choice(marker: str, weight: float | None, value: str, feedback: str) -> str:
    # An explicit weight also keeps a text that starts with '%' from being read as one.
    if weight is None and value.lstrip().startswith("%"):
        weight = 100.0 if marker == "=" else 0.0
    return (marker + (_weight(weight) if weight is not None else "") + text(value)
            + (f"#{text(feedback)}" if feedback else ""))


def _weight(weight: float) -> str:
    return f"%{int(weight) if float(weight).is_integer() else repr(float(weight))}%"


def _decimal(value: Decimal) -> str:
    written = format(value.normalize(), "f")
    return "0" if written in ("-0", "0") else written
