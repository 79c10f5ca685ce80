"""The issuing institution: its name, its Ed25519 key pair and where the key is kept.

A key is created only by a trainer or an administrator (the core refuses a learner's principal), and
only on the machine that will sign. Its private half never reaches the disk in clear: the key file holds
it sealed with the passphrase the trainer types (sealing.py), written atomically, readable by its owner
only. The institution's identity is the key's did:key, so every credential it signs names its own key;
other machines decide whether to trust it from the small public file `public_file()` writes.
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from app.core.accounts.passwords import MAX_LENGTH, MIN_LENGTH, ScryptCost
from app.core.accounts.roles import TRAINER, Principal, require
from app.core.atomic import replacing
from app.core.certificates import proofs, sealing
from app.core.certificates.didkey import did_for, fingerprint, key_from_did, verification_method
from app.core.certificates.sealing import Sealed, WrongPassphrase, seal, unseal
from app.core.i18n import _
from app.core.record.statements import iso, now

KEY_FORMAT = "civicai-issuer-key"
KEY_FORMAT_VERSION = 1
MAX_NAME = 200
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"


def certificates_dir(root: Path) -> Path:
    return Path(root) / "certificates"


def issuer_key_path(root: Path) -> Path:
    return certificates_dir(root) / "issuer-key.json"


class IssuerError(Exception):
    """Something about the issuing key a person must act on; the message says what."""


@dataclass(frozen=True)
class Issuer:
    """The public side of an issuing institution."""

    id: str  # did:key:z6Mk...
    name: str
    created: str = ""

    @property
    def public_key(self) -> str:
        return self.id.removeprefix("did:key:")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.id)

    def profile(self) -> dict[str, Any]:
        """The credential's `issuer`: an Open Badges Profile."""
        return {"id": self.id, "type": ["Profile"], "name": self.name}

    def public_file(self) -> dict[str, Any]:
        """What another machine imports to trust this institution: a Multikey document, plus its name."""
        return {"@context": MULTIKEY_CONTEXT, "type": "Multikey", "id": verification_method(self.id),
                "controller": self.id, "publicKeyMultibase": self.public_key, "name": self.name,
                "fingerprint": self.fingerprint}


@dataclass(frozen=True)
class Signer:
    """An unlocked issuing key. Lives in memory for one batch; never written anywhere."""

    issuer: Issuer
    _key: Ed25519PrivateKey = field(repr=False)

    def sign(self, document: dict[str, Any]) -> dict[str, Any]:
        return proofs.sign(document, self._key, verification_method(self.issuer.id))


def name_problem(name: str) -> str | None:
    text = name.strip()
    if not text:
        return _("Give the institution a name, e.g. Ministry of the Interior, Training Centre.")
    if len(text) > MAX_NAME:
        return _("The institution's name is too long: use at most {n} characters.").format(n=MAX_NAME)
    if any(unicodedata.category(c) == "Cc" for c in text):
        return _("The institution's name cannot hold control characters (tabs, line breaks).")
    return None


def passphrase_problem(passphrase: str, name: str = "") -> str | None:
    if len(passphrase) < MIN_LENGTH:
        return _("The passphrase is too short: use at least {n} characters.").format(n=MIN_LENGTH)
    if len(passphrase) > MAX_LENGTH:
        return _("The passphrase is too long: use at most {n} characters.").format(n=MAX_LENGTH)
    if not passphrase.strip():
        return _("The passphrase cannot be only spaces.")
    if name and passphrase.strip().casefold() == name.strip().casefold():
        return _("The passphrase cannot be the institution's name.")
    return None


def _binding(issuer_id: str, name: str) -> bytes:
    return f"{KEY_FORMAT}\n{issuer_id}\n{name}".encode("utf-8")


def refuse_a_second_key(root: Path) -> None:
    """IssuerError when this machine already has an issuing key: replacing it would orphan every
    certificate it signed (they name its key)."""
    existing = load_issuer(root)
    if existing:
        raise IssuerError(_("This computer already has an issuing key, for {name} ({path}). Keep it: the "
                            "certificates it signed are checked against it.").format(
                                name=existing.name, path=issuer_key_path(root)))


def no_issuing_key() -> IssuerError:
    return IssuerError(_("This computer has no issuing key yet. A trainer or administrator creates one with: "
                         "python main.py certificate issuer create --name NAME"))


def create_issuer(principal: Principal, root: Path, name: str, passphrase: str, *,
                  cost: ScryptCost | None = None, clock: Callable = now) -> Issuer:
    """Make this machine's institution key pair and keep it sealed in the data folder `root`."""
    require(principal, TRAINER)
    problem = name_problem(name) or passphrase_problem(passphrase, name)
    if problem:
        raise IssuerError(problem)
    refuse_a_second_key(root)
    path = issuer_key_path(root)
    key = Ed25519PrivateKey.generate()
    issuer = Issuer(did_for(key.public_key()), name.strip(), iso(clock()))
    seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    sealed = seal(seed, passphrase, _binding(issuer.id, issuer.name), cost or sealing.DEFAULT_COST)
    document = {"format": KEY_FORMAT, "version": KEY_FORMAT_VERSION, "id": issuer.id, "name": issuer.name,
                "publicKeyMultibase": issuer.public_key, "created": issuer.created,
                "encryptedPrivateKey": sealed.as_json()}
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path, suffix=".tmp") as temporary:
        os.chmod(temporary, 0o600)  # before the secret is written: no moment when others may read it
        temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return issuer


def _read_key_file(root: Path) -> tuple[Issuer, Sealed] | None:
    path = issuer_key_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise IssuerError(_("{path}: the issuing key cannot be read ({error}).").format(path=path, error=err)) from None

    def damaged(field_name: str) -> IssuerError:
        return IssuerError(_("{path}: the issuing key file is damaged (field {field}). Restore it from a "
                             "backup; a new key would not match the certificates already issued.").format(
                                 path=path, field=field_name))

    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise damaged("-") from None
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise damaged("format")
    if data.get("version") != KEY_FORMAT_VERSION:
        raise IssuerError(_("{path}: the issuing key was written by a newer version of the app.").format(path=path))
    issuer_id, name = data.get("id"), data.get("name")
    try:
        key_from_did(issuer_id)
    except ValueError:
        raise damaged("id") from None
    if not isinstance(name, str) or name_problem(name):
        raise damaged("name")
    try:
        sealed = Sealed.from_json(data.get("encryptedPrivateKey"))
    except ValueError as err:
        raise damaged(f"encryptedPrivateKey.{err}") from None
    created = data.get("created") if isinstance(data.get("created"), str) else ""
    return Issuer(issuer_id, name, created), sealed


def load_issuer(root: Path) -> Issuer | None:
    """This machine's institution (public side), or None when it has no issuing key."""
    found = _read_key_file(root)
    return found[0] if found else None


def unlock_issuer(principal: Principal, root: Path, passphrase: str) -> Signer:
    """The issuing key, opened with its passphrase, ready to sign one batch."""
    require(principal, TRAINER)
    found = _read_key_file(root)
    if not found:
        raise no_issuing_key()
    issuer, sealed = found
    try:
        seed = unseal(sealed, passphrase, _binding(issuer.id, issuer.name))
    except WrongPassphrase:
        raise IssuerError(_("Wrong passphrase: it does not open the issuing key of {name}. Nothing was "
                            "signed.").format(name=issuer.name)) from None
    key = Ed25519PrivateKey.from_private_bytes(seed)
    if did_for(key.public_key()) != issuer.id:  # cannot happen unless the file was forged around the AAD
        raise IssuerError(_("{path}: the issuing key does not match its own identity.").format(
            path=issuer_key_path(root)))
    return Signer(issuer, key)
