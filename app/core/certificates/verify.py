"""Check a credential offline: VALID, ALTERED, UNKNOWN_ISSUER or INVALID, with a sentence that says why.

    INVALID         not a credential this app can check: the message names the field (or the line of
                    broken JSON) at fault
    ALTERED         well formed, but the signature does not match the content: something was changed
                    after signing (a letter of the name, a date, the proof value itself)
    UNKNOWN_ISSUER  correctly signed, but by a key this machine does not trust, or by a key it cannot
                    read offline (anything but a did:key); also when the signing key is not the key of
                    the issuer the credential names
    VALID           correctly signed by a trusted issuer's key, and that issuer is the one named

The signature is checked before trust, so a changed credential reads ALTERED whoever signed it.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.certificates.credential import CREDENTIAL_TYPES, VC_CONTEXT, readable_code, verification_code
from app.core.certificates.didkey import did_of_method, fingerprint, key_from_did
from app.core.certificates.proofs import CRYPTOSUITE, PROOF_TYPE, PURPOSE, signature_matches
from app.core.certificates.trust import TrustedIssuer
from app.core.i18n import _

MAX_BYTES = 1024 * 1024  # a credential is a few kilobytes


class Status(str, enum.Enum):
    VALID = "valid"
    ALTERED = "altered"
    UNKNOWN_ISSUER = "unknown-issuer"
    INVALID = "invalid"


@dataclass(frozen=True)
class Verification:
    status: Status
    message: str
    field: str | None = None  # INVALID: the field at fault, e.g. "credentialSubject.achievement.name"
    line: int | None = None  # INVALID: the line of broken JSON
    issuer_id: str | None = None
    issuer_name: str | None = None  # as the credential names it (and, when VALID, as we trust it)
    learner_name: str | None = None
    course: str | None = None
    awarded: str | None = None
    code: str | None = None  # verification code, "3F2A-9C1B-07DE"

    @property
    def valid(self) -> bool:
        return self.status is Status.VALID

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status.value, "valid": self.valid, "message": self.message, "field": self.field,
                "line": self.line, "issuer": {"id": self.issuer_id, "name": self.issuer_name,
                                              "fingerprint": fingerprint(self.issuer_id) if self.issuer_id else None},
                "learner": self.learner_name, "course": self.course, "awarded": self.awarded, "code": self.code}


class _Invalid(Exception):
    def __init__(self, message: str, field: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message, self.field, self.line = message, field, line


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Two values for one key would let another reader show what we did not check.
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Invalid(_("the key \"{key}\" appears twice in one object.").format(key=key), key)
        seen[key] = value
    return seen


def _refuse_constant(name: str) -> Any:
    raise _Invalid(_("{value} is not a JSON number.").format(value=name))


def parse(data: bytes | str) -> dict[str, Any]:
    if len(data) > MAX_BYTES:
        raise _Invalid(_("this is too large to be a credential (at most {n} KB).").format(n=MAX_BYTES // 1024))
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _Invalid(_("this is not text (UTF-8 JSON).")) from None
    try:
        value = json.loads(data, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as err:
        raise _Invalid(_("this is not JSON: {error} (line {line}, column {column}).").format(
            error=err.msg, line=err.lineno, column=err.colno), line=err.lineno) from None
    except RecursionError:
        raise _Invalid(_("this JSON nests too deeply to be a credential.")) from None
    if not isinstance(value, dict):
        raise _Invalid(_("a credential is a JSON object; this is not one."))
    return value


def _get(document: Mapping[str, Any], path: str, kind: type | tuple[type, ...] = str) -> Any:
    value: Any = document
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if value is None:
        raise _Invalid(_("the field {field} is missing.").format(field=path), path)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise _Invalid(_("the field {field} has the wrong kind of value.").format(field=path), path)
    return value


def _check_shape(document: Mapping[str, Any]) -> dict[str, Any]:
    """The one proof to check; _Invalid for anything that makes this not a checkable credential."""
    contexts = _get(document, "@context", list)
    if not contexts or contexts[0] != VC_CONTEXT:
        raise _Invalid(_("the field @context must start with {url} (a Verifiable Credential 2.0).").format(
            url=VC_CONTEXT), "@context")
    types = _get(document, "type", list)
    if "VerifiableCredential" not in types or not any(t in types for t in CREDENTIAL_TYPES):
        raise _Invalid(_("the field type must hold VerifiableCredential and OpenBadgeCredential: this is "
                         "not an Open Badges credential."), "type")
    _get(document, "id")
    issuer = _get(document, "issuer", (str, dict))
    if isinstance(issuer, dict):
        _get(document, "issuer.id")
    _get(document, "validFrom")
    _get(document, "credentialSubject", dict)
    _get(document, "credentialSubject.achievement", dict)
    _get(document, "credentialSubject.achievement.name")
    proofs = document.get("proof")
    if proofs is None:
        raise _Invalid(_("the field proof is missing: the credential is not signed."), "proof")
    if isinstance(proofs, dict):
        proofs = [proofs]
    if not isinstance(proofs, list) or len(proofs) != 1 or not isinstance(proofs[0], dict):
        raise _Invalid(_("the field proof must hold exactly one proof."), "proof")
    proof = proofs[0]
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise _Invalid(_("the proof is of a kind this app does not check ({kind}); it checks {suite} "
                         "Data Integrity proofs.").format(kind=proof.get("cryptosuite") or proof.get("type"),
                                                          suite=CRYPTOSUITE), "proof[0].cryptosuite")
    for name in ("verificationMethod", "proofValue"):
        if not isinstance(proof.get(name), str) or not proof[name]:
            raise _Invalid(_("the field {field} is missing.").format(field=f"proof[0].{name}"), f"proof[0].{name}")
    if proof.get("proofPurpose") != PURPOSE:
        raise _Invalid(_("the proof's purpose must be {purpose}.").format(purpose=PURPOSE), "proof[0].proofPurpose")
    return proof


def _learner(document: Mapping[str, Any]) -> str | None:
    identities = document["credentialSubject"].get("identifier")
    for identity in identities if isinstance(identities, list) else ():
        if isinstance(identity, dict) and identity.get("identityType") == "name" and not identity.get("hashed"):
            return identity.get("identityHash")
    return None


def _day(moment: str) -> str:
    from app.core.formatting import date

    try:
        return date(moment)
    except (ValueError, TypeError):
        return str(moment)


def verify_credential(data: bytes | str | Mapping[str, Any],
                      trusted_issuers: Iterable[TrustedIssuer] | Mapping[str, TrustedIssuer]) -> Verification:
    """Check a credential (its file's bytes, its text, or the parsed object) against the issuers trusted here."""
    trusted = dict(trusted_issuers) if isinstance(trusted_issuers, Mapping) else {t.id: t for t in trusted_issuers}
    try:
        document = dict(data) if isinstance(data, Mapping) else parse(data)
        proof = _check_shape(document)
    except _Invalid as err:
        return Verification(Status.INVALID, _("Not a credential: {problem}").format(problem=err.message),
                            field=err.field, line=err.line)
    issuer = document["issuer"]
    named_id = issuer if isinstance(issuer, str) else issuer["id"]
    named = issuer.get("name") if isinstance(issuer, dict) and isinstance(issuer.get("name"), str) else named_id
    method = proof["verificationMethod"]
    facts = {"issuer_id": named_id, "issuer_name": named, "learner_name": _learner(document),
             "course": document["credentialSubject"]["achievement"]["name"],
             "awarded": document.get("awardedDate") or document["validFrom"]}
    try:
        key = key_from_did(method)
    except ValueError:
        return Verification(Status.UNKNOWN_ISSUER, _("Signed with a key this computer cannot read offline ({key}): "
                                                     "only did:key signatures can be checked here.").format(key=method),
                            **facts)
    try:
        matches = signature_matches(document, proof, key)
    except (ValueError, TypeError, OverflowError, RecursionError):  # JCS refuses it (a number out of range)
        matches = False
    if not matches:
        return Verification(Status.ALTERED, _("Altered: the signature does not match the content. Something in "
                                              "this credential was changed after it was signed; do not accept it."),
                            **facts)
    code = readable_code(verification_code(document))
    signer = did_of_method(method)
    if signer != named_id:
        return Verification(Status.UNKNOWN_ISSUER, _("Signed with key {fingerprint}, which is not the key of the "
                                                     "issuer it names ({issuer}); do not accept it.").format(
                                                         fingerprint=fingerprint(signer), issuer=named),
                            code=code, **facts)
    if signer not in trusted:
        return Verification(Status.UNKNOWN_ISSUER, _("Correctly signed by {issuer} (key {fingerprint}), but this "
                                                     "computer does not trust that institution yet. If you know the "
                                                     "key is theirs, import their public key file.").format(
                                                         issuer=named, fingerprint=fingerprint(signer)),
                            code=code, **facts)
    facts["issuer_name"] = trusted[signer].name
    return Verification(Status.VALID, _("Valid: signed by {issuer}, a trusted institution. {learner} completed "
                                        "{course} ({date}). Verification code {code}.").format(
                                            issuer=trusted[signer].name, learner=facts["learner_name"] or "?",
                                            course=facts["course"], date=_day(facts["awarded"]), code=code),
                        code=code, **facts)
