"""The plant energy lab's charts (pyqtgraph): a test week of the meter against the forecasts; tomorrow's load by
hour, today's plan against the learner's, with the maximum load and the peak hours; the smallest saving the meter
can show against the days of readings; and what a true saving looks like in the meter, day by day.

Charts stay left to right in a right-to-left window (time and days run left to right, as on a clock's timeline),
each line differs by its dash as well as its colour, and each chart says its numbers in a tooltip.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from app.core.i18n import _, current_locale
from labs.smart_city.energy_lab import decimal, hour_text, pct
from labs.smart_city.energy.tariff import PEAK, period

METER = "#222222"
BASELINE = "#8a8a8a"
MINE = "#2f6fab"
TODAY = "#8a8a8a"
LIMIT = "#b3261e"
CLAIM = "#d9822b"


def short_day(day: dt.date) -> str:
    """"Mon 1" in the learner's language: a tick under a day of the week chart."""
    from babel.dates import format_date

    return format_date(day, "EEE d", locale=current_locale())


class _Chart(pg.PlotWidget):
    def __init__(self, accessible_name: str, parent=None):
        super().__init__(parent, background="w")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAccessibleName(accessible_name)
        self.setMinimumHeight(220)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.showGrid(x=True, y=True, alpha=0.2)
        for side in ("left", "bottom"):
            self.getAxis(side).setPen(pg.mkPen("#444"))
            self.getAxis(side).setTextPen(pg.mkPen("#222"))
            self.getAxis(side).enableAutoSIPrefix(False)
        self.legend = self.addLegend(offset=(10, 5), labelTextColor="#222", brush=pg.mkBrush(255, 255, 255, 200))
        self.legend.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a sample, then its name, as in the plot


class WeekChart(_Chart):
    """A week of the test period, hour by hour: the meter, the baseline's forecast and the chosen model's."""

    def __init__(self, parent=None):
        super().__init__(_("A week of the meter and the forecasts"), parent)
        self.setLabel("left", _("kWh in the hour"))
        self.meter = self.plot([], [], pen=pg.mkPen(METER, width=1.5), name=_("Meter"))
        self.baseline = self.plot([], [], pen=pg.mkPen(BASELINE, width=1.5, style=Qt.PenStyle.DashLine),
                                  name=_("Baseline: one week earlier"))
        self.mine = self.plot([], [], pen=pg.mkPen(MINE, width=2, style=Qt.PenStyle.DotLine), name=_("Your model"))
        self.shown = None

    def show_week(self, first_day: dt.date, meter: Sequence[float], baseline: Sequence[float],
                  mine: Sequence[float] | None) -> None:
        x = np.arange(len(meter)) + 0.5
        self.meter.setData(x, np.asarray(meter, dtype=float))
        self.baseline.setData(x, np.nan_to_num(np.asarray(baseline, dtype=float)))
        self.mine.setData(x, np.asarray(mine if mine is not None else baseline, dtype=float))
        self.mine.setVisible(mine is not None)
        days = [first_day + dt.timedelta(days=d) for d in range(7)]
        self.getAxis("bottom").setTicks([[(24 * d + 12, short_day(day)) for d, day in enumerate(days)],
                                         [(24 * d, "") for d in range(8)]])
        self.setXRange(0, 168, padding=0.01)
        self.shown = (first_day, mine is not None)
        totals = []
        for d, day in enumerate(days):
            part = slice(24 * d, 24 * d + 24)
            line = _("{day}: meter {meter} kWh, baseline {baseline}").format(
                day=short_day(day), meter=decimal(sum(meter[part])),
                baseline=decimal(float(np.nansum(np.asarray(baseline[part], dtype=float)))))
            if mine is not None:
                line += ", " + _("your model {mine}").format(mine=decimal(sum(mine[part])))
            totals.append(line)
        self.setToolTip("\n".join(totals))


class LoadChart(_Chart):
    """Tomorrow's load in each hour: today's plan and the learner's, the maximum load, the peak hours shaded."""

    def __init__(self, month: int, max_load_kw: float, parent=None):
        super().__init__(_("Tomorrow's load by hour, today's plan and yours"), parent)
        self.setLabel("left", _("kW (kWh in the hour)"))
        self.setLabel("bottom", _("Hour of the day"))
        self.getAxis("bottom").setTicks([[(h, f"{h:02d}") for h in range(0, 25, 3)]])
        self.setXRange(0, 24, padding=0.01)
        peak_brush = pg.mkBrush(246, 201, 191, 110)
        for hour in range(24):
            if period(month, hour) == PEAK:
                region = pg.LinearRegionItem((hour, hour + 1), movable=False, brush=peak_brush,
                                             pen=pg.mkPen(None))
                region.setZValue(-10)
                self.addItem(region)
        self.limit = pg.InfiniteLine(pos=max_load_kw, angle=0, pen=pg.mkPen(LIMIT, width=1.5,
                                                                            style=Qt.PenStyle.DashDotLine))
        self.addItem(self.limit)
        self.legend.addItem(pg.PlotDataItem(pen=pg.mkPen(LIMIT, width=1.5, style=Qt.PenStyle.DashDotLine)),
                            _("Maximum load"))
        self.legend.addItem(pg.BarGraphItem(x=[0], height=[1], width=1, brush=peak_brush, pen=pg.mkPen(None)),
                            _("Peak hours"))
        edges, empty = np.arange(25), np.zeros(24)
        self.today = self.plot(edges, empty, stepMode="center", pen=pg.mkPen(TODAY, width=2,
                                                                              style=Qt.PenStyle.DashLine),
                               name=_("Today's plan"))
        self.mine = self.plot(edges, empty, stepMode="center", pen=pg.mkPen(MINE, width=2.5), name=_("Your plan"))
        self.setYRange(0, max_load_kw * 1.2, padding=0)
        self.series: tuple[tuple[float, ...], tuple[float, ...]] | None = None

    def show_loads(self, today: Sequence[float], mine: Sequence[float]) -> None:
        self.series = (tuple(today), tuple(mine))
        edges = np.arange(25)
        self.today.setData(edges, np.asarray(today, dtype=float), stepMode="center")
        self.mine.setData(edges, np.asarray(mine, dtype=float), stepMode="center")
        top = max(max(mine), max(today), self.limit.value())
        self.setYRange(0, top * 1.15, padding=0)
        self.setToolTip("\n".join(_("{hour}: today {today} kW, yours {mine} kW").format(
            hour=hour_text(h), today=decimal(t), mine=decimal(m)) for h, (t, m) in enumerate(zip(today, mine))))


class DetectableChart(_Chart):
    """The smallest saving a number of working days can show (1.96 x CV / sqrt(days)), days on a log scale, with
    the claim to verify and the days chosen."""

    def __init__(self, max_days: int, claim: float, parent=None):
        super().__init__(_("The smallest saving the meter can show, by working days of readings"), parent)
        self.setLabel("left", _("Smallest saving it can show (%)"))
        self.setLabel("bottom", _("Working days of readings (log scale)"))
        self.setLogMode(x=True, y=False)
        ticks = [d for d in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000) if d <= max_days]
        # In log mode the axis is in log10(days): name the ticks in days, as people count them.
        self.getAxis("bottom").setTicks([[(math.log10(d), decimal(d)) for d in ticks], []])
        self.days = np.unique(np.round(np.logspace(0, math.log10(max_days), 200)).astype(int))
        self.curve = self.plot([], [], pen=pg.mkPen(MINE, width=2.5), name=_("Your model"))
        self.legend.setOffset((-10, 5))  # top right: the curve starts high on the left
        self.claim_line = pg.InfiniteLine(pos=claim, angle=0, pen=pg.mkPen(CLAIM, width=1.5,
                                                                           style=Qt.PenStyle.DashLine))
        self.addItem(self.claim_line)
        self.legend.addItem(pg.PlotDataItem(pen=pg.mkPen(CLAIM, width=1.5, style=Qt.PenStyle.DashLine)),
                            _("POSCO's 2% saving"))
        self.marker = pg.ScatterPlotItem(size=10, brush=pg.mkBrush(METER), pen=pg.mkPen("w"))
        self.addItem(self.marker)
        self.shown: tuple[float, int] | None = None

    def show_model(self, daily_cv: float | None, days: int) -> None:
        if daily_cv is None:
            self.curve.setData([], [])
            self.marker.setData([], [])
            self.shown = None
            self.setToolTip("")
            return
        values = 1.96 * daily_cv / np.sqrt(self.days)
        self.curve.setData(self.days, values)
        here = 1.96 * daily_cv / math.sqrt(days)
        self.marker.setData([math.log10(days)], [here])  # the scatter item takes log10 x in log mode
        self.setYRange(0, min(float(values.max()), 4 * 1.96 * daily_cv / math.sqrt(10)), padding=0.02)
        self.shown = (daily_cv, days)
        self.setToolTip("\n".join(_("{days} working days: {percent}").format(
            days=decimal(d), percent=pct(1.96 * daily_cv / math.sqrt(d))) for d in (10, 64, 248, 500, 1000, 2000)))


class ApparentChart(_Chart):
    """The saving the meter reports on each working weekday of October to December when the change truly saved a
    given share, with that share and the average of what was reported."""

    def __init__(self, parent=None):
        super().__init__(_("The saving the meter reports, working day by working day"), parent)
        self.setLabel("left", _("Reported saving (%)"))
        self.setLabel("bottom", _("Working weekday of October to December"))
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.75, brush=pg.mkBrush("#9ab9db"), pen=pg.mkPen(None))
        self.addItem(self.bars)
        self.legend.addItem(self.bars, _("Reported on the day"))
        self.true_line = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(CLAIM, width=2, style=Qt.PenStyle.DashLine))
        self.mean_line = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(METER, width=2))
        self.addItem(self.true_line)
        self.addItem(self.mean_line)
        self.legend.addItem(pg.PlotDataItem(pen=pg.mkPen(CLAIM, width=2, style=Qt.PenStyle.DashLine)),
                            _("The true saving"))
        self.legend.addItem(pg.PlotDataItem(pen=pg.mkPen(METER, width=2)), _("Average reported"))
        self.shown: tuple[float, ...] | None = None

    def show_days(self, daily: Sequence[float] | None, true_saving: float, mean: float) -> None:
        if daily is None:
            self.bars.setOpts(x=[], height=[])
            self.shown = None
            return
        values = np.clip(np.asarray(daily, dtype=float), -100, 100)
        self.bars.setOpts(x=np.arange(1, len(values) + 1), height=values, width=0.75)
        self.true_line.setValue(true_saving)
        self.mean_line.setValue(mean)
        self.setXRange(0, len(values) + 1, padding=0)
        low, high = float(values.min()), float(values.max())
        self.setYRange(min(low, 0, true_saving) - 5, max(high, true_saving, mean) + 5, padding=0)
        self.shown = tuple(values)
        self.setToolTip(_("{days} working days: the true saving {true}, reported {mean} on average, from {low} to "
                          "{high} on single days").format(days=len(values), true=pct(true_saving),
                                                          mean=pct(mean), low=pct(float(values.min()), 0),
                                                          high=pct(float(values.max()), 0)))
