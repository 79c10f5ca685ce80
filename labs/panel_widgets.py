"""Qt pieces lab panels share (the automation and smart-city labs): a read-only table, a bold label, a scrolling tab,
wrapped labels, error labels and table cells.
Qt lives here, so this module is outside the "engines import no Qt" contract by its name."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QHeaderView, QLabel, QScrollArea, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from app.core.i18n import _


def table(headers: Sequence[str], name: str) -> QTableWidget:
    """A read-only table, one row selected at a time, columns as wide as their contents, named for screen readers."""
    widget = QTableWidget(0, len(headers))
    widget.setHorizontalHeaderLabels(list(headers))
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().setVisible(False)
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    widget.horizontalHeader().setStretchLastSection(True)
    widget.setWordWrap(True)
    widget.setAccessibleName(name)
    widget.horizontalHeader().setAccessibleName(_("{table}: column headings").format(table=name))
    return widget


def bold(label: QLabel) -> QLabel:
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def lab_tabs(panel: QWidget, parts: Sequence[tuple[QWidget, str]]) -> QTabWidget:
    """The panel's work as tabs, one per task (each scrolls on a small screen), filling the panel."""
    tabs = QTabWidget()
    tabs.setDocumentMode(True)
    tabs.setAccessibleName(_("Parts of the lab"))
    for part, title in parts:
        tabs.addTab(scrolling(part), title)
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(tabs)
    return tabs


def scrolling(tab: QWidget) -> QScrollArea:
    """A tab that scrolls on a small screen instead of being squashed."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(tab)
    return area


# Labels and cells every lab panel uses (the smart-city labs' tabs first; the older panels may move here too).


def wrapping(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def error_label() -> QLabel:
    """A line under a field that says what is wrong with what was typed there (hidden while nothing is)."""
    label = wrapping()
    label.setStyleSheet("color: #a12a1a;")
    label.setVisible(False)
    return label


def show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setAccessibleName(text)
    label.setVisible(bool(text))


def cell(text: str, numeric: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
