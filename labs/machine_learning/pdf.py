"""Print the model card (Markdown) to an A4 PDF with Qt, in the bundled fonts, right-to-left for Arabic.

Qt only (QTextDocument + QPdfWriter): no extra PDF library in the bundle. Needs a QGuiApplication.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, Qt
from PySide6.QtGui import (QFont, QGuiApplication, QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter,
                           QTextBlockFormat, QTextCursor, QTextDocument, QTextOption, QTextTable)

from app.core.atomic import replacing
from app.core.i18n import locale_info
from app.ui.fonts import localised_font

POINT_SIZE = 10


def card_document(markdown: str, locale: str, device: QPagedPaintDevice | None = None) -> QTextDocument:
    """The card laid out for print: the locale's font list, its text direction, GitHub tables. Given
    a `device`, the layout uses its resolution and page (so points are real points, no extra margins)."""
    document = QTextDocument()
    if device is not None:
        document.documentLayout().setPaintDevice(device)
        document.setPageSize(QSizeF(device.width(), device.height()))
        document.setDocumentMargin(0)
    base = QFont(QGuiApplication.font())
    base.setPointSize(POINT_SIZE)
    document.setDefaultFont(localised_font(base, locale))
    if locale_info(locale).rtl:
        option = QTextOption(document.defaultTextOption())
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        document.setDefaultTextOption(option)
    document.setMarkdown(markdown)
    if locale_info(locale).rtl:
        _right_to_left_blocks(document)
    return document


def _right_to_left_blocks(document: QTextDocument) -> None:
    """Every block right-to-left, so Latin lines (column names, numbers) start at the right edge too.
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


def write_card_pdf(path: Path, markdown: str, locale: str, title: str = "") -> None:
    """Write the PDF atomically: a failure leaves the old file (or none), never half of one."""
    path = Path(path)
    with replacing(path, suffix=".pdf.tmp") as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
        writer.setResolution(300)
        writer.setTitle(title)
        writer.setCreator("Civic AI Academy")
        card_document(markdown, locale, writer).print_(writer)
        del writer  # the file is complete once the writer is gone
        with open(temporary, "rb") as written:
            if written.read(5) != b"%PDF-":
                raise OSError(f"{path}: Qt did not write a PDF")
