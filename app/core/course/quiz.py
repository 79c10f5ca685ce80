"""Quizzes: the question types of course format v1, read from *.quiz.yaml, and their grading.

Responses are encoded as xAPI interaction responses (choice indices joined by "[,]", matching
pairs as "left[.]right"), so statements can later be exported to any learning record store.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable, Union

from app.core.course.yamlfields import Fields, Node, each_mapping, parse_yaml
from app.core.i18n import _, ngettext
from app.core.problems import Problem

Translate = Callable[[str], str]  # source text -> display text (a LocalText)

QUESTION_TYPES = ("single", "multiple", "true_false", "short", "numerical", "matching")
SEP = "[,]"
PAIR = "[.]"


@dataclass(frozen=True)
class Grade:
    fraction: float  # share of the question's points earned, 0..1
    feedback: tuple[str, ...]  # the feedback of what the learner chose, in order
    response: str  # encoded for the learning record

    @property
    def correct(self) -> bool:
        return self.fraction >= 0.999

    @property
    def partial(self) -> bool:
        return 0 < self.fraction < 0.999


@dataclass(frozen=True)
class Choice:
    text: str
    weight: float  # percent of the points; single choice: 100 for the correct one
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    points: float
    explanation: str
    line: int
    pool: str = ""  # the question pool (a bank category) it belongs to; "" for none

    def grade(self, response) -> Grade:  # pragma: no cover - each type overrides
        raise NotImplementedError


@dataclass(frozen=True)
class SingleChoice(Question):
    choices: tuple[Choice, ...] = ()

    def grade(self, response: int) -> Grade:
        choice = self.choices[response]
        return Grade(1.0 if choice.weight >= 100 else max(choice.weight, 0) / 100,
                     _nonempty(choice.feedback), str(response))

    @property
    def correct_index(self) -> int:
        return max(range(len(self.choices)), key=lambda i: self.choices[i].weight)


@dataclass(frozen=True)
class MultipleChoice(Question):
    choices: tuple[Choice, ...] = ()

    def grade(self, response: frozenset[int] | set[int]) -> Grade:
        chosen = sorted(response)
        total = sum(self.choices[i].weight for i in chosen)
        fraction = min(max(total / 100, 0.0), 1.0)
        feedback = tuple(self.choices[i].feedback for i in chosen if self.choices[i].feedback)
        return Grade(fraction, feedback, SEP.join(str(i) for i in chosen))


@dataclass(frozen=True)
class TrueFalse(Question):
    answer: bool = True
    feedback_true: str = ""
    feedback_false: str = ""

    def grade(self, response: bool) -> Grade:
        feedback = self.feedback_true if response else self.feedback_false
        return Grade(1.0 if response == self.answer else 0.0, _nonempty(feedback), "true" if response else "false")


_APOSTROPHES = str.maketrans({mark: "'" for mark in "\u02bb\u02bc\u2018\u2019\u0060\u00b4\u02b9\u2032"})


@dataclass(frozen=True)
class TextAnswer:
    accepted: tuple[str, ...]  # the source text and its translation
    weight: float
    feedback: str = ""


@dataclass(frozen=True)
class ShortAnswer(Question):
    answers: tuple[TextAnswer, ...] = ()
    case_sensitive: bool = False
    feedback_wrong: str = ""

    def _norm(self, text: str) -> str:
        # NFC: a Vietnamese or Korean answer typed with combining marks equals the precomposed one.
        # Apostrophe-like marks are one: Uzbek oʻ/gʻ are typed as o' or o` on most keyboards.
        text = unicodedata.normalize("NFC", " ".join(text.split())).translate(_APOSTROPHES)
        return text if self.case_sensitive else text.casefold()

    def grade(self, response: str) -> Grade:
        given = self._norm(response)
        matches = [a for a in self.answers if given and any(self._norm(t) == given for t in a.accepted)]
        if not matches:
            return Grade(0.0, _nonempty(self.feedback_wrong), response.strip())
        best = max(matches, key=lambda a: a.weight)
        return Grade(max(best.weight, 0) / 100, _nonempty(best.feedback), response.strip())


@dataclass(frozen=True)
class NumericAnswer:
    low: Decimal
    high: Decimal
    weight: float
    feedback: str = ""


@dataclass(frozen=True)
class Numerical(Question):
    answers: tuple[NumericAnswer, ...] = ()
    feedback_wrong: str = ""

    def grade(self, response: str) -> Grade:
        value = parse_number(response)
        if value is None:
            return Grade(0.0, (_("That is not a number."),), response.strip())
        matches = [a for a in self.answers if a.low <= value <= a.high]
        if not matches:
            return Grade(0.0, _nonempty(self.feedback_wrong), str(value))
        best = max(matches, key=lambda a: a.weight)
        return Grade(max(best.weight, 0) / 100, _nonempty(best.feedback), str(value))


@dataclass(frozen=True)
class Pair:
    left: str
    right: str
    feedback: str = ""


@dataclass(frozen=True)
class Matching(Question):
    pairs: tuple[Pair, ...] = ()

    def right_order(self, seed: str) -> list[int]:
        """The order the right-hand items are offered in: shuffled, but the same for one attempt."""
        order = list(range(len(self.pairs)))
        rng = random.Random(f"{self.id}:{seed}")
        rng.shuffle(order)
        if len(order) > 1 and order == sorted(order):  # never offer them already in the right order
            order = order[1:] + order[:1]
        return order

    def grade(self, response: dict[int, int]) -> Grade:
        right = sum(1 for left, chosen in response.items() if chosen == left)
        feedback = tuple(self.pairs[left].feedback for left, chosen in sorted(response.items())
                         if chosen != left and self.pairs[left].feedback)
        encoded = SEP.join(f"{left}{PAIR}{chosen}" for left, chosen in sorted(response.items()))
        return Grade(right / len(self.pairs), feedback, encoded)


AnyQuestion = Union[SingleChoice, MultipleChoice, TrueFalse, ShortAnswer, Numerical, Matching]


@dataclass(frozen=True)
class Quiz:
    path: str
    questions: tuple[AnyQuestion, ...]
    # (pool, count): each attempt asks `count` questions drawn from that pool; questions in no pool, or
    # in a pool without a rule, are always asked.
    draw: tuple[tuple[str, int], ...] = ()

    @property
    def total_points(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def attempt_size(self) -> int:
        """How many questions one attempt asks."""
        counts = dict(self.draw)
        return sum(1 for q in self.questions if q.pool not in counts) + sum(counts.values())

    def for_attempt(self, registration: str) -> "Quiz":
        """The questions this attempt asks, in the file's order. The draw is seeded by the attempt's
        registration, so a resumed attempt, its grading and its report all see the same questions."""
        if not self.draw:
            return self
        ruled = dict(self.draw)
        keep = {q.id for q in self.questions if q.pool not in ruled}
        for pool, count in self.draw:
            members = [q.id for q in self.questions if q.pool == pool]
            keep.update(random.Random(f"{registration}/{pool}").sample(members, min(count, len(members))))
        return Quiz(self.path, tuple(q for q in self.questions if q.id in keep))

    def question(self, question_id: str) -> AnyQuestion | None:
        return next((q for q in self.questions if q.id == question_id), None)


def decode_response(question: AnyQuestion, encoded: str):
    """The inverse of Grade.response, so a resumed attempt shows what the learner answered."""
    if isinstance(question, SingleChoice):
        return int(encoded)
    if isinstance(question, MultipleChoice):
        return frozenset(int(x) for x in encoded.split(SEP) if x)
    if isinstance(question, TrueFalse):
        return encoded == "true"
    if isinstance(question, Matching):
        pairs = (p.split(PAIR) for p in encoded.split(SEP) if p)
        return {int(a): int(b) for a, b in pairs}
    return encoded


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+$")  # 1,000 or 12,500,000 (never 0,001): commas grouping thousands


def parse_number(text: str, comma_groups: bool | None = None) -> Decimal | None:
    """A number as a learner types it: '2', '-0.5', '2,5' (decimal comma), '1 000', '1e3', '2 %'.

    '1,000' is a thousand where the display language writes a decimal point (English, Korean...) and
    one where it writes a decimal comma (French, Russian...): `comma_groups` says which (None: from the
    display language). '1,5' and '1,2,3' are never groups of thousands."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").rstrip("%")
    if _GROUPED.match(cleaned) and (_decimal_point_locale() if comma_groups is None else comma_groups):
        cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    elif "," in cleaned and "." in cleaned:  # 1,234.5
        cleaned = cleaned.replace(",", "")
    if not _NUMBER.match(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _decimal_point_locale() -> bool:
    from babel.numbers import get_decimal_symbol

    from app.core.i18n import current_locale

    try:
        return get_decimal_symbol(current_locale()) == "."
    except Exception:  # noqa: BLE001 - an unknown locale: read commas as decimals, as before
        return False


def _nonempty(*texts: str) -> tuple[str, ...]:
    return tuple(t for t in texts if t)


# ---------------------------------------------------------------------------------------- parsing

def parse_quiz(text: str, path: str, problems: list[Problem], tr: Translate) -> Quiz | None:
    root = parse_yaml(text, path, problems)
    if root is None:
        return None
    return quiz_from_node(root, path, problems, tr)


def quiz_from_node(root: Node, path: str, problems: list[Problem], tr: Translate) -> Quiz | None:
    """A quiz from its YAML tree; question banks check the questions they build this way, before any YAML."""
    top = Fields(root, path, problems, _("The quiz"))
    if not top.ok:
        return None
    top.reject_unknown({"questions", "title", "draw"})
    questions: list[AnyQuestion] = []
    seen: dict[str, int] = {}
    for fields in each_mapping(top.items("questions"), path, problems, _("A question")):
        question = _parse_question(fields, tr)
        if question is None:
            continue
        if question.id in seen:
            fields.problem(fields.line_of("id"), _("The question id '{id}' is already used on line {line}; "
                                                   "ids must be unique in a quiz.").format(id=question.id,
                                                                                          line=seen[question.id]))
            continue
        seen[question.id] = fields.line_of("id")
        questions.append(question)
    return Quiz(path, tuple(questions), _draw_rules(top, questions))


def _draw_rules(top: Fields, questions: list[AnyQuestion]) -> tuple[tuple[str, int], ...]:
    """`draw: [{pool: NAME, count: N}]`: each names a pool some question is in, at most once, and asks
    no more questions than the pool holds."""
    sizes: dict[str, int] = {}
    for question in questions:
        sizes[question.pool] = sizes.get(question.pool, 0) + 1
    rules: list[tuple[str, int]] = []
    for fields in each_mapping(top.items("draw", required=False), top.file, top.problems, _("A draw rule")):
        fields.reject_unknown({"pool", "count"})
        pool = fields.text("pool")
        count = fields.number("count", minimum=1, integer=True)
        if not pool or count is None:
            continue
        if pool in dict(rules):
            fields.problem(fields.line_of("pool"), _("The pool '{pool}' has two draw rules; keep one.")
                           .format(pool=pool))
        elif pool not in sizes or not pool:
            known = ", ".join(sorted(p for p in sizes if p)) or _("none")
            fields.problem(fields.line_of("pool"), _("No question is in the pool '{pool}'. Pools in this "
                                                     "quiz: {pools}.").format(pool=pool, pools=known))
        elif count > sizes[pool]:
            fields.problem(fields.line_of("count"), ngettext(
                "The pool '{pool}' holds {n} question; an attempt cannot draw {count}.",
                "The pool '{pool}' holds {n} questions; an attempt cannot draw {count}.",
                sizes[pool]).format(pool=pool, n=sizes[pool], count=int(count)))
        else:
            rules.append((pool, int(count)))
    return tuple(rules)


_COMMON = {"id", "type", "prompt", "points", "explanation", "pool"}
_FIELDS = {
    "single": {"choices"}, "multiple": {"choices"},
    "true_false": {"answer", "feedback_true", "feedback_false"},
    "short": {"answers", "case_sensitive", "feedback_wrong"},
    "numerical": {"answers", "feedback_wrong"},
    "matching": {"pairs"},
}


def _parse_question(f: Fields, tr: Translate) -> AnyQuestion | None:
    before = len(f.problems)
    qid = f.identifier("id")
    kind = f.text("type")
    if kind and kind not in QUESTION_TYPES:
        f.problem(f.line_of("type"), _("Unknown question type '{type}'. Use one of: {types}.").format(
            type=kind, types=", ".join(QUESTION_TYPES)))
        return None
    f.what = _("question '{id}'").format(id=qid or "?")
    f.reject_unknown(_COMMON | _FIELDS.get(kind, set()))
    common = dict(id=qid, type=kind, prompt=tr(f.text("prompt")),
                  points=f.number("points", required=False, default=1.0, minimum=0, maximum=1000) or 0.0,
                  explanation=tr(f.text("explanation", required=False)), line=f.line,
                  pool=f.text("pool", required=False))
    question: AnyQuestion | None = None
    if kind in ("single", "multiple"):
        question = _parse_choices(f, kind, common, tr)
    elif kind == "true_false":
        question = TrueFalse(**common, answer=f.boolean("answer", required=True),
                             feedback_true=tr(f.text("feedback_true", required=False)),
                             feedback_false=tr(f.text("feedback_false", required=False)))
    elif kind == "short":
        answers = []
        for a in each_mapping(f.items("answers"), f.file, f.problems, _("An answer")):
            a.reject_unknown({"text", "weight", "feedback"})
            source = a.text("text")
            translated = tr(source)
            accepted = (source,) if translated == source else (source, str(translated))
            answers.append(TextAnswer(accepted, a.number("weight", required=False, default=100,
                                                         minimum=-100, maximum=100) or 0,
                                      tr(a.text("feedback", required=False))))
        if answers and max(a.weight for a in answers) < 100:
            f.problem(f.line_of("answers"), _("No answer is worth 100 %; give the right answer weight 100."))
        question = ShortAnswer(**common, answers=tuple(answers), case_sensitive=f.boolean("case_sensitive"),
                               feedback_wrong=tr(f.text("feedback_wrong", required=False)))
    elif kind == "numerical":
        question = _parse_numerical(f, common, tr)
    elif kind == "matching":
        pairs = []
        for p in each_mapping(f.items("pairs"), f.file, f.problems, _("A pair")):
            p.reject_unknown({"left", "right", "feedback"})
            pairs.append(Pair(tr(p.text("left")), tr(p.text("right")), tr(p.text("feedback", required=False))))
        if 0 < len(pairs) < 2:
            f.problem(f.line_of("pairs"), _("A matching question needs at least two pairs."))
        if len({p.right for p in pairs}) != len(pairs):
            f.problem(f.line_of("pairs"), _("Two pairs have the same right-hand text; each must be different."))
        question = Matching(**common, pairs=tuple(pairs))
    return question if len(f.problems) == before else None


def _parse_choices(f: Fields, kind: str, common: dict, tr: Translate) -> AnyQuestion:
    choices = []
    for c in each_mapping(f.items("choices"), f.file, f.problems, _("A choice")):
        if kind == "single":
            c.reject_unknown({"text", "correct", "weight", "feedback"})
            weight = 100.0 if c.boolean("correct") else 0.0
            if c.has("weight") and c.has("correct"):
                c.problem(c.line_of("weight"), _("A choice has both 'correct' and 'weight'; keep one."))
            elif c.has("weight"):  # partial credit for a nearly right choice (question banks carry it)
                weight = c.number("weight", minimum=-100, maximum=100) or 0.0
        else:
            c.reject_unknown({"text", "weight", "feedback"})
            weight = c.number("weight", required=False, default=0, minimum=-100, maximum=100) or 0.0
        choices.append(Choice(tr(c.text("text")), weight, tr(c.text("feedback", required=False))))
    line = f.line_of("choices")
    if 0 < len(choices) < 2:
        f.problem(line, _("A choice question needs at least two choices."))
    if kind == "single":
        correct = sum(1 for c in choices if c.weight >= 100)
        if choices and correct != 1:
            f.problem(line, _("A single-choice question needs exactly one choice with 'correct: true' "
                              "(found {n}).").format(n=correct))
        return SingleChoice(**common, choices=tuple(choices))
    positive = sum(c.weight for c in choices if c.weight > 0)
    if choices and abs(positive - 100) > 0.01:
        f.problem(line, _("The positive weights add up to {sum} %; they should add up to 100 %.").format(
            sum=f"{positive:g}"))
    return MultipleChoice(**common, choices=tuple(choices))


def _parse_numerical(f: Fields, common: dict, tr: Translate) -> AnyQuestion:
    answers = []
    for a in each_mapping(f.items("answers"), f.file, f.problems, _("An answer")):
        a.reject_unknown({"value", "tolerance", "min", "max", "weight", "feedback"})
        weight = a.number("weight", required=False, default=100, minimum=-100, maximum=100) or 0.0
        if a.has("value"):
            value = a.number("value")
            tolerance = a.number("tolerance", required=False, default=0, minimum=0) or 0.0
            if value is None:
                continue
            low, high = Decimal(str(value)) - Decimal(str(tolerance)), Decimal(str(value)) + Decimal(str(tolerance))
        elif a.has("min") and a.has("max"):
            lo, hi = a.number("min"), a.number("max")
            if lo is None or hi is None:
                continue
            if lo > hi:
                a.problem(a.line_of("min"), _("'min' ({min}) is greater than 'max' ({max}).").format(min=lo, max=hi))
                continue
            low, high = Decimal(str(lo)), Decimal(str(hi))
        else:
            a.problem(a.line, _("A numerical answer needs 'value' (with an optional 'tolerance') or 'min' and 'max'."))
            continue
        answers.append(NumericAnswer(low, high, weight, tr(a.text("feedback", required=False))))
    if answers and max(a.weight for a in answers) < 100:
        f.problem(f.line_of("answers"), _("No answer is worth 100 %; give the right answer weight 100."))
    return Numerical(**common, answers=tuple(answers), feedback_wrong=tr(f.text("feedback_wrong", required=False)))


def translatable_texts(text: str, path: str) -> list[tuple[str, int]]:
    """Every translatable string of a quiz file with its line, for the course .pot."""
    problems: list[Problem] = []
    seen: list[tuple[str, int]] = []
    root = parse_yaml(text, path, problems)
    keys = {"prompt", "explanation", "text", "feedback", "feedback_true", "feedback_false", "feedback_wrong",
            "left", "right", "title"}

    def walk(node: Node) -> None:
        if isinstance(node.value, dict):
            for key, child in node.value.items():
                if key in keys and isinstance(child.value, str) and child.value.strip():
                    seen.append((child.value.strip(), child.line))
                else:
                    walk(child)
        elif isinstance(node.value, list):
            for child in node.value:
                walk(child)

    if root is not None:
        walk(root)
    return seen
