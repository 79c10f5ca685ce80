"""One table of a Report on screen: a sortable view over the Report's own cells, written by
app.core.reports.presentation (the same cells the CSV and XLSX are written from).

A model rather than a cell widget per value: 2,000 learners in 8 courses are 16,000 rows, and only the
rows on screen are ever formatted (column widths are measured on the first rows, when the table is first
shown). Each column sorts by the cells' values, not by their text. Long text is elided in the cell and
shown whole in its tooltip and, for the keyboard, in the line under the table that spells out the
current row. Ids and codes are isolated left to right, for right-to-left tables.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView,
                               QVBoxLayout, QWidget)

from app.core import formatting
from app.core.i18n import _
from app.core.reports.model import Table
from app.core.reports.presentation import cell_text, is_number, sort_key

LEFT_TO_RIGHT = {"course", "staff_number", "question_id", "installation", "version", "type"}  # ids and codes
MEASURED_ROWS = 60  # column widths are measured on this many rows: a long table opens at once
WIDEST_COLUMN = 380  # px; longer text is elided, and whole in the tooltip and the row line


class ReportTableModel(QAbstractTableModel):
    """The table's rows in the order shown: the report's own until a column is sorted. Sorting is done here,
    on each cell's value (presentation.sort_key), in one pass: 40,000 rows sort at once, where a sort
    proxy asking Python for every comparison takes seconds."""

    def __init__(self, table: Table, parent=None):
        super().__init__(parent)
        self.table = table
        self.order = list(range(len(table.rows)))  # shown row -> the report's row
        self._texts: dict[tuple[int, int], str] = {}

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.columns)

    def text(self, row: int, column: int) -> str:
        """The text of the report's row `row` (not the shown row) in `column`."""
        key = (row, column)
        found = self._texts.get(key)
        if found is None:
            column_ = self.table.columns[column]
            found = cell_text(self.table.rows[row][column], column_)
            if found and column_.key in LEFT_TO_RIGHT:
                found = formatting.isolated(found)
            self._texts[key] = found
        return found

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.order[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.text(row, column) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and is_number(self.table.columns[column]):
            # numbers line up on their right edge, also in a right-to-left table
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.table.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()  # the current row and the selection follow their rows
        rows_kept = [self.order[index.row()] for index in kept]
        if 0 <= column < len(self.table.columns):
            described = self.table.columns[column]
            rows = self.table.rows
            keys = [sort_key(row[column], described) for row in rows]
            if keys and isinstance(keys[0], str):
                keys = [k.casefold() for k in keys]
            self.order = sorted(range(len(rows)), key=keys.__getitem__,
                                reverse=order == Qt.SortOrder.DescendingOrder)
        else:  # no column: the report's own order
            self.order = list(range(len(self.table.rows)))
        where = {row: shown for shown, row in enumerate(self.order)}
        self.changePersistentIndexList(kept, [self.index(where[row], index.column())
                                              for row, index in zip(rows_kept, kept)])
        self.layoutChanged.emit()


class ReportTableView(QWidget):
    """The table, sortable by any column (click a heading; the report's own order until then), and a line
    that reads the current row out in full."""

    def __init__(self, table: Table, parent=None):
        super().__init__(parent)
        self.table = table
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.model = ReportTableModel(table, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(table.title)
        self.view.setAccessibleDescription(_("Click a column heading, or choose it in “Sort by”, to sort by it."))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setAccessibleName(_("Column headings: {table}").format(table=table.title))
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the report's order until a heading is clicked
        self.view.setSortingEnabled(True)
        header.setSortIndicatorShown(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(MEASURED_ROWS)
        header.setStretchLastSection(True)
        self._measured = False  # the columns are measured when the table is first shown
        self.view.setMinimumHeight(160)
        layout.addLayout(self._sort_row())
        layout.addWidget(self.view, 1)
        self.row_line = QLabel("")
        self.row_line.setObjectName("Muted")
        self.row_line.setWordWrap(True)
        self.row_line.setTextFormat(Qt.TextFormat.PlainText)
        self.row_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.row_line.hide()
        layout.addWidget(self.row_line)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_row(current))

    def _sort_row(self) -> QHBoxLayout:
        """Sorting from the keyboard (a heading cannot take the focus): a column, and which way."""
        row = QHBoxLayout()
        label = QLabel(_("Sort by"))
        self.sort_column = QComboBox()
        self.sort_column.setAccessibleName(_("Sort the table {table} by").format(table=self.table.title))
        self.sort_column.addItem(_("The report's order"), -1)
        for number, column in enumerate(self.table.columns):
            self.sort_column.addItem(column.title, number)
        label.setBuddy(self.sort_column)
        self.descending = QCheckBox(_("Largest, latest or last first"))
        self.descending.setAccessibleName(_("Sort the table {table} the other way round").format(
            table=self.table.title))
        self.sort_column.activated.connect(lambda _index: self._sort_chosen())
        self.descending.toggled.connect(lambda _on: self._sort_chosen())
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        row.addWidget(label)
        row.addWidget(self.sort_column)
        row.addWidget(self.descending)
        row.addStretch(1)
        return row

    def _sort_chosen(self) -> None:
        order = Qt.SortOrder.DescendingOrder if self.descending.isChecked() else Qt.SortOrder.AscendingOrder
        self.view.sortByColumn(self.sort_column.currentData(), order)

    def _sorted(self, column: int, order: Qt.SortOrder) -> None:
        """A heading was clicked: the keyboard's choices say the same."""
        for control in (self.sort_column, self.descending):
            control.blockSignals(True)
        self.sort_column.setCurrentIndex(max(self.sort_column.findData(column), 0))
        self.descending.setChecked(order == Qt.SortOrder.DescendingOrder)
        for control in (self.sort_column, self.descending):
            control.blockSignals(False)

    def showEvent(self, event) -> None:
        if not self._measured:
            self._measured = True
            self.view.resizeColumnsToContents()
            for column in range(len(self.table.columns)):
                if self.view.columnWidth(column) > WIDEST_COLUMN:
                    self.view.setColumnWidth(column, WIDEST_COLUMN)
        super().showEvent(event)

    def _show_row(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.row_line.hide()
            return
        row = self.model.order[index.row()]
        # TRANSLATORS: one cell of a report table, read out in full under the table: "Name: Kim Min-ji".
        parts = [_("{column}: {value}").format(column=column.title, value=self.model.text(row, number))
                 for number, column in enumerate(self.table.columns) if self.model.text(row, number)]
        line = " · ".join(parts)
        self.row_line.setText(line)
        self.row_line.setAccessibleName(line)
        self.row_line.show()

    # -- reading what is shown (tests, and anyone scripting the screen)
    def shown_rows(self) -> list[list[str]]:
        """The cells' texts as the view shows them, in its order."""
        model = self.model
        return [[model.index(row, column).data() for column in range(model.columnCount())]
                for row in range(model.rowCount())]

    def shown_values(self) -> list[tuple]:
        """The Report's cells behind the rows shown, in the order the view shows them."""
        return [self.table.rows[row] for row in self.model.order]

    def sort_by(self, key: str, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.view.sortByColumn(self.table.column(key), order)
