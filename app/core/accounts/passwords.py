"""Passwords: hashed with scrypt, kept as a string that names its algorithm and parameters.

Why scrypt and not argon2id: both are memory-hard; scrypt is in Python's standard library
(hashlib, through OpenSSL), so the offline bundle needs no extra native wheel for every partner
OS. The parameters are written into each stored hash, so they can be raised later: a hash made
with weaker ones is replaced at the owner's next successful sign-in (`needs_rehash`).

Cost: N=2**15, r=8, p=1 uses 32 MiB and takes ~90 ms on a recent laptop core, ~200-250 ms on a
ten-year-old office PC: slow and memory-hungry for someone trying millions of guesses on a copied
database, barely felt at a sign-in. (OWASP's floor for scrypt is N=2**17; we trade that for old
PCs with 2-4 GB and keep the lock-out in front of online guessing.)

Stored form, as passlib writes scrypt (PHC string format, base64 without padding):
    $scrypt$ln=15,r=8,p=1$<salt>$<key>
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass

from app.core.i18n import _

MIN_LENGTH = 8  # NIST SP 800-63B's floor for passwords a person chooses
MAX_LENGTH = 256  # characters; stops a pasted book from tying up the hash
SALT_BYTES = 16
KEY_BYTES = 32
PREFIX = "$scrypt$"


@dataclass(frozen=True, order=True)
class ScryptCost:
    log2_n: int  # CPU and memory cost: N = 2**log2_n
    r: int  # block size
    p: int  # parallelisation (OpenSSL runs these one after another)

    @property
    def memory(self) -> int:
        return 128 * self.r * (2 ** self.log2_n)


DEFAULT_COST = ScryptCost(log2_n=15, r=8, p=1)
# Bounds on parameters read back from the database: a tampered row must not make one sign-in
# allocate gigabytes or run for minutes.
_MAX_COST = ScryptCost(log2_n=20, r=16, p=16)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _encode(password: str) -> bytes:
    # NFKC, so the same password typed on a Korean, Arabic or Latin keyboard layout hashes the same.
    return unicodedata.normalize("NFKC", password).encode("utf-8")


def _derive(password: str, salt: bytes, cost: ScryptCost, length: int) -> bytes:
    return hashlib.scrypt(_encode(password), salt=salt, n=2 ** cost.log2_n, r=cost.r, p=cost.p,
                          maxmem=cost.memory + 2 * 1024 * 1024, dklen=length)


def hash_password(password: str, cost: ScryptCost = DEFAULT_COST) -> str:
    salt = os.urandom(SALT_BYTES)
    key = _derive(password, salt, cost, KEY_BYTES)
    return f"{PREFIX}ln={cost.log2_n},r={cost.r},p={cost.p}${_b64(salt)}${_b64(key)}"


def parse(stored: str) -> tuple[ScryptCost, bytes, bytes] | None:
    """(cost, salt, key) of a stored hash, or None when it is not one this module wrote."""
    if not stored.startswith(PREFIX):
        return None
    parts = stored[len(PREFIX):].split("$")
    if len(parts) != 3:
        return None
    try:
        params = dict(item.split("=", 1) for item in parts[0].split(","))
        cost = ScryptCost(int(params["ln"]), int(params["r"]), int(params["p"]))
        salt, key = _unb64(parts[1]), _unb64(parts[2])
    except (ValueError, KeyError, binascii.Error):
        return None
    if not (1 <= cost.log2_n <= _MAX_COST.log2_n and 1 <= cost.r <= _MAX_COST.r and 1 <= cost.p <= _MAX_COST.p):
        return None
    if len(salt) < 8 or not 16 <= len(key) <= 64:
        return None
    return cost, salt, key


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches; the comparison takes the same time wherever they differ."""
    parsed = parse(stored)
    if parsed is None or len(password) > MAX_LENGTH:
        burn_time()  # no shortcut that tells a guesser the row is odd
        return False
    cost, salt, key = parsed
    return hmac.compare_digest(_derive(password, salt, cost, len(key)), key)


def needs_rehash(stored: str, cost: ScryptCost = DEFAULT_COST) -> bool:
    parsed = parse(stored)
    return parsed is None or parsed[0] != cost


def burn_time(cost: ScryptCost = DEFAULT_COST) -> None:
    """Spend one verification's time, for a name that has no account: a guesser cannot tell which
    names exist by how fast the answer comes."""
    _derive("not a real password", bytes(SALT_BYTES), cost, KEY_BYTES)


def password_problem(password: str, name: str = "") -> str | None:
    """What is wrong with a new password, said so the person can fix it; None when it will do."""
    if len(password) < MIN_LENGTH:
        return _("The password is too short: use at least {n} characters.").format(n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("The password is too long: use at most {n} characters.").format(n=MAX_LENGTH)
    if not password.strip():
        return _("The password cannot be only spaces.")
    if name and unicodedata.normalize("NFKC", password).casefold() == unicodedata.normalize("NFKC", name).casefold():
        return _("The password cannot be the account's name.")
    return None
