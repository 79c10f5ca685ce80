"""First run: the learner's name and language. Each language is shown in its own name."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QListWidgetItem

from app import APP_NAME
from app.core.i18n import _, current_locale
from app.ui.screens.page import Page
from app.ui.widgets import button, card, heading, language_list, text

MAX_NAME = 100


class ProfileScreen(Page):
    submitted = Signal(str, str)  # name, locale
    language_changed = Signal(str)

    def __init__(self, name: str = "", parent=None):
        super().__init__(parent)
        self.body.addWidget(heading(_("Welcome to {app}").format(app=APP_NAME)))
        self.body.addWidget(text(_("Learn how AI can help in your daily work, at your own pace. This app works "
                                   "without internet; your progress stays on this computer."), muted=True))
        box, layout = card()
        name_label = text(_("Your name, as it should appear on your certificates"))
        layout.addWidget(name_label)
        self.name = QLineEdit(name)
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(_("For example: Kim Min-ji"))
        self.name.setAccessibleName(_("Your name"))
        name_label.setBuddy(self.name)
        layout.addWidget(self.name)
        language_label = text(_("Language"))
        layout.addWidget(language_label)
        self.languages = language_list(current_locale())
        language_label.setBuddy(self.languages)
        layout.addWidget(self.languages)
        self.start = button(_("Start learning"), self._submit, primary=True)
        layout.addWidget(self.start, 0, Qt.AlignmentFlag.AlignRight)
        self.body.addWidget(box)
        self.body.addStretch(1)
        self.name.textChanged.connect(self._update)
        self.name.returnPressed.connect(self._submit)
        self.languages.currentItemChanged.connect(self._language_picked)
        self._update()

    def _update(self) -> None:
        self.start.setEnabled(bool(self.name.text().strip()))

    def _language_picked(self, item: QListWidgetItem | None) -> None:
        if item and item.data(Qt.ItemDataRole.UserRole) != current_locale():
            self.language_changed.emit(item.data(Qt.ItemDataRole.UserRole))

    def _submit(self) -> None:
        name = self.name.text().strip()
        if name:
            item = self.languages.currentItem()
            self.submitted.emit(name, item.data(Qt.ItemDataRole.UserRole) if item else current_locale())

    def focus_first(self) -> None:
        self.name.setFocus()
