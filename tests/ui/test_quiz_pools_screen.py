"""A learner taking a quiz that draws from pools sees the drawn count, answers only the drawn
questions, and a resumed attempt shows the same ones."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.core.accounts.roles import TRAINER, Principal
from app.core.authoring import commands as c
from app.core.authoring import saving
from app.core.authoring.document import CourseDocument
from app.core.course.loader import load_course
from app.core.learning import Learning
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database
from app.ui.screens.quiz import QuizScreen
from labs.registry import lab_ids
from tests.core.test_quiz_pools import quiz_text
from tests.ui.helpers import answer, click


class Actions:
    """The window's QuizActions, straight onto the core."""

    def __init__(self, learning: Learning):
        self.learning = learning

    def start_attempt(self, course, item):
        return self.learning.start_attempt(course, item)

    def answer(self, course, item, registration, question, response):
        return self.learning.answer(course, item, registration, question, response)

    def finish_attempt(self, course, item, registration):
        return self.learning.finish_attempt(course, item, registration)

    def quiz_progress(self, course, item):
        return self.learning.progress(course).quizzes[item.id]


def test_the_learner_answers_only_the_drawn_questions(qtbot, tmp_path):
    trainer = Principal("Park Trainer", TRAINER, None)
    folder = saving.create_course(trainer, tmp_path / "courses", "Transport", known_labs=lab_ids())
    doc = CourseDocument.open(trainer, folder)
    doc.apply(c.AddItem(doc.modules[0]["id"], "quiz", "Check"))
    quiz_id = doc.modules[0]["items"][-1]["id"]
    doc.files[doc.item(quiz_id)["quiz"]] = quiz_text("draw:\n  - {pool: roads, count: 1}\n"
                                                     "  - {pool: rail, count: 2}\n").encode()
    saving.save_course(trainer, doc, lab_ids())
    course = load_course(folder, "en")
    item = course.item(quiz_id)
    database = open_database(tmp_path / "data")
    record = LearningRecord(database)
    actions = Actions(Learning(record, record.add_learner("Kim Min-ji", "en")))

    screen = QuizScreen(course, item, actions)
    qtbot.addWidget(screen)
    screen.resize(900, 700)
    screen.show()
    intro = " ".join(label.text() for label in screen.findChildren(QLabel))
    assert "4 questions" in intro and "9 questions" not in intro  # what one attempt asks, not the bank
    click(qtbot, screen.primary)  # start
    asked = [screen.view.question.id]
    answer(qtbot, screen.view, True)
    click(qtbot, screen.check)
    drawn = [q.id for q in course.quizzes[quiz_id].for_attempt(screen.registration).questions]
    assert len(drawn) == 4 and asked[0] == drawn[0]

    resumed = QuizScreen(course, item, actions)  # the window closed mid-attempt and came back
    qtbot.addWidget(resumed)
    resumed.resize(900, 700)
    resumed.show()
    click(qtbot, resumed.primary)  # "Resume quiz"
    while resumed.view is not None and resumed.registration is not None:
        asked.append(resumed.view.question.id)
        answer(qtbot, resumed.view, True)
        click(qtbot, resumed.check)
        click(qtbot, resumed.check)
    assert asked == drawn
    assert actions.learning.progress(course).quizzes[quiz_id].best_percent == 100
    database.dispose()
