"""GIFT question banks (app/core/banks): Moodle's own fixtures and GIFT-grammar-PEG.js's expected parses
in ../shared/fixtures/gift, the mapping to the course format's quiz questions, problems reported with
their lines while the rest of the file imports, the `pool` field, and GIFT export with a lossless round
trip (import -> quiz file -> export -> import)."""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from app.core.banks.gift import parse_gift
from app.core.banks.gift_writer import quiz_to_gift
from app.core.banks.importer import import_file, import_text
from app.core.banks.model import NUMERICAL
from app.core.banks.quiz_file import quiz_yaml, read_quiz, write_quiz
from app.core.course.quiz import (
    Matching,
    MultipleChoice,
    Numerical,
    ShortAnswer,
    SingleChoice,
    parse_quiz,
)
from app.core.course.yamlfields import ID_PATTERN
from tests.conftest import SHARED

GIFT = SHARED / "fixtures" / "gift"
needs_fixtures = pytest.mark.skipif(not GIFT.is_dir(), reason="../shared/fixtures/gift is not beside the clone")


def same(text: str) -> str:
    return text


def load(questions) -> list:
    """The imported questions as the course loader reads them (what a learner will be asked)."""
    problems = []
    quiz = parse_quiz(quiz_yaml(list(questions)), "t.quiz.yaml", problems, same)
    assert problems == [], [str(p) for p in problems]
    return list(quiz.questions)


def gift(text: str):
    return import_text(text, "gift", "bank.gift")


def one(text: str) -> dict:
    result = gift(text)
    assert [str(p) for p in result.problems] == [] and len(result.questions) == 1
    return result.questions[0]


# ------------------------------------------------------------------------------------ the fixtures

FIXTURES = {  # file: (questions imported, by type, lines of the problems reported)
    "moodle_examples.gift.txt": (43, {"single": 16, "multiple": 2, "true_false": 5, "short": 9, "numerical": 8,
                                      "matching": 3}, []),
    "moodle_questions.gift.txt": (8, {"matching": 1, "single": 1, "multiple": 1, "numerical": 1, "short": 1,
                                      "true_false": 3}, [2, 10]),  # an essay; a matching distractor left out
    "moodle_questions_in_category.gift.txt": (4, {"matching": 1, "single": 1, "short": 1, "true_false": 1}, [10]),
    "pegjs_escapeAll.gift": (1, {"single": 1}, []),
    "pegjs_multipleAnswersFloat.gift": (1, {"multiple": 1}, []),
    "pegjs_numerical1.gift": (10, {"numerical": 10}, []),
}


@needs_fixtures
def test_every_shared_gift_file_is_covered():
    assert sorted(p.name for p in GIFT.iterdir() if not p.name.endswith((".json", "LICENSE.gift-pegjs.txt"))) == \
        sorted(FIXTURES)


@needs_fixtures
@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_fixture_imports_with_the_expected_questions(name):
    count, by_type, problem_lines = FIXTURES[name]
    result = import_file(GIFT / name, "gift")
    assert len(result.questions) == count
    assert result.by_type == by_type
    assert [p.line for p in result.problems] == problem_lines, [str(p) for p in result.problems]
    ids = [q["id"] for q in result.questions]
    assert len(set(ids)) == len(ids) and all(ID_PATTERN.match(i) for i in ids)
    load(result.questions)  # the course loader accepts every question as written


@needs_fixtures
def test_moodle_fixture_problems_say_what_was_left_out():
    problems = import_file(GIFT / "moodle_questions.gift.txt", "gift").problems
    assert "essay" in problems[0].message and "not imported" in problems[0].message
    assert "'Chat'" in problems[1].message and "left out" in problems[1].message


PEGJS_TYPES = {"MC": "multichoice", "Numerical": "numerical", "Short": "shortanswer", "TF": "truefalse",
               "Matching": "matching"}


def _pegjs_text(expected: dict | None, actual) -> None:
    if expected is None:
        assert actual is None
    else:
        assert (actual.format, actual.text) == (expected["format"], expected["text"])


def _pegjs_number(expected: dict, actual) -> None:
    if expected["type"] == "simple":
        assert (actual.kind, float(actual.number)) == ("simple", expected["number"])
    elif expected["type"] == "range":
        assert (actual.kind, float(actual.number), float(actual.tolerance)) == \
            ("range", expected["number"], expected["range"])
    else:
        assert (actual.kind, float(actual.low), float(actual.high)) == \
            ("high-low", expected["numberLow"], expected["numberHigh"])


@needs_fixtures
@pytest.mark.parametrize("name", ["pegjs_escapeAll", "pegjs_multipleAnswersFloat", "pegjs_numerical1"])
def test_parse_matches_the_gift_grammar_expected_json_field_by_field(name):
    expected = json.loads((GIFT / f"{name}.expected.json").read_text(encoding="utf-8"))
    questions, problems = parse_gift((GIFT / f"{name}.gift").read_text(encoding="utf-8"), name)
    assert problems == []
    assert len(questions) == len(expected)
    for want, got in zip(expected, questions):
        assert got.kind == PEGJS_TYPES[want["type"]]
        assert got.title == want["title"]
        _pegjs_text(want["stem"], got.stem)
        _pegjs_text(want["globalFeedback"], got.general_feedback)
        assert got.embedded == want["hasEmbeddedAnswers"]
        if got.kind == NUMERICAL:
            if isinstance(want["choices"], dict):  # one number written straight after '#'
                assert len(got.numbers) == 1 and got.numbers[0].weight is None
                _pegjs_number(want["choices"], got.numbers[0])
                continue
            assert len(got.numbers) == len(want["choices"])
            for choice, number in zip(want["choices"], got.numbers):
                assert choice["isCorrect"] is True  # '=' answers
                assert number.weight == choice["weight"]
                _pegjs_number(choice["text"], number)
                _pegjs_text(choice["feedback"], number.feedback)
            continue
        assert len(got.answers) == len(want["choices"])
        for choice, answer in zip(want["choices"], got.answers):
            assert (answer.correct, answer.weight) == (choice["isCorrect"], choice["weight"])
            _pegjs_text(choice["text"], answer.text)
            _pegjs_text(choice["feedback"], answer.feedback)


@needs_fixtures
def test_categories_become_pools():
    questions = import_file(GIFT / "moodle_questions_in_category.gift.txt", "gift").questions
    assert {q["pool"] for q in questions} == {"Default for New Features"}
    assert [q["id"] for q in questions] == ["moodle-activities", "greeting", "moodle-user", "moodle-acronym"]


@needs_fixtures
def test_html_questions_become_plain_text():
    greeting = import_file(GIFT / "moodle_questions_in_category.gift.txt", "gift").questions[1]
    assert greeting["prompt"] == "Listen to this greeting:\n\nWhat language is being spoken?"
    grasp = import_file(GIFT / "pegjs_numerical1.gift", "gift").questions[-1]
    assert grasp["prompt"] == "Combien de principes GRASP y a-t-il?"
    assert grasp["answers"][2]["feedback"] == ("Incorrect. Il y a neuf (9) principes GRASP. Il y a cependant 23 "
                                               "Patterns GoF (Gang des quatre)")


# ------------------------------------------------------------------------ what maps to what

def test_single_choice_with_partial_credit_and_feedback():
    q = one("::Jesus' hometown::Jesus Christ was from {\n ~Jerusalem#Wrong city.\n ~%50%Galilee#Be more "
            "specific.\n =Nazareth#Yes!\n}.")
    assert q == {"id": "jesus-hometown", "type": "single", "prompt": "Jesus Christ was from _____ .", "choices": [
        {"text": "Jerusalem", "feedback": "Wrong city."}, {"text": "Galilee", "weight": 50,
                                                           "feedback": "Be more specific."},
        {"text": "Nazareth", "correct": True, "feedback": "Yes!"}]}
    question = load([q])[0]
    assert isinstance(question, SingleChoice)
    assert question.grade(1).fraction == 0.5 and question.grade(2).correct and question.grade(0).fraction == 0


def test_only_tilde_answers_make_a_multiple_answer_question():
    q = one("Who is in Grant's tomb? {~%50%Grant ~%50%Grant's wife ~%-100%No one #Someone is.}")
    assert q["type"] == "multiple"
    assert [(c["text"], c.get("weight", 0)) for c in q["choices"]] == [("Grant", 50), ("Grant's wife", 50),
                                                                        ("No one", -100)]
    question = load([q])[0]
    assert isinstance(question, MultipleChoice) and question.grade({0, 1}).correct
    assert question.choices[2].feedback == "Someone is."


def test_true_false_feedback_follows_moodle():
    # Moodle: {TRUE#feedback when the answer is wrong#feedback when it is right####general feedback}
    q = one("42 is the answer.{FALSE#It is the Ultimate Answer.#Right.####A Hitchhiker's Guide reference.}")
    assert q == {"id": "42-is-the-answer", "type": "true_false", "prompt": "42 is the answer.",
                 "explanation": "A Hitchhiker's Guide reference.", "answer": False,
                 "feedback_true": "It is the Ultimate Answer.", "feedback_false": "Right."}
    assert one("The sun rises in the east.{T}")["answer"] is True


def test_short_answer_weights_and_the_catch_all():
    q = one("Which is the best animal?{\n =Frog#Good!\n =%50%Cat#Cats?\n =%0%*#Completely wrong\n}")
    assert q["answers"] == [{"text": "Frog", "feedback": "Good!"}, {"text": "Cat", "weight": 50, "feedback": "Cats?"}]
    assert q["feedback_wrong"] == "Completely wrong"
    question = load([q])[0]
    assert isinstance(question, ShortAnswer)
    assert question.grade("cat").fraction == 0.5 and question.grade("dog").feedback == ("Completely wrong",)


def test_numerical_forms():
    q = one("When was Grant born? {#\n =1822:0 #Correct!\n =%50%1820..1824 #Close.\n ~#He was born in 1822.\n}")
    assert q["answers"] == [{"value": 1822, "tolerance": 0, "feedback": "Correct!"},
                            {"min": 1820, "max": 1824, "weight": 50, "feedback": "Close."}]
    assert q["feedback_wrong"] == "He was born in 1822."
    question = load([q])[0]
    assert isinstance(question, Numerical)
    assert question.grade("1822").correct and question.grade("1823").fraction == 0.5
    pi = one("What is pi? {#3.1415:0.0005}")
    assert pi["answers"] == [{"value": 3.1415, "tolerance": 0.0005}]
    assert load([pi])[0].answers[0].low == Decimal("3.141")
    assert one("Pick a number from -5 to 5. {#-5..5}")["answers"] == [{"min": -5, "max": 5}]


def test_matching_pairs():
    q = one("Match the capitals. {=Canada -> Ottawa =Italy -> Rome =Japan -> Tokyo#Not Kyoto.}")
    assert q["pairs"] == [{"left": "Canada", "right": "Ottawa"}, {"left": "Italy", "right": "Rome"},
                          {"left": "Japan", "right": "Tokyo", "feedback": "Not Kyoto."}]
    assert isinstance(load([q])[0], Matching)


def test_escapes_and_new_lines():
    q = one(r"Which is \{not\} a control character\: \\ or \~? {=\\ # Right\: \\ only escapes. ~\~ ~\=}")
    assert q["prompt"] == "Which is {not} a control character: \\ or ~?"
    assert [c["text"] for c in q["choices"]] == ["\\", "~", "="]
    assert q["choices"][0]["feedback"] == "Right: \\ only escapes."
    assert one(r"Line one\nline two {T}")["prompt"] == "Line one\nline two"


def test_comments_blank_lines_crlf_and_lines():
    text = "// a comment\r\n::A::First? {T}\r\n\r\n// note\r\n\r\n::B::\r\nSecond?\r\n{\r\n=yes\r\n~no\r\n}\r\n"
    questions, problems = parse_gift(text, "bank.gift")
    assert problems == []
    assert [(q.title, q.line) for q in questions] == [("A", 2), ("B", 6)]
    assert [a.line for a in questions[1].answers] == [9, 10]


def test_pools_follow_categories_until_the_next_one():
    result = gift("$CATEGORY: $course$/top/Unit 1\n\nOne? {T}\n\nTwo? {F}\n\n$CATEGORY: $course$/top\n\nThree? {T}\n\n"
                  "$CATEGORY: Unit 2/Part A\nFour? {T}\n")
    assert result.problems == ()
    assert [q.get("pool") for q in result.questions] == ["Unit 1", "Unit 1", None, "Unit 2/Part A"]


def test_question_with_only_a_title_uses_it_as_prompt():
    assert one("::What is AI?::{=a field of computer science ~magic}")["prompt"] == "What is AI?"


# ------------------------------------------------------------------- problems, and the rest imports

BROKEN = """\
::good-1::Good? {T}

::essay::Tell us about yourself. {}

Just a description, no answers.

::bad-weight::Weights? {
  =right
  ~%abc%wrong
}

::unclosed::Where is the brace? {=here

::no-arrow::Match. {=a -> b =c d}

::two-right::Two right answers? {=a =%100%b ~c}

::sum::Weights add up to 90? {~%50%a ~%40%b ~c}

::numbers::Bad number? {#12..abc}

::weight-range::Too much? {~%150%a ~b}

::good-2::Good too? {=yes ~no}
"""


def test_broken_questions_are_reported_with_their_lines_and_the_rest_imports():
    result = gift(BROKEN)
    assert [q["id"] for q in result.questions] == ["good-1", "good-2"]
    found = {p.line: p.message for p in result.problems}
    assert sorted(found) == [3, 5, 9, 12, 14, 16, 18, 20, 22]
    assert "essay" in found[3]
    assert "description" in found[5]
    assert "'%abc%'" in found[9] and "not a number" in found[9]
    assert "braces do not match" in found[12]
    assert "'->'" in found[14]
    # the same messages as `course check` gives for the quiz file
    assert found[16] == "A single-choice question needs exactly one choice with 'correct: true' (found 2)."
    assert found[18] == "The positive weights add up to 90 %; they should add up to 100 %."
    assert "'abc' is not a number" in found[20]
    assert "outside -100 % to 100 %" in found[22]


def test_a_second_brace_after_the_answers_is_reported():
    result = gift("One {T} and two {F}\n\nFine {T}")
    assert len(result.questions) == 1 and [p.line for p in result.problems] == [1]
    assert "another brace" in result.problems[0].message


def test_images_are_reported_and_their_alt_text_kept():
    result = gift('[html]<p>Which city is this?</p><img src="seoul.png" alt="A map of Seoul"> {=Seoul ~Busan}')
    assert result.questions[0]["prompt"] == "Which city is this?\n\nA map of Seoul"
    assert len(result.problems) == 1 and "'seoul.png'" in result.problems[0].message


def test_markdown_and_plain_text_are_kept_as_written():
    assert one("[markdown]Who is in **Grant's tomb**? {=no one}")["prompt"] == "Who is in **Grant's tomb**?"
    assert one("[plain]Is 3 < 5 & 4 > 2? {T}")["prompt"] == "Is 3 < 5 & 4 > 2?"


# ------------------------------------------------------------------------------------ the pool field

def test_the_quiz_format_reads_pool_and_single_choice_weights():
    problems = []
    quiz = parse_quiz("questions:\n  - id: a\n    type: true_false\n    prompt: P?\n    answer: true\n"
                      "    pool: Unit 1\n  - id: b\n    type: single\n    prompt: Q?\n    choices:\n"
                      "      - {text: x, correct: true}\n      - {text: y, weight: 25}\n", "q.quiz.yaml", problems, same)
    assert problems == []
    assert [q.pool for q in quiz.questions] == ["Unit 1", ""]
    assert quiz.questions[1].grade(1).fraction == 0.25
    parse_quiz("questions:\n  - id: b\n    type: single\n    prompt: Q?\n    choices:\n"
               "      - {text: x, correct: true, weight: 20}\n      - {text: y}\n", "q.quiz.yaml", problems, same)
    assert [p.message for p in problems] == ["A choice has both 'correct' and 'weight'; keep one."]


# ------------------------------------------------------------------------------------------ export

def without_lines(questions) -> list:
    return [dataclasses.replace(q, line=0) for q in questions]


def same_meaning(questions) -> list[dict]:
    """The questions with each number written as the range it accepts: GIFT's 3.1415:0.0005 and
    3.141..3.142 accept the same numbers, and export writes the first (as Moodle does)."""
    out = []
    for q in questions:
        if q["type"] == "numerical":
            answers = []
            for a in q["answers"]:
                a = dict(a)
                if "value" in a:
                    value, margin = Decimal(str(a.pop("value"))), Decimal(str(a.pop("tolerance", 0)))
                    a["min"], a["max"] = value - margin, value + margin
                a["min"], a["max"] = Decimal(str(a["min"])), Decimal(str(a["max"]))
                answers.append(a)
            q = {**q, "answers": answers}
        out.append(q)
    return out


def round_trip(result, tmp_path: Path):
    """import -> a quiz file -> GIFT -> import again."""
    path = write_quiz(list(result.questions), tmp_path, "bank")
    exported = quiz_to_gift(read_quiz(path))
    again = import_text(exported, "gift", "exported.gift")
    assert again.problems == (), [str(p) for p in again.problems]
    return exported, again


@needs_fixtures
@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_round_trip_keeps_every_question(name, tmp_path):
    first = import_file(GIFT / name, "gift")
    _exported, again = round_trip(first, tmp_path)
    # ids, types, texts, answers, weights, feedback and pools
    assert same_meaning(again.questions) == same_meaning(first.questions)
    assert without_lines(load(again.questions)) == without_lines(load(first.questions))


def test_export_writes_moodle_gift(tmp_path):
    result = gift("$CATEGORY: Unit 1\n\n::t::Grant is {~buried =entombed#Yes ~%50%laid} in Grant's tomb.\n\n"
                  "::n::Pi? {#3.141..3.142####It is about 3.14.}")
    exported, again = round_trip(result, tmp_path)
    assert exported == ("$CATEGORY: $course$/top/Unit 1\n\n"
                        "::t::Grant is {\n\t~buried\n\t=entombed#Yes\n\t~%50%laid\n} in Grant's tomb.\n\n"
                        "::n::Pi?{#\n\t=3.1415:0.0005\n\t####It is about 3.14.\n}\n")
    assert same_meaning(again.questions) == same_meaning(result.questions)


def test_export_keeps_awkward_texts(tmp_path):
    questions = [
        {"id": "html-like", "type": "single", "prompt": "Is <b> a tag & is 3 < 5?", "choices": [
            {"text": "%50 is a share", "correct": True}, {"text": "[html] marker", "feedback": "a # b = c {d} ~ e: f"}]},
        {"id": "lines", "type": "short", "prompt": "Two\nlines\\n with C:\\new", "answers": [{"text": "a*b"}],
         "explanation": "[plain] starts with a marker"},
        {"id": "tf", "type": "true_false", "prompt": "True?", "answer": True, "feedback_false": "No, true."},
        {"id": "tf2", "type": "true_false", "prompt": "False?", "answer": False, "feedback_false": "Right."},
    ]
    path = write_quiz(questions, tmp_path, "awkward")
    first = read_quiz(path)
    again = import_text(quiz_to_gift(first), "gift", "x.gift")
    assert [str(p) for p in again.problems] == [
        "x.gift:7: '*' in the answer 'a*b' is compared as written here, not as a wildcard."]
    assert without_lines(load(again.questions)) == without_lines(first.questions)


def test_points_are_not_part_of_gift(tmp_path):
    path = write_quiz([{"id": "a", "type": "true_false", "prompt": "P?", "answer": True, "points": 3}], tmp_path, "p")
    assert re.fullmatch(r"::a::P\?\{\n\tTRUE\n\}\n", quiz_to_gift(read_quiz(path)))
