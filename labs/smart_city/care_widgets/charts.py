"""The care lab's charts (pyqtgraph): one household's day slot by slot, the limits an alarm learned hour by hour
against the robot's five hours, and false calls week by week.

Charts stay left to right in a right-to-left window (the day runs left to right, as on a clock's timeline); lines
differ by their dash as well as their colour, and each chart says its numbers in a tooltip and in its accessible
description.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.core.i18n import _
from labs.smart_city.care_workspace import DayView

MOTION = "#5b6770"
SOUND = "#9b7fc2"
DOOR = "#222222"
OUT = QColor(120, 120, 120, 55)
EMERGENCY = QColor(215, 48, 39, 60)
ROBOT = "#d9822b"
LEARNED = "#2f6fab"
RELEARNED = "#6a9f3a"
SLOT_HOURS = 1 / 12

# Lanes of the day chart below the movement bars
SOUND_LANE = (-1.6, 0.8)  # bottom, height
DOOR_LANE = -2.6


def runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """(first, after-last) of each run of True."""
    found, start = [], None
    for index, flag in enumerate(list(flags) + [False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            found.append((start, index))
            start = None
    return found


def hhmm(slot: int) -> str:
    minute = slot * 5
    return f"{minute // 60:02d}:{minute % 60:02d}"


class _Chart(pg.PlotWidget):
    def __init__(self, accessible_name: str, parent=None):
        super().__init__(parent, background="w")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAccessibleName(accessible_name)
        self.setMinimumHeight(220)
        self.setMaximumHeight(300)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.showGrid(x=True, y=True, alpha=0.2)
        for side in ("left", "bottom"):
            self.getAxis(side).setPen(pg.mkPen("#444"))
            self.getAxis(side).setTextPen(pg.mkPen("#222"))
            self.getAxis(side).enableAutoSIPrefix(False)

    def describe(self, text: str) -> None:
        self.setToolTip(text)
        self.setAccessibleDescription(text)


class DayChart(_Chart):
    """A household's day: movements per 5 minutes as bars, sound heard and the front door in lanes below, shading
    where the resident was taken to be out and where an emergency lasted, and a line at each guardian call (the
    robot's dashed, the learned alarm's solid) and a mark where the robot spoke up."""

    def __init__(self, parent=None):
        super().__init__(_("One household's day, every 5 minutes"), parent)
        self.setMinimumHeight(260)
        self.setMaximumHeight(340)
        self.getAxis("bottom").setTicks([[(h, f"{h:02d}") for h in range(0, 25, 3)]])
        self.setXRange(0, 24, padding=0.01)
        self.setLabel("bottom", _("Hour of the day"))
        self.setLabel("left", _("Movements in 5 minutes"))
        self.motion = pg.BarGraphItem(x0=[], width=SLOT_HOURS, height=[], brush=MOTION, pen=None)
        self.sound = pg.BarGraphItem(x0=[], y0=SOUND_LANE[0], width=SLOT_HOURS, height=SOUND_LANE[1], brush=SOUND,
                                     pen=None)
        self.door = pg.ScatterPlotItem(symbol="t1", size=9, brush=DOOR, pen=None)
        self.prompts = pg.ScatterPlotItem(symbol="d", size=7, brush=ROBOT, pen=None)
        for item in (self.motion, self.sound, self.door, self.prompts):
            self.addItem(item)
        self._temporary: list = []
        self.view: DayView | None = None

    def show_day(self, view: DayView, title: str) -> None:
        self.view = view
        for item in self._temporary:
            self.removeItem(item)
        self._temporary = []
        slots = np.arange(len(view.motion)) * SLOT_HOURS
        motion = np.asarray(view.motion, dtype=float)
        top = max(10.0, float(motion.max()) + 2)
        self.motion.setOpts(x0=slots, height=motion, width=SLOT_HOURS)
        heard = slots[np.asarray(view.sound) > 0]
        self.sound.setOpts(x0=heard, y0=SOUND_LANE[0], height=SOUND_LANE[1], width=SLOT_HOURS)
        opened = slots[np.asarray(view.door) > 0] + SLOT_HOURS / 2
        self.door.setData(opened, np.full(len(opened), DOOR_LANE))
        prompts = np.asarray(view.robot_prompts, dtype=float) * SLOT_HOURS
        self.prompts.setData(prompts, np.full(len(prompts), top - 0.7))
        for first, last in runs(view.out):
            self._region(first, last, OUT)
        for first, last in runs([code > 0 for code in view.incident]):
            self._region(first, last, EMERGENCY)
        for slot in view.robot_calls:
            self._line(slot, pg.mkPen(ROBOT, width=2.5, style=Qt.PenStyle.DashLine))
        for slot in view.learned_calls or ():
            self._line(slot, pg.mkPen(LEARNED, width=2.5))
        # TRANSLATORS: labels of the day chart's lanes: when the front door opened, when sound was heard.
        ticks = [(DOOR_LANE, _("door")), (SOUND_LANE[0] + SOUND_LANE[1] / 2, _("sound"))]
        ticks += [(v, str(v)) for v in range(0, int(top) + 1, 5)]
        self.getAxis("left").setTicks([ticks])
        self.setYRange(DOOR_LANE - 0.6, top, padding=0)
        self.describe(self._description(view, title))

    def _region(self, first: int, last: int, colour: QColor) -> None:
        region = pg.LinearRegionItem((first * SLOT_HOURS, last * SLOT_HOURS), movable=False, brush=colour,
                                     pen=pg.mkPen(None))
        region.setZValue(-10)
        self.addItem(region)
        self._temporary.append(region)

    def _line(self, slot: int, pen) -> None:
        line = pg.InfiniteLine(pos=slot * SLOT_HOURS, angle=90, pen=pen)
        self.addItem(line)
        self._temporary.append(line)

    @staticmethod
    def _description(view: DayView, title: str) -> str:
        moved = sum(1 for m in view.motion if m > 0)
        parts = [title, _("movement in {n} of 288 five-minute slots").format(n=moved)]
        outs = [f"{hhmm(a)}–{hhmm(b)}" for a, b in runs(view.out)]
        if outs:
            parts.append(_("out: {spans}").format(spans=", ".join(outs)))
        emergencies = [f"{hhmm(a)}–{hhmm(b)}" for a, b in runs([c > 0 for c in view.incident])]
        if emergencies:
            parts.append(_("emergency: {spans}").format(spans=", ".join(emergencies)))
        parts.append(_("the robot calls: {times}").format(times=", ".join(hhmm(s) for s in view.robot_calls) or "–"))
        if view.learned_calls is not None:
            parts.append(_("your alarm calls: {times}").format(
                times=", ".join(hhmm(s) for s in view.learned_calls) or "–"))
        return "\n".join(parts)


class LimitsChart(_Chart):
    """How long a still spell at home may last at each hour before the learned alarm calls, against the robot's
    five hours at every hour."""

    def __init__(self, parent=None):
        super().__init__(_("Longest still spell allowed, hour by hour"), parent)
        self.getAxis("bottom").setTicks([[(h, f"{h:02d}") for h in range(0, 25, 3)]])
        self.setXRange(0, 24, padding=0.01)
        self.setLabel("bottom", _("Hour of the day"))
        self.setLabel("left", _("Hours without movement"))
        self.legend = self.addLegend(offset=(10, 5), labelTextColor="#222")
        self.legend.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # swatch, then its name, as on the chart
        edges = np.arange(25)
        self.robot = self.plot(edges, np.full(24, 5.0), stepMode="center",
                               pen=pg.mkPen(ROBOT, width=2, style=Qt.PenStyle.DashLine), name=_("The robot: 5 hours"))
        self.learned = self.plot(edges, np.zeros(24), stepMode="center", pen=pg.mkPen(LEARNED, width=2.5),
                                 name=_("Your alarm"))
        self.learned.setVisible(False)
        self.limits: tuple[float, ...] | None = None

    def show_limits(self, hours: Sequence[float] | None, title: str) -> None:
        self.limits = None if hours is None else tuple(hours)
        self.learned.setVisible(hours is not None)
        if hours is None:
            self.describe(title)
            return
        self.learned.setData(np.arange(25), np.asarray(hours, dtype=float), stepMode="center")
        self.setYRange(0, max(6.0, max(hours)) * 1.4, padding=0)  # room for the legend above the lines
        self.describe(title + "\n" + "\n".join(_("{hour}: {limit} h").format(hour=f"{h:02d}:00", limit=f"{v:.1f}")
                                               for h, v in enumerate(hours)))


class WeeklyChart(_Chart):
    """False calls in each scored week for one household: the robot's, the learned alarm's, re-learned weekly."""

    def __init__(self, parent=None):
        super().__init__(_("False calls week by week"), parent)
        self.setLabel("bottom", _("Week of the study"))
        self.setLabel("left", _("False calls"))
        self.legend = self.addLegend(offset=(10, 5), labelTextColor="#222")
        self.legend.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # swatch, then its name, as on the chart
        self.bars = {}
        self.names = {"robot": _("The robot"), "learned": _("Your alarm"), "relearned": _("Re-learned every week")}
        for key, colour in (("robot", ROBOT), ("learned", LEARNED), ("relearned", RELEARNED)):
            name = self.names[key]
            bar = pg.BarGraphItem(x=[], height=[], width=0.26, brush=colour, pen=pg.mkPen("#333", width=0.5))
            self.addItem(bar)
            self.legend.addItem(bar, name)
            self.bars[key] = bar
        self.series: dict[str, tuple[int, ...]] = {}

    def show_weeks(self, weeks: Sequence[int], series: dict[str, Sequence[int] | None], title: str) -> None:
        self.series = {k: tuple(v) for k, v in series.items() if v is not None}
        x = np.asarray(weeks, dtype=float)
        for offset, key in zip((-0.28, 0.0, 0.28), ("robot", "learned", "relearned")):
            values = series.get(key)
            bar = self.bars[key]
            if values is None:
                bar.setOpts(x=[], height=[])
                bar.setVisible(False)
            else:
                bar.setOpts(x=x + offset, height=np.asarray(values, dtype=float), width=0.26)
                bar.setVisible(True)
        self.getAxis("bottom").setTicks([[(w, str(w)) for w in weeks]])
        self.setXRange(min(weeks) - 0.6, max(weeks) + 0.6, padding=0)
        highest = max([max(v) for v in self.series.values() if v] + [4])
        self.setYRange(0, highest * 1.6 + 0.5, padding=0)  # room for the legend above the bars
        lines = [title]
        for key, values in self.series.items():
            lines.append(_("{series}: {values}").format(series=self.names[key], values=", ".join(
                f"{w}: {v}" for w, v in zip(weeks, values))))
        self.describe("\n".join(lines))
