"""Sign in with a name and password; on an installation with no administrator yet, create the first one.

The screen only collects what is typed: the window checks it through app.core.accounts (off the GUI
thread, since a password takes a fifth of a second to check) and hands back the message to show.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit

from app import APP_NAME
from app.core.accounts.passwords import MAX_LENGTH, password_problem
from app.core.accounts.store import MAX_NAME
from app.core.i18n import _
from app.ui.screens.page import Page
from app.ui.widgets import button, card, heading, text


def password_field(accessible: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(MAX_LENGTH)
    field.setAccessibleName(accessible)
    return field


def message_label() -> QLabel:
    """Where a refusal is said; its accessible name follows the text, so a screen reader reads it."""
    label = QLabel("")
    label.setObjectName("Error")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("color: #a3261b; font-weight: 600;")
    label.hide()
    return label


def say(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setAccessibleName(message)
    label.setVisible(bool(message))


class SignInScreen(Page):
    submitted = Signal(str, str)  # name, password
    first_admin_requested = Signal(str, str)  # name, password
    cancelled = Signal()

    def __init__(self, name: str = "", *, first_run: bool = False, can_cancel: bool = False, parent=None):
        super().__init__(parent)
        self.body.addWidget(heading(_("Sign in to {app}").format(app=APP_NAME)))
        self.body.addWidget(text(_("Type the name and password your administrator gave you."), muted=True))
        box, layout = card()
        name_label = text(_("Your name"))
        layout.addWidget(name_label)
        self.name = QLineEdit(name)
        self.name.setMaxLength(MAX_NAME)
        self.name.setAccessibleName(_("Your name"))
        name_label.setBuddy(self.name)
        layout.addWidget(self.name)
        password_label = text(_("Password"))
        layout.addWidget(password_label)
        self.password = password_field(_("Password"))
        password_label.setBuddy(self.password)
        layout.addWidget(self.password)
        self.error = message_label()
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel = button(_("Cancel"), self.cancelled.emit)
        self.cancel.setVisible(can_cancel)
        row.addWidget(self.cancel)
        self.sign_in = button(_("Sign in"), self._submit, primary=True)
        row.addWidget(self.sign_in)
        layout.addLayout(row)
        self.body.addWidget(box)
        self.name.textChanged.connect(self._update)
        self.password.textChanged.connect(self._update)
        self.name.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self.first_admin = None
        if first_run:
            self._first_admin_card()
        self.body.addStretch(1)
        self.busy = False
        self._update()

    def _first_admin_card(self) -> None:
        box, layout = card()
        layout.addWidget(heading(_("First time: create the administrator"), 2))
        layout.addWidget(text(_("This computer has no administrator yet. The administrator creates the accounts of "
                                "trainers and learners. Once an account exists, everyone signs in with a password, "
                                "unless IT has made this computer a kiosk; learners who already use it keep their "
                                "progress when the administrator links their profile to their new account."),
                              muted=True))
        name_label = text(_("Administrator's name"))
        layout.addWidget(name_label)
        self.admin_name = QLineEdit()
        self.admin_name.setMaxLength(MAX_NAME)
        self.admin_name.setAccessibleName(_("Administrator's name"))
        name_label.setBuddy(self.admin_name)
        layout.addWidget(self.admin_name)
        first_label = text(_("Password"))
        layout.addWidget(first_label)
        self.admin_password = password_field(_("Administrator's password"))
        first_label.setBuddy(self.admin_password)
        layout.addWidget(self.admin_password)
        again_label = text(_("The same password again"))
        layout.addWidget(again_label)
        self.admin_again = password_field(_("Administrator's password, again"))
        again_label.setBuddy(self.admin_again)
        layout.addWidget(self.admin_again)
        self.admin_error = message_label()
        layout.addWidget(self.admin_error)
        self.first_admin = button(_("Create the administrator and sign in"), self._submit_first_admin)
        layout.addWidget(self.first_admin, 0, Qt.AlignmentFlag.AlignRight)
        for field in (self.admin_name, self.admin_password, self.admin_again):
            field.textChanged.connect(self._update)
        self.body.addWidget(box)

    def first_admin_problem(self) -> str:
        """What stops the first administrator being created, said as the person types; "" when nothing."""
        if not self.admin_name.text().strip() or not self.admin_password.text():
            return ""
        problem = password_problem(self.admin_password.text(), self.admin_name.text())
        if problem:
            return problem
        if self.admin_again.text() and self.admin_again.text() != self.admin_password.text():
            return _("The two passwords differ.")
        return ""

    def _update(self) -> None:
        self.sign_in.setEnabled(not self.busy and bool(self.name.text().strip() and self.password.text()))
        if self.first_admin is not None:
            problem = self.first_admin_problem()
            say(self.admin_error, problem)
            self.first_admin.setEnabled(not self.busy and not problem and bool(
                self.admin_name.text().strip() and self.admin_password.text()
                and self.admin_again.text() == self.admin_password.text()))

    def _submit(self) -> None:
        if self.sign_in.isEnabled():
            say(self.error, "")
            self.submitted.emit(self.name.text().strip(), self.password.text())

    def _submit_first_admin(self) -> None:
        if self.first_admin is not None and self.first_admin.isEnabled():
            self.first_admin_requested.emit(self.admin_name.text().strip(), self.admin_password.text())

    def set_busy(self, busy: bool) -> None:
        """While the password is being checked: no second click, and a word that something is happening."""
        self.busy = busy
        if busy:
            say(self.error, "")
        self.sign_in.setText(_("Signing in…") if busy else _("Sign in"))
        self._update()

    def refused(self, message: str, *, first_admin: bool = False) -> None:
        """Show why signing in (or creating the first administrator) failed; the password is typed again."""
        self.set_busy(False)
        if first_admin and self.first_admin is not None:
            say(self.admin_error, message)
            return
        self.password.clear()
        say(self.error, message)
        self.password.setFocus()

    def focus_first(self) -> None:
        (self.password if self.name.text() else self.name).setFocus()
