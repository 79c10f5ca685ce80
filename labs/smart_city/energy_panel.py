"""The plant energy lab's work area, one tab per task: Forecast, Tomorrow's schedule, Measure the saving, Where it
fails.

    panel = EnergyPanel(workspace, host)   # host: run / tell / files_dir / locale (the lab screen)
    panel.changed.connect(autosave)        # after every change in any tab
    panel.fitted                           # a fitted model's errors are on screen (tests wait for it)

Each tab changes the EnergyWorkspace on the GUI thread; fitting a model runs off it through `host.run`. The model
chosen in the first tab is the one the third and fourth tabs measure savings against, so they are refreshed after
any change there.

Preview alone with the embedded readings:  python -m labs.smart_city.energy_panel [LOCALE]
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.core.i18n import _
from labs.panel_widgets import lab_tabs
from labs.smart_city.energy_widgets.failures_tab import FailuresTab
from labs.smart_city.energy_widgets.forecast_tab import ForecastTab
from labs.smart_city.energy_widgets.schedule_tab import ScheduleTab
from labs.smart_city.energy_widgets.verify_tab import VerifyTab
from labs.smart_city.energy_workspace import EnergyWorkspace


class EnergyPanel(QWidget):
    changed = Signal()
    fitted = Signal()

    def __init__(self, workspace: EnergyWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self.forecast = ForecastTab(workspace, host)
        self.schedule = ScheduleTab(workspace, host)
        self.verify = VerifyTab(workspace, host)
        self.failures = FailuresTab(workspace, host)
        self.tabs = lab_tabs(self, (
            (self.forecast, _("1. Forecast")),
            (self.schedule, _("2. Tomorrow's schedule")),
            (self.verify, _("3. Measure the saving")),
            (self.failures, _("4. Where it fails")),
        ))
        for tab in (self.forecast, self.schedule, self.verify, self.failures):
            tab.changed.connect(lambda source=tab: self._part_changed(source))
        self.forecast.fitted.connect(self.fitted)

    def _part_changed(self, source: QWidget) -> None:
        # The model is what the measurement and the placebo are about; the schedule feeds the CO2 question's
        # feedback only (read at check time), the answers nothing else.
        depends = {self.forecast: (self.verify, self.failures), self.schedule: (), self.verify: (),
                   self.failures: ()}
        for tab in depends[source]:
            tab.refresh()
        self.changed.emit()


if __name__ == "__main__":
    from labs.preview import preview_panel

    preview_panel("labs.smart_city.energy_lab", EnergyPanel)
