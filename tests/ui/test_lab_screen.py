"""The lab screen, driven as a learner: tasks, "Check my work" with specific feedback, autosave
after every change, exact resume after closing the app, a restore that fails, completion."""

from __future__ import annotations

import pytest

from app.core.record.labwork import LabWorkStore
from app.core.record.statements import Verb
from labs import registry
from tests.core.test_lab_record import make_course
from tests.labs import fake_lab
from tests.ui.helpers import click, open_window, start_as


@pytest.fixture
def lab_course(data_dir, monkeypatch):
    monkeypatch.setitem(registry.LABS, "test/words", "tests.labs.fake_lab")
    make_course(data_dir / "courses" / "lab-course", lab="test/words")
    fake_lab.OPENED.clear()
    return data_dir


def open_lab(qtbot, window):
    from app.ui.screens.lab import LabScreen

    course = window.services.catalogue.course("lab-course")
    lab_item = course.items[1]
    window.open_item(course.id, lab_item.id)
    screen = window.screen
    assert isinstance(screen, LabScreen)
    # Widgets added to a shown window are shown by a queued event: wait for the panel on screen.
    qtbot.waitUntil(lambda: screen.panel is not None and screen.panel.isVisible(), timeout=20000)
    return course, lab_item, screen


def add_word(qtbot, screen, word):
    qtbot.keyClicks(screen.panel.edit, word)
    click(qtbot, screen.panel.add)


def test_a_learner_checks_tasks_autosaves_and_resumes_exactly(qtbot, lab_course):
    window = start_as(qtbot, lab_course, "Kim Min-ji")
    course, lab_item, screen = open_lab(qtbot, window)
    window.learning.complete_lesson(course, course.items[0])  # the lesson before the lab
    assert fake_lab.OPENED == [None]
    assert screen.task_list.count() == 2 and screen.task_title.text() == "Weekday"
    add_word(qtbot, screen, "month")
    click(qtbot, screen.check_button)
    assert "groups by month" in screen.feedback.text()
    assert "Weekday" not in screen.task_list.item(0).text().split(" ", 1)[0]  # no tick yet
    add_word(qtbot, screen, "weekday")
    saved = LabWorkStore(window.services.database).load(window.learning.learner.id, course.id, lab_item.id)
    assert saved.snapshot == {"words": ["month", "weekday"]} and saved.revision == 2
    assert "'weekday'" in screen.code_view.toPlainText()
    click(qtbot, screen.check_button)
    assert screen.feedback.text() == "Right: you group by weekday."
    assert screen.task_list.item(0).text().startswith("✓")
    statements = window.services.record.statements(window.learning.learner.id, course.id)
    checks = [(s.verb, s.result.get("success")) for s in statements if ":task:" in s.object_id]
    assert checks == [(Verb.FAILED, False), (Verb.PASSED, True)]
    window.close()

    window = open_window(qtbot, lab_course)  # the app was closed and opened again
    course, lab_item, screen = open_lab(qtbot, window)
    assert fake_lab.OPENED[-1] == {"words": ["month", "weekday"]}
    assert screen.workspace.words == ["month", "weekday"]
    assert screen.status_line.text() == "Your saved work was restored."
    assert screen.task_list.currentRow() == 1, "resumes on the first task not yet passed"
    assert screen.task_list.item(0).text().startswith("✓")
    assert not screen.continue_button.isVisible()
    add_word(qtbot, screen, "third")
    click(qtbot, screen.check_button)
    assert screen.continue_button.isVisible()
    progress = window.learning.progress(course)
    assert progress.item_done(lab_item) and progress.completed
    click(qtbot, screen.continue_button)
    assert window.location.screen == "complete"
    window.close()


def test_the_outline_shows_lab_progress_and_opens_the_lab(qtbot, lab_course):
    window = start_as(qtbot, lab_course, "Amina")
    course, lab_item, screen = open_lab(qtbot, window)
    add_word(qtbot, screen, "weekday")
    click(qtbot, screen.check_button)
    window.show_outline(course.id)
    tree = window.screen.tree
    row = tree.topLevelItem(0).child(1)
    assert row.text(1) == "Lab" and row.text(2) == "In progress (1 task done)"
    tree.itemActivated.emit(row, 0)
    assert type(window.screen).__name__ == "LabScreen"
    window.close()


def test_saved_work_that_cannot_be_restored_is_said_and_the_lab_can_start_again(qtbot, lab_course):
    window = start_as(qtbot, lab_course, "Ivan")
    course = window.services.catalogue.course("lab-course")
    lab_item = course.items[1]
    LabWorkStore(window.services.database).save(window.learning.learner.id, course.id, lab_item.id, "test/words",
                                                {"broken": True})
    window.open_item(course.id, lab_item.id)
    screen = window.screen
    qtbot.waitUntil(lambda: "could not be restored" in screen.status.text(), timeout=20000)
    assert "x.csv" in screen.status.text()
    assert screen.cancel_button.text() == "Start the lab again"
    click(qtbot, screen.cancel_button)
    qtbot.waitUntil(lambda: screen.definition is not None, timeout=20000)
    assert fake_lab.OPENED[-1] is None and screen.workspace.words == []
    window.close()


def test_a_lab_this_build_does_not_ship_says_so(qtbot, data_dir):
    make_course(data_dir / "courses" / "lab-course", lab="data_analysis/not-shipped")
    window = start_as(qtbot, data_dir, "Sok")
    course = window.services.catalogue.course("lab-course")
    window.show_outline(course.id)
    assert window.screen.tree.topLevelItem(0).child(1).text(2) == "Not available in this version"
    window.open_item(course.id, course.items[1].id)
    screen = window.screen
    qtbot.waitUntil(lambda: "not part of this version" in screen.status.text(), timeout=20000)
    window.close()


def test_a_panel_lists_the_lessons_and_a_link_opens_one(qtbot, lab_course):
    from app.ui.screens.lesson import LessonScreen

    window = start_as(qtbot, lab_course, "Kim Min-ji")
    course, lab_item, screen = open_lab(qtbot, window)
    links = dict(screen.lessons())
    lesson = course.items[0]
    assert links[f"lab-course/{lesson.id}"] == f"{course.title}: {lesson.title}"
    assert all(not target.endswith(f"/{lab_item.id}") for target in links), "labs and quizzes are not lessons"
    assert screen.open_lesson("lab-course/no-such-lesson") is False and window.screen is screen
    assert screen.open_lesson(f"lab-course/{lesson.id}") is True
    assert isinstance(window.screen, LessonScreen)
    window.close()
