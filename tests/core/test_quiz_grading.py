"""Grading of every question type of course format v1, parsed from small quiz YAML snippets (no Qt)."""

from __future__ import annotations

import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.core.course.quiz import (  # noqa: E402
    Matching,
    MultipleChoice,
    Numerical,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    decode_response,
    parse_number,
    parse_quiz,
)

try:  # hypothesis is a test-only extra; the property tests skip cleanly without it
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None


def identity(text: str) -> str:
    return text


def one_question(snippet: str, tr=identity, expected_type=None):
    """Parse a quiz made of one question (YAML given without the `questions:` line) and return it."""
    text = "questions:\n" + textwrap.indent(textwrap.dedent(snippet).strip("\n"), "  ") + "\n"
    problems = []
    quiz = parse_quiz(text, "quizzes/t.quiz.yaml", problems, tr)
    assert problems == [], [str(p) for p in problems]
    assert quiz is not None and len(quiz.questions) == 1
    question = quiz.questions[0]
    if expected_type is not None:
        assert isinstance(question, expected_type)
    return question


# --------------------------------------------------------------------------------------------- single

SINGLE = """
- id: strategy-year
  type: single
  prompt: In which year did Korea announce its National Strategy for AI?
  explanation: December 2019.
  choices:
    - text: "2016"
      feedback: That was the year AlphaGo played Lee Sedol.
    - text: "2019"
      correct: true
      feedback: Right, in December 2019.
    - text: "2021"
"""


def test_single_choice_right_answer_scores_full_with_its_feedback():
    q = one_question(SINGLE, expected_type=SingleChoice)
    assert q.correct_index == 1
    grade = q.grade(1)
    assert grade.fraction == 1.0 and grade.correct and not grade.partial
    assert grade.feedback == ("Right, in December 2019.",)
    assert q.explanation == "December 2019."


def test_single_choice_wrong_answer_scores_zero_with_its_feedback():
    q = one_question(SINGLE)
    grade = q.grade(0)
    assert grade.fraction == 0.0 and not grade.correct and not grade.partial
    assert grade.feedback == ("That was the year AlphaGo played Lee Sedol.",)
    no_feedback = q.grade(2)
    assert no_feedback.fraction == 0.0 and no_feedback.feedback == ()


def test_single_choice_years_stay_text_not_yaml_numbers():
    q = one_question(SINGLE)
    assert [c.text for c in q.choices] == ["2016", "2019", "2021"]


# ------------------------------------------------------------------------------------------- multiple

MULTIPLE = """
- id: good-uses
  type: multiple
  prompt: Which tasks suit a chatbot?
  choices:
    - {text: Answering questions about certificates, weight: 50, feedback: Yes.}
    - {text: Explaining a benefit's rules, weight: 50, feedback: Yes too.}
    - {text: Deciding a benefit claim alone, weight: -100, feedback: No; a person decides.}
    - {text: Nothing at all}
"""


def test_multiple_choice_weights_are_read():
    q = one_question(MULTIPLE, expected_type=MultipleChoice)
    assert [c.weight for c in q.choices] == [50, 50, -100, 0]


def test_multiple_choice_all_right_choices_score_full():
    q = one_question(MULTIPLE)
    grade = q.grade({0, 1})
    assert grade.fraction == 1.0 and grade.correct
    assert grade.feedback == ("Yes.", "Yes too.")


def test_multiple_choice_partial_credit():
    q = one_question(MULTIPLE)
    grade = q.grade({1})
    assert grade.fraction == pytest.approx(0.5)
    assert grade.partial and not grade.correct
    assert grade.feedback == ("Yes too.",)


def test_multiple_choice_negative_weight_subtracts_and_clamps_at_zero():
    q = one_question(MULTIPLE)
    assert q.grade({0, 1, 2}).fraction == 0.0  # 50 + 50 - 100
    clamped = q.grade({0, 2})  # 50 - 100 = -50 -> 0, never negative
    assert clamped.fraction == 0.0 and not clamped.partial
    assert clamped.feedback == ("Yes.", "No; a person decides.")
    assert q.grade(set()).fraction == 0.0
    assert q.grade({3}).fraction == 0.0


# ----------------------------------------------------------------------------------------- true/false

TRUE_FALSE = """
- id: dasomi-silence
  type: true_false
  prompt: Dasomi speaks up after 30 minutes of silence.
  answer: false
  feedback_true: It waits much longer than that.
  feedback_false: Correct; it calls a guardian after 5 hours without movement.
"""


def test_true_false_right_answer_with_its_feedback():
    q = one_question(TRUE_FALSE, expected_type=TrueFalse)
    assert q.answer is False
    grade = q.grade(False)
    assert grade.fraction == 1.0 and grade.correct
    assert grade.feedback == ("Correct; it calls a guardian after 5 hours without movement.",)


def test_true_false_wrong_answer_with_its_feedback():
    q = one_question(TRUE_FALSE)
    grade = q.grade(True)
    assert grade.fraction == 0.0
    assert grade.feedback == ("It waits much longer than that.",)


def test_true_false_answer_true_and_yes_are_read_as_true():
    for spelling in ("true", "yes", "True"):
        q = one_question(TRUE_FALSE.replace("answer: false", f"answer: {spelling}"))
        assert q.answer is True
        assert q.grade(True).correct and not q.grade(False).correct


# ---------------------------------------------------------------------------------------------- short

SHORT = """
- id: chatbot-name
  type: short
  prompt: Which platform's chatbot answers citizens' questions on services?
  answers:
    - {text: Government 24, feedback: Correct.}
    - {text: Gov24, weight: 100, feedback: "Correct, its short name."}
    - {text: Minwon 24, weight: 50, feedback: Close; that was its old name.}
  feedback_wrong: It is Korea's one-stop government portal.
"""


def test_short_answer_exact_text():
    q = one_question(SHORT, expected_type=ShortAnswer)
    grade = q.grade("Government 24")
    assert grade.correct and grade.feedback == ("Correct.",)


def test_short_answer_ignores_case_and_extra_spaces():
    q = one_question(SHORT)
    for typed in ("government 24", "  GOVERNMENT   24 ", "Government\t24"):
        grade = q.grade(typed)
        assert grade.correct, typed
        assert grade.feedback == ("Correct.",)


def test_short_answer_alternative_and_partial_answers():
    q = one_question(SHORT)
    assert q.grade("gov24").correct
    assert q.grade("gov24").feedback == ("Correct, its short name.",)
    partial = q.grade("minwon 24")
    assert partial.fraction == pytest.approx(0.5) and partial.partial
    assert partial.feedback == ("Close; that was its old name.",)


def test_short_answer_wrong_and_empty_give_feedback_wrong():
    q = one_question(SHORT)
    for typed in ("Naver", "", "   ", "Government 2"):
        grade = q.grade(typed)
        assert grade.fraction == 0.0, typed
        assert grade.feedback == ("It is Korea's one-stop government portal.",)


def test_short_answer_case_sensitive():
    q = one_question(SHORT.replace("  answers:", "  case_sensitive: true\n  answers:"))
    assert q.case_sensitive is True
    assert q.grade("Government 24").correct
    assert q.grade("Government   24").correct  # spaces are still normalised
    assert q.grade("government 24").fraction == 0.0
    assert q.grade("GOV24").fraction == 0.0


def test_short_answer_accepts_the_translated_answer_and_the_source():
    korean = {"Government 24": "정부24"}
    q = one_question(SHORT, tr=lambda s: korean.get(s, s))
    assert q.grade("정부24").correct
    assert q.grade("정부24").feedback == ("Correct.",)
    assert q.grade("Government 24").correct
    assert q.grade("정부 23").fraction == 0.0



def test_short_answer_treats_apostrophe_marks_alike_for_uzbek():
    uzbek = {"Government 24": "Hukumat koʻrsatkichi"}  # oʻ written with U+02BB, as the standard wants
    q = one_question(SHORT, tr=lambda s: uzbek.get(s, s))
    for typed in ("hukumat ko'rsatkichi", "Hukumat ko`rsatkichi", "hukumat ko\u2018rsatkichi", "hukumat koʻrsatkichi"):
        assert q.grade(typed).correct, typed
    assert q.grade("hukumat korsatkichi").fraction == 0.0  # a missing mark is still a different word


def test_short_answer_compares_composed_and_decomposed_letters():
    vietnamese = {"Government 24": "Chính phủ 24"}
    q = one_question(SHORT, tr=lambda s: vietnamese.get(s, s))
    import unicodedata

    assert q.grade(unicodedata.normalize("NFD", "Chính phủ 24")).correct
    assert q.grade("Chinh phu 24").fraction == 0.0  # tones matter in Vietnamese


# ------------------------------------------------------------------------------------------ numerical

NUMERICAL = """
- id: posco-saving
  type: numerical
  prompt: By how many percent did AI cut energy input?
  answers:
    - {value: 2.5, tolerance: 0.5, feedback: Correct.}
    - {min: 1, max: 4, weight: 50, feedback: Close.}
  feedback_wrong: It was 2.5 %.
"""


def test_numerical_exact_value():
    q = one_question(NUMERICAL, expected_type=Numerical)
    grade = q.grade("2.5")
    assert grade.correct and grade.feedback == ("Correct.",)


def test_numerical_tolerance_edges_are_inclusive():
    q = one_question(NUMERICAL)
    assert q.grade("2").correct
    assert q.grade("3").correct
    assert q.grade("1.999").fraction == pytest.approx(0.5)  # outside tolerance, inside the range
    assert q.grade("3.001").fraction == pytest.approx(0.5)


def test_numerical_range_gives_weight_50_with_inclusive_edges():
    q = one_question(NUMERICAL)
    for typed in ("1", "4", "3.5"):
        grade = q.grade(typed)
        assert grade.fraction == pytest.approx(0.5), typed
        assert grade.partial and grade.feedback == ("Close.",)
    for typed in ("0.999", "4.001", "-2.5"):
        grade = q.grade(typed)
        assert grade.fraction == 0.0, typed
        assert grade.feedback == ("It was 2.5 %.",)


def test_numerical_decimal_comma_spaces_and_percent_sign():
    q = one_question(NUMERICAL)
    assert q.grade("2,5").correct
    assert q.grade(" 2,5 % ").correct
    assert q.grade("2 %").correct
    big = one_question("""
    - id: big
      type: numerical
      prompt: How many?
      answers:
        - {value: 1000}
    """)
    assert big.grade("1 000").correct
    assert big.grade("1\u00a0000").correct  # no-break space, as some keyboards type it
    assert big.grade("1,000.0").correct
    assert big.grade("1e3").correct
    assert big.grade("999").fraction == 0.0


def test_numerical_non_number_scores_zero_with_a_message():
    q = one_question(NUMERICAL)
    for typed in ("two", "", "2..5", "1,2,3", "--2"):
        grade = q.grade(typed)
        assert grade.fraction == 0.0, typed
        assert grade.feedback == ("That is not a number.",), typed


@pytest.mark.parametrize("typed, expected", [
    ("2", "2"), ("-0.5", "-0.5"), ("2,5", "2.5"), ("1 000", "1000"), ("1e3", "1E+3"), ("2 %", "2"),
    (",5", "0.5"), ("+7", "7"), ("1,234.5", "1234.5"),
])
def test_parse_number_accepts_what_learners_type(typed, expected):
    assert parse_number(typed) == Decimal(expected)


@pytest.mark.parametrize("typed, comma_groups, expected", [
    ("1,000", True, "1000"), ("12,500,000", True, "12500000"), ("1,000", False, "1.000"), ("1,5", True, "1.5"),
    ("-3,250", True, "-3250"), ("1,000.5", False, "1000.5"), ("0,001", True, "0.001"),
])
def test_a_comma_before_three_digits_groups_thousands_where_the_language_writes_a_decimal_point(
        typed, comma_groups, expected):
    assert parse_number(typed, comma_groups) == Decimal(expected)


def test_the_display_language_decides_what_1_comma_000_means():
    from app.core.i18n import current_locale, set_locale

    before = current_locale()
    try:
        set_locale("en")
        assert parse_number("1,000") == 1000
        set_locale("fr")
        assert parse_number("1,000") == Decimal("1.000")
        assert parse_number("2,5") == Decimal("2.5")
    finally:
        set_locale(before)


@pytest.mark.parametrize("typed", ["", "abc", "NaN", "inf", "1.2.3", "%", "-", "2 3 x"])
def test_parse_number_refuses_non_numbers(typed):
    assert parse_number(typed) is None


# ------------------------------------------------------------------------------------------- matching

MATCHING = """
- id: match-cases
  type: matching
  prompt: Match each project to what it does.
  pairs:
    - {left: Dasomi, right: Watches over elders living alone, feedback: Dasomi is a care robot.}
    - {left: Government 24 chatbot, right: Answers citizens day and night}
    - {left: Seoul traffic AI, right: Retimes traffic signals, feedback: It adapts signal timing.}
    - {left: POSCO furnace AI, right: Saves energy in steelmaking}
"""


def test_matching_all_right():
    q = one_question(MATCHING, expected_type=Matching)
    grade = q.grade({0: 0, 1: 1, 2: 2, 3: 3})
    assert grade.fraction == 1.0 and grade.correct and grade.feedback == ()


def test_matching_partial_fraction_and_feedback_for_wrong_pairs_only():
    q = one_question(MATCHING)
    grade = q.grade({0: 2, 1: 1, 2: 0, 3: 3})
    assert grade.fraction == pytest.approx(0.5) and grade.partial
    assert grade.feedback == ("Dasomi is a care robot.", "It adapts signal timing.")
    one_wrong_without_feedback = q.grade({0: 0, 1: 3, 2: 2, 3: 1})
    assert one_wrong_without_feedback.fraction == pytest.approx(0.5)
    assert one_wrong_without_feedback.feedback == ()


def test_matching_unanswered_pairs_count_as_wrong():
    q = one_question(MATCHING)
    assert q.grade({0: 0}).fraction == pytest.approx(0.25)
    assert q.grade({}).fraction == 0.0


def test_matching_right_order_is_a_deterministic_non_identity_permutation():
    q = one_question(MATCHING)
    orders = {}
    for seed in ("attempt-1", "attempt-2", "attempt-3", "x"):
        order = q.right_order(seed)
        assert order == q.right_order(seed)  # the same for one attempt
        assert sorted(order) == [0, 1, 2, 3]
        assert order != [0, 1, 2, 3]
        orders[seed] = tuple(order)
    assert len(set(orders.values())) > 1  # different attempts get different orders


def test_matching_right_order_never_identity_for_two_pairs_common_seeds():
    q = one_question("""
    - id: two
      type: matching
      prompt: Match.
      pairs:
        - {left: a, right: b}
        - {left: c, right: d}
    """)
    for seed in range(200):
        assert q.right_order(str(seed)) == [1, 0]


def test_matching_right_order_never_identity_even_for_unlucky_seeds():
    q = one_question("""
    - id: m
      type: matching
      prompt: P
      pairs:
        - {left: a, right: b}
        - {left: c, right: d}
    """)
    # "1608" is a seed for which ten shuffles of [0, 1] in a row all come out [0, 1].
    assert q.right_order("1608") != [0, 1]


# ------------------------------------------------------------------------------------ encode / decode

def test_decode_response_round_trips_every_type():
    single = one_question(SINGLE)
    multiple = one_question(MULTIPLE)
    true_false = one_question(TRUE_FALSE)
    short = one_question(SHORT)
    numerical = one_question(NUMERICAL)
    matching = one_question(MATCHING)
    cases = [
        (single, 1), (single, 0),
        (multiple, frozenset({0, 2})), (multiple, frozenset()), (multiple, frozenset({3, 1, 0})),
        (true_false, True), (true_false, False),
        (short, "Gov24"), (short, "something else"),
        (matching, {0: 2, 1: 1, 2: 0, 3: 3}), (matching, {}), (matching, {2: 2}),
    ]
    for question, response in cases:
        grade = question.grade(response)
        decoded = decode_response(question, grade.response)
        assert decoded == response, (question.type, response, grade.response)
        assert question.grade(decoded) == grade
    # numbers are stored normalised ("2,5" -> "2.5"); the decoded answer grades the same
    for typed in ("2,5", "1 000", "2 %", "3.001"):
        grade = numerical.grade(typed)
        decoded = decode_response(numerical, grade.response)
        assert parse_number(decoded) == parse_number(typed)
        assert numerical.grade(decoded) == grade


def test_short_answer_response_is_stored_trimmed():
    q = one_question(SHORT)
    assert q.grade("  Gov24  ").response == "Gov24"
    assert decode_response(q, q.grade("  Gov24  ").response) == "Gov24"


def test_responses_use_the_xapi_separators():
    assert one_question(MULTIPLE).grade({2, 0}).response == "0[,]2"
    assert one_question(MATCHING).grade({1: 0, 0: 1}).response == "0[.]1[,]1[.]0"
    assert one_question(TRUE_FALSE).grade(True).response == "true"


# ----------------------------------------------------------------------------------- property tests

if given is not None:
    @settings(max_examples=200, deadline=None, database=None)
    @given(value=st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False),
           comma=st.booleans(), percent=st.booleans(), group=st.booleans())
    def test_parse_number_reads_formatted_decimals(value, comma, percent, group):
        text = f"{value:,.3f}" if group else f"{value:.3f}"  # group: 1,234,567.250
        if group:
            text = text.replace(",", " ")  # thousands with spaces: 1 234 567.250
        if comma:
            text = text.replace(".", ",")  # decimal comma: 1 234 567,250
        if percent:
            text += " %"
        assert parse_number(text, comma_groups=not comma) == value  # a decimal comma is typed where the language has one

    @settings(max_examples=200, deadline=None, database=None)
    @given(weights=st.lists(st.integers(min_value=-100, max_value=100), min_size=2, max_size=6),
           data=st.data())
    def test_multiple_choice_fraction_always_within_0_and_1(weights, data):
        # make the positive weights add up to exactly 100, as a valid quiz must
        others = [w for w in weights if w > 0][1:]
        if sum(others) >= 100:
            others = []
        weights = [w for w in weights if w <= 0] + [100 - sum(others)] + others
        if len(weights) < 2:
            weights.append(0)
        choices = "\n".join(f"    - {{text: c{i}, weight: {w}}}" for i, w in enumerate(weights))
        q = one_question(f"- id: m\n  type: multiple\n  prompt: P\n  choices:\n{choices}\n")
        chosen = data.draw(st.frozensets(st.integers(min_value=0, max_value=len(weights) - 1)))
        grade = q.grade(chosen)
        assert 0.0 <= grade.fraction <= 1.0
        expected = min(max(sum(weights[i] for i in chosen) / 100, 0.0), 1.0)
        assert grade.fraction == pytest.approx(expected)
        assert decode_response(q, grade.response) == chosen
        all_positive = frozenset(i for i, w in enumerate(weights) if w > 0)
        assert q.grade(all_positive).correct
else:  # pragma: no cover
    @pytest.mark.skip(reason="hypothesis is not installed; add it to the test extra to run the property tests")
    def test_property_tests_need_hypothesis():
        pass
