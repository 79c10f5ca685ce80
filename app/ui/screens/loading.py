"""Shown from the first paint until the database and courses are ready, with progress and cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QProgressBar

from app.core.i18n import _
from app.ui.screens.page import Page
from app.ui.widgets import button, heading, text


class LoadingScreen(Page):
    cancel_requested = Signal()
    retry_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent, scroll=False)
        self.fresh = True  # not yet wired to a start-up task
        self.body.addStretch(1)
        self.title = heading(_("Opening your courses…"), 2)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.title)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName(_("Loading progress"))
        self.body.addWidget(self.bar)
        self.detail = text("", muted=True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.detail)
        self.cancel = button(_("Cancel"), self.cancel_requested.emit)
        self.retry = button(_("Load again"), self.retry_requested.emit, primary=True)
        self.retry.hide()
        self.body.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignCenter)
        self.body.addStretch(2)

    def set_progress(self, fraction: float, message: str) -> None:
        self.bar.setRange(0, 100)
        self.bar.setValue(int(fraction * 100))
        if message:
            self.detail.setText(message)

    def show_cancelled(self) -> None:
        self.title.setText(_("Loading was cancelled."))
        self.bar.hide()
        self.cancel.hide()
        self.retry.show()
        self.retry.setFocus()
