"""The issuing key's private half, sealed with the passphrase a trainer types: scrypt derives a key from
the passphrase, AES-256-GCM encrypts (and authenticates) the 32-byte Ed25519 seed.

Why not PKCS#8 with `BestAvailableEncryption`: the `cryptography` package writes it with PBKDF2 at 2,048
iterations (measured: `openssl asn1parse` of its output), cheap enough to try millions of passphrases
on a copied file. scrypt is memory-hard and already what account passwords use (accounts/passwords.py);
the key is unlocked once per batch, so it can afford a higher cost than a sign-in.

The public fields of the key file are bound to the ciphertext as GCM's associated data, so a file whose
name or identity was edited does not open.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.core.accounts.passwords import ScryptCost

KDF = "scrypt"
CIPHER = "AES-256-GCM"
DEFAULT_COST = ScryptCost(log2_n=17, r=8, p=1)  # 128 MiB, ~0.3 s on a recent core: once per batch
MAX_COST = ScryptCost(log2_n=20, r=16, p=4)  # bounds on what a (tampered) file may ask for
SALT_BYTES = 16
NONCE_BYTES = 12


class WrongPassphrase(Exception):
    """The passphrase does not open the sealed key (or the file was altered)."""


@dataclass(frozen=True)
class Sealed:
    cost: ScryptCost
    salt: bytes
    nonce: bytes
    ciphertext: bytes  # with GCM's 16-byte tag at the end

    def as_json(self) -> dict:
        return {"kdf": KDF, "ln": self.cost.log2_n, "r": self.cost.r, "p": self.cost.p, "salt": _b64(self.salt),
                "cipher": CIPHER, "nonce": _b64(self.nonce), "ciphertext": _b64(self.ciphertext)}

    @classmethod
    def from_json(cls, data: object) -> "Sealed":
        """ValueError naming the field at fault."""
        if not isinstance(data, dict):
            raise ValueError("encryption")
        if data.get("kdf") != KDF or data.get("cipher") != CIPHER:
            raise ValueError("encryption.kdf")
        try:
            cost = ScryptCost(int(data["ln"]), int(data["r"]), int(data["p"]))
        except (KeyError, TypeError, ValueError):
            raise ValueError("encryption.ln") from None
        if not (10 <= cost.log2_n <= MAX_COST.log2_n and 1 <= cost.r <= MAX_COST.r and 1 <= cost.p <= MAX_COST.p):
            raise ValueError("encryption.ln")
        fields = {}
        for name in ("salt", "nonce", "ciphertext"):
            try:
                fields[name] = base64.b64decode(data[name], validate=True)
            except (KeyError, TypeError, binascii.Error, ValueError):
                raise ValueError(f"encryption.{name}") from None
        if len(fields["nonce"]) != NONCE_BYTES:
            raise ValueError("encryption.nonce")
        return cls(cost, fields["salt"], fields["nonce"], fields["ciphertext"])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _key(passphrase: str, salt: bytes, cost: ScryptCost) -> bytes:
    # NFKC, as for passwords: the same passphrase typed on another keyboard layout opens the key.
    secret = unicodedata.normalize("NFKC", passphrase).encode("utf-8")
    return hashlib.scrypt(secret, salt=salt, n=2 ** cost.log2_n, r=cost.r, p=cost.p,
                          maxmem=cost.memory + 2 * 1024 * 1024, dklen=32)


def seal(secret: bytes, passphrase: str, bound_to: bytes, cost: ScryptCost = DEFAULT_COST) -> Sealed:
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    return Sealed(cost, salt, nonce, AESGCM(_key(passphrase, salt, cost)).encrypt(nonce, secret, bound_to))


def unseal(sealed: Sealed, passphrase: str, bound_to: bytes) -> bytes:
    try:
        return AESGCM(_key(passphrase, sealed.salt, sealed.cost)).decrypt(sealed.nonce, sealed.ciphertext, bound_to)
    except InvalidTag:
        raise WrongPassphrase() from None
