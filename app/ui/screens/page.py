"""The frame every screen sits in: a scrolling page with a readable maximum width."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget


class Page(QWidget):
    """A screen: `self.body` is a vertical layout centred at a comfortable reading width."""

    MAX_WIDTH = 900

    def __init__(self, parent: QWidget | None = None, scroll: bool = True):
        super().__init__(parent)
        self.setObjectName("Page")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        inner = QWidget()
        inner.setObjectName("Page")
        row = QHBoxLayout(inner)
        row.setContentsMargins(24, 20, 24, 20)
        column = QWidget()
        column.setMaximumWidth(self.MAX_WIDTH)
        self.body = QVBoxLayout(column)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(14)
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)
        if scroll:
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            area.setWidget(inner)
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            outer.addWidget(area)
        else:
            outer.addWidget(inner)

    def focus_first(self) -> None:
        """Give keyboard focus to the screen's main control (overridden by screens)."""
