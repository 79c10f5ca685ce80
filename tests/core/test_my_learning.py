"""The learner's own page, without a display (app/core/my_learning.py): the staff number on the profile, how
an assignment stands on a given day, the completions a record of completion is printed from, file names."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.certificates.credential import completion_problems
from app.core.cohorts.assignment_file import LearnerAssignment, set_staff_number
from app.core.course.loader import load_course
from app.core.learning import Learning
from app.core.my_learning import (DONE, DUE, NO_DATE, OVERDUE, TODAY, DueStatus, bundle_file_name, due_status,
                                  own_completions, record_file_name, staff_number)
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database
from tests.answers import right_answer
from tests.conftest import COURSE

DAY = dt.date(2026, 6, 10)


@pytest.fixture
def record(data_dir):
    database = open_database(data_dir)
    yield LearningRecord(database)
    database.dispose()


def _assignment(due, overdue=False, completed=False):
    return LearnerAssignment("ai-foundations", due, overdue, completed, "Seoul 2026")


def test_the_staff_number_is_read_as_stored(record):
    kim = record.add_learner("Kim Min-ji", "ko")
    assert staff_number(record, kim.id) is None
    set_staff_number(record, kim.id, " S-1001 ")
    assert staff_number(record, kim.id) == "S-1001"
    set_staff_number(record, kim.id, "")
    assert staff_number(record, kim.id) is None


def test_an_assignment_is_done_overdue_due_today_due_later_or_undated():
    assert due_status(_assignment(DAY - dt.timedelta(days=3), overdue=True), DAY) == DueStatus(OVERDUE, 3)
    assert due_status(_assignment(DAY - dt.timedelta(days=3), overdue=False, completed=True), DAY) == DueStatus(DONE)
    assert due_status(_assignment(DAY), DAY) == DueStatus(TODAY)
    assert due_status(_assignment(DAY + dt.timedelta(days=1)), DAY) == DueStatus(DUE, 1)
    assert due_status(_assignment(None), DAY) == DueStatus(NO_DATE)
    assert due_status(_assignment(DAY - dt.timedelta(days=1), overdue=True), DAY).overdue


def test_only_completed_courses_give_a_completion_in_the_learners_language(record):
    course = load_course(COURSE, "ko")
    kim = record.add_learner("김민준", "ko")
    learning = Learning(record, kim)
    assert own_completions(record, kim, [course], "ko") == []
    first = next(i for i in course.items if i.kind == "lesson")
    learning.complete_lesson(course, first)
    assert own_completions(record, kim, [course], "ko") == []  # started is not completed
    for item in course.items:
        if item.kind == "lesson":
            learning.complete_lesson(course, item)
        elif item.kind == "quiz":
            registration = learning.start_attempt(course, item)
            for question in course.quizzes[item.id].questions:
                learning.answer(course, item, registration, question, right_answer(question))
            learning.finish_attempt(course, item, registration)
    [(completion, progress)] = own_completions(record, kim, [course], "ko", "S-1001")
    assert progress.completed
    assert completion.learner_key == f"{record.installation_id()}/{kim.id}"
    assert (completion.learner_name, completion.course_id, completion.course_title, completion.course_version,
            completion.locale, completion.staff_number) == ("김민준", course.id, str(course.title), course.version,
                                                            "ko", "S-1001")
    assert completion.completed_at == progress.completed_at
    assert completion_problems(completion) == []


def test_file_names_are_readable_and_portable():
    assert bundle_file_name("Kim Min-ji", DAY) == "progress_Kim-Min-ji_2026-06-10.zip"
    assert bundle_file_name("김민준", DAY) == "progress_김민준_2026-06-10.zip"
    assert bundle_file_name("a/b:c*?", DAY) == "progress_a-b-c_2026-06-10.zip"
    assert bundle_file_name("  ", DAY) == "progress_learner_2026-06-10.zip"
    assert record_file_name("ai-foundations", "فاطمة الحسن") == "record-of-completion_ai-foundations_فاطمة-الحسن.pdf"
