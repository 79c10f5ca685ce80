"""How long work reports progress and honours cancel, without knowing about Qt.

Core and lab functions take `state: TaskState` and call `set_progress` and `raise_if_cancelled`;
the UI's task runner subclasses nothing: it reads the same object from the GUI thread.
"""

from __future__ import annotations

import threading
from typing import Callable


class Cancelled(Exception):
    """Raised inside a task when the user pressed cancel; the runner reports it as cancelled."""


class TaskState:
    def __init__(self, on_progress: Callable[[float, str], None] | None = None):
        self._cancel = threading.Event()
        self._on_progress = on_progress
        self.progress = 0.0  # 0..1
        self.message = ""

    def set_progress(self, done: float, total: float = 1.0, message: str = "") -> None:
        self.progress = 0.0 if total <= 0 else max(0.0, min(1.0, done / total))
        if message:
            self.message = message
        if self._on_progress:
            self._on_progress(self.progress, self.message)

    def request_cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def part(self, start: float, end: float) -> TaskState:
        """This task seen by one of its steps: the step's progress 0..1 is this task's `start`..`end`, and a
        cancel of either is a cancel of both."""
        return _Part(self, start, end)


class _Part(TaskState):
    def __init__(self, whole: TaskState, start: float, end: float):
        super().__init__()
        self._cancel = whole._cancel
        self._whole, self._start, self._end = whole, start, end

    def set_progress(self, done: float, total: float = 1.0, message: str = "") -> None:
        super().set_progress(done, total, message)
        self._whole.set_progress(self._start + (self._end - self._start) * self.progress, 1.0, message)
