"""Small forms that build steps without code: pick columns from lists, choose from plain words.

    editor = StepEditor()
    editor.set_frame(workspace.table)            # fills every column list
    editor.apply_requested.connect(panel.apply_step)

Each form's `build()` returns a Step or raises StepError with what to fix (a value that is not a
number, no column chosen); the engine's `validate` then checks the step against the table.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from app.ui.widgets import button, text
from labs.data_analysis.engine.steps import (
    AGGREGATIONS,
    FILL_METHODS,
    OPERATORS,
    TARGET_TYPES,
    TIME_PARTS,
    ConvertType,
    DropColumns,
    DropDuplicates,
    DropMissing,
    FillMissing,
    Filter,
    GroupBy,
    Pivot,
    Sort,
    Step,
    StepError,
    is_date,
    parse_value,
    time_part_label,
)

OPERATOR_CHOICES = {  # what the learner reads in the list; the engine's operator
    "==": lambda: _("is"), "!=": lambda: _("is not"), ">": lambda: _("is more than"),
    ">=": lambda: _("is at least"), "<": lambda: _("is less than"), "<=": lambda: _("is at most"),
    "contains": lambda: _("contains"), "is missing": lambda: _("is missing"),
    "is not missing": lambda: _("is not missing"),
}
assert set(OPERATOR_CHOICES) == set(OPERATORS)


def shrinkable(combo: QComboBox, characters: int = 8) -> QComboBox:
    """A combo that may be narrower than its longest entry (large text, narrow panes); the list
    still opens at full width."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo


class ColumnCombo(QComboBox):
    """A list of the table's columns; with `empty_label`, a first entry meaning "none"."""

    def __init__(self, accessible: str, empty_label: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.empty_label = empty_label
        self.setAccessibleName(accessible)
        shrinkable(self)

    def set_columns(self, names: list[str]) -> None:
        current = self.column()
        self.blockSignals(True)
        self.clear()
        if self.empty_label is not None:
            self.addItem(self.empty_label, None)
        for name in names:
            self.addItem(name, name)
        index = self.findData(current) if current is not None else -1
        self.setCurrentIndex(index if index >= 0 else 0)
        self.blockSignals(False)
        self.currentIndexChanged.emit(self.currentIndex())

    def column(self) -> str | None:
        return self.currentData()

    def choose(self, name: str | None) -> None:
        index = self.findData(name)
        if index >= 0:
            self.setCurrentIndex(index)


def choice_combo(accessible: str, choices: dict[str, str]) -> QComboBox:
    """A combo of translated labels whose data is the engine's key."""
    combo = shrinkable(QComboBox())
    combo.setAccessibleName(accessible)
    for key, label in choices.items():
        combo.addItem(label, key)
    return combo


def choose(combo: QComboBox, key: object) -> None:
    index = combo.findData(key)
    if index >= 0:
        combo.setCurrentIndex(index)


class ColumnChecklist(QListWidget):
    def __init__(self, accessible: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(accessible)
        self.setMaximumHeight(160)

    def set_columns(self, names: list[str]) -> None:
        checked = set(self.checked())
        self.clear()
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in checked else Qt.CheckState.Unchecked)
            self.addItem(item)

    def checked(self) -> tuple[str, ...]:
        return tuple(self.item(i).text() for i in range(self.count())
                     if self.item(i).checkState() == Qt.CheckState.Checked)

    def check(self, names: tuple[str, ...]) -> None:
        for i in range(self.count()):
            self.item(i).setCheckState(Qt.CheckState.Checked if self.item(i).text() in names
                                       else Qt.CheckState.Unchecked)


class StepForm(QWidget):
    kind = ""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.frame = pd.DataFrame()
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above fields when narrow

    @staticmethod
    def title() -> str:
        raise NotImplementedError

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        names = [str(c) for c in frame.columns]
        for kind in (ColumnCombo, ColumnChecklist):
            for child in self.findChildren(kind):
                child.set_columns(names)

    def build(self) -> Step:
        raise NotImplementedError

    def required(self, combo: ColumnCombo) -> str:
        column = combo.column()
        if column is None:
            raise StepError(_("Choose a column for \u201c{field}\u201d.").format(field=combo.accessibleName()))
        return column


class FilterForm(StepForm):
    kind = "filter"

    @staticmethod
    def title() -> str:
        return _("Filter rows (keep only some)")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.column = ColumnCombo(_("Column"))
        self.operator = choice_combo(_("Condition"), {k: v() for k, v in OPERATOR_CHOICES.items()})
        self.value = QLineEdit()
        self.value.setAccessibleName(_("Value"))
        self.value.setPlaceholderText(_("e.g. 0, North, 2024-03-31"))
        self.form.addRow(_("Keep the rows where"), self.column)
        self.form.addRow(_("Condition"), self.operator)
        self.form.addRow(_("Value"), self.value)
        self.operator.currentIndexChanged.connect(
            lambda: self.value.setEnabled(self.operator.currentData() not in ("is missing", "is not missing")))

    def build(self) -> Step:
        column = self.required(self.column)
        operator = self.operator.currentData()
        if operator in ("is missing", "is not missing"):
            return Filter(column, operator)
        if not self.value.text().strip():
            raise StepError(_("Type the value to compare with."))
        value = self.value.text().strip() if operator == "contains" else parse_value(self.frame, column,
                                                                                    self.value.text())
        return Filter(column, operator, value)


class SortForm(StepForm):
    kind = "sort"

    @staticmethod
    def title() -> str:
        return _("Sort rows")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.first = ColumnCombo(_("Sort by"))
        self.second = ColumnCombo(_("Then by"), _("(nothing)"))
        self.order = choice_combo(_("Order"), {"asc": _("smallest first (A to Z, oldest first)"),
                                               "desc": _("largest first (Z to A, newest first)")})
        self.form.addRow(_("Sort by"), self.first)
        self.form.addRow(_("Then by"), self.second)
        self.form.addRow(_("Order"), self.order)

    def build(self) -> Step:
        columns = [self.required(self.first)]
        if self.second.column() and self.second.column() not in columns:
            columns.append(self.second.column())
        return Sort(tuple(columns), descending=self.order.currentData() == "desc")


class DuplicatesForm(StepForm):
    kind = "drop_duplicates"

    @staticmethod
    def title() -> str:
        return _("Remove duplicate rows")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.columns = ColumnChecklist(_("Columns to compare"))
        self.form.addRow(text(_("Rows identical in every column are removed, keeping the first. To compare only "
                                "some columns, tick them (rarely what you want)."), muted=True))
        self.form.addRow(_("Compare only"), self.columns)

    def build(self) -> Step:
        return DropDuplicates(self.columns.checked() or None)


class MissingForm(StepForm):
    kind = "drop_missing"

    @staticmethod
    def title() -> str:
        return _("Remove rows with missing values")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.columns = ColumnChecklist(_("Columns to look at"))
        self.form.addRow(text(_("Tick the columns that must have a value; with none ticked, a row missing any "
                                "value is removed."), muted=True))
        self.form.addRow(_("Columns"), self.columns)

    def build(self) -> Step:
        return DropMissing(self.columns.checked() or None)


class DropColumnsForm(StepForm):
    kind = "drop_columns"

    @staticmethod
    def title() -> str:
        return _("Remove columns")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.columns = ColumnChecklist(_("Columns to remove"))
        self.form.addRow(_("Remove"), self.columns)

    def build(self) -> Step:
        return DropColumns(self.columns.checked())


class FillForm(StepForm):
    kind = "fill_missing"

    @staticmethod
    def title() -> str:
        return _("Fill missing values")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.column = ColumnCombo(_("Column"))
        self.method = choice_combo(_("Fill with"), {k: _(v) for k, v in FILL_METHODS.items()})
        self.value = QLineEdit()
        self.value.setAccessibleName(_("Value"))
        self.form.addRow(_("Column"), self.column)
        self.form.addRow(_("Fill with"), self.method)
        self.form.addRow(_("Value"), self.value)
        self.method.currentIndexChanged.connect(lambda: self.value.setEnabled(self.method.currentData() == "value"))

    def build(self) -> Step:
        column = self.required(self.column)
        method = self.method.currentData()
        if method != "value":
            return FillMissing(column, method)
        if not self.value.text().strip():
            raise StepError(_("Type the value that should fill the missing cells."))
        value = parse_value(self.frame, column, self.value.text())
        return FillMissing(column, "value", value, date=is_date(self.frame[column]))


class ConvertForm(StepForm):
    kind = "convert"

    @staticmethod
    def title() -> str:
        return _("Change the type of a column")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.column = ColumnCombo(_("Column"))
        self.to = choice_combo(_("New type"), {k: _(v) for k, v in TARGET_TYPES.items()})
        self.dayfirst = QCheckBox(_("Dates are written day first (31/12/2024)"))
        self.dayfirst.setChecked(True)
        self.form.addRow(_("Column"), self.column)
        self.form.addRow(_("New type"), self.to)
        self.form.addRow(self.dayfirst)
        self.form.addRow(text(_("To number: the number inside each value is kept (\u201c12 days\u201d becomes 12); a "
                                "value without a number becomes missing, and the step says how many."), muted=True))
        self.to.currentIndexChanged.connect(lambda: self.dayfirst.setEnabled(self.to.currentData() == "date"))
        self.dayfirst.setEnabled(False)

    def build(self) -> Step:
        return ConvertType(self.required(self.column), self.to.currentData(), self.dayfirst.isChecked())


class GroupForm(StepForm):
    kind = "group"

    @staticmethod
    def title() -> str:
        return _("Group and summarise")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.by = ColumnCombo(_("Group by"))
        self.part = choice_combo(_("Part of the date"), {"": _("(the whole value)"),
                                                         **{k: time_part_label(k, True) for k in TIME_PARTS}})
        self.then = ColumnCombo(_("And by"), _("(nothing)"))
        self.value = ColumnCombo(_("Summarise"), _("(count the rows)"))
        self.agg = choice_combo(_("Summary"), {k: _(v) for k, v in AGGREGATIONS.items()})
        self.form.addRow(_("Group by"), self.by)
        self.form.addRow(_("Part of the date"), self.part)
        self.form.addRow(_("And by"), self.then)
        self.form.addRow(_("Summarise"), self.value)
        self.form.addRow(_("Summary"), self.agg)
        self.form.addRow(text(_("The summary is a new table (see \u201cShow\u201d above the table); your data stays "
                                "as it is."), muted=True))
        self.by.currentIndexChanged.connect(self._by_changed)
        self.value.currentIndexChanged.connect(self._value_changed)

    def _by_changed(self) -> None:
        column = self.by.column()
        dated = column is not None and column in self.frame.columns and is_date(self.frame[column])
        self.part.setEnabled(dated)
        if dated and not self.part.currentData():
            choose(self.part, "year_month")
        if not dated:
            choose(self.part, "")

    def _value_changed(self) -> None:
        if self.value.column() is None:
            choose(self.agg, "count")
        elif self.agg.currentData() == "count":
            choose(self.agg, "mean")

    def build(self) -> Step:
        by = [self.required(self.by)]
        if self.then.column() and self.then.column() not in by:
            by.append(self.then.column())
        part = self.part.currentData() if self.part.isEnabled() else ""
        return GroupBy(tuple(by), self.value.column(), self.agg.currentData(), part or None)


class PivotForm(StepForm):
    kind = "pivot"

    @staticmethod
    def title() -> str:
        return _("Pivot table")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.index = ColumnCombo(_("Rows (down)"))
        self.columns = ColumnCombo(_("Columns (across)"))
        self.value = ColumnCombo(_("Values"), _("(count the rows)"))
        self.agg = choice_combo(_("Summary"), {k: _(v) for k, v in AGGREGATIONS.items()})
        self.form.addRow(_("Rows (down)"), self.index)
        self.form.addRow(_("Columns (across)"), self.columns)
        self.form.addRow(_("Values"), self.value)
        self.form.addRow(_("Summary"), self.agg)
        self.value.currentIndexChanged.connect(
            lambda: choose(self.agg, "count" if self.value.column() is None else "mean"))

    def build(self) -> Step:
        return Pivot(self.required(self.index), self.required(self.columns), self.value.column(),
                     self.agg.currentData())


FORMS = (FilterForm, SortForm, DuplicatesForm, MissingForm, FillForm, ConvertForm, DropColumnsForm, GroupForm,
         PivotForm)


class StepEditor(QWidget):
    """Choose what to do, fill in its form, press Apply; errors show under the form."""

    apply_requested = Signal(object)  # Step

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.kind = shrinkable(QComboBox())
        self.kind.setAccessibleName(_("What to do"))
        self.stack = QStackedWidget()
        self.forms: dict[str, StepForm] = {}
        for form_class in FORMS:
            form = form_class()
            self.forms[form.kind] = form
            self.kind.addItem(form.title(), form.kind)
            self.stack.addWidget(form)
        self.kind.currentIndexChanged.connect(self._show_form)
        self._show_form(0)
        row = QFormLayout()
        row.addRow(_("What to do"), self.kind)
        layout.addLayout(row)
        layout.addWidget(self.stack)
        self.apply_button = button(_("Apply"), self._apply, primary=True)
        layout.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a3261b;")
        self.error.setAccessibleName(_("Problem with this step"))
        layout.addWidget(self.error)

    def _show_form(self, index: int) -> None:
        # a QStackedWidget is as tall as its tallest page; only the page shown may ask for room
        for position in range(self.stack.count()):
            policy = QSizePolicy.Policy.Preferred if position == index else QSizePolicy.Policy.Ignored
            self.stack.widget(position).setSizePolicy(policy, policy)
        self.stack.setCurrentIndex(index)
        self.stack.updateGeometry()

    def choose_kind(self, kind: str) -> StepForm:
        self.kind.setCurrentIndex(self.kind.findData(kind))
        return self.forms[kind]

    def set_frame(self, frame: pd.DataFrame) -> None:
        for form in self.forms.values():
            form.set_frame(frame)

    def current_form(self) -> StepForm:
        return self.forms[self.kind.currentData()]

    def _apply(self) -> None:
        self.error.setText("")
        try:
            step = self.current_form().build()
        except StepError as err:
            self.error.setText(str(err))
            return
        self.apply_requested.emit(step)

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def set_busy(self, busy: bool) -> None:
        self.apply_button.setEnabled(not busy)
