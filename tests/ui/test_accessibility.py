"""Every control on every screen has an accessible name, and the screens work from the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QProgressBar,
                               QTextBrowser, QWidget)

from tests.answers import right_answer
from tests.ui.helpers import answer, click, open_first_quiz, open_window, start_as

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QTextBrowser, QProgressBar)


def unnamed_controls(window) -> list[str]:
    missing = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CONTROLS):
            continue
        if widget.isVisible() and not widget.accessibleName().strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} {getattr(widget, 'text', lambda: '')()!r}")
    return missing


def test_every_screen_names_its_controls(qtbot, data_dir):
    window = open_window(qtbot, data_dir)
    seen = []

    def check(name):
        qtbot.wait(10)
        assert not unnamed_controls(window), (name, unnamed_controls(window))
        seen.append(name)

    check("profile")
    qtbot.keyClicks(window.screen.name, "Kim")
    click(qtbot, window.screen.start)
    check("catalogue")
    course = window.services.catalogue.course("ai-foundations")
    window.show_outline(course.id)
    check("outline")
    window.open_item(course.id, course.items[0].id)
    check("lesson")
    _course, quiz_item, screen = open_first_quiz(window)
    check("quiz intro")
    click(qtbot, screen.primary)
    for question in course.quizzes[quiz_item.id].questions:
        check(f"question {question.type}")
        answer(qtbot, screen.view, right_answer(question))
        click(qtbot, screen.check)
        check(f"feedback {question.type}")
        click(qtbot, screen.check)
    check("results")
    window.show_complete(course.id)
    check("complete")
    assert len(seen) > 10
    window.close()


def test_keyboard_only_profile_catalogue_outline_lesson(qtbot, data_dir):
    window = open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: window.screen.name.hasFocus(), timeout=2000)  # focus starts in the name field
    qtbot.keyClicks(window.screen.name, "Kim")
    qtbot.keyClick(window.screen.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.location.screen == "catalogue", timeout=2000)
    qtbot.waitUntil(lambda: window.screen.first_button.hasFocus(), timeout=2000)
    qtbot.keyClick(window.screen.first_button, Qt.Key.Key_Space)
    assert window.location.screen == "outline"
    qtbot.waitUntil(lambda: window.screen.go.hasFocus(), timeout=2000)
    qtbot.keyClick(window.screen.go, Qt.Key.Key_Space)
    assert window.location.screen == "item"
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.location.screen == "outline"
    tree = window.screen.tree
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.location.screen == "item"
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.settings.text_scale > 1.0
    window.close()


def test_quiz_answers_from_the_keyboard(qtbot, data_dir):
    window = start_as(qtbot, data_dir, "Kim")
    course, quiz_item, screen = open_first_quiz(window)
    qtbot.keyClick(screen, Qt.Key.Key_Return)  # Return starts the quiz
    assert screen.registration is not None
    question = screen.view.question
    first = screen.view.buttons[0] if screen.view.buttons else None
    if first is not None:
        qtbot.waitUntil(first.hasFocus, timeout=2000)
        qtbot.keyClick(first, Qt.Key.Key_Space)
    else:
        answer(qtbot, screen.view, right_answer(question))
    qtbot.keyClick(screen, Qt.Key.Key_Return)  # Return checks the answer
    assert screen.feedback.isVisible()
    window.close()
