"""The automation lab's work area, in four tabs: Decision table, Routing, Letters, Hours saved.

    panel = AutomationPanel(workspace, host)   # host: run / tell / files_dir / locale (the lab screen)
    panel.changed.connect(autosave)            # after every change in any tab

Each tab changes only its own part of the AutomationWorkspace, on the GUI thread, and runs long work
through `host.run`. The Hours saved tab starts from what the other tabs measured, so it is refreshed
whenever they change.

Preview alone with the embedded data:  python -m labs.automation.panel [LOCALE]
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.core.i18n import _
from labs.automation.decisions_tab import DecisionsTab
from labs.automation.engine.workspace import AutomationWorkspace
from labs.automation.letters_tab import LettersTab
from labs.automation.routing_tab import RoutingTab
from labs.automation.savings_tab import SavingsTab
from labs.panel_widgets import scrolling


class AutomationPanel(QWidget):
    changed = Signal()

    def __init__(self, workspace: AutomationWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        from labs.automation.paperwork import GUIDANCE  # the lab's text (Qt-free, already imported by the lab)

        self.workspace, self.host = workspace, host
        self.decisions = DecisionsTab(workspace.decisions, host, GUIDANCE)
        self.routing = RoutingTab(workspace.routing, host)
        self.letters = LettersTab(workspace.letters, host)
        self.savings = SavingsTab(workspace, host)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(_("Parts of the lab"))
        self.tabs.addTab(self.decisions, _("Decision table"))
        self.tabs.addTab(scrolling(self.routing), _("Routing"))  # on a small screen: scroll, never squash
        self.tabs.addTab(scrolling(self.letters), _("Letters"))
        self.tabs.addTab(self.savings, _("Hours saved"))
        for tab in (self.decisions, self.routing, self.letters):
            tab.changed.connect(self._part_changed)
        self.savings.changed.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _part_changed(self) -> None:
        self.savings.refresh()  # its measured shares come from the other parts
        self.changed.emit()


if __name__ == "__main__":
    from labs.preview import preview_panel

    preview_panel("labs.automation.paperwork", AutomationPanel)
