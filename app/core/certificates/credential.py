"""A course completion as an Open Badges 3.0 OpenBadgeCredential, signed with the institution's key.

The credential is a pure function of the issuer and the completion: its id is derived from the learner,
the course and its version (a UUID 5), and the proof has no `created` time, so re-issuing the same
completion (importing bundles twice, in another order) gives the same bytes, and one learner's
certificate for one course version has one id for life. When it was signed is kept in the
issued_credentials table instead.

Texts a person reads (the credential's name, the achievement's description and criteria) are in the
learner's language; the learner is named by an IdentityObject of type "name", as Open Badges 3.0
allows for recipients without an e-mail address or DID.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.certificates.issuer import Issuer, Signer
from app.core.certificates.language import language_tag, text
from app.core.certificates.proofs import canonical
from app.core.i18n import N_, _

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CREDENTIAL_TYPES = ("OpenBadgeCredential", "AchievementCredential")
_NAMESPACE = uuid.UUID("5b3c1f7e-2f0a-4d55-9a7e-6c1d0e9b8a42")  # this app's namespace for credential ids
CODE_LENGTH = 12

# TRANSLATORS: the credential's name, shown by badge wallets; {course} is the course title.
CREDENTIAL_NAME = N_("Certificate of completion: {course}")
# TRANSLATORS: the achievement's description inside a signed credential.
DESCRIPTION = N_("Completion of the course {course}, version {version}, in Civic AI Academy.")
# TRANSLATORS: what the learner did to earn a certificate (the credential's criteria).
CRITERIA = N_("Completed every lesson and passed every quiz of the course.")


@dataclass(frozen=True)
class Completion:
    """One learner's completion of one course version: what a certificate is issued for. The cohort and
    collection code will make these from collected statements; anything else may too."""

    learner_key: str  # stable across machines, e.g. "<installation id>/<learner id>"
    learner_name: str
    course_id: str
    course_title: str  # in the learner's language, ideally
    course_version: str
    completed_at: str  # ISO 8601; a time without a zone is taken as UTC
    locale: str = "en"  # the learner's language
    staff_number: str | None = None


def completion_problems(completion: Completion) -> list[str]:
    """What is wrong with a completion, as sentences that name the field; empty when it will do."""
    problems = []
    for name in ("learner_key", "learner_name", "course_id", "course_title", "course_version"):
        value = getattr(completion, name)
        if not isinstance(value, str) or not value.strip():
            problems.append(_("{field} is empty.").format(field=name))
        elif any(unicodedata.category(c) == "Cc" for c in value):
            problems.append(_("{field} holds control characters (tabs, line breaks).").format(field=name))
    if completed_at(completion) is None:
        problems.append(_("completed_at is not a date and time (ISO 8601, e.g. 2026-11-21T09:30:00Z): {value}").format(
            value=completion.completed_at))
    if language_tag(completion.locale) is None:
        problems.append(_("locale is not a language code (e.g. en, ko, ar): {value}").format(value=completion.locale))
    return problems


def completed_at(completion: Completion) -> str | None:
    """The completion time as RFC 3339 in UTC to the second ("2026-11-21T09:30:00Z"), or None."""
    try:
        moment = dt.datetime.fromisoformat(str(completion.completed_at).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def credential_id(issuer_id: str, completion: Completion) -> str:
    name = "\n".join([issuer_id, completion.learner_key.strip(), completion.course_id.strip(),
                      completion.course_version.strip()])
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"


def achievement_id(course_id: str, version: str) -> str:
    return f"urn:civicai:course:{quote(course_id.strip(), safe='')}:{quote(version.strip(), safe='')}"


def build_credential(issuer: Issuer, completion: Completion) -> dict[str, Any]:
    """The unsigned credential (call `completion_problems` first)."""
    locale = completion.locale
    when = completed_at(completion)
    title, version = completion.course_title.strip(), completion.course_version.strip()
    identifiers = [{"type": "IdentityObject", "identityHash": completion.learner_name.strip(),
                    "identityType": "name", "hashed": False}]
    if completion.staff_number and completion.staff_number.strip():
        identifiers.append({"type": "IdentityObject", "identityHash": completion.staff_number.strip(),
                            "identityType": "ext:staffNumber", "hashed": False})
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(issuer.id, completion),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": text(CREDENTIAL_NAME, locale).format(course=title),
        "issuer": issuer.profile(),
        "validFrom": when,
        "awardedDate": when,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "activityEndDate": when,
            "achievement": {
                "id": achievement_id(completion.course_id, version),
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": title,
                "description": text(DESCRIPTION, locale).format(course=title, version=version),
                "criteria": {"narrative": text(CRITERIA, locale)},
                "inLanguage": language_tag(locale),
                "version": version,
            },
        },
    }


class CompletionError(ValueError):
    """A completion that cannot be certified; the message says which field and why."""


def issue_credential(principal: Principal, signer: Signer, completion: Completion) -> dict[str, Any]:
    """The signed credential for one completion."""
    require(principal, TRAINER)
    problems = completion_problems(completion)
    if problems:
        raise CompletionError(" ".join(problems))
    return signer.sign(build_credential(signer.issuer, completion))


def verification_code(credential: dict[str, Any]) -> str:
    """The first 12 hex digits of SHA-256 over the signed credential's JCS form: printed on the PDF, shown
    by `certificate verify`, so paper and file can be matched. Any change to the file changes it."""
    return hashlib.sha256(canonical(credential)).hexdigest()[:CODE_LENGTH]


def readable_code(code: str) -> str:
    """"3f2a9c1b07de" -> "3F2A-9C1B-07DE"."""
    code = code.upper()
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def file_name(credential: dict[str, Any], completion: Completion) -> str:
    """A stable, portable file name: course, learner, and the start of the credential id."""
    short = str(credential.get("id", "")).rsplit(":", 1)[-1][:8]
    return f"{_slug(completion.course_id, 40)}_{_slug(completion.learner_name, 40)}_{short}.json"


def _slug(value: str, limit: int) -> str:
    # Letters of any script stay (a Korean name stays Korean); anything a file system may refuse goes.
    cleaned = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFC", value.strip()), flags=re.UNICODE)
    return cleaned.strip("-._")[:limit] or "learner"
