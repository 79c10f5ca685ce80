"""The adaptive traffic signals lab's work area, one tab per task: Forecast, Fixed plan, Simulate the day, Where it
fails.

    panel = TrafficPanel(workspace, host)   # host: run / tell / files_dir / locale (the lab screen)
    panel.changed.connect(autosave)         # after every change in any tab
    panel.simulated                         # a simulated day is on the maps (benchmarks and tests wait for it)

Each tab changes the TrafficWorkspace on the GUI thread; simulating the day runs off it through `host.run`. A
change to the forecast or the fixed plan drops the simulated day, so every tab is refreshed after any change.

Preview alone with the embedded counts:  python -m labs.smart_city.traffic_panel [LOCALE]
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.core.i18n import _
from labs.smart_city.traffic_widgets.day_tab import DayTab
from labs.smart_city.traffic_widgets.failures_tab import FailuresTab
from labs.smart_city.traffic_widgets.fixed_tab import FixedTab
from labs.smart_city.traffic_widgets.forecast_tab import ForecastTab
from labs.panel_widgets import lab_tabs
from labs.smart_city.traffic_workspace import AFTER_HOLIDAY, TIMED_ON_LAST_WEEK, TrafficWorkspace


class TrafficPanel(QWidget):
    changed = Signal()
    simulated = Signal()

    def __init__(self, workspace: TrafficWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self.forecast = ForecastTab(workspace, host)
        self.fixed = FixedTab(workspace, host)
        self.day = DayTab(workspace, host)
        self.failures = FailuresTab(workspace, host)
        self.tabs = lab_tabs(self, (
            (self.forecast, _("1. Forecast")),
            (self.fixed, _("2. Fixed plan")),
            (self.day, _("3. Simulate the day")),
            (self.failures, _("4. Where it fails")),
        ))
        for tab in (self.forecast, self.fixed, self.day, self.failures):
            tab.changed.connect(lambda source=tab: self._part_changed(source))
        self.day.simulated.connect(self.simulated)
        self.failures.try_holiday.connect(self.try_holiday)

    def _part_changed(self, source: QWidget) -> None:
        # A changed forecast or plan drops the simulated day; the forecast's chart shows the day simulated; the
        # failures tab lists what the last simulation found. The fixed plan depends on nothing else.
        depends = {self.forecast: (self.day, self.failures), self.fixed: (self.day, self.failures),
                   self.day: (self.forecast, self.failures), self.failures: ()}
        for tab in depends[source]:
            tab.refresh()
        self.changed.emit()

    def try_holiday(self) -> None:
        """The shortcut of "Where it fails": the Monday after the holiday week, timed on last week's counts."""
        self.tabs.setCurrentIndex(2)
        self.day.choose(AFTER_HOLIDAY, TIMED_ON_LAST_WEEK)
        self.day.simulate()


if __name__ == "__main__":
    from labs.preview import preview_panel

    preview_panel("labs.smart_city.traffic_lab", TrafficPanel)
