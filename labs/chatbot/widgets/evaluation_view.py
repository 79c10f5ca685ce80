"""The evaluation's pictures and tables: the threshold curve, the per-intent scores, the overlaps.

The curve and the tables stay left-to-right in a right-to-left window (numbers and axes read that
way); each also says its numbers in words (tooltips) for screen readers and large text.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app.core.i18n import _
from labs.chatbot.engine.evaluation import Evaluation
from labs.chatbot.engine.workspace import ThresholdView

ACCURACY = QColor(47, 111, 171)  # blue
OOS = QColor(46, 139, 87)  # green
HANDOFF = QColor(200, 120, 30)  # amber
WEAK = QColor(200, 70, 50, 60)  # a weak score's background


class ThresholdCurve(pg.PlotWidget):
    """In-scope accuracy, out-of-scope recall and the hand-off share for every threshold, and a
    vertical line at the bot's threshold."""

    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAccessibleName(_("Threshold curve"))
        self.setMinimumHeight(220)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.showGrid(x=True, y=True, alpha=0.2)
        self.setLabel("bottom", _("Threshold: the confidence the bot needs to answer"))
        self.setXRange(0, 1, padding=0.02)
        self.setYRange(0, 1, padding=0.02)
        for side in ("left", "bottom"):
            self.getAxis(side).setPen(pg.mkPen("#444"))
            self.getAxis(side).setTextPen(pg.mkPen("#222"))
        # On the left, half-way down: the curves run along the top and meet at the right.
        self.legend = self.addLegend(labelTextColor="#222", brush=pg.mkBrush(255, 255, 255, 220))
        self.legend.anchor(itemPos=(0, 0.5), parentPos=(0, 0.5), offset=(50, 0))
        self.legend.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.lines: dict[str, pg.PlotDataItem] = {}
        self.marker = pg.InfiniteLine(pos=0.5, angle=90, pen=pg.mkPen("#222", width=1, style=Qt.PenStyle.DashLine))
        self.addItem(self.marker)

    def show_sweep(self, evaluation: Evaluation | None) -> None:
        for line in self.lines.values():
            self.removeItem(line)
        self.lines = {}
        if evaluation is None or not evaluation.sweep:
            return
        xs = [point.threshold for point in evaluation.sweep]
        series = [("accuracy", _("in-scope accuracy"), [p.in_scope_accuracy for p in evaluation.sweep], ACCURACY),
                  ("handoff", _("handed to a person"), [p.unsure_share for p in evaluation.sweep], HANDOFF)]
        if all(point.oos_recall is not None for point in evaluation.sweep):
            series.insert(1, ("oos", _("out-of-scope recall"), [p.oos_recall for p in evaluation.sweep], OOS))
        for key, name, ys, colour in series:
            self.lines[key] = self.plot(xs, ys, pen=pg.mkPen(colour, width=2), name=name)
        self.setToolTip("\n".join(
            _("threshold {t:.2f}: accuracy {a:.0%}, out-of-scope recall {o}, handed over {h:.0%}").format(
                t=p.threshold, a=p.in_scope_accuracy, o="-" if p.oos_recall is None else f"{p.oos_recall:.0%}",
                h=p.unsure_share) for p in evaluation.sweep[::4]))

    def show_threshold(self, threshold: float) -> None:
        self.marker.setValue(threshold)


class _Number(QTableWidgetItem):
    """A cell that sorts by its value, not its text."""

    def __init__(self, value: float, text: str):
        super().__init__(text)
        self.setData(Qt.ItemDataRole.UserRole, value)
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(Qt.ItemDataRole.UserRole), other.data(Qt.ItemDataRole.UserRole)
        if isinstance(mine, (int, float)) and isinstance(theirs, (int, float)):
            return mine < theirs
        return super().__lt__(other)


class IntentScores(QTableWidget):
    """Per intent: precision, recall, F1 and the number of held-out examples, at the bot's threshold."""

    def __init__(self, parent=None):
        super().__init__(parent)
        header = [_("Intent"), _("Title"), _("Precision"), _("Recall"), _("F1"), _("Examples")]
        self.setColumnCount(len(header))
        self.setHorizontalHeaderLabels(header)
        self.setAccessibleName(_("Scores of each intent"))
        self.horizontalHeader().setAccessibleName(_("Column headings: click one to sort"))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setSortingEnabled(True)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)

    def show_view(self, view: ThresholdView | None, title_of: Callable[[str], str]) -> None:
        self.setSortingEnabled(False)
        self.setRowCount(0)
        if view is not None:
            self.setRowCount(len(view.per_intent))
            for row, (intent, score) in enumerate(view.per_intent.items()):
                cells = [QTableWidgetItem(intent), QTableWidgetItem(title_of(intent)),
                         _Number(score.precision, f"{score.precision:.0%}"),
                         _Number(score.recall, f"{score.recall:.0%}"),
                         _Number(score.f1, f"{score.f1:.2f}"), _Number(score.support, str(score.support))]
                for column, cell in enumerate(cells):
                    if column in (2, 3) and cell.data(Qt.ItemDataRole.UserRole) < 0.7:
                        cell.setBackground(WEAK)
                    self.setItem(row, column, cell)
        self.setSortingEnabled(True)
        self.sortItems(3, Qt.SortOrder.AscendingOrder)  # the weakest recall first

    def row_of(self, intent: str) -> int:
        for row in range(self.rowCount()):
            if self.item(row, 0).text() == intent:
                return row
        return -1


class OverlapTable(QTableWidget):
    """The pairs of intents the evaluation confuses most, with example questions that went astray."""

    def __init__(self, parent=None):
        super().__init__(parent)
        header = [_("Intents confused with each other"), _("Times"), _("For example")]
        self.setColumnCount(len(header))
        self.setHorizontalHeaderLabels(header)
        self.setAccessibleName(_("Intents that overlap"))
        self.horizontalHeader().setAccessibleName(_("Column headings"))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.pairs: list[tuple[str, str]] = []

    def show_overlaps(self, evaluation: Evaluation | None, limit: int = 8) -> None:
        self.setRowCount(0)
        self.pairs = []
        if evaluation is None:
            return
        overlaps = [o for o in evaluation.overlaps if o[2] > 0][:limit]
        self.setRowCount(len(overlaps))
        for row, (first, second, count) in enumerate(overlaps):
            examples = []
            for confusion in evaluation.confusions:
                if {confusion.true, confusion.predicted} == {first, second}:
                    examples += [_("\"{text}\" ({true} → {predicted})").format(
                        text=text, true=confusion.true, predicted=confusion.predicted) for text in confusion.examples]
            self.pairs.append((first, second))
            self.setItem(row, 0, QTableWidgetItem(f"{first} ↔ {second}"))
            self.setItem(row, 1, _Number(count, str(count)))
            self.setItem(row, 2, QTableWidgetItem("\n".join(examples[:3])))
        self.resizeRowsToContents()
