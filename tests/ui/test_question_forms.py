"""The quiz form of the course editor: every question type added and filled in by typing and
clicking, saved, loaded back and graded; one undo step per typed field; a broken YAML said in the
form; keys the form does not know kept; each question's own problems shown under it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QWidget

from app.core.authoring import commands as c
from app.core.authoring import saving
from app.core.course.loader import load_course
from app.ui.screens.course_editor import CourseEditorScreen
from tests.ui.test_course_editor import TRAINER_P, select

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def screen(qtbot, tmp_path):
    folder = saving.create_course(TRAINER_P, tmp_path / "courses", "Road safety")
    widget = CourseEditorScreen(TRAINER_P, folder)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    widget.add_item("quiz", "Check")
    select(widget, quiz_id(widget))
    widget.start = (widget.undo_stack.index(), quiz_text(widget))
    return widget


def quiz_text(screen) -> str:
    return screen.document.text(screen.document.item(quiz_id(screen))["quiz"])


def undo_restores_the_start(screen) -> None:
    """Undo every step of the test: the quiz is back as it was, and so is the form; redo: as it ended."""
    index, text = screen.start
    end, final = screen.undo_stack.index(), quiz_text(screen)
    screen.undo_stack.setIndex(index)
    assert quiz_text(screen) == text
    pane = editor(screen)
    assert pane.list.count() == 1 and pane.form.kind.text() == "Single choice"
    assert pane.form.prompt.toPlainText() == "Write the question here."
    screen.undo_stack.setIndex(end)
    assert quiz_text(screen) == final


def quiz_id(screen) -> str:
    return screen.document.modules[0]["items"][-1]["id"]


def editor(screen):
    return screen.item_pane.quiz_editor


def questions(screen) -> list[dict]:
    return c.quiz_questions(screen.document, quiz_id(screen))


def add(qtbot, screen, kind: str):
    """Choose the type by its translated name in the combo and press Add question."""
    pane = editor(screen)
    pane.add_type.setCurrentIndex(pane.add_type.findData(kind))
    click(qtbot, pane.add_button)
    assert questions(screen)[pane.index]["type"] == kind
    return pane.form


def click(qtbot, widget) -> None:
    QApplication.processEvents()  # rows just added are laid out before the pointer reaches them
    if isinstance(widget, QCheckBox):  # a check box spans its form row: click on its box
        qtbot.mouseClick(widget, LEFT, pos=QPoint(widget.height() // 2, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, LEFT)


def retype(qtbot, widget, text: str) -> None:
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def saved_question(screen, index: int = -1):
    assert screen.save(), [screen.problems.item(i).text() for i in range(screen.problems.count())]
    course = load_course(screen.document.folder)
    return course.quizzes[quiz_id(screen)].questions[index]


def test_the_type_combo_shows_translated_names_not_ids(screen):
    pane = editor(screen)
    names = [pane.add_type.itemText(i) for i in range(pane.add_type.count())]
    assert names == ["Single choice", "Multiple choice", "True or false", "Short answer", "Number", "Matching"]
    assert pane.list.item(0).text().startswith("Single choice: ")
    assert pane.tabs.tabText(pane.tabs.currentIndex()) == "Form"


def test_single_choice(qtbot, screen):
    form = add(qtbot, screen, "single")
    retype(qtbot, form.prompt, "Which sign means stop?")
    rows = form.single_choices
    retype(qtbot, rows.cells[0]["text"], "A red octagon")
    retype(qtbot, rows.cells[1]["text"], "A yellow triangle")
    click(qtbot, rows.add_button)
    assert len(rows.cells) == 3 and rows.cells[2]["text"].hasFocus()  # type in the new row straight away
    qtbot.keyClicks(rows.cells[2]["text"], "A blue circle")
    retype(qtbot, rows.cells[1]["feedback"], "That one warns of a danger.")
    before = screen.document.text(screen.document.item(quiz_id(screen))["quiz"])
    click(qtbot, rows.cells[1]["correct"])  # the right answer moves: exactly one stays marked
    assert [rows.cells[i]["correct"].isChecked() for i in range(3)] == [False, True, False]
    screen.undo_stack.undo()
    assert screen.document.text(screen.document.item(quiz_id(screen))["quiz"]) == before
    assert [rows.cells[i]["correct"].isChecked() for i in range(3)] == [True, False, False]  # refilled
    question = saved_question(screen)
    assert question.prompt == "Which sign means stop?"
    assert [ch.text for ch in question.choices] == ["A red octagon", "A yellow triangle", "A blue circle"]
    assert question.grade(0).correct and not question.grade(1).correct
    assert question.grade(1).feedback == ("That one warns of a danger.",)
    undo_restores_the_start(screen)


def test_multiple_choice_weights_in_percent_negative_allowed(qtbot, screen):
    form = add(qtbot, screen, "multiple")
    retype(qtbot, form.prompt, "Which help a driver see at night?")
    rows = form.multiple_choices
    for row, (text, weight) in enumerate((("Headlights", "50"), ("Reflective signs", "50"), ("Sunglasses", "-100"))):
        retype(qtbot, rows.cells[row]["text"], text)
        retype(qtbot, rows.cells[row]["weight"], weight)
    retype(qtbot, rows.cells[2]["feedback"], "They make it darker.")
    click(qtbot, rows.add_button)
    qtbot.keyClicks(rows.cells[3]["text"], "A tinted windscreen")
    qtbot.keyClicks(rows.cells[3]["weight"], "-50")
    question = saved_question(screen)
    assert [ch.weight for ch in question.choices] == [50, 50, -100, -50]
    assert question.grade({0, 1}).correct
    assert question.grade({0}).fraction == 0.5
    assert question.grade({0, 1, 3}).fraction == 0.5
    assert question.grade({0, 2}).fraction == 0 and question.grade({2}).feedback == ("They make it darker.",)
    undo_restores_the_start(screen)


def test_true_false(qtbot, screen):
    form = add(qtbot, screen, "true_false")
    retype(qtbot, form.prompt, "You may overtake on a pedestrian crossing.")
    click(qtbot, form.answer_false)
    retype(qtbot, form.feedback_true, "No: never on a crossing.")
    retype(qtbot, form.feedback_false, "Right.")
    question = saved_question(screen)
    assert question.answer is False
    assert question.grade(False).correct and question.grade(False).feedback == ("Right.",)
    assert not question.grade(True).correct and question.grade(True).feedback == ("No: never on a crossing.",)
    undo_restores_the_start(screen)


def test_short_answer(qtbot, screen):
    form = add(qtbot, screen, "short")
    retype(qtbot, form.prompt, "Which agency issues driving licences?")
    rows = form.short_answers
    retype(qtbot, rows.cells[0]["text"], "Road Traffic Authority")
    retype(qtbot, rows.cells[0]["feedback"], "Correct.")
    click(qtbot, rows.add_button)
    qtbot.keyClicks(rows.cells[1]["text"], "RTA")
    qtbot.keyClicks(rows.cells[1]["feedback"], "Correct, its short name.")
    retype(qtbot, form.short_wrong, "It is the Road Traffic Authority.")
    assert questions(screen)[-1].get("case_sensitive") is None
    click(qtbot, form.case_sensitive)
    assert questions(screen)[-1]["case_sensitive"] is True
    question = saved_question(screen)
    assert question.grade("RTA").correct and question.grade("RTA").feedback == ("Correct, its short name.",)
    assert not question.grade("rta").correct  # case-sensitive now
    assert question.grade("Police").feedback == ("It is the Road Traffic Authority.",)
    undo_restores_the_start(screen)


def test_numerical(qtbot, screen):
    form = add(qtbot, screen, "numerical")
    retype(qtbot, form.prompt, "What is the speed limit near a school, in km/h?")
    rows = form.numbers
    retype(qtbot, rows.cells[0]["value"], "30")
    retype(qtbot, rows.cells[0]["tolerance"], "0")
    click(qtbot, rows.add_button)
    retype(qtbot, rows.cells[1]["value"], "32,5")  # a decimal comma, as many trainers type it
    retype(qtbot, rows.cells[1]["tolerance"], "2.5")
    retype(qtbot, rows.cells[1]["feedback"], "Close.")
    retype(qtbot, form.number_wrong, "It is 30 km/h.")
    assert questions(screen)[-1]["answers"][1] == {"value": 32.5, "tolerance": 2.5, "feedback": "Close."}
    question = saved_question(screen)
    assert question.grade("30").correct
    assert question.grade("34").correct and question.grade("34").feedback == ("Close.",)  # weight 100 by default
    assert question.grade("50").fraction == 0 and question.grade("50").feedback == ("It is 30 km/h.",)
    undo_restores_the_start(screen)


def test_matching(qtbot, screen):
    form = add(qtbot, screen, "matching")
    retype(qtbot, form.prompt, "Match each sign to its meaning.")
    rows = form.pairs
    for row, (left, right) in enumerate((("Red octagon", "Stop"), ("Inverted triangle", "Give way"))):
        retype(qtbot, rows.cells[row]["left"], left)
        retype(qtbot, rows.cells[row]["right"], right)
    click(qtbot, rows.add_button)
    qtbot.keyClicks(rows.cells[2]["left"], "Blue circle")
    qtbot.keyClicks(rows.cells[2]["right"], "Obligation")
    qtbot.keyClicks(rows.cells[2]["feedback"], "Blue circles tell you what you must do.")
    question = saved_question(screen)
    assert [(p.left, p.right) for p in question.pairs] == [("Red octagon", "Stop"), ("Inverted triangle", "Give way"),
                                                           ("Blue circle", "Obligation")]
    assert question.grade({0: 0, 1: 1, 2: 2}).correct
    swapped = question.grade({0: 0, 1: 2, 2: 1})
    assert swapped.fraction == pytest.approx(1 / 3)
    assert swapped.feedback == ("Blue circles tell you what you must do.",)
    undo_restores_the_start(screen)


def test_typing_in_one_field_is_one_undo_step_and_undo_refills_the_form(qtbot, screen):
    pane = editor(screen)
    form = pane.form
    old_prompt = form.prompt.toPlainText()
    steps = screen.undo_stack.count()
    form.prompt.moveCursor(form.prompt.textCursor().MoveOperation.End)
    qtbot.keyClicks(form.prompt, " Really?")
    assert screen.undo_stack.count() == steps + 1
    assert questions(screen)[0]["prompt"] == old_prompt + " Really?"
    assert pane.list.item(0).text().endswith("Really?")
    assert "Really?" in pane.yaml.toPlainText()  # both tabs show the same document
    qtbot.keyClicks(form.single_choices.cells[0]["feedback"], "!")  # another field: another step
    assert screen.undo_stack.count() == steps + 2
    screen.undo_stack.undo()
    screen.undo_stack.undo()
    assert questions(screen)[0]["prompt"] == old_prompt
    assert form.prompt.toPlainText() == old_prompt and "Really?" not in pane.yaml.toPlainText()
    assert screen.undo_stack.count() == steps + 2  # undoing made no new command
    screen.undo_stack.redo()
    assert form.prompt.toPlainText() == old_prompt + " Really?"


def test_add_remove_and_move_questions_each_one_step(qtbot, screen):
    pane = editor(screen)
    add(qtbot, screen, "true_false")
    add(qtbot, screen, "matching")
    assert [q["type"] for q in questions(screen)] == ["single", "true_false", "matching"]
    assert pane.index == 2 and not pane.down_button.isEnabled()
    click(qtbot, pane.up_button)
    assert [q["type"] for q in questions(screen)] == ["single", "matching", "true_false"]
    assert pane.index == 1 and pane.list.currentRow() == 1 and pane.form.kind.text() == "Matching"
    click(qtbot, pane.remove_button)
    assert [q["type"] for q in questions(screen)] == ["single", "true_false"]
    assert pane.list.count() == 2 and pane.form.kind.text() == "True or false"
    screen.undo_stack.undo()
    screen.undo_stack.undo()
    assert [q["type"] for q in questions(screen)] == ["single", "true_false", "matching"]
    assert [pane.list.item(i).text().split(":")[0] for i in range(3)] == ["Single choice", "True or false",
                                                                         "Matching"]


def test_a_broken_yaml_is_said_in_the_form_tab(qtbot, screen):
    pane = editor(screen)
    pane.tabs.setCurrentWidget(pane.yaml)
    pane.yaml.setPlainText("questions:\n  - id: q1\n    prompt: [never closed\n")
    pane.tabs.setCurrentIndex(0)
    assert pane.broken.isVisible() and not pane.body.isVisible()
    assert pane.broken.text().startswith("The quiz YAML has a problem on line 4: fix it in the YAML tab.\n"
                                         "This is not valid YAML")  # the words of `course check`
    click(qtbot, pane.open_yaml)
    assert pane.tabs.currentWidget() is pane.yaml
    screen.undo_stack.undo()  # the question list comes back
    pane.tabs.setCurrentIndex(0)
    assert not pane.broken.isVisible() and pane.list.count() == 1 and pane.form.isVisible()


def test_keys_the_form_does_not_know_survive_an_edit(qtbot, screen):
    pane = editor(screen)
    pane.tabs.setCurrentWidget(pane.yaml)
    pane.yaml.setPlainText(
        "title: Signs\n"
        "questions:\n"
        "  - id: q1\n    type: single\n    prompt: Stop?\n    x-reviewed-by: Kim\n"
        "    choices:\n"
        "      - {text: Red, correct: true, x-image: red.png}\n"
        "      - {text: Amber, weight: 50, feedback: Nearly.}\n"
        "      - {text: Green}\n"
        "  - id: essay\n    type: essay\n    prompt: Why?\n")
    pane.tabs.setCurrentIndex(0)
    assert pane.list.count() == 2
    retype(qtbot, pane.form.prompt, "Which light means stop?")
    data = c.quiz_data(screen.document, quiz_id(screen))
    assert data["title"] == "Signs"
    first = data["questions"][0]
    assert first["prompt"] == "Which light means stop?" and first["x-reviewed-by"] == "Kim"
    assert first["choices"][0] == {"text": "Red", "correct": True, "x-image": "red.png"}
    assert first["choices"][1] == {"text": "Amber", "weight": 50, "feedback": "Nearly."}  # partial credit kept
    assert data["questions"][1] == {"id": "essay", "type": "essay", "prompt": "Why?"}
    pane.list.setCurrentRow(1)  # a type the form does not know: left to the YAML, not lost
    assert not pane.form.isVisible() and "essay" in pane.note.text()


def test_a_questions_problems_show_under_its_form(qtbot, screen):
    pane = editor(screen)
    form = add(qtbot, screen, "multiple")
    retype(qtbot, form.multiple_choices.cells[0]["weight"], "20")  # the weights no longer add up to 100
    screen.check_now()
    assert "add up to 70 %" in pane.question_problems.text() and pane.question_problems.isVisible()
    assert pane.question_problems.text().startswith("Line ")
    assert pane.list.item(1).toolTip() and not pane.list.item(0).toolTip()
    pane.list.setCurrentRow(0)  # the first question is fine
    assert not pane.question_problems.isVisible()


def test_every_control_is_named_and_tab_goes_through_the_form_in_order(qtbot, screen):
    pane = editor(screen)
    for kind in ("single", "multiple", "true_false", "short", "numerical", "matching"):
        form = add(qtbot, screen, kind)
        controls = form.focusable()
        assert all(w.accessibleName() for w in controls), [type(w).__name__ for w in controls
                                                           if not w.accessibleName()]
        chain = [pane.down_button] + controls
        for before, after in zip(chain, chain[1:]):
            nxt = before.nextInFocusChain()
            while nxt is not after and not _tab_stop(nxt):
                nxt = nxt.nextInFocusChain()
            assert nxt is after, (kind, before.accessibleName(), after.accessibleName())
    assert pane.form.id.layoutDirection() == Qt.LayoutDirection.LeftToRight


def _tab_stop(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isVisible() and widget.isEnabled()


def test_right_to_left_mirrors_the_form_but_not_the_id(qtbot, tmp_path):
    app = QApplication.instance()
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        folder = saving.create_course(TRAINER_P, tmp_path / "courses", "Road safety")
        widget = CourseEditorScreen(TRAINER_P, folder)
        qtbot.addWidget(widget)
        widget.resize(1200, 800)
        widget.show()
        widget.add_item("quiz", "Check")
        select(widget, quiz_id(widget))
        form = editor(widget).form
        qtbot.waitExposed(widget)
        cells = form.single_choices.cells[0]
        assert form.isRightToLeft() and form.id.layoutDirection() == Qt.LayoutDirection.LeftToRight
        assert cells["text"].mapTo(widget, cells["text"].rect().topLeft()).x() > \
            cells["feedback"].mapTo(widget, cells["feedback"].rect().topLeft()).x()  # first column on the right
    finally:
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_edit_question_merges_only_typing_in_the_same_field():
    assert c.EditQuestion("quiz", 0, {}, "prompt").merge_key == ("question", "quiz", 0, "prompt")
    assert c.EditQuestion("quiz", 0, {}, "prompt").merge_key != c.EditQuestion("quiz", 1, {}, "prompt").merge_key
    assert c.EditQuestion("quiz", 0, {}).merge_key is None  # a click is a step of its own


def test_pool_names_of_the_quiz_are_offered_and_a_removed_quiz_is_left_alone(qtbot, screen):
    pane = editor(screen)
    qtbot.keyClicks(pane.form.pool, "Road signs")
    assert questions(screen)[0]["pool"] == "Road signs"  # the space typed mid-name stays
    form = add(qtbot, screen, "true_false")
    assert form.pools.stringList() == ["Road signs"]
    assert form.pool.completer().model() is form.pools
    assert screen.edit(c.RemoveItem(quiz_id(screen)))
    screen.check_now()  # the quiz pane's quiz is gone: checking goes on without it
    assert screen.problems.item(0).text() == "No problems found."


def test_numbers_are_read_as_trainers_type_them():
    from app.ui.editor.question_data import parse_number

    assert parse_number("2,5") == 2.5 and parse_number("٢٫٥") == 2.5  # decimal comma; Arabic digits
    assert parse_number("−50") == -50 and parse_number("25 %") == 25 and parse_number("") is None
    assert parse_number("about 3") == "about 3"  # kept as typed: the course check says what is wrong


def test_pools_get_a_draw_count_under_the_list_and_the_quiz_asks_that_many(qtbot, screen):
    pane = editor(screen)
    assert not pane.pools.isVisibleTo(pane)  # no pool yet: nothing to draw from
    for n in range(3):
        pane.add_type.setCurrentIndex(pane.add_type.findData("true_false"))
        click(qtbot, pane.add_button)
        qtbot.keyClicks(pane.form.pool, "Road signs")
    assert pane.pools.isVisibleTo(pane) and list(pane.pools.spins) == ["Road signs"]
    spin = pane.pools.spins["Road signs"]
    assert spin.maximum() == 3 and spin.value() == 0 and spin.text() == "all"
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    data = c.quiz_data(screen.document, quiz_id(screen))
    assert data["draw"] == [{"pool": "Road signs", "count": 2}]
    assert screen.save()
    quiz = load_course(screen.document.folder).quizzes[quiz_id(screen)]
    assert quiz.draw == (("Road signs", 2),) and quiz.attempt_size == 1 + 2  # the starter question + two drawn
    screen.undo_stack.undo()
    assert c.quiz_data(screen.document, quiz_id(screen))["draw"] == [{"pool": "Road signs", "count": 1}]
    assert spin.value() == 1
