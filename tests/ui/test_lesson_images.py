"""The lesson view shows a diagram in the learner's language when the package has one."""

from __future__ import annotations

import pytest

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

from app.core.course.source import PackageSource
from app.ui.screens.lesson import LessonBrowser
from tests.core.test_localised_images import _course_with_korean_diagram


def test_the_lesson_view_shows_the_korean_diagram(qtbot, tmp_path):
    source = PackageSource.open(_course_with_korean_diagram(tmp_path))
    korean = LessonBrowser(source, "ko")
    english = LessonBrowser(source, "en")
    qtbot.addWidget(korean)
    qtbot.addWidget(english)
    url = QUrl("images/rules-vs-learning.svg")
    image = QTextDocument.ResourceType.ImageResource
    assert korean.loadResource(image, url).size().height() == 100  # the 300x100 Korean version
    assert english.loadResource(image, url).size().height() > 300  # the 600x400 original, fitted to the view


@pytest.mark.parametrize("course", ["ai-foundations", "data-and-ml", "automation-and-chatbots"])
def test_every_bundled_diagram_translation_renders_at_the_original_size(course):
    import re

    from app.core.course.loader import image_coverage
    from app.core.i18n import shipped_locales
    from tests.conftest import ROOT

    COURSE = ROOT / "courses" / course
    coverage = image_coverage(COURSE)
    assert {code for code, (done, total) in coverage.items() if done == total} == \
        {info.code for info in shipped_locales()} - {"en"}
    originals = {p.name: QImage.fromData(p.read_bytes()).size() for p in (COURSE / "images").glob("*.svg")}
    for svg in (COURSE / "images").glob("*/*.svg"):
        text = svg.read_text(encoding="utf-8")
        image = QImage.fromData(text.encode("utf-8"))
        assert not image.isNull(), svg
        assert image.size() == originals[svg.name], svg
        # Qt's SVG renderer takes a comma list as one unknown family and falls back to monospace.
        assert set(re.findall(r'font-family="([^"]*)"', text)) == {"Noto Sans"}, svg
