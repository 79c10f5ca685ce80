"""Python's cycle collector, run on the GUI thread only.

The collector runs in whichever thread happens to allocate when a generation fills up. When that is
a task-runner thread (pandas and scikit-learn allocate a lot) and the garbage holds a widget from a
screen the learner has left, Qt deletes the widget on the wrong thread; its timers stay registered
and the app crashes later, far from the cause. So automatic collection is switched off and a timer
on the GUI thread collects instead, with the same generation thresholds (the PyQt/PySide recipe).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect_if_due)
        self.timer.start(interval_ms)

    def collect_if_due(self) -> int:
        """Collect the generations whose allocation counts passed their thresholds; objects freed."""
        counts = gc.get_count()
        freed = 0
        for generation in (2, 1, 0):  # the oldest due generation collects the younger ones too
            if counts[generation] > self.thresholds[generation]:
                freed = gc.collect(generation)
                break
        return freed

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()
