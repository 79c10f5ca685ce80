"""The immutable objects a loaded course is made of. Screens render these; nothing mutates them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Mapping

from app.core.course.quiz import Quiz


class LocalText(str):
    """Course text in the display language, or in the source language where no translation exists.

    It is a str, so screens use it as one; `untranslated` tells them to show the fallback marker.
    """

    untranslated: bool

    def __new__(cls, value: str, untranslated: bool = False) -> "LocalText":
        obj = super().__new__(cls, value)
        obj.untranslated = untranslated
        return obj

    def __reduce__(self):  # keep the flag through copy and pickle
        return (LocalText, (str(self), self.untranslated))


@dataclass(frozen=True)
class QuizRules:
    pass_percent: float = 70.0
    max_attempts: int = 3  # 0 = unlimited


@dataclass(frozen=True)
class Author:
    name: str
    organisation: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    kind: str  # "lesson" | "quiz" | "lab"
    title: LocalText
    target: str  # package path of the lesson/quiz file, or the lab reference
    minutes: int = 0
    rules: QuizRules | None = None  # quizzes only


@dataclass(frozen=True)
class Module:
    id: str
    title: LocalText
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Lesson:
    item_id: str
    path: str  # package path of the Markdown file, for resolving images
    markdown: str  # in the display language
    untranslated_starts: tuple[int, ...] = ()  # first lines of blocks shown in the source language


@dataclass(frozen=True)
class Course:
    id: str
    version: str
    title: LocalText
    summary: LocalText
    source_language: str
    translations: tuple[str, ...]
    licence: str
    authors: tuple[Author, ...]
    estimated_minutes: int
    modules: tuple[Module, ...]
    location: str  # folder or zip it was loaded from
    locale: str  # the language it is shown in
    lessons: Mapping[str, Lesson] = field(default_factory=lambda: MappingProxyType({}))
    quizzes: Mapping[str, Quiz] = field(default_factory=lambda: MappingProxyType({}))

    # A loaded course never changes (frozen, tuples all the way down), so what is derived from its modules is
    # computed once: a report derives progress thousands of times per course. (dataclasses.replace makes a
    # new Course, which computes its own.)
    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for module in self.modules for item in module.items)

    @cached_property
    def _by_id(self) -> Mapping[str, Item]:
        found: dict[str, Item] = {}
        for item in self.items:
            found.setdefault(item.id, item)  # the first item with that id, as a search in order finds
        return MappingProxyType(found)

    @cached_property
    def _following(self) -> Mapping[str, Item]:
        found: dict[str, Item] = {}
        for item, following in zip(self.items, self.items[1:]):
            found.setdefault(item.id, following)
        return MappingProxyType(found)

    def item(self, item_id: str) -> Item | None:
        return self._by_id.get(item_id)

    def next_item(self, item_id: str) -> Item | None:
        return self._following.get(item_id)

    @property
    def key(self) -> str:
        """Identity in the catalogue and the learning record: id plus version."""
        return f"{self.id}@{self.version}"
