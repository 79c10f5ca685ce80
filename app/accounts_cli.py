"""Headless account commands for IT: the first administrator at installation, and help when
someone is locked out or has forgotten a password. They act with the installation's authority
(whoever can run them can write the data folder). Passwords are read from a prompt, or from the
first line of standard input when it is not a terminal (scripts), never from the command line,
where other users and the shell history would see them.

    python main.py account create-admin --name N    create an administrator (password: prompt or stdin)
    python main.py account list [--json]            accounts, roles, locks, and whether kiosk mode is on
    python main.py account reset NAME               set a temporary password, to change at next sign-in
    python main.py account unlock NAME              lift a lock-out now
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from app.core.i18n import _


def add_commands(commands) -> None:
    account = commands.add_parser("account", help="local accounts and roles (for IT)").add_subparsers(
        dest="action", required=True)
    create = account.add_parser("create-admin", help="create an administrator account; the password is asked "
                                                     "for, or read from the first line of standard input")
    create.add_argument("--name", required=True, help="the sign-in name")
    create.add_argument("--locale", default="en", help="language of the account's learner profile (default: en)")
    listing = account.add_parser("list", help="accounts, roles and lock-outs; whether kiosk mode is on")
    listing.add_argument("--json", action="store_true", help="print the result as one JSON object")
    reset = account.add_parser("reset", help="set a temporary password (asked for, or read from standard "
                                             "input); its owner must change it at the next sign-in")
    reset.add_argument("name")
    unlock = account.add_parser("unlock", help="lift a lock-out after too many wrong passwords")
    unlock.add_argument("name")


class _NoPassword(Exception):
    pass


def read_password(prompt: str) -> str:
    """From the terminal (typed twice, not echoed), or the first line of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass(_("The same password again: ")) != first:
            raise _NoPassword(_("The two passwords differ; nothing was changed."))
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    password = line.rstrip("\r\n")
    if not password:
        raise _NoPassword(_("No password: type it at the prompt, or give it as the first line of standard input."))
    return password


def run(args: argparse.Namespace) -> int:
    from app.core.accounts.roles import NotAllowed
    from app.core.accounts.store import AccountError
    from app.core.paths import data_dir
    from app.core.storage.database import DatabaseUnavailable, open_database

    root = data_dir(args.data_dir)
    try:
        database = open_database(root)
    except DatabaseUnavailable as err:
        print(_("{path}: {reason}").format(path=err.path, reason=err.reason), file=sys.stderr)
        return 1
    try:
        return _ACTIONS[args.action](args, database, root)
    except (AccountError, NotAllowed, _NoPassword) as err:
        print(str(err), file=sys.stderr)
        return 1
    finally:
        database.dispose()


def _accounts(database):
    from app.core.accounts.store import Accounts

    return Accounts(database)


def create_admin(args, database, root: Path) -> int:
    from app.core.accounts.passwords import password_problem
    from app.core.accounts.roles import ADMIN, installation_principal
    from app.core.accounts.store import AccountError, name_problem

    problem = name_problem(args.name)  # before asking for a password that would be thrown away
    if problem:
        raise AccountError(problem)
    password = read_password(_("Password for {name}: ").format(name=args.name))
    problem = password_problem(password, args.name)
    if problem:
        raise AccountError(problem)
    account = _accounts(database).create_account(installation_principal(), args.name, ADMIN, password,
                                                 locale=args.locale)
    print(_("Administrator {name} created in {folder}.").format(name=account.name, folder=root))
    return 0


def list_accounts(args, database, root: Path) -> int:
    from app.core.accounts.roles import installation_principal
    from app.core.installation import load_installation
    from app.core.record.statements import iso

    installation = load_installation(root)
    for problem in installation.problems:
        print(problem, file=sys.stderr)
    store = _accounts(database)
    now = store.clock()
    rows = store.accounts(installation_principal())
    if args.json:
        print(json.dumps({"kiosk": installation.kiosk, "profiles_open": store.profiles_open(installation),
                          "accounts": [{"name": a.name, "role": a.role.value, "locked": a.locked_at(now),
                                        "locked_until": iso(a.locked_until) if a.locked_at(now) else None,
                                        "must_change_password": a.must_change_password, "created_at": a.created_at}
                                       for a in rows],
                          "problems": [{"file": p.file, "line": p.line, "message": p.message}
                                       for p in installation.problems]}, ensure_ascii=False))
        return 0
    print(_("Kiosk mode: on (learners pick their profile without a password)") if installation.kiosk else
          _("Kiosk mode: off"))
    if not rows:
        print(_("No accounts yet: learner profiles open without a password. Create the first administrator "
                "with: python main.py account create-admin --name NAME"))
    for account in rows:
        notes = []
        if account.locked_at(now):
            notes.append(_("locked until {time}").format(time=iso(account.locked_until)))
        if account.must_change_password:
            notes.append(_("must change password"))
        print("\t".join([account.name, account.role.label, ", ".join(notes)]).rstrip())
    return 0


def reset(args, database, root: Path) -> int:
    from app.core.accounts.passwords import password_problem
    from app.core.accounts.roles import installation_principal
    from app.core.accounts.store import AccountError

    store = _accounts(database)
    target = store.find(installation_principal(), args.name)  # before asking for a password
    password = read_password(_("Temporary password for {name}: ").format(name=target.name))
    problem = password_problem(password, target.name)
    if problem:
        raise AccountError(problem)
    store.reset_password(installation_principal(), target.id, password)
    print(_("{name} can sign in with the temporary password and must then choose a new one.").format(
        name=target.name))
    return 0


def unlock(args, database, root: Path) -> int:
    from app.core.accounts.roles import installation_principal

    store = _accounts(database)
    account = store.unlock(installation_principal(), store.find(installation_principal(), args.name).id)
    print(_("{name} is unlocked.").format(name=account.name))
    return 0


_ACTIONS = {"create-admin": create_admin, "list": list_accounts, "reset": reset, "unlock": unlock}
