"""Bank questions become questions of the course format (courses/README.md, "Quizzes"), as the
mappings a *.quiz.yaml holds. Each one is then checked by the course loader's quiz parser, so a
question that `course check` would refuse is reported here, with the same message, at its line in
the bank file, and left out.

Moodle multichoice with an '=' answer -> single (partial credit kept as `weight`); with only '~'
answers -> multiple; truefalse -> true_false; shortanswer -> short ('*' -> feedback_wrong);
numerical -> numerical (value, value:tolerance, min..max; '~' or '*' -> feedback_wrong); matching
-> matching; general feedback (####) -> explanation; $CATEGORY -> pool.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from app.core.banks.model import (
    MATCHING,
    MULTICHOICE,
    NUMERICAL,
    SHORTANSWER,
    TRUEFALSE,
    BankQuestion,
    Text,
)
from app.core.banks.plaintext import plain
from app.core.course.yamlfields import ID_PATTERN
from app.core.i18n import _
from app.core.problems import Problem


class _Skip(Exception):
    pass


def quiz_questions(bank: list[BankQuestion], file: str, problems: list[Problem]) -> list[dict[str, Any]]:
    """The questions of the course format, in order; what cannot be kept is added to `problems`."""
    from app.core.banks.quiz_file import check_questions  # here: quiz_file imports this module

    out: list[dict[str, Any]] = []
    used: dict[str, int] = {}  # id -> the next number to try after it
    for number, question in enumerate(bank, start=1):
        notes: list[tuple[int, str]] = []
        try:
            mapped = _Mapper(question, notes).mapped()
        except _Skip as skip:
            problems.append(Problem(file, question.line, str(skip)))
            continue
        mapped = {"id": _unique_id(question, mapped["prompt"], number, used), **mapped}
        refused = check_questions([mapped])
        if refused:
            problems.extend(Problem(file, question.line, message) for message in refused)
            continue
        used.setdefault(mapped["id"], 2)
        out.append(mapped)
        problems.extend(Problem(file, line, note) for line, note in notes)
    return out


class _Mapper:
    def __init__(self, question: BankQuestion, notes: list[tuple[int, str]]):
        self.q, self.notes = question, notes

    def text(self, text: Text | None, line: int = 0) -> str:
        out, images = plain(text)
        out = printable(out)
        for source in images:
            self.notes.append((line or self.q.line, _(
                "The image '{source}' was left out (a quiz question here shows text only); its description, if "
                "any, stays in the text.").format(source=source)))
        return out

    def mapped(self) -> dict[str, Any]:
        q = self.q
        prompt = self.text(q.stem) or printable(q.title or "")
        if not prompt:
            raise _Skip(_("The question has no text."))
        out: dict[str, Any] = {"type": "", "prompt": prompt}
        pool = printable(pool_name(q.category))
        if pool:
            out["pool"] = pool
        explanation = self.text(q.general_feedback)
        if explanation:
            out["explanation"] = explanation
        kind = {MULTICHOICE: self._choices, TRUEFALSE: self._true_false, SHORTANSWER: self._short,
                NUMERICAL: self._numerical, MATCHING: self._matching}[q.kind]
        out.update(kind())
        return out

    def _choices(self) -> dict[str, Any]:
        choices = []
        for answer in self.q.answers:
            choice: dict[str, Any] = {"text": self.text(answer.text, answer.line)}
            if self.q.single:
                weight = (100.0 if answer.correct else 0.0) if answer.weight is None else answer.weight
                if weight == 100:
                    choice["correct"] = True
                elif weight:
                    choice["weight"] = _number(weight)
            elif answer.weight:
                choice["weight"] = _number(answer.weight)
            _put(choice, "feedback", self.text(answer.feedback, answer.line))
            choices.append(choice)
        return {"type": "single" if self.q.single else "multiple", "choices": choices}

    def _true_false(self) -> dict[str, Any]:
        right, wrong = self.text(self.q.feedback_right), self.text(self.q.feedback_wrong)
        out: dict[str, Any] = {"type": "true_false", "answer": bool(self.q.truth)}
        _put(out, "feedback_true", right if self.q.truth else wrong)
        _put(out, "feedback_false", wrong if self.q.truth else right)
        return out

    def _short(self) -> dict[str, Any]:
        answers, wrong = [], ""
        for answer in self.q.answers:
            text, feedback = self.text(answer.text, answer.line), self.text(answer.feedback, answer.line)
            if text == "*":  # Moodle: any other answer
                if answer.weight:
                    self.notes.append((answer.line, _("The answer '*' that accepts anything was left out.")))
                else:
                    wrong = wrong or feedback
                continue
            if "*" in text:
                self.notes.append((answer.line, _("'*' in the answer '{text}' is compared as written here, not "
                                                  "as a wildcard.").format(text=text)))
            item: dict[str, Any] = {"text": text}
            if answer.weight is not None and answer.weight != 100:
                item["weight"] = _number(answer.weight)
            _put(item, "feedback", feedback)
            answers.append(item)
        out: dict[str, Any] = {"type": "short", "answers": answers}
        _put(out, "feedback_wrong", wrong)
        return out

    def _numerical(self) -> dict[str, Any]:
        answers, wrong = [], self.text(self.q.feedback_wrong)
        for number in self.q.numbers:
            feedback = self.text(number.feedback, number.line)
            if number.kind == "any":
                if number.weight:
                    self.notes.append((number.line, _("The answer '*' that accepts any number was left out.")))
                else:
                    wrong = wrong or feedback
                continue
            if number.kind == "high-low":
                item: dict[str, Any] = {"min": _number(number.low), "max": _number(number.high)}
            else:
                item = {"value": _number(number.number)}
                if number.kind == "range":
                    item["tolerance"] = _number(number.tolerance)
            if number.weight is not None and number.weight != 100:
                item["weight"] = _number(number.weight)
            _put(item, "feedback", feedback)
            answers.append(item)
        out: dict[str, Any] = {"type": "numerical", "answers": answers}
        _put(out, "feedback_wrong", wrong)
        return out

    def _matching(self) -> dict[str, Any]:
        pairs = []
        for pair in self.q.pairs:
            left = self.text(pair.left, pair.line)
            if not left:
                self.notes.append((pair.line, _("The extra answer '{right}', with no item to match, was left out: a "
                                                "matching question here pairs every answer with an item.").format(
                    right=pair.right)))
                continue
            item: dict[str, Any] = {"left": left, "right": printable(pair.right)}
            _put(item, "feedback", self.text(pair.feedback, pair.line))
            pairs.append(item)
        return {"type": "matching", "pairs": pairs}


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")
_BREAKS = re.compile("[\x85\u2028\u2029]")


def printable(text: str) -> str:
    """Without control characters, and YAML's other line breaks as new lines, so that the quiz file
    gives back exactly the text checked here."""
    return _BREAKS.sub("\n", _CONTROLS.sub("", text)).strip()


def pool_name(category: str | None) -> str:
    """A Moodle category as a pool name: '$course$/top/Unit 1' -> 'Unit 1'; the top category -> ''."""
    name = (category or "").strip()
    if name.startswith("$"):
        end = name.find("$", 1)
        if end > 0:
            name = name[end + 1:].lstrip("/")
    parts = [part.strip() for part in name.split("/") if part.strip()]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(parts)


def slug(text: str, limit: int = 48) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(words) > limit:
        words = words[:limit + 1]
        words = words[:words.rfind("-")] if "-" in words else words[:limit]
    return words.strip("-")


def _unique_id(question: BankQuestion, prompt: str, number: int, used: dict[str, int]) -> str:
    title = (question.title or "").strip()
    base = title if ID_PATTERN.fullmatch(title) else (slug(title) or slug(prompt) or f"q-{number}")
    candidate, base = base, base[:56]  # room for a number after it, within an id's 64 characters
    while candidate in used:  # counting on from the last number given keeps a bank of 5,000 "q" quick
        n = used[base]
        used[base] = n + 1
        candidate = f"{base}-{n}"
    return candidate


def _number(value: float | Decimal | None) -> int | float:
    """As YAML should show it: 1822, not 1822.0; exact for what banks hold (a few decimals)."""
    value = Decimal(0) if value is None else Decimal(str(value))
    if value == value.to_integral_value() and abs(value) < 10 ** 15:
        return int(value)
    return float(value)


def _put(mapping: dict[str, Any], key: str, text: str) -> None:
    if text:
        mapping[key] = text
