"""Changing language at run time, right-to-left Arabic, and the bundled fonts on a bare machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressBar

from app.core.i18n import current_locale
from app.ui.fonts import families_for, register_bundled_fonts
from app.ui.screens.lesson import LessonScreen
from app.ui.screens.quiz import QuizScreen
from tests.answers import right_answer
from tests.conftest import ROOT
from tests.ui.helpers import answer, click, open_first_quiz, start_as


def choose_in_settings(qtbot, window, code: str | None = None, scale: float | None = None) -> None:
    """Open Settings from the header, pick a language and/or text size, press Apply."""
    def operate():
        dialog = window._settings_dialog
        assert dialog is not None and dialog.isVisible()
        if code is not None:
            for row in range(dialog.languages.count()):
                if dialog.languages.item(row).data(Qt.ItemDataRole.UserRole) == code:
                    dialog.languages.setCurrentRow(row)
        if scale is not None:
            dialog.sizes.setCurrentIndex(dialog.sizes.findData(scale))
        dialog.accept()

    QTimer.singleShot(50, operate)
    click(qtbot, window.settings_button)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)


def test_settings_list_every_language_in_its_own_name(qtbot, data_dir):
    window = start_as(qtbot, data_dir, "Amina")
    seen = []

    def look():
        dialog = window._settings_dialog
        seen.extend(dialog.languages.item(r).text() for r in range(dialog.languages.count()))
        dialog.reject()

    QTimer.singleShot(50, look)
    click(qtbot, window.settings_button)
    assert seen == ["English", "한국어", "Español", "Français", "العربية", "Русский", "Tiếng Việt",
                    "Bahasa Indonesia", "ខ្មែរ", "Oʻzbekcha"]
    assert current_locale() == "en"  # Cancel changes nothing


def test_switching_language_in_a_lesson_keeps_the_place(qtbot, data_dir):
    window = start_as(qtbot, data_dir, "Kim Min-ji")
    course = window.services.catalogue.course("ai-foundations")
    lesson = [i for i in course.items if i.kind == "lesson"][1]
    window.open_item(course.id, lesson.id)
    qtbot.waitUntil(lambda: window.screen.browser.verticalScrollBar().maximum() > 0)
    window.screen.set_position(0.5)
    english_title = window.screen.course.lessons[lesson.id].markdown.splitlines()[0]

    choose_in_settings(qtbot, window, "ko")

    assert current_locale() == "ko" and window.settings.locale == "ko"
    qtbot.waitUntil(lambda: isinstance(window.screen, LessonScreen) and window.screen.item.id == lesson.id)
    assert window.location.item_id == lesson.id
    qtbot.waitUntil(lambda: abs(window.screen.position() - 0.5) < 0.05)
    korean_title = window.screen.course.lessons[lesson.id].markdown.splitlines()[0]
    assert korean_title != english_title and any("\uac00" <= ch <= "\ud7a3" for ch in korean_title)
    assert window.settings_button.text() == "설정"
    assert window.back_button.text() == "과정 목차"


def test_switching_language_mid_quiz_keeps_the_attempt(qtbot, data_dir):
    window = start_as(qtbot, data_dir, "Ahmed")
    _course, quiz, screen = open_first_quiz(window)
    click(qtbot, screen.primary)
    registration = screen.registration
    answer(qtbot, screen.view, right_answer(screen.view.question))
    click(qtbot, screen.check)

    choose_in_settings(qtbot, window, "ar")

    qtbot.waitUntil(lambda: isinstance(window.screen, QuizScreen) and window.screen is not screen)
    resumed = window.screen
    assert window.location.item_id == quiz.id
    click(qtbot, resumed.primary)  # "Resume quiz", now in Arabic
    assert resumed.registration == registration and resumed.index == 1
    assert window.isRightToLeft()


def test_arabic_mirrors_the_window_and_keeps_code_left_to_right(qtbot, data_dir):
    window = start_as(qtbot, data_dir, "Fatima")
    course = window.services.catalogue.course("ai-foundations")
    window.learning.complete_lesson(course, course.items[0])
    choose_in_settings(qtbot, window, "ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.isRightToLeft()

    window.show_catalogue()
    bar = window.screen.findChild(QProgressBar)
    assert bar.isRightToLeft()  # progress fills from the right
    window.show_outline(course.id)
    header_width = window.back_button.parentWidget().width()
    assert window.back_button.geometry().center().x() > header_width / 2  # "back" sits on the right
    assert window.back_button.text() == window.back_button.accessibleName()  # the arrow is an icon
    assert not window.back_button.icon().isNull()
    assert window.settings_button.geometry().center().x() < header_width / 2

    window.open_item(course.id, course.items[0].id)
    document = window.screen.browser.document()
    assert document.defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft
    # An Arabic paragraph is laid out right to left; a code block stays left to right.
    directions = set()
    block = document.begin()
    while block.isValid():
        if block.text().strip():
            directions.add(block.textDirection())
        block = block.next()
    assert Qt.LayoutDirection.RightToLeft in directions
    assert Qt.LayoutDirection.LeftToRight in directions  # the code sample of lesson 1

    choose_in_settings(qtbot, window, "en")
    assert not window.isRightToLeft()


def test_text_size_from_settings_applies_and_is_kept(qtbot, data_dir):
    window = start_as(qtbot, data_dir, "Lan")
    before = QApplication.font().pointSizeF()
    choose_in_settings(qtbot, window, scale=1.5)
    assert window.settings.text_scale == 1.5
    assert QApplication.font().pointSizeF() > before


def test_font_families_follow_the_language():
    families = register_bundled_fonts()
    assert set(families) >= {"Noto Sans", "Noto Sans Arabic", "Noto Sans Khmer", "Noto Sans KR Subset"}
    assert families_for("ko")[0] == "Noto Sans KR Subset"
    assert families_for("ar")[0] == "Noto Sans Arabic"
    assert families_for("km")[0] == "Noto Sans Khmer"
    assert families_for("ru")[0] == "Noto Sans"


NO_FONTS_PROBE = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, {root!r})
    from PySide6.QtGui import QFontDatabase, QRawFont, QTextLayout
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    system = sorted(QFontDatabase.families())
    from app.ui.locale_setup import prepare_application
    result = {{"system_families": system}}
    for code, sample in {samples!r}.items():
        prepare_application(app, code)
        layout = QTextLayout(sample, app.font())
        layout.beginLayout(); line = layout.createLine(); layout.endLayout()
        missing = 0
        used = set()
        for run in layout.glyphRuns():
            used.add(run.rawFont().familyName())
            missing += sum(1 for g in run.glyphIndexes() if g == 0)
        result[code] = {{"missing": missing, "fonts": sorted(used),
                         "direction": "rtl" if app.layoutDirection().name == "RightToLeft" else "ltr"}}
    print(json.dumps(result))
""")


def test_every_script_renders_on_a_machine_with_no_fonts(tmp_path):
    """fontconfig sees an empty folder: only the bundled fonts exist, and no glyph is missing."""
    (tmp_path / "empty").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<dir>{tmp_path / "empty"}</dir><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>')
    samples = {"ko": "학습 기록 Kim Min-ji 85%", "ar": "الذكاء الاصطناعي في الحكومة 2026 AI",
               "km": "បញ្ញាសិប្បនិម្មិត សម្រាប់មន្ត្រីរាជការ", "ru": "Искусственный интеллект",
               "vi": "Trí tuệ nhân tạo cho cán bộ", "uz": "Sunʼiy intellekt oʻquv kursi", "en": "✓ correct ✗ → −"}
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", NO_FONTS_PROBE.format(root=str(ROOT), samples=samples)],
                          capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not any(f.startswith(("DejaVu", "Liberation", "Noto Sans CJK")) for f in result["system_families"])
    for code in samples:
        assert result[code]["missing"] == 0, (code, result[code])
    assert "Noto Sans KR Subset" in result["ko"]["fonts"]
    assert "Noto Sans Arabic" in result["ar"]["fonts"] and result["ar"]["direction"] == "rtl"
    assert "Noto Sans Khmer" in result["km"]["fonts"]


@pytest.mark.parametrize("code, direction", [("ar", "rtl"), ("km", "ltr")])
def test_self_test_reports_the_layout_direction(tmp_path, code, direction):
    done = subprocess.run([sys.executable, "main.py", "--self-test", "--locale", code, "--data-dir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "CIVICAI_SELF_TEST_LABS": "skip"})  # the labs: startup's test
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["locale"] == code and report["layout_direction"] == direction
