"""A question bank's single-choice question with partial credit (Moodle's ~%50%...) shows only the fully
right choice as "correct answer" once answered; a multiple-answer question marks every rewarded one."""

from __future__ import annotations

from app.core.banks.importer import import_text
from app.core.banks.quiz_file import quiz_yaml
from app.core.course.quiz import parse_quiz
from app.ui.screens.quiz import QuestionView
from tests.ui.helpers import answer


def bank_question(gift: str):
    result = import_text(gift, "gift", "bank.gift")
    problems = []
    quiz = parse_quiz(quiz_yaml(list(result.questions)), "q.quiz.yaml", problems, lambda s: s)
    assert problems == [] and len(quiz.questions) == 1
    return quiz.questions[0]


def test_partial_credit_is_not_marked_as_the_correct_answer(qtbot):
    view = QuestionView(bank_question("Grant is {~buried ~%50%laid =entombed} in Grant's tomb."), "seed")
    qtbot.addWidget(view)
    view.show()
    answer(qtbot, view, 1)
    assert view.question.grade(1).fraction == 0.5
    view.lock()
    assert [m.text() for m in view.marks] == ["", "✗ not correct", "✓ correct answer"]


def test_every_rewarded_choice_of_a_multiple_answer_question_is_marked(qtbot):
    view = QuestionView(bank_question("Who is in Grant's tomb? {~%50%Grant ~%50%His wife ~No one}"), "seed")
    qtbot.addWidget(view)
    view.show()
    answer(qtbot, view, {2})
    view.lock()
    assert [m.text() for m in view.marks] == ["✓ correct answer", "✓ correct answer", "✗ not correct"]
