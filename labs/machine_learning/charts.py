"""The results' pictures: permutation importance bars, the residual plot, the confusion-matrix grid.

Charts and the grid stay left-to-right in a right-to-left window (numbers and axes read that way).
Each also says its numbers in words (tooltips, a line of text) for screen readers and large text.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app.core.i18n import _

BAR = QColor(47, 111, 171)
POINT = QColor(47, 111, 171, 120)
RIGHT = QColor(46, 139, 87)  # right answers: green
WRONG = QColor(200, 70, 50)  # mistakes: red


class _Chart(pg.PlotWidget):
    """A white, left-to-right plot with dark axes and no right-click menu."""

    def __init__(self, accessible_name: str, parent=None):
        super().__init__(parent, background="w")
        # Axes on the left, values growing rightwards, in every language: the view and the plot item
        # (a QGraphicsWidget, which otherwise takes the application's right-to-left direction).
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAccessibleName(accessible_name)
        self.setMinimumHeight(220)
        self.setMenuEnabled(False)
        for side in ("left", "bottom"):
            self.getAxis(side).setPen(pg.mkPen("#444"))
            self.getAxis(side).setTextPen(pg.mkPen("#222"))
            self.getAxis(side).enableAutoSIPrefix(False)  # "0.15", not "150 (x0.001)"


class ImportanceChart(_Chart):
    """Horizontal bars: how much the score drops when each feature is shuffled (longest on top)."""

    def __init__(self, parent=None):
        super().__init__(_("Feature importance chart"), parent)
        self.showGrid(x=True, y=False, alpha=0.2)
        self.setLabel("bottom", _("Drop in the score when the feature is shuffled"))
        self.names: list[str] = []

    def show_importance(self, importance: list[tuple[str, float, float]]) -> None:
        self.clear()
        self.names = [name for name, _mean, _spread in importance]
        if not importance:
            return
        count = len(importance)
        ys = np.arange(count)[::-1].astype(float)  # the most important at the top
        means = np.array([mean for _name, mean, _spread in importance])
        spreads = np.array([spread for _name, _mean, spread in importance])
        self.addItem(pg.BarGraphItem(x0=np.zeros(count), y=ys, height=0.6, width=means, brush=BAR, pen=BAR))
        self.addItem(pg.ErrorBarItem(x=means, y=ys, left=spreads, right=spreads, beam=0.2, pen=pg.mkPen("#222")))
        left = self.getAxis("left")
        left.setTicks([[(float(y), name) for y, name in zip(ys, self.names)]])
        # Room for the longest name now: the axis would only widen itself after a first, clipped paint.
        left.setWidth(max(QFontMetrics(left.font()).horizontalAdvance(n) for n in self.names) + 16)
        self.setYRange(-0.7, count - 0.3, padding=0)
        self.setMinimumHeight(max(220, QFontMetrics(left.font()).lineSpacing() * 2 * count + 80))
        self.setToolTip("\n".join(f"{name}: {mean:.3f} ± {spread:.3f}" for name, mean, spread in importance))


class ResidualChart(_Chart):
    """Each test row as a point: predicted value across, mistake (true minus predicted) up."""

    def __init__(self, parent=None):
        super().__init__(_("Residual plot"), parent)
        self.showGrid(x=True, y=True, alpha=0.2)
        self.setLabel("bottom", _("Predicted value"))
        self.setLabel("left", _("True minus predicted"))
        self.points = 0

    def show_residuals(self, predicted: np.ndarray | None, residuals: np.ndarray | None) -> None:
        self.clear()
        self.points = 0 if predicted is None else len(predicted)
        if not self.points:
            return
        self.addItem(pg.ScatterPlotItem(x=predicted, y=residuals, size=5, pen=None, brush=POINT))
        self.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen("#222", width=1)))
        self.setToolTip(_("{count} test rows; points far from the line are big mistakes.").format(count=self.points))


class ConfusionGrid(QTableWidget):
    """Rows: the true class; columns: the predicted class; each cell its count and its share of the row."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAccessibleName(_("Confusion matrix"))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def show_matrix(self, classes: list[str], matrix: list[list[int]]) -> None:
        self.clear()
        self.setRowCount(len(classes))
        self.setColumnCount(len(classes))
        self.setHorizontalHeaderLabels([_("predicted: {value}").format(value=c) for c in classes])
        self.setVerticalHeaderLabels([_("really: {value}").format(value=c) for c in classes])
        for row, counts in enumerate(matrix):
            total = sum(counts) or 1
            for column, count in enumerate(counts):
                share = count / total
                item = QTableWidgetItem(f"{count:,}\n({share:.0%})")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                colour = QColor(RIGHT if row == column else WRONG)
                colour.setAlpha(int(30 + 170 * share))
                item.setBackground(QBrush(colour))
                item.setToolTip(_("{count} rows that are really {true} were predicted as {predicted}").format(
                    count=f"{count:,}", true=classes[row], predicted=classes[column]))
                self.setItem(row, column, item)
        self.resizeRowsToContents()
        height = self.horizontalHeader().height() + sum(self.rowHeight(r) for r in range(len(classes))) + 4
        self.setFixedHeight(min(height, 400))
