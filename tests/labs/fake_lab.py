"""A tiny lab family for testing the framework and the lab screen without pandas: the learner
types words into a list; task 1 wants the word "weekday", task 2 wants at least three words."""

from __future__ import annotations

from app.core.i18n import N_
from labs.framework import Feedback, LabDefinition, Task, WrongAttempt

OPENED: list[dict | None] = []  # snapshots the lab was opened with, for the tests


class WordsWorkspace:
    def __init__(self, words: list[str]):
        self.words = list(words)

    def snapshot(self) -> dict:
        return {"words": list(self.words)}

    def code(self) -> str:
        return "words = " + repr(self.words)


def open_words(snapshot, state, files):
    OPENED.append(snapshot)
    state.raise_if_cancelled()
    if snapshot and snapshot.get("broken"):
        raise ValueError("the saved file 'x.csv' is missing")
    return WordsWorkspace((snapshot or {}).get("words", []))


def check_weekday(ws: WordsWorkspace) -> Feedback:
    if "weekday" in ws.words:
        return Feedback(True, "Right: you group by weekday.")
    if "month" in ws.words:
        return Feedback(False, "Your chart groups by month; the task asks for weekday.")
    return Feedback(False, "Add the word weekday.")


def check_three(ws: WordsWorkspace) -> Feedback:
    return Feedback(len(ws.words) >= 3, f"You have {len(ws.words)} words; the task asks for three.")


LAB = LabDefinition(
    id="test/words", family="test", title=N_("Words"), summary=N_("Type words."), datasets=(),
    tasks=(Task("weekday", N_("Weekday"), N_("Add the word weekday."), check_weekday, hint=N_("Type it.")),
           Task("three", N_("Three words"), N_("Have three words."), check_three)),
    open=open_words, reference={"words": ["weekday", "a", "b"]},
    wrong_attempts=(WrongAttempt("groups by month", "weekday", {"words": ["month", "a", "b"]}),
                    WrongAttempt("too few", "three", {"words": ["weekday"]})),
    panel="tests.labs.fake_panel:WordsPanel")
