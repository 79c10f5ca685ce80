"""Aiken question banks (app/core/banks/aiken.py): Moodle's fixtures in ../shared/fixtures/aiken (a valid
file and a file of broken cases, which are reported with their lines, never crashed on), and the
rules around them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.banks.aiken import parse_aiken
from app.core.banks.importer import import_file, import_text
from app.core.banks.quiz_file import quiz_yaml
from app.core.course.quiz import SingleChoice, parse_quiz
from tests.conftest import SHARED

AIKEN = SHARED / "fixtures" / "aiken"
needs_fixtures = pytest.mark.skipif(not AIKEN.is_dir(), reason="../shared/fixtures/aiken is not beside the clone")


def aiken(text: str):
    return import_text(text, "aiken", "bank.txt")


@needs_fixtures
def test_moodle_questions_import():
    result = import_file(AIKEN / "moodle_questions.aiken.txt", "aiken")
    assert result.problems == ()
    assert result.questions == (
        {"id": "the-moodle-project-was-started-by", "type": "single", "prompt": "The Moodle project was started by:",
         "choices": [{"text": "Petr Skoda"}, {"text": "Martin Dougiamas", "correct": True}, {"text": "Eloy Lafuente"},
                     {"text": "Tim Hunt"}]},
        {"id": "moodle-s-abilities-include-handling-user-input",  # HTML in Aiken is text, kept as written
         "type": "single", "prompt": 'Moodle\'s abilities include handling user input that includes <html class="cool"> '
                                     "& images:", "choices": [{"text": "True", "correct": True}, {"text": "False"}]},
    )
    problems = []
    quiz = parse_quiz(quiz_yaml(list(result.questions)), "q.quiz.yaml", problems, lambda s: s)
    assert problems == [] and all(isinstance(q, SingleChoice) for q in quiz.questions)
    assert quiz.questions[0].grade(1).correct and not quiz.questions[0].grade(0).correct


@needs_fixtures
def test_moodle_broken_cases_are_reported_with_lines_and_the_good_questions_import():
    result = import_file(AIKEN / "moodle_aiken_errors.txt", "aiken")
    assert [(q["prompt"], [c["text"] for c in q["choices"]], [c.get("correct", False) for c in q["choices"]])
            for q in result.questions] == [
        ("A good question", ["Correct", "Incorrect"], [True, False]),
        ("A second good question", ["Incorrect (No space)", "Correct (No space)"], [False, True]),
    ]
    found = [(p.line, p.message) for p in result.problems]
    assert found == [
        (3, "The question on line 1 needs at least two choices (found 1); it was not imported."),
        (5, "This choice comes before any question; write the question on the line above the choices."),
        (7, "This ANSWER line comes before any question and its choices."),
        (14, "The question on line 14 has no 'ANSWER:' line before the next question starts on line 18; it was "
             "not imported."),
    ]


def test_answer_letter_names_a_choice():
    result = aiken("Pick one:\nA) x\nB) y\nANSWER: C\n\nPick again:\nA. x\nB. y\nANSWER: A\n")
    assert [q["prompt"] for q in result.questions] == ["Pick again:"]
    assert [(p.line, p.message) for p in result.problems] == [(4, "'ANSWER: C' names none of the choices (A, B).")]


def test_a_question_left_open_at_the_end_is_reported():
    result = aiken("Complete:\r\nA) x\r\nB) y\r\n\r\nUnfinished?\r\nA) a\r\nB) b")
    assert result.questions == ()
    assert [(p.line, p.message) for p in result.problems] == [
        (1, "The question on line 1 has no 'ANSWER:' line before the next question starts on line 5; it was "
            "not imported."),
        (5, "The question on line 5 has no 'ANSWER:' line before the end of the file; it was not imported.")]


def test_repeated_letters_are_refused():
    questions, problems = parse_aiken("Q?\nA) x\nA) y\nANSWER: A\n", "bank.txt")
    assert questions == [] and [p.line for p in problems] == [4] and "same letter" in problems[0].message


def test_lines_keep_their_numbers_across_blank_lines():
    questions, problems = parse_aiken("\n\nFirst?\nA) a\n\nB) b\nANSWER: B\n", "bank.txt")
    assert problems == []
    assert questions[0].line == 3 and [a.line for a in questions[0].answers] == [4, 6]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["Question?", "A) a", "B) b", "C. c", "A)x", "ANSWER: A", "ANSWER: B",
                                           "ANSWER:", "ANSWER: Z", "", "  ", "D", "\r", "<b>&amp;</b>"]),
                          st.text(max_size=12)), max_size=30).map("\n".join))
def test_any_text_gives_questions_or_problems_never_a_crash(text):
    result = aiken(text)
    lines = text.count("\n") + text.count("\r") + 1
    assert all(1 <= p.line <= lines for p in result.problems)
    assert all(q["type"] == "single" and sum(1 for c in q["choices"] if c.get("correct")) == 1
               for q in result.questions)
