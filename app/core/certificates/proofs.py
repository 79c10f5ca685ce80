"""Data Integrity proofs with the cryptosuite eddsa-jcs-2022 (W3C, "Data Integrity EdDSA Cryptosuites").

Why this and not VC-JWT: the credential stays a plain, readable JSON document that any Open Badges 3.0
wallet or verifier understands, with the proof beside the content; and JCS (RFC 8785) canonicalises
plain JSON, so no JSON-LD processor and no remote @context documents are needed: everything checks
offline. JCS is the `rfc8785` package (pure Python, Trail of Bits), not code of ours.

Signing, as the cryptosuite defines it:
    proof configuration = the proof's fields without proofValue, with the document's @context
    hash data          = SHA-256(JCS(proof configuration)) + SHA-256(JCS(document without proof))
    proofValue         = "z" + base58btc(Ed25519 signature of hash data)
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.core.certificates.didkey import b58encode, multibase_decode

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
PURPOSE = "assertionMethod"


def canonical(value: Any) -> bytes:
    """The JCS (RFC 8785) bytes of a JSON value."""
    return rfc8785.dumps(value)


def _hash_data(document: dict[str, Any], options: dict[str, Any]) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in options.items() if k != "proofValue"}
    if "@context" in unsecured and "@context" not in config:
        config["@context"] = unsecured["@context"]
    return hashlib.sha256(canonical(config)).digest() + hashlib.sha256(canonical(unsecured)).digest()


def sign(document: dict[str, Any], key: Ed25519PrivateKey, verification_method: str,
         created: str | None = None) -> dict[str, Any]:
    """A copy of `document` with one eddsa-jcs-2022 proof (as a one-item list, as Open Badges 3.0 has it).

    Ed25519 signatures are deterministic: the same document and key give the same bytes every time."""
    unsecured = {k: copy.deepcopy(v) for k, v in document.items() if k != "proof"}
    options: dict[str, Any] = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE}
    if created:
        options["created"] = created
    options.update({"verificationMethod": verification_method, "proofPurpose": PURPOSE})
    signature = key.sign(_hash_data(unsecured, options))
    return {**unsecured, "proof": [{**options, "proofValue": "z" + b58encode(signature)}]}


def signature_matches(document: dict[str, Any], proof: dict[str, Any], key: Ed25519PublicKey) -> bool:
    """Whether `proof` (one of `document`'s proofs) is `key`'s signature of the document as it is now.
    A proofValue that is not even a well-formed signature is simply a mismatch."""
    try:
        signature = multibase_decode(proof.get("proofValue", ""))
    except ValueError:
        return False
    if len(signature) != 64:
        return False
    try:
        key.verify(signature, _hash_data(document, proof))
    except InvalidSignature:
        return False
    return True
