"""Cyclic garbage is collected on the GUI thread, never on a task-runner thread."""

from __future__ import annotations

import gc
import threading

from app.ui.collector import GuiThreadCollector


class Cycle:
    freed_on: list[str] = []

    def __init__(self):
        self.me = self

    def __del__(self):
        Cycle.freed_on.append(threading.current_thread().name)


def test_cycles_made_and_dropped_in_a_worker_are_freed_on_the_gui_thread(qtbot):
    collector = GuiThreadCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        Cycle.freed_on.clear()

        def worker():
            for _ in range(50_000):  # far past generation 0's threshold: would trigger a collection here
                Cycle()

        thread = threading.Thread(target=worker, name="worker")
        thread.start()
        thread.join()
        assert "worker" not in Cycle.freed_on
        qtbot.waitUntil(lambda: len(Cycle.freed_on) >= 40_000, timeout=5000)
        assert set(Cycle.freed_on) == {threading.main_thread().name}
    finally:
        collector.stop()
        collector.deleteLater()
    assert gc.isenabled()
