"""An Ed25519 public key as a `did:key` identifier, and multibase base58btc.

did:key puts the public key in the identifier itself: `did:key:z6Mk...` is "z" (multibase: base58btc)
+ base58(0xed 0x01, the multicodec varint of ed25519-pub, + the 32 key bytes). A credential whose
issuer is a did:key therefore carries the key needed to check its signature, with no network and no
key server; whether to *trust* that key is a separate question (trust.py).

Base58 is ten lines and has one well-known alphabet (Bitcoin's), so it is written here rather than
taken as a dependency; tests check it against a published did:key vector.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {character: index for index, character in enumerate(ALPHABET)}
ED25519_PUB = b"\xed\x01"  # multicodec "ed25519-pub" as an unsigned varint
DID_KEY = "did:key:"
MAX_TEXT = 200  # no identifier or signature of ours is longer; stops a huge number being parsed


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(ALPHABET[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))  # each leading zero byte is a leading "1"
    return "1" * zeros + "".join(reversed(digits))


def b58decode(text: str) -> bytes:
    """Raises ValueError for a character outside the alphabet or an over-long text."""
    if len(text) > MAX_TEXT:
        raise ValueError("too long for base58 here")
    number = 0
    for character in text:
        if character not in _INDEX:
            raise ValueError(f"{character!r} is not a base58 character")
        number = number * 58 + _INDEX[character]
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def multibase_decode(text: str) -> bytes:
    """Bytes of a multibase base58btc text ("z..."); ValueError otherwise."""
    if not isinstance(text, str) or not text.startswith("z"):
        raise ValueError("not multibase base58btc (it must start with 'z')")
    return b58decode(text[1:])


def public_key_multibase(key: Ed25519PublicKey) -> str:
    """The Multikey form: "z6Mk..."."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return "z" + b58encode(ED25519_PUB + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def key_from_multibase(text: str) -> Ed25519PublicKey:
    """The Ed25519 key of a "z6Mk..." Multikey; ValueError when it is not one."""
    data = multibase_decode(text)
    if not data.startswith(ED25519_PUB) or len(data) != len(ED25519_PUB) + 32:
        raise ValueError("not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(data[len(ED25519_PUB):])


def did_for(key: Ed25519PublicKey) -> str:
    return DID_KEY + public_key_multibase(key)


def verification_method(did: str) -> str:
    """The key's id inside its DID document, as did:key defines it: the DID, '#', the Multikey."""
    return f"{did}#{did[len(DID_KEY):]}"


def key_from_did(did_or_method: str) -> Ed25519PublicKey:
    """The key of `did:key:z6Mk...` or of its verification method `did:key:z6Mk...#z6Mk...`;
    ValueError for anything else (another DID method, a URL, a damaged key)."""
    if not isinstance(did_or_method, str) or not did_or_method.startswith(DID_KEY):
        raise ValueError("not a did:key")
    did, _, fragment = did_or_method.partition("#")
    multikey = did[len(DID_KEY):]
    if fragment and fragment != multikey:
        raise ValueError("the fragment names another key than the DID")
    return key_from_multibase(multikey)


def did_of_method(method: str) -> str:
    return method.partition("#")[0]


def fingerprint(did: str) -> str:
    """A short, readable form of a key to compare aloud or on paper: 16 hex digits in groups of four."""
    digest = hashlib.sha256(did.encode("utf-8")).hexdigest()[:16].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))
