"""Headless certificate commands: the issuing institution's key, trusted institutions, and checking a
credential offline. The passphrase is read from a prompt (typed twice when creating), or from the first
line of standard input when it is not a terminal, never from the command line.

    python main.py certificate issuer create --name N     make this machine's issuing key (trainer's machine)
    python main.py certificate issuer export --out FILE   write the public key file other machines import
    python main.py certificate trust PUBLIC_KEY_FILE      trust an institution's key on this machine
    python main.py certificate verify FILE [--json]       valid / altered / unknown issuer / invalid
    python main.py certificate issue COURSE_ID [--cohort NAME_OR_ID] --out FOLDER [--json]
        a signed credential (JSON) and a printable certificate (PDF, in the learner's language) for each
        completion of the course collected on this machine (in the cohort, or among every learner), recorded
        as issued; prints what was issued and what was skipped, with the reason

Exit codes: 0 done (verify: the credential is valid; issue: every completion found has its certificate, or
none was found); 1 anything else (verify: altered, unknown issuer, invalid, or the file cannot be read;
issue: no issuing key, a wrong passphrase, an unknown course or cohort, a folder that cannot be written:
nothing was signed), with the reason on standard error; 2 bad usage; 3 (issue) done, but some completions
were skipped (each is listed with its reason).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.core.i18n import _


def add_commands(commands) -> None:
    certificate = commands.add_parser("certificate", help="signed certificates: issuing key, trust, verify"
                                      ).add_subparsers(dest="action", required=True)
    issuer = certificate.add_parser("issuer", help="this machine's issuing institution").add_subparsers(
        dest="issuer_action", required=True)
    create = issuer.add_parser("create", help="create the institution's Ed25519 key; the passphrase that seals "
                                              "it is asked for, or read from the first line of standard input")
    create.add_argument("--name", required=True, help="the institution's name, as certificates show it")
    export = issuer.add_parser("export", help="write the public key file that other machines import with "
                                              "'certificate trust'")
    export.add_argument("--out", required=True, type=Path, help="file to write (JSON)")
    trust = certificate.add_parser("trust", help="trust an institution's public key file on this machine")
    trust.add_argument("public_key_file", type=Path)
    trust.add_argument("--json", action="store_true", help="print the result as one JSON object")
    verify = certificate.add_parser("verify", help="check a credential offline: exit 0 when valid, else 1")
    verify.add_argument("file", type=Path)
    verify.add_argument("--json", action="store_true", help="print the result as one JSON object")
    issue = certificate.add_parser("issue", help="sign a certificate (JSON + PDF) for each collected completion "
                                                 "of a course; the passphrase is asked for, or read from the first "
                                                 "line of standard input")
    issue.add_argument("course_id", metavar="COURSE_ID")
    issue.add_argument("--cohort", help="the cohort's name or id (default: every learner this machine knows)")
    issue.add_argument("--out", required=True, type=Path, help="the folder to write the files in")
    issue.add_argument("--json", action="store_true", help="print the result as one JSON object")


def run(args: argparse.Namespace) -> int:
    from app.accounts_cli import _NoPassword
    from app.core.accounts.roles import NotAllowed
    from app.core.certificates.issuer import IssuerError
    from app.core.paths import data_dir
    from app.core.problems import InvalidInput
    from app.core.storage.database import DatabaseUnavailable

    root = data_dir(args.data_dir)
    if getattr(args, "locale", None):  # the global --locale: messages, and the language of last resort
        from app.core.i18n import set_locale

        set_locale(args.locale)
    try:
        if args.action == "issuer" and args.issuer_action == "create":
            return create_issuer(args, root)
        if args.action == "issuer" and args.issuer_action == "export":
            return export_issuer(args, root)
        if args.action == "trust":
            return trust(args, root)
        if args.action == "verify":
            return verify(args, root)
        if args.action == "issue":
            return issue(args, root)
    except (IssuerError, NotAllowed, _NoPassword, _Refused) as err:
        print(str(err), file=sys.stderr)
        return 1
    except InvalidInput as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    except DatabaseUnavailable as err:
        print(_("{path}: {reason}").format(path=err.path, reason=err.reason), file=sys.stderr)
        return 1
    return 2


def _database(root: Path):
    from app.core.storage.database import open_database

    return open_database(root)


def create_issuer(args, root: Path) -> int:
    from app.accounts_cli import read_password
    from app.core.accounts.roles import installation_principal
    from app.core.certificates import issuer as issuing
    from app.core.certificates.trust import TrustedIssuers

    problem = issuing.name_problem(args.name)  # before asking for a passphrase that would be thrown away
    if problem:
        raise issuing.IssuerError(problem)
    issuing.refuse_a_second_key(root)
    passphrase = read_password(_("Passphrase that protects the issuing key of {name}: ").format(name=args.name))
    principal = installation_principal()
    created = issuing.create_issuer(principal, root, args.name, passphrase)
    database = _database(root)
    try:
        TrustedIssuers(database).trust(principal, created, own=True)  # its own certificates verify here
    finally:
        database.dispose()
    print(_("Issuing key of {name} created in {path}.").format(name=created.name, path=issuing.issuer_key_path(root)))
    print(_("Key fingerprint: {fingerprint}. Give other machines the public key file (certificate issuer export) "
            "and read them this fingerprint to compare.").format(fingerprint=created.fingerprint))
    print(_("Keep the passphrase safe: without it no certificate can be signed, and nobody can recover it."))
    return 0


def export_issuer(args, root: Path) -> int:
    from app.core.atomic import write_text
    from app.core.certificates.issuer import load_issuer, no_issuing_key

    issuer = load_issuer(root)
    if issuer is None:
        raise no_issuing_key()
    write_text(args.out, json.dumps(issuer.public_file(), ensure_ascii=False, indent=2) + "\n")
    print(_("Public key of {name} written to {path} (fingerprint {fingerprint}).").format(
        name=issuer.name, path=args.out, fingerprint=issuer.fingerprint))
    return 0


def trust(args, root: Path) -> int:
    from app.core.accounts.roles import installation_principal
    from app.core.certificates.trust import TrustedIssuers

    database = _database(root)
    try:
        issuer, outcome = TrustedIssuers(database).import_file(installation_principal(), args.public_key_file)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps({"id": issuer.id, "name": issuer.name, "fingerprint": issuer.fingerprint,
                          "outcome": outcome}, ensure_ascii=False))
        return 0
    messages = {"added": _("{name} is now trusted on this computer (key fingerprint {fingerprint})."),
                "renamed": _("{name} was already trusted; its name is updated (key fingerprint {fingerprint})."),
                "unchanged": _("{name} was already trusted (key fingerprint {fingerprint}).")}
    print(messages[outcome].format(name=issuer.name, fingerprint=issuer.fingerprint))
    return 0


def verify(args, root: Path) -> int:
    from app.core.certificates.trust import trusted_on_this_machine
    from app.core.certificates.verify import MAX_BYTES, verify_credential

    path: Path = args.file
    try:
        if path.stat().st_size > MAX_BYTES:
            raise OSError(_("this is too large to be a credential (at most {n} KB).").format(n=MAX_BYTES // 1024))
        data = path.read_bytes()
    except OSError as err:
        reason = err.strerror or str(err)
        if args.json:
            print(json.dumps({"status": "unreadable", "valid": False, "file": str(path), "message": reason},
                             ensure_ascii=False))
        else:
            print(_("{path}: {reason}").format(path=path, reason=reason), file=sys.stderr)
        return 1
    database = _database(root)
    try:
        trusted = trusted_on_this_machine(database, root)
    finally:
        database.dispose()
    result = verify_credential(data, trusted)
    if args.json:
        print(json.dumps({"file": str(path), **result.as_json()}, ensure_ascii=False))
        return 0 if result.valid else 1
    where = f"{path}:{result.line}" if result.line else str(path)
    if result.field:
        where += f" ({result.field})"
    print(f"{where}: {result.message}", file=sys.stdout if result.valid else sys.stderr)
    return 0 if result.valid else 1


class _Refused(Exception):
    """The command cannot go on; the message says why. Nothing was signed or written."""


def _unlock_passphrase(prompt: str) -> str:
    """Typed once at a terminal (not echoed; a wrong one is simply refused), or the first line of standard
    input; never the command line."""
    from app.accounts_cli import _NoPassword

    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        passphrase = getpass.getpass(prompt)
    else:
        passphrase = (sys.stdin.readline() if sys.stdin is not None else "").rstrip("\r\n")
    if not passphrase:
        raise _NoPassword(_("No passphrase: type it at the prompt, or give it as the first line of standard input."))
    return passphrase


def _pdf_printer():
    """The certificate printer (Qt), with an off-screen QGuiApplication and the bundled fonts: a headless
    command needs no display. Returns (application, printer); keep the application while printing."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    application = QGuiApplication.instance() or QGuiApplication(["main.py"])
    from app.ui.certificate_pdf import write_certificate
    from app.ui.fonts import register_bundled_fonts

    register_bundled_fonts()
    return application, write_certificate


def _find_cohort(database, principal, name_or_id: str):
    from app.core.cohorts.store import CohortError, Cohorts

    store = Cohorts(database)
    found = store.find_cohort(principal, name_or_id)
    if found is None:
        try:
            found = store.cohort(principal, name_or_id.strip())
        except CohortError:
            known = ", ".join(c.name for c in store.cohorts(principal, include_archived=True)) or _("none")
            raise _Refused(_("There is no cohort called '{name}'. Cohorts: {names}.").format(
                name=name_or_id, names=known)) from None
    return found


def issue(args, root: Path) -> int:
    from app.core.accounts.roles import installation_principal
    from app.core.certificates.completions import collected_completions
    from app.core.certificates.issuer import load_issuer, no_issuing_key, unlock_issuer
    from app.core.certificates.issuing import IssueRun, issuable, issue_certificates
    from app.core.course.catalogue import load_catalogue
    from app.core.i18n import current_locale, ngettext
    from app.core.services import course_folders
    from app.core.tasks import TaskState

    principal = installation_principal()
    issuer = load_issuer(root)  # before anything is asked: there must be a key to sign with
    if issuer is None:
        raise no_issuing_key()
    catalogue = load_catalogue(course_folders(root), current_locale())
    course = catalogue.course(args.course_id)
    if course is None:
        known = ", ".join(c.id for c in catalogue.courses) or _("none")
        raise _Refused(_("There is no course '{id}' on this machine. Courses: {ids}.").format(id=args.course_id,
                                                                                          ids=known))
    database = _database(root)
    try:
        cohort = _find_cohort(database, principal, args.cohort) if args.cohort else None
        completions = collected_completions(database, principal, course, cohort.id if cohort else None)
        good, skipped = issuable(completions)
        run = IssueRun(args.out, skipped=skipped)
        if good:
            passphrase = _unlock_passphrase(_("Passphrase of the issuing key of {name}: ").format(name=issuer.name))
            signer = unlock_issuer(principal, root, passphrase)  # a wrong passphrase stops here: nothing written
            _application, printer = _pdf_printer()
            try:
                issue_certificates(principal, signer, completions, args.out, TaskState(), print_pdf=printer,
                                   database=database, run=run)
            except OSError as err:
                raise _Refused(_("{path}: the files could not be written: {error}").format(
                    path=err.filename or args.out, error=err.strerror or err)) from None
    finally:
        database.dispose()
    who = cohort.name if cohort else None
    if args.json:
        print(json.dumps({
            "course": course.id, "version": course.version, "cohort": who, "out": str(args.out),
            "found": len(completions),
            "issued": [{"learner": f.completion.learner_name, "staff_number": f.completion.staff_number,
                        "locale": f.completion.locale, "completed_at": f.completion.completed_at,
                        "credential": str(f.path), "pdf": str(f.path.with_suffix(".pdf")), "code": f.code}
                       for f in run.credentials],
            "skipped": [{"learner": c.learner_name, "staff_number": c.staff_number, "reasons": reasons}
                        for c, reasons in run.skipped]}, ensure_ascii=False))
    else:
        if not completions:
            print(_("No learner has completed {course} yet ({who}): nothing to issue.").format(
                course=course.id, who=who or _("All learners")))
        for issued in run.credentials:
            print(_("{name}: {file} (verification code {code})").format(
                name=issued.completion.learner_name, file=issued.path.name, code=issued.code))
        for completion, reasons in run.skipped:
            print(_("Skipped {name}: {reasons}").format(name=completion.learner_name or "-",
                                                        reasons=" ".join(reasons)), file=sys.stderr)
        if run.credentials:
            print(ngettext("{n} certificate issued in {path} (a credential and a PDF each).",
                           "{n} certificates issued in {path} (a credential and a PDF each).",
                           len(run.credentials)).format(n=len(run.credentials), path=args.out))
        if run.skipped:
            print(ngettext("{n} completion skipped: see the reason above.",
                           "{n} completions skipped: see the reasons above.", len(run.skipped)).format(
                n=len(run.skipped)), file=sys.stderr)
    return 3 if run.skipped else 0
