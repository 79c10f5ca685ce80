"""A table-like list of rows for the question form (choices, answers, pairs): one line of fields a
row, a Remove button on each and an Add button below. Every cell is a real widget, so Tab reaches
it and a screen reader names it ("Choice 2: feedback"); the grid mirrors itself right to left.

The list only shows text and says what the trainer did (`edited`, `chosen`, `added`, `removed`);
the question form turns that into the question's data and one undoable command.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QGridLayout, QLabel, QLineEdit, QPushButton, QRadioButton,
                               QSizePolicy, QVBoxLayout, QWidget)

from app.core.i18n import _
from app.ui.editor.fields import show_text


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # translated
    name: str  # translated accessible name of a cell, with {n} for the row number
    kind: str = "text"  # "text", "number" or "radio" (exactly one row is chosen)
    stretch: int = 1


class RowList(QWidget):
    edited = Signal(int, str, str)  # row, column key, text as typed
    chosen = Signal(int)  # the radio column was clicked on this row
    added = Signal()
    removed = Signal(int)

    def __init__(self, columns: tuple[Column, ...], add_label: str, remove_name: str, parent=None):
        super().__init__(parent)
        self.columns, self.remove_name = columns, remove_name
        self.cells: list[dict[str, QWidget]] = []
        self.remove_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._grid_host = QWidget()
        layout.addWidget(self._grid_host)
        self.add_button = QPushButton(add_label)
        self.add_button.setAccessibleName(add_label)
        self.add_button.clicked.connect(self.added.emit)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeading)
        self._group: QButtonGroup | None = None

    def set_rows(self, rows: list[dict[str, object]]) -> bool:
        """Show these rows (text for text columns, bool for the radio column). Rebuilds the widgets only
        when the number of rows changed, so the field being typed in keeps its cursor. True if rebuilt."""
        rebuilt = len(rows) != len(self.cells)
        if rebuilt:
            self._build(len(rows))
        if self._group is not None:
            self._group.setExclusive(False)  # lets a broken question show no chosen row at all
        for cells, row in zip(self.cells, rows):
            for column in self.columns:
                widget = cells[column.key]
                if isinstance(widget, QRadioButton):
                    widget.blockSignals(True)
                    widget.setChecked(bool(row.get(column.key)))
                    widget.blockSignals(False)
                else:
                    show_text(widget, str(row.get(column.key, "")), number=column.kind == "number")
        if self._group is not None:
            self._group.setExclusive(True)
        return rebuilt

    def focusable(self) -> list[QWidget]:
        """The cells, row by row, then the Add button: the order Tab should follow."""
        order: list[QWidget] = []
        for cells, remove in zip(self.cells, self.remove_buttons):
            order += [cells[column.key] for column in self.columns] + [remove]
        return order + [self.add_button]

    def _build(self, count: int) -> None:
        old = self._grid_host
        self._grid_host = QWidget()
        self.layout().replaceWidget(old, self._grid_host)
        old.hide()
        old.deleteLater()  # may hold the Remove button being clicked: delete once its signal is done
        grid = QGridLayout(self._grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        self.cells, self.remove_buttons = [], []
        self._group = None
        if any(column.kind == "radio" for column in self.columns):
            self._group = QButtonGroup(self._grid_host)
        for col, column in enumerate(self.columns):
            grid.addWidget(QLabel(column.header), 0, col)
            grid.setColumnStretch(col, column.stretch)
        for row in range(count):
            cells: dict[str, QWidget] = {}
            for col, column in enumerate(self.columns):
                name = column.name.format(n=row + 1)
                if column.kind == "radio":
                    widget = QRadioButton()
                    self._group.addButton(widget, row)
                    widget.clicked.connect(lambda _checked=False, r=row: self.chosen.emit(r))
                else:
                    widget = QLineEdit()
                    widget.textEdited.connect(lambda text, r=row, k=column.key: self.edited.emit(r, k, text))
                widget.setAccessibleName(name)
                widget.setToolTip(name)
                cells[column.key] = widget
                if column.kind == "radio":  # sized to itself, so a click anywhere on it counts
                    grid.addWidget(widget, row + 1, col, Qt.AlignmentFlag.AlignHCenter)
                else:
                    grid.addWidget(widget, row + 1, col)
            remove = QPushButton(_("Remove"))
            remove.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            remove.setAccessibleName(self.remove_name.format(n=row + 1))
            remove.setToolTip(self.remove_name.format(n=row + 1))
            remove.clicked.connect(lambda _checked=False, r=row: self.removed.emit(r))
            grid.addWidget(remove, row + 1, len(self.columns))
            self.cells.append(cells)
            self.remove_buttons.append(remove)
