"""Per question: how many answered, the share correct (its difficulty) and the wrong answers most chosen,
decoded from the recorded response (course/quiz.py Grade.response) to the quiz's own texts.

A wrong answer is counted per wrong part: each wrong choice ticked in a multiple-answer question, each
wrong pair of a matching question, the choice picked in a single-choice question, the text typed
(compared case and spacing aside) or the number given. Responses are counted raw and decoded once per
distinct response, so 100,000 answers cost little.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.core.cohorts.fields import fold
from app.core.course.quiz import (PAIR, SEP, AnyQuestion, Matching, MultipleChoice, ShortAnswer, SingleChoice,
                                  TrueFalse)
from app.core.i18n import _

TOP_WRONG = 3


@dataclass
class QuestionTally:
    answers: int = 0
    correct: int = 0
    people: set[int] = field(default_factory=set)
    wrong: Counter = field(default_factory=Counter)  # raw response -> times

    def add(self, person: int, response: str | None, success: bool | None) -> None:
        self.answers += 1
        self.people.add(person)
        if success:
            self.correct += 1
        else:
            self.wrong[response or ""] += 1

    def merge(self, other: QuestionTally) -> None:
        """Count `other`'s answers here too (the same question under two activity ids)."""
        self.answers += other.answers
        self.correct += other.correct
        self.people |= other.people
        self.wrong.update(other.wrong)


def wrong_parts(question: AnyQuestion, response: str) -> list[tuple[str, str]]:
    """(grouping key, text shown) of each wrong part of an incorrect response."""
    if response == "":
        return [("", _("(no answer)"))]
    try:
        if isinstance(question, SingleChoice):
            return [(response, _text(question.choices[int(response)].text))]
        if isinstance(question, MultipleChoice):
            picked = [int(x) for x in response.split(SEP) if x]
            return [(str(i), _text(question.choices[i].text)) for i in picked if question.choices[i].weight <= 0]
        if isinstance(question, TrueFalse):
            return [(response, _("True") if response == "true" else _("False"))]
        if isinstance(question, Matching):
            parts = []
            for pair in response.split(SEP):
                if not pair:
                    continue
                left, chosen = (int(x) for x in pair.split(PAIR))
                if left != chosen:
                    parts.append((pair, _("{left} → {right}").format(left=_text(question.pairs[left].left),
                                                                     right=_text(question.pairs[chosen].right))))
            return parts
        if isinstance(question, ShortAnswer):
            return [(fold(response), response)]
    except (ValueError, IndexError):
        pass  # recorded against another version of the quiz: show it as recorded
    return [(response, response)]


def top_wrong(question: AnyQuestion, tally: QuestionTally, limit: int = TOP_WRONG) -> list[tuple[str, int]]:
    """The wrong answers most chosen, most first (ties in the order of their text). Answers typed in
    several ways ("AI Funds", "ai  funds") show as their most typed spelling, whatever order the
    records were read in."""
    counts: Counter = Counter()
    spellings: dict[str, Counter] = {}
    for response, times in tally.wrong.items():
        for key, text in wrong_parts(question, response):
            counts[key] += times
            spellings.setdefault(key, Counter())[text] += times
    shown = {key: min(variants.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, variants in spellings.items()}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], shown[kv[0]]))
    return [(shown[key], times) for key, times in ranked[:limit]]


def _text(value: str) -> str:
    return " ".join(str(value).split())
