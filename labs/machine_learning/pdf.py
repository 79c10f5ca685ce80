"""Print the model card (Markdown) to an A4 PDF with Qt, in the bundled fonts, right-to-left for Arabic.

A thin wrapper over labs/printing.py, which every lab's PDF goes through. Needs a QGuiApplication.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPagedPaintDevice, QTextDocument

from labs.printing import POINT_SIZE, text_document, write_pdf

__all__ = ["POINT_SIZE", "card_document", "write_card_pdf"]


def card_document(markdown: str, locale: str, device: QPagedPaintDevice | None = None) -> QTextDocument:
    """The card laid out for print: the locale's font list, its text direction, GitHub tables. Given
    a `device`, the layout uses its resolution and page (so points are real points, no extra margins)."""
    return text_document(markdown, locale, device, allow_html=True)


def write_card_pdf(path: Path, markdown: str, locale: str, title: str = "") -> None:
    """Write the PDF atomically: a failure leaves the old file (or none), never half of one."""
    write_pdf(Path(path), markdown, locale, title, allow_html=True)
