"""Find the course packages on this machine: bundled with the app, and installed by the user."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.course.loader import load_course
from app.core.course.model import Course
from app.core.course.source import MANIFEST
from app.core.problems import InvalidInput, Problem
from app.core.tasks import TaskState


@dataclass(frozen=True)
class Refused:
    """A package found but not loaded, with everything wrong with it."""

    location: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Catalogue:
    courses: tuple[Course, ...]
    refused: tuple[Refused, ...]

    def course(self, course_id: str) -> Course | None:
        return next((c for c in self.courses if c.id == course_id), None)


def find_packages(folders: list[Path]) -> list[Path]:
    found = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if (entry.is_dir() and (entry / MANIFEST).is_file()) or entry.suffix.lower() == ".zip":
                found.append(entry)
    return found


def load_catalogue(folders: list[Path], locale: str, state: TaskState | None = None) -> Catalogue:
    """Load every package in `folders`; later folders win when two packages share an id."""
    state = state or TaskState()
    packages = find_packages(folders)
    by_id: dict[str, Course] = {}
    refused = []
    for index, location in enumerate(packages):
        state.raise_if_cancelled()
        state.set_progress(index, len(packages))
        try:
            course = load_course(location, locale)
        except InvalidInput as err:
            refused.append(Refused(str(location), tuple(err.problems)))
            continue
        by_id[course.id] = course
    state.set_progress(len(packages), len(packages))
    return Catalogue(tuple(sorted(by_id.values(), key=lambda c: c.title.casefold())), tuple(refused))
