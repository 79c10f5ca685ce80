"""The translation workspace in a window: translate into Korean, Arabic right to left, import a .po."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed, Principal
from app.core.course.loader import load_course
from app.ui.screens.translation_workspace import TranslationWorkspaceScreen
from tests.conftest import COURSE
from tests.ui.helpers import click

TRAINER_LEE = Principal("Lee", TRAINER, "l2", "a2")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of ai-foundations with Arabic only: Korean is added from the screen."""
    folder = tmp_path / "ai-foundations"
    shutil.copytree(COURSE, folder)
    manifest = folder / "course.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "translations: [ko, es, fr, ar, ru, vi, id, km, uz]", "translations: [ar]"), encoding="utf-8")
    for po in (folder / "translations").glob("*.po"):
        if po.stem != "ar":
            po.unlink()
    return folder


@pytest.fixture
def screen(qtbot, course):
    widget = TranslationWorkspaceScreen(TRAINER_LEE, course)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def pick_entry(screen, starts: str):
    """Select the first entry whose source starts with `starts`, as a click in the list would."""
    tree = screen.tree
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        for j in range(group.childCount()):
            child = group.child(j)
            if child.data(0, Qt.ItemDataRole.UserRole)[1].startswith(starts):
                tree.setCurrentItem(child)
                return child
    raise AssertionError(f"no entry starting with {starts!r}")


def test_translate_an_entry_into_korean_and_coverage_rises(qtbot, screen, course):
    screen.new_locale.setCurrentIndex(screen.new_locale.findData("ko"))
    click(qtbot, screen.add_button)
    assert screen.locale.currentData() == "ko"
    assert screen.coverage.value() == 0
    item = pick_entry(screen, "# ")  # a lesson's title heading
    assert "(not yet translated)" in item.text(0)  # the reader's fallback marker
    assert screen.source.isReadOnly() and screen.source.toPlainText().startswith("# ")
    assert screen.preview.isVisible() and "#fff6d5" in screen.preview.toHtml()  # highlighted as untranslated
    lesson = screen.current.context
    bar = screen.bars[lesson]
    before = bar.value()

    qtbot.keyClicks(screen.target, "# ")
    screen.target.insertPlainText("인공지능이란 무엇인가")  # as an input method commits Hangul (QTest: Latin-1)
    assert "인공지능이란" in screen.preview.toPlainText()  # live preview of the target
    click(qtbot, screen.save_button)
    assert screen.coverage.value() == 1 and bar.value() == before + 1
    assert item.text(1) == "Translated" and "(not yet translated)" not in item.text(0)
    shown = load_course(course, "ko").lessons
    assert any(lesson_.markdown.startswith("# 인공지능이란 무엇인가") for lesson_ in shown.values())


def test_needs_review_then_mark_reviewed(qtbot, screen, course):
    screen.select_locale("ar")
    item = pick_entry(screen, "AI foundations")
    assert screen.current.needs_review and screen.mark_reviewed.isEnabled()
    review_before = screen.work.coverage().review
    click(qtbot, screen.mark_reviewed)
    assert not screen.current.needs_review and item.text(1) == "Translated"
    assert screen.work.coverage().review == review_before - 1
    screen.review_only.setChecked(True)  # the filter hides the reviewed entry
    keys = [screen.tree.topLevelItem(i).child(j).data(0, Qt.ItemDataRole.UserRole)
            for i in range(screen.tree.topLevelItemCount()) for j in range(screen.tree.topLevelItem(i).childCount())]
    assert keys and all(screen.work.entry(tuple(k)).needs_review for k in keys)


def test_arabic_target_is_right_to_left_and_the_source_left_to_right(screen):
    screen.select_locale("ar")
    pick_entry(screen, "AI foundations")
    assert screen.target.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert screen.target.document().defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft
    assert screen.source.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert screen.target.toPlainText()  # the existing Arabic translation is shown


def test_a_broken_markdown_translation_is_not_saved_and_says_why(qtbot, screen, course):
    screen.select_locale("ar")
    pick_entry(screen, "# ")
    before = (course / "translations" / "ar.po").read_bytes()
    screen.target.setPlainText("ليس عنوانا")
    click(qtbot, screen.save_button)
    assert "not saved" in screen.message.text() and screen.problems.isVisible()
    assert "Markdown structure" in screen.problems.item(0).text()
    assert (course / "translations" / "ar.po").read_bytes() == before


def test_import_a_po_through_the_dialog(qtbot, screen, course, tmp_path, monkeypatch):
    screen.new_locale.setCurrentIndex(screen.new_locale.findData("ko"))
    click(qtbot, screen.add_button)
    exported = tmp_path / "ko-out.po"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(exported), ""))
    click(qtbot, screen.export_button)
    catalog = read_po(io.BytesIO(exported.read_bytes()))
    for message in catalog:
        if message.id and message.context == "course.yaml":
            message.string = "번역: " + message.id
    out = io.BytesIO()
    write_po(out, catalog)
    exported.write_bytes(out.getvalue())

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(exported), ""))
    click(qtbot, screen.import_button)
    outline = screen.work.coverage("course.yaml")
    assert outline.done == outline.total > 0
    assert screen.bars["course.yaml"].value() == outline.total
    assert "Imported:" in screen.message.text() and f"{outline.total} new" in screen.message.text()
    assert load_course(course, "ko").title.startswith("번역: ")

    wrong = tmp_path / "wrong.po"
    wrong.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(wrong), ""))
    click(qtbot, screen.import_button)
    assert screen.message.text() == "Nothing was imported." and "wrong.po:3" in screen.problems.item(0).text()


def test_a_learner_cannot_open_the_workspace(qtbot, course):
    with pytest.raises(NotAllowed):
        TranslationWorkspaceScreen(Principal("Kim", LEARNER, "l1", "a1"), course)
