"""The timer probe the lab benchmark uses to measure GUI stalls must see a real stall."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from app.ui.stall_probe import StallProbe


def test_the_probe_measures_a_blocked_event_loop(qtbot):
    probe = StallProbe(interval_ms=5)
    probe.start()
    QTimer.singleShot(30, lambda: time.sleep(0.15))  # the GUI thread blocked for 150 ms
    qtbot.wait(300)
    longest = probe.stop()
    assert probe.ticks > 5
    assert longest >= 140, longest
