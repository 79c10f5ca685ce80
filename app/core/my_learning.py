"""The learner's own page ("My progress and assignments"), as plain functions the screen and tests share:
the staff number on the profile, how an assignment stands today, the courses a learner may print a record
of completion for, and file names for what the page writes.

    number = staff_number(record, learner.id)
    status = due_status(assignment, today)          # DueStatus("overdue", 3)
    for completion, progress in own_completions(record, learner, catalogue.courses, locale): ...
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import select

from app.core.certificates.credential import Completion
from app.core.cohorts.assignment_file import LearnerAssignment
from app.core.course.model import Course
from app.core.record.progress import CourseProgress, derive_progress
from app.core.record.store import Learner, LearningRecord
from app.core.storage.schema import learners

DONE = "done"
OVERDUE = "overdue"
TODAY = "today"
DUE = "due"
NO_DATE = "no-date"


@dataclass(frozen=True)
class DueStatus:
    kind: str  # done | overdue | today | due | no-date
    days: int = 0  # overdue: days late; due: days left

    @property
    def overdue(self) -> bool:
        return self.kind == OVERDUE


def staff_number(record: LearningRecord, learner_id: str) -> str | None:
    """The staff number on the learner's profile, as stored (set with cohorts' `set_staff_number`)."""
    with record.engine.connect() as conn:
        return conn.scalar(select(learners.c.staff_number).where(learners.c.id == learner_id))


def due_status(assignment: LearnerAssignment, today: dt.date) -> DueStatus:
    """Done, overdue by N days, due today, due in N days, or no due date. A completed course is done
    whatever its date; the core's own `overdue` flag decides lateness, so screen and reports agree."""
    if assignment.completed:
        return DueStatus(DONE)
    if assignment.due is None:
        return DueStatus(NO_DATE)
    days = (assignment.due - today).days
    if assignment.overdue or days < 0:
        return DueStatus(OVERDUE, max(-days, 1))
    if days == 0:
        return DueStatus(TODAY)
    return DueStatus(DUE, days)


def own_completions(record: LearningRecord, learner: Learner, courses: Iterable[Course], locale: str,
                    number: str | None = None) -> list[tuple[Completion, CourseProgress]]:
    """For each course the learner has completed on this machine: the completion a record of completion
    is printed from (in `locale`, the learner's language; the course title as the catalogue shows it),
    with its progress. The learner key is the one bundles carry: "<installation id>/<learner id>"."""
    key = f"{record.installation_id()}/{learner.id}"
    found = []
    for course in courses:
        progress = derive_progress(course, record.statements(learner.id, course.id))
        if not progress.completed or not progress.completed_at:
            continue
        found.append((Completion(key, learner.name, course.id, str(course.title), course.version,
                                 progress.completed_at, locale, number), progress))
    return found


def _slug(value: str, limit: int = 40) -> str:
    # Letters of any script stay (a Korean name stays Korean); what a file system may refuse goes.
    cleaned = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFC", value.strip()), flags=re.UNICODE)
    return cleaned.strip("-._")[:limit] or "learner"


def bundle_file_name(learner_name: str, day: dt.date) -> str:
    """"progress_Kim-Min-ji_2026-06-01.zip": whose progress, and when, readable on a USB stick."""
    return f"progress_{_slug(learner_name)}_{day.isoformat()}.zip"


def record_file_name(course_id: str, learner_name: str) -> str:
    """"record-of-completion_ai-foundations_Kim-Min-ji.pdf"."""
    return f"record-of-completion_{_slug(course_id)}_{_slug(learner_name)}.pdf"
