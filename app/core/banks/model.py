"""What a question bank file says, before it becomes a quiz question: close to the source format, so
a parse can be compared with other parsers' (GIFT-grammar-PEG.js's expected parses) field by field."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FORMATS = ("moodle", "html", "plain", "markdown")  # GIFT's [format] markers; Moodle's default is "moodle"

# The kinds a bank question can have (Moodle's names); essays and descriptions are reported, not kept.
MULTICHOICE, TRUEFALSE, SHORTANSWER, NUMERICAL, MATCHING = (
    "multichoice", "truefalse", "shortanswer", "numerical", "matching")


@dataclass(frozen=True)
class Text:
    text: str
    format: str = "moodle"  # one of FORMATS; "html" and "moodle" text may hold HTML


@dataclass(frozen=True)
class Answer:
    """A choice of a multiple-choice question or an accepted short answer."""

    text: Text
    correct: bool  # written with '=' (True) or '~' (False)
    weight: float | None  # the %percent% written before it, or None
    feedback: Text | None  # None when there was no '#'
    line: int


@dataclass(frozen=True)
class NumberAnswer:
    """One accepted number: "simple" (1822), "range" (1822:2, value and tolerance) or "high-low"
    (3.141..3.142), as GIFT-grammar-PEG.js names them; "any" is Moodle's '*' (every other number)."""

    kind: str
    number: Decimal | None = None  # simple, range
    tolerance: Decimal | None = None  # range
    low: Decimal | None = None  # high-low
    high: Decimal | None = None  # high-low
    weight: float | None = None
    feedback: Text | None = None
    line: int = 0


@dataclass(frozen=True)
class Pair:
    left: Text  # empty for an extra right-hand answer (a distractor)
    right: str
    feedback: Text | None
    line: int


@dataclass(frozen=True)
class BankQuestion:
    kind: str  # MULTICHOICE, TRUEFALSE, SHORTANSWER, NUMERICAL or MATCHING
    line: int  # where the question starts in the file, 1-based
    stem: Text
    title: str | None = None
    category: str | None = None  # the bank category it was filed under ($CATEGORY:), as written
    embedded: bool = False  # the answers sat inside the text; "_____" stands for them in the stem
    general_feedback: Text | None = None  # GIFT '####...': shown after any answer
    single: bool = True  # multichoice: one answer is right ('='), rather than several with weights
    answers: tuple[Answer, ...] = ()  # multichoice, shortanswer
    numbers: tuple[NumberAnswer, ...] = ()  # numerical
    pairs: tuple[Pair, ...] = ()  # matching
    truth: bool | None = None  # truefalse
    feedback_wrong: Text | None = None  # truefalse: for the wrong answer; numerical: for any other number
    feedback_right: Text | None = None  # truefalse: for the right answer
