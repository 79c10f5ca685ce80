"""The traffic lab's charts (pyqtgraph): a day's counts against the forecasts, and the vehicle-hours of delay in
each hour under both plans with a line at the animation's time.

Charts stay left to right in a right-to-left window (hours run left to right, as on a clock's timeline), and each
line differs by its dash as well as its colour. Each chart also says its numbers in a tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from app.core.i18n import _

ACTUAL = "#222222"
MINE = "#2f6fab"
BASELINE = "#8a8a8a"
FIXED = "#d9822b"
RESPONSIVE = "#2f6fab"


class _Chart(pg.PlotWidget):
    def __init__(self, accessible_name: str, parent=None):
        super().__init__(parent, background="w")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAccessibleName(accessible_name)
        self.setMinimumHeight(200)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.showGrid(x=True, y=True, alpha=0.2)
        for side in ("left", "bottom"):
            self.getAxis(side).setPen(pg.mkPen("#444"))
            self.getAxis(side).setTextPen(pg.mkPen("#222"))
            self.getAxis(side).enableAutoSIPrefix(False)
        self.getAxis("bottom").setTicks([[(h, f"{h:02d}") for h in range(0, 25, 3)]])
        self.setXRange(0, 24, padding=0.01)
        self.setLabel("bottom", _("Hour of the day"))
        self.legend = self.addLegend(offset=(10, 5), labelTextColor="#222")


class ForecastChart(_Chart):
    """The day's real counts per hour, the learner's forecast and the baseline's. The lines are made once and
    given new data on each change (cheaper than redrawing the chart)."""

    def __init__(self, parent=None):
        super().__init__(_("The day's counts and the forecasts"), parent)
        self.setLabel("left", _("Vehicles per hour"))
        self.actual = self.plot([], [], pen=pg.mkPen(ACTUAL, width=2), name=_("Actual counts"))
        self.baseline = self.plot([], [], pen=pg.mkPen(BASELINE, width=2, style=Qt.PenStyle.DashLine),
                                  name=_("Baseline: one week earlier"))
        self.mine = self.plot([], [], pen=pg.mkPen(MINE, width=2, style=Qt.PenStyle.DotLine), symbol="o",
                              symbolSize=4, symbolBrush=MINE, symbolPen=None, name=_("Your forecast"))
        self.shown: tuple | None = None

    def show_day(self, actual: Sequence[float], mine: Sequence[float] | None, baseline: Sequence[float]) -> None:
        key = (tuple(actual), None if mine is None else tuple(mine), tuple(baseline))
        if key == self.shown:
            return
        self.shown = key
        hours = np.arange(24) + 0.5
        self.actual.setData(hours, np.asarray(actual, dtype=float))
        self.baseline.setData(hours, np.asarray(baseline, dtype=float))
        self.mine.setData(hours, np.asarray(mine if mine is not None else baseline, dtype=float))
        self.mine.setVisible(mine is not None)
        self.setToolTip("\n".join(f"{h:02d}:00 {a:,.0f}" + (f" / {m:,.0f}" if mine is not None else "")
                                  + f" / {b:,.0f}" for h, (a, m, b) in enumerate(
            zip(actual, mine if mine is not None else actual, baseline))))


class DelayChart(_Chart):
    """Vehicle-hours of delay in each hour, fixed plan against responsive plan, with the animation's time."""

    def __init__(self, parent=None):
        super().__init__(_("Vehicle-hours of delay by hour, both plans"), parent)
        self.setLabel("left", _("Vehicle-hours of delay"))
        self.time_line = pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen("#555", width=1, style=Qt.PenStyle.DashLine))
        self.addItem(self.time_line)
        edges, empty = np.arange(25), np.zeros(24)
        self.fixed = self.plot(edges, empty, stepMode="center",
                               pen=pg.mkPen(FIXED, width=2, style=Qt.PenStyle.DashLine), name=_("Fixed plan"))
        self.responsive = self.plot(edges, empty, stepMode="center", pen=pg.mkPen(RESPONSIVE, width=2.5),
                                    name=_("Responsive plan"))
        self.series: tuple[tuple[float, ...], tuple[float, ...]] | None = None

    def show_hours(self, fixed: Sequence[float] | None, responsive: Sequence[float] | None) -> None:
        self.series = None if fixed is None or responsive is None else (tuple(fixed), tuple(responsive))
        edges = np.arange(25)
        for item, values in ((self.fixed, fixed), (self.responsive, responsive)):
            item.setData(edges, np.asarray(values if values is not None else np.zeros(24), dtype=float),
                         stepMode="center")
            item.setVisible(self.series is not None)
        if self.series is None:
            self.setToolTip("")
            return
        self.enableAutoRange(axis="y")
        self.setToolTip("\n".join(_("{hour}: fixed {fixed}, responsive {responsive}").format(
            hour=f"{h:02d}:00", fixed=f"{f:,.0f}", responsive=f"{r:,.0f}") for h, (f, r) in enumerate(
            zip(fixed, responsive))))

    def show_time(self, hours: float) -> None:
        self.time_line.setValue(hours)
