"""Drive the real main window the way a learner does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.i18n import set_locale
from app.core.paths import settings_path
from app.core.settings import load_settings
from app.ui.locale_setup import prepare_application
from app.ui.main_window import MainWindow
from app.ui.screens.quiz import QuestionView
from tests.answers import right_answer


def open_window(qtbot, data_dir: Path, locale: str = "en") -> MainWindow:
    settings = load_settings(settings_path(data_dir))
    set_locale(settings.locale or locale)
    prepare_application(QApplication.instance(), settings.locale or locale)
    window = MainWindow(data_dir, settings, QApplication.font())
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=30000):
        window.start()
    return window


def click(qtbot, button) -> None:
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer(qtbot, view: QuestionView, response) -> None:
    """Give `response` through the widgets: clicks, typing and combo choices."""
    from app.core.course.quiz import Matching, MultipleChoice, Numerical, ShortAnswer, SingleChoice, TrueFalse

    question = view.question
    if isinstance(question, SingleChoice):
        click(qtbot, view.buttons[response])
    elif isinstance(question, MultipleChoice):
        for index in response:
            click(qtbot, view.buttons[index])
    elif isinstance(question, TrueFalse):
        click(qtbot, view.buttons[0 if response else 1])
    elif isinstance(question, (ShortAnswer, Numerical)):
        qtbot.keyClicks(view.line, str(response))
    elif isinstance(question, Matching):
        for row, combo in enumerate(view.combos):
            combo.setFocus()
            combo.setCurrentIndex(combo.findData(response[row]))


def answer_current_quiz(qtbot, window, respond=right_answer) -> None:
    """From the quiz intro to the results page."""
    screen = window.screen
    click(qtbot, screen.primary)
    while screen.view is not None and screen.registration is not None:
        question = screen.view.question
        answer(qtbot, screen.view, respond(question))
        click(qtbot, screen.check)  # check: the feedback appears
        assert screen.feedback.isVisible()
        assert screen.verdict.text()
        click(qtbot, screen.check)  # next question, or the score


def open_first_quiz(window: MainWindow):
    """Open the first quiz of the first course; returns (course, quiz item, quiz screen)."""
    course = window.services.catalogue.course("ai-foundations")
    quiz_item = next(i for i in course.items if i.kind == "quiz")
    window.open_item(course.id, quiz_item.id)
    return course, quiz_item, window.screen


def start_as(qtbot, data_dir: Path, name: str) -> MainWindow:
    """A new installation: open the window and create the learner's profile."""
    window = open_window(qtbot, data_dir)
    qtbot.keyClicks(window.screen.name, name)
    click(qtbot, window.screen.start)
    return window
