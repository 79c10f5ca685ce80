"""Question pools at quiz time: a quiz may draw a few questions from each pool (Moodle's random
questions from a category), the draw is fixed per attempt, and only the drawn questions are graded."""

from __future__ import annotations

import pytest

from app.core.accounts.roles import TRAINER, Principal
from app.core.authoring import commands as c
from app.core.authoring import saving
from app.core.authoring.document import CourseDocument
from app.core.authoring.questions import template
from app.core.course.loader import load_course
from app.core.course.quiz import parse_quiz
from app.core.learning import Learning
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database
from labs.registry import lab_ids

TRAINER_P = Principal("Park Trainer", TRAINER, None)


def quiz_text(draw: str = "") -> str:
    questions = "".join(
        f"  - {{id: {pool}-{n}, type: true_false, prompt: '{pool} {n}?', answer: true, pool: {pool}}}\n"
        for pool in ("roads", "rail") for n in range(1, 5))
    return draw + "questions:\n" + questions + "  - {id: always, type: true_false, prompt: 'Always?', answer: true}\n"


def parse(text: str):
    problems: list = []
    quiz = parse_quiz(text, "quizzes/q.quiz.yaml", problems, lambda s: s)
    return quiz, problems


def test_a_quiz_without_draw_rules_asks_every_question():
    quiz, problems = parse(quiz_text())
    assert problems == []
    assert quiz.attempt_size == 9
    assert quiz.for_attempt("any") is quiz


def test_each_attempt_draws_the_count_from_each_pool_and_keeps_unpooled_questions():
    quiz, problems = parse(quiz_text("draw:\n  - {pool: roads, count: 2}\n"))
    assert problems == []
    assert quiz.draw == (("roads", 2),)
    assert quiz.attempt_size == 2 + 4 + 1  # two roads, every rail (no rule), the unpooled one
    drawn = quiz.for_attempt("registration-1")
    ids = [q.id for q in drawn.questions]
    assert len(ids) == 7 and sum(i.startswith("roads-") for i in ids) == 2 and "always" in ids
    assert ids == [q.id for q in quiz.questions if q.id in ids]  # the file's order
    assert [q.id for q in quiz.for_attempt("registration-1").questions] == ids  # same attempt, same draw
    draws = {tuple(q.id for q in quiz.for_attempt(f"r{n}").questions) for n in range(40)}
    assert len(draws) > 1  # attempts differ
    assert {i for d in draws for i in d if i.startswith("roads-")} == {f"roads-{n}" for n in range(1, 5)}


@pytest.mark.parametrize("draw, line, words", [
    ("draw:\n  - {pool: trams, count: 1}\n", 2, "No question is in the pool 'trams'. Pools in this quiz: rail, roads."),
    ("draw:\n  - {pool: roads, count: 5}\n", 2, "The pool 'roads' holds 4 questions; an attempt cannot draw 5."),
    ("draw:\n  - {pool: roads, count: 0}\n", 2, "'count' should be at least 1, not 0."),
    ("draw:\n  - {pool: roads, count: 1}\n  - {pool: roads, count: 2}\n", 3,
     "The pool 'roads' has two draw rules; keep one."),
    ("draw:\n  - {pool: roads, number: 1}\n", 2, "Unknown field 'number'. Allowed here: count, pool."),
])
def test_bad_draw_rules_are_reported_with_their_line(draw, line, words):
    _quiz, problems = parse(quiz_text(draw))
    assert any(p.line == line and words in p.message for p in problems), problems


def test_the_score_counts_only_the_drawn_questions(tmp_path):
    folder = saving.create_course(TRAINER_P, tmp_path / "courses", "Transport", known_labs=lab_ids())
    doc = CourseDocument.open(TRAINER_P, folder)
    doc.apply(c.AddItem(doc.modules[0]["id"], "quiz", "Check"))
    quiz_id = doc.modules[0]["items"][-1]["id"]
    path = doc.item(quiz_id)["quiz"]
    doc.files[path] = quiz_text().encode()
    doc.apply(c.SetDraw(quiz_id, "roads", 1))
    doc.apply(c.SetDraw(quiz_id, "rail", 1))
    doc.apply(c.EditQuestion(quiz_id, 8, {**template("true_false", "always"), "prompt": "Still always?"}))
    assert doc.text(path).startswith("draw:")  # a question edit keeps the draw rules
    saving.save_course(TRAINER_P, doc, lab_ids())
    course = load_course(folder, "en")
    item = next(i for i in course.items if i.id == quiz_id)
    assert course.quizzes[quiz_id].attempt_size == 3

    database = open_database(tmp_path / "data")
    try:
        record = LearningRecord(database)
        learning = Learning(record, record.add_learner("Kim Min-ji", "en"))
        registration = learning.start_attempt(course, item)
        drawn = course.quizzes[quiz_id].for_attempt(registration).questions
        assert len(drawn) == 3
        for question in drawn:  # all right: 100 %, though the quiz holds 9 questions
            learning.answer(course, item, registration, question, True)
        result = learning.finish_attempt(course, item, registration)
        assert result.percent == pytest.approx(100)
    finally:
        database.dispose()


def test_a_count_of_zero_removes_the_rule(tmp_path):
    folder = saving.create_course(TRAINER_P, tmp_path / "courses", "Transport", known_labs=lab_ids())
    doc = CourseDocument.open(TRAINER_P, folder)
    doc.apply(c.AddItem(doc.modules[0]["id"], "quiz", "Check"))
    quiz_id = doc.modules[0]["items"][-1]["id"]
    path = doc.item(quiz_id)["quiz"]
    doc.files[path] = quiz_text().encode()
    doc.apply(c.SetDraw(quiz_id, "roads", 2))
    doc.apply(c.SetDraw(quiz_id, "roads", 0))
    assert "draw" not in doc.text(path)
    assert doc.problems(lab_ids(), translations=False) == []
