"""Which institutions this machine trusts: their public key files, and the trusted_issuers table.

Trust is given by a person, out of band: the ministry receives an institution's public key file (on a
USB stick, by e-mail) and imports it, after comparing its fingerprint with what the institution reads
out. From then on, credentials signed by that key verify as VALID here. Importing changes what this
machine accepts, so it needs the trainer role, like issuing; checking a credential needs none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.certificates.didkey import DID_KEY, fingerprint, key_from_did, key_from_multibase
from app.core.certificates.issuer import Issuer, IssuerError, load_issuer, name_problem
from app.core.i18n import _
from app.core.problems import InvalidInput, Problem
from app.core.record.statements import iso, now
from app.core.storage.schema import trusted_issuers

MAX_FILE_BYTES = 64 * 1024  # a public key file is a few hundred bytes


@dataclass(frozen=True)
class TrustedIssuer:
    id: str  # did:key:z6Mk...
    name: str
    added_at: str = ""
    own: bool = False  # this machine's own institution

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.id)


def read_public_key_file(path: Path) -> TrustedIssuer:
    """An institution's public key file (as `Issuer.public_file()` writes it). InvalidInput names the
    field at fault; nothing is trusted until the whole file checks out."""
    path = Path(path)
    where = str(path)

    def refuse(message: str, line: int = 0) -> InvalidInput:
        return InvalidInput([Problem(where, line, message)])

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise refuse(_("this is too large to be a public key file (at most {n} KB).").format(
                n=MAX_FILE_BYTES // 1024))
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise refuse(_("there is no file here.")) from None
    except (OSError, UnicodeDecodeError) as err:
        raise refuse(_("the file cannot be read ({error}).").format(error=err)) from None
    except json.JSONDecodeError as err:
        raise refuse(_("this is not JSON: {error} (column {column}).").format(error=err.msg, column=err.colno),
                     err.lineno) from None
    return public_key_from_json(data, where)


def public_key_from_json(data: Any, where: str) -> TrustedIssuer:
    problems: list[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem(where, 0, message))

    if not isinstance(data, dict):
        raise InvalidInput([Problem(where, 0, _("a public key file is a JSON object with publicKeyMultibase and "
                                                "name; this is not one."))])
    if data.get("type") != "Multikey":
        problem(_("field type: expected \"Multikey\"."))
    multikey = data.get("publicKeyMultibase")
    try:
        key_from_multibase(multikey)
    except (ValueError, TypeError):
        problem(_("field publicKeyMultibase: not an Ed25519 public key (\"z6Mk...\")."))
        multikey = None
    issuer_id = DID_KEY + multikey if multikey else None
    controller = data.get("controller")
    if issuer_id and controller is not None and controller != issuer_id:
        problem(_("field controller: {controller} is not the DID of this key ({did}).").format(
            controller=controller, did=issuer_id))
    name = data.get("name")
    if not isinstance(name, str):
        problem(_("field name: the institution's name is missing."))
    elif name_problem(name):
        problem(_("field name: {problem}").format(problem=name_problem(name)))
    if problems:
        raise InvalidInput(problems)
    return TrustedIssuer(issuer_id, name.strip())


class TrustedIssuers:
    """The trusted_issuers table."""

    def __init__(self, database, clock: Callable = now):
        self.engine = database.engine
        self.clock = clock

    def all(self) -> list[TrustedIssuer]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(trusted_issuers).order_by(trusted_issuers.c.name)).all()
        return [TrustedIssuer(r.id, r.name, r.added_at, bool(r.own)) for r in rows]

    def trust(self, principal: Principal, issuer: TrustedIssuer | Issuer, *, own: bool = False) -> str:
        """Add (or rename) a trusted issuer in one transaction; returns "added", "renamed" or "unchanged"."""
        require(principal, TRAINER)
        key_from_did(issuer.id)  # ValueError: only did:key identities are stored
        with self.engine.begin() as conn:
            row = conn.execute(select(trusted_issuers).where(trusted_issuers.c.id == issuer.id)).first()
            if row is None:
                conn.execute(trusted_issuers.insert().values(
                    id=issuer.id, name=issuer.name, public_key=issuer.id.removeprefix(DID_KEY),
                    added_at=iso(self.clock()), own=own))
                return "added"
            keep_own = own or bool(row.own)  # importing our own public file elsewhere never unmarks it
            if row.name == issuer.name and bool(row.own) == keep_own:
                return "unchanged"
            conn.execute(trusted_issuers.update().where(trusted_issuers.c.id == issuer.id).values(
                name=issuer.name, own=keep_own))
            return "renamed" if row.name != issuer.name else "unchanged"

    def import_file(self, principal: Principal, path: Path) -> tuple[TrustedIssuer, str]:
        require(principal, TRAINER)  # before reading anything
        issuer = read_public_key_file(path)
        return issuer, self.trust(principal, issuer)


def trusted_on_this_machine(database, root: Path) -> list[TrustedIssuer]:
    """The issuers to verify against here: the table's, and this machine's own institution even if its
    row is missing (a restored database), so its own certificates always check out where they were made."""
    trusted = TrustedIssuers(database).all()
    try:
        own = load_issuer(root)
    except IssuerError:  # a damaged key file is reported where the key is used, not when checking others
        own = None
    if own and all(t.id != own.id for t in trusted):
        trusted.append(TrustedIssuer(own.id, own.name, own.created, own=True))
    return trusted
