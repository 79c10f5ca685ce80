"""Small pieces the plant energy lab's tabs share: labels, table cells, a list of answers as tall as its text, and
the colours of KEPCO's tariff periods and of the two lines.

(wrapping, error_label, cell and FittingList are the traffic lab's, copied rather than imported so that one lab's
widgets do not depend on another's; they could move to labs/panel_widgets.py.)"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QListWidget, QSizePolicy, QWidget

from labs.panel_widgets import cell, error_label, wrapping  # noqa: F401 - the tabs import them from here
from labs.smart_city.energy.plant import FINISHING, MILL
from labs.smart_city.energy.tariff import LIGHT, MID, PEAK

# KEPCO's periods, pale enough for black text; the period's name or price is always written in the cell too, so
# nothing is said by colour alone.
PERIOD_COLOURS = {LIGHT: QColor("#dcefd9"), MID: QColor("#fdf0c4"), PEAK: QColor("#f6c9bf")}
LINE_COLOURS = {MILL: QColor("#2f6fab"), FINISHING: QColor("#d9822b")}
RUNNING_BACKGROUND = {MILL: QColor("#cfe0f3"), FINISHING: QColor("#f8dfc4")}
OVER_LIMIT = QColor("#f4a6a0")


def value_columns(table) -> None:
    """The first column as wide as its text, the others sharing the rest: numbers beside their headings."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)


def fit_height(table) -> None:
    """A table as tall as its rows: no scroll bar inside a tab that scrolls."""
    table.resizeRowsToContents()
    header = max(table.horizontalHeader().height(), table.horizontalHeader().sizeHint().height())
    table.setFixedHeight(header + sum(table.rowHeight(r) for r in range(table.rowCount())) + 2 * table.frameWidth() + 2)


class FittingList(QListWidget):
    """A list as tall as its (wrapped) answers: no empty space below them, no scroll bar."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = max(120, self.viewport().width() - 16)  # the item's padding (app/ui/style.py) and a margin
        metrics = self.fontMetrics()
        height = sum(max(self.sizeHintForRow(row), metrics.boundingRect(
            QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, self.item(row).text()).height() + 14)
            for row in range(self.count()))
        return QSize(super().sizeHint().width(), height + 2 * self.frameWidth() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.updateGeometry()  # wrapped lines change with the width
