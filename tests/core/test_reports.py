"""Reports (app/core/reports): per learner, per course, per question, over time and overdue, for a cohort or
for every learner; members matched to learning records by staff number, then by name; the same numbers
as derive_progress over whole records, whichever way the payloads are read and whatever order the
offices' records arrive in. Learners act through app.core.learning on the real course; their rows are
then copied into the trainer's collected tables, as a bundle import would."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed, Principal
from app.core.cohorts.assignment_file import set_staff_number
from app.core.cohorts.store import Cohorts
from app.core.collect.payloads import jsonl_file
from app.core.collect.rows import LearnerRow, insert_learners, statement_facts, write_statements
from app.core.course.loader import load_course
from app.core.learning import Learning
from app.core.record import statements as statements_module
from app.core.record.progress import derive_progress
from app.core.record.store import LearningRecord
from app.core.reports.build import build_report
from app.core.storage.database import Database, open_database
from app.core.storage.schema import collected_statements, learners, meta, statements
from app.core.tasks import Cancelled, TaskState
from tests.answers import right_answer, wrong_answer
from tests.conftest import COURSE

TRAINER_KIM = Principal("Trainer Kim", TRAINER, "l-trainer", "a-trainer")
UTC = dt.timezone.utc


# ---------------------------------------------------------------------------------------- helpers

def collect(office: Database, trainer: Database) -> int:
    """Copy an office's learners and statements into the trainer's collected tables, as a bundle import
    does (a set union by id). Returns how many statements were new."""
    with office.engine.connect() as source:
        here = source.scalar(select(meta.c.value).where(meta.c.key == "installation_id"))
        people = source.execute(select(learners)).all()
        rows = source.execute(select(statements)).all()
    added = 0
    with trainer.engine.begin() as target:
        insert_learners(target, [LearnerRow(f"{here}/{person.id}", here, person.id, person.name, person.staff_number,
                                            person.locale, "2026-01-01T00:00:00Z") for person in people])
        present = set(target.scalars(select(collected_statements.c.id)))
        fresh = [row for row in rows if row.id not in present]
        payloads = jsonl_file([row.payload for row in fresh])
        added = write_statements(target, [
            (row.id, f"{here}/{row.learner_id}", row.verb, row.object_id, row.course_id, row.course_version,
             row.timestamp, line, *statement_facts(json.loads(row.payload)))
            for line, row in enumerate(fresh, 1)], payloads, "test") if fresh else 0
    return added


def take_quiz(learning: Learning, course, item, answer, finish: bool = True):
    registration = learning.start_attempt(course, item)
    for question in course.quizzes[item.id].for_attempt(registration).questions:
        learning.answer(course, item, registration, question, answer(question))
    return learning.finish_attempt(course, item, registration) if finish else registration


def complete(learning: Learning, course, first_try=right_answer):
    for item in course.items:
        if item.kind == "lesson":
            learning.open_lesson(course, item)
            learning.complete_lesson(course, item)
        elif item.kind == "quiz":
            if take_quiz(learning, course, item, first_try).passed is False:
                take_quiz(learning, course, item, right_answer)


def learner(record: LearningRecord, name: str, staff: str | None = None) -> Learning:
    person = record.add_learner(name, "en")
    if staff:
        set_staff_number(record, person.id, staff)
    return Learning(record, person)


def tick_by_minutes(monkeypatch) -> None:
    """Statements a minute apart from 2 March 2026, 09:00 UTC: times and days in reports are then exact
    (the real clock puts a whole test inside one second)."""
    moments = iter(dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + dt.timedelta(minutes=n) for n in range(10**6))
    monkeypatch.setattr(statements_module, "now", lambda: next(moments))


def data_folders(tmp_path):
    """A function opening one database per named data folder (offices, the trainer), all disposed after."""
    opened = {}

    def database(name: str) -> Database:
        if name not in opened:
            opened[name] = open_database(tmp_path / name)
        return opened[name]

    yield database
    for database_ in opened.values():
        database_.dispose()


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    tick_by_minutes(monkeypatch)


@pytest.fixture
def course():
    return load_course(COURSE, "en")


@pytest.fixture
def databases(tmp_path):
    yield from data_folders(tmp_path)


def rows_by_name(report, table: str) -> dict:
    return {row["name"]: row for row in report.table(table).records()}


def local_time(timestamp: str | None) -> dt.datetime | None:
    if timestamp is None:
        return None
    return dt.datetime.fromisoformat(timestamp).astimezone(UTC).replace(tzinfo=None, microsecond=0)


# ---------------------------------------------------------------------------------------- the numbers

def test_each_learner_row_is_derive_progress_over_their_whole_record(databases, course):
    office, trainer = databases("office"), databases("trainer")
    record = LearningRecord(office)
    finisher = learner(record, "Kim Min-ji", "1001")
    complete(finisher, course, first_try=wrong_answer)  # every quiz failed once, then passed
    partway = learner(record, "Lee Seo-yeon", "1002")
    quizzes = [i for i in course.items if i.kind == "quiz"]
    partway.complete_lesson(course, course.items[0])
    take_quiz(partway, course, quizzes[0], wrong_answer)
    take_quiz(partway, course, quizzes[0], right_answer, finish=False)  # answers after the last finished attempt
    reader = learner(record, "Park Ji-ho", "1003")
    reader.open_course(course)
    reader.open_lesson(course, course.items[0])
    reader.suspend(course, course.items[0], 0.4)  # the newest statement: a suspend
    launcher = learner(record, "Choi Eun-ji", "1004")
    launcher.open_course(course)  # opened the outline: not started
    collect(office, trainer)
    cohort = Cohorts(trainer).create_cohort(TRAINER_KIM, "Seoul 2026")
    for name, staff in (("Kim Min-ji", "1001"), ("Lee Seo-yeon", "1002"), ("Park Ji-ho", "1003"),
                        ("Choi Eun-ji", "1004")):
        Cohorts(trainer).add_member(TRAINER_KIM, cohort.id, name, staff)
    report = build_report(trainer, TRAINER_KIM, [course], cohort.id, tz=UTC)
    rows = rows_by_name(report, "learners")
    scores = {(r["name"], r["quiz"]): r for r in report.table("quiz_scores").records()}
    titles = {item.id: str(item.title) for item in quizzes}
    for learning in (finisher, partway, reader, launcher):
        progress = derive_progress(course, record.statements(learning.learner.id, course.id))
        row = rows[learning.learner.name]
        completed_at = local_time(progress.completed_at)
        score = progress.score_percent
        assert row == {**row, "started": progress.started, "completed": progress.completed,
                       "completed_on": completed_at.date() if completed_at else None,
                       "progress": round(progress.percent, 1),
                       "average_best_score": None if score is None else round(score, 1),
                       "quizzes_passed": sum(1 for q in progress.quizzes.values() if q.passed),
                       "quizzes": len(quizzes), "last_activity": local_time(progress.last_active)}, learning.learner.name
        for item_id, quiz in progress.quizzes.items():
            key = (learning.learner.name, titles[item_id])
            if not quiz.attempts:
                assert key not in scores
                continue
            assert (scores[key]["best_score"], scores[key]["attempts"], scores[key]["passed"]) == (
                None if quiz.best_percent is None else round(quiz.best_percent, 1), len(quiz.finished_attempts),
                quiz.passed)
    # The cases that matter are there: Lee's newest statement is an answer (not given to derive_progress by
    # the report), Park's a suspend.
    assert record.statements(partway.learner.id)[-1].verb.endswith("answered")
    assert record.statements(reader.learner.id)[-1].verb.endswith("suspended")
    assert (rows["Choi Eun-ji"]["started"], rows["Park Ji-ho"]["started"]) == (False, True)
    [summary] = report.table("courses").records()
    assert summary == {**summary, "enrolled": 4, "started": 3, "completed": 1, "completion_rate": 25.0}
    best = [s for s in (rows[n]["average_best_score"] for n in rows) if s is not None]
    assert summary["average_best_score"] == pytest.approx(sum(best) / len(best), abs=0.05)


def test_sql_and_python_reading_paths_give_identical_reports(databases, course):
    office, trainer = databases("office"), databases("trainer")
    record = LearningRecord(office)
    complete(learner(record, "Kim", "1"), course, first_try=wrong_answer)
    partway = learner(record, "Lee", "2")
    take_quiz(partway, course, next(i for i in course.items if i.kind == "quiz"), wrong_answer)
    collect(office, trainer)
    here = LearningRecord(trainer)  # a learner on the trainer's own PC is counted too
    complete(learner(here, "Park", "3"), course)
    cohort = Cohorts(trainer).create_cohort(TRAINER_KIM, "C")
    for name, staff in (("Kim", "1"), ("Lee", "2"), ("Park", "3")):
        Cohorts(trainer).add_member(TRAINER_KIM, cohort.id, name, staff)
    for cohort_id in (cohort.id, None):
        in_sql = build_report(trainer, TRAINER_KIM, [course], cohort_id, tz=UTC, in_sql=True)
        in_python = build_report(trainer, TRAINER_KIM, [course], cohort_id, tz=UTC, in_sql=False)
        assert in_sql.tables == in_python.tables
    assert rows_by_name(in_sql, "learners")["Park"]["completed"] is True


def test_two_offices_imported_in_either_order_and_twice_give_the_same_report(databases, course):
    seoul, busan = databases("seoul"), databases("busan")
    seoul_record, busan_record = LearningRecord(seoul), LearningRecord(busan)
    complete(learner(seoul_record, "Kim Min-ji", "1001"), course)
    take_quiz(learner(seoul_record, "Lee Seo-yeon", "1002"), course, course.items[2], wrong_answer)
    complete(learner(busan_record, "Nguyen Lan", "2001"), course, first_try=wrong_answer)
    learner(busan_record, "Karimov Aziz", "2002").open_lesson(course, course.items[0])
    reports = []
    for order in (("seoul", "busan"), ("busan", "seoul", "busan", "seoul")):
        trainer = databases("trainer-" + "-".join(order))
        for office in order:
            collect(databases(office), trainer)
        store = Cohorts(trainer)
        cohort = store.create_cohort(TRAINER_KIM, "Offices 2026")
        for name, staff in (("Kim Min-ji", "1001"), ("Lee Seo-yeon", "1002"), ("Nguyen Lan", "2001"),
                            ("Karimov Aziz", "2002"), ("Sok Dara", "2003")):
            store.add_member(TRAINER_KIM, cohort.id, name, staff)
        store.assign_course(TRAINER_KIM, cohort.id, course.id, dt.date(2026, 1, 31))
        reports.append(build_report(trainer, TRAINER_KIM, [course], cohort.id, today=dt.date(2026, 3, 1), tz=UTC))
    first, second = reports
    assert first.tables == second.tables
    [summary] = first.table("courses").records()
    assert (summary["enrolled"], summary["started"], summary["completed"], summary["overdue"]) == (5, 4, 2, 3)


# ---------------------------------------------------------------------------------------- who is who

def test_members_are_matched_by_staff_number_then_by_name(databases, course):
    office, centre, trainer = databases("office"), databases("centre"), databases("trainer")
    record, centre_record = LearningRecord(office), LearningRecord(centre)
    learner(record, "KIM  min-ji", "ab-12").open_lesson(course, course.items[0])  # staff number, case aside
    learner(record, "Lee Seo-yeon").open_lesson(course, course.items[0])  # no staff number: by name
    learner(record, "Park Ji-ho", "9999").open_lesson(course, course.items[0])  # same name, other number
    learner(record, "Choi Eun-ji").open_lesson(course, course.items[0])  # a name two members share
    # One person on two PCs: lessons at the office, quizzes at the training centre; only together complete.
    at_office = learner(record, "Jung Ha-eun", "3003")
    at_centre = learner(centre_record, "Jung Ha-eun", "3003")
    for item in course.items:
        if item.kind == "lesson":
            at_office.complete_lesson(course, item)
        else:
            take_quiz(at_centre, course, item, right_answer)
    collect(office, trainer)
    collect(centre, trainer)
    store = Cohorts(trainer)
    cohort = store.create_cohort(TRAINER_KIM, "C")
    for name, staff in (("Kim Min-ji", "AB-12"), ("Lee Seo-yeon", "2002"), ("Park Ji-ho", "3001"),
                        ("Choi Eun-ji", None), ("Choi Eun-ji", "4002"), ("Jung Ha-eun", "3003")):
        store.add_member(TRAINER_KIM, cohort.id, name, staff)
    report = build_report(trainer, TRAINER_KIM, [course], cohort.id, tz=UTC)
    started = {(r["name"], r["staff_number"]): r["started"] for r in report.table("learners").records()}
    assert started == {("Kim Min-ji", "AB-12"): True, ("Lee Seo-yeon", "2002"): True, ("Park Ji-ho", "3001"): False,
                       ("Choi Eun-ji", None): False, ("Choi Eun-ji", "4002"): False, ("Jung Ha-eun", "3003"): True}
    assert rows_by_name(report, "learners")["Jung Ha-eun"]["completed"] is True
    unmatched = {(r["kind"], r["name"]) for r in report.table("unmatched").records()}
    assert unmatched == {("Member with no learning record", "Park Ji-ho"),
                         ("Member with no learning record", "Choi Eun-ji"),
                         ("Learning record of no member", "Park Ji-ho"),
                         ("Learning record of no member", "Choi Eun-ji")}


def test_without_a_cohort_everyone_with_a_record_is_reported_once(databases, course):
    office, centre, trainer = databases("office"), databases("centre"), databases("trainer")
    complete(learner(LearningRecord(office), "Kim Min-ji", "1001"), course)
    learner(LearningRecord(centre), "Kim Min-ji", "1001").open_lesson(course, course.items[0])
    learner(LearningRecord(centre), "Kim Min-ji").open_lesson(course, course.items[0])  # a namesake, no number
    learner(LearningRecord(office), "Lee", "1002").open_course(course)  # only opened the outline
    collect(office, trainer)
    collect(centre, trainer)
    report = build_report(trainer, TRAINER_KIM, [course], tz=UTC)
    assert report.cohort is None and "unmatched" not in report.table_keys
    rows = report.table("learners").records()
    assert sorted((r["name"], r["staff_number"] or "", r["completed"]) for r in rows) == [
        ("Kim Min-ji", "", False), ("Kim Min-ji", "1001", True)]
    [summary] = report.table("courses").records()
    assert (summary["cohort"], summary["enrolled"], summary["completed"]) == ("All learners", 2, 1)


# ---------------------------------------------------------------------------------------- questions

def test_question_difficulty_and_the_wrong_answers_most_chosen_in_the_quiz_own_words(databases, course):
    office, trainer = databases("office"), databases("trainer")
    record = LearningRecord(office)
    item = next(i for i in course.items if i.id == "ai-basics-check")
    quiz = course.quizzes[item.id]
    single, multiple, true_false, numerical, short = (quiz.question(q) for q in (
        "ml-definition", "rule-or-learning", "ai-accountable", "strategy-action-plans", "vouchers"))
    choices = {single.id: [0, 0, 0, 2, right_answer(single)]}  # three pick the first wrong choice, one the third
    typed = ["AI Funds ", "ai  funds", "vouchers", right_answer(short), right_answer(short)]
    for n in range(5):
        def answer(question, n=n):
            if question.id == single.id:
                return choices[single.id][n]
            if question.id == short.id:
                return typed[n]
            if question.id == numerical.id:
                return "9" if n < 3 else right_answer(question)
            if question.id in (multiple.id, true_false.id) and n < 2:
                return wrong_answer(question)
            return right_answer(question)
        take_quiz(learner(record, f"Learner {n}", str(n)), course, item, answer)
    collect(office, trainer)
    report = build_report(trainer, TRAINER_KIM, [course], tz=UTC)
    questions = {r["question_id"]: r for r in report.table("questions").records()}
    assert (questions[single.id]["answers"], questions[single.id]["correct"], questions[single.id]["share_correct"],
            questions[single.id]["learners"]) == (5, 1, 20.0, 5)
    assert questions[single.id]["top_wrong_answer"] == " ".join(single.choices[0].text.split())
    assert questions[single.id]["top_wrong_times"] == 3
    assert questions[single.id]["question"] == " ".join(single.prompt.split())
    wrong = {}
    for r in report.table("wrong_answers").records():
        wrong.setdefault(r["question_id"], []).append((r["rank"], r["wrong_answer"], r["times"]))
    assert wrong[single.id] == [(1, " ".join(single.choices[0].text.split()), 3),
                                (2, " ".join(single.choices[2].text.split()), 1)]
    assert wrong[numerical.id] == [(1, "9", 3)]
    assert wrong[true_false.id] == [(1, "True" if not true_false.answer else "False", 2)]
    assert wrong[short.id] == [(1, "AI Funds", 2), (2, "vouchers", 1)]  # case and spacing aside
    picked_wrong = {" ".join(c.text.split()) for c in multiple.choices if c.weight <= 0}
    assert {text for _rank, text, times in wrong[multiple.id]} == picked_wrong
    assert all(times == 2 for _rank, _text, times in wrong[multiple.id])
    untouched = [r for r in report.table("questions").records() if r["quiz"] != str(item.title)]
    assert untouched and all(r["answers"] == 0 and r["share_correct"] is None for r in untouched)


def test_a_matching_question_counts_each_wrong_pair_in_the_quiz_words(databases, course):
    office, trainer = databases("office"), databases("trainer")
    record = LearningRecord(office)
    item, question = next((i, q) for i in course.items if i.kind == "quiz"
                          for q in course.quizzes[i.id].questions if q.type == "matching")
    take_quiz(learner(record, "Kim", "1"), course, item,
              lambda q: {0: 1, 1: 0, **{i: i for i in range(2, len(q.pairs))}} if q.id == question.id
              else right_answer(q))
    collect(office, trainer)
    report = build_report(trainer, TRAINER_KIM, [course], tz=UTC)
    wrong = [(r["wrong_answer"], r["times"]) for r in report.table("wrong_answers").records()
             if r["question_id"] == question.id]
    pairs = question.pairs
    assert sorted(wrong) == sorted([(f"{' '.join(pairs[0].left.split())} → {' '.join(pairs[1].right.split())}", 1),
                                    (f"{' '.join(pairs[1].left.split())} → {' '.join(pairs[0].right.split())}", 1)])


# ---------------------------------------------------------------------------------------- time, due dates

def test_completions_over_time_and_overdue_learners(databases, course):
    office, trainer = databases("office"), databases("trainer")
    record = LearningRecord(office)
    complete(learner(record, "Kim", "1"), course)
    complete(learner(record, "Lee", "2"), course)
    learner(record, "Park", "3").complete_lesson(course, course.items[0])
    collect(office, trainer)
    store = Cohorts(trainer)
    cohort = store.create_cohort(TRAINER_KIM, "C")
    late = store.add_group(TRAINER_KIM, cohort.id, "Late office")
    for name, staff, group in (("Kim", "1", None), ("Lee", "2", None), ("Park", "3", None), ("Choi", "4", late.id)):
        store.add_member(TRAINER_KIM, cohort.id, name, staff, group_id=group)
    due = dt.date(2026, 3, 1)
    store.assign_course(TRAINER_KIM, cohort.id, course.id, due)
    store.assign_course(TRAINER_KIM, cohort.id, course.id, dt.date(2026, 3, 20), late.id)
    report = build_report(trainer, TRAINER_KIM, [course], cohort.id, today=dt.date(2026, 3, 15), tz=UTC)
    # Kim's statements run from 09:00 on Monday 2 March, a minute apart, and Lee's after them.
    assert [(r["period"], r["completed"], r["cumulative"]) for r in report.table("completions_by_day").records()] == [
        (dt.date(2026, 3, 2), 2, 2)]
    assert [(r["period"], r["completed"]) for r in report.table("completions_by_week").records()] == [
        (dt.date(2026, 3, 2), 2)]
    overdue = report.table("overdue").records()
    assert [(r["name"], r["due"], r["days_overdue"]) for r in overdue] == [("Park", due, 14)]  # not Choi: 20 March
    rows = rows_by_name(report, "learners")
    assert (rows["Choi"]["due"], rows["Choi"]["overdue"], rows["Kim"]["overdue"]) == (dt.date(2026, 3, 20), False,
                                                                                      False)
    # Twelve hours west of UTC, those mornings are still the evening of Sunday 1 March (that week's Monday: 23 Feb).
    west = build_report(trainer, TRAINER_KIM, [course], cohort.id, tz=dt.timezone(dt.timedelta(hours=-12)))
    assert [r["period"] for r in west.table("completions_by_day").records()] == [dt.date(2026, 3, 1)]
    assert [r["period"] for r in west.table("completions_by_week").records()] == [dt.date(2026, 2, 23)]
    assert report.table("courses").records()[0]["overdue"] == 1


def test_a_course_assigned_to_one_group_enrols_that_group_only(databases, course):
    trainer = databases("trainer")
    store = Cohorts(trainer)
    cohort = store.create_cohort(TRAINER_KIM, "C")
    seoul = store.add_group(TRAINER_KIM, cohort.id, "Seoul")
    store.add_member(TRAINER_KIM, cohort.id, "Kim", "1", group_id=seoul.id)
    store.add_member(TRAINER_KIM, cohort.id, "Lee", "2")
    store.assign_course(TRAINER_KIM, cohort.id, course.id, None, seoul.id)
    report = build_report(trainer, TRAINER_KIM, [course], cohort.id, tz=UTC)
    assert [(r["name"], r["group"]) for r in report.table("learners").records()] == [("Kim", "Seoul")]
    assert report.table("courses").records()[0]["enrolled"] == 1


# ---------------------------------------------------------------------------------------- task, roles

def test_only_a_trainer_builds_reports_and_cancel_stops_the_task(databases, course):
    trainer = databases("trainer")
    with pytest.raises(NotAllowed):
        build_report(trainer, Principal("Lee", LEARNER, "l", "a"), [course])
    record = LearningRecord(trainer)
    learner(record, "Kim", "1").open_lesson(course, course.items[0])
    state = TaskState()
    state.request_cancel()
    with pytest.raises(Cancelled):
        build_report(trainer, TRAINER_KIM, [course], state=state)
    seen = []
    build_report(trainer, TRAINER_KIM, [course], state=TaskState(lambda value, message: seen.append(value)))
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
