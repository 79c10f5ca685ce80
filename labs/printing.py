"""Print Markdown (or HTML) to A4 PDF with Qt, in the bundled fonts, right-to-left for Arabic.

One module for every PDF the labs write: the model card (labs/machine_learning/pdf.py) and the
automation lab's letters. Qt only (QTextDocument + QPdfWriter + QPainter): no extra PDF library in
the bundle. Needs a QGuiApplication. Both classes are reentrant, so a batch may run on a worker
thread as long as each document and writer is made and used on that thread (tests/labs/test_printing.py
proves it); the bundled fonts must be registered first on the GUI thread (app start-up does that).

Documents are sealed: `loadResource` returns nothing, so an image link written into a template or a
card (`![x](file:///etc/passwd)`, `<img src=...>`) cannot make Qt read a file from the disk.
"""

from __future__ import annotations

from collections.abc import Sequence
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
    QTextTable,
)

from app.core.atomic import replacing
from app.core.i18n import _, locale_info
from app.core.tasks import TaskState
from app.ui.fonts import localised_font

POINT_SIZE = 10
MARGIN_MM = 18
RESOLUTION = 300
MARKDOWN = "markdown"
HTML = "html"


class SealedDocument(QTextDocument):
    """A QTextDocument that loads no resources (images, style sheets) from files or the network."""

    def loadResource(self, kind: int, url: Any) -> Any:
        return None


def text_document(text: str, locale: str, device: QPagedPaintDevice | None = None, *, kind: str = MARKDOWN,
                  allow_html: bool = False, point_size: int = POINT_SIZE) -> QTextDocument:
    """`text` laid out for print: the locale's font list, its text direction, GitHub tables. Given a
    `device`, the layout uses its resolution and page (so points are real points, no extra margins).
    Markdown may carry raw HTML only when `allow_html` (a learner's letter template may not)."""
    document = SealedDocument()
    if device is not None:
        document.documentLayout().setPaintDevice(device)
        document.setPageSize(QSizeF(device.width(), device.height()))
        document.setDocumentMargin(0)
    base = QFont(QGuiApplication.font())
    base.setPointSize(point_size)
    document.setDefaultFont(localised_font(base, locale))
    rtl = locale_info(locale).rtl
    if rtl:
        option = QTextOption(document.defaultTextOption())
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        document.setDefaultTextOption(option)
    if kind == HTML:
        document.setHtml(text)
    else:
        features = QTextDocument.MarkdownFeature.MarkdownDialectGitHub
        if not allow_html:
            features |= QTextDocument.MarkdownFeature.MarkdownNoHTML
        document.setMarkdown(hard_breaks_for_qt(text), features)
    if rtl:
        right_to_left_blocks(document)
    return document


_STARTS_BLOCK = re.compile(r"\s*([-*+]\s|\d+[.)]\s|#|>|\||```|~~~)")
_ENDS_WITH_HARD_BREAK = re.compile(r"( {2,}|\\)$")


def hard_breaks_for_qt(markdown: str) -> str:
    """Markdown's hard line breaks (two spaces or a backslash at the end of a line) as U+2028 line
    separators. Qt's importer turns each hard break into a new paragraph, with a paragraph's spacing,
    so an address block would print double-spaced; a line separator keeps the lines in one paragraph."""
    out: list[str] = []
    for line in markdown.split("\n"):
        previous = out[-1] if out else ""
        if (_ENDS_WITH_HARD_BREAK.search(previous) and line.strip() and not _STARTS_BLOCK.match(line)
                and not re.match(r"\s*(#|\||```|~~~)", previous)):
            out[-1] = _ENDS_WITH_HARD_BREAK.sub("", previous) + "\u2028" + line
        else:
            out.append(line)
    return "\n".join(out)


def right_to_left_blocks(document: QTextDocument) -> None:
    """Every block right-to-left, so Latin lines (names, numbers, addresses) start at the right edge too.
    Markdown's left alignment is not absolute: in a right-to-left block it means the leading edge."""
    block = document.begin()
    while block.isValid():
        layout = QTextBlockFormat(block.blockFormat())
        layout.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        QTextCursor(block).setBlockFormat(layout)
        block = block.next()
    for frame in document.rootFrame().childFrames():  # tables: columns already mirror; put them on the right
        if isinstance(frame, QTextTable):
            table_format = frame.format()
            table_format.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
            frame.setFormat(table_format)


def _writer(path: Path, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("Civic AI Academy")
    return writer


def _check_pdf(temporary: Path, path: Path) -> None:
    with open(temporary, "rb") as written:
        if written.read(5) != b"%PDF-":
            raise OSError(_("{path}: Qt did not write a PDF.").format(path=path))


def write_pdf(path: Path, text: str, locale: str, title: str = "", *, kind: str = MARKDOWN,
              allow_html: bool = False) -> None:
    """Write one document as a PDF atomically: a failure leaves the old file (or none), never half of one."""
    path = Path(path)
    with replacing(path, suffix=".pdf.tmp") as temporary:
        writer = _writer(temporary, title)
        text_document(text, locale, writer, kind=kind, allow_html=allow_html).print_(writer)
        del writer  # the file is complete once the writer is gone
        _check_pdf(temporary, path)


@dataclass(frozen=True)
class PrintItem:
    file_name: str  # e.g. "BP-2024-00001-ko.pdf"
    text: str  # Markdown
    locale: str
    title: str = ""


def write_pdfs(items: Sequence[PrintItem], folder: Path, state: TaskState, *, combined: str | None = None
               ) -> list[Path]:
    """One PDF per item in `folder` (and, given `combined`, one more PDF with every item, each starting on
    a new page). Each file is written atomically, so a cancel or an error leaves whole files only: those
    finished before it, never half of one. Reports progress; honours cancel between pages."""
    folder = Path(folder)
    if not folder.is_dir():
        raise OSError(_("The folder {folder} does not exist.").format(folder=folder))
    steps = len(items) * (2 if combined else 1)
    written: list[Path] = []
    for index, item in enumerate(items):
        state.raise_if_cancelled()
        state.set_progress(index, steps, _("Writing {name}").format(name=item.file_name))
        path = folder / item.file_name
        write_pdf(path, item.text, item.locale, item.title)
        written.append(path)
    if combined:
        path = folder / combined
        with replacing(path, suffix=".pdf.tmp") as temporary:
            writer = _writer(temporary, Path(combined).stem)
            painter = QPainter()
            if not painter.begin(writer):
                raise OSError(_("{path}: Qt could not start the PDF.").format(path=path))
            try:
                for index, item in enumerate(items):
                    state.raise_if_cancelled()
                    state.set_progress(len(items) + index, steps, _("Adding {name}").format(name=item.file_name))
                    if index:
                        writer.newPage()
                    _paint_pages(text_document(item.text, item.locale, writer), painter, writer, state)
            finally:
                painter.end()
            del writer
            _check_pdf(temporary, path)
        written.append(path)
    state.set_progress(steps, steps)
    return written


def _paint_pages(document: QTextDocument, painter: QPainter, writer: QPdfWriter, state: TaskState) -> None:
    """Paint `document` page by page on the painter's current and following pages (as print_() does)."""
    width, height = writer.width(), writer.height()
    for page in range(document.pageCount()):
        state.raise_if_cancelled()
        if page:
            writer.newPage()
        painter.save()
        painter.translate(0, -page * height)
        document.drawContents(painter, QRectF(0, page * height, width, height))
        painter.restore()
