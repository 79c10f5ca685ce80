"""Certificates, keys and trust: did:key and the eddsa-jcs-2022 proof against published vectors, the issuing
key (trainers and administrators only, sealed with a passphrase, never in clear on disk), and trusting
another institution's public key file."""

from __future__ import annotations

import base64
import json
import os
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from app.core.accounts.passwords import ScryptCost
from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed, Principal, installation_principal
from app.core.certificates import sealing
from app.core.certificates.didkey import (b58decode, b58encode, did_for, key_from_did, multibase_decode,
                                          public_key_multibase)
from app.core.certificates.issuer import IssuerError, create_issuer, issuer_key_path, load_issuer, unlock_issuer
from app.core.certificates.proofs import sign, signature_matches
from app.core.certificates.trust import TrustedIssuers, read_public_key_file
from app.core.problems import InvalidInput
from app.core.storage.database import open_database

QUICK = ScryptCost(log2_n=10, r=8, p=1)  # the real cost (128 MiB) would make each test take a second
TRAINER_KIM = Principal(name="Kim", role=TRAINER, learner_id="t-1", account_id="a-1")
LEARNER_LEE = Principal(name="Lee", role=LEARNER, learner_id="l-1", account_id="a-2")
PASSPHRASE = "correct horse battery"

# The W3C Recommendation "Data Integrity EdDSA Cryptosuites v1.0", its eddsa-jcs-2022 example: a key pair
# and a credential signed with it. Reproducing and verifying it shows the proof is the standard one.
W3C_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]
W3C_SIGNED = {
    "@context": W3C_CONTEXT,
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "created": "2023-02-24T23:36:38Z",
              "verificationMethod": f"did:key:{W3C_PUBLIC}#{W3C_PUBLIC}", "proofPurpose": "assertionMethod",
              "@context": W3C_CONTEXT,
              "proofValue": "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"}}


@pytest.fixture
def database(data_dir):
    db = open_database(data_dir)
    yield db
    db.dispose()


# --- did:key and the proof ---

def test_did_key_matches_the_open_badges_specification_vector():
    # Open Badges 3.0's proof example: this public key is the Multikey "z6MkjZRZ...".
    key = Ed25519PublicKey.from_public_bytes(
        bytes.fromhex("4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"))
    assert public_key_multibase(key) == "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    did = did_for(key)
    assert did == "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    assert key_from_did(did + "#" + did.removeprefix("did:key:")) == key


@pytest.mark.parametrize("data", [b"", b"\0", b"\0\0\x01", b"hello", bytes(range(100)), b"\xff" * 40])
def test_base58_round_trips_with_leading_zeros(data):
    assert b58decode(b58encode(data)) == data
    assert b58encode(b"\0\0\x01") == "112"


@pytest.mark.parametrize("text", ["did:web:example.org", "did:key:zQ3s", "https://example.org/key",
                                  "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi#z6Mkother", 42])
def test_anything_but_an_ed25519_did_key_is_refused(text):
    with pytest.raises(ValueError):
        key_from_did(text)


def test_the_w3c_eddsa_jcs_2022_vector_verifies_and_is_reproduced():
    public = key_from_did(W3C_SIGNED["proof"]["verificationMethod"])
    assert signature_matches(W3C_SIGNED, W3C_SIGNED["proof"], public)
    secret = multibase_decode(W3C_SECRET)
    assert secret[:2] == b"\x80\x26"  # multicodec ed25519-priv
    key = Ed25519PrivateKey.from_private_bytes(secret[2:])
    assert public_key_multibase(key.public_key()) == W3C_PUBLIC
    unsigned = {k: v for k, v in W3C_SIGNED.items() if k != "proof"}
    ours = sign(unsigned, key, W3C_SIGNED["proof"]["verificationMethod"], created="2023-02-24T23:36:38Z")
    assert ours["proof"][0]["proofValue"] == W3C_SIGNED["proof"]["proofValue"]  # Ed25519 is deterministic
    changed = {**W3C_SIGNED, "name": "Alumni credential"}
    assert not signature_matches(changed, W3C_SIGNED["proof"], public)


# --- the issuing key ---

def test_a_learner_cannot_create_or_unlock_an_issuing_key(data_dir):
    with pytest.raises(NotAllowed):
        create_issuer(LEARNER_LEE, data_dir, "Ministry of the Interior", PASSPHRASE, cost=QUICK)
    assert not issuer_key_path(data_dir).exists()
    create_issuer(TRAINER_KIM, data_dir, "Ministry of the Interior", PASSPHRASE, cost=QUICK)
    with pytest.raises(NotAllowed):
        unlock_issuer(LEARNER_LEE, data_dir, PASSPHRASE)
    with pytest.raises(NotAllowed):
        create_issuer(None, data_dir, "Ministry", PASSPHRASE, cost=QUICK)


def _secret_forms(seed: bytes) -> list[bytes]:
    key = Ed25519PrivateKey.from_private_bytes(seed)
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return [seed, seed.hex().encode(), seed.hex().upper().encode(), base64.b64encode(seed),
            base64.b64encode(seed).rstrip(b"="), base64.urlsafe_b64encode(seed).rstrip(b"="),
            b58encode(seed).encode(), b58encode(b"\x80\x26" + seed).encode(), pem, der,
            base64.b64encode(der), b"PRIVATE KEY-----\n" + pem.splitlines()[1]]


def test_the_private_key_is_never_on_disk_in_clear(data_dir):
    issuer = create_issuer(TRAINER_KIM, data_dir, "Ministry of the Interior", PASSPHRASE, cost=QUICK)
    stored = issuer_key_path(data_dir).read_bytes()
    seed = unlock_issuer(TRAINER_KIM, data_dir, PASSPHRASE)._key.private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    for form in _secret_forms(seed):
        assert form not in stored
    assert PASSPHRASE.encode() not in stored
    assert issuer.id.encode() in stored  # the public half is there, readable without the passphrase
    assert load_issuer(data_dir) == issuer
    assert [p.name for p in issuer_key_path(data_dir).parent.iterdir()] == ["issuer-key.json"]  # no temporary left
    if sys.platform != "win32":
        assert os.stat(issuer_key_path(data_dir)).st_mode & 0o077 == 0  # only its owner may read it


def test_a_wrong_passphrase_is_refused_clearly(data_dir):
    create_issuer(TRAINER_KIM, data_dir, "Ministry of the Interior", PASSPHRASE, cost=QUICK)
    with pytest.raises(IssuerError, match="Wrong passphrase.*Ministry of the Interior.*Nothing was signed"):
        unlock_issuer(TRAINER_KIM, data_dir, "correct horse battery!")
    signer = unlock_issuer(TRAINER_KIM, data_dir, PASSPHRASE)
    assert signer.issuer.name == "Ministry of the Interior"
    assert "_key" not in repr(signer) and "Ed25519PrivateKey" not in repr(signer)


def test_the_key_file_opens_only_as_written(data_dir):
    create_issuer(TRAINER_KIM, data_dir, "Ministry of the Interior", PASSPHRASE, cost=QUICK)
    path = issuer_key_path(data_dir)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["name"] = "Ministry of Finance"  # the public fields are bound to the sealed key
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(IssuerError, match="Wrong passphrase"):
        unlock_issuer(TRAINER_KIM, data_dir, PASSPHRASE)
    data["encryptedPrivateKey"]["ln"] = 40  # a tampered cost must not make an unlock take hours
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(IssuerError, match=r"damaged \(field encryptedPrivateKey.encryption.ln\)"):
        unlock_issuer(TRAINER_KIM, data_dir, PASSPHRASE)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(IssuerError, match="damaged"):
        load_issuer(data_dir)


def test_one_issuing_key_per_machine_and_sensible_names_and_passphrases(data_dir):
    with pytest.raises(IssuerError, match="too short"):
        create_issuer(TRAINER_KIM, data_dir, "Ministry", "short", cost=QUICK)
    with pytest.raises(IssuerError, match="name"):
        create_issuer(TRAINER_KIM, data_dir, "  ", PASSPHRASE, cost=QUICK)
    with pytest.raises(IssuerError, match="cannot be the institution's name"):
        create_issuer(TRAINER_KIM, data_dir, "Ministry of the Interior", "ministry of the interior", cost=QUICK)
    assert load_issuer(data_dir) is None
    first = create_issuer(TRAINER_KIM, data_dir, "Ministry of the Interior", PASSPHRASE, cost=QUICK)
    with pytest.raises(IssuerError, match="already has an issuing key"):
        create_issuer(installation_principal(), data_dir, "Another", PASSPHRASE, cost=QUICK)
    assert load_issuer(data_dir) == first


def test_the_default_cost_is_memory_hard():
    assert sealing.DEFAULT_COST.memory >= 128 * 1024 * 1024


# --- trust ---

def test_a_public_key_file_is_imported_once_and_only_by_a_trainer(tmp_path, data_dir, database):
    issuer = create_issuer(TRAINER_KIM, data_dir, "Ministry of the Interior", PASSPHRASE, cost=QUICK)
    public = tmp_path / "ministry.json"
    public.write_text(json.dumps(issuer.public_file()), encoding="utf-8")
    assert b"encryptedPrivateKey" not in public.read_bytes()
    registry = TrustedIssuers(database)
    with pytest.raises(NotAllowed):
        registry.import_file(LEARNER_LEE, public)
    assert registry.all() == []
    trusted, outcome = registry.import_file(TRAINER_KIM, public)
    assert (trusted.id, trusted.name, outcome) == (issuer.id, "Ministry of the Interior", "added")
    assert registry.import_file(TRAINER_KIM, public)[1] == "unchanged"
    public.write_text(json.dumps({**issuer.public_file(), "name": "Ministry of the Interior (Training)"}),
                      encoding="utf-8")
    assert registry.import_file(TRAINER_KIM, public)[1] == "renamed"
    assert [(t.id, t.name) for t in registry.all()] == [(issuer.id, "Ministry of the Interior (Training)")]
    assert trusted.fingerprint == issuer.fingerprint and len(trusted.fingerprint) == 19


def test_a_bad_public_key_file_names_the_field_and_trusts_nothing(tmp_path, database):
    key = Ed25519PrivateKey.generate().public_key()
    other = did_for(Ed25519PrivateKey.generate().public_key())
    path = tmp_path / "key.json"
    path.write_text(json.dumps({"type": "Multikey", "publicKeyMultibase": public_key_multibase(key),
                                "controller": other, "name": "Ministry"}), encoding="utf-8")
    with pytest.raises(InvalidInput, match="field controller"):
        TrustedIssuers(database).import_file(TRAINER_KIM, path)
    path.write_text(json.dumps({"type": "Multikey", "publicKeyMultibase": "z6MkBroken"}), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_public_key_file(path)
    messages = " ".join(p.message for p in caught.value.problems)
    assert "publicKeyMultibase" in messages and "field name" in messages
    path.write_text('{"type": "Multikey",\n "name": }', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_public_key_file(path)
    assert caught.value.problems[0].line == 2
    assert TrustedIssuers(database).all() == []


def test_this_machines_own_institution_is_always_trusted_here(data_dir, database):
    from app.core.certificates.trust import trusted_on_this_machine

    assert trusted_on_this_machine(database, data_dir) == []
    issuer = create_issuer(TRAINER_KIM, data_dir, "Ministry of the Interior", PASSPHRASE, cost=QUICK)
    [own] = trusted_on_this_machine(database, data_dir)  # no row yet (e.g. a restored database)
    assert (own.id, own.own) == (issuer.id, True)
    TrustedIssuers(database).trust(TRAINER_KIM, issuer, own=True)
    assert [t.id for t in trusted_on_this_machine(database, data_dir)] == [issuer.id]
