"""`python main.py progress export|import|xapi`: progress bundles and xAPI, headless (app/core/collect).

    python main.py [--data-dir D] progress export --out FILE [--all] [--learner ID]... [--name NAME] [--json]
        write this installation's statements stored since the last export as a bundle (.zip);
        --all: every statement, whatever was exported before (a lost stick); --learner: only these
        learners; --name: remember this installation's name (e.g. the office), carried in bundles.
        Nothing new: says so and writes nothing (exit 0)
    python main.py [--data-dir D] progress import FILE... [--json]
        import bundles (.zip) and xAPI statement files (.json) into the collected progress; prints,
        per file and in total, the statements added, already present and rejected. Acts with the
        installation's authority (whoever can run it can write the data folder)
    python main.py [--data-dir D] progress xapi --out FILE.json [--course ID] [--learner KEY]...
                   [--since DATE] [--until DATE] [--source all|own|collected]
        the selected statements as a JSON array of xAPI 1.0.3 statements for a learning record store;
        --since and --until are days (YYYY-MM-DD, UTC), both included; KEY is "<installation id>/<learner id>"

Exit codes: 0 done (import: every file was read; statements rejected inside a file do not change
that); 1 failed (import: at least one file was refused, or the data folder or a file could not be
used); 2 bad usage. Refusals and rejections go to standard error with the file (and line).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from app.core.i18n import _, ngettext


def add_commands(commands: argparse._SubParsersAction) -> None:
    progress = commands.add_parser("progress", help="progress bundles from offline machines, and xAPI").add_subparsers(
        dest="action", required=True)
    export = progress.add_parser("export", help="write the statements stored since the last export as a bundle")
    export.add_argument("--out", required=True, type=Path, help="the bundle file to write (.zip)")
    export.add_argument("--all", dest="everything", action="store_true",
                        help="every statement, whatever was exported before (e.g. the last stick was lost)")
    export.add_argument("--learner", action="append", metavar="ID", help="only this learner (repeatable)")
    export.add_argument("--name", help="this installation's name, e.g. the office; kept for later exports")
    export.add_argument("--json", action="store_true", help="print the result as one JSON object")
    imports = progress.add_parser("import", help="import progress bundles (.zip) and xAPI statement files (.json)")
    imports.add_argument("files", nargs="+", type=Path)
    imports.add_argument("--json", action="store_true", help="print the result as one JSON object")
    xapi = progress.add_parser("xapi", help="export statements as xAPI 1.0.3 JSON for a learning record store")
    xapi.add_argument("--out", required=True, type=Path, help="the JSON file to write")
    xapi.add_argument("--course", help="only this course id")
    xapi.add_argument("--learner", action="append", metavar="KEY",
                      help="only this learner, as <installation id>/<learner id> (repeatable)")
    xapi.add_argument("--since", type=_day, help="first day included (YYYY-MM-DD, UTC)")
    xapi.add_argument("--until", type=_day, help="last day included (YYYY-MM-DD, UTC)")
    xapi.add_argument("--source", choices=("all", "own", "collected"), default="all",
                      help="this installation's own statements, the collected ones, or both (default)")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("a day as YYYY-MM-DD, e.g. 2025-03-31 (got {value})").format(
            value=text)) from None


def run(args: argparse.Namespace) -> int:
    from app.core.paths import data_dir
    from app.core.storage.database import DatabaseUnavailable, open_database

    try:
        database = open_database(data_dir(args.data_dir))
    except DatabaseUnavailable as err:
        print(_("{path}: {reason}").format(path=err.path, reason=err.reason), file=sys.stderr)
        return 1
    try:
        return {"export": export, "import": import_files, "xapi": xapi}[args.action](args, database)
    finally:
        database.dispose()


def _cannot_write(path: Path, err: OSError) -> int:
    print(_("{path}: the file could not be written: {error}").format(path=path, error=err.strerror or err),
          file=sys.stderr)
    return 1


def export(args: argparse.Namespace, database) -> int:
    from app.core.collect.export import export_bundle, set_installation_name
    from app.core.record.store import LearningRecord

    record = LearningRecord(database)
    if args.name is not None:
        set_installation_name(record, args.name)
    if args.learner:
        known = {learner.id for learner in record.learners()}
        unknown = [i for i in args.learner if i not in known]
        if unknown:
            print(_("No learner with the id {ids} in this data folder.").format(ids=", ".join(unknown)),
                  file=sys.stderr)
            return 2
    try:
        result = export_bundle(record, args.out, args.learner, everything=args.everything)
    except OSError as err:
        return _cannot_write(args.out, err)
    if args.json:
        print(json.dumps({"written": result.written, "file": str(result.path) if result.path else None,
                          "bundle_id": result.bundle_id, "statements": result.statements,
                          "learners": result.learners}, ensure_ascii=False))
    else:
        print(result.message)
    return 0


def import_files(args: argparse.Namespace, database) -> int:
    from app.core.accounts.roles import installation_principal
    from app.core.collect.bundle_file import STATEMENTS
    from app.core.collect.summary import import_files as import_all

    # As the Collected progress screen imports: the offices' and files' names are remembered for its lists.
    results = import_all(database, args.files, installation_principal()).results
    totals = {"files": len(results), "refused": sum(1 for r in results if not r.read),
              "added": sum(r.added for r in results), "already_present": sum(r.already_present for r in results),
              "rejected": sum(len(r.rejected) for r in results)}
    for r in results:
        if not r.read:
            print(_("{file}: {reason} Refused: nothing was imported from this file.").format(
                file=r.path, reason=r.refused), file=sys.stderr)
        for rejection in r.rejected:
            where = f"{r.path} ({STATEMENTS})" if r.kind == "bundle" else str(r.path)
            print(_("{file}:{line}: statement rejected: {reason}").format(file=where, line=rejection.line,
                                                                          reason=rejection.reason), file=sys.stderr)
    if args.json:
        print(json.dumps({"files": [{
            "file": str(r.path), "kind": r.kind, "status": "imported" if r.read else "refused", "reason": r.refused,
            "added": r.added, "already_present": r.already_present, "rejected": len(r.rejected),
            "rejections": [{"line": x.line, "reason": x.reason} for x in r.rejected],
            "bundle_id": r.bundle_id, "installation_id": r.installation_id,
            "installation_name": r.installation_name} for r in results], "totals": totals}, ensure_ascii=False))
    else:
        for r in results:
            if r.read:
                print(_("{file}: {added} added, {present} already present, {rejected} rejected.").format(
                    file=r.path, added=r.added, present=r.already_present, rejected=len(r.rejected)))
        print(_("In total: {added} added, {present} already present, {rejected} rejected.").format(
            added=totals["added"], present=totals["already_present"], rejected=totals["rejected"]))
        if totals["refused"]:
            print(ngettext("{n} file was refused and changed nothing.", "{n} files were refused and changed nothing.",
                           totals["refused"]).format(n=totals["refused"]), file=sys.stderr)
    return 0 if totals["refused"] == 0 else 1


def xapi(args: argparse.Namespace, database) -> int:
    from app.core.collect.xapi import XapiSelection, export_xapi

    if args.since and args.until and args.until < args.since:
        print(_("--until ({until}) is before --since ({since}).").format(until=args.until, since=args.since),
              file=sys.stderr)
        return 2
    # Timestamps are ISO 8601 text in UTC, so a bare day compares before every time of that day.
    selection = XapiSelection(own=args.source in ("all", "own"), collected=args.source in ("all", "collected"),
                              course_id=args.course,
                              learner_keys=frozenset(args.learner) if args.learner else None,
                              since=args.since.isoformat() if args.since else None,
                              until=(args.until + dt.timedelta(days=1)).isoformat() if args.until else None)
    try:
        count = export_xapi(database, args.out, selection)
    except OSError as err:
        return _cannot_write(args.out, err)
    print(ngettext("{n} xAPI statement written to {path}.", "{n} xAPI statements written to {path}.",
                   count).format(n=count, path=args.out))
    return 0
