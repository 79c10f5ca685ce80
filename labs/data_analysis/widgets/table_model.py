"""A Qt table model over a DataFrame that formats only the cells Qt asks for.

A QTableView shows perhaps 40 rows at a time; `data()` is called for those cells only, reading one
element of a numpy array per call. So 1,000,000 rows cost what 40 do, and there is no widget per
cell. Numbers are right-aligned with the locale's decimal sign (no thousands separators: ids and
years must not read "2,024"); missing values show as a grey "missing".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.core.i18n import _

_Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def _decimals(values: np.ndarray) -> int:
    """How many decimals a float column needs (from a sample): 0 for whole numbers, at most 4."""
    sample = values[:2000]
    sample = sample[np.isfinite(sample)]
    for decimals in range(5):
        if np.allclose(np.round(sample, decimals), sample, rtol=0, atol=1e-9):
            return decimals
    return 4


class _Column:
    """One column's values as a numpy array and how to show one of them."""

    def __init__(self, series: pd.Series, locale: QLocale):
        self.locale = locale
        self.kind = "text"
        self.decimals = 0
        self.date_unit = "D"
        if pd.api.types.is_bool_dtype(series) and series.dtype == bool:
            self.values = series.to_numpy()
            self.kind = "bool"
        elif pd.api.types.is_integer_dtype(series) and not isinstance(series.dtype, pd.api.extensions.ExtensionDtype):
            self.values = series.to_numpy()
            self.kind = "int"
        elif pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            self.values = series.to_numpy(dtype=float, na_value=np.nan)
            self.kind = "float"
            self.decimals = _decimals(self.values)
        elif pd.api.types.is_datetime64_any_dtype(series):
            self.values = series.to_numpy(dtype="datetime64[s]") if series.dt.tz is None else \
                series.dt.tz_localize(None).to_numpy(dtype="datetime64[s]")
            self.kind = "date"
            seconds = self.values[~np.isnat(self.values)].astype("int64")
            if len(seconds) and (seconds % 86400).any():
                self.date_unit = "s" if (seconds % 60).any() else "m"
        else:
            self.values = series.to_numpy(dtype=object)

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "float")

    def is_missing(self, row: int) -> bool:
        value = self.values[row]
        if self.kind == "float":
            return math.isnan(value)
        if self.kind == "date":
            return bool(np.isnat(value))
        if self.kind == "text":
            return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
        return False

    def text(self, row: int) -> str:
        value = self.values[row]
        if self.kind == "int":
            return str(int(value))
        if self.kind == "float":
            return self.locale.toString(float(value), "f", self.decimals)
        if self.kind == "date":
            return str(np.datetime_as_string(value, unit=self.date_unit)).replace("T", " ")
        return str(value)


class FrameModel(QAbstractTableModel):
    def __init__(self, frame: pd.DataFrame | None = None, parent: Any = None):
        super().__init__(parent)
        self._locale = QLocale()
        self._locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
        self._missing = _("missing")
        self._grey = QBrush(QColor("#8a94a3"))
        self._italic = QFont()
        self._italic.setItalic(True)
        self.frame = pd.DataFrame()
        self._columns: list[_Column] = []
        self.set_frame(frame if frame is not None else pd.DataFrame())

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame
        self._columns = [_Column(frame.iloc[:, i], self._locale) for i in range(frame.shape[1])]
        self.endResetModel()

    def column(self, position: int) -> _Column:
        return self._columns[position]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.AccessibleTextRole:
            return self._missing if column.is_missing(row) else column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else LEFT
        if role == Qt.ItemDataRole.ForegroundRole and column.is_missing(row):
            return self._grey
        if role == Qt.ItemDataRole.FontRole and column.is_missing(row):
            return self._italic
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return str(self.frame.columns[section]) if section < self.frame.shape[1] else None
        return str(section + 1)  # row numbers from 1, as a spreadsheet shows them
