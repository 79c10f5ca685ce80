"""`build_report`: the report on a cohort (or on every learner this machine knows) for some courses, as
one long task (TaskState: progress and cancel). No Qt: a screen runs it on the task runner, the
`report` command runs it directly, and both get the same Report.

Completion and quiz scores per person are `derive_progress` over their statements (all their records
merged), as the learner's own screen derives them. It is given the statements that move them
(completed, attempted, passed, failed); the others only move the resume point and the attempt in
progress, which a report does not show. "Started" and "last activity" are derive_progress's own rule
(any statement but a launch, and the newest one's time) applied to every statement as it is read. A
test holds the report to derive_progress over whole records.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.cohorts.store import Cohorts, effective_assignments
from app.core.course.model import Course
from app.core.i18n import _
from app.core.record.progress import CourseProgress, derive_progress
from app.core.reports.matching import Person, group_records, match_members
from app.core.reports.model import BOOLEAN, DATE, DATETIME, INTEGER, PERCENT, Column, Report, Table, mean, percent
from app.core.reports.questions import QuestionTally, top_wrong
from app.core.reports.sources import CourseData, LearnerRecord, learner_records, read_courses, tally_answers
from app.core.storage.database import Database
from app.core.tasks import TaskState

CHECK_EVERY = 200  # people between two looks at the cancel button


@dataclass
class _Row:
    """One person in one course, as the tables need them (progress's derived values read once)."""

    person: Person
    progress: CourseProgress
    started: bool
    last_active: dt.datetime | None
    completed_on: dt.date | None
    due: dt.date | None
    overdue_days: int | None
    percent: float = 0.0
    score: float | None = None  # rounded for the tables
    score_percent: float | None = None  # progress.score_percent, for the course's average
    quizzes_passed: int = 0
    quizzes: dict[str, tuple[float | None, int, bool]] = field(default_factory=dict)  # taken: (best, finished, passed)

    def __post_init__(self) -> None:
        # Each quiz's best score, finished attempts and pass, as QuizProgress.best_percent, finished_attempts and
        # passed give them, read once: each of those walks the attempts again, and a report reads them for
        # thousands of people. From them, CourseProgress.percent and score_percent, as those compute them.
        progress = self.progress
        bests = []
        for item_id, quiz in progress.quizzes.items():
            best, finished, passed = None, 0, False
            for attempt in quiz.attempts:
                if attempt.percent is not None:  # Attempt.finished
                    finished += 1
                    best = attempt.percent if best is None else max(best, attempt.percent)
                    passed = passed or bool(attempt.passed)
            self.quizzes_passed += passed
            if best is not None:
                bests.append(best)
            if quiz.attempts:
                self.quizzes[item_id] = (best, finished, passed)
        self.score_percent = sum(bests) / len(bests) if bests else None
        self.score = None if self.score_percent is None else round(self.score_percent, 1)
        done = len(progress.lessons_done) + self.quizzes_passed
        self.percent = round(100.0 if progress.completed else (
            100.0 * done / progress.total_items if progress.total_items else 0.0), 1)


def build_report(database: Database, principal: Principal, courses: Sequence[Course], cohort_id: str | None = None,
                 *, today: dt.date | None = None, tz: dt.tzinfo | None = None, state: TaskState | None = None,
                 in_sql: bool | None = None) -> Report:
    """The report for `courses` on the cohort `cohort_id`, or on every learner this machine knows (None).

    `today` decides what is overdue (default: today); times are shown in `tz` (default: this machine's
    local time, summer time included, date by date).
    """
    require(principal, TRAINER)
    with _collector_paused():
        return _build(database, principal, courses, cohort_id, today, tz, state or TaskState(), in_sql)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a report is built: it would otherwise walk the
    hundreds of thousands of objects read, again and again (a fifth of the report's time), to find no
    cycle. Reference counting frees them all the same."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(database: Database, principal: Principal, courses: Sequence[Course], cohort_id: str | None,
           today: dt.date | None, tz: dt.tzinfo | None, state: TaskState, in_sql: bool | None) -> Report:
    today = today or dt.date.today()
    courses = list({c.id: c for c in courses}.values())
    state.set_progress(0, 1, _("Reading the learning records…"))
    cohort_name, people, unmatched, due, groups = None, [], [], {}, {}
    if cohort_id is not None:
        store = Cohorts(database)
        cohort_name = store.cohort(principal, cohort_id).name
        members = store.members(principal, cohort_id)
        groups = {g.id: g.name for g in store.groups(principal, cohort_id)}
        due = effective_assignments(members, store.assignments(principal, cohort_id))
    course_ids = [c.id for c in courses]
    with database.engine.connect() as conn:
        records = learner_records(conn)
        by_course = read_courses(conn, course_ids, in_sql, answers=False)
        state.raise_if_cancelled()
        active = {key for data in by_course.values() for key in data.keys}
        if cohort_id is not None:
            people, unmatched = match_members(members, records)
            unmatched = [r for r in unmatched if r.key in active]
        else:
            people = group_records([r for r in records if r.key in active])
        populations = {course.id: _population(course.id, people, by_course[course.id], cohort_id, due)
                       for course in courses}
        numbers = {course_id: {key: n for n, person in enumerate(population) for key in person.keys}
                   for course_id, population in populations.items()}  # a person is their place in the population
        tallies = tally_answers(conn, course_ids, numbers, in_sql)
    state.raise_if_cancelled()

    def local(timestamp: str | None) -> dt.datetime | None:
        if not timestamp:
            return None
        return dt.datetime.fromisoformat(timestamp).astimezone(tz).replace(tzinfo=None, microsecond=0)

    course_rows, learner_rows, score_rows, question_rows, wrong_rows = [], [], [], [], []
    day_rows, week_rows, overdue_rows = [], [], []
    total = sum(len(people) for _c in courses) or 1
    done = 0
    for course in courses:
        data = by_course[course.id]
        population = populations[course.id]
        rows: list[_Row] = []
        untouched = derive_progress(course, [])  # everyone without a statement: computed once
        for index, person in enumerate(population):
            if index % CHECK_EVERY == 0:
                state.raise_if_cancelled()
                state.set_progress(done + index, total, _("Building the report…"))
            rows.append(_person_row(course, person, data, due, today, local, untouched))
        done += len(people)
        title = str(course.title)
        quiz_items = [(item.id, str(item.title)) for item in course.items if item.kind == "quiz"]
        for row in rows:
            learner_rows.append(_learner_cells(course, row, groups))
            for item_id, quiz_title in quiz_items:
                taken = row.quizzes.get(item_id)
                if taken:
                    best, finished, passed = taken
                    score_rows.append((course.id, row.person.name, row.person.staff_number, quiz_title,
                                       None if best is None else round(best, 1), finished, passed))
            if row.overdue_days is not None:
                overdue_rows.append((course.id, row.person.name, row.person.staff_number, _department(row.person),
                                     _group(row.person, groups), row.due, row.overdue_days, row.percent,
                                     row.last_active))
        scores = [r.score_percent for r in rows if r.score is not None]
        completed = sum(1 for r in rows if r.progress.completed)
        course_rows.append((course.id, title, course.version, cohort_name or _("All learners"), len(rows),
                            sum(1 for r in rows if r.started), completed, percent(completed, len(rows)),
                            mean(scores), sum(1 for r in rows if r.overdue_days is not None)))
        _question_cells(course, tallies[course.id], question_rows, wrong_rows)
        _completion_cells(course, rows, day_rows, week_rows)
    state.set_progress(1, 1, _("Building the report…"))
    tables = [
        Table("courses", _("Courses"), _course_columns(), tuple(course_rows)),
        Table("learners", _("Learners"), _learner_columns(), tuple(learner_rows)),
        Table("quiz_scores", _("Quiz scores"), _score_columns(), tuple(score_rows)),
        Table("questions", _("Questions"), _question_columns(), tuple(question_rows)),
        Table("wrong_answers", _("Wrong answers"), _wrong_columns(), tuple(wrong_rows)),
        Table("completions_by_day", _("Completions by day"), _over_time_columns(_("Day")), tuple(day_rows)),
        Table("completions_by_week", _("Completions by week"), _over_time_columns(_("Week (from Monday)")),
              tuple(week_rows)),
        Table("overdue", _("Overdue"), _overdue_columns(), tuple(overdue_rows)),
    ]
    if cohort_id is not None:
        tables.append(Table("unmatched", _("Not matched"), _unmatched_columns(),
                            tuple(_unmatched_cells(people, unmatched, groups, by_course, local))))
    title = (_("{cohort}: progress report").format(cohort=cohort_name) if cohort_name
             else _("All learners: progress report"))
    generated = dt.datetime.now(tz).replace(tzinfo=None, microsecond=0)
    return Report(title, generated, cohort_name, tuple(c.id for c in courses), tuple(tables))


def _population(course_id: str, people: list[Person], data: CourseData, cohort_id: str | None,
                due: dict) -> list[Person]:
    """Who the course's rows are about: the members it is assigned to (everyone, when it is assigned to no
    one); without a cohort, everyone with a statement in it."""
    if cohort_id is not None:
        assigned = {member_id for member_id, assigned_course in due if assigned_course == course_id}
        return [p for p in people if p.member.id in assigned] if assigned else list(people)
    keys = data.keys
    return [p for p in people if any(k in keys for k in p.keys)]


def _person_row(course: Course, person: Person, data: CourseData, due: dict, today: dt.date, local,
                untouched: CourseProgress) -> _Row:
    keys = person.keys
    lists = [data.progress[k] for k in keys if k in data.progress]
    if not lists:
        progress = untouched
    elif len(lists) == 1:
        progress = derive_progress(course, lists[0])
    else:  # one person on several PCs: their records interleave in time
        progress = derive_progress(course, sorted((s for part in lists for s in part), key=lambda s: s.timestamp))
    last = max((data.last_active[k] for k in keys if k in data.last_active), default=None)
    assignment = due.get((person.member.id, course.id)) if person.member else None
    due_date = assignment.due if assignment else None
    overdue = (today - due_date).days if (due_date and due_date < today and not progress.completed) else None
    completed_at = local(progress.completed_at)
    return _Row(person, progress, last is not None, local(last), completed_at.date() if completed_at else None,
                due_date, overdue)


def _department(person: Person) -> str:
    return person.member.department if person.member else ""


def _group(person: Person, groups: dict[str, str]) -> str:
    return groups.get(person.member.group_id or "", "") if person.member else ""


def _learner_cells(course: Course, row: _Row, groups: dict[str, str]) -> tuple:
    return (course.id, row.person.name, row.person.staff_number, _department(row.person), _group(row.person, groups),
            row.started, row.progress.completed, row.completed_on, row.percent, row.score, row.quizzes_passed,
            len(row.progress.quizzes), row.last_active, row.due, row.overdue_days is not None)


def _question_cells(course: Course, tallies: dict[tuple[str, str], QuestionTally], question_rows: list,
                    wrong_rows: list) -> None:
    for item in course.items:
        quiz = course.quizzes.get(item.id) if item.kind == "quiz" else None
        if quiz is None:
            continue
        for question in quiz.questions:
            tally = tallies.get((item.id, question.id)) or QuestionTally()
            wrong = top_wrong(question, tally)
            prompt = " ".join(str(question.prompt).split())
            question_rows.append((course.id, str(item.title), question.id, prompt, question.type, len(tally.people),
                                  tally.answers, tally.correct, percent(tally.correct, tally.answers),
                                  wrong[0][0] if wrong else None, wrong[0][1] if wrong else None))
            for rank, (text, times) in enumerate(wrong, start=1):
                wrong_rows.append((course.id, str(item.title), question.id, prompt, rank, text, times))


def _completion_cells(course: Course, rows: list[_Row], day_rows: list, week_rows: list) -> None:
    days = Counter(r.completed_on for r in rows if r.completed_on)
    weeks = Counter(d - dt.timedelta(days=d.weekday()) for d in days.elements())
    for counter, out in ((days, day_rows), (weeks, week_rows)):
        running = 0
        for moment in sorted(counter):
            running += counter[moment]
            out.append((course.id, moment, counter[moment], running))


def _unmatched_cells(people: list[Person], unmatched: list[LearnerRecord], groups: dict[str, str],
                     by_course: dict[str, CourseData], local) -> list[tuple]:
    cells = [(_("Member with no learning record"), p.name, p.staff_number, _group(p, groups), None, None)
             for p in people if not p.records]
    for record in sorted(unmatched, key=lambda r: (r.name.casefold(), r.key)):
        last = max((d.last_active[record.key] for d in by_course.values() if record.key in d.last_active),
                   default=None)
        cells.append((_("Learning record of no member"), record.name, record.staff_number, None,
                      record.installation_id, local(last)))
    return cells


# -- columns: titles are translated when a report is built, in the language of that moment

def _course_columns() -> tuple[Column, ...]:
    return (Column("course", _("Course")), Column("title", _("Title")), Column("version", _("Version")),
            Column("cohort", _("Cohort")), Column("enrolled", _("Enrolled"), INTEGER),
            Column("started", _("Started"), INTEGER), Column("completed", _("Completed"), INTEGER),
            Column("completion_rate", _("Completion rate (%)"), PERCENT),
            Column("average_best_score", _("Average best score (%)"), PERCENT),
            Column("overdue", _("Overdue"), INTEGER))


def _learner_columns() -> tuple[Column, ...]:
    return (Column("course", _("Course")), Column("name", _("Name")), Column("staff_number", _("Staff number")),
            Column("department", _("Department")), Column("group", _("Group")),
            Column("started", _("Started"), BOOLEAN), Column("completed", _("Completed"), BOOLEAN),
            Column("completed_on", _("Completed on"), DATE), Column("progress", _("Progress (%)"), PERCENT),
            Column("average_best_score", _("Average best score (%)"), PERCENT),
            Column("quizzes_passed", _("Quizzes passed"), INTEGER), Column("quizzes", _("Quizzes"), INTEGER),
            Column("last_activity", _("Last activity"), DATETIME), Column("due", _("Due date"), DATE),
            Column("overdue", _("Overdue"), BOOLEAN))


def _score_columns() -> tuple[Column, ...]:
    return (Column("course", _("Course")), Column("name", _("Name")), Column("staff_number", _("Staff number")),
            Column("quiz", _("Quiz")), Column("best_score", _("Best score (%)"), PERCENT),
            Column("attempts", _("Attempts finished"), INTEGER), Column("passed", _("Passed"), BOOLEAN))


def _question_columns() -> tuple[Column, ...]:
    return (Column("course", _("Course")), Column("quiz", _("Quiz")), Column("question_id", _("Question id")),
            Column("question", _("Question")), Column("type", _("Type")),
            Column("learners", _("Learners"), INTEGER), Column("answers", _("Answers"), INTEGER),
            Column("correct", _("Correct"), INTEGER), Column("share_correct", _("Share correct (%)"), PERCENT),
            Column("top_wrong_answer", _("Wrong answer most chosen")),
            Column("top_wrong_times", _("Times chosen"), INTEGER))


def _wrong_columns() -> tuple[Column, ...]:
    return (Column("course", _("Course")), Column("quiz", _("Quiz")), Column("question_id", _("Question id")),
            Column("question", _("Question")), Column("rank", _("Rank"), INTEGER),
            Column("wrong_answer", _("Wrong answer")), Column("times", _("Times chosen"), INTEGER))


def _over_time_columns(period: str) -> tuple[Column, ...]:
    return (Column("course", _("Course")), Column("period", period, DATE),
            Column("completed", _("Completed"), INTEGER), Column("cumulative", _("Completed so far"), INTEGER))


def _overdue_columns() -> tuple[Column, ...]:
    return (Column("course", _("Course")), Column("name", _("Name")), Column("staff_number", _("Staff number")),
            Column("department", _("Department")), Column("group", _("Group")), Column("due", _("Due date"), DATE),
            Column("days_overdue", _("Days overdue"), INTEGER), Column("progress", _("Progress (%)"), PERCENT),
            Column("last_activity", _("Last activity"), DATETIME))


def _unmatched_columns() -> tuple[Column, ...]:
    return (Column("kind", _("What")), Column("name", _("Name")), Column("staff_number", _("Staff number")),
            Column("group", _("Group")), Column("installation", _("Installation")),
            Column("last_activity", _("Last activity"), DATETIME))
