"""A lab: the task list with instructions and "Check my work" on one side, the lab family's panel
(the work area) and the equivalent code on the other.

The screen owns the autosave: after every change the panel reports, the workspace's snapshot is
written to the learning record's database in one transaction, so the work resumes exactly, even
after a crash. Opening the lab (importing pandas, loading data, replaying the saved work) runs on
the one task runner with progress and cancel.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any, Callable, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QProgressBar,
                               QSplitter, QTabWidget, QVBoxLayout, QWidget)

from app.core.course.model import Course, Item
from app.core.i18n import _, current_locale, ngettext
from app.core.tasks import TaskState
from app.ui import dialogs
from app.ui.widgets import button, heading, marked, scaled_font, text

log = logging.getLogger(__name__)
DONE_MARK = "✓"


class LabActions(Protocol):
    """What the lab screen needs from the main window: the runner, recording and the autosave store."""

    runner: Any

    def open_lab(self, course: Course, item: Item) -> Any: ...
    def check_lab_task(self, course: Course, item: Item, task_id: str, title: str, passed: bool,
                       feedback: str) -> Any: ...
    def complete_lab(self, course: Course, item: Item) -> Any: ...
    def lab_tasks_passed(self, course: Course, item: Item) -> frozenset[str]: ...
    def load_lab_work(self, course: Course, item: Item) -> Any: ...
    def save_lab_work(self, course: Course, item: Item, lab_id: str, snapshot: dict) -> Any: ...
    def lab_files_dir(self) -> Path: ...
    def lesson_links(self) -> list[tuple[str, str]]: ...
    def open_item(self, course_id: str, item_id: str, position: float = 0.0) -> None: ...


def _open_lab(lab_id: str, saved: dict | None, files: Path, state: TaskState):
    """Off the GUI thread: import the lab (pandas, scikit-learn…), load its data, replay saved work."""
    from labs.registry import load_lab

    state.set_progress(0, 1, _("Opening the lab…"))
    definition = load_lab(lab_id)
    workspace = definition.open(saved, state, files)
    module, _sep, cls = definition.panel.partition(":")
    importlib.import_module(module)  # the panel's imports (pyqtgraph…) too, off the GUI thread
    return definition, workspace


class LabScreen(QWidget):
    finished = Signal(str)  # the learner pressed "Continue" after the last task

    def __init__(self, course: Course, item: Item, actions: LabActions, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Page")
        self.course, self.item, self.actions = course, item, actions
        self.definition = None
        self.workspace = None
        self.panel: QWidget | None = None
        self.current_task = 0
        self.passed: set[str] = set()
        self._tasks: list = []  # tasks this screen submitted, cancelled when it closes
        self._alive = True
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 12, 16, 12)
        self._show_opening()

    # -- opening --------------------------------------------------------------------------------
    def _clear(self) -> None:
        while self.layout_.count():
            child = self.layout_.takeAt(0)
            if child.widget():
                child.widget().deleteLater()

    def _show_opening(self, fresh: bool = False) -> None:
        self._clear()
        self.layout_.addWidget(heading(marked(self.item.title)))
        self.status = text(_("Opening the lab…"))
        self.layout_.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName(_("Opening the lab"))
        self.layout_.addWidget(self.progress)
        self.cancel_button = button(_("Cancel"), self._cancel_opening)
        row = QHBoxLayout()
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.layout_.addStretch(1)
        saved = None
        if not fresh:
            record = self.actions.load_lab_work(self.course, self.item)
            saved = record.snapshot if record else None
        self.resumed = saved is not None
        files = self.actions.lab_files_dir()
        self.opening = self.run(lambda state: _open_lab(self.item.target, saved, files, state), self._opened,
                                _("Opening the lab…"), on_error=self._open_failed, on_cancel=self._open_cancelled)
        if self.opening is not None:
            self.opening.progressed.connect(lambda p, _m: self._alive and self.progress.setValue(int(p * 100)))

    def _cancel_opening(self) -> None:
        if self.opening is not None:
            self.opening.cancel()

    def _open_cancelled(self) -> None:
        self.status.setText(_("Opening the lab was cancelled."))
        self._offer_retry()

    def _open_failed(self, error: BaseException) -> None:
        if isinstance(error, KeyError):
            message = _("This lab ({lab}) is not part of this version of the app. Ask your trainer for an "
                        "updated installation.").format(lab=self.item.target)
        elif self.resumed:
            message = _("Your saved work in this lab could not be restored: {reason}\n\nYou can start the lab "
                        "again; your saved work is replaced only when you change something.").format(reason=error)
        else:
            message = _("The lab could not be opened: {reason}").format(reason=error)
        log.warning("lab %s did not open: %r", self.item.target, error)
        self.status.setText(message)
        self._offer_retry(fresh=self.resumed and not isinstance(error, KeyError))

    def _offer_retry(self, fresh: bool = False) -> None:
        self.progress.hide()
        self.cancel_button.setText(_("Start the lab again") if fresh else _("Try again"))
        self.cancel_button.clicked.disconnect()
        self.cancel_button.clicked.connect(lambda: self._show_opening(fresh=fresh))

    def _opened(self, result) -> None:
        self.definition, self.workspace = result
        self.passed = set(self.actions.lab_tasks_passed(self.course, self.item))
        self.actions.open_lab(self.course, self.item)  # on failure the main window tells the learner
        self._build()

    # -- the lab --------------------------------------------------------------------------------
    def _build(self) -> None:
        self._clear()
        definition = self.definition
        top = QHBoxLayout()
        top.addWidget(heading(marked(self.item.title), level=2), 1)
        self.summary_label = text(_(definition.summary), muted=True)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.summary_label)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self._task_side())
        self.tabs = QTabWidget()
        module, _sep, cls = definition.panel.partition(":")
        panel_class = getattr(importlib.import_module(module), cls)
        self.panel = panel_class(self.workspace, self)
        self.panel.changed.connect(self._changed)
        self.tabs.addTab(self.panel, _("Work"))
        self.code_view = QPlainTextEdit()
        self.code_view.setReadOnly(True)
        self.code_view.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # code reads left to right
        self.code_view.setFont(QFont(["Noto Sans Mono", "monospace"], self.font().pointSize()))
        self.code_view.setAccessibleName(_("The equivalent Python code"))
        code_page = QWidget()
        code_layout = QVBoxLayout(code_page)
        code_layout.addWidget(text(_("This is the pandas and scikit-learn code that does what you did. You can "
                                     "run it in Python to repeat your work outside this app."), muted=True))
        code_layout.addWidget(self.code_view, 1)
        row = QHBoxLayout()
        row.addWidget(button(_("Copy the code"), self._copy_code))
        row.addStretch(1)
        code_layout.addLayout(row)
        self.tabs.addTab(code_page, _("Code"))
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        self.layout_.addWidget(split, 1)
        first_open = next((i for i, t in enumerate(definition.tasks) if t.id not in self.passed), 0)
        self._refresh_code()
        self.task_list.setCurrentRow(first_open)
        if self.resumed:
            self.status_line.setText(_("Your saved work was restored."))

    def _task_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(text(_("Tasks"), muted=True))
        self.task_list = QListWidget()
        self.task_list.setAccessibleName(_("Tasks of this lab"))
        self.task_list.setWordWrap(True)  # long task titles wrap instead of scrolling sideways
        self.task_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.task_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.task_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        for task in self.definition.tasks:
            self.task_list.addItem(QListWidgetItem(""))
        self._refresh_task_list()
        self.task_list.currentRowChanged.connect(self._select_task)
        layout.addWidget(self.task_list, 1)
        self.task_title = QLabel()
        self.task_title.setWordWrap(True)
        self.task_title.setFont(scaled_font(self.task_title, 1.15, bold=True))
        layout.addWidget(self.task_title)
        self.instructions = text("")
        self.instructions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.instructions)
        self.hint_label = text("", muted=True)
        self.hint_label.hide()
        layout.addWidget(self.hint_label)
        row = QHBoxLayout()
        self.check_button = button(_("Check my work"), self.check_current, primary=True)
        self.hint_button = button(_("Show a hint"), self._show_hint)
        row.addWidget(self.check_button)
        row.addWidget(self.hint_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.feedback = text("")
        self.feedback.setObjectName("Feedback")
        self.feedback.hide()
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.feedback)
        self.status_line = text("", muted=True)
        layout.addWidget(self.status_line)
        self.continue_button = button(_("Continue the course"), lambda: self.finished.emit(self.item.id),
                                      primary=True)
        self.continue_button.setVisible(self._all_passed())
        layout.addWidget(self.continue_button)
        return side

    def _refresh_task_list(self) -> None:
        for index, task in enumerate(self.definition.tasks):
            row = self.task_list.item(index)
            done = task.id in self.passed
            label = _("{n}. {title}").format(n=index + 1, title=_(task.title))
            row.setText(f"{DONE_MARK} {label}" if done else label)
            row.setData(Qt.ItemDataRole.AccessibleTextRole,
                        _("{task}, done").format(task=label) if done else label)

    def _select_task(self, index: int) -> None:
        if index < 0:
            return
        self.current_task = index
        task = self.definition.tasks[index]
        self.task_title.setText(_(task.title))
        self.instructions.setText(_(task.instructions))
        self.hint_label.setText(_(task.hint) if task.hint else "")
        self.hint_label.hide()
        self.hint_button.setVisible(bool(task.hint))
        self._show_feedback(_("Done: you passed this task.") if task.id in self.passed else "", task.id in self.passed)

    def _show_feedback(self, message: str, passed: bool) -> None:
        self.feedback.setText(message)
        self.feedback.setAccessibleName(message)
        self.feedback.setVisible(bool(message))
        self.feedback.setProperty("passed", passed)
        self.feedback.style().unpolish(self.feedback)  # re-read the style sheet for the new state
        self.feedback.style().polish(self.feedback)

    def _show_hint(self) -> None:
        self.hint_label.setVisible(bool(self.hint_label.text()))

    def _all_passed(self) -> bool:
        return all(t.id in self.passed for t in self.definition.tasks)

    def check_current(self) -> None:
        from labs.framework import run_check

        task = self.definition.tasks[self.current_task]
        feedback = run_check(task, self.workspace)
        self._show_feedback(feedback.message, feedback.passed)
        self.actions.check_lab_task(self.course, self.item, task.id, _(task.title), feedback.passed, feedback.message)
        if not feedback.passed:
            return
        self.passed.add(task.id)
        self._refresh_task_list()
        if self._all_passed():
            self.actions.complete_lab(self.course, self.item)
            self.status_line.setText(_("You have done every task of this lab."))
            self.continue_button.show()
            self.continue_button.setFocus()
        else:
            remaining = len([t for t in self.definition.tasks if t.id not in self.passed])
            self.status_line.setText(ngettext("{n} task left.", "{n} tasks left.", remaining).format(n=remaining))

    def next_task(self) -> None:
        following = next((i for i, t in enumerate(self.definition.tasks) if t.id not in self.passed), None)
        if following is not None:
            self.task_list.setCurrentRow(following)

    # -- autosave and code ----------------------------------------------------------------------
    def _changed(self) -> None:
        snapshot = self.workspace.snapshot()
        self.actions.save_lab_work(self.course, self.item, self.definition.id, snapshot)
        self._refresh_code()

    def _refresh_code(self) -> None:
        try:
            code = self.workspace.code()
        except Exception as error:  # noqa: BLE001 - the code view must never break the lab
            log.exception("code view")
            code = f"# {error}"
        self.code_view.setPlainText(code)

    def _copy_code(self) -> None:
        QGuiApplication.clipboard().setText(self.code_view.toPlainText())
        self.status_line.setText(_("The code is on the clipboard."))

    # -- the host a panel talks to -------------------------------------------------------------
    @property
    def files_dir(self) -> Path:
        return self.actions.lab_files_dir()

    @property
    def locale(self) -> str:
        return current_locale()

    def tell(self, title: str, message: str) -> None:
        dialogs.tell(self, title, message)

    def lessons(self) -> list[tuple[str, str]]:
        """Every lesson the learner can open, as ("course_id/item_id", "Course: Lesson"), for panels
        that link to lessons (a chatbot's answers)."""
        return self.actions.lesson_links()

    def open_lesson(self, target: str) -> bool:
        """Leave the lab (its work is saved) for the lesson `course_id/item_id`; False if there is none."""
        if target not in dict(self.lessons()):
            return False
        course_id, item_id = target.split("/", 1)
        self.actions.open_item(course_id, item_id)
        return True

    def run(self, fn: Callable[[TaskState], Any], on_done: Callable[[Any], None], label: str,
            on_error: Callable[[BaseException], None] | None = None, on_cancel: Callable[[], None] | None = None):
        """Long work off the GUI thread, with the status bar's progress and Cancel; results come back
        only while this screen is still shown."""
        def alive(callback):
            return lambda *args: callback(*args) if self._alive else None

        def default_error(error: BaseException) -> None:
            log.warning("lab task failed: %r", error)
            self.tell(_("That did not work"), str(error))

        task = self.actions.runner.submit(fn, on_done=alive(on_done), on_error=alive(on_error or default_error),
                                          on_cancel=alive(on_cancel or (lambda: None)), label=label)
        self._tasks.append(task)
        task.ended.connect(lambda: task in self._tasks and self._tasks.remove(task))
        return task

    def leaving(self) -> None:
        """The main window is replacing this screen: cancel its work and drop late results."""
        self._alive = False
        for task in list(self._tasks):
            task.cancel()

    def focus_first(self) -> None:
        if self.definition is not None:
            self.check_button.setFocus()
        else:
            self.cancel_button.setFocus()

    def position(self) -> float:
        return 0.0
