"""What a learner does, as one API for the screens and the tests: each call writes its statement
durably before returning, so whatever the UI shows as done survives a crash.

    learning = Learning(record, learner)
    learning.open_lesson(course, item); learning.complete_lesson(course, item)
    attempt = learning.start_attempt(course, quiz_item)
    grade = learning.answer(course, quiz_item, attempt, question, response)
    result = learning.finish_attempt(course, quiz_item, attempt)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.core.course.model import Course, Item
from app.core.course.quiz import AnyQuestion, Grade
from app.core.record.progress import CourseProgress, derive_progress
from app.core.record.statements import (Ext, Statement, Verb, actor, course_iri, item_iri, make_statement,
                                        question_iri, task_iri)
from app.core.record.store import Learner, LearningRecord

CMI_INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
COURSE = "http://adlnet.gov/expapi/activities/course"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"  # a lab
OBJECTIVE = "http://adlnet.gov/expapi/activities/objective"  # one task of a lab
INTERACTION_TYPES = {"single": "choice", "multiple": "choice", "true_false": "true-false", "short": "fill-in",
                     "numerical": "numeric", "matching": "matching"}


class QuizClosed(Exception):
    """No attempts left under the course's retry rule."""


@dataclass(frozen=True)
class AttemptResult:
    percent: float
    passed: bool
    pass_percent: float
    attempts_left: int | None  # None = unlimited
    course_completed: bool


class Learning:
    def __init__(self, record: LearningRecord, learner: Learner):
        self.record = record
        self.learner = learner
        self._actor = actor(learner.id, learner.name, record.installation_id())

    def _emit(self, course: Course, verb: str, object_id: str, name: str, item: Item | None = None, **kw) -> Statement:
        statement = make_statement(actor_=self._actor, verb=verb, object_id=object_id, object_name=name,
                                   course_id=course.id, course_version=course.version,
                                   item_id=item.id if item else None, language=course.locale, **kw)
        self.record.append(statement, self.learner.id)
        return statement

    def progress(self, course: Course) -> CourseProgress:
        return derive_progress(course, self.record.statements(self.learner.id, course.id))

    def open_course(self, course: Course) -> CourseProgress:
        self._emit(course, Verb.LAUNCHED, course_iri(course.id), course.title, activity_type=COURSE)
        return self.progress(course)

    def open_lesson(self, course: Course, item: Item) -> None:
        self._emit(course, Verb.EXPERIENCED, item_iri(course.id, item.id), item.title, item)

    def complete_lesson(self, course: Course, item: Item) -> CourseProgress:
        progress = self.progress(course)
        if item.id not in progress.lessons_done:
            self._emit(course, Verb.COMPLETED, item_iri(course.id, item.id), item.title, item,
                       result={"completion": True})
        return self._complete_course_if_done(course)

    def suspend(self, course: Course, item: Item, position: float) -> None:
        """Remember where the learner was inside an item (scroll fraction or question index)."""
        self._emit(course, Verb.SUSPENDED, item_iri(course.id, item.id), item.title, item,
                   result={"extensions": {Ext.POSITION: round(float(position), 4)}})

    def start_attempt(self, course: Course, item: Item) -> str:
        quiz = self.progress(course).quizzes[item.id]
        if not quiz.can_start:
            raise QuizClosed(item.id)
        registration = str(uuid.uuid4())
        self._emit(course, Verb.ATTEMPTED, item_iri(course.id, item.id), item.title, item,
                   registration=registration, activity_type=ASSESSMENT)
        return registration

    def answer(self, course: Course, item: Item, registration: str, question: AnyQuestion, response) -> Grade:
        grade = question.grade(response)
        self._emit(course, Verb.ANSWERED, question_iri(course.id, item.id, question.id), question.prompt, item,
                   registration=registration, parent=item_iri(course.id, item.id),
                   activity_type=CMI_INTERACTION, interaction=INTERACTION_TYPES[question.type],
                   result={"response": grade.response, "success": grade.correct,
                           "score": {"scaled": round(grade.fraction, 4), "raw": round(grade.fraction * question.points, 4),
                                     "min": 0, "max": question.points}})
        return grade

    def finish_attempt(self, course: Course, item: Item, registration: str) -> AttemptResult:
        quiz = course.quizzes[item.id].for_attempt(registration)
        attempt = next(a for a in self.progress(course).quizzes[item.id].attempts if a.registration == registration)
        earned = sum(q.points * attempt.answers[q.id].fraction for q in quiz.questions if q.id in attempt.answers)
        scaled = earned / quiz.total_points if quiz.total_points else 1.0
        rules = item.rules
        assert rules is not None
        passed = scaled * 100 >= rules.pass_percent - 1e-9
        self._emit(course, Verb.PASSED if passed else Verb.FAILED, item_iri(course.id, item.id), item.title, item,
                   registration=registration, activity_type=ASSESSMENT,
                   result={"success": passed, "completion": True,
                           "score": {"scaled": round(scaled, 4), "raw": round(earned, 4), "min": 0,
                                     "max": quiz.total_points},
                           "extensions": {Ext.ATTEMPT: attempt.number}})
        progress = self._complete_course_if_done(course)
        return AttemptResult(100 * scaled, passed, rules.pass_percent, progress.quizzes[item.id].attempts_left,
                             progress.completed)

    # -- labs: opening, checking each task, completing (the work itself is autosaved elsewhere)
    def open_lab(self, course: Course, item: Item) -> None:
        self._emit(course, Verb.INITIALIZED, item_iri(course.id, item.id), item.title, item, activity_type=SIMULATION)

    def check_lab_task(self, course: Course, item: Item, task_id: str, task_title: str, passed: bool,
                       feedback: str) -> None:
        """One press of "Check my work": passed or failed, with the feedback the learner saw."""
        self._emit(course, Verb.PASSED if passed else Verb.FAILED, task_iri(course.id, item.id, task_id), task_title,
                   item, parent=item_iri(course.id, item.id), activity_type=OBJECTIVE,
                   result={"success": passed, "response": feedback[:1000]})

    def complete_lab(self, course: Course, item: Item) -> CourseProgress:
        """Every task passed: the lab counts as done in the course (once)."""
        progress = self.progress(course)
        if item.id not in progress.lessons_done:
            self._emit(course, Verb.COMPLETED, item_iri(course.id, item.id), item.title, item,
                       activity_type=SIMULATION, result={"completion": True, "success": True})
        return self._complete_course_if_done(course)

    def _complete_course_if_done(self, course: Course) -> CourseProgress:
        progress = self.progress(course)
        already = any(s.verb == Verb.COMPLETED and s.item_id is None
                      for s in self.record.statements(self.learner.id, course.id))
        if progress.completed and not already:
            score = progress.score_percent
            result: dict = {"completion": True, "success": True}
            if score is not None:
                result["score"] = {"scaled": round(score / 100, 4)}
            self._emit(course, Verb.COMPLETED, course_iri(course.id), course.title, activity_type=COURSE,
                       result=result)
        return progress
