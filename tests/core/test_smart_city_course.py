"""The bundled course "Smart-city AI for public services" (issue 8): it passes `course check` whole, in every
shipped language; its labs are the five smart-city labs this build ships; its ids stay stable; and its quiz covers
every module, with feedback on every answer. No Qt.

Written for the finished state of issue 8: all five labs registered and loadable, and all nine translation
catalogs in translations/. Until the lead adds the last lab and the catalogs, the tests that need them fail.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from app.core.course.loader import image_coverage, load_course, translation_coverage
from app.core.course.quiz import Matching, MultipleChoice, Numerical, ShortAnswer, SingleChoice, TrueFalse
from app.core.i18n import shipped_locales
from labs.registry import lab_ids, load_lab
from tests.conftest import ROOT

COURSE = ROOT / "courses" / "smart-city"

# Module id -> item ids, in order. The learning record points at these ids: they never change.
STRUCTURE = {
    "city-data": ["smart-city-ai", "traffic-signals", "traffic-lab"],
    "care-and-environment": ["elder-care", "care-lab", "air-quality", "air-lab"],
    "energy-and-food": ["plant-energy", "energy-lab", "container-farms", "farm-lab"],
    "judging-pilots": ["what-went-wrong", "evaluating-pilots", "smart-city-check"],
}
LABS = {
    "traffic-lab": "smart_city/traffic-signals",
    "care-lab": "smart_city/elder-care",
    "air-lab": "smart_city/air-quality",
    "energy-lab": "smart_city/plant-energy",
    "farm-lab": "smart_city/container-farm",
}
# Which module each quiz question checks. A new question must be placed here.
QUESTION_MODULES = {
    "korean-cases": "city-data",
    "webster-cycle": "city-data",
    "over-capacity": "city-data",
    "care-measures": "care-and-environment",
    "care-who-sees": "care-and-environment",
    "air-very-bad-band": "care-and-environment",
    "air-threshold": "care-and-environment",
    "air-tune-on-test-year": "care-and-environment",
    "kwh-or-won": "energy-and-food",
    "baseline-model": "energy-and-food",
    "thirteen-harvests": "energy-and-food",
    "farm-electricity-cost": "energy-and-food",
    "feedback-loop": "judging-pilots",
    "pilot-effect": "judging-pilots",
    "measures-in-advance": "judging-pilots",
    "contract-terms": "judging-pilots",
}


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE, known_labs=lab_ids())  # raises InvalidInput listing every problem


def _quiz(course):
    (quiz,) = course.quizzes.values()
    return quiz


def test_course_check_accepts_the_package_whole():
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "main.py", "course", "check", str(COURSE)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"{COURSE}: valid. smart-city 1.0.0: 8 lessons, 1 quizzes,"), done.stdout


def test_the_manifest_keeps_its_ids_and_languages(course):
    assert course.id == "smart-city"
    assert course.title == "Smart-city AI for public services"
    assert course.source_language == "en"
    assert set(course.translations) == {info.code for info in shipped_locales()} - {"en"}
    assert {m.id: [i.id for i in m.items] for m in course.modules} == STRUCTURE
    assert list(STRUCTURE) == [m.id for m in course.modules]
    assert course.estimated_minutes == sum(i.minutes for i in course.items)


def test_every_lab_item_names_a_lab_this_build_ships(course):
    labs = {i.id: i.target for i in course.items if i.kind == "lab"}
    assert labs == LABS
    for item_id, lab_id in labs.items():
        assert lab_id in lab_ids(), item_id
        assert load_lab(lab_id).id == lab_id  # the module exists and defines that lab


def test_lessons_are_short_enough_for_one_sitting(course):
    lessons = [i for i in course.items if i.kind == "lesson"]
    assert len(lessons) == 8
    for item in lessons:
        assert 8 <= item.minutes <= 15, item.id
        words = len(re.findall(r"[A-Za-z][A-Za-z'-]*|\d[\d.,]*", course.lessons[item.id].markdown))
        assert 800 <= words <= 1700, (item.id, words)  # about 100 words a minute, tables included


def test_the_quiz_covers_every_module_with_every_question_type(course):
    quiz = _quiz(course)
    ids = [q.id for q in quiz.questions]
    assert 12 <= len(ids) <= 16
    assert sorted(ids) == sorted(QUESTION_MODULES), "place every question in QUESTION_MODULES"
    for module in STRUCTURE:
        assert list(QUESTION_MODULES.values()).count(module) >= 3, module
    assert {q.type for q in quiz.questions} == {"single", "multiple", "true_false", "numerical", "matching", "short"}
    assert not quiz.draw  # every attempt asks every question
    (quiz_item,) = [i for i in course.items if i.kind == "quiz"]
    assert quiz_item.id == "smart-city-check" and course.modules[-1].items[-1] is quiz_item


def test_every_answer_has_feedback_and_every_question_an_explanation(course):
    for q in _quiz(course).questions:
        assert q.explanation.strip(), q.id
        if isinstance(q, (SingleChoice, MultipleChoice)):
            assert all(c.feedback.strip() for c in q.choices), q.id
            assert len(q.choices) >= 4, q.id
        elif isinstance(q, TrueFalse):
            assert q.feedback_true.strip() and q.feedback_false.strip(), q.id
        elif isinstance(q, Numerical):
            assert all(a.feedback.strip() for a in q.answers) and q.feedback_wrong.strip(), q.id
            assert sum(1 for a in q.answers if a.weight >= 100) == 1, q.id
            assert len(q.answers) >= 2, q.id  # a likely mistake is recognised and explained
        elif isinstance(q, ShortAnswer):
            assert all(a.feedback.strip() for a in q.answers) and q.feedback_wrong.strip(), q.id
        elif isinstance(q, Matching):
            assert all(p.feedback.strip() for p in q.pairs) and len(q.pairs) >= 3, q.id
        else:  # pragma: no cover - a new question type needs a rule here
            raise AssertionError(f"{q.id}: unexpected type {q.type}")


def test_the_quiz_grades_its_own_right_answers_as_right(course):
    quiz = _quiz(course)
    by_id = {q.id: q for q in quiz.questions}
    assert by_id["webster-cycle"].grade("67").correct
    assert not by_id["webster-cycle"].grade("50").correct
    assert by_id["air-very-bad-band"].grade("76").correct
    assert by_id["farm-electricity-cost"].grade("840").correct
    assert by_id["pilot-effect"].grade("3").correct
    assert not by_id["pilot-effect"].grade("4").correct
    assert by_id["baseline-model"].grade("  Baseline ").correct
    for q in quiz.questions:
        if isinstance(q, SingleChoice):
            assert q.grade(q.correct_index).correct, q.id
        elif isinstance(q, MultipleChoice):
            right = {i for i, c in enumerate(q.choices) if c.weight > 0}
            assert q.grade(right).correct, q.id
            assert not q.grade(set(range(len(q.choices)))).correct, q.id  # ticking everything does not pass
        elif isinstance(q, Matching):
            assert q.grade({i: i for i in range(len(q.pairs))}).correct, q.id


def test_every_translation_is_complete_and_loads(course):
    coverage = translation_coverage(COURSE)
    assert set(coverage) == set(course.translations)
    for code, (done, total, _review) in coverage.items():
        assert done == total, f"{code}: {done} of {total} texts translated"
    for code in course.translations:
        shown = load_course(COURSE, locale=code, known_labs=lab_ids())
        assert [i.id for i in shown.items] == [i.id for i in course.items], code
        assert not any(lesson.untranslated_starts for lesson in shown.lessons.values()), code


def test_every_diagram_has_a_version_in_every_language():
    for code, (done, total) in image_coverage(COURSE).items():
        assert done == total, f"{code}: {done} of {total} images have a version in images/{code}/"
