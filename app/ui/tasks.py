"""The one task runner: long work runs off the GUI thread, reports progress, honours cancel.

    runner.submit(lambda state: load_catalogue(dirs, locale, state), on_done=show, label=_("Loading"))

The function receives a Qt-free TaskState; results, errors and progress come back on the GUI
thread through queued signals. The runner owns every thread and, on shutdown, cancels and waits
for them, so no QThread is destroyed while running.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal

from app.core.tasks import Cancelled, TaskState


class _Worker(QThread):
    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, fn: Callable[[TaskState], Any], parent: QObject):
        super().__init__(parent)
        self.fn = fn
        self.state = TaskState(on_progress=lambda p, m: self.progressed.emit(p, m))

    def run(self) -> None:
        try:
            result = self.fn(self.state)
        except Cancelled:
            self.cancelled.emit()
        except BaseException as error:  # handed to on_error on the GUI thread, never lost
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


class Task(QObject):
    """A handle on one submitted task: cancel it, or watch its progress."""

    progressed = Signal(float, str)
    ended = Signal()

    def __init__(self, worker: _Worker, label: str):
        super().__init__()
        self.worker = worker
        self.label = label
        worker.progressed.connect(self.progressed)

    def cancel(self) -> None:
        self.worker.state.request_cancel()


class TaskRunner(QObject):
    started = Signal(object)  # Task
    ended = Signal(object)  # Task

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._tasks: list[Task] = []

    def submit(self, fn: Callable[[TaskState], Any], *, on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None,
               on_cancel: Callable[[], None] | None = None, label: str = "") -> Task:
        worker = _Worker(fn, self)
        task = Task(worker, label)
        if on_done:
            worker.succeeded.connect(on_done)
        if on_error:
            worker.failed.connect(on_error)
        else:
            worker.failed.connect(self._unhandled)
        if on_cancel:
            worker.cancelled.connect(on_cancel)
        worker.finished.connect(lambda: self._finish(task))
        self._tasks.append(task)
        self.started.emit(task)
        worker.start()
        return task

    def _finish(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)
        task.ended.emit()
        self.ended.emit(task)
        task.worker.deleteLater()

    @staticmethod
    def _unhandled(error: BaseException) -> None:
        raise error  # reaches sys.excepthook, which shows the crash dialog

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def shutdown(self, timeout_ms: int = 10000) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            task.worker.wait(timeout_ms)
