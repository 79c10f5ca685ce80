"""Small Qt pieces the care lab's tabs share: wrapped labels, an error line under a field, table cells, a legend of
swatches, an answer list as tall as its answers, and a button's status line."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from labs.panel_widgets import cell, error_label, show_error, wrapping  # noqa: F401 - the tabs import them from here


def fit_table_height(table) -> None:
    """A table exactly as tall as its rows: the tab scrolls, not the table."""
    table.resizeRowsToContents()
    table.setFixedHeight(table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(table.rowCount()))
                         + 2 * table.frameWidth() + 2)


class Legend(QWidget):
    """Swatches with their meaning in words (what a chart draws in colour is also said in text), in a grid that
    keeps to the width of the panel."""

    def __init__(self, entries: list[tuple[str, str]], name: str, columns: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(12)
        layout.setVerticalSpacing(2)
        for index, (style, text) in enumerate(entries):
            row = QHBoxLayout()
            row.setSpacing(4)
            swatch = QLabel()
            swatch.setFixedSize(18, 12)
            swatch.setStyleSheet(style)
            row.addWidget(swatch)
            row.addWidget(wrapping(text), 1)
            layout.addLayout(row, index // columns, index % columns)
        for column in range(columns):
            layout.setColumnStretch(column, 1)
        self.setAccessibleName(name)
        self.setAccessibleDescription("; ".join(text for _style, text in entries))


class AnswerList(QListWidget):
    """Choices that wrap long answers (unlike radio buttons), as tall as its answers: no empty space, no scroll."""

    def __init__(self, options: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for option_id, text in options:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, option_id)
            self.addItem(item)

    def chosen(self) -> str:
        items = self.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else ""

    def choose(self, option_id: str) -> None:
        for row in range(self.count()):
            item = self.item(row)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) == option_id)
            if item.isSelected():
                self.setCurrentRow(row)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = max(120, self.viewport().width() - 16)
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


class Status(QLabel):
    """The line under a long-work button: what is happening, or what to do next."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName(name)
        self.setVisible(False)

    def say(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def section(title: str) -> QLabel:
    label = wrapping(title)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def column(*widgets: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout()
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return layout

