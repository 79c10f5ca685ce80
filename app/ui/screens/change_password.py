"""Choose a new password: shown first after an administrator reset it, before anything else opens,
or whenever the person asks for it (Settings → Change my password…).

After a reset the core refuses every other operation while the temporary password is in force
(PasswordChangeRequired), so this screen is the only way on and "Sign out" the way back; asked for,
"Cancel" goes back to where the person was.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout

from app.core.accounts.passwords import MIN_LENGTH, password_problem
from app.core.i18n import _
from app.ui.screens.page import Page
from app.ui.screens.sign_in import message_label, password_field, say
from app.ui.widgets import button, card, heading, text


class ChangePasswordScreen(Page):
    submitted = Signal(str, str)  # current password, new password
    sign_out_requested = Signal()
    cancelled = Signal()

    def __init__(self, name: str, *, forced: bool = True, parent=None):
        super().__init__(parent)
        self.account_name = name
        self.body.addWidget(heading(_("Choose a new password")))
        if forced:
            self.body.addWidget(text(_("{name}, an administrator reset your password. Choose your own before you "
                                       "go on; the temporary one stops working.").format(name=name), muted=True))
        box, layout = card()
        current_label = text(_("Current password (the temporary one)") if forced else _("Current password"))
        layout.addWidget(current_label)
        self.current = password_field(_("Current password"))
        current_label.setBuddy(self.current)
        layout.addWidget(self.current)
        new_label = text(_("New password, at least {n} characters").format(n=MIN_LENGTH))
        layout.addWidget(new_label)
        self.new = password_field(_("New password"))
        new_label.setBuddy(self.new)
        layout.addWidget(self.new)
        again_label = text(_("The new password again"))
        layout.addWidget(again_label)
        self.again = password_field(_("The new password again"))
        again_label.setBuddy(self.again)
        layout.addWidget(self.again)
        self.error = message_label()
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.sign_out = button(_("Sign out"), self.sign_out_requested.emit) if forced \
            else button(_("Cancel"), self.cancelled.emit)
        row.addWidget(self.sign_out)
        self.save = button(_("Save the new password"), self._submit, primary=True)
        row.addWidget(self.save)
        layout.addLayout(row)
        self.body.addWidget(box)
        self.body.addStretch(1)
        for field in (self.current, self.new, self.again):
            field.textChanged.connect(self._update)
        self.again.returnPressed.connect(self._submit)
        self.busy = False
        self._update()

    def problem(self) -> str:
        """What is wrong with the new password as typed so far; "" when nothing (or nothing typed yet)."""
        if not self.new.text():
            return ""
        problem = password_problem(self.new.text(), self.account_name)
        if problem:
            return problem
        if self.current.text() and self.new.text() == self.current.text():
            return _("The new password must differ from the current one.")
        if self.again.text() and self.again.text() != self.new.text():
            return _("The two new passwords differ.")
        return ""

    def _update(self) -> None:
        problem = self.problem()
        say(self.error, problem)
        self.save.setEnabled(not self.busy and not problem and bool(self.current.text() and self.new.text())
                             and self.again.text() == self.new.text())

    def _submit(self) -> None:
        if self.save.isEnabled():
            self.submitted.emit(self.current.text(), self.new.text())

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.save.setText(_("Saving…") if busy else _("Save the new password"))
        self._update()

    def refused(self, message: str) -> None:
        self.set_busy(False)
        self.current.clear()
        say(self.error, message)
        self.current.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_first(self) -> None:
        self.current.setFocus()
