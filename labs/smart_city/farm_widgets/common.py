"""Small pieces the container farm lab's tabs share: labels, table cells, lists of answers, and the row that runs
long work (a button, a progress bar, Cancel and a status line)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from app.ui.widgets import button
from labs.panel_widgets import cell, error_label, show_error, wrapping  # noqa: F401 - the tabs import them from here


class _Refit(QObject):
    """Measures a table's wrapped rows again when its width changes (it is laid out after it is filled)."""

    def __init__(self, table: QTableWidget):
        super().__init__(table)
        self.table, self.width = table, -1
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and self.table.viewport().width() != self.width:
            self.width = self.table.viewport().width()
            QTimer.singleShot(0, self, lambda: _refit(self.table))  # once the header has stretched its sections
        return False


def fit_height(table: QTableWidget) -> None:
    """A table as tall as its rows: the tab scrolls, not the table; wrapped rows follow the table's width."""
    if table.property("fits") is None:
        table.setProperty("fits", True)
        _Refit(table)
    _refit(table)


def _refit(table: QTableWidget) -> None:
    table.resizeRowsToContents()
    header = table.horizontalHeader()
    table.setFixedHeight(max(header.height(), header.sizeHint().height()) + table.verticalHeader().length()
                         + 2 * table.frameWidth() + 2)


def fit_width(table: QTableWidget) -> None:
    """A small table as wide as its columns (its numbers stay beside their names), never wider than the tab."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.resizeColumnsToContents()
    table.setMaximumWidth(header.length() + 2 * table.frameWidth() + 4)
    table.setSizePolicy(QSizePolicy.Policy.Preferred, table.sizePolicy().verticalPolicy())


def short_edit(edit: QWidget, width: int = 180) -> QHBoxLayout:
    """A box for a short answer, not stretched across the tab."""
    edit.setMinimumWidth(width)
    edit.setMaximumWidth(width * 2)
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addStretch(1)
    return row


class _FittingList(QListWidget):
    """A list as tall as its (wrapped) answers: no empty space below them, no scroll bar."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = max(120, self.viewport().width() - 40)  # a check box and a margin
        metrics = self.fontMetrics()
        height = 0
        for row in range(self.count()):
            hint = self.sizeHintForRow(row)  # the style's padding, but not always the wrapped lines
            wrapped = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap,
                                           self.item(row).text()).height()
            height += max(hint, wrapped + max(0, hint - metrics.height()))
        return QSize(super().sizeHint().width(), height + 2 * self.frameWidth() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(120, self.sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.updateGeometry()  # wrapped lines change with the width


class ChoiceList(_FittingList):
    """One answer out of several long ones (radio buttons do not wrap); `chosen` gives its id."""

    answered = Signal(str)

    def __init__(self, options: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for option_id, text in options:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, option_id)
            self.addItem(item)
        self.itemSelectionChanged.connect(lambda: self.answered.emit(self.chosen()))

    def chosen(self) -> str:
        items = self.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else ""

    def choose(self, option_id: str) -> None:
        for row in range(self.count()):
            item = self.item(row)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) == option_id)
            if item.isSelected():
                self.setCurrentItem(item)


class CheckList(_FittingList):
    """Any number of answers, each with a check box (Space toggles the current one)."""

    answered = Signal()

    def __init__(self, options: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for option_id, text in options:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, option_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.itemChanged.connect(lambda _item: self.answered.emit())

    def checked(self) -> set[str]:
        return {self.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.count())
                if self.item(r).checkState() == Qt.CheckState.Checked}

    def set_checked(self, ids: set[str] | frozenset[str]) -> None:
        for row in range(self.count()):
            item = self.item(row)
            state = Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in ids else Qt.CheckState.Unchecked
            if item.checkState() != state:
                item.setCheckState(state)


class RunRow(QWidget):
    """A button that starts long work through the host (off the GUI thread), a progress bar and a Cancel button
    while it runs, and a status line. `start(job, label, on_done)`; `busy` while it runs."""

    finished = Signal()  # the work ended: done, failed or cancelled

    def __init__(self, host: Any, title: str, running: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.running_text = running
        self.busy = False
        self.allowed = True  # the tab's say: False while what the work needs is missing or out of range
        self.task = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.button = button(title, None, primary=True)
        row.addWidget(self.button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName(running)
        self.progress.setVisible(False)
        row.addWidget(self.progress, 1)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel: {work}").format(work=running))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setVisible(False)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = wrapping()
        self.status.setAccessibleName(_("Status: {work}").format(work=title))
        self.status.setVisible(False)
        layout.addWidget(self.status)

    def say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def start(self, job: Callable, on_done: Callable[[Any], None], done_text: str = "") -> None:
        if self.busy:
            return
        self.busy = True
        self._running(True)
        self.say(self.running_text + "…")

        def done(result: Any) -> None:
            self._ended()
            self.say(done_text)
            on_done(result)
            self.finished.emit()

        self.task = self.host.run(job, done, self.running_text, on_error=self._failed, on_cancel=self._cancelled)
        if self.task is not None and self.busy:
            self.task.progressed.connect(lambda p, _m: self.progress.setValue(int(p * 100)))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def allow(self, allowed: bool) -> None:
        self.allowed = allowed
        self.button.setEnabled(allowed and not self.busy)

    def _running(self, running: bool) -> None:
        self.button.setEnabled(self.allowed and not running)
        self.progress.setValue(0)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)

    def _ended(self) -> None:
        self.busy, self.task = False, None
        self._running(False)

    def _failed(self, error: BaseException) -> None:
        self._ended()
        self.say(_("That did not work: {reason}").format(reason=error))
        self.finished.emit()

    def _cancelled(self) -> None:
        self._ended()
        self.say(_("Cancelled: nothing changed."))
        self.finished.emit()
