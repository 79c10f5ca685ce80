"""Qt pieces lab panels share (the automation and traffic labs): a read-only table, a bold label, a scrolling tab.
Qt lives here, so this module is outside the "engines import no Qt" contract by its name."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QLabel, QScrollArea, QTableWidget, QWidget

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


def scrolling(tab: QWidget) -> QScrollArea:
    """A tab that scrolls on a small screen instead of being squashed."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(tab)
    return area
