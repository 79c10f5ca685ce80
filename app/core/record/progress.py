"""Progress, scores and the resume point, derived from statements alone (nothing else is stored).

A pure function of (course, statements): the same statements, merged from any machines in any
order, always give the same progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.course.model import Course, Item
from app.core.record.statements import Ext, Statement, Verb


@dataclass(frozen=True)
class Answer:
    question_id: str
    response: str
    fraction: float


@dataclass(frozen=True)
class Attempt:
    registration: str
    number: int
    answers: dict[str, Answer] = field(default_factory=dict)
    percent: float | None = None  # None while unfinished
    passed: bool | None = None

    @property
    def finished(self) -> bool:
        return self.percent is not None


@dataclass(frozen=True)
class QuizProgress:
    item_id: str
    attempts: tuple[Attempt, ...]
    max_attempts: int

    @property
    def finished_attempts(self) -> tuple[Attempt, ...]:
        return tuple(a for a in self.attempts if a.finished)

    @property
    def current(self) -> Attempt | None:
        """The attempt in progress (started, not finished), if any."""
        return next((a for a in reversed(self.attempts) if not a.finished), None)

    @property
    def best_percent(self) -> float | None:
        scores = [a.percent for a in self.finished_attempts if a.percent is not None]
        return max(scores) if scores else None

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.finished_attempts)

    @property
    def attempts_left(self) -> int | None:
        """None means unlimited."""
        if self.max_attempts == 0:
            return None
        return max(self.max_attempts - len(self.attempts), 0)

    @property
    def can_start(self) -> bool:
        return self.attempts_left is None or self.attempts_left > 0


@dataclass(frozen=True)
class ResumePoint:
    item_id: str
    position: float = 0.0  # 0..1 through a lesson; question index in a quiz


@dataclass(frozen=True)
class CourseProgress:
    course_id: str
    started: bool
    lessons_done: frozenset[str]
    quizzes: dict[str, QuizProgress]
    resume: ResumePoint | None
    completed: bool
    total_items: int
    last_active: str | None = None  # ISO 8601 timestamp of the newest statement that is not a launch
    completed_at: str | None = None  # when the course first became complete
    lab_tasks: dict[str, frozenset[str]] = field(default_factory=dict)  # lab item -> ids of tasks passed

    def item_done(self, item: Item) -> bool:
        if item.kind == "quiz":
            quiz = self.quizzes.get(item.id)
            return bool(quiz and quiz.passed)
        return item.id in self.lessons_done

    @property
    def done_items(self) -> int:
        return len(self.lessons_done) + sum(1 for q in self.quizzes.values() if q.passed)

    @property
    def percent(self) -> float:
        return 100.0 if self.completed else (100.0 * self.done_items / self.total_items if self.total_items else 0.0)

    @property
    def score_percent(self) -> float | None:
        """The mean of the best score of each quiz taken."""
        best = [q.best_percent for q in self.quizzes.values() if q.best_percent is not None]
        return sum(best) / len(best) if best else None


# The verbs as plain module constants: derive_progress runs once per learner and course in a report of
# thousands, so its loop reads locals rather than class attributes.
_LAUNCHED, _COMPLETED, _EXPERIENCED, _INITIALIZED = Verb.LAUNCHED, Verb.COMPLETED, Verb.EXPERIENCED, Verb.INITIALIZED
_PASSED, _FAILED, _SUSPENDED, _ATTEMPTED, _ANSWERED = (Verb.PASSED, Verb.FAILED, Verb.SUSPENDED, Verb.ATTEMPTED,
                                                       Verb.ANSWERED)


def derive_progress(course: Course, statements: list[Statement]) -> CourseProgress:
    items = {item.id: item for item in course.items}
    lesson_ids = {i for i, item in items.items() if item.kind in ("lesson", "lab")}
    lab_ids = {i for i, item in items.items() if item.kind == "lab"}
    item_count = len(items)
    following_of = course.next_item
    lessons_done: set[str] = set()
    attempts: dict[str, dict[str, dict]] = {}  # quiz item -> registration -> attempt fields
    resume: ResumePoint | None = None
    started = False
    course_completed = False
    last_active: str | None = None
    completed_at: str | None = None
    items_done_at: str | None = None  # when the last item was done: the completion time with no course statement
    passed_quizzes: set[str] = set()
    lab_tasks: dict[str, set[str]] = {}
    for s in statements:  # oldest first
        item_id, verb, timestamp = s.item_id, s.verb, s.timestamp
        if verb != _LAUNCHED:  # merely opening the outline is not starting the course
            started = True
            if last_active is None or timestamp > last_active:
                last_active = timestamp
        if verb == _COMPLETED and item_id is None:
            course_completed = True
            if completed_at is None or timestamp < completed_at:
                completed_at = timestamp
            continue
        if item_id not in items:
            continue  # an item removed in a newer version of the course
        # The branches exclude each other (one verb each, but passed/failed: a lab's first); the most frequent
        # verb, an answer, is tried first.
        if verb == _ANSWERED:
            quiz = attempts.get(item_id)
            record = quiz.get(s.registration) if quiz else None
            if record is not None:
                question_id = s.object_id.rsplit(":", 1)[-1]
                score = s.result.get("score", {}).get("scaled", 0.0)
                answers = record["answers"]
                answers[question_id] = Answer(question_id, s.result.get("response", ""), float(score))
                resume = ResumePoint(item_id, float(len(answers)))
        elif verb == _COMPLETED:
            if item_id in lesson_ids:
                lessons_done.add(item_id)
                following = following_of(item_id)
                resume = ResumePoint(following.id) if following else resume
        elif verb == _EXPERIENCED or verb == _INITIALIZED:
            resume = ResumePoint(item_id)
        elif (verb == _PASSED or verb == _FAILED) and item_id in lab_ids:
            if verb == _PASSED and ":task:" in s.object_id:
                lab_tasks.setdefault(item_id, set()).add(s.object_id.rsplit(":task:", 1)[1])
            resume = ResumePoint(item_id)
        elif verb == _SUSPENDED:
            resume = ResumePoint(item_id, float(s.result_extension(Ext.POSITION, 0.0) or 0.0))
        elif verb == _ATTEMPTED:
            if s.registration:
                quiz = attempts.setdefault(item_id, {})
                quiz.setdefault(s.registration, {"number": len(quiz) + 1, "answers": {}, "percent": None,
                                                 "passed": None})
                resume = ResumePoint(item_id)
        elif verb == _PASSED or verb == _FAILED:
            quiz = attempts.get(item_id)
            record = quiz.get(s.registration) if quiz else None
            if record is not None:
                record["percent"] = 100.0 * float(s.result.get("score", {}).get("scaled", 0.0))
                record["passed"] = verb == _PASSED
                if record["passed"]:
                    passed_quizzes.add(item_id)
                following = following_of(item_id)
                resume = ResumePoint(following.id) if (following and record["passed"]) else ResumePoint(item_id)
        if items_done_at is None and item_count and len(lessons_done) + len(passed_quizzes) == item_count:
            items_done_at = timestamp  # e.g. the halves done on two PCs, merged: no "completed" statement
    quizzes = {}
    for item in course.items:
        if item.kind != "quiz":
            continue
        regs = attempts.get(item.id, {})
        quizzes[item.id] = QuizProgress(item.id, tuple(
            Attempt(reg, fields["number"], dict(fields["answers"]), fields["percent"], fields["passed"])
            for reg, fields in regs.items()), item.rules.max_attempts if item.rules else 0)
    lessons_done &= lesson_ids
    done = len(lessons_done) + sum(1 for q in quizzes.values() if q.passed)
    completed = course_completed or (done == len(items) > 0)
    return CourseProgress(course.id, started, frozenset(lessons_done), quizzes, resume, completed, len(items),
                          last_active, (completed_at or items_done_at) if completed else None,
                          {item: frozenset(tasks) for item, tasks in lab_tasks.items()})
