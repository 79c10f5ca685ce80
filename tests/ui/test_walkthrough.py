"""A learner's first week, clicked through in the real window (offscreen)."""

from __future__ import annotations

import pytest

from app.ui.screens.catalogue import CatalogueScreen
from app.ui.screens.complete import CompleteScreen
from app.ui.screens.lesson import LessonScreen
from app.ui.screens.outline import OutlineScreen
from app.ui.screens.profile import ProfileScreen
from app.ui.screens.quiz import QuizScreen
from tests.answers import right_answer, wrong_answer
from tests.ui.helpers import answer, answer_current_quiz, click, open_first_quiz, open_window, start_as


def test_profile_course_lesson_quiz_score_quit_and_resume(qtbot, data_dir):
    window = open_window(qtbot, data_dir)
    # First run: a profile.
    assert isinstance(window.screen, ProfileScreen)
    profile = window.screen
    assert not profile.start.isEnabled()
    qtbot.keyClicks(profile.name, "Kim Min-ji")
    click(qtbot, profile.start)
    # The catalogue: no course started; the learner starts with AI foundations.
    assert isinstance(window.screen, CatalogueScreen)
    click(qtbot, window.screen.course_buttons["ai-foundations"])
    # The outline, then the first lesson.
    assert isinstance(window.screen, OutlineScreen)
    course = window.screen.course
    click(qtbot, window.screen.go)
    assert isinstance(window.screen, LessonScreen)
    assert window.screen.item.id == course.items[0].id
    assert "AI" in window.screen.browser.toPlainText()
    # Read both lessons of the module; the quiz comes next.
    click(qtbot, window.screen.done)
    assert isinstance(window.screen, LessonScreen) and window.screen.item.id == course.items[1].id
    click(qtbot, window.screen.done)
    assert isinstance(window.screen, QuizScreen)
    quiz_item = window.screen.item
    answer_current_quiz(qtbot, window, right_answer)
    # The score.
    assert "100" in window.screen.stack.currentWidget().findChildren(type(window.screen.verdict))[0].text()
    progress = window.learning.progress(course)
    assert progress.quizzes[quiz_item.id].passed
    click(qtbot, window.screen.primary)  # continue: the next module's first lesson
    assert isinstance(window.screen, LessonScreen)
    reading = window.screen.item.id
    window.screen.set_position(0.5)
    position = window.screen.position()
    assert position > 0.3
    window.close()

    # Next week: the app opens where the learner left off.
    window = open_window(qtbot, data_dir)
    assert isinstance(window.screen, LessonScreen)
    assert window.screen.item.id == reading
    qtbot.waitUntil(lambda: abs(window.screen.position() - position) < 0.05, timeout=3000)
    assert window.learner_label.text() == "Kim Min-ji"
    # Back to the outline, where the first module shows as done.
    window.go_back()
    assert isinstance(window.screen, OutlineScreen)
    statuses = [window.screen.tree.topLevelItem(0).child(i).text(2) for i in range(3)]
    assert statuses[0] == "Done" and statuses[1] == "Done" and statuses[2].startswith("Passed")
    window.close()


def test_quitting_mid_quiz_resumes_the_same_attempt(qtbot, data_dir):
    window = start_as(qtbot, data_dir, "Lee")
    course, quiz_item, screen = open_first_quiz(window)
    click(qtbot, screen.primary)  # start the attempt
    first = screen.view.question
    answer(qtbot, screen.view, wrong_answer(first))
    click(qtbot, screen.check)
    assert screen.verdict.property("verdict") == "wrong"
    window.close()

    window = open_window(qtbot, data_dir)
    assert isinstance(window.screen, QuizScreen)
    assert window.screen.primary.text() == "Resume quiz"
    click(qtbot, window.screen.primary)
    assert window.screen.view.question.id == course.quizzes[quiz_item.id].questions[1].id
    attempts = window.learning.progress(course).quizzes[quiz_item.id].attempts
    assert len(attempts) == 1
    window.close()


def test_failing_uses_attempts_and_course_completion_is_shown(qtbot, data_dir):
    window = start_as(qtbot, data_dir, "Park")
    course = window.services.catalogue.course("ai-foundations")
    quizzes = [i for i in course.items if i.kind == "quiz"]
    window.open_item(course.id, quizzes[0].id)
    answer_current_quiz(qtbot, window, wrong_answer)
    texts = " ".join(l.text() for l in window.screen.findChildren(type(window.screen.verdict)))
    assert "Not passed yet" in texts and "2 attempts left" in texts
    # Finish everything else through the core, then the last quiz through the screen.
    for item in course.items:
        if item.kind == "lesson":
            window.learning.complete_lesson(course, item)
    for item in quizzes[:-1]:
        registration = window.learning.start_attempt(course, item)
        for q in course.quizzes[item.id].questions:
            window.learning.answer(course, item, registration, q, right_answer(q))
        window.learning.finish_attempt(course, item, registration)
    window.open_item(course.id, quizzes[-1].id)
    answer_current_quiz(qtbot, window, right_answer)
    click(qtbot, window.screen.primary)  # continue
    assert isinstance(window.screen, CompleteScreen)
    click(qtbot, window.screen.home)
    assert isinstance(window.screen, CatalogueScreen)
    window.close()


@pytest.mark.parametrize("step", [1, -1])
def test_text_size_changes_keep_the_place(qtbot, data_dir, step):
    window = start_as(qtbot, data_dir, "Choi")
    course = window.services.catalogue.course("ai-foundations")
    window.open_item(course.id, course.items[1].id)
    before = window.font().pointSizeF()
    window.change_text_size(step)
    assert (window.font().pointSizeF() - before) * step > 0
    assert isinstance(window.screen, LessonScreen) and window.screen.item.id == course.items[1].id
    window.close()
