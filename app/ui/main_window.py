"""The main window: a header, one screen at a time, and the navigation between screens.

Screens never call each other: they emit signals, and this window decides where to go, records
what the learner did (through app.core.learning.Learning), and rebuilds the current screen when
the language or the text size changes, keeping the learner's place.

Who is using the app is `self.principal` (app.core.accounts): from the profile picker where profiles
are open (a kiosk, or no account yet), otherwise from the sign-in screen. Trainer tools are shown by
role, and every tool still passes the principal to the core, which refuses it when the role is short.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QMainWindow, QProgressBar, QPushButton,
                               QStackedWidget, QStatusBar, QStyle, QVBoxLayout, QWidget)

from app import APP_NAME
from app.core.i18n import _, current_locale, set_locale
from app.core.paths import settings_path
from app.core.settings import TEXT_SIZES, Settings, save_settings
from app.ui.fonts import localised_font
from app.ui.locale_setup import apply_qt_locale
from app.ui.screens.loading import LoadingScreen
from app.ui.style import STYLE
from app.ui.tasks import TaskRunner
from app.ui.widgets import button

# Everything below is imported after the first paint (the boot task imports the core on its own
# thread; screens are imported when first shown), so the window paints before SQLAlchemy loads.
if TYPE_CHECKING:
    from app.core.accounts.roles import Principal
    from app.core.accounts.store import Accounts
    from app.core.course.model import Course, Item
    from app.core.installation import Installation
    from app.core.learning import Learning
    from app.core.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Location:
    """Where the learner is; enough to rebuild the screen after a language or text-size change."""

    screen: str  # loading | profile | sign-in | change-password | catalogue | outline | item | complete | tools | tool
    #            | mine (the learner's own progress and assignments) | verify (a certificate, from the learner's side)
    course_id: str = ""
    item_id: str = ""
    position: float = 0.0


class MainWindow(QMainWindow):
    ready = Signal()  # services loaded and the first real screen shown
    screen_changed = Signal(str)
    account_cost = None  # scrypt cost of passwords (None: the core's default); tests set a quick one

    def __init__(self, data_dir: Path, settings: Settings, base_font: QFont):
        super().__init__()
        self.data_dir = data_dir
        self.settings = settings
        self.base_font = QFont(base_font)
        self.runner = TaskRunner(self)
        self.services: Services | None = None
        self.learning: Learning | None = None
        self.accounts: Accounts | None = None
        self.installation: Installation | None = None
        self.principal: Principal | None = None  # who is signed in (or picked an open profile)
        self._came_from: Location | None = None  # where a voluntary password change was asked from
        self._released: QWidget | None = None  # the screen whose unsaved work was saved or let go
        self.location = Location("loading")
        self._launched: set[str] = set()  # courses whose opening this session was recorded
        self.screen: QWidget | None = None
        self.boot_error: BaseException | None = None
        self._settings_dialog = None  # the Settings dialog while it is open
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(720, 520)
        self.setStyleSheet(STYLE)
        if settings.window_geometry:
            self.restoreGeometry(QByteArray.fromHex(settings.window_geometry.encode()))
        else:
            self.resize(1100, 760)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._build_header())
        column.addWidget(self._build_notice())
        self._retranslate_header()
        self.stack = QStackedWidget()
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_status()
        self._shortcuts()
        self._apply_text_scale(rebuild=False)
        self._shown_complete: set[str] = set()  # courses whose complete view was shown this session
        self._set_screen(LoadingScreen(), Location("loading"))  # what the first paint shows

    # -- chrome --------------------------------------------------------------------------------
    def _build_header(self) -> QWidget:
        header = QWidget()
        header.setObjectName("Header")
        row = QHBoxLayout(header)
        row.setContentsMargins(16, 8, 16, 8)
        self.back_button = button("", self.go_back)
        self.back_button.hide()
        row.addWidget(self.back_button)
        self.title_label = QLabel(APP_NAME)
        self.title_label.setObjectName("AppTitle")
        row.addWidget(self.title_label)
        row.addStretch(1)
        self.learner_label = QLabel("")
        self.learner_label.setObjectName("Muted")
        row.addWidget(self.learner_label)
        self.tools_button = button("", self.show_trainer_tools)
        self.sign_in_button = button("", lambda: self.show_sign_in())
        self.sign_out_button = button("", self.sign_out)
        for account_button in (self.tools_button, self.sign_in_button, self.sign_out_button):
            account_button.hide()
            row.addWidget(account_button)
        # "A+" is a symbol, never "+A" in Arabic: a left-to-right isolate (the style sheet honours it)
        # and a left-to-right button (the plain style honours that).
        self.smaller = button("\u2066A−\u2069", lambda: self.change_text_size(-1))
        self.larger = button("\u2066A+\u2069", lambda: self.change_text_size(+1))
        for symbol in (self.smaller, self.larger):
            symbol.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        row.addWidget(self.smaller)
        row.addWidget(self.larger)
        self.settings_button = button("", self.open_settings)
        row.addWidget(self.settings_button)
        return header

    def _retranslate_header(self) -> None:
        self.smaller.setAccessibleName(_("Smaller text"))
        self.smaller.setToolTip(_("Smaller text (Ctrl+-)"))
        self.larger.setAccessibleName(_("Larger text"))
        self.larger.setToolTip(_("Larger text (Ctrl++)"))
        self.settings_button.setText(_("Settings"))
        self.settings_button.setAccessibleName(_("Settings"))
        self.settings_button.setToolTip(_("Language and text size (Ctrl+,)"))
        for account_button, label, tip in (
                (self.tools_button, _("Trainer tools"), _("Accounts and other tools for trainers and administrators")),
                (self.sign_in_button, _("Sign in"), _("Trainers and administrators sign in with their password")),
                (self.sign_out_button, _("Sign out"), _("Sign out, so the next person signs in with their own name"))):
            account_button.setText(label)
            account_button.setAccessibleName(label)
            account_button.setToolTip(tip)
        self.notice_close.setText(_("Dismiss"))
        self.notice_close.setAccessibleName(_("Dismiss the message"))
        self._update_back_button()
        self._update_account_buttons()

    def _update_account_buttons(self) -> None:
        """Trainer tools for a trainer or administrator; Sign out for an account; Sign in otherwise."""
        from app.core.accounts.roles import TRAINER, Via

        principal, screen = self.principal, self.location.screen
        at_the_door = screen in ("loading", "sign-in", "change-password")
        self.tools_button.setVisible(principal is not None and not principal.must_change_password
                                     and principal.role.rank >= TRAINER.rank and not at_the_door
                                     and screen not in ("tools", "tool"))  # there, Back leads to them
        self.sign_out_button.setVisible(principal is not None and principal.via == Via.PASSWORD)
        self.sign_in_button.setVisible(self.accounts is not None and not at_the_door
                                       and (principal is None or principal.via != Via.PASSWORD))
        if principal is None or self.learning is None:
            self.learner_label.setText("")
            self.learner_label.setAccessibleName("")
        elif principal.role.rank > 0:
            self.learner_label.setText(_("{name} ({role})").format(name=principal.name, role=principal.role.label))
            self.learner_label.setAccessibleName(_("Signed in: {name}, {role}").format(
                name=principal.name, role=principal.role.label))
        else:
            name = self.learning.learner.name
            self.learner_label.setText(name)
            self.learner_label.setAccessibleName(_("Learner: {name}").format(name=name))

    def _build_notice(self) -> QWidget:
        """A message in the window, not a dialog: e.g. a refusal, or a problem in installation.json."""
        self.notice_box = QWidget()
        self.notice_box.setObjectName("Notice")
        self.notice_box.setStyleSheet("#Notice { background: #fff4e5; border-bottom: 1px solid #e6c79c; }")
        row = QHBoxLayout(self.notice_box)
        row.setContentsMargins(16, 6, 16, 6)
        self.notice = QLabel("")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.notice, 1)
        self.notice_close = button("", self.clear_notice)
        row.addWidget(self.notice_close)
        self.notice_box.hide()
        return self.notice_box

    def show_notice(self, message: str) -> None:
        self.notice.setText(message)
        self.notice.setAccessibleName(message)
        self.notice_box.show()

    def clear_notice(self) -> None:
        self.notice.clear()
        self.notice_box.hide()

    def _build_status(self) -> None:
        status = QStatusBar()
        self.saved_label = QLabel("")
        status.addWidget(self.saved_label, 1)
        self.saved_timer = QTimer(self)  # owned by the window, so it dies with it
        self.saved_timer.setSingleShot(True)
        self.saved_timer.setInterval(2500)
        self.saved_timer.timeout.connect(lambda: self.saved_label.setText(""))
        self.task_bar = QProgressBar()
        self.task_bar.setMaximumWidth(220)
        self.task_bar.setRange(0, 100)
        self.task_bar.setAccessibleName(_("Progress of the current task"))
        self.task_cancel = QPushButton(_("Cancel"))
        self.task_cancel.setAccessibleName(_("Cancel the current task"))
        status.addPermanentWidget(self.task_bar)
        status.addPermanentWidget(self.task_cancel)
        self.task_bar.hide()
        self.task_cancel.hide()
        self._current_task = None
        self.task_cancel.clicked.connect(lambda: self._current_task and self._current_task.cancel())
        self.setStatusBar(status)
        self.runner.started.connect(self._task_started)
        self.runner.ended.connect(self._task_ended)

    def _task_started(self, task) -> None:
        self.task_bar.setValue(0)
        self.task_bar.setToolTip(task.label)
        task.progressed.connect(lambda p, _m: self.task_bar.setValue(int(p * 100)))
        self._current_task = task
        if self.location.screen != "loading":  # the loading screen shows its own progress
            self.task_bar.show()
            self.task_cancel.show()

    def _task_ended(self, _task) -> None:
        if not self.runner.busy:
            self.task_bar.hide()
            self.task_cancel.hide()

    def _shortcuts(self) -> None:
        for keys, slot in ((QKeySequence.StandardKey.ZoomIn, lambda: self.change_text_size(+1)),
                           (QKeySequence.StandardKey.ZoomOut, lambda: self.change_text_size(-1)),
                           (QKeySequence.StandardKey.Back, self.go_back),
                           (QKeySequence(Qt.Key.Key_Escape), self.go_back)):
            QShortcut(keys, self).activated.connect(slot)
        QShortcut(QKeySequence("Ctrl+="), self).activated.connect(lambda: self.change_text_size(+1))
        QShortcut(QKeySequence("Ctrl+,"), self).activated.connect(self.open_settings)

    # -- start-up ------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the database and load courses off the GUI thread (called after the first paint)."""
        if not (isinstance(self.screen, LoadingScreen) and self.screen.fresh):
            self._set_screen(LoadingScreen(), Location("loading"))  # e.g. "Load again" after a cancel
        loading = self.screen
        loading.fresh = False  # wired once: a second start() must not connect it again
        loading.cancel_requested.connect(self._cancel_boot)
        loading.retry_requested.connect(self.start)
        locale = self.settings.locale or "en"

        cost = self.account_cost

        def start_services(state):
            from app.core.accounts.store import Accounts  # SQLAlchemy & co., off the GUI thread
            from app.core.installation import load_installation
            from app.core.services import start_services as start

            services = start(self.data_dir, locale, state)
            accounts = Accounts(services.database, cost=cost) if cost else Accounts(services.database)
            return services, load_installation(self.data_dir), accounts

        self.boot_task = self.runner.submit(
            start_services, on_done=self._booted,
            on_error=self._boot_failed, on_cancel=loading.show_cancelled, label=_("Opening your courses…"))
        self.boot_task.progressed.connect(loading.set_progress)

    def _cancel_boot(self) -> None:
        if getattr(self, "boot_task", None):
            self.boot_task.cancel()

    def _booted(self, booted: tuple[Services, Installation, Accounts]) -> None:
        self.services, self.installation, self.accounts = booted
        if self.installation.problems:
            for problem in self.installation.problems:
                log.warning("installation.json: %s", problem)
            self.show_notice("\n".join(str(problem) for problem in self.installation.problems))
        self._first_screen()
        self.ready.emit()

    def _first_screen(self) -> None:
        """Where someone arrives: their open profile, the profile picker, or the sign-in screen."""
        assert self.services and self.accounts and self.installation
        if not self._profiles_open():
            self.show_sign_in()  # settings.learner_id is not entered: that would skip the password
            return
        learner = self.services.record.learner(self.settings.learner_id) if self.settings.learner_id else None
        if learner is None:
            self._show_profile()
        else:
            self._open_profile(learner.id)

    def _profiles_open(self) -> bool:
        assert self.accounts and self.installation
        return self.accounts.profiles_open(self.installation)

    def _open_profile(self, learner_id: str) -> None:
        from app.core.accounts.roles import NotAllowed
        from app.core.accounts.store import AccountError

        assert self.accounts and self.installation
        try:
            principal = self.accounts.open_profile(learner_id, self.installation)
        except (NotAllowed, AccountError) as refusal:
            self.show_notice(str(refusal))
            self._first_screen() if self._profiles_open() else self.show_sign_in()
            return
        self._begin(principal)

    def _begin(self, principal: Principal) -> None:
        """`principal` is now the person using the app: a new password first, if one is due."""
        from app.core.accounts.roles import Via

        assert self.services
        self.principal = principal
        self._launched.clear()
        self._shown_complete.clear()
        if principal.must_change_password:
            self.learning = None
            self._update_account_buttons()
            self.show_change_password()
            return
        learner = self.services.record.learner(principal.learner_id) if principal.learner_id else None
        if learner is None:
            self.show_notice(_("The learning record of {name} is missing; ask an administrator.").format(
                name=principal.name))
            self.sign_out()
            return
        if principal.via == Via.OPEN_PROFILE:
            # Only an open profile is entered again at the next start; an account always signs in.
            self.settings.learner_id = learner.id
            self._save_settings()
        self._enter(learner)

    def _boot_failed(self, error: BaseException) -> None:
        from app.core.storage.database import DatabaseUnavailable, restore_backup, start_fresh
        from app.ui import dialogs

        if isinstance(error, DatabaseUnavailable):
            choice = dialogs.ask_database_recovery(self, error)
            try:
                if choice == dialogs.RESTORE:
                    kept = restore_backup(self.data_dir, error.backups[0])
                    log.warning("restored %s; damaged file kept at %s", error.backups[0], kept)
                elif choice == dialogs.FRESH:
                    kept = start_fresh(self.data_dir)
                    log.warning("started fresh; damaged file kept at %s", kept)
                else:
                    self.boot_error = error
                    self.close()
                    return
            except (OSError, DatabaseUnavailable) as err:
                dialogs.show_save_error(self, err)
                self.boot_error = err
                self.close()
                return
            self.start()
            return
        self.boot_error = error
        log.error("start-up failed", exc_info=error)
        dialogs.show_crash(self, None)
        self.close()

    def _enter(self, learner) -> None:
        from app.core.learning import Learning

        assert self.services
        self.learning = Learning(self.services.record, learner)
        self._update_account_buttons()
        # The PC remembers one resume point: the open profile's (an account's is the catalogue's "continue").
        resume = (self.services.catalogue.course(self.settings.resume_course)
                  if self.settings.resume_course and self._resumes_here() else None)
        if resume is not None and not self.learning.progress(resume).completed:
            self.continue_course(resume.id)
        else:
            self.show_catalogue()

    # -- navigation ----------------------------------------------------------------------------
    def _set_screen(self, screen: QWidget, location: Location) -> None:
        old = self.screen
        self._released = None
        self.screen = screen
        self.location = location
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        if old is not None:
            if hasattr(old, "leaving"):
                old.leaving()  # e.g. a lab cancels its running work
            self.stack.removeWidget(old)
            old.deleteLater()
        self._update_back_button()
        self._update_account_buttons()
        QTimer.singleShot(0, screen, screen.focus_first)  # tied to the screen: never fires after it is gone
        self.screen_changed.emit(location.screen)

    def _update_back_button(self) -> None:
        screen = self.location.screen
        label = {"item": _("Course outline"), "tool": _("Trainer tools")}.get(screen, _("My courses"))
        # Qt's "back" arrow points the way the layout reads (right in Arabic), and needs no font.
        self.back_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowBack, None, self))
        self.back_button.setText(label)
        self.back_button.setAccessibleName(label)
        self.back_button.setVisible(screen in ("outline", "complete", "item", "tool", "mine", "verify")
                                    or (screen == "tools" and self.learning is not None))

    def _leave_current(self) -> bool:
        """Before the current screen is replaced: a screen with unsaved work (the course editor, the
        translation workspace) saves it or asks; False means stay where we are."""
        if self._released is self.screen:  # already asked on the way here (Back -> Trainer tools)
            return True
        confirm = getattr(self.screen, "confirm_leave", None)
        if confirm is not None and not confirm():
            return False
        self._released = self.screen
        return True

    def go_back(self) -> None:
        if not self._leave_current():
            return
        if self.location.screen == "item":
            self._suspend_current()
            self.show_outline(self.location.course_id)
        elif self.location.screen == "tool":
            self.show_trainer_tools()
        elif self.location.screen in ("outline", "complete", "tools", "mine", "verify") and self.learning is not None:
            self.show_catalogue()

    def _course(self, course_id: str) -> Course:
        assert self.services
        course = self.services.catalogue.course(course_id)
        assert course is not None, course_id
        return course

    def _show_profile(self, name: str = "") -> None:
        from app.ui.screens.profile import ProfileScreen

        screen = ProfileScreen(name)
        screen.submitted.connect(self._create_profile)
        screen.language_changed.connect(lambda code: self.change_language(code, name_typed=screen.name.text()))
        self._set_screen(screen, Location("profile"))

    def _create_profile(self, name: str, locale: str) -> None:
        assert self.services
        if not self._profiles_open():  # an account was created meanwhile: only an administrator adds people now
            self.show_notice(_("This computer asks for a name and password: sign in."))
            self.show_sign_in()
            return
        learner = self._safe(self.services.record.add_learner, name, locale)
        if learner is None:
            return
        self.settings.locale = locale
        self._save_settings()
        self._open_profile(learner.id)

    # -- accounts ------------------------------------------------------------------------------
    def _resumes_here(self) -> bool:
        """Whether settings.resume_course is this person's: it belongs to the PC's open profile."""
        from app.core.accounts.roles import Via

        return self.principal is not None and self.principal.via == Via.OPEN_PROFILE

    def show_sign_in(self, name: str = "") -> None:
        from app.ui.screens.sign_in import SignInScreen

        if self.accounts is None:
            return
        self._suspend_current()
        screen = SignInScreen(name, first_run=not self.accounts.has_administrator(),
                              can_cancel=self._profiles_open())
        screen.submitted.connect(self._sign_in)
        screen.first_admin_requested.connect(self._create_first_admin)
        screen.cancelled.connect(lambda: self.show_catalogue() if self.learning else self._first_screen())
        self._set_screen(screen, Location("sign-in"))

    def _sign_in(self, name: str, password: str) -> None:
        accounts = self.accounts
        assert accounts
        self.screen.set_busy(True)
        # Off the GUI thread: checking a password takes a fifth of a second by design.
        self.runner.submit(lambda _state: accounts.sign_in(name, password), on_done=self._signed_in,
                           on_error=self._sign_in_refused, label=_("Signing in…"))

    def _create_first_admin(self, name: str, password: str) -> None:
        accounts, locale = self.accounts, current_locale()
        assert accounts

        def create_and_sign_in(_state):
            accounts.create_first_administrator(name, password, locale=locale)
            return accounts.sign_in(name, password)

        self.screen.set_busy(True)
        self.runner.submit(create_and_sign_in, on_done=self._signed_in,
                           on_error=lambda error: self._sign_in_refused(error, first_admin=True),
                           label=_("Creating the administrator…"))

    def _signed_in(self, principal: Principal) -> None:
        if self.location.screen != "sign-in":  # the person went elsewhere meanwhile
            return
        self.clear_notice()
        self._begin(principal)

    def _sign_in_refused(self, error: BaseException, first_admin: bool = False) -> None:
        from app.ui.screens.sign_in import SignInScreen

        message = self._refusal(error)
        if isinstance(self.screen, SignInScreen):
            self.screen.refused(message, first_admin=first_admin)
        else:
            self.show_notice(message)

    def _refusal(self, error: BaseException) -> str:
        """The message for an account operation that failed; anything unexpected goes on to the crash report."""
        from sqlalchemy.exc import SQLAlchemyError

        from app.core.accounts.roles import NotAllowed
        from app.core.accounts.store import AccountError, AccountLocked, SignInFailed

        if isinstance(error, AccountLocked):
            until = error.until.astimezone().strftime("%H:%M")
            return _("{message} You can try again at {time}.").format(message=error, time=until)
        if isinstance(error, (SignInFailed, AccountError, NotAllowed)):
            return str(error)
        if isinstance(error, (SQLAlchemyError, OSError)):
            log.error("account operation failed", exc_info=error)
            return _("The accounts could not be read or saved: {error}").format(error=error)
        raise error

    def show_change_password(self) -> None:
        from app.ui.screens.change_password import ChangePasswordScreen

        if self.principal is None or self.principal.account_id is None:
            return
        forced = self.principal.must_change_password
        if not forced and not self._leave_current():
            return
        screen = ChangePasswordScreen(self.principal.name, forced=forced)
        screen.submitted.connect(self._change_password)
        screen.sign_out_requested.connect(self.sign_out)
        came_from = self.location
        screen.cancelled.connect(lambda: self._return_to(came_from, cancelled=True))
        if not forced:
            self._suspend_current()
            self._came_from = came_from
        self._set_screen(screen, Location("change-password"))

    def _return_to(self, where: Location, cancelled: bool = False) -> None:
        """Back from an errand (a voluntary password change) to roughly where the person was."""
        if cancelled:
            self._came_from = None
        if where.screen in ("tools", "tool"):
            self.show_trainer_tools()
        elif where.screen in ("item", "outline", "complete") and where.course_id:
            self.show_outline(where.course_id)
        else:
            self.show_catalogue()

    def _change_password(self, current: str, new: str) -> None:
        accounts, principal = self.accounts, self.principal
        assert accounts and principal

        def refused(error: BaseException) -> None:
            message = self._refusal(error)
            if self.location.screen == "change-password":
                self.screen.refused(message)

        self.screen.set_busy(True)
        self.runner.submit(lambda _state: accounts.change_password(principal, current, new),
                           on_done=self._password_changed, on_error=refused, label=_("Saving the new password…"))

    def _password_changed(self, principal: Principal) -> None:
        if self.location.screen != "change-password" or self.principal is None:
            return
        self.show_notice(_("Your new password is saved."))
        came_from, self._came_from = self._came_from, None
        if came_from is not None and not self.principal.must_change_password:  # asked for: back to the errand
            self.principal = principal
            self._return_to(came_from)
        else:
            self._begin(principal)

    def sign_out(self) -> None:
        """Forget who was signed in; the next person starts at the door."""
        if not self._leave_current():
            return
        self._suspend_current()
        self.principal = None
        self.learning = None
        self._launched.clear()
        self._shown_complete.clear()
        self._first_screen()

    def show_trainer_tools(self) -> None:
        from app.core.accounts.roles import TRAINER, NotAllowed, require
        from app.ui.screens.trainer_tools import TrainerToolsScreen

        try:
            principal = require(self.principal, TRAINER)
        except NotAllowed as refusal:
            self.show_notice(str(refusal))
            return
        if not self._leave_current():
            return
        self._suspend_current()
        screen = TrainerToolsScreen(principal)
        screen.open_tool.connect(self.show_tool)
        self._set_screen(screen, Location("tools"))

    def show_tool(self, key: str) -> None:
        """Open one trainer tool. The role is checked here and again by the core under the tool."""
        from app.core.accounts.roles import NotAllowed, require
        from app.ui.screens.trainer_tools import tool

        entry = tool(key)
        if entry is None:
            return
        try:
            require(self.principal, entry.minimum)
            screen = entry.factory(self)
        except NotAllowed as refusal:
            self.show_notice(str(refusal))
            return
        self._suspend_current()
        self._set_screen(screen, Location("tool", item_id=key))

    def show_accounts_admin(self) -> None:
        self.show_tool("accounts")

    def show_tool_screen(self, screen: QWidget, key: str) -> None:
        """A screen a tool opens (the course editor from Courses); the role was checked by the tool's core."""
        self._suspend_current()
        self._set_screen(screen, Location("tool", item_id=key))

    def install_course_package(self, path: Path | None = None, confirm=None) -> None:
        """Any signed-in person may install a course package someone gave them (a USB stick).
        `confirm(lines, warned) -> bool` replaces the plan dialog in tests."""
        from app.ui.course_package import import_course_package

        import_course_package(self, path, confirm)

    def reload_catalogue(self, then: Callable[[], None] | None = None) -> None:
        """Load the courses again (one was installed, created or saved), then rebuild the screen or run `then`."""
        def reload(state):
            from app.core.course.catalogue import load_catalogue
            from app.core.services import course_folders

            return load_catalogue(course_folders(self.data_dir), current_locale(), state)

        def loaded(catalogue) -> None:
            if self.services is None:
                return
            self.services.catalogue = catalogue
            then() if then is not None else self.rebuild()

        self.runner.submit(reload, on_done=loaded, label=_("Loading courses…"))

    def show_catalogue(self) -> None:
        from app.ui.screens.catalogue import CatalogueScreen

        assert self.services and self.learning
        catalogue = self.services.catalogue
        progress = {c.id: self.learning.progress(c) for c in catalogue.courses}
        screen = CatalogueScreen(self.learning.learner.name, catalogue, progress,
                                 self.services.record.last_course(self.learning.learner.id))
        screen.open_course.connect(self.show_outline)
        screen.continue_course.connect(self.continue_course)
        screen.install_package.connect(lambda: self.install_course_package())
        screen.my_learning.connect(self.show_my_learning)
        screen.verify_certificate.connect(self.show_verify_certificate)
        self._set_screen(screen, Location("catalogue"))

    def show_my_learning(self) -> None:
        """The learner's own page: staff number, assignments, "Export my progress", records of completion."""
        from app.ui.screens.my_learning import MyLearningScreen

        assert self.learning
        self._set_screen(MyLearningScreen(self), Location("mine"))

    def show_verify_certificate(self) -> None:
        """Anyone may check a certificate someone handed them; nothing is signed or changed."""
        from app.ui.screens.verify_certificate import VerifyCertificateScreen

        self._set_screen(VerifyCertificateScreen(self), Location("verify"))

    def _launch(self, course_id: str):
        """(course, progress); records "launched" once per course and session. None if not saved."""
        assert self.learning
        course = self._course(course_id)
        if course_id in self._launched:
            return course, self.learning.progress(course)
        progress = self._safe(self.learning.open_course, course)
        if progress is None:
            return None
        self._launched.add(course_id)
        return course, progress

    def show_outline(self, course_id: str) -> None:
        from app.ui.screens.outline import OutlineScreen

        launched = self._launch(course_id)
        if launched is None:
            return
        screen = OutlineScreen(*launched)
        screen.open_item.connect(lambda item_id: self.open_item(course_id, item_id))
        self._set_screen(screen, Location("outline", course_id))

    def continue_course(self, course_id: str) -> None:
        launched = self._launch(course_id)
        if launched is None:
            return
        course, progress = launched
        if progress.completed:
            self.show_outline(course_id)
        elif progress.resume and course.item(progress.resume.item_id):
            self.open_item(course_id, progress.resume.item_id, progress.resume.position)
        else:
            self.open_item(course_id, course.items[0].id)

    def open_item(self, course_id: str, item_id: str, position: float = 0.0) -> None:
        from app.ui.screens.lab import LabScreen
        from app.ui.screens.lesson import LessonScreen
        from app.ui.screens.quiz import QuizScreen

        assert self.learning
        course = self._course(course_id)
        item = course.item(item_id)
        if item is None:
            self.show_outline(course_id)
            return
        if item.kind == "lab":
            screen = LabScreen(course, item, self)
            screen.finished.connect(lambda _id: self._after(course, item))
        elif item.kind == "lesson":
            if self._safe(self.learning.open_lesson, course, item) is False:
                return
            screen = LessonScreen(course, item, position)
            screen.finished.connect(lambda _id: self._lesson_done(course, item))
            screen.previous.connect(lambda _id: self._previous(course, item))
        else:
            screen = QuizScreen(course, item, self)
            screen.continue_requested.connect(lambda _id: self._after(course, item))
        self._set_screen(screen, Location("item", course_id, item_id, position))

    def _lesson_done(self, course: Course, item: Item) -> None:
        assert self.learning
        if self._safe(self.learning.complete_lesson, course, item) is not None:
            self._after(course, item)

    def _after(self, course: Course, item: Item) -> None:
        """What follows an item: the next one, or the course-complete view."""
        assert self.learning
        progress = self.learning.progress(course)
        if progress.completed and course.id not in self._shown_complete:
            self._shown_complete.add(course.id)
            self.show_complete(course.id)
            return
        following = course.next_item(item.id)
        if following is None:
            self.show_complete(course.id) if progress.completed else self.show_outline(course.id)
        else:
            self.open_item(course.id, following.id)

    def _previous(self, course: Course, item: Item) -> None:
        items = list(course.items)
        index = [i.id for i in items].index(item.id)
        if index > 0:
            self._suspend_current()
            self.open_item(course.id, items[index - 1].id)

    def show_complete(self, course_id: str) -> None:
        from app.ui.screens.complete import CompleteScreen

        assert self.learning
        course = self._course(course_id)
        screen = CompleteScreen(course, self.learning.progress(course))
        screen.to_catalogue.connect(self.show_catalogue)
        screen.to_outline.connect(self.show_outline)
        self._set_screen(screen, Location("complete", course_id))

    # -- QuizActions, for the quiz screen ------------------------------------------------------
    def start_attempt(self, course, item):
        return self._safe(self.learning.start_attempt, course, item)

    def answer(self, course, item, registration, question, response):
        return self._safe(self.learning.answer, course, item, registration, question, response)

    def finish_attempt(self, course, item, registration):
        return self._safe(self.learning.finish_attempt, course, item, registration)

    def quiz_progress(self, course, item):
        return self.learning.progress(course).quizzes[item.id]

    # -- LabActions, for the lab screen -------------------------------------------------------
    def open_lab(self, course, item):
        return self._safe(self.learning.open_lab, course, item)

    def check_lab_task(self, course, item, task_id, title, passed, feedback):
        return self._safe(self.learning.check_lab_task, course, item, task_id, title, passed, feedback)

    def complete_lab(self, course, item):
        return self._safe(self.learning.complete_lab, course, item)

    def lab_tasks_passed(self, course, item):
        return self.learning.progress(course).lab_tasks.get(item.id, frozenset())

    def load_lab_work(self, course, item):
        from app.core.record.labwork import LabWorkStore

        return LabWorkStore(self.services.database).load(self.learning.learner.id, course.id, item.id)

    def save_lab_work(self, course, item, lab_id, snapshot):
        from app.core.record.labwork import LabWorkStore

        store = LabWorkStore(self.services.database)
        return self._safe(store.save, self.learning.learner.id, course.id, item.id, lab_id, snapshot)

    def lab_files_dir(self):
        from app.core.paths import lab_files_dir

        folder = lab_files_dir(self.data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def lesson_links(self):
        return [(f"{course.id}/{item.id}", _("{course}: {lesson}").format(course=course.title, lesson=item.title))
                for course in self.services.catalogue.courses for item in course.items if item.kind == "lesson"]

    # -- recording -----------------------------------------------------------------------------
    def _safe(self, fn, *args):
        """Run a recording call; on failure tell the learner it was not saved and return None."""
        from sqlalchemy.exc import SQLAlchemyError

        from app.ui import dialogs

        try:
            result = fn(*args)
        except (SQLAlchemyError, OSError) as error:
            log.exception("saving failed")
            dialogs.show_save_error(self, error)
            return None
        self.saved_label.setText(_("Saved"))
        self.saved_timer.start()
        return True if result is None else result

    def _suspend_current(self) -> None:
        if self.location.screen != "item" or self.learning is None or self.services is None:
            return
        course = self.services.catalogue.course(self.location.course_id)
        item = course.item(self.location.item_id) if course else None
        position = getattr(self.screen, "position", lambda: 0.0)()
        from sqlalchemy.exc import SQLAlchemyError

        if course and item:
            try:
                self.learning.suspend(course, item, position)
            except (SQLAlchemyError, OSError):
                log.exception("could not record where the learner stopped")

    # -- language and text size ----------------------------------------------------------------
    def open_settings(self) -> None:
        from app.ui.settings_dialog import SettingsDialog

        from app.core.accounts.roles import Via

        principal = self.principal
        account = principal.name if principal is not None and principal.via == Via.PASSWORD \
            and self.location.screen not in ("sign-in", "change-password") else ""
        dialog = SettingsDialog(self.settings.locale or current_locale(), self.settings.text_scale, self.data_dir, self,
                                account_name=account)
        self._settings_dialog = dialog
        accepted = dialog.exec() == SettingsDialog.DialogCode.Accepted
        self._settings_dialog = None
        if dialog.password_requested:
            self.show_change_password()
            return
        if not accepted:
            return
        scale, code = dialog.chosen_text_scale(), dialog.chosen_locale()
        if scale != self.settings.text_scale:
            self.settings.text_scale = scale
            self._save_settings()
            self._apply_text_scale(rebuild=code == current_locale())
        if code and code != current_locale() and self._leave_current():
            self.change_language(code)

    def change_text_size(self, step: int) -> None:
        index = TEXT_SIZES.index(self.settings.text_scale) if self.settings.text_scale in TEXT_SIZES else 1
        index = max(0, min(len(TEXT_SIZES) - 1, index + step))
        if TEXT_SIZES[index] != self.settings.text_scale:
            self.settings.text_scale = TEXT_SIZES[index]
            self._save_settings()
            self._apply_text_scale(rebuild=True)

    def _apply_text_scale(self, rebuild: bool) -> None:
        font = localised_font(self.base_font, current_locale())
        base = self.base_font.pointSizeF() if self.base_font.pointSizeF() > 0 else 10.0
        font.setPointSizeF(base * self.settings.text_scale)
        QApplication.instance().setFont(font)
        self.setFont(font)
        self.smaller.setEnabled(self.settings.text_scale > TEXT_SIZES[0])
        self.larger.setEnabled(self.settings.text_scale < TEXT_SIZES[-1])
        if rebuild:
            self.rebuild()

    def change_language(self, code: str, name_typed: str = "") -> None:
        """Switch the UI and course language now, keeping the learner where they are."""
        set_locale(code)
        apply_qt_locale(QApplication.instance(), code)
        self.settings.locale = code
        self._save_settings()
        self._apply_text_scale(rebuild=False)  # the font families differ per language
        self._retranslate_header()
        if self.services is None:
            return
        self._remember_learner_language(code)
        if self.location.screen == "profile":
            self._show_profile(name_typed)
        self.reload_catalogue()  # course texts in the new language, then the screen again

    def _remember_learner_language(self, code: str) -> None:
        """The signed-in learner's profile takes the language they chose: their progress bundles carry it, so the
        trainer's certificates and their own record of completion come in the language they use."""
        from sqlalchemy.exc import SQLAlchemyError

        if self.learning is None or self.learning.learner.locale == code:
            return
        learner = self.learning.learner
        try:
            self.services.record.set_learner_locale(learner.id, code)
        except SQLAlchemyError:
            log.exception("could not save the learner's language")
            return
        self.learning.learner = replace(learner, locale=code)

    def rebuild(self) -> None:
        """Recreate the current screen (after a language or text-size change)."""
        where = self.location
        if where.screen == "item":
            where = Location(where.screen, where.course_id, where.item_id, getattr(self.screen, "position",
                                                                                   lambda: 0.0)())
        if where.screen == "profile":
            self._show_profile(self.screen.name.text())
            return
        if where.screen == "sign-in":
            self.show_sign_in(self.screen.name.text())
            return
        if where.screen == "change-password":
            self.show_change_password()
            return
        if self.learning is None:
            return
        if where.screen == "tools":
            self.show_trainer_tools()
        elif where.screen == "tool" and hasattr(self.screen, "reopen"):
            if getattr(self.screen, "has_unsaved_changes", lambda: False)():
                return  # a text-size change mid-edit: keep the screen (and the edits); fonts follow the app
            self.show_tool_screen(self.screen.reopen(), where.item_id)  # the editor stays on its course
        elif where.screen == "tool":
            self.show_tool(where.item_id)
        elif where.screen == "catalogue":
            self.show_catalogue()
        elif where.screen == "mine":
            self.show_my_learning()
        elif where.screen == "verify":
            self.show_verify_certificate()
        elif where.screen == "outline":
            self.show_outline(where.course_id)
        elif where.screen == "item":
            self.open_item(where.course_id, where.item_id, where.position)
        elif where.screen == "complete":
            self.show_complete(where.course_id)

    # -- shutdown ------------------------------------------------------------------------------
    def _save_settings(self) -> None:
        try:
            save_settings(settings_path(self.data_dir), self.settings)
        except OSError:
            log.exception("could not save settings")

    def closeEvent(self, event) -> None:
        if not self._leave_current():
            event.ignore()
            return
        if hasattr(self.screen, "leaving"):
            self.screen.leaving()
        self._suspend_current()
        if self._resumes_here():  # an account's place is kept in its own record (the catalogue's "continue")
            self.settings.resume_course = self.location.course_id if self.location.screen == "item" else ""
        self.settings.window_geometry = bytes(self.saveGeometry().toHex()).decode()
        self._save_settings()
        self.runner.shutdown()
        if self.services is not None:
            self.services.close()
        super().closeEvent(event)
