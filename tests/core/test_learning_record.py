"""The learning record: statements in xAPI shape, append-only, and progress derived from them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core.course.loader import load_course
from app.core.learning import Learning, QuizClosed
from app.core.record.progress import derive_progress
from app.core.record.statements import Verb
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database
from tests.answers import right_answer, wrong_answer
from tests.conftest import COURSE, SHARED


@pytest.fixture
def course():
    return load_course(COURSE, "en")


@pytest.fixture
def record(data_dir):
    database = open_database(data_dir)
    yield LearningRecord(database)
    database.dispose()


@pytest.fixture
def learning(record):
    return Learning(record, record.add_learner("Kim Min-ji", "en"))


def take_quiz(learning, course, item, answer):
    registration = learning.start_attempt(course, item)
    for question in course.quizzes[item.id].questions:
        learning.answer(course, item, registration, question, answer(question))
    return learning.finish_attempt(course, item, registration)


def test_statements_have_the_xapi_shape(learning, record, course):
    lesson = course.items[0]
    learning.open_lesson(course, lesson)
    learning.complete_lesson(course, lesson)
    statements = record.statements(learning.learner.id, course.id)
    assert [s.verb for s in statements] == [Verb.EXPERIENCED, Verb.COMPLETED]
    data = statements[1].data
    assert set(data) >= {"id", "actor", "verb", "object", "result", "timestamp", "context", "version"}
    assert len(data["id"]) == 36 and data["id"].count("-") == 4
    assert data["actor"]["account"]["name"] == learning.learner.id
    assert data["object"]["id"].endswith(f":item:{lesson.id}")
    assert data["timestamp"].endswith("Z")
    assert data["context"]["extensions"]


def test_exported_statements_validate_against_the_xapi_schema(learning, record, course):
    jsonschema = pytest.importorskip("jsonschema")
    folder = SHARED / "fixtures" / "xapi"
    if not folder.is_dir():
        pytest.skip("../shared/fixtures not beside this clone")
    schema = json.loads((folder / "edo-xrs_xapi-1.0.2_statement.schema.json").read_text())
    # Its version pattern accepts only 1.0.2; we write 1.0.3. Relax that one pattern, nothing else.
    assert schema["properties"]["version"]["pattern"] == "^1.0.2$"
    schema["properties"]["version"]["pattern"] = r"^1\.0\.[0-9]+$"
    quiz_item = next(i for i in course.items if i.kind == "quiz")
    learning.open_course(course)
    learning.open_lesson(course, course.items[0])
    take_quiz(learning, course, quiz_item, right_answer)
    statements = record.statements(learning.learner.id, course.id)
    assert len(statements) > 5
    for statement in statements:
        jsonschema.validate(statement.data, schema)
    broken = dict(statements[0].data)
    del broken["actor"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_progress_resume_and_completion_come_from_statements(learning, record, course):
    progress = learning.open_course(course)
    assert not progress.started and progress.resume is None
    first, second = course.items[0], course.items[1]
    learning.open_lesson(course, first)
    learning.suspend(course, first, 0.42)
    progress = learning.progress(course)
    assert progress.resume.item_id == first.id and progress.resume.position == pytest.approx(0.42)
    learning.complete_lesson(course, first)
    progress = learning.progress(course)
    assert first.id in progress.lessons_done
    assert progress.resume.item_id == second.id  # completing a lesson points at the next item
    # The same statements in another object give the same progress: nothing else is stored.
    again = derive_progress(course, record.statements(learning.learner.id, course.id))
    assert again == progress


def test_whole_course_completes_and_records_it_once(learning, record, course):
    for item in course.items:
        if item.kind == "lesson":
            learning.complete_lesson(course, item)
        elif item.kind == "quiz":
            result = take_quiz(learning, course, item, right_answer)
            assert result.passed and result.percent == pytest.approx(100)
    progress = learning.progress(course)
    assert progress.completed and progress.percent == 100
    learning.complete_lesson(course, course.items[0])  # a review does not complete it twice
    completions = [s for s in record.statements(learning.learner.id, course.id)
                   if s.verb == Verb.COMPLETED and s.item_id is None]
    assert len(completions) == 1
    assert completions[0].result["score"]["scaled"] == pytest.approx(1.0)


def test_retry_rule_limits_attempts_and_best_attempt_counts(learning, course):
    item = next(i for i in course.items if i.kind == "quiz")
    assert item.rules.max_attempts == 3
    first = take_quiz(learning, course, item, wrong_answer)
    assert not first.passed and first.attempts_left == 2
    second = take_quiz(learning, course, item, right_answer)
    assert second.passed and second.attempts_left == 1
    third = take_quiz(learning, course, item, wrong_answer)
    assert third.attempts_left == 0
    quiz = learning.progress(course).quizzes[item.id]
    assert quiz.passed and quiz.best_percent == pytest.approx(100)
    with pytest.raises(QuizClosed):
        learning.start_attempt(course, item)


def test_an_unfinished_attempt_resumes_at_the_first_unanswered_question(learning, course):
    item = next(i for i in course.items if i.kind == "quiz")
    questions = course.quizzes[item.id].questions
    registration = learning.start_attempt(course, item)
    learning.answer(course, item, registration, questions[0], right_answer(questions[0]))
    learning.answer(course, item, registration, questions[1], wrong_answer(questions[1]))
    quiz = learning.progress(course).quizzes[item.id]
    assert quiz.current is not None and quiz.current.registration == registration
    assert set(quiz.current.answers) == {questions[0].id, questions[1].id}
    assert learning.progress(course).resume.item_id == item.id


def test_statements_are_immutable(learning, record, course):
    learning.open_lesson(course, course.items[0])
    with record.engine.begin() as conn:
        with pytest.raises(DBAPIError, match="immutable"):
            conn.execute(text("UPDATE statements SET verb = 'x'"))
    with record.engine.begin() as conn:
        with pytest.raises(DBAPIError, match="immutable"):
            conn.execute(text("DELETE FROM statements"))
    assert record.count() == 1


def test_merge_is_an_idempotent_set_union(learning, record, course, tmp_path):
    learning.open_lesson(course, course.items[0])
    learning.complete_lesson(course, course.items[0])
    mine = [(s, learning.learner.id) for s in record.statements(learning.learner.id)]
    other = open_database(tmp_path / "other")
    try:
        other_record = LearningRecord(other)
        with other.engine.begin() as conn:  # the same learner known on the trainer's machine
            conn.execute(text("INSERT INTO learners (id, name, locale, created_at) VALUES (:i, 'Kim', 'en', 'x')"),
                         {"i": learning.learner.id})
        assert other_record.merge(mine) == 2
        assert other_record.merge(list(reversed(mine))) == 0
        assert [s.id for s in other_record.statements(learning.learner.id)] == [s.id for s, _l in mine]
    finally:
        other.dispose()


def test_wal_mode_and_full_sync(record):
    with record.engine.connect() as conn:
        assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert conn.scalar(text("PRAGMA synchronous")) == 2  # FULL
        assert conn.scalar(text("PRAGMA foreign_keys")) == 1
