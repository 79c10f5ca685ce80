"""The lesson reader: rendered Markdown with images from the package, at the chosen text size."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser

from app.core import formatting
from app.core.course import markdown
from app.core.course.model import Course, Item
from app.core.course.loader import localised_image
from app.core.course.source import PackageSource
from app.core.i18n import _, locale_info
from app.ui.screens.page import Page
from app.ui.widgets import button, heading, marked, text


class LessonBrowser(QTextBrowser):
    """Reads images from the course package (folder or zip), scaled to fit the text width.

    A diagram translated for the lesson's language (images/<code>/name.svg) replaces the original.
    """

    def __init__(self, source: PackageSource, locale: str = "", parent=None):
        super().__init__(parent)
        self._source = source
        self._locale = locale
        self.setOpenLinks(False)  # offline: links are not followed

    def loadResource(self, kind: int, url: QUrl):
        if kind == QTextDocument.ResourceType.ImageResource:
            path = localised_image(self._source, url.toString(), self._locale)
            try:
                image = QImage.fromData(self._source.read_bytes(path))
            except (OSError, FileNotFoundError, KeyError):
                return QImage()
            limit = max(self.viewport().width() - 40, 200)
            if image.width() > limit:
                image = image.scaledToWidth(limit)
            return image
        return super().loadResource(kind, url)


class LessonScreen(Page):
    finished = Signal(str)  # item id: the learner marked it read
    previous = Signal(str)

    def __init__(self, course: Course, item: Item, position: float = 0.0, parent=None):
        super().__init__(parent, scroll=False)
        self.course, self.item = course, item
        lesson = course.lessons[item.id]
        module = next(m for m in course.modules if item in m.items)
        index = [i.id for i in module.items].index(item.id) + 1
        self.body.addWidget(text(_("{module} · part {n} of {total}").format(
            module=marked(module.title), n=formatting.number(index), total=formatting.number(len(module.items))), muted=True))
        if not lesson.markdown.lstrip().startswith("# "):  # the lesson's own title heading suffices
            self.body.addWidget(heading(marked(item.title)))
        if lesson.untranslated_starts:
            self.body.addWidget(text(_("Highlighted passages are not yet translated and are shown in the original "
                                       "language."), muted=True))
        self.browser = LessonBrowser(PackageSource.open(course.location), course.locale)
        self.browser.setAccessibleName(_("Lesson text: {title}").format(title=item.title))
        self.browser.document().setDefaultStyleSheet(markdown.LESSON_CSS)
        self.browser.document().setDocumentMargin(18)
        if locale_info(course.locale).rtl:  # paragraphs start on the right; Latin and numbers stay LTR runs
            option = self.browser.document().defaultTextOption()
            option.setTextDirection(Qt.LayoutDirection.RightToLeft)
            self.browser.document().setDefaultTextOption(option)
        self.browser.setHtml(markdown.render_html(lesson.markdown, lesson.path, list(lesson.untranslated_starts)))
        self.body.addWidget(self.browser, 1)
        row = QHBoxLayout()
        self.back = button(_("Previous"), lambda: self.previous.emit(item.id))
        self.back.setEnabled(course.items[0].id != item.id)
        row.addWidget(self.back)
        row.addStretch(1)
        self.done = button(_("Mark as read and continue"), lambda: self.finished.emit(item.id), primary=True)
        row.addWidget(self.done)
        self.body.addLayout(row)
        if position > 0:
            QTimer.singleShot(0, self, lambda: self.set_position(position))

    def position(self) -> float:
        bar = self.browser.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0

    def set_position(self, fraction: float) -> None:
        bar = self.browser.verticalScrollBar()
        bar.setValue(int(round(fraction * bar.maximum())))

    def focus_first(self) -> None:
        self.browser.setFocus()
