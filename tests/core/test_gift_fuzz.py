"""Property tests of the GIFT reader and writer (hypothesis): thousands of random texts and GIFT-like
fragments (braces, escapes, = ~ # : % -> .. categories, HTML) never crash it nor make it slow, long
adversarial inputs finish quickly (nothing backtracks), and any quiz of the course format written as
GIFT and read back gives the same questions."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.banks.gift import parse_gift
from app.core.banks.gift_writer import quiz_to_gift
from app.core.banks.importer import import_text
from app.core.banks.quiz_file import quiz_yaml
from app.core.course.quiz import parse_quiz

# CPU seconds of this process, not wall-clock time: other work on a shared machine does not count, while a
# backtracking regex on these 100,000-character inputs would take minutes of CPU.
SECONDS_PER_INPUT = 2.0
FUZZ = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

FRAGMENTS = ["{", "}", "=", "~", "#", "####", "->", "::", ":", "..", "%", "%50%", "%-100%", "%33.3%", "%x%",
             "\\", "\\{", "\\}", "\\=", "\\~", "\\#", "\\:", "\\n", "\\\\", "\n", "\n\n", "\r\n", "\t", " ", "//",
             "$CATEGORY:", "$course$/top/", "[html]", "[markdown]", "[plain]", "[moodle]", "[", "]", "<p>", "</p>",
             "<b>", "<br>", '<img src="a.png" alt="b">', "<!--", "-->", "&amp;", "&", "<", "T", "TRUE", "F",
             "FALSE", "1822", "-3.5", "1e3", "1e999", ".5", "*", "_____", "Grant", "한국", "مرحبا", "\u00a0", "\ufeff"]
gift_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=60).map("".join)


# Question-shaped text: a title, a stem, answers of every kind with weights and feedback, sometimes
# broken by a fragment dropped in anywhere, so the fuzzing reaches deep into each type's reader.
piece = st.lists(st.one_of(st.sampled_from(FRAGMENTS[15:25] + ["a", "b", " ", "é", "5"]),
                           st.text(st.characters(blacklist_categories=("Cs",)), max_size=4)),
                 min_size=1, max_size=6).map("".join)
weight = st.sampled_from(["", "%50%", "%100%", "%-25%", "%33.33333%", "%0%", "%abc%", "%"])
feedback = st.one_of(st.just(""), piece.map(lambda t: "#" + t))
choice = st.tuples(st.sampled_from(["=", "~"]), weight, piece, feedback).map("".join)
number = st.sampled_from(["1822", "-3.5", "3.1415:0.0005", "3.141..3.142", "-5..5", "1:-1", "5..1", "x", "*", "",
                          "1e3", ".5"])
answers = st.one_of(
    st.lists(choice, max_size=6).map(" ".join),
    st.tuples(st.just("#"), st.lists(st.tuples(st.sampled_from(["=", ""]), weight, number, feedback).map("".join),
                                     max_size=4).map(" ".join), st.sampled_from(["", "~#wrong"])).map("".join),
    st.tuples(st.sampled_from(["T", "TRUE", "F", "FALSE", "true"]), feedback, feedback).map("".join),
    st.lists(st.tuples(st.just("="), piece, st.sampled_from([" -> ", "->", " "]), piece, feedback).map("".join),
             max_size=5).map(" ".join),
)
question_text = st.tuples(
    st.one_of(st.just(""), piece.map(lambda t: f"::{t}::")), st.sampled_from(["", "[html]", "[markdown]", "[x]"]),
    piece, st.just("{"), answers, st.one_of(st.just(""), piece.map(lambda t: "####" + t)), st.just("}"),
    st.sampled_from(["", ".", " and more text"])).map("".join)


@st.composite
def gift_files(draw) -> str:
    parts = draw(st.lists(st.one_of(question_text, st.sampled_from(["$CATEGORY: $course$/top/Unit 1", "// note"])),
                          min_size=1, max_size=5))
    text = draw(st.sampled_from(["\n\n", "\r\n\r\n", "\n"])).join(parts)
    for _ in range(draw(st.integers(0, 2))):  # break it somewhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at:]
    return text


def line_count(text: str) -> int:
    return len(_LINE_BREAK.split(text))


def timed(function, *args):
    start = time.process_time()
    result = function(*args)
    elapsed = time.process_time() - start
    assert elapsed < SECONDS_PER_INPUT, f"{elapsed:.2f} s for one input"
    return result


def check_parse(text: str) -> None:
    questions, problems = timed(parse_gift, text, "fuzz.gift")
    lines = line_count(text)
    for problem in problems:
        assert 1 <= problem.line <= lines and problem.message
    for question in questions:
        assert 1 <= question.line <= lines
        for part in (*question.answers, *question.numbers, *question.pairs):
            assert question.line <= part.line <= lines
        for text_part in (question.stem, question.general_feedback, question.feedback_wrong, question.feedback_right,
                          *(a.text for a in question.answers), *(a.feedback for a in question.answers)):
            assert text_part is None or not re.search("[\ud800-\udfff]", text_part.text)  # no escape left held


def check_import(text: str) -> None:
    result = timed(import_text, text, "gift", "fuzz.gift")
    assert all(0 <= p.line <= line_count(text) for p in result.problems)
    if result.questions:  # what is imported is a valid quiz, whatever came in
        problems = []
        parse_quiz(quiz_yaml(list(result.questions)), "fuzz.quiz.yaml", problems, lambda s: s)
        assert problems == [], [str(p) for p in problems]
        assert len({q["id"] for q in result.questions}) == len(result.questions)


@FUZZ
@given(st.text(max_size=300))
def test_random_text_never_crashes_the_parser(text):
    check_parse(text)


@FUZZ
@given(gift_like)
def test_gift_like_fragments_never_crash_the_parser(text):
    check_parse(text)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gift_files())
def test_question_shaped_text_never_crashes_and_imports_valid_quizzes(text):
    check_parse(text)
    check_import(text)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gift_like)
def test_gift_like_fragments_import_into_valid_quizzes_or_problems(text):
    check_import(text)


@pytest.mark.parametrize("text", [
    "{" * 50_000, "}" * 50_000, "~%" * 50_000, "\\" * 100_001, "::" * 50_000, "%" * 100_000, "#" * 100_000,
    "{" + "#" * 100_000 + "}", "{#" + "1" * 100_000 + "}", "{#" + "1." * 50_000 + "}", "{" + "=a -> " * 20_000 + "}",
    "{" + "~%5" * 30_000 + "}", "a\n" * 50_000 + "{T}", "a " * 50_000 + "{=b ~c}", "\n" * 100_000,
    "$CATEGORY: x\n" * 20_000, "[html]" + "<a" * 50_000 + "{T}", "[html]" + "<!--" * 30_000 + "{T}",
    "[html]<img " + "alt=" * 30_000 + "{T}", "Q {T}\n\n" * 5_000, "{" + "=x#" * 30_000 + "}",
])
def test_long_adversarial_inputs_finish_quickly(text):
    timed(import_text, text, "gift", "long.gift")


# ------------------------------------------------------------------- export -> import gives the same quiz

words = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Co")), min_size=1, max_size=24) \
    .map(lambda t: " ".join(t.split())).filter(bool)
ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)
maybe = st.one_of(st.just(""), words)
numbers = st.decimals(min_value=-10 ** 6, max_value=10 ** 6, places=3, allow_nan=False, allow_infinity=False)


def _put(mapping: dict, **fields) -> dict:
    mapping.update({k: v for k, v in fields.items() if v != ""})
    return mapping


@st.composite
def questions(draw, qid: str) -> dict:
    kind = draw(st.sampled_from(["single", "multiple", "true_false", "short", "numerical", "matching"]))
    question = _put({"id": qid, "type": kind, "prompt": draw(words)}, explanation=draw(maybe),
                    pool=draw(st.one_of(st.just(""), words.filter(lambda w: "/" not in w and "$" not in w
                                                                  and w != "top"))))
    if kind == "single":
        texts = draw(st.lists(words, min_size=2, max_size=5))
        right = draw(st.integers(0, len(texts) - 1))
        question["choices"] = [_put({"text": t}, feedback=draw(maybe), **(
            {"correct": True} if i == right else {"weight": draw(st.sampled_from([0, 25, 50, -50]))})) for i, t in
            enumerate(texts)]
        for choice in question["choices"]:
            if choice.get("weight") == 0:
                del choice["weight"]
    elif kind == "multiple":
        good = draw(st.integers(1, 3))
        weights = [100 / good] * good + [-100.0] * draw(st.integers(0, 2)) + [0.0] * draw(st.integers(0, 1))
        weights = weights if len(weights) > 1 else weights + [0.0]
        question["choices"] = [_put({"text": draw(words)}, feedback=draw(maybe), weight=w or "") for w in weights]
    elif kind == "true_false":
        _put(question, answer=draw(st.booleans()), feedback_true=draw(maybe), feedback_false=draw(maybe))
    elif kind == "short":
        # '*' is Moodle's wildcard, and an answer holding '->' reads as a matching pair in GIFT (as in Moodle)
        texts = draw(st.lists(words.filter(lambda w: w != "*" and "->" not in w), min_size=1, max_size=3))
        question["answers"] = [_put({"text": t}, feedback=draw(maybe),
                                    weight=("" if i == 0 else draw(st.sampled_from([50, 0, -50]))))
                               for i, t in enumerate(texts)]
        _put(question, feedback_wrong=draw(maybe))
    elif kind == "numerical":
        answers = []
        for i in range(draw(st.integers(1, 3))):
            low, high = sorted([draw(numbers), draw(numbers)])
            form = draw(st.sampled_from(["value", "range"]))
            answer = {"value": float(low)} if form == "value" else {"min": float(low), "max": float(high)}
            answers.append(_put(answer, feedback=draw(maybe), weight=("" if i == 0 else 50)))
        question["answers"] = answers
        _put(question, feedback_wrong=draw(maybe))
    else:
        rights = draw(st.lists(words, min_size=2, max_size=4, unique=True))
        question["pairs"] = [_put({"left": draw(words.filter(lambda w: "->" not in w)), "right": r},
                                  feedback=draw(maybe)) for r in rights]
    return question


@st.composite
def quizzes(draw) -> list[dict]:
    return [draw(questions(qid)) for qid in draw(st.lists(ids, min_size=1, max_size=4, unique=True))]


def _meaning(questions) -> list:
    """Parsed questions without their line (numbers are already the ranges they accept)."""
    import dataclasses

    return [dataclasses.replace(q, line=0) for q in questions]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quizzes())
def test_any_quiz_survives_export_and_import(quiz):
    problems = []
    first = parse_quiz(quiz_yaml(quiz), "q.quiz.yaml", problems, lambda s: s)
    assert problems == [], [str(p) for p in problems]
    exported = quiz_to_gift(first)
    again = import_text(exported, "gift", "exported.gift")
    refused = [p for p in again.problems if "wildcard" not in p.message]
    assert refused == [], [str(p) for p in refused]
    second = parse_quiz(quiz_yaml(list(again.questions)), "q.quiz.yaml", problems, lambda s: s)
    assert problems == []
    assert _meaning(second.questions) == _meaning(first.questions)
    assert all(isinstance(a.low, Decimal) for q in second.questions if q.type == "numerical" for a in q.answers)


def test_a_short_answer_whose_feedback_has_an_arrow_stays_a_short_answer():
    # Found by the property test above: "->" in a feedback made the question read as a matching one.
    result = import_text("::q1::Capital?{\n\t=Paris#right -> well done\n\t=Lyon#no -> see lesson 2\n}\n",
                         "gift", "x.gift")
    assert [str(p) for p in result.problems] == []
    assert result.questions == ({"id": "q1", "type": "short", "prompt": "Capital?",
                                 "answers": [{"text": "Paris", "feedback": "right -> well done"},
                                             {"text": "Lyon", "feedback": "no -> see lesson 2"}]},)
    matching = import_text("::m::Match{\n\t=Canada -> Ottawa#yes\n\t=Japan -> Tokyo\n}\n", "gift", "m.gift")
    assert matching.questions[0]["type"] == "matching" and not matching.problems
