"""Accounts, for administrators: the list, a new account, a reset password, an unlock, a new role.

Every action passes the signed-in principal to app.core.accounts, which checks it against the
database each time: this screen holds no power of its own. `open` reads the list before the screen
is built, so a principal without the administrator role gets NotAllowed and no screen at all.
A temporary password is shown once, right after the reset, and is gone when the screen changes.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem

from app.core import formatting
from app.core.accounts.roles import NotAllowed, Principal, Role
from app.core.accounts.store import MAX_NAME, Account, AccountError, Accounts
from app.core.i18n import _, current_locale
from app.ui.screens.page import Page
from app.ui.screens.sign_in import message_label, password_field, say
from app.ui.widgets import button, card, heading, text

# Letters and digits no one confuses when reading them aloud or off a note (no 0/O, 1/l/I).
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"

log = logging.getLogger(__name__)


def temporary_password() -> str:
    """Three groups of four: ~59 bits, easy to read over the phone, changed at the first sign-in."""
    return "-".join("".join(secrets.choice(_READABLE) for _i in range(4)) for _g in range(3))


def _state(account: Account, now: dt.datetime) -> str:
    if account.locked_at(now):
        return _("locked")
    if account.must_change_password:
        return _("must choose a new password")
    return _("active")


class AccountsAdminScreen(Page):
    @classmethod
    def open(cls, store: Accounts, principal: Principal | None, runner=None) -> AccountsAdminScreen:
        """The screen, or NotAllowed (raised by the core) when `principal` is not an administrator.
        With the window's `runner`, password hashing (a memory-hard fraction of a second) runs off the
        GUI thread."""
        rows = store.accounts(principal)
        return cls(store, principal, rows, store.unlinked_learners(principal), runner=runner)

    def __init__(self, store: Accounts, principal: Principal, rows: list[Account],
                 unlinked: list[tuple[str, str]], parent=None, runner=None):
        super().__init__(parent)
        self.store = store
        self.principal = principal
        self.runner = runner
        self.busy = False
        self.body.addWidget(heading(_("Accounts")))
        self.body.addWidget(text(_("Everyone who signs in on this computer. Select an account to reset its "
                                   "password, unlock it or change its role."), muted=True))
        self.table = QTreeWidget()
        self.table.setAccessibleName(_("Accounts"))
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([_("Account"), _("Role"), _("State")])
        self.table.header().setAccessibleName(_("Columns of the accounts list"))
        for column in (0, 1):  # names and roles in full, in any language and text size
            self.table.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(180)
        self.table.currentItemChanged.connect(lambda *_args: self._selection_changed())
        self.body.addWidget(self.table)
        self.body.addWidget(self._actions())
        self.temporary = QLabel("")
        self.temporary.setWordWrap(True)
        self.temporary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.temporary.hide()
        self.body.addWidget(self.temporary)
        self.status = message_label()
        self.status.setStyleSheet("font-weight: 600;")
        self.body.addWidget(self.status)
        self.body.addWidget(self._create_card())
        self.body.addStretch(1)
        self._fill(rows, unlinked)

    # -- building
    def _actions(self):
        box, layout = card()
        row = QHBoxLayout()
        self.reset = button(_("Reset password"), self.reset_selected)
        self.unlock = button(_("Unlock"), self.unlock_selected)
        row.addWidget(self.reset)
        row.addWidget(self.unlock)
        row.addStretch(1)
        self.new_role = self._role_combo(_("New role for the selected account"))
        row.addWidget(self.new_role)
        self.change_role = button(_("Change role"), self.change_role_of_selected)
        row.addWidget(self.change_role)
        layout.addLayout(row)
        return box

    def _role_combo(self, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(accessible)
        for role in Role:
            combo.addItem(role.label, role.value)  # the value: Qt would turn the str enum into a plain str
        return combo

    def _create_card(self):
        box, layout = card()
        layout.addWidget(heading(_("New account"), 2))
        name_label = text(_("Name, as the person will type it to sign in"))
        layout.addWidget(name_label)
        self.new_name = QLineEdit()
        self.new_name.setMaxLength(MAX_NAME)
        self.new_name.setAccessibleName(_("Name of the new account"))
        name_label.setBuddy(self.new_name)
        layout.addWidget(self.new_name)
        role_label = text(_("Role"))
        layout.addWidget(role_label)
        self.create_role = self._role_combo(_("Role of the new account"))
        role_label.setBuddy(self.create_role)
        layout.addWidget(self.create_role)
        profile_label = text(_("Learning record"))
        layout.addWidget(profile_label)
        self.profile = QComboBox()
        self.profile.setAccessibleName(_("Learning record of the new account"))
        profile_label.setBuddy(self.profile)
        layout.addWidget(self.profile)
        password_label = text(_("First password (give it to the person; at least 8 characters)"))
        layout.addWidget(password_label)
        self.new_password = password_field(_("First password of the new account"))
        self.new_password.setEchoMode(QLineEdit.EchoMode.Normal)  # the administrator must read it out
        self.new_password.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        password_label.setBuddy(self.new_password)
        layout.addWidget(self.new_password)
        self.create_error = message_label()
        layout.addWidget(self.create_error)
        self.create = button(_("Create the account"), self.create_account, primary=True)
        layout.addWidget(self.create, 0, Qt.AlignmentFlag.AlignRight)
        self.new_name.textChanged.connect(self._update_create)
        self.new_password.textChanged.connect(self._update_create)
        self.profile.activated.connect(self._profile_picked)
        return box

    def _fill(self, rows: list[Account], unlinked: list[tuple[str, str]]) -> None:
        now = self.store.clock()
        selected = self.selected_id()
        self.table.clear()
        for account in rows:
            item = QTreeWidgetItem([account.name, account.role.label, _state(account, now)])
            item.setData(0, Qt.ItemDataRole.UserRole, account.id)
            if account.locked_at(now) and account.locked_until is not None:
                item.setToolTip(2, _("Locked until {time}").format(
                    time=formatting.isolated(account.locked_until.astimezone().strftime("%H:%M"))))
            self.table.addTopLevelItem(item)
            if account.id == selected:
                self.table.setCurrentItem(item)
        self.accounts = {account.id: account for account in rows}
        self.unlinked = dict(unlinked)
        self.profile.clear()
        self.profile.addItem(_("A new learning record"), None)
        for learner_id, name in unlinked:
            self.profile.addItem(_("The existing profile of {name}").format(name=name), learner_id)
        self._selection_changed()
        self._update_create()

    # -- state
    def selected_id(self) -> str | None:
        item = self.table.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def select(self, name: str) -> None:
        """Select the account named `name` (tests and keyboard users alike end up here)."""
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            if item.text(0) == name:
                self.table.setCurrentItem(item)
                return

    def _selection_changed(self) -> None:
        account = self.accounts.get(self.selected_id() or "") if hasattr(self, "accounts") else None
        for control in (self.reset, self.change_role, self.new_role):
            control.setEnabled(account is not None and not (control is self.reset and self.busy))
        self.unlock.setEnabled(account is not None and account.locked_at(self.store.clock()))
        if account is not None:
            self.new_role.setCurrentIndex(self.new_role.findData(account.role.value))

    def _profile_picked(self, index: int) -> None:
        """Linking an existing profile: its name is the likely sign-in name."""
        learner_id = self.profile.itemData(index)
        if learner_id and not self.new_name.text().strip():
            self.new_name.setText(self.unlinked.get(learner_id, ""))

    def _update_create(self) -> None:
        self.create.setEnabled(not self.busy and bool(self.new_name.text().strip() and self.new_password.text()))

    # -- actions: each asks the core, which checks the principal against the database
    def _run(self, action, *args, error_label: QLabel | None = None, **options):
        try:
            result = action(self.principal, *args, **options)
        except (AccountError, NotAllowed) as err:
            say(error_label or self.status, str(err))
            return None
        return result

    def _hash_then(self, action, *args, on_done, error_label: QLabel | None = None, **options) -> None:
        """An action that hashes a password: on the runner's thread when there is one, the buttons
        disabled meanwhile; `on_done(result)` back on the GUI thread."""
        if self.runner is None:
            result = self._run(action, *args, error_label=error_label, **options)
            if result is not None:
                on_done(result)
            return

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            if isinstance(error, (AccountError, NotAllowed)):
                say(error_label or self.status, str(error))
            else:  # the database: say so where the form is, the details go to the log
                log.error("account operation failed", exc_info=error)
                say(error_label or self.status, _("The accounts could not be read or saved: {error}").format(
                    error=error))

        def succeeded(result) -> None:
            self._set_busy(False)
            on_done(result)

        self._set_busy(True)
        principal = self.principal
        self.runner.submit(lambda _state: action(principal, *args, **options), on_done=succeeded,
                           on_error=failed, label=_("Saving the password…"))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for control in (self.reset, self.create):
            control.setEnabled(not busy)
        if not busy:
            self._selection_changed()
            self._update_create()

    def _refresh(self) -> None:
        rows = self._run(self.store.accounts)
        unlinked = self._run(self.store.unlinked_learners)
        if rows is not None and unlinked is not None:
            self._fill(rows, unlinked)

    def reset_selected(self) -> str | None:
        """Reset the selected account's password; returns the temporary password, shown once."""
        account_id = self.selected_id()
        if account_id is None:
            return None
        temporary = temporary_password()
        self.temporary.hide()
        self._hash_then(self.store.reset_password, account_id, temporary,
                        on_done=lambda account: self._show_temporary(account, temporary))
        return temporary

    def _show_temporary(self, account: Account, temporary: str) -> None:
        message = _("Temporary password for {name}: {password}\nGive it to them in person. They choose their own "
                    "when they sign in. It is not shown again.").format(
            name=account.name, password=formatting.isolated(temporary))
        self.temporary.setText(message)
        self.temporary.setAccessibleName(message)
        self.temporary.show()
        say(self.status, "")
        self._refresh()

    def unlock_selected(self) -> None:
        account_id = self.selected_id()
        if account_id is None:
            return
        account = self._run(self.store.unlock, account_id)
        if account is not None:
            self._done(_("{name} is unlocked.").format(name=account.name))

    def change_role_of_selected(self) -> None:
        account_id = self.selected_id()
        if account_id is None:
            return
        account = self._run(self.store.set_role, account_id, Role(self.new_role.currentData()))
        if account is not None:
            self._done(_("{name} now has the {role} role.").format(name=account.name, role=account.role.label))

    def create_account(self) -> None:
        name, password = self.new_name.text().strip(), self.new_password.text()
        self._hash_then(self.store.create_account, name, Role(self.create_role.currentData()), password,
                        on_done=self._created, error_label=self.create_error, locale=current_locale(),
                        **self._learner_choice())

    def _created(self, account: Account) -> None:
        say(self.create_error, "")
        self.new_name.clear()
        self.new_password.clear()
        self._done(_("The account {name} ({role}) is created.").format(name=account.name, role=account.role.label))

    def _learner_choice(self) -> dict:
        learner_id = self.profile.currentData()
        return {"learner_id": learner_id} if learner_id else {}

    def _done(self, message: str) -> None:
        self.temporary.hide()
        self.temporary.clear()
        self._refresh()
        say(self.status, message)

    def focus_first(self) -> None:
        self.table.setFocus()
