"""Small building blocks every screen uses, so each screen reads as its layout and nothing else."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from app.core.i18n import _, shipped_locales


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


def heading(text: str, level: int = 1, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setFont(scaled_font(label, {1: 1.7, 2: 1.3, 3: 1.1}[level], bold=True))
    label.setAccessibleName(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def text(value: str, muted: bool = False, parent: QWidget | None = None) -> QLabel:
    label = QLabel(value, parent)
    label.setWordWrap(True)
    label.setAccessibleName(value)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if muted:
        label.setObjectName("Muted")
    return label


def button(label: str, on_click: Callable[[], None] | None = None, primary: bool = False,
           accessible: str | None = None, parent: QWidget | None = None) -> QPushButton:
    b = QPushButton(label, parent)
    b.setAccessibleName(accessible or label.replace("&", ""))
    if primary:
        b.setObjectName("Primary")
        b.setDefault(True)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    if on_click:
        b.clicked.connect(on_click)
    return b


def card(parent: QWidget | None = None) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame(parent)
    frame.setObjectName("Card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(20, 16, 20, 16)
    layout.setSpacing(8)
    return frame, layout


def marked(value: str) -> str:
    """Course text, flagged when it fell back to the source language for lack of a translation."""
    if getattr(value, "untranslated", False):
        return _("{text} (not yet translated)").format(text=value)
    return str(value)


def language_list(current: str, parent: QWidget | None = None) -> QListWidget:
    """Every shipped language, each in its own name and script; the code is the item's UserRole."""
    languages = QListWidget(parent)
    languages.setAccessibleName(_("Language"))
    for info in shipped_locales():
        item = QListWidgetItem(info.name)
        item.setData(Qt.ItemDataRole.UserRole, info.code)
        languages.addItem(item)
        if info.code == current:
            languages.setCurrentItem(item)
    rows = min(len(shipped_locales()), 6)
    languages.setMinimumHeight(languages.sizeHintForRow(0) * rows + 2 * languages.frameWidth() + 4)
    languages.setMaximumHeight(max(languages.minimumHeight(), 44 * rows))
    return languages
