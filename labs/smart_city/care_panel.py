"""The care lab's work area, one tab per task: The robot's rules, Learn each routine, Where it fails, Data and who
sees it.

    panel = CarePanel(workspace, host)   # host: run / tell / files_dir / locale (the lab screen)
    panel.changed.connect(autosave)      # after every change in any tab

Each tab changes the CareWorkspace on the GUI thread; running the robot, learning, re-learning and testing on cut-down
data run off it through `host.run`. A tab's change can change what the others show (the learned alarm's calls on
the day charts, the failures of the alarm just tested), so every other tab is refreshed after any change.

Preview alone with the embedded data:  python -m labs.smart_city.care_panel [LOCALE]
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.core.i18n import _
from labs.panel_widgets import lab_tabs
from labs.smart_city.care_widgets.failures_tab import FailuresTab
from labs.smart_city.care_widgets.learn_tab import LearnTab
from labs.smart_city.care_widgets.privacy_tab import PrivacyTab
from labs.smart_city.care_widgets.robot_tab import RobotTab
from labs.smart_city.care_workspace import CareWorkspace


class CarePanel(QWidget):
    changed = Signal()
    ran = Signal()  # any long work's results are on screen (tests wait for it)

    def __init__(self, workspace: CareWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self.robot = RobotTab(workspace, host)
        self.learn = LearnTab(workspace, host)
        self.failures = FailuresTab(workspace, host)
        self.privacy = PrivacyTab(workspace, host)
        self.tabs = lab_tabs(self, (
            (self.robot, _("1. The robot's rules")),
            (self.learn, _("2. Learn each routine")),
            (self.failures, _("3. Where it fails")),
            (self.privacy, _("4. Data and who sees it")),
        ))
        self.parts = (self.robot, self.learn, self.failures, self.privacy)
        for tab in self.parts:
            tab.changed.connect(lambda source=tab: self._part_changed(source))
        for signal in (self.robot.ran, self.learn.learned, self.failures.relearned, self.privacy.measured):
            signal.connect(self.ran)

    def _part_changed(self, source: QWidget) -> None:
        for tab in self.parts:
            if tab is not source:
                tab.refresh()
        self.changed.emit()


if __name__ == "__main__":
    from labs.preview import preview_panel

    preview_panel("labs.smart_city.care_lab", CarePanel)
