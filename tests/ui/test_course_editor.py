"""The course editor screen: type a lesson and see the preview, undo/redo, reorder, save, and see a
problem appear while typing a broken quiz."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed, Principal
from app.core.authoring import saving
from app.core.course.loader import load_course
from app.ui.editor.outline import ROLE_ID
from app.ui.screens.course_editor import CourseEditorScreen

TRAINER_P = Principal("Park Trainer", TRAINER, None)


@pytest.fixture
def screen(qtbot, tmp_path):
    folder = saving.create_course(TRAINER_P, tmp_path / "courses", "Road safety")
    widget = CourseEditorScreen(TRAINER_P, folder)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def select(screen, node_id):
    tree = screen.outline
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for node in (top, *(top.child(j) for j in range(top.childCount()))):
            if node.data(0, ROLE_ID) == node_id:
                tree.setCurrentItem(node)
                return
    raise AssertionError(node_id)


def test_edit_lesson_preview_undo_redo_and_save(qtbot, screen):
    lesson_id = screen.document.modules[0]["items"][0]["id"]
    select(screen, lesson_id)
    editor = screen.item_pane.markdown
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "Traffic **signals** save lives.")
    qtbot.waitUntil(lambda: "signals" in screen.item_pane.preview.toPlainText(), timeout=3000)
    assert "**" not in screen.item_pane.preview.toPlainText()  # rendered, not raw
    typed = editor.toPlainText()
    assert screen.undo_stack.count() == 1  # keystrokes merge into one step
    qtbot.keyClick(screen.outline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "# Introduction\n\n"
    qtbot.keyClick(screen.outline, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText() == typed
    assert screen.save()
    course = load_course(screen.document.folder)
    assert "Traffic **signals**" in course.lessons[lesson_id].markdown
    assert "version 1.0.0" in screen.status.text()


def test_reorder_items_and_undo(qtbot, screen):
    module_id = screen.document.modules[0]["id"]
    screen.add_item("quiz", "Check")
    quiz_id = screen.document.modules[0]["items"][1]["id"]
    screen._moved("item", quiz_id, module_id, 0)  # what a drop in the outline emits
    assert [i["id"] for i in screen.document.modules[0]["items"]][0] == quiz_id
    assert screen.outline.topLevelItem(1).child(0).data(0, ROLE_ID) == quiz_id
    screen.undo_stack.undo()
    assert [i["id"] for i in screen.document.modules[0]["items"]][1] == quiz_id
    assert screen.outline.topLevelItem(1).child(1).data(0, ROLE_ID) == quiz_id


def test_problem_appears_while_typing_a_broken_quiz(qtbot, screen):
    screen.add_item("quiz", "Check")
    quiz_id = screen.document.modules[0]["items"][1]["id"]
    select(screen, quiz_id)
    assert screen.problems.item(0).text() == "No problems found."
    yaml_editor = screen.item_pane.yaml
    yaml_editor.moveCursor(yaml_editor.textCursor().MoveOperation.End)
    for line in ("- id: extra", "  type: single", "  prompt: Which?"):  # no choices: broken
        qtbot.keyClicks(yaml_editor, line)
        qtbot.keyClick(yaml_editor, Qt.Key.Key_Return)
        yaml_editor.moveCursor(yaml_editor.textCursor().MoveOperation.StartOfLine)
    qtbot.waitUntil(lambda: screen.problems.item(0).text().startswith("quizzes/"), timeout=3000)
    assert any(":" in screen.problems.item(i).text().split(" ")[0] for i in range(screen.problems.count()))
    assert not screen.save()  # a broken course is not saved
    screen.undo_stack.undo()
    qtbot.waitUntil(lambda: screen.problems.item(0).text() == "No problems found.", timeout=3000)


def test_learner_cannot_open_the_editor(qtbot, tmp_path):
    folder = saving.create_course(TRAINER_P, tmp_path / "courses", "Road safety")
    with pytest.raises(NotAllowed):
        CourseEditorScreen(Principal("Kim", LEARNER, "l1"), folder)


def test_a_moodle_bank_imports_into_a_quiz_in_one_undo_step_and_reports_its_problems(qtbot, screen):
    from tests.conftest import SHARED

    gift = SHARED / "fixtures" / "gift" / "moodle_examples.gift.txt"
    aiken = SHARED / "fixtures" / "aiken" / "moodle_aiken_errors.txt"
    if not gift.exists():
        pytest.skip("../shared/fixtures not beside this clone")
    screen.add_item("quiz", "Imported bank")
    quiz_id = screen.document.modules[0]["items"][-1]["id"]
    select(screen, quiz_id)
    pane = screen.item_pane
    before = pane.yaml.toPlainText().count("- id:")
    steps = screen.undo_stack.count()
    assert pane.import_bank(gift) == 43
    assert screen.undo_stack.count() == steps + 1
    assert pane.yaml.toPlainText().count("- id:") == before + 43
    assert pane.bank_report.text().startswith("43 questions imported from moodle_examples.gift.txt.")
    assert pane.import_bank(aiken) == 2  # the broken cases are reported with their lines, the rest comes in
    assert "moodle_aiken_errors.txt:3:" in pane.bank_report.text()
    assert not screen.document.problems(), screen.document.problems()
    screen.undo_stack.undo()
    screen.undo_stack.undo()
    assert pane.yaml.toPlainText().count("- id:") == before
