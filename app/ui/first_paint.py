"""Notice the first paint of a window: used by --self-test, the start-up benchmark and the app.

Kept free of app imports so the bare-window baseline measures exactly the same way.
"""

from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer


class FirstPaint(QObject):
    """Calls `callback(wall_time)` once, after the first paint event of `widget` was handled."""

    def __init__(self, widget, callback: Callable[[float], None]):
        super().__init__(widget)
        self._callback = callback
        self._done = False
        self._widget = widget
        # Watch the whole app: the window itself may get no paint event when children cover it.
        QCoreApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if (not self._done and event.type() == QEvent.Type.Paint and watched.isWidgetType()
                and watched.window() is self._widget):
            self._done = True
            QCoreApplication.instance().removeEventFilter(self)
            # Run after this paint completes and is flushed, in the next turn of the event loop.
            QTimer.singleShot(0, lambda: self._callback(time.time()))
        return False
