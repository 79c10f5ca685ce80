"""GIFT, Moodle's plain-text question format, read question by question with line numbers.

The rules are those of Moodle's own importer (question/format/gift/format.php), which defines the
format in practice: questions are separated by blank lines; a line starting with // is a comment;
`$CATEGORY: name` files the questions after it under a category; `::title::` names a question and a
leading `[html]` (or moodle, plain, markdown) gives a text's format; the answers sit in one `{...}`
and what is inside decides the type. A backslash escapes ~ = # { } : and itself; \\n is a new line.

A question that cannot be read becomes a Problem at its line and the next one is read. The scanner
uses str methods and regular expressions without nested repetition, so no input can make it slow.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from app.core.banks.model import (
    FORMATS,
    MATCHING,
    MULTICHOICE,
    NUMERICAL,
    SHORTANSWER,
    TRUEFALSE,
    Answer,
    BankQuestion,
    NumberAnswer,
    Pair,
    Text,
)
from app.core.i18n import _
from app.core.problems import Problem

# An escaped character becomes a lone surrogate while the question is cut up, so that it is never
# taken for syntax; lone surrogates cannot come from a decoded file (and are replaced if passed in).
_ESCAPES = {":": "\ud800", "#": "\ud801", "=": "\ud802", "{": "\ud803", "}": "\ud804", "~": "\ud805",
            "n": "\ud806", "\\": "\ud807"}
_RESTORE = str.maketrans({held: ("\n" if char == "n" else char) for char, held in _ESCAPES.items()})
_ESCAPE = re.compile(r"\\([:#={}~n\\])")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # ASCII white space only: a no-break space is kept, as in the source
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
BLANK = "_____"  # stands for the answers when they sit inside the question text


def parse_gift(text: str, file: str) -> tuple[list[BankQuestion], list[Problem]]:
    """Every question of a GIFT file that can be read, and a Problem for each one that cannot."""
    text = _SURROGATE.sub("\ufffd", text.removeprefix("\ufeff"))
    questions: list[BankQuestion] = []
    problems: list[Problem] = []
    category: str | None = None
    for block in _blocks(text):
        start = 0
        if block.text.startswith("$CATEGORY:"):
            end = block.text.find("\n")
            end = len(block.text) if end < 0 else end
            category = clean(block.text[len("$CATEGORY:"):end]) or None
            if end == len(block.text):
                continue
            start = end + 1  # a question written straight under the category line
        question = _Reader(block, file, problems).question(start, category)
        if question is not None:
            questions.append(question)
    return questions, problems


def clean(raw: str) -> str:
    """Text as the learner sees it: runs of white space made one space, escapes undone."""
    return _SPACES.sub(" ", raw).strip().translate(_RESTORE)


def text_with_format(raw: str, default: str = "moodle") -> Text:
    stripped = raw.strip()
    if stripped.startswith("["):
        end = stripped.find("]")
        if end > 0 and stripped[1:end] in FORMATS:
            return Text(clean(stripped[end + 1:]), stripped[1:end])
    return Text(clean(stripped), default)


# ------------------------------------------------------------------------------------------ blocks

@dataclass
class _Block:
    """One question's lines (comments left out, escapes held), joined by new lines."""

    text: str
    starts: list[int]  # offset of each line in text
    numbers: list[int]  # its line number in the file

    @classmethod
    def of(cls, lines: list[tuple[int, str]]) -> _Block:
        starts, offset = [], 0
        for _number, line in lines:
            starts.append(offset)
            offset += len(line) + 1
        return cls("\n".join(line for _number, line in lines), starts, [number for number, _line in lines])

    def line_at(self, offset: int) -> int:
        return self.numbers[max(bisect_right(self.starts, offset) - 1, 0)]


def _blocks(text: str) -> Iterator[_Block]:
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        line = raw.strip()
        if not line:
            if lines:
                yield _Block.of(lines)
                lines = []
        elif not line.startswith("//"):
            lines.append((number, _ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], line)))
    if lines:
        yield _Block.of(lines)


# ---------------------------------------------------------------------------------------- questions

class _Failed(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message, self.line = message, line


class _Reader:
    def __init__(self, block: _Block, file: str, problems: list[Problem]):
        self.block, self.file, self.problems = block, file, problems

    def question(self, start: int, category: str | None) -> BankQuestion | None:
        try:
            return self._question(start, category)
        except _Failed as failed:
            self.problems.append(Problem(self.file, failed.line, failed.message))
            return None

    def _question(self, pos: int, category: str | None) -> BankQuestion:
        text, line = self.block.text, self.block.line_at(pos)
        title = None
        if text.startswith("::", pos):
            end = text.find("::", pos + 2)
            if end < 0:
                raise _Failed(_("The question's title starts with '::' but has no closing '::'."), line)
            title = clean(text[pos + 2:end])
            pos = end + 2
        opening, closing = text.find("{", pos), text.find("}", pos)
        if opening < 0 and closing < 0:
            raise _Failed(_("This text has no answers in braces {...}, so Moodle would make it a description; "
                            "a quiz here has no descriptions, so it was not imported."), line)
        if opening < 0 or closing < opening:
            raise _Failed(_("The braces do not match: '{' opens the answers and '}' closes them. Write \\{ or "
                            "\\} for a brace in the text."), self.block.line_at(closing if opening < 0 else opening))
        after = text[closing + 1:]
        if "{" in after or "}" in after:
            raise _Failed(_("A question has one set of answers in braces; this one has another brace after them. "
                            "Separate questions with a blank line, and write \\{ or \\} for a brace in the "
                            "text."), self.block.line_at(closing + 1 + min(i for i in (after.find("{"),
                                                                                         after.find("}")) if i >= 0)))
        embedded = bool(after.strip())
        stem = text_with_format(f"{text[pos:opening]} {BLANK} {after}" if embedded else text[pos:opening])
        answers, at = text[opening + 1:closing], opening + 1
        general = None
        cut = answers.rfind("####")
        if cut >= 0:
            general = text_with_format(answers[cut + 4:], stem.format)
            answers = answers[:cut]
        common = dict(line=line, stem=stem, title=title, category=category, embedded=embedded,
                      general_feedback=general)
        body = answers.strip()
        if not body:
            raise _Failed(_("Empty braces {} make an essay question, which a person has to mark; quizzes here "
                            "mark answers themselves, so it was not imported."), line)
        if body[0] == "#":
            return self._numerical(answers, at, stem.format, common)
        if "~" in body:
            return self._multichoice(answers, at, stem.format, common)
        if "=" in body and self._has_pairs(answers, at):
            return self._matching(answers, at, stem.format, common)
        hash_at = body.find("#")
        if (body[:hash_at].strip() if hash_at > 0 else body) in ("T", "TRUE", "F", "FALSE"):
            parts = body.split("#", 2)
            return BankQuestion(TRUEFALSE, **common, truth=parts[0].strip() in ("T", "TRUE"),
                                feedback_wrong=text_with_format(parts[1], stem.format) if len(parts) > 1 else None,
                                feedback_right=text_with_format(parts[2], stem.format) if len(parts) > 2 else None)
        return self._short(answers, at, stem.format, common)

    # -------------------------------------------------------------------------------- each type

    def _multichoice(self, answers: str, at: int, fmt: str, common: dict) -> BankQuestion:
        found = []
        for marker, content, offset in self._pieces(answers, at, "~="):
            weight, rest = self._weight(content, offset)
            text, feedback = _feedback(rest, fmt)
            found.append(Answer(text_with_format(text, fmt), marker == "=", weight, feedback,
                                self.block.line_at(offset)))
        if len(found) < 2:
            raise _Failed(_("A multiple-choice question needs at least two answers (found {n}).").format(n=len(found)),
                          common["line"])
        # Moodle's rule: one answer marked '=' makes it single choice; only '~' answers, several with weights.
        single = any(a.correct for a in found)
        return BankQuestion(MULTICHOICE, **common, single=single, answers=tuple(found))

    def _short(self, answers: str, at: int, fmt: str, common: dict) -> BankQuestion:
        found = []
        for _marker, content, offset in self._pieces(answers, at, "="):
            weight, rest = self._weight(content, offset)
            text, feedback = _feedback(rest, fmt)
            found.append(Answer(text_with_format(text, fmt), True, weight, feedback, self.block.line_at(offset)))
        return BankQuestion(SHORTANSWER, **common, answers=tuple(found))

    def _has_pairs(self, answers: str, at: int) -> bool:
        """Matching when an answer holds '->' before its feedback ('#'): a short answer's feedback may say
        "see lesson 2 -> section 3". (An accepted answer that is itself '->' cannot be told from a pair, in
        Moodle's reading too.)"""
        return any("->" in content.split("#", 1)[0] for _marker, content, _offset in self._pieces(answers, at, "="))

    def _matching(self, answers: str, at: int, fmt: str, common: dict) -> BankQuestion:
        pairs = []
        for _marker, content, offset in self._pieces(answers, at, "="):
            line = self.block.line_at(offset)
            arrow = content.find("->")
            if arrow < 0:
                raise _Failed(_("A matching pair needs '->' between an item and its match, as in "
                                "'=Canada -> Ottawa'."), line)
            right, feedback = _feedback(content[arrow + 2:], fmt)
            pairs.append(Pair(text_with_format(content[:arrow], fmt), clean(right), feedback, line))
        if len(pairs) < 2:
            raise _Failed(_("A matching question needs at least two pairs (found {n}).").format(n=len(pairs)),
                          common["line"])
        return BankQuestion(MATCHING, **common, pairs=tuple(pairs))

    def _numerical(self, answers: str, at: int, fmt: str, common: dict) -> BankQuestion:
        hash_at = answers.find("#")
        spec, at = answers[hash_at + 1:], at + hash_at + 1
        wrong = None
        tilde = spec.find("~")
        if tilde >= 0:  # Moodle: '~' starts the feedback for every other number
            wrong = _feedback(spec[tilde + 1:], fmt)[1]
            spec = spec[:tilde]
        numbers = []
        for _marker, content, offset in self._pieces(spec, at, "="):
            line = self.block.line_at(offset)
            weight, rest = self._weight(content, offset)
            written, feedback = _feedback(rest, fmt)
            numbers.append(_number_answer(clean(written), weight, feedback, line))
        if not numbers:
            raise _Failed(_("A numerical question needs a number, as in {#1822}, {#3.14:0.01} or {#1..5}."),
                          common["line"])
        return BankQuestion(NUMERICAL, **common, numbers=tuple(numbers), feedback_wrong=wrong)

    # ------------------------------------------------------------------------------------ pieces

    def _pieces(self, text: str, at: int, markers: str) -> list[tuple[str, str, int]]:
        """`text` cut before each marker: (marker, what follows it, offset of the first non-space).
        Text before the first marker is an answer too when it is not blank, as Moodle reads it."""
        found: list[tuple[str, str, int]] = []
        marker, start = "", 0
        for match in re.finditer(f"[{re.escape(markers)}]", text):
            found.append((marker, text[start:match.start()], start))
            marker, start = match.group(), match.end()
        found.append((marker, text[start:], start))
        if not found[0][1].strip():
            found.pop(0)
        return [(m, content, at + offset + len(content) - len(content.lstrip())) for m, content, offset in found]

    def _weight(self, content: str, offset: int) -> tuple[float | None, str]:
        """The %percent% at the start of an answer, and the rest of it."""
        stripped = content.lstrip()
        if not stripped.startswith("%"):
            return None, stripped
        end = stripped.find("%", 1)
        line = self.block.line_at(offset)
        if end < 0:
            raise _Failed(_("The weight at '{text}' has no closing '%'; write a percentage such as %50%.").format(
                text=clean(stripped)[:40]), line)
        raw = clean(stripped[1:end])
        if not _NUMBER.fullmatch(raw):
            raise _Failed(_("The weight '%{weight}%' is not a number; write a percentage such as %50% or "
                            "%-25%.").format(weight=raw[:40]), line)
        value = float(raw)
        if not -100 <= value <= 100:
            raise _Failed(_("The weight {weight} % is outside -100 % to 100 %.").format(weight=raw[:40]), line)
        return value, stripped[end + 1:]


def _feedback(content: str, fmt: str) -> tuple[str, Text | None]:
    """An answer and its '#feedback' (None when there is no '#')."""
    hash_at = content.find("#")
    if hash_at < 0:
        return content, None
    return content[:hash_at], text_with_format(content[hash_at + 1:], fmt)


def _number_answer(written: str, weight: float | None, feedback: Text | None, line: int) -> NumberAnswer:
    common = dict(weight=weight, feedback=feedback, line=line)
    if written == "*":
        return NumberAnswer("any", **common)
    dots, colon = written.find(".."), written.find(":")
    if dots > 0:
        low, high = _decimal(written[:dots], line), _decimal(written[dots + 2:], line)
        if low > high:
            raise _Failed(_("The range {text} runs backwards; write the lower number first.").format(text=written),
                          line)
        return NumberAnswer("high-low", low=low, high=high, **common)
    if colon > 0:
        tolerance = _decimal(written[colon + 1:], line)
        if tolerance < 0:
            raise _Failed(_("The margin of error in {text} is negative; write it as a positive number.").format(
                text=written), line)
        return NumberAnswer("range", number=_decimal(written[:colon], line), tolerance=tolerance, **common)
    return NumberAnswer("simple", number=_decimal(written, line), **common)


def _decimal(written: str, line: int) -> Decimal:
    raw = written.strip()
    if _NUMBER.fullmatch(raw):
        try:
            value = Decimal(raw)
            if value.is_finite() and abs(value.adjusted()) < 100:
                return value
        except InvalidOperation:
            pass
    raise _Failed(_("'{text}' is not a number a numerical answer can use (such as 1822, -3.5 or 1e3).").format(
        text=raw[:40]), line)
