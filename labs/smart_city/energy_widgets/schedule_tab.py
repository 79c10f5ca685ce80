"""Task 2, "Tomorrow's schedule": a grid of the day's 24 hours (KEPCO's price, the crews on shift, a box per line
and hour to run a batch, the load it gives), the plan's kWh, won, CO2 and highest hour beside today's plan and the
engine's cheapest plan, the limits it breaks in words, and tomorrow's load by hour. Every number follows each tick
at once (pricing a plan takes microseconds; the optimiser ran when the lab opened).

The grid is a timeline, like the chart below it: its hours run left to right in every language.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from app.core.i18n import _, ngettext
from app.ui.widgets import button
from labs.panel_widgets import bold, table
from labs.smart_city.energy.schedule import COST
from labs.smart_city.energy.tariff import LIGHT, MID, PEAK, period
from labs.smart_city.energy_lab import (LINE_LABELS, MONTH_NAME, PERIOD_NAMES, RATES_NOTE, change_text, decimal,
                                        hour_text, problems)
from labs.smart_city.energy_widgets.charts import LoadChart
from labs.smart_city.energy_widgets.common import (OVER_LIMIT, PERIOD_COLOURS, RUNNING_BACKGROUND, cell, error_label,
                                                   fit_height, value_columns, wrapping)
from labs.smart_city.energy_workspace import LINES, EnergyWorkspace, peak_batches

PRICE_ROW, CREW_ROW, LOAD_ROW = 0, 1, 4
LINE_ROWS = {line: row for row, line in enumerate(LINES, start=2)}
COLUMN_WIDTH = 29


class ScheduleTab(QWidget):
    changed = Signal()

    def __init__(self, workspace: EnergyWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        plant, month = workspace.plant, workspace.month
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("Tomorrow is a working weekday in {month}, under KEPCO's winter tariff. The mill "
                                    "rolls 8 batches of coils a day at {mill} kW and the finishing line works 4 of "
                                    "them at {finishing} kW; a line that has gone cold draws extra energy to warm "
                                    "up. Tick the hours in which each line runs: the crews on shift, the {limit} kW "
                                    "maximum load and the coil flow must hold.").format(
            month=_(MONTH_NAME), mill=decimal(plant.line("mill").power_kw),
            finishing=decimal(plant.line("finishing").power_kw), limit=decimal(plant.max_load_kw))))
        legend = QHBoxLayout()
        prices = self.workspace.tariff.hourly_prices(month)
        for name in (LIGHT, MID, PEAK):
            price = next(p for h, p in enumerate(prices) if period(month, h) == name)
            # TRANSLATORS: a swatch of the schedule's legend, e.g. "peak load: 166.7 won per kWh".
            swatch = QLabel(_("{period}: {price} won per kWh").format(period=_(PERIOD_NAMES[name]),
                                                                      price=decimal(price, 1)))
            swatch.setStyleSheet(f"background: {PERIOD_COLOURS[name].name()}; color: #111; padding: 2px 6px; "
                                 "border: 1px solid #888;")
            swatch.setAccessibleName(swatch.text())
            legend.addWidget(swatch)
        legend.addStretch(1)
        layout.addLayout(legend)

        self.grid = QTableWidget(5, 24)
        self.grid.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a timeline, like the chart
        self.grid.setAccessibleName(_("Tomorrow's schedule, hour by hour"))
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setHorizontalHeaderLabels([f"{h:02d}" for h in range(24)])
        self.grid.setVerticalHeaderLabels([
            # TRANSLATORS: a row heading of the schedule grid: the price of each hour (short).
            _("Won/kWh"),
            # TRANSLATORS: a row heading of the schedule grid: how many lines the crews on shift can run (short).
            _("Crews"),
            _(LINE_LABELS["mill"]), _(LINE_LABELS["finishing"]),
            # TRANSLATORS: a row heading of the schedule grid: the plant's load in each hour (short).
            _("Load kW")])
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(20)
        header.setDefaultSectionSize(COLUMN_WIDTH)
        header.setAccessibleName(_("{table}: column headings").format(table=self.grid.accessibleName()))
        self.grid.verticalHeader().setAccessibleName(_("{table}: row headings").format(
            table=self.grid.accessibleName()))
        small = QFont(self.grid.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        for hour in range(24):
            price = prices[hour]
            item = QTableWidgetItem(f"{price:.0f}")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setBackground(PERIOD_COLOURS[period(month, hour)])
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setFont(small)
            tip = _("{hour}: {period}, {price} won per kWh").format(
                hour=hour_text(hour), period=_(PERIOD_NAMES[period(month, hour)]), price=decimal(price, 1))
            item.setToolTip(tip)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, tip)
            self.grid.setItem(PRICE_ROW, hour, item)
            crews = QTableWidgetItem(str(plant.crews[hour]))
            crews.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            crews.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            crews_tip = ngettext("{hour}: crews for {n} line", "{hour}: crews for {n} lines",
                                 plant.crews[hour]).format(hour=hour_text(hour), n=plant.crews[hour])
            crews.setToolTip(crews_tip)
            crews.setData(Qt.ItemDataRole.AccessibleTextRole, crews_tip)
            self.grid.setItem(CREW_ROW, hour, crews)
            for line, row in LINE_ROWS.items():
                box = QTableWidgetItem()
                box.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
                box.setCheckState(Qt.CheckState.Unchecked)
                self.grid.setItem(row, hour, box)
            load = QTableWidgetItem()
            load.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            load.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            load.setFont(small)
            self.grid.setItem(LOAD_ROW, hour, load)
        self.grid.setCornerButtonEnabled(False)
        for corner in self.grid.findChildren(QAbstractButton):  # the empty corner between the headings
            corner.setAccessibleName(_("Hours and lines of the schedule"))
        self.grid.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.grid.setMinimumWidth(self.grid.verticalHeader().sizeHint().width() + 24 * 20 + 4)
        self.grid.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.grid.itemChanged.connect(self._item_changed)
        layout.addWidget(self.grid)

        row = QHBoxLayout()
        self.reset_button = button(_("Back to today's plan"), self.reset)
        row.addWidget(self.reset_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.change_label = bold(wrapping())
        self.change_label.setAccessibleName(_("Your plan against today's"))
        layout.addWidget(self.change_label)
        self.problems_label = error_label()
        self.problems_label.setAccessibleName(_("Limits your plan breaks"))
        layout.addWidget(self.problems_label)
        self.summary = table(("", _("Today's plan"), _("Your plan"), _("The optimiser's cheapest plan")),
                             _("Tomorrow's energy, bill and limits, three plans"))
        value_columns(self.summary)
        self.summary.setRowCount(6)
        for index, title in enumerate((_("Energy (kWh)"), _("Energy bill (won)"), _("CO2 (tonnes)"),
                                       _("Highest hour (kW)"),
                                       # TRANSLATORS: row heading: how many batch-hours of both lines fall in
                                       # KEPCO's peak hours.
                                       _("Batch-hours in peak hours"), _("Limits broken"))):
            self.summary.setItem(index, 0, cell(title))
        layout.addWidget(self.summary)
        self.chart = LoadChart(month, plant.max_load_kw)
        layout.addWidget(self.chart, 1)
        layout.addWidget(wrapping(_(RATES_NOTE)))
        self.refresh()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """24 columns sharing the grid's width, so that the whole day shows without scrolling sideways."""
        grid = self.grid
        free = grid.width() - grid.verticalHeader().width() - 2 * grid.frameWidth()
        size = max(20, min(40, free // 24))
        header = grid.horizontalHeader()
        if header.defaultSectionSize() != size:
            header.setDefaultSectionSize(size)
            for column in range(24):
                header.resizeSection(column, size)

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            mine, today, best = workspace.evaluation(), workspace.today(), workspace.best(COST)
            for line, row in LINE_ROWS.items():
                for hour in range(24):
                    runs = hour in workspace.plan.hours(line)
                    box = self.grid.item(row, hour)
                    box.setCheckState(Qt.CheckState.Checked if runs else Qt.CheckState.Unchecked)
                    box.setBackground(RUNNING_BACKGROUND[line] if runs else self.grid.palette().base())
                    text = (_("{line} at {hour}: runs a batch") if runs else _("{line} at {hour}: idle")).format(
                        line=_(LINE_LABELS[line]), hour=hour_text(hour))
                    box.setData(Qt.ItemDataRole.AccessibleTextRole, text)
                    box.setToolTip(text)
            for hour, load in enumerate(mine.load_kw):
                item = self.grid.item(LOAD_ROW, hour)
                item.setText(f"{load:.0f}")
                over = load > workspace.plant.max_load_kw + 1e-9
                item.setBackground(OVER_LIMIT if over else self.grid.palette().base())
                text = _("{hour}: {load} kW").format(hour=hour_text(hour), load=decimal(load))
                if over:
                    text = _("{hour}: {load} kW, above the maximum load").format(hour=hour_text(hour),
                                                                                  load=decimal(load))
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            self.grid.resizeRowsToContents()
            self.grid.setFixedHeight(self.grid.horizontalHeader().height()
                                     + sum(self.grid.rowHeight(r) for r in range(self.grid.rowCount()))
                                     + 2 * self.grid.frameWidth() + (self.grid.horizontalScrollBar().sizeHint().height()
                                                                     if self.grid.horizontalScrollBar().isVisible()
                                                                     else 0))
            self.reset_button.setEnabled(not workspace.is_today())
            self.change_label.setText(_("Compared with today's plan, your bill is {bill} and your kWh {kwh}.").format(
                bill=change_text(today.cost_won, mine.cost_won), kwh=change_text(today.kwh, mine.kwh)))
            found = problems(workspace, mine)
            self.problems_label.setText("\n".join(found))
            self.problems_label.setVisible(bool(found))
            for column, result in enumerate((today, mine, best), start=1):
                broken = len(problems(workspace, result))
                texts = (decimal(result.kwh), decimal(result.cost_won), decimal(result.co2_t, 2),
                         decimal(result.peak_kw), str(peak_batches(result.plan, workspace.month)),
                         # TRANSLATORS: in the "Limits broken" row when a plan breaks no limit.
                         str(broken) if broken else _("none"))
                for row, text in enumerate(texts):
                    self.summary.setItem(row, column, cell(text, True))
            fit_height(self.summary)
            self.chart.show_loads(today.load_kw, mine.load_kw)
        finally:
            self._updating = False

    # --- editing ----------------------------------------------------------------------------------------------------

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._updating:
            return
        line = next((k for k, row in LINE_ROWS.items() if row == item.row()), None)
        if line is None:
            return
        runs = item.checkState() == Qt.CheckState.Checked
        if (item.column() in self.workspace.plan.hours(line)) == runs:
            return
        self.workspace.set_batch(line, item.column(), runs)
        self.refresh()
        self.changed.emit()

    def toggle(self, line: str, hour: int) -> None:
        """Tick or untick a line's hour through the grid, as the learner does (for tests and previews)."""
        box = self.grid.item(LINE_ROWS[line], hour)
        box.setCheckState(Qt.CheckState.Unchecked if box.checkState() == Qt.CheckState.Checked
                          else Qt.CheckState.Checked)

    def set_plan(self, mill, finishing) -> None:
        """Tick exactly these hours, box by box (for tests and previews)."""
        for line, hours in (("mill", set(mill)), ("finishing", set(finishing))):
            for hour in range(24):
                if (hour in hours) != (hour in self.workspace.plan.hours(line)):
                    self.toggle(line, hour)

    def reset(self) -> None:
        self.workspace.reset_plan()
        self.refresh()
        self.changed.emit()
