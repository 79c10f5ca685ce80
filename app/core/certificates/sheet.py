"""What a printed certificate says, in the learner's language: a signed certificate (from the signed
credential itself, so paper and file say the same) or, on a learner's own machine with no key, a record
of completion clearly marked as not signed. Drawing it is the printer's job (app/ui/certificate_pdf.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.core.certificates.credential import Completion, completed_at, readable_code, verification_code
from app.core.certificates.language import text
from app.core.i18n import N_, best_locale, locale_info

# TRANSLATORS: the heading of a signed certificate.
CERTIFICATE = N_("Certificate of completion")
# TRANSLATORS: the heading of a record printed on the learner's own computer (not signed).
RECORD = N_("Record of completion")
# TRANSLATORS: before the learner's name on a certificate.
CERTIFIES = N_("This certifies that")
# TRANSLATORS: before the learner's name on an unsigned record of completion.
RECORDS = N_("This records that")
# TRANSLATORS: between the learner's name and the course title.
COMPLETED_COURSE = N_("has completed the course")
VERSION = N_("Version {version}")
COMPLETED_ON = N_("Completed on {date}")
ISSUED_BY = N_("Issued by {issuer}")
CODE = N_("Verification code: {code}")
# TRANSLATORS: {file} is the credential file (JSON) given with the certificate.
HOW_TO_VERIFY = N_("To verify this certificate, open its credential file {file} in Civic AI Academy (Verify a "
                   "certificate) or run: python main.py certificate verify {file}. The verification code shown "
                   "must be the one printed here.")
# TRANSLATORS: printed in a box on a record of completion made on a learner's own computer.
NOT_SIGNED = N_("Not a signed certificate")
# TRANSLATORS: explains the "Not a signed certificate" box.
NOT_SIGNED_DETAIL = N_("This record was printed on the learner's own computer and carries no institution's "
                       "signature. It cannot be verified; ask your trainer for a signed certificate.")


@dataclass(frozen=True)
class CertificateSheet:
    locale: str  # a shipped locale: the printer picks its fonts and direction from it
    signed: bool
    title: str
    intro: str
    learner: str
    achievement: str
    course: str
    details: tuple[str, ...]  # version, date, issuer
    code: str | None = None  # "Verification code: 3F2A-9C1B-07DE"
    how_to_verify: str | None = None
    notice: str | None = None  # "Not a signed certificate" on an unsigned record
    notice_detail: str | None = None

    @property
    def rtl(self) -> bool:
        return locale_info(self.locale).rtl

    @property
    def document_title(self) -> str:
        parts = [self.title, self.learner, self.course] + ([self.notice] if self.notice else [])
        return " - ".join(parts)

    def lines(self) -> list[str]:
        """Every text on the sheet, in reading order (for tests and plain-text output)."""
        head = [self.notice] if self.notice else []
        tail = [t for t in (self.code, self.how_to_verify, self.notice_detail) if t]
        return head + [self.title, self.intro, self.learner, self.achievement, self.course, *self.details, *tail]


def _isolated(value: str, locale: str) -> str:
    # A version, file or code stays in one piece, left to right, inside a right-to-left sentence. Only
    # there: elsewhere the marks would do nothing but hide the text from PDF text extraction.
    return f"\u2068{value}\u2069" if locale_info(locale).rtl else value


def _date(value: str, locale: str) -> str:
    from babel.dates import format_date

    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return format_date(moment.date(), format="long", locale=locale)


def certificate_sheet(credential: dict[str, Any], credential_file: str | None = None) -> CertificateSheet:
    """The signed certificate, from a signed credential, in the language the credential was issued in."""
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    locale = best_locale(achievement.get("inLanguage"))
    learner = next((i["identityHash"] for i in subject.get("identifier", ())
                    if i.get("identityType") == "name" and not i.get("hashed")), "")
    issuer = credential["issuer"]
    issuer_name = issuer.get("name", issuer.get("id")) if isinstance(issuer, dict) else issuer
    details = [text(COMPLETED_ON, locale).format(date=_date(credential.get("awardedDate") or credential["validFrom"],
                                                            locale)),
               text(ISSUED_BY, locale).format(issuer=issuer_name)]
    if achievement.get("version"):
        details.insert(0, text(VERSION, locale).format(version=_isolated(achievement["version"], locale)))
    code = readable_code(verification_code(credential))
    return CertificateSheet(
        locale=locale, signed=True, title=text(CERTIFICATE, locale), intro=text(CERTIFIES, locale),
        learner=learner, achievement=text(COMPLETED_COURSE, locale), course=achievement["name"],
        details=tuple(details), code=text(CODE, locale).format(code=_isolated(code, locale)),
        how_to_verify=text(HOW_TO_VERIFY, locale).format(file=_isolated(credential_file or "certificate.json", locale)))


def record_sheet(completion: Completion) -> CertificateSheet:
    """A record of completion for a learner's own machine: the same facts, no signature, marked so."""
    locale = best_locale(completion.locale)
    when = completed_at(completion)
    details = [text(VERSION, locale).format(version=_isolated(completion.course_version.strip(), locale))]
    if when:
        details.append(text(COMPLETED_ON, locale).format(date=_date(when, locale)))
    return CertificateSheet(
        locale=locale, signed=False, title=text(RECORD, locale), intro=text(RECORDS, locale),
        learner=completion.learner_name.strip(), achievement=text(COMPLETED_COURSE, locale),
        course=completion.course_title.strip(), details=tuple(details),
        notice=text(NOT_SIGNED, locale), notice_detail=text(NOT_SIGNED_DETAIL, locale))

