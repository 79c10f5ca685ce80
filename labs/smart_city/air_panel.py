"""The air-quality alerts lab's work area, one tab per task: Forecast, Alert, Where it fails, Who is told.

    panel = AirPanel(workspace, host)   # host: run / tell / files_dir / locale (the lab screen)
    panel.changed.connect(autosave)     # after every change in any tab
    panel.fitted                        # a fitted forecaster is on screen (tests wait for it)

Each tab changes the AirWorkspace on the GUI thread; fitting a forecaster runs off it through `host.run`. A change
to the forecaster drops the fitted run, and the alert and the missed days follow the run and the threshold, so the
tabs after a changed one are refreshed.

Preview alone with the embedded data:  python -m labs.smart_city.air_panel [LOCALE]
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.core.i18n import _
from labs.panel_widgets import lab_tabs
from labs.smart_city.air_widgets.alert_tab import AlertTab
from labs.smart_city.air_widgets.failures_tab import FailuresTab
from labs.smart_city.air_widgets.forecast_tab import ForecastTab
from labs.smart_city.air_widgets.public_tab import PublicTab
from labs.smart_city.air_workspace import AirWorkspace


class AirPanel(QWidget):
    changed = Signal()
    fitted = Signal()

    def __init__(self, workspace: AirWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self.forecast = ForecastTab(workspace, host)
        self.alert = AlertTab(workspace, host)
        self.failures = FailuresTab(workspace, host)
        self.public = PublicTab(workspace, host)
        self.tabs = lab_tabs(self, (
            (self.forecast, _("1. Forecast")),
            # TRANSLATORS: a tab of the air-quality lab where the learner sets the alert threshold.
            (self.alert, _("2. Alert")),
            (self.failures, _("3. Where it fails")),
            (self.public, _("4. Who is told")),
        ))
        for tab in (self.forecast, self.alert, self.failures, self.public):
            tab.changed.connect(lambda source=tab: self._part_changed(source))
        self.forecast.fitted.connect(self.fitted)

    def _part_changed(self, source: QWidget) -> None:
        # A new forecaster or fit changes the alert and the missed days; a new threshold changes the missed days.
        depends = {self.forecast: (self.alert, self.failures), self.alert: (self.failures,), self.failures: (),
                   self.public: ()}
        for tab in depends[source]:
            tab.refresh()
        self.changed.emit()


if __name__ == "__main__":
    from labs.preview import preview_panel

    preview_panel("labs.smart_city.air_lab", AirPanel)
