"""Unsaved work in the course editor or the translation workspace is never lost silently: leaving,
changing language, signing out or closing the window asks (save, discard, keep editing); the
translation workspace saves what is typed like a move to another entry."""

from __future__ import annotations

import pytest

from app.core.accounts.roles import TRAINER
from app.core.authoring import commands as c
from app.core.course.loader import load_course
from app.core.course.translation_work import add_language, open_workspace
from app.core.i18n import set_locale
from app.ui import dialogs
from app.ui.screens.course_editor import CourseEditorScreen
from app.ui.screens.trainer_tools import TrainerToolsScreen
from app.ui.screens.translation_workspace import TranslationWorkspaceScreen
from tests.ui.helpers import click, open_window
from tests.ui.test_languages import choose_in_settings
from tests.ui.test_sign_in import make_accounts, quick_hashes, sign_in  # noqa: F401 - the fixture is autouse


@pytest.fixture
def answers(monkeypatch):
    """What the person answers in the unsaved-changes box, in order; the questions asked are kept.
    With no answer left (pytest-qt closing the window after the test), the changes are discarded."""
    given: list[str] = []
    asked: list[str] = []

    def ask(_parent, what):
        asked.append(what)
        return given.pop(0) if given else dialogs.DISCARD

    monkeypatch.setattr(dialogs, "ask_unsaved", ask)
    return given, asked


@pytest.fixture
def editing(qtbot, data_dir, answers):
    make_accounts(data_dir, ("Park", TRAINER, "training day"))
    window = open_window(qtbot, data_dir)
    sign_in(qtbot, window, "Park", "training day")
    window.show_tool("courses")
    window.screen.new_course("Road safety")
    qtbot.waitUntil(lambda: isinstance(window.screen, CourseEditorScreen), timeout=20000)
    yield window
    window.close()
    set_locale("en")


def type_in_lesson(editor, words: str) -> str:
    lesson = editor.document.modules[0]["items"][0]["id"]
    assert editor.edit(c.EditLesson(lesson, f"# Introduction\n\n{words}\n"))
    return lesson


def test_back_asks_and_keep_editing_stays(qtbot, editing, answers):
    given, asked = answers
    editor = editing.screen
    type_in_lesson(editor, "Speed kills.")
    given.append(dialogs.STAY)
    click(qtbot, editing.back_button)
    assert editing.screen is editor and asked == ["The course “Road safety”"]
    given.append(dialogs.DISCARD)
    click(qtbot, editing.back_button)
    assert isinstance(editing.screen, TrainerToolsScreen)
    assert "Speed kills" not in load_course(editor.document.folder).lessons[
        editor.document.modules[0]["items"][0]["id"]].markdown


def test_save_from_the_question_keeps_the_work(qtbot, editing, answers):
    given, _asked = answers
    editor = editing.screen
    lesson = type_in_lesson(editor, "Wear a helmet.")
    given.append(dialogs.SAVE)
    click(qtbot, editing.sign_out_button)
    assert editing.principal is None
    assert "Wear a helmet." in load_course(editor.document.folder).lessons[lesson].markdown


def test_a_save_refused_by_a_problem_stays_in_the_editor(qtbot, editing, answers):
    given, _asked = answers
    editor = editing.screen
    editor.add_item("quiz", "Check")
    quiz_id = editor.document.modules[0]["items"][-1]["id"]
    assert editor.edit(c.SetQuizText(quiz_id, "questions:\n  - id: broken\n    type: single\n"))
    given.append(dialogs.SAVE)
    click(qtbot, editing.back_button)
    assert editing.screen is editor
    assert "Not saved" in editor.status.text()


def test_changing_language_saves_first_and_reopens_the_same_course(qtbot, editing, answers):
    given, asked = answers
    editor = editing.screen
    folder = editor.document.folder
    lesson = type_in_lesson(editor, "Slow down near schools.")
    given.append(dialogs.SAVE)
    choose_in_settings(qtbot, editing, "ko")  # Settings -> 한국어 -> Apply
    qtbot.waitUntil(lambda: isinstance(editing.screen, CourseEditorScreen) and editing.screen is not editor,
                    timeout=20000)
    assert editing.screen.document.folder == folder and len(asked) == 1
    assert "Slow down near schools." in editing.screen.document.text(
        editing.screen.document.item(lesson)["lesson"])
    assert editing.screen.undo_button.text() != "Undo"  # the reopened editor speaks Korean


def test_a_text_size_change_mid_edit_keeps_the_edits(qtbot, editing, answers):
    given, asked = answers
    editor = editing.screen
    type_in_lesson(editor, "Unsaved words.")
    editing.change_text_size(+1)
    assert editing.screen is editor and editor.has_unsaved_changes() and asked == []


def test_closing_the_window_with_unsaved_changes_asks(qtbot, editing, answers):
    given, asked = answers
    editor = editing.screen
    type_in_lesson(editor, "Unsaved words.")
    given.append(dialogs.STAY)
    editing.close()
    assert editing.isVisible() and editing.screen is editor and len(asked) == 1


def test_the_translation_workspace_saves_typed_text_when_leaving(qtbot, editing, answers):
    _given, asked = answers
    editor = editing.screen
    folder = editor.document.folder
    assert editor.save()
    add_language(editing.principal, folder, "ko")
    editing.show_tool_screen(TranslationWorkspaceScreen(editing.principal, folder), "courses")
    workspace = editing.screen
    workspace.select_locale("ko")
    qtbot.waitUntil(lambda: workspace.current is not None, timeout=5000)
    entry = workspace.current
    workspace.target.setPlainText("도로 안전")
    click(qtbot, editing.back_button)
    assert isinstance(editing.screen, TrainerToolsScreen) and asked == []
    assert open_workspace(editing.principal, folder, "ko").entry(entry.key).translation == "도로 안전"
