"""Headless certificate commands: the issuing institution's key, trusted institutions, and checking a
credential offline. The passphrase is read from a prompt (typed twice when creating), or from the first
line of standard input when it is not a terminal, never from the command line.

    python main.py certificate issuer create --name N     make this machine's issuing key (trainer's machine)
    python main.py certificate issuer export --out FILE   write the public key file other machines import
    python main.py certificate trust PUBLIC_KEY_FILE      trust an institution's key on this machine
    python main.py certificate verify FILE [--json]       valid / altered / unknown issuer / invalid

Exit codes: 0 done (verify: the credential is valid); 1 anything else (verify: altered, unknown issuer,
invalid, or the file cannot be read), with the reason on standard error; 2 bad usage.
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


def run(args: argparse.Namespace) -> int:
    from app.accounts_cli import _NoPassword
    from app.core.accounts.roles import NotAllowed
    from app.core.certificates.issuer import IssuerError
    from app.core.paths import data_dir
    from app.core.problems import InvalidInput
    from app.core.storage.database import DatabaseUnavailable

    root = data_dir(args.data_dir)
    try:
        if args.action == "issuer" and args.issuer_action == "create":
            return create_issuer(args, root)
        if args.action == "issuer" and args.issuer_action == "export":
            return export_issuer(args, root)
        if args.action == "trust":
            return trust(args, root)
        if args.action == "verify":
            return verify(args, root)
    except (IssuerError, NotAllowed, _NoPassword) as err:
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
