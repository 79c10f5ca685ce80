"""UI tests: a test that leaves top-level widgets open fails (napari's habit)."""

from __future__ import annotations

import gc

import pytest


@pytest.fixture(autouse=True)
def no_leaked_widgets(qapp):
    before = {id(w) for w in qapp.topLevelWidgets()}
    yield
    qapp.processEvents()
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    left = [w for w in qapp.topLevelWidgets() if id(w) not in before and w.isVisible()]
    for widget in left:
        widget.close()
    # Collect the test's cyclic garbage (panels, models and their closures) here, on the GUI thread. Left
    # to chance, the collector may run on the next test's worker thread and delete widgets there, which
    # leaves Qt with timers of deleted widgets: a segfault much later.
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not left, f"widgets left open: {[type(w).__name__ for w in left]}"
