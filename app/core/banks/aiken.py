"""Aiken, the simplest bank format: single-choice questions, one line each, read as Moodle reads it.

    The Moodle project was started by:
    A) Petr Skoda
    B) Martin Dougiamas
    ANSWER: B

A line that is not a choice ('A)' or 'A.', then the text) nor 'ANSWER:' starts a question. A question
that breaks the rules is reported at its line and left out; the rest of the file is read.
"""

from __future__ import annotations

import re

from app.core.banks.model import MULTICHOICE, Answer, BankQuestion, Text
from app.core.i18n import _
from app.core.problems import Problem

_CHOICE = re.compile(r"([A-Z])[.)][ \t]?(.*)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _Open:
    """A question read so far: its line, text and (label, text, line) choices."""

    def __init__(self, line: int, text: str):
        self.line, self.text = line, text
        self.choices: list[tuple[str, str, int]] = []


def parse_aiken(text: str, file: str) -> tuple[list[BankQuestion], list[Problem]]:
    questions: list[BankQuestion] = []
    problems: list[Problem] = []
    current: _Open | None = None

    def problem(line: int, message: str) -> None:
        problems.append(Problem(file, line, message))

    for number, raw in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), start=1):
        line = raw.strip()
        if len(line) < 2:  # Moodle skips these too: blank lines, a stray letter
            continue
        choice = _CHOICE.fullmatch(line)
        if choice:
            if current is None:
                problem(number, _("This choice comes before any question; write the question on the line above "
                                  "the choices."))
            else:
                current.choices.append((choice.group(1), choice.group(2).strip(), number))
        elif line.startswith("ANSWER:"):
            if current is None:
                problem(number, _("This ANSWER line comes before any question and its choices."))
                continue
            question = _finish(current, line[len("ANSWER:"):].strip(), number, problem)
            if question is not None:
                questions.append(question)
            current = None
        else:
            if current is not None:
                problem(current.line, _("The question on line {line} has no 'ANSWER:' line before the next question "
                                        "starts on line {next}; it was not imported.").format(line=current.line,
                                                                                           next=number))
            current = _Open(number, line)
    if current is not None:
        problem(current.line, _("The question on line {line} has no 'ANSWER:' line before the end of the file; it "
                                "was not imported.").format(line=current.line))
    return questions, problems


def _finish(question: _Open, letter: str, line: int, problem) -> BankQuestion | None:
    if len(question.choices) < 2:
        problem(line, _("The question on line {line} needs at least two choices (found {n}); it was not "
                        "imported.").format(line=question.line, n=len(question.choices)))
        return None
    labels = [label for label, _text, _line in question.choices]
    if len(set(labels)) != len(labels):
        problem(line, _("Two choices of the question on line {line} have the same letter; give each its own "
                        "(A, B, C...).").format(line=question.line))
        return None
    if letter[:1] not in labels:
        problem(line, _("'ANSWER: {letter}' names none of the choices ({labels}).").format(
            letter=letter, labels=", ".join(labels)))
        return None
    answers = tuple(Answer(Text(text, "plain"), label == letter[:1], None, None, at)
                    for label, text, at in question.choices)
    return BankQuestion(MULTICHOICE, question.line, Text(question.text, "plain"), single=True, answers=answers)
