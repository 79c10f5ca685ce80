"""The container farm lab's charts (pyqtgraph): the crop's growth curve, the year's electricity month by month,
and the harvests a year the computer's search finds for each budget.

Charts stay left to right in a right-to-left window (days, months and budgets run left to right), each line differs
by its dash or its symbol as well as its colour, and each chart says its numbers in a tooltip.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from app.core.i18n import _, current_locale
from labs.smart_city.farm.farm import FarmResult
from labs.smart_city.farm_lab import num
from labs.smart_city.farm_workspace import (BUDGET_KWH, CLAIMED_HARVESTS, HARVEST_DRY_G_M2, MONTH_DAYS, SWEEP_BUDGETS,
                                            Grown)

START = "#8a8a8a"
PLAN = "#2f6fab"
LIGHTS = "#e0b020"
HVAC = "#2f6fab"
AUX = "#8a8a8a"
WITH_CO2 = "#2f6fab"
WITHOUT_CO2 = "#d9822b"
GUIDE = "#a12a1a"


class _Chart(pg.PlotWidget):
    def __init__(self, accessible_name: str, parent=None, legend_offset: tuple[int, int] = (10, 5)):
        super().__init__(parent, background="w")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAccessibleName(accessible_name)
        self.setMinimumHeight(240)
        self.setMaximumHeight(340)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.showGrid(x=True, y=True, alpha=0.2)
        for side in ("left", "bottom"):
            self.getAxis(side).setPen(pg.mkPen("#444"))
            self.getAxis(side).setTextPen(pg.mkPen("#222"))
            self.getAxis(side).enableAutoSIPrefix(False)
        self.legend = self.addLegend(offset=legend_offset, labelTextColor="#222")
        self.legend.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # the swatch before its name, as on the plot


class GrowthChart(_Chart):
    """The crop's dry weight per m2 day by day, from transplanting to the harvest weight (a dashed line): the
    starting setpoints' crop and, if `mine`, the learner's."""

    def __init__(self, mine: bool = True, parent=None):
        super().__init__(_("Growth curve: the crop's dry weight day by day"), parent, legend_offset=(-10, -10))
        self.setLabel("bottom", _("Days after transplanting"))
        self.setLabel("left", _("Dry weight of the crop (g per m²)"))
        self.harvest_line = pg.InfiniteLine(pos=HARVEST_DRY_G_M2, angle=0,
                                            pen=pg.mkPen(GUIDE, width=1, style=Qt.PenStyle.DashLine),
                                            label=_("harvest weight"),
                                            labelOpts={"position": 0.5, "color": GUIDE,
                                                       "anchors": [(0.5, 0), (0.5, 0)]})
        self.addItem(self.harvest_line)
        self.start = self.plot([], [], pen=pg.mkPen(START, width=2, style=Qt.PenStyle.DashLine),
                               name=_("Starting setpoints"))
        self.plan = self.plot([], [], pen=pg.mkPen(PLAN, width=2.5), name=_("Your setpoints")) if mine else None
        self.day_lines = [pg.InfiniteLine(angle=90, pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DotLine))
                          for colour in (START, PLAN)]
        for line in self.day_lines:
            line.setVisible(False)
            self.addItem(line)
        self.shown: dict[str, Grown | None] = {"start": None, "plan": None}
        self.setYRange(0, HARVEST_DRY_G_M2 * 1.1)

    def show_crops(self, start: Grown | None, plan: Grown | None = None) -> None:
        self.shown = {"start": start, "plan": plan}
        tips = []
        longest = 10
        for grown, item, line, title in ((start, self.start, self.day_lines[0], _("Starting setpoints")),
                                         (plan, self.plan, self.day_lines[1], _("Your setpoints"))):
            if item is None:
                continue
            if grown is None:
                item.setData([], [])
                line.setVisible(False)
                continue
            weights = grown.dry_weight()
            item.setData(np.arange(len(weights)), np.asarray(weights, dtype=float))
            days = grown.result.days_to_harvest
            line.setVisible(days is not None)
            if days is not None:
                line.setValue(days)
                tips.append(_("{crop}: the heads reach {weight} g on day {day}.").format(
                    crop=title, weight=num(grown.result.head_fw_g), day=days))
            else:
                tips.append(_("{crop}: the heads never reach the harvest weight.").format(crop=title))
            longest = max(longest, len(weights) - 1)
        self.setXRange(0, longest, padding=0.02)
        self.setToolTip("\n".join(tips))


def month_names() -> list[str]:
    from babel.dates import get_month_names

    names = get_month_names("abbreviated", locale=current_locale())
    return [names[m] for m in range(1, 13)]


class MonthChart(_Chart):
    """A year's electricity month by month, stacked: the lights, the heat pump, the fans and pumps; with the
    budget's share of each month as a line."""

    def __init__(self, parent=None):
        super().__init__(_("Electricity month by month"), parent)
        self.setLabel("left", _("kWh a month"))
        names = month_names()
        self.getAxis("bottom").setTicks([[(m, names[m]) for m in range(12)]])
        self.bars: list[pg.BarGraphItem] = []
        for colour, name in ((LIGHTS, _("Lights")), (HVAC, _("Heating and cooling")), (AUX, _("Fans and pumps"))):
            bar = pg.BarGraphItem(x=np.arange(12), height=np.zeros(12), y0=np.zeros(12), width=0.7, brush=colour,
                                  pen=pg.mkPen("#333", width=0.5), name=name)
            self.addItem(bar)  # its name puts it in the legend
            self.bars.append(bar)
        budget = np.asarray(MONTH_DAYS, dtype=float) * BUDGET_KWH / 365
        self.budget = self.plot(np.arange(13) - 0.5, budget, stepMode="center",
                                pen=pg.mkPen(GUIDE, width=2, style=Qt.PenStyle.DashLine),
                                name=_("The budget, month by month"))
        self.legend.setColumnCount(4)  # one row above the bars
        self.setXRange(-0.6, 11.6, padding=0)
        self.months: tuple | None = None

    def show_months(self, grown: Grown | None) -> None:
        self.months = None if grown is None else grown.months
        if grown is None:
            for bar in self.bars:
                bar.setOpts(height=np.zeros(12), y0=np.zeros(12))
            self.setYRange(0, BUDGET_KWH * 31 / 365 * 1.3, padding=0)
            self.setToolTip("")
            return
        base = np.zeros(12)
        for bar, values in zip(self.bars, ([m.lighting_kwh for m in grown.months], [m.hvac_kwh for m in grown.months],
                                           [m.aux_kwh for m in grown.months])):
            heights = np.asarray(values, dtype=float)
            bar.setOpts(height=heights, y0=base.copy())
            base += heights
        self.setYRange(0, max(base.max(), BUDGET_KWH * 31 / 365) * 1.3, padding=0)  # room for the legend
        names = month_names()
        self.setToolTip("\n".join(_("{month}: {total} kWh, of which the lights {lights}").format(
            month=names[i], total=num(m.total_kwh), lights=num(m.lighting_kwh)) for i, m in enumerate(grown.months)))


class SweepChart(_Chart):
    """The harvests a year of the best plan the computer's search finds for each budget, with bottled CO2 and
    without, and the vendor's 13 harvests a year as a dashed line."""

    def __init__(self, parent=None):
        super().__init__(_("Harvests a year of the best plan for each budget"), parent)
        self.setLabel("bottom", _("Electricity budget (thousand kWh a year)"))
        self.setLabel("left", _("Harvests a year"))
        self.getAxis("bottom").setTicks([[(b / 1000, num(b / 1000)) for b in SWEEP_BUDGETS]])
        self.claim = pg.InfiniteLine(pos=CLAIMED_HARVESTS, angle=0,
                                     pen=pg.mkPen(GUIDE, width=1.5, style=Qt.PenStyle.DashLine),
                                     label=_("13 harvests a year"), labelOpts={"position": 0.1, "color": GUIDE})
        self.addItem(self.claim)
        self.with_co2 = self.plot([], [], pen=pg.mkPen(WITH_CO2, width=2.5), symbol="o", symbolSize=7,
                                  symbolBrush=WITH_CO2, symbolPen=None, name=_("With bottled CO2"))
        self.without_co2 = self.plot([], [], pen=pg.mkPen(WITHOUT_CO2, width=2, style=Qt.PenStyle.DashLine),
                                     symbol="s", symbolSize=7, symbolBrush=WITHOUT_CO2, symbolPen=None,
                                     name=_("Without bottled CO2"))
        self.setXRange(min(SWEEP_BUDGETS) / 1000 - 1, max(SWEEP_BUDGETS) / 1000 + 1, padding=0)
        self.setYRange(0, 26, padding=0)
        self.series: dict[bool, tuple[float, ...]] = {}

    def show_sweeps(self, sweeps: dict[bool, dict[float, FarmResult | None]]) -> None:
        self.series = {}
        tips = []
        for co2, item, title in ((True, self.with_co2, _("With bottled CO2")),
                                 (False, self.without_co2, _("Without bottled CO2"))):
            found = sweeps.get(co2)
            if not found:
                item.setData([], [])
                item.setVisible(False)
                continue
            budgets = sorted(found)
            values = [found[b].harvests_per_year if found[b] is not None else np.nan for b in budgets]
            self.series[co2] = tuple(values)
            item.setData(np.asarray(budgets, dtype=float) / 1000, np.asarray(values, dtype=float), connect="finite")
            item.setVisible(True)
            tips.append(title + ": " + ", ".join(f"{num(b)} → {num(v, 1)}" for b, v in zip(budgets, values)
                                                 if not np.isnan(v)))
        self.setToolTip("\n".join(tips))

