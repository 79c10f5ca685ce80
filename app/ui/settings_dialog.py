"""Settings: language and text size, changed at any time without losing the learner's place.

The dialog only collects choices; the main window applies them (and rebuilds the current screen),
so the same code path serves the header buttons, the keyboard shortcuts and this dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core import formatting
from app.core.i18n import _
from app.core.settings import TEXT_SIZES
from app.ui.widgets import language_list, text


class SettingsDialog(QDialog):
    def __init__(self, locale: str, text_scale: float, data_dir: Path, parent: QWidget | None = None,
                 account_name: str = ""):
        super().__init__(parent)
        self.password_requested = False  # closed with "Change my password…": the window opens that screen
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        language_label = text(_("Language"))
        layout.addWidget(language_label)
        self.languages = language_list(locale)
        language_label.setBuddy(self.languages)
        layout.addWidget(self.languages)

        size_label = text(_("Text size"))
        layout.addWidget(size_label)
        self.sizes = QComboBox()
        self.sizes.setAccessibleName(_("Text size"))
        for scale in TEXT_SIZES:
            self.sizes.addItem(formatting.percent(scale * 100), scale)
        self.sizes.setCurrentIndex(TEXT_SIZES.index(text_scale) if text_scale in TEXT_SIZES else 1)
        size_label.setBuddy(self.sizes)
        layout.addWidget(self.sizes)

        layout.addWidget(text(_("Your progress is kept on this computer, in this folder:"), muted=True))
        where = QLabel(str(data_dir))
        where.setAccessibleName(_("Data folder"))
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a path reads left to right everywhere
        layout.addWidget(where)

        if account_name:  # signed in with a password: changing it is one click from here
            layout.addWidget(text(_("Signed in as {name}.").format(name=account_name), muted=True))
            self.password_button = QPushButton(_("Change my password…"))
            self.password_button.setAccessibleName(_("Change my password"))
            self.password_button.clicked.connect(self._change_password)
            layout.addWidget(self.password_button, 0, Qt.AlignmentFlag.AlignLeading)

        buttons = QDialogButtonBox()
        # Our own words, not Qt's standard ones: Qt has no translation for Khmer, Uzbek and others.
        ok = buttons.addButton(_("Apply"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _change_password(self) -> None:
        self.password_requested = True
        self.reject()

    def chosen_locale(self) -> str | None:
        item = self.languages.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def chosen_text_scale(self) -> float:
        return float(self.sizes.currentData())
