"""The air-quality lab's charts (pyqtgraph): a year of forecasts against the actual PM2.5, the alert's sweep of
false alarms, misses and cost over the thresholds, and the days around a missed day with the north-westerly wind.

Charts stay left to right in a right-to-left window (time and thresholds grow to the right), and each line
differs by its dash as well as its colour. Each chart also says its numbers in a tooltip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from app.core.formatting import date as format_date
from app.core.formatting import isolated
from app.core.i18n import _, current_locale
from labs.smart_city.air.data import VERY_BAD
from labs.smart_city.air_lab import level_text, num
from labs.smart_city.air_workspace import TEST_YEAR, THRESHOLDS

ACTUAL = "#222222"
MINE = "#2f6fab"
BASELINE = "#8a8a8a"
EDGE = "#b03a2e"
FALSE_ALARMS = "#d9822b"
MISSES = "#8e44ad"
COST = "#2f6fab"
WIND = "#7fa7c9"
SWEEP_VIEW_HIGH = 150.0  # µg/m³: the sweep chart's right edge


def month_ticks(first: dt.date, last: dt.date) -> list[tuple[float, str]]:
    """Ticks at the first of each month (abbreviated, in the learner's language), or of each year when the days span
    more than a year."""
    from babel.dates import get_month_names

    if (last - first).days > 400:
        return [(dt.date(y, 1, 1).toordinal(), str(y)) for y in range(first.year, last.year + 2)]
    names = get_month_names("abbreviated", locale=current_locale())
    ticks, day = [], dt.date(first.year, first.month, 1)
    while day <= last:
        ticks.append((day.toordinal(), names[day.month]))
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return ticks


def day_ticks(first: dt.date, last: dt.date) -> list[tuple[float, str]]:
    """The 10th and 20th of each month, numbered, for a view of a few months."""
    if (last - first).days > 200:
        return []
    days = (first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    return [(d.toordinal(), str(d.day)) for d in days if d.day in (10, 20)]


def with_gaps(x, *series):
    """Arrays with a NaN between two days more than a day apart, so that lines break where data are missing."""
    x = np.asarray(x, dtype=float)
    breaks = np.nonzero(np.diff(x) > 1)[0] + 1
    out = [np.insert(x, breaks, x[breaks] - 0.5)]
    out += [np.insert(np.asarray(values, dtype=float), breaks, np.nan) for values in series]
    return out


class _Chart(pg.PlotWidget):
    def __init__(self, accessible_name: str, parent=None, legend: bool = True):
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
        self.legend = self.addLegend(offset=(10, 5), labelTextColor="#222") if legend else None
        if self.legend is not None:
            self.legend.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


class ForecastChart(_Chart):
    """The actual daily PM2.5 of the test days, the learner's forecast and persistence's, with the very bad band's
    edge. The lines are made once and given new data on each change."""

    def __init__(self, parent=None):
        super().__init__(_("Tomorrow's PM2.5: actual and forecast, day by day"), parent)
        self.setMinimumHeight(260)
        self.setLabel("left", _("PM2.5 (µg/m³)"))
        self.edge = pg.InfiniteLine(pos=VERY_BAD, angle=0, pen=pg.mkPen(EDGE, width=1, style=Qt.PenStyle.DashLine),
                                    label=_("very bad"), labelOpts={"position": 0.97, "color": EDGE,
                                                                   "fill": (255, 255, 255, 220)})
        self.addItem(self.edge)
        self.pens = {"baseline": pg.mkPen(BASELINE, width=1, style=Qt.PenStyle.DotLine),
                     "actual": pg.mkPen(ACTUAL, width=1.5), "mine": pg.mkPen(MINE, width=1.5, style=Qt.PenStyle.DashLine)}
        self.baseline = self.plot([], [], pen=self.pens["baseline"], name=_("Persistence: today's value"))
        self.actual = self.plot([], [], pen=self.pens["actual"], name=_("Actual"))
        self.mine = self.plot([], [], pen=self.pens["mine"], name=_("Your forecast"))
        self.getPlotItem().getViewBox().setAutoVisible(y=True)
        self.shown: tuple | None | bool = False  # False: nothing drawn yet; None: no forecasts
        self.span: tuple[dt.date, dt.date] | None = None  # the days on the chart

    def show_days(self, dates: Sequence[dt.date] | None, actual=None, mine=None, persistence=None,
                  span: tuple[dt.date, dt.date] | None = None) -> None:
        """The days, with `span` (first, last) the part of them in view (None: all of them)."""
        key = None if dates is None else (tuple(dates), tuple(np.round(mine, 6)))
        if key == self.shown:
            self.show_span(span)
            return
        self.shown = key
        if dates is None:
            for item in (self.actual, self.mine, self.baseline):
                item.setData([], [])
            self.setToolTip("")
            first, last = dt.date(TEST_YEAR, 1, 1), dt.date(TEST_YEAR, 12, 31)
            self.getAxis("bottom").setTicks([month_ticks(first, last)])
            self.setXRange(first.toordinal(), last.toordinal(), padding=0.01)
            self.setYRange(0, 300, padding=0)
            return
        x = np.array([d.toordinal() for d in dates], dtype=float)
        spread = (dates[-1] - dates[0]).days > 400  # a random split: days from five years, drawn as points
        for name, item, values, colour in (("actual", self.actual, actual, ACTUAL), ("mine", self.mine, mine, MINE),
                                           ("baseline", self.baseline, persistence, BASELINE)):
            if spread:
                item.setData(x, np.asarray(values, dtype=float), pen=None, symbol="o", symbolSize=3,
                             symbolBrush=colour, symbolPen=None)
            else:
                item.setData(*with_gaps(x, values), pen=self.pens[name], symbol=None, connect="finite")
        self.baseline.setVisible(not spread)
        self.dates = tuple(dates)
        self.show_span(span)
        worst = int(np.argmax(np.abs(np.asarray(mine) - np.asarray(actual))))
        self.setToolTip(_("{days} days. Largest error: {date}, forecast {forecast}, actual {actual} µg/m³.").format(
            days=num(len(dates)), date=format_date(dates[worst]), forecast=num(mine[worst]), actual=num(actual[worst])))

    def show_span(self, span: tuple[dt.date, dt.date] | None) -> None:
        if not self.shown:
            return
        first, last = span or (self.dates[0], self.dates[-1])
        self.span = (first, last)
        self.getAxis("bottom").setTicks([month_ticks(first, last), day_ticks(first, last)])
        margin = max(2.0, 0.01 * (last - first).days)  # room for the first month's name
        self.setXRange(first.toordinal() - margin, last.toordinal() + margin, padding=0)
        self.enableAutoRange(axis="y")


class SweepChart(_Chart):
    """Over the thresholds: false alarms, missed days times the cost of a miss, and their sum, the cost; with the
    learner's threshold and the band's edge."""

    def __init__(self, parent=None):
        super().__init__(_("False alarms, misses and cost for every threshold"), parent)
        self.setMinimumHeight(260)
        self.setLabel("bottom", _("Alert threshold (µg/m³)"))
        self.setLabel("left", _("Cost, counted in false alarms"))
        self.edge = pg.InfiniteLine(pos=VERY_BAD, angle=90, pen=pg.mkPen(EDGE, width=1, style=Qt.PenStyle.DashLine),
                                    label=_("band's edge"), labelOpts={"position": 0.6, "color": EDGE,
                                                                      "fill": (255, 255, 255, 220)})
        self.mark = pg.InfiniteLine(pos=VERY_BAD, angle=90, pen=pg.mkPen(COST, width=2),
                                    label=_("yours"), labelOpts={"position": 0.08, "color": COST,
                                                                "fill": (255, 255, 255, 220)})
        self.addItem(self.edge)
        self.addItem(self.mark)
        self.false_alarms = self.plot([], [], pen=pg.mkPen(FALSE_ALARMS, width=2, style=Qt.PenStyle.DashLine),
                                      name=_("False alarms"))
        self.misses = self.plot([], [], pen=pg.mkPen(MISSES, width=2, style=Qt.PenStyle.DotLine),
                                name=_("Missed very bad days × cost of a miss"))
        self.cost = self.plot([], [], pen=pg.mkPen(COST, width=3), name=_("Cost"))
        self.getPlotItem().getViewBox().setAutoVisible(y=True)
        self.rows: tuple | None = None

    def show_sweep(self, rows, miss_cost: float, threshold: float) -> None:
        if rows is None:
            for item in (self.false_alarms, self.misses, self.cost):
                item.setData([], [])
            self.rows = None
            self.setToolTip("")
            self.setXRange(THRESHOLDS[0], SWEEP_VIEW_HIGH, padding=0.01)
            self.setYRange(0, 200, padding=0)
            self.show_threshold(threshold)
            return
        self.rows = tuple(rows)
        x = np.array([r.threshold for r in rows])
        false_alarms = np.array([r.false_alarms for r in rows], dtype=float)
        misses = np.array([r.misses for r in rows], dtype=float) * miss_cost
        self.false_alarms.setData(x, false_alarms)
        self.misses.setData(x, misses)
        self.cost.setData(x, false_alarms + misses)
        self.setXRange(x[0], min(x[-1], SWEEP_VIEW_HIGH), padding=0.01)  # above, the cost only climbs
        self.enableAutoRange(axis="y")
        self.show_threshold(threshold)
        lowest = int(np.argmin(false_alarms + misses))
        self.setToolTip(_("Lowest cost on this chart: {cost} at {threshold} µg/m³.").format(
            cost=level_text(false_alarms[lowest] + misses[lowest]), threshold=level_text(x[lowest])))

    def show_threshold(self, threshold: float) -> None:
        self.mark.setValue(threshold)


class EpisodeChart(_Chart):
    """Three weeks around a missed day: the actual PM2.5, the forecast, the band's edge and the missed day."""

    def __init__(self, parent=None):
        super().__init__(_("PM2.5 around the missed day"), parent)
        self.setLabel("left", _("PM2.5 (µg/m³)"))
        self.getAxis("left").setWidth(60)
        self.addItem(pg.InfiniteLine(pos=VERY_BAD, angle=0, pen=pg.mkPen(EDGE, width=1, style=Qt.PenStyle.DashLine)))
        self.day_line = pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen("#555", width=1, style=Qt.PenStyle.DashLine))
        self.addItem(self.day_line)
        self.actual = self.plot([], [], pen=pg.mkPen(ACTUAL, width=2), symbol="o", symbolSize=5, symbolBrush=ACTUAL,
                                symbolPen=None, name=_("Actual"))
        self.mine = self.plot([], [], pen=pg.mkPen(MINE, width=2, style=Qt.PenStyle.DotLine), symbol="t",
                              symbolSize=6, symbolBrush=MINE, symbolPen=None, name=_("Your forecast"))
        self.day: dt.date | None = None

    def show_episode(self, day: dt.date | None, offsets=(), actual=(), mine=()) -> None:
        self.day = day
        self.actual.setData(np.asarray(offsets, dtype=float), np.asarray(actual, dtype=float), connect="finite")
        self.mine.setData(np.asarray(offsets, dtype=float), np.asarray(mine, dtype=float), connect="finite")
        self.getAxis("bottom").setTicks([[(o, f"{o:+d}" if o else "0") for o in range(-10, 11, 2)]])
        self.setXRange(-10.5, 10.5, padding=0)
        self.enableAutoRange(axis="y")
        self.setLabel("bottom", _("Days from {date}").format(date=isolated(format_date(day))) if day else "")


class WindChart(_Chart):
    """Hours of north-westerly wind on the same days: the wind that clears Beijing's air."""

    def __init__(self, parent=None):
        super().__init__(_("Hours of north-westerly wind around the missed day"), parent, legend=False)
        self.setMinimumHeight(150)
        self.setLabel("left", _("NW wind (hours)"))
        self.getAxis("left").setWidth(60)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush=WIND, pen=pg.mkPen("#4a6f8f"))
        self.addItem(self.bars)
        self.setYRange(0, 25, padding=0)
        self.getAxis("left").setTicks([[(h, str(h)) for h in (0, 6, 12, 18, 24)]])

    def show_hours(self, offsets=(), hours=()) -> None:
        self.bars.setOpts(x=np.asarray(offsets, dtype=float), height=np.asarray(hours, dtype=float), width=0.7)
        self.getAxis("bottom").setTicks([[(o, f"{o:+d}" if o else "0") for o in range(-10, 11, 2)]])
        self.setXRange(-10.5, 10.5, padding=0)
