"""When a course became complete, also when no "completed" statement of the course exists: a learner who did
half of it on one PC and half on another has one only once a trainer merges the two records, and the
report's "Completed on" and completions over time must count them (found by the two-offices walkthrough)."""

from __future__ import annotations

import pytest

from app.core.course.loader import load_course
from app.core.learning import Learning
from app.core.record.progress import derive_progress
from app.core.record.statements import Verb
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database
from tests.answers import right_answer
from tests.conftest import COURSE


@pytest.fixture
def record(data_dir):
    database = open_database(data_dir)
    yield LearningRecord(database)
    database.dispose()


def study(learning: Learning, course, items) -> None:
    for item in items:
        if item.kind == "lesson":
            learning.complete_lesson(course, item)
        else:
            registration = learning.start_attempt(course, item)
            for question in course.quizzes[item.id].questions:
                learning.answer(course, item, registration, question, right_answer(question))
            learning.finish_attempt(course, item, registration)


def test_a_course_completed_item_by_item_is_complete_from_its_last_item(record):
    course = load_course(COURSE, "en")
    learning = Learning(record, record.add_learner("Lee Jun", "en"))
    study(learning, course, course.items)
    statements = record.statements(learning.learner.id, course.id)
    [course_statement] = [s for s in statements if s.verb == Verb.COMPLETED and s.item_id is None]
    assert derive_progress(course, statements).completed_at == course_statement.timestamp

    # The same record without the course's own statement (two PCs' halves, merged): complete, and since the
    # statement that finished the last item, not "never".
    merged = [s for s in statements if s is not course_statement]
    progress = derive_progress(course, merged)
    last_item = course.items[-1].id
    finishing = next(s for s in merged if s.item_id == last_item and s.verb == Verb.PASSED)
    assert progress.completed and progress.completed_at == finishing.timestamp
    # Before that statement it was not complete, and no completion time is given.
    before = derive_progress(course, merged[:merged.index(finishing)])
    assert not before.completed and before.completed_at is None
