"""The lesson view shows a diagram in the learner's language when the package has one."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

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
