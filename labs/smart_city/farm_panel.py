"""The container farm lab's work area, one tab per task: Read a crop, Tune the setpoints, Search, Judge the claim.

    panel = FarmPanel(workspace, host)   # host: run / tell / files_dir / locale (the lab screen)
    panel.changed.connect(autosave)      # after every change in any tab
    panel.grown, panel.searched          # a crop or a search is on screen (tests wait for them)

Each tab changes the FarmWorkspace on the GUI thread; growing a crop and searching run off it through `host.run`,
with progress and Cancel. A grown plan feeds the curves of task 1's chart and the numbers of "Judge the claim", so
the tabs that show it are refreshed after any change.

Preview alone:  python -m labs.smart_city.farm_panel [LOCALE]
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.core.i18n import _
from labs.panel_widgets import lab_tabs
from labs.smart_city.farm_widgets.claim_tab import ClaimTab
from labs.smart_city.farm_widgets.read_tab import ReadTab
from labs.smart_city.farm_widgets.search_tab import SearchTab
from labs.smart_city.farm_widgets.tune_tab import TuneTab
from labs.smart_city.farm_workspace import FarmWorkspace


class FarmPanel(QWidget):
    changed = Signal()
    grown = Signal()
    searched = Signal()

    def __init__(self, workspace: FarmWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self.read = ReadTab(workspace, host)
        self.tune = TuneTab(workspace, host)
        self.search = SearchTab(workspace, host)
        self.claim = ClaimTab(workspace, host)
        self.tabs = lab_tabs(self, (
            (self.read, _("1. Read a crop")),
            (self.tune, _("2. Tune the setpoints")),
            (self.search, _("3. Search")),
            (self.claim, _("4. Judge the claim")),
        ))
        for tab in (self.read, self.tune, self.search, self.claim):
            tab.changed.connect(lambda source=tab: self._part_changed(source))
        for tab in (self.read, self.tune):
            tab.grown.connect(self.grown)
        self.search.searched.connect(self.searched)

    def _part_changed(self, source: QWidget) -> None:
        # The starting crop is drawn beside the learner's in "Tune"; the learner's plan is what "Judge the claim"
        # talks about. The search depends on nothing else.
        depends = {self.read: (self.tune,), self.tune: (self.claim,), self.search: (), self.claim: ()}
        for tab in depends[source]:
            tab.refresh()
        self.changed.emit()


if __name__ == "__main__":
    from labs.preview import preview_panel

    preview_panel("labs.smart_city.farm_lab", FarmPanel)
