"""Accounts in the real window: sign in, refusals, lock-out, a forced new password, administration,
kiosk profiles, and a learner who cannot reach the administrator's screen even by calling the window."""

from __future__ import annotations

import json

import pytest

from app.core.accounts.roles import ADMIN, LEARNER, TRAINER, NotAllowed, Via, installation_principal
from app.core.accounts.store import MAX_FAILURES, Accounts
from app.core.accounts.passwords import ScryptCost
from app.core.paths import installation_path, settings_path
from app.core.record.store import LearningRecord
from app.core.settings import load_settings
from app.core.storage.database import open_database
from app.ui.main_window import MainWindow
from app.ui.screens.accounts_admin import AccountsAdminScreen
from app.ui.screens.catalogue import CatalogueScreen
from app.ui.screens.change_password import ChangePasswordScreen
from app.ui.screens.profile import ProfileScreen
from app.ui.screens.sign_in import SignInScreen
from app.ui.screens.trainer_tools import TrainerToolsScreen
from tests.ui.helpers import click, open_window
from tests.ui.test_accessibility import unnamed_controls

QUICK = ScryptCost(log2_n=4, r=8, p=1)  # full-cost hashing would make every sign-in take a fifth of a second


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    monkeypatch.setattr(MainWindow, "account_cost", QUICK)


def make_accounts(data_dir, *people: tuple[str, object, str]) -> None:
    """Create accounts (name, role, password) the way IT does, before the app opens."""
    database = open_database(data_dir)
    try:
        store = Accounts(database, cost=QUICK)
        for name, role, password in people:
            store.create_account(installation_principal(), name, role, password)
    finally:
        database.dispose()


def sign_in(qtbot, window, name: str, password: str) -> None:
    screen = window.screen
    assert isinstance(screen, SignInScreen)
    screen.name.clear()
    qtbot.keyClicks(screen.name, name)
    qtbot.keyClicks(screen.password, password)
    click(qtbot, screen.sign_in)
    qtbot.waitUntil(lambda: not window.runner.busy and (window.screen is not screen or screen.error.isVisible()),
                    timeout=10000)


def test_accounts_ask_for_a_password_and_say_what_went_wrong(qtbot, data_dir):
    make_accounts(data_dir, ("Amina", LEARNER, "correct horse"))
    window = open_window(qtbot, data_dir)
    assert isinstance(window.screen, SignInScreen)
    assert not window.sign_in_button.isVisible() and not window.tools_button.isVisible()
    assert not unnamed_controls(window)
    sign_in(qtbot, window, "Amina", "wrong horse")
    assert window.screen.error.text() == "The name or the password is wrong."
    assert window.screen.password.text() == ""  # typed again, never kept
    assert window.principal is None
    sign_in(qtbot, window, "amina", "correct horse")  # names are matched whatever the case
    assert isinstance(window.screen, CatalogueScreen)
    assert window.principal.name == "Amina" and window.principal.role == LEARNER
    assert window.learner_label.text() == "Amina"
    assert window.sign_out_button.isVisible()
    assert not window.tools_button.isVisible()
    click(qtbot, window.sign_out_button)
    assert isinstance(window.screen, SignInScreen) and window.principal is None and window.learning is None
    assert not window.sign_out_button.isVisible()
    window.close()


def test_repeated_wrong_passwords_lock_the_account_and_say_until_when(qtbot, data_dir):
    make_accounts(data_dir, ("Amina", LEARNER, "correct horse"))
    window = open_window(qtbot, data_dir)
    for _attempt in range(MAX_FAILURES):
        sign_in(qtbot, window, "Amina", "guess guess")
    message = window.screen.error.text()
    assert "Too many wrong passwords" in message and "Amina" in message and "15 more minutes" in message
    assert "try again at" in message
    sign_in(qtbot, window, "Amina", "correct horse")  # the right password does not help while locked
    assert "locked" in window.screen.error.text() and window.principal is None
    window.close()


def test_a_reset_password_must_be_changed_before_anything_else(qtbot, data_dir):
    make_accounts(data_dir, ("Admin", ADMIN, "admin password"), ("Tran", TRAINER, "first password"))
    window = open_window(qtbot, data_dir)
    sign_in(qtbot, window, "Admin", "admin password")
    assert window.tools_button.isVisible()
    click(qtbot, window.tools_button)
    assert isinstance(window.screen, TrainerToolsScreen)
    click(qtbot, window.screen.buttons["accounts"])
    admin = window.screen
    assert isinstance(admin, AccountsAdminScreen)
    admin.select("Tran")
    click(qtbot, admin.reset)
    assert not admin.reset.isEnabled()  # hashing runs off the GUI thread; no second press meanwhile
    qtbot.waitUntil(lambda: admin.temporary.isVisible(), timeout=10000)
    temporary = admin.temporary.text()
    assert "Temporary password for Tran" in temporary
    password = temporary.split(": ", 1)[1].split("\n")[0].strip("\u2066\u2067\u2068\u2069")
    assert len(password) == 14
    click(qtbot, window.sign_out_button)

    sign_in(qtbot, window, "Tran", password)
    screen = window.screen
    assert isinstance(screen, ChangePasswordScreen)
    assert window.learning is None and not window.tools_button.isVisible()
    assert not unnamed_controls(window)
    window.show_trainer_tools()  # even called directly: the core refuses until the password is changed
    assert window.screen is screen
    assert "new password" in window.notice.text()
    qtbot.keyClicks(screen.current, "not the temporary one")
    qtbot.keyClicks(screen.new, "my own secret")
    qtbot.keyClicks(screen.again, "my own secret")
    click(qtbot, screen.save)
    qtbot.waitUntil(lambda: not window.runner.busy and screen.error.isVisible(), timeout=10000)
    assert screen.error.text() == "The current password is wrong."
    assert window.principal.must_change_password and window.screen is screen
    for field in (screen.current, screen.new, screen.again):
        field.clear()
    qtbot.keyClicks(screen.current, password)
    qtbot.keyClicks(screen.new, "short")
    assert "too short" in screen.error.text() and not screen.save.isEnabled()
    screen.new.clear()
    qtbot.keyClicks(screen.new, "my own secret")
    qtbot.keyClicks(screen.again, "my own secret")
    assert screen.save.isEnabled()
    click(qtbot, screen.save)
    qtbot.waitUntil(lambda: isinstance(window.screen, CatalogueScreen), timeout=10000)
    assert not window.principal.must_change_password and window.principal.role == TRAINER
    assert window.tools_button.isVisible()
    click(qtbot, window.sign_out_button)
    sign_in(qtbot, window, "Tran", password)  # the temporary password stopped working
    assert window.screen.error.text() == "The name or the password is wrong."
    sign_in(qtbot, window, "Tran", "my own secret")
    assert isinstance(window.screen, CatalogueScreen)
    window.close()


def test_an_administrator_creates_a_trainer_links_a_profile_unlocks_and_changes_roles(qtbot, data_dir):
    database = open_database(data_dir)
    kim = LearningRecord(database).add_learner("Kim", "ko")  # learning before accounts existed
    database.dispose()
    make_accounts(data_dir, ("Admin", ADMIN, "admin password"))
    window = open_window(qtbot, data_dir)
    sign_in(qtbot, window, "Admin", "admin password")
    window.show_accounts_admin()
    admin = window.screen
    assert isinstance(admin, AccountsAdminScreen)
    assert not unnamed_controls(window)
    qtbot.keyClicks(admin.new_name, "Tran")
    admin.create_role.setCurrentIndex(admin.create_role.findData(TRAINER.value))
    qtbot.keyClicks(admin.new_password, "tran")
    click(qtbot, admin.create)
    qtbot.waitUntil(lambda: not admin.busy, timeout=10000)
    assert "too short" in admin.create_error.text()  # the core's message, where the form is
    admin.new_password.clear()
    qtbot.keyClicks(admin.new_password, "trainer password")
    click(qtbot, admin.create)
    qtbot.waitUntil(lambda: not admin.busy, timeout=10000)
    assert admin.status.text() == "The account Tran (trainer) is created."
    assert [admin.table.topLevelItem(i).text(1) for i in range(admin.table.topLevelItemCount())] == [
        "administrator", "trainer"]

    # Kim's existing profile becomes an account: the record stays hers.
    index = admin.profile.findData(kim.id)
    admin.profile.setCurrentIndex(index)
    admin.profile.activated.emit(index)
    assert admin.new_name.text() == "Kim"
    qtbot.keyClicks(admin.new_password, "kim password")
    click(qtbot, admin.create)
    qtbot.waitUntil(lambda: not admin.busy, timeout=10000)
    assert window.accounts.find(window.principal, "Kim").learner_id == kim.id
    assert admin.profile.findData(kim.id) == -1  # linked: no longer offered

    # The last administrator cannot demote themself; a role change shows in the list.
    admin.select("Admin")
    admin.new_role.setCurrentIndex(admin.new_role.findData(LEARNER.value))
    click(qtbot, admin.change_role)
    assert "last administrator" in admin.status.text()
    admin.select("Tran")
    admin.new_role.setCurrentIndex(admin.new_role.findData(ADMIN.value))
    click(qtbot, admin.change_role)
    assert admin.status.text() == "Tran now has the administrator role."
    assert window.accounts.find(window.principal, "Tran").role == ADMIN
    click(qtbot, window.sign_out_button)

    for _attempt in range(MAX_FAILURES):
        sign_in(qtbot, window, "Kim", "not kim's")
    sign_in(qtbot, window, "Admin", "admin password")
    window.show_accounts_admin()
    admin = window.screen
    admin.select("Kim")
    assert admin.table.currentItem().text(2) == "locked" and admin.unlock.isEnabled()
    click(qtbot, admin.unlock)
    assert admin.status.text() == "Kim is unlocked."
    click(qtbot, window.sign_out_button)
    sign_in(qtbot, window, "Kim", "kim password")
    assert isinstance(window.screen, CatalogueScreen) and window.learning.learner.id == kim.id
    window.close()


def test_a_learner_never_sees_trainer_tools_and_cannot_reach_them(qtbot, data_dir):
    make_accounts(data_dir, ("Admin", ADMIN, "admin password"), ("Amina", LEARNER, "learner password"))
    window = open_window(qtbot, data_dir)
    sign_in(qtbot, window, "Amina", "learner password")
    catalogue = window.screen
    assert isinstance(catalogue, CatalogueScreen) and not window.tools_button.isVisible()
    # Calling the window's navigation directly: the core refuses, the message is shown, nothing opens.
    window.show_accounts_admin()
    assert window.screen is catalogue and window.location.screen == "catalogue"
    assert window.notice_box.isVisible()
    assert window.notice.text() == "Amina is signed in with the learner role; this needs the administrator role."
    window.clear_notice()
    window.show_trainer_tools()
    assert window.screen is catalogue
    assert "this needs the trainer role" in window.notice.text()
    # And below the window: the screen's own core call refuses a learner's principal.
    with pytest.raises(NotAllowed):
        AccountsAdminScreen.open(window.accounts, window.principal)
    with pytest.raises(NotAllowed):
        window.accounts.create_account(window.principal, "Mallory", ADMIN, "mallory password")
    window.close()


def test_a_trainer_sees_tools_but_not_the_administrators(qtbot, data_dir):
    make_accounts(data_dir, ("Admin", ADMIN, "admin password"), ("Tran", TRAINER, "trainer password"))
    window = open_window(qtbot, data_dir)
    sign_in(qtbot, window, "Tran", "trainer password")
    assert window.learner_label.text() == "Tran (trainer)"
    click(qtbot, window.tools_button)
    assert isinstance(window.screen, TrainerToolsScreen)
    assert "accounts" not in window.screen.buttons
    assert not unnamed_controls(window)
    assert window.back_button.isVisible()
    window.show_tool("accounts")
    assert isinstance(window.screen, TrainerToolsScreen)
    assert "this needs the administrator role" in window.notice.text()
    click(qtbot, window.back_button)
    assert isinstance(window.screen, CatalogueScreen)
    window.close()


def test_a_kiosk_shows_the_profile_picker_with_no_password(qtbot, data_dir):
    make_accounts(data_dir, ("Admin", ADMIN, "admin password"))
    installation_path(data_dir).write_text(json.dumps({"kiosk": True}), encoding="utf-8")
    window = open_window(qtbot, data_dir)
    assert isinstance(window.screen, ProfileScreen)
    assert window.sign_in_button.isVisible()  # staff still sign in with their password
    qtbot.keyClicks(window.screen.name, "Kim")
    click(qtbot, window.screen.start)
    assert isinstance(window.screen, CatalogueScreen)
    assert window.principal.via == Via.OPEN_PROFILE and window.principal.role == LEARNER
    assert not window.tools_button.isVisible() and not window.sign_out_button.isVisible()
    window.show_accounts_admin()
    assert window.notice.text() == "Kim is signed in with the learner role; this needs the administrator role."
    window.close()
    window = open_window(qtbot, data_dir)  # the kiosk's profile opens again with no password
    assert isinstance(window.screen, CatalogueScreen) and window.learning.learner.name == "Kim"
    click(qtbot, window.sign_in_button)
    sign_in(qtbot, window, "Admin", "admin password")
    assert window.principal.role == ADMIN and window.tools_button.isVisible()
    window.close()


def test_a_saved_profile_is_not_entered_once_accounts_exist(qtbot, data_dir):
    window = open_window(qtbot, data_dir)
    qtbot.keyClicks(window.screen.name, "Kim")
    click(qtbot, window.screen.start)
    assert isinstance(window.screen, CatalogueScreen)
    window.close()
    assert load_settings(settings_path(data_dir)).learner_id
    make_accounts(data_dir, ("Admin", ADMIN, "admin password"))
    window = open_window(qtbot, data_dir)
    assert isinstance(window.screen, SignInScreen) and window.learning is None
    window.close()


def test_the_first_administrator_is_created_from_the_sign_in_screen(qtbot, data_dir):
    window = open_window(qtbot, data_dir)
    assert isinstance(window.screen, ProfileScreen)  # no accounts: profiles stay open, as before
    click(qtbot, window.sign_in_button)
    screen = window.screen
    assert isinstance(screen, SignInScreen) and screen.first_admin is not None and screen.cancel.isVisible()
    assert not unnamed_controls(window)
    qtbot.keyClicks(screen.admin_name, "Admin")
    qtbot.keyClicks(screen.admin_password, "admin password")
    qtbot.keyClicks(screen.admin_again, "admin passwore")
    assert screen.admin_error.text() == "The two passwords differ." and not screen.first_admin.isEnabled()
    screen.admin_again.clear()
    qtbot.keyClicks(screen.admin_again, "admin password")
    click(qtbot, screen.first_admin)
    qtbot.waitUntil(lambda: isinstance(window.screen, CatalogueScreen), timeout=10000)
    assert window.principal.role == ADMIN and window.tools_button.isVisible()
    click(qtbot, window.sign_out_button)
    assert isinstance(window.screen, SignInScreen) and window.screen.first_admin is None  # only once
    window.close()


def test_installation_problems_are_shown_with_their_line(qtbot, data_dir):
    make_accounts(data_dir, ("Admin", ADMIN, "admin password"))
    installation_path(data_dir).write_text('{\n  "kiosk": "yes"\n}\n', encoding="utf-8")
    window = open_window(qtbot, data_dir)
    assert isinstance(window.screen, SignInScreen)  # a mistake asks for passwords rather than dropping them
    assert "installation.json:2:" in window.notice.text() and "kiosk" in window.notice.text()
    window.close()


def test_sign_in_screens_in_arabic(qtbot, data_dir):
    from PySide6.QtCore import Qt

    make_accounts(data_dir, ("Admin", ADMIN, "admin password"))
    window = open_window(qtbot, data_dir)
    qtbot.keyClicks(window.screen.name, "Admin")
    english = window.screen
    window.change_language("ar")  # from the Settings dialog: the screen is rebuilt, the typed name kept
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert isinstance(window.screen, SignInScreen) and window.screen.name.text() == "Admin"
    assert window.screen is not english and window.screen.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.settings_button.text() != "Settings" and not unnamed_controls(window)
    window.screen.name.clear()
    sign_in(qtbot, window, "Admin", "admin password")
    window.show_accounts_admin()
    assert isinstance(window.screen, AccountsAdminScreen) and not unnamed_controls(window)
    window.close()


def test_anyone_signed_in_with_a_password_can_change_it_from_settings(qtbot, data_dir):
    from PySide6.QtCore import QTimer

    make_accounts(data_dir, ("Tran", TRAINER, "first password"))
    window = open_window(qtbot, data_dir)
    sign_in(qtbot, window, "Tran", "first password")
    catalogue = window.screen

    def press_change():
        from PySide6.QtWidgets import QLabel

        dialog = window._settings_dialog
        assert "Signed in as Tran." in [label.text() for label in dialog.findChildren(QLabel)]
        click(qtbot, dialog.password_button)

    QTimer.singleShot(50, press_change)
    click(qtbot, window.settings_button)
    screen = window.screen
    assert isinstance(screen, ChangePasswordScreen) and screen is not catalogue
    assert screen.sign_out.text() == "Cancel"  # asked for, not forced: the way back is Cancel
    click(qtbot, screen.sign_out)
    assert isinstance(window.screen, CatalogueScreen) and window.principal is not None

    QTimer.singleShot(50, press_change)
    click(qtbot, window.settings_button)
    screen = window.screen
    qtbot.keyClicks(screen.current, "first password")
    qtbot.keyClicks(screen.new, "second password")
    qtbot.keyClicks(screen.again, "second password")
    click(qtbot, screen.save)
    qtbot.waitUntil(lambda: isinstance(window.screen, CatalogueScreen), timeout=10000)
    assert window.notice.text() == "Your new password is saved."
    click(qtbot, window.sign_out_button)
    sign_in(qtbot, window, "Tran", "first password")
    assert window.screen.error.text() == "The name or the password is wrong."
    sign_in(qtbot, window, "Tran", "second password")
    assert isinstance(window.screen, CatalogueScreen)
    window.close()


def test_an_open_profile_has_no_password_to_change(qtbot, data_dir):
    from PySide6.QtCore import QTimer

    from tests.ui.helpers import start_as

    window = start_as(qtbot, data_dir, "Amina")
    seen = []

    def look():
        dialog = window._settings_dialog
        seen.append(hasattr(dialog, "password_button"))
        dialog.reject()

    QTimer.singleShot(50, look)
    click(qtbot, window.settings_button)
    assert seen == [False]
    window.close()
