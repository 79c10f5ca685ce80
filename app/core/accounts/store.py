"""Accounts on disk: create, sign in, lock out, reset, unlock, change role.

Every operation that needs a role takes the acting `Principal` and checks it twice: `require` on
the principal as the screen holds it, then the account's row as the database holds it now, so an
administrator demoted or reset a moment ago can no longer act as one.

The lock-out lives in the database (failed attempts, locked until), so quitting and restarting the
app does not clear it. Passwords and hashes are never logged; names are.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.core.accounts.passwords import (DEFAULT_COST, ScryptCost, burn_time, hash_password, needs_rehash,
                                         password_problem, verify_password)
from app.core.accounts.roles import (ADMIN, LEARNER, NotAllowed, Principal, Role, Via, installation_principal,
                                     parse_role, require)
from app.core.i18n import DEFAULT_LOCALE, _, ngettext
from app.core.installation import Installation
from app.core.record.statements import iso
from app.core.storage.database import Database
from app.core.storage.schema import accounts, learners

# The lock-out, in one place: this many wrong passwords in a row lock the account for this long.
MAX_FAILURES = 5
LOCK_DURATION = dt.timedelta(minutes=15)
MAX_NAME = 100
MAX_NAME_KEY = 400  # NFKC can expand a character (a ligature, a CJK square sign) into several

log = logging.getLogger(__name__)


class AccountError(Exception):
    """A request the person can correct: a name already taken, a weak password, no such account."""


class SignInFailed(Exception):
    """Wrong name or password. The message never says which, so names cannot be probed."""


class AccountLocked(SignInFailed):
    def __init__(self, name: str, until: dt.datetime, now: dt.datetime):
        self.until = until
        minutes = max(1, -(-int((until - now).total_seconds()) // 60))  # rounded up: never "0 minutes"
        super().__init__(ngettext(
            "Too many wrong passwords: the account {name} is locked for {n} more minute. An administrator "
            "can unlock it sooner.",
            "Too many wrong passwords: the account {name} is locked for {n} more minutes. An administrator "
            "can unlock it sooner.", minutes).format(name=name, n=minutes))


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    role: Role
    learner_id: str
    must_change_password: bool
    failed_attempts: int
    locked_until: dt.datetime | None  # set while locked (or until the next sign-in after the lock ran out)
    created_at: str

    def locked_at(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def name_key(name: str) -> str:
    """The form names are compared in: the same name typed in any case or Unicode form is one account."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def name_problem(name: str) -> str | None:
    cleaned = name.strip()
    if not cleaned:
        return _("Give the account a name.")
    if len(cleaned) > MAX_NAME or len(name_key(cleaned)) > MAX_NAME_KEY:
        return _("The name is too long: use at most {n} characters.").format(n=MAX_NAME)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in cleaned):
        return _("The name cannot contain control characters or line breaks.")
    return None


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _parse_time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


_COLUMNS = (accounts.c.id, accounts.c.name, accounts.c.role, accounts.c.learner_id, accounts.c.must_change_password,
            accounts.c.failed_attempts, accounts.c.locked_until, accounts.c.created_at)


def _account(row) -> Account:
    return Account(row.id, row.name, Role(row.role), row.learner_id, bool(row.must_change_password),
                   row.failed_attempts, _parse_time(row.locked_until), row.created_at)


class Accounts:
    """The accounts of one installation. `clock` and `cost` are for tests (time travel, quick hashes)."""

    def __init__(self, database: Database, *, clock: Callable[[], dt.datetime] = _utc_now,
                 cost: ScryptCost = DEFAULT_COST):
        self.engine = database.engine
        self.clock = clock
        self.cost = cost

    # -- what anyone may ask before signing in
    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(accounts)) or 0

    def has_administrator(self) -> bool:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(accounts).where(accounts.c.role == ADMIN.value)) > 0

    def profiles_open(self, installation: Installation) -> bool:
        """Whether learner profiles are picked without a password: on a kiosk installation, and on
        one where no account exists yet (so upgrading an installation never locks its learners out;
        the first account turns passwords on)."""
        return installation.kiosk or self.count() == 0

    # -- signing in
    def sign_in(self, name: str, password: str) -> Principal:
        """The principal of the account `name` when `password` is right; SignInFailed otherwise
        (AccountLocked while the account is locked, including by this very attempt)."""
        now = self.clock()
        account, until, right = None, None, False
        with self.engine.begin() as conn:  # exceptions wait until it commits: a failure must be counted
            row = conn.execute(select(*_COLUMNS, accounts.c.password_hash)
                               .where(accounts.c.name_key == name_key(name))).first()
            if row is None:
                burn_time(self.cost)
            else:
                account = _account(row)
                until = self._lock_in_force(conn, account, now)
                if until is None:
                    right = verify_password(password, row.password_hash)
                    if right:
                        values: dict = {"failed_attempts": 0, "locked_until": None}
                        if needs_rehash(row.password_hash, self.cost):  # the parameters were raised since
                            values["password_hash"] = hash_password(password, self.cost)
                        conn.execute(update(accounts).where(accounts.c.id == account.id).values(**values))
                    else:
                        until = self._count_failure(conn, account, now)
        if account is None:
            # Not the typed name: people type their password into the name field by mistake.
            log.info("sign-in refused: no such account")
            raise SignInFailed(_("The name or the password is wrong."))
        if until is not None:
            log.info("sign-in refused: account %r is locked", account.name)
            raise AccountLocked(account.name, until, now)
        if not right:
            raise SignInFailed(_("The name or the password is wrong."))
        log.info("signed in: %r (%s)", account.name, account.role.value)
        return self._principal(account)

    def open_profile(self, learner_id: str, installation: Installation) -> Principal:
        """A learner profile picked with no password: only where profiles are open (kiosk, or no
        accounts yet), and always with the learner role, whatever account the profile belongs to."""
        if not self.profiles_open(installation):
            raise NotAllowed(_("This computer asks for a name and password: sign in."))
        with self.engine.connect() as conn:
            name = conn.scalar(select(learners.c.name).where(learners.c.id == learner_id))
        if name is None:
            raise AccountError(_("There is no learner profile with this id."))
        return Principal(name=name, role=LEARNER, learner_id=learner_id, via=Via.OPEN_PROFILE)

    def change_password(self, principal: Principal, current: str, new: str) -> Principal:
        """The signed-in person's own password. A wrong `current` counts towards the lock-out."""
        if principal.account_id is None:
            raise NotAllowed(_("Only an account signed in with a password can change its password."))
        now = self.clock()
        with self.engine.connect() as conn:
            account = self._by_id(conn, principal.account_id)
        problem = password_problem(new, account.name)
        if problem:
            raise AccountError(problem)
        hashed = hash_password(new, self.cost)
        until, right, same = None, False, False
        with self.engine.begin() as conn:  # exceptions wait until it commits: a failure must be counted
            row = conn.execute(select(*_COLUMNS, accounts.c.password_hash)
                               .where(accounts.c.id == account.id)).one()
            account = _account(row)
            until = self._lock_in_force(conn, account, now)
            if until is None:
                right = verify_password(current, row.password_hash)
                same = right and verify_password(new, row.password_hash)
                if not right:
                    until = self._count_failure(conn, account, now)
                elif not same:
                    conn.execute(update(accounts).where(accounts.c.id == account.id).values(
                        password_hash=hashed, must_change_password=False, failed_attempts=0, locked_until=None,
                        password_changed_at=iso(now)))
                    account = self._by_id(conn, account.id)
        if until is not None:
            raise AccountLocked(account.name, until, now)
        if not right:
            raise SignInFailed(_("The current password is wrong."))
        if same:
            raise AccountError(_("The new password must differ from the current one."))
        log.info("password changed: %r", account.name)
        return self._principal(account)

    # -- administration (administrators only)
    def accounts(self, principal: Principal) -> list[Account]:
        with self.engine.connect() as conn:
            self._authorize(conn, principal, ADMIN)
            rows = conn.execute(select(*_COLUMNS).order_by(accounts.c.name_key)).all()
        return [_account(row) for row in rows]

    def find(self, principal: Principal, name: str) -> Account:
        with self.engine.connect() as conn:
            self._authorize(conn, principal, ADMIN)
            return self._by_name(conn, name)

    def unlinked_learners(self, principal: Principal) -> list[tuple[str, str]]:
        """(id, name) of learner profiles with no account: made before accounts, or on a kiosk."""
        with self.engine.connect() as conn:
            self._authorize(conn, principal, ADMIN)
            linked = select(accounts.c.learner_id)
            rows = conn.execute(select(learners.c.id, learners.c.name).where(learners.c.id.not_in(linked))
                                .order_by(learners.c.created_at)).all()
        return [(row.id, row.name) for row in rows]

    def create_account(self, principal: Principal, name: str, role: Role | str, password: str, *,
                       locale: str = DEFAULT_LOCALE, learner_id: str | None = None) -> Account:
        """A new account with its own learner profile, or linked to the existing profile `learner_id`
        (a learner who was learning before accounts existed keeps their record)."""
        chosen = role if isinstance(role, Role) else parse_role(role)
        if chosen is None:
            raise AccountError(_("Unknown role '{role}': choose learner, trainer or admin.").format(role=role))
        problem = name_problem(name) or password_problem(password, name)
        if problem:
            raise AccountError(problem)
        hashed = hash_password(password, self.cost)  # slow: outside the transaction
        now = iso(self.clock())
        account_id = str(uuid.uuid4())
        try:
            with self.engine.begin() as conn:
                self._authorize(conn, principal, ADMIN)
                if self._exists(conn, name):
                    raise AccountError(_("There is already an account named {name}.").format(name=name.strip()))
                if learner_id is None:
                    learner_id = str(uuid.uuid4())
                    conn.execute(insert(learners).values(id=learner_id, name=name.strip(), locale=locale,
                                                         created_at=now))
                elif conn.scalar(select(learners.c.id).where(learners.c.id == learner_id)) is None:
                    raise AccountError(_("There is no learner profile with this id."))
                conn.execute(insert(accounts).values(
                    id=account_id, name=name.strip(), name_key=name_key(name), role=chosen.value, password_hash=hashed,
                    must_change_password=False, failed_attempts=0, locked_until=None, learner_id=learner_id,
                    created_at=now, password_changed_at=now))
                account = _account(conn.execute(select(*_COLUMNS).where(accounts.c.id == account_id)).one())
        except IntegrityError as err:  # another process took the name or the profile in between
            raise AccountError(_("There is already an account with this name or for this learner profile.")) from err
        log.info("account created: %r (%s) by %r", account.name, account.role.value, principal.name)
        return account

    def create_first_administrator(self, name: str, password: str, *, locale: str = DEFAULT_LOCALE) -> Account:
        """The first-run path of a screen: allowed only while the installation has no administrator."""
        if self.has_administrator():
            raise NotAllowed(_("This installation already has an administrator; ask them to create your account."))
        return self.create_account(installation_principal(), name, ADMIN, password, locale=locale)

    def reset_password(self, principal: Principal, account_id: str, temporary: str) -> Account:
        """Set a temporary password that its owner must change at the next sign-in; also unlocks."""
        with self.engine.connect() as conn:
            self._authorize(conn, principal, ADMIN)
            target = self._by_id(conn, account_id)
        problem = password_problem(temporary, target.name)
        if problem:
            raise AccountError(problem)
        hashed = hash_password(temporary, self.cost)
        with self.engine.begin() as conn:
            self._authorize(conn, principal, ADMIN)
            conn.execute(update(accounts).where(accounts.c.id == account_id).values(
                password_hash=hashed, must_change_password=True, failed_attempts=0, locked_until=None,
                password_changed_at=iso(self.clock())))
            account = self._by_id(conn, account_id)
        log.info("password reset: %r by %r", account.name, principal.name)
        return account

    def unlock(self, principal: Principal, account_id: str) -> Account:
        with self.engine.begin() as conn:
            self._authorize(conn, principal, ADMIN)
            self._by_id(conn, account_id)
            conn.execute(update(accounts).where(accounts.c.id == account_id).values(failed_attempts=0,
                                                                                    locked_until=None))
            account = self._by_id(conn, account_id)
        log.info("account unlocked: %r by %r", account.name, principal.name)
        return account

    def set_role(self, principal: Principal, account_id: str, role: Role) -> Account:
        with self.engine.begin() as conn:
            self._authorize(conn, principal, ADMIN)
            target = self._by_id(conn, account_id)
            if target.role == ADMIN and role != ADMIN and conn.scalar(
                    select(func.count()).select_from(accounts).where(accounts.c.role == ADMIN.value)) <= 1:
                raise AccountError(_("{name} is the last administrator: make another account an administrator "
                                     "first.").format(name=target.name))
            conn.execute(update(accounts).where(accounts.c.id == account_id).values(role=role.value))
            account = self._by_id(conn, account_id)
        log.info("role changed: %r is now %s, by %r", account.name, role.value, principal.name)
        return account

    # -- inside
    def _principal(self, account: Account) -> Principal:
        with self.engine.connect() as conn:
            name = conn.scalar(select(learners.c.name).where(learners.c.id == account.learner_id)) or account.name
        return Principal(name=name, role=account.role, learner_id=account.learner_id, account_id=account.id,
                         must_change_password=account.must_change_password, via=Via.PASSWORD)

    def _authorize(self, conn: Connection, principal: Principal, role: Role) -> None:
        """`require` on the principal, then on what the database says of its account right now."""
        require(principal, role)
        if principal.via == Via.INSTALLATION:
            return
        if principal.via != Via.PASSWORD or principal.account_id is None:
            raise NotAllowed(_("This needs the {role} role; sign in with a password.").format(role=role.label))
        row = conn.execute(select(accounts.c.role, accounts.c.must_change_password)
                           .where(accounts.c.id == principal.account_id)).first()
        if row is None or row.must_change_password or Role(row.role).rank < role.rank:
            raise NotAllowed(_("Your account no longer has the {role} role; sign in again.").format(role=role.label))

    def _lock_in_force(self, conn: Connection, account: Account, now: dt.datetime) -> dt.datetime | None:
        """When the account's lock ends, or None when it is not locked. A lock further away than
        LOCK_DURATION (the clock was set back) is pulled in, so it never outlasts its length."""
        if not account.locked_at(now):
            return None
        assert account.locked_until is not None
        if account.locked_until - now > LOCK_DURATION:
            conn.execute(update(accounts).where(accounts.c.id == account.id).values(
                locked_until=iso(now + LOCK_DURATION)))
            return now + LOCK_DURATION
        return account.locked_until

    def _count_failure(self, conn: Connection, account: Account, now: dt.datetime) -> dt.datetime | None:
        """Count one wrong password; returns when the lock it started ends, if it started one."""
        conn.execute(update(accounts).where(accounts.c.id == account.id)
                     .values(failed_attempts=accounts.c.failed_attempts + 1))
        failures = conn.scalar(select(accounts.c.failed_attempts).where(accounts.c.id == account.id))
        if failures < MAX_FAILURES:
            log.info("wrong password for %r (%d of %d)", account.name, failures, MAX_FAILURES)
            return None
        until = now + LOCK_DURATION
        conn.execute(update(accounts).where(accounts.c.id == account.id).values(failed_attempts=0,
                                                                                locked_until=iso(until)))
        log.warning("account %r locked until %s after %d wrong passwords", account.name, iso(until), failures)
        return until

    def _exists(self, conn: Connection, name: str) -> bool:
        return conn.scalar(select(accounts.c.id).where(accounts.c.name_key == name_key(name))) is not None

    def _by_id(self, conn: Connection, account_id: str) -> Account:
        row = conn.execute(select(*_COLUMNS).where(accounts.c.id == account_id)).first()
        if row is None:
            raise AccountError(_("There is no such account."))
        return _account(row)

    def _by_name(self, conn: Connection, name: str) -> Account:
        row = conn.execute(select(*_COLUMNS).where(accounts.c.name_key == name_key(name))).first()
        if row is None:
            raise AccountError(_("There is no account named {name}.").format(name=name.strip()))
        return _account(row)
