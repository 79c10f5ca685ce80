"""The issue's "done when", driven through the widgets as a trainer and a learner would: sign in,
Trainer tools → Courses, a new course; type a lesson, add an image, add a quiz and one question of each
type from the form, add a lab, save; Translate → add Korean, type translations, save; Publish, export;
on another data folder a learner installs the package, switches to Korean and takes the course.

Only the operating system's file and text dialogs are bypassed (their paths are passed in). Run it
in a real window with QT_QPA_PLATFORM=xcb under Xvfb; CI runs it offscreen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.accounts.roles import TRAINER
from app.core.course.loader import load_course
from app.core.i18n import set_locale
from app.ui.screens.catalogue import CatalogueScreen
from app.ui.screens.course_editor import CourseEditorScreen
from app.ui.screens.course_hub import CourseHubScreen
from app.ui.screens.lesson import LessonScreen
from app.ui.screens.quiz import QuizScreen
from app.ui.screens.trainer_tools import TrainerToolsScreen
from app.ui.screens.translation_workspace import TranslationWorkspaceScreen
from tests.ui.helpers import answer_current_quiz, click, open_window, start_as
from tests.ui.test_course_hub import tiny_png
from tests.ui.test_languages import choose_in_settings
from tests.ui.test_question_forms import click as click_in_form
from tests.ui.test_sign_in import make_accounts, quick_hashes, sign_in  # noqa: F401 - the fixture is autouse

TYPES_IN_THE_FORM = ("single", "multiple", "true_false", "short", "numerical", "matching")


def wait_for(qtbot, window, kind):
    qtbot.waitUntil(lambda: isinstance(window.screen, kind) and not window.runner.busy, timeout=30000)
    return window.screen


def select_in_outline(editor, item_id: str) -> None:
    tree = editor.outline
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            if top.child(j).data(0, Qt.ItemDataRole.UserRole) == item_id:
                tree.setCurrentItem(top.child(j))
                return
    raise AssertionError(item_id)


def translate_entry(qtbot, workspace, source_start: str, translation: str) -> None:
    """Pick the entry in the tree whose source starts so, type the translation, press Save."""
    tree = workspace.tree
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        for j in range(group.childCount()):
            tree.setCurrentItem(group.child(j))
            if workspace.current is not None and workspace.current.source.startswith(source_start):
                workspace.target.setFocus()
                workspace.target.selectAll()
                workspace.target.insertPlainText(translation)  # Hangul comes from the input method, not key clicks
                click(qtbot, workspace.save_button)
                return
    raise AssertionError(source_start)


def test_a_trainer_builds_translates_and_ships_a_course_through_the_window(qtbot, tmp_path):
    office = tmp_path / "trainer-pc"
    make_accounts(office, ("Park", TRAINER, "training day"))
    window = open_window(qtbot, office)
    sign_in(qtbot, window, "Park", "training day")
    click(qtbot, window.tools_button)
    click(qtbot, wait_for(qtbot, window, TrainerToolsScreen).buttons["courses"])
    wait_for(qtbot, window, CourseHubScreen).new_course("Minutes with AI")  # the title dialog, answered
    editor = wait_for(qtbot, window, CourseEditorScreen)

    # A lesson typed with its preview, and an image from disk.
    lesson = editor.document.modules[0]["items"][0]["id"]
    select_in_outline(editor, lesson)
    markdown = editor.item_pane.markdown
    markdown.selectAll()
    for line in ("# Minutes", "", "An assistant drafts the minutes; you check every name.", ""):
        qtbot.keyClicks(markdown, line)  # keyClicks types no new line: press Enter
        qtbot.keyClick(markdown, Qt.Key.Key_Return)
    image = tmp_path / "minutes.png"
    image.write_bytes(tiny_png())
    editor.item_pane.add_image(image)  # what "Add image…" does with the chosen file
    qtbot.waitUntil(lambda: "assistant drafts" in editor.item_pane.preview.toPlainText(), timeout=5000)

    # A quiz with one question of every type, added and written in the form.
    click(qtbot, editor.add_buttons["quiz"])
    quiz_id = editor.document.modules[0]["items"][-1]["id"]
    pane = editor.item_pane.quiz_editor
    click_in_form(qtbot, pane.remove_button)  # the new quiz's starter question: start from nothing
    for kind in TYPES_IN_THE_FORM:
        pane.add_type.setCurrentIndex(pane.add_type.findData(kind))
        click_in_form(qtbot, pane.add_button)
        qtbot.keyClicks(pane.form.prompt, f"Minutes: a {kind.replace('_', ' ')} question?")
    assert [q["type"] for q in pane.questions] == list(TYPES_IN_THE_FORM)
    editor.add_item("lab", "Practise", lab="chatbot/consultation")  # the lab picker, answered
    assert editor.check_now() is None and editor.problems.item(0).text() == "No problems found."
    click(qtbot, editor.save_button)
    assert "Saved, version" in editor.status.text()
    folder = editor.document.folder
    course_id = folder.name

    # Translate into Korean: add the language, translate the lesson's heading and a question.
    click(qtbot, window.back_button)
    click(qtbot, wait_for(qtbot, window, TrainerToolsScreen).buttons["courses"])
    hub = wait_for(qtbot, window, CourseHubScreen)
    click(qtbot, hub.buttons[f"{course_id}:translate"])
    workspace = wait_for(qtbot, window, TranslationWorkspaceScreen)
    workspace.new_locale.setCurrentIndex(workspace.new_locale.findData("ko"))
    click(qtbot, workspace.add_button)
    assert workspace.locale.currentData() == "ko"
    translate_entry(qtbot, workspace, "# Minutes", "# 회의록")
    translate_entry(qtbot, workspace, "Minutes: a single question?", "회의록: 단일 선택 문제?")
    assert workspace.work.coverage().done >= 2

    # Publish and export the package to the USB stick.
    click(qtbot, window.back_button)
    click(qtbot, wait_for(qtbot, window, TrainerToolsScreen).buttons["courses"])
    hub = wait_for(qtbot, window, CourseHubScreen)
    click(qtbot, hub.buttons[f"{course_id}:publish"])
    hub = wait_for(qtbot, window, CourseHubScreen)
    assert f"{course_id}:publish" not in hub.buttons
    package = tmp_path / "usb" / "minutes.zip"
    package.parent.mkdir()
    hub.export(folder, course_id, package)  # what "Export package…" does with the chosen file
    qtbot.waitUntil(lambda: package.exists() and not window.runner.busy, timeout=30000)
    window.close()

    # Another office: a learner installs the package, switches to Korean and takes the course.
    learner = start_as(qtbot, tmp_path / "learner-pc", "Kim Min-ji")
    learner.install_course_package(package, confirm=lambda lines, warned: True)
    qtbot.waitUntil(lambda: learner.services.catalogue.course(course_id) is not None, timeout=30000)
    choose_in_settings(qtbot, learner, "ko")
    catalogue = wait_for(qtbot, learner, CatalogueScreen)
    click(qtbot, catalogue.course_buttons[course_id])
    screen = learner.screen
    if not isinstance(screen, LessonScreen):  # the outline first: start the course
        click(qtbot, screen.go)
    lesson_screen = wait_for(qtbot, learner, LessonScreen)
    assert "회의록" in lesson_screen.browser.toPlainText()
    click(qtbot, lesson_screen.done)
    quiz_screen = wait_for(qtbot, learner, QuizScreen)
    assert quiz_screen.whole.questions[0].prompt == "회의록: 단일 선택 문제?"  # the learner's language
    answer_current_quiz(qtbot, learner)
    installed = learner.services.catalogue.course(course_id)
    assert learner.learning.progress(installed).quizzes[quiz_id].best_percent == 100
    course = load_course(folder, "ko")
    assert course.quizzes[quiz_id].questions[0].prompt == "회의록: 단일 선택 문제?"
    set_locale("en")
    learner.close()
