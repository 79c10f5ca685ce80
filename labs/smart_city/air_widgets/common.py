"""Small pieces the air-quality lab's tabs share: wrapped labels, an error line, table cells, a list of answers as
tall as its wrapped lines, and a box of questions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QLocale, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from labs.panel_widgets import cell, error_label, wrapping  # noqa: F401 - the tabs import them from here

LATIN_DIGITS = QLocale.c()  # typed numbers use 0-9 and a point in every language, as the tables do


def fit_height(table: QTableWidget) -> None:
    """A table as tall as its rows: the tab scrolls, not the table."""
    table.resizeRowsToContents()
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setFixedHeight(table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(table.rowCount()))
                         + 2 * table.frameWidth() + 2)


def number_box(low: float, high: float, step: float, decimals: int, name: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setKeyboardTracking(False)  # one change when the learner is done typing
    box.setLocale(LATIN_DIGITS)
    box.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    box.setAccessibleName(name)
    box.setMinimumWidth(110)
    return box


class FittingList(QListWidget):
    """A list as tall as its (wrapped) answers: no empty space below them, no scroll bar."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

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


class QuestionBox(QGroupBox):
    """Questions, each with its list of answers (or a line to type in when it has none). `answered(id, answer)` is
    called when the learner answers; `show_answers` puts saved answers back without calling it."""

    def __init__(self, title: str, questions: Sequence, answered: Callable[[str, str], None],
                 parent: QWidget | None = None):
        super().__init__(title, parent)
        self._answered = answered
        self._updating = False
        layout = QVBoxLayout(self)
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        for question in questions:
            prompt = _(question.prompt)
            layout.addWidget(wrapping(prompt))
            if question.options:
                widget = FittingList()
                for option_id, text in question.options:
                    item = QListWidgetItem(_(text))
                    item.setData(Qt.ItemDataRole.UserRole, option_id)
                    widget.addItem(item)
                widget.itemSelectionChanged.connect(lambda q=question.id, w=widget: self._chosen(q, w))
            else:
                widget = QLineEdit()
                widget.setPlaceholderText(_("for example 12"))
                widget.setMaximumWidth(240)
                widget.editingFinished.connect(lambda q=question.id, w=widget: self._typed(q, w))
                self.errors[question.id] = error_label()
            widget.setAccessibleName(prompt)
            self.widgets[question.id] = widget
            layout.addWidget(widget)
            if question.id in self.errors:
                layout.addWidget(self.errors[question.id])

    def _chosen(self, question_id: str, widget: FittingList) -> None:
        if self._updating:
            return
        selected = widget.selectedItems()
        self._answered(question_id, selected[0].data(Qt.ItemDataRole.UserRole) if selected else "")

    def _typed(self, question_id: str, widget: QLineEdit) -> None:
        if not self._updating:
            self._answered(question_id, widget.text())

    def show_error(self, question_id: str, text: str) -> None:
        label = self.errors[question_id]
        label.setText(text)
        label.setVisible(bool(text))

    def show_answers(self, answers: dict[str, str]) -> None:
        self._updating = True
        try:
            for question_id, widget in self.widgets.items():
                answer = answers.get(question_id, "")
                if isinstance(widget, QLineEdit):
                    if widget.text() != answer:
                        widget.setText(answer)
                    continue
                for row in range(widget.count()):
                    item = widget.item(row)
                    item.setSelected(item.data(Qt.ItemDataRole.UserRole) == answer)
        finally:
            self._updating = False

    def answer(self, question_id: str, answer: str) -> None:
        """Answer through the widgets, as the learner does (for tests and previews)."""
        widget = self.widgets[question_id]
        if isinstance(widget, QLineEdit):
            widget.setText(answer)
            widget.editingFinished.emit()
            return
        for row in range(widget.count()):
            if widget.item(row).data(Qt.ItemDataRole.UserRole) == answer:
                widget.setCurrentRow(row)
                return
        raise KeyError(answer)
