"""Assignments travel offline (app/core/cohorts/assignment_file.py): the trainer exports a cohort's members
and assignments with a checksum; a learner's machine imports the file and each learner sees their own
assignments by the staff number on their profile, with the due date and an overdue flag. An altered,
truncated or older file is refused and changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed, Principal
from app.core.cohorts.assignment_file import (AssignmentFileError, assignments_for, export_assignments,
                                              import_assignments, set_staff_number)
from app.core.cohorts.store import CohortError, Cohorts
from app.core.course.loader import load_course
from app.core.learning import Learning
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database
from app.core.storage.schema import received_assignments
from tests.answers import right_answer
from tests.conftest import COURSE

TRAINER_KIM = Principal("Kim", TRAINER, "l-trainer", "a-trainer")
DUE = dt.date(2026, 6, 30)


@pytest.fixture
def trainer(tmp_path):
    database = open_database(tmp_path / "trainer")
    yield database
    database.dispose()


@pytest.fixture
def office(tmp_path):
    database = open_database(tmp_path / "office")
    yield database
    database.dispose()


@pytest.fixture
def exported(trainer, tmp_path):
    """A cohort of three (one without a staff number), the course for everyone, a second one for Seoul
    with an earlier date, exported to a file."""
    store = Cohorts(trainer)
    cohort = store.create_cohort(TRAINER_KIM, "Seoul 2026")
    seoul = store.add_group(TRAINER_KIM, cohort.id, "Seoul")
    store.add_member(TRAINER_KIM, cohort.id, "Kim Min-ji", "S-1001", group_id=seoul.id)
    store.add_member(TRAINER_KIM, cohort.id, "Lee Seo-yeon", "S-1002")
    store.add_member(TRAINER_KIM, cohort.id, "Park Ji-ho")
    store.assign_course(TRAINER_KIM, cohort.id, "ai-foundations", DUE)
    store.assign_course(TRAINER_KIM, cohort.id, "ai-foundations", dt.date(2026, 5, 31), seoul.id)
    store.assign_course(TRAINER_KIM, cohort.id, "data-and-ml", None, seoul.id)
    path = tmp_path / "seoul.assignments.json"
    result = export_assignments(trainer, TRAINER_KIM, cohort.id, path)
    assert (result.members, result.assignments, result.without_staff_number) == (2, 3, ("Park Ji-ho",))
    return cohort, path


def stored(database) -> int:
    with database.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(received_assignments))


def test_a_learner_sees_their_assignments_by_staff_number(exported, office):
    _cohort, path = exported
    record = LearningRecord(office)
    kim = record.add_learner("Kim Min-ji", "ko")
    lee = record.add_learner("Lee Seo-yeon", "en")
    stranger = record.add_learner("Choi", "en")
    received = import_assignments(office, path)
    assert (received.cohort, received.members, received.assignments, received.status) == ("Seoul 2026", 2, 3, "added")
    assert assignments_for(record, kim.id) == []  # no staff number on the profile yet
    assert set_staff_number(record, kim.id, " ｓ-1001 ") == "s-1001"  # full-width, as a Korean IME types it
    set_staff_number(record, lee.id, "S-1002")
    set_staff_number(record, stranger.id, "S-9999")
    mine = assignments_for(record, kim.id, today=dt.date(2026, 6, 1))
    assert [(a.course_id, a.due, a.overdue, a.completed, a.cohort) for a in mine] == [
        ("ai-foundations", dt.date(2026, 5, 31), True, False, "Seoul 2026"),  # Seoul's date wins over everyone's
        ("data-and-ml", None, False, False, "Seoul 2026")]
    theirs = assignments_for(record, lee.id, today=dt.date(2026, 6, 1))
    assert [(a.course_id, a.due, a.overdue) for a in theirs] == [("ai-foundations", DUE, False)]
    assert assignments_for(record, stranger.id) == []


def test_a_completed_course_is_not_overdue(exported, office):
    _cohort, path = exported
    import_assignments(office, path)
    record = LearningRecord(office)
    kim = record.add_learner("Kim Min-ji", "ko")
    set_staff_number(record, kim.id, "S-1001")
    course = load_course(COURSE, "en")
    learning = Learning(record, kim)
    for item in course.items:
        if item.kind == "lesson":
            learning.complete_lesson(course, item)
        else:
            registration = learning.start_attempt(course, item)
            for question in course.quizzes[item.id].questions:
                learning.answer(course, item, registration, question, right_answer(question))
            learning.finish_attempt(course, item, registration)
    [done, _other] = assignments_for(record, kim.id, today=dt.date(2027, 1, 1))
    assert (done.course_id, done.completed, done.overdue) == ("ai-foundations", True, False)


def test_importing_the_same_file_again_changes_nothing_and_a_newer_one_replaces_it(exported, trainer, office, tmp_path):
    cohort, path = exported
    import_assignments(office, path)
    assert import_assignments(office, path).status == "unchanged"
    assert stored(office) == 3
    store = Cohorts(trainer)
    for assignment in store.assignments(TRAINER_KIM, cohort.id):
        if assignment.course_id == "data-and-ml":
            store.unassign(TRAINER_KIM, assignment.id)
    newer = tmp_path / "newer.json"
    export_assignments(trainer, TRAINER_KIM, cohort.id, newer)
    assert import_assignments(office, newer).status == "replaced"
    assert stored(office) == 2  # data-and-ml is no longer assigned
    with pytest.raises(AssignmentFileError, match="exported before the one already imported"):
        import_assignments(office, path)
    assert stored(office) == 2


def test_an_altered_file_is_refused_and_changes_nothing(exported, office):
    _cohort, path = exported
    data = json.loads(path.read_text(encoding="utf-8"))
    data["assignments"][0]["due"] = "2030-01-01"  # a later due date, by hand
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AssignmentFileError, match="checksum does not match"):
        import_assignments(office, path)
    assert stored(office) == 0


def test_a_truncated_file_is_refused_with_its_line(exported, office):
    _cohort, path = exported
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(AssignmentFileError) as refused:
        import_assignments(office, path)
    assert str(refused.value).startswith(f"{path}:") and "cut short" in str(refused.value)
    assert stored(office) == 0


@pytest.mark.parametrize("content, expected", [
    (b'{"format": "something-else"}', "not an assignments file"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"[1, 2, 3]", "not an assignments file"),
])
def test_other_files_are_refused(office, tmp_path, content, expected):
    path = tmp_path / "file.json"
    path.write_bytes(content)
    with pytest.raises(AssignmentFileError, match=expected):
        import_assignments(office, path)


def test_a_well_sealed_file_with_a_bad_field_is_still_refused(exported, office):
    """Someone could recompute the checksum: every field is checked before it is stored."""
    import hashlib

    from app.core.cohorts.assignment_file import _canonical

    _cohort, path = exported
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("sha256")
    data["assignments"][0]["due"] = "next Tuesday"
    data["sha256"] = hashlib.sha256(_canonical(data)).hexdigest()
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AssignmentFileError, match=r"assignments\[0\]\.due is not a date"):
        import_assignments(office, path)
    assert stored(office) == 0


def test_only_a_trainer_exports_and_staff_numbers_are_checked(exported, trainer, office, tmp_path):
    cohort, _path = exported
    with pytest.raises(NotAllowed):
        export_assignments(trainer, Principal("Lee", LEARNER, "l", "a"), cohort.id, tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()
    record = LearningRecord(office)
    kim = record.add_learner("Kim", "en")
    with pytest.raises(CohortError, match="longer than 64"):
        set_staff_number(record, kim.id, "9" * 65)
    with pytest.raises(CohortError, match="no such learner"):
        set_staff_number(record, "nobody", "1")
    set_staff_number(record, kim.id, "1")
    assert set_staff_number(record, kim.id, "  ") is None  # cleared
