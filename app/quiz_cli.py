"""`python main.py quiz import|export`: question banks in and out of the course format, headless.

    python main.py quiz import FILE --format gift|aiken --out DIR [--json]
        write the questions of a Moodle GIFT or Aiken file as DIR/<name>.quiz.yaml; report what was
        imported and every problem with its line; exit 0 when at least one question was imported, else 1
    python main.py quiz export PATH [--format gift] [--out FILE]
        the quiz in PATH (a *.quiz.yaml, or a folder holding one) as GIFT, on standard output or in FILE

Only argparse is imported until a command runs: the parser is built for every headless command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.core.i18n import _, ngettext


def add_commands(commands: argparse._SubParsersAction) -> None:
    quiz = commands.add_parser("quiz", help="question banks: Moodle GIFT and Aiken files").add_subparsers(
        dest="action", required=True)
    bank_import = quiz.add_parser("import", help="read a GIFT or Aiken file into a quiz of the course format")
    bank_import.add_argument("file", type=Path, help="the question bank file (UTF-8, CP949 or Windows-1252)")
    bank_import.add_argument("--format", dest="bank_format", required=True, choices=("gift", "aiken"))
    bank_import.add_argument("--out", required=True, type=Path, help="folder to write <name>.quiz.yaml into")
    bank_import.add_argument("--json", action="store_true", help="print the result as one JSON object")
    bank_export = quiz.add_parser("export", help="write a quiz of the course format as GIFT")
    bank_export.add_argument("path", type=Path, help="a *.quiz.yaml file, or a folder holding one")
    bank_export.add_argument("--format", dest="bank_format", default="gift", choices=("gift",))
    bank_export.add_argument("--out", type=Path, help="file to write (default: standard output)")


def run(args: argparse.Namespace) -> int:
    if args.action == "import":
        return quiz_import(args.file, args.bank_format, args.out, args.json)
    return quiz_export(args.path, args.out)


def quiz_import(file: Path, bank_format: str, out: Path, as_json: bool) -> int:
    from app.core.banks.importer import import_file
    from app.core.banks.quiz_file import quiz_name, write_quiz
    from app.core.problems import InvalidInput

    result = import_file(file, bank_format)
    problems = list(result.problems)
    written = None
    if result.questions:
        try:
            written = write_quiz(list(result.questions), out, quiz_name(file))
        except InvalidInput as err:
            problems.extend(err.problems)
    imported = len(result.questions) if written else 0
    by_type = result.by_type if written else {}
    if as_json:
        print(json.dumps({"imported": imported, "by_type": by_type, "quiz": str(written) if written else None,
                          "encoding": result.encoding,
                          "problems": [{"file": p.file, "line": p.line, "message": p.message} for p in problems]},
                         ensure_ascii=False))
    else:
        for problem in problems:
            print(problem)
        if written:
            print(ngettext("{file}: {n} question imported into {quiz}.", "{file}: {n} questions imported into {quiz}.",
                           imported).format(file=file, n=imported, quiz=written))
            print("  " + ", ".join(f"{kind} {count}" for kind, count in sorted(by_type.items())))
        else:
            print(_("{file}: no question imported.").format(file=file), file=sys.stderr)
        if problems:
            print(ngettext("{n} problem: the questions it names were left out or changed as it says.",
                           "{n} problems: the questions they name were left out or changed as they say.",
                           len(problems)).format(n=len(problems)))
    return 0 if imported else 1


def quiz_export(path: Path, out: Path | None) -> int:
    from app.core.atomic import write_text
    from app.core.banks.gift_writer import quiz_to_gift
    from app.core.banks.quiz_file import read_quiz
    from app.core.problems import InvalidInput

    try:
        quiz = read_quiz(path)
    except InvalidInput as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(_("{path}: not exported.").format(path=path), file=sys.stderr)
        return 1
    text = quiz_to_gift(quiz)
    if out is None:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:  # a console that cannot show every script: hand over UTF-8 bytes
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
        return 0
    try:
        write_text(out, text)
    except OSError as err:
        print(_("{path}: the file could not be written: {error}").format(path=out, error=err.strerror or err),
              file=sys.stderr)
        return 1
    print(ngettext("{n} question written to {path}.", "{n} questions written to {path}.",
                   len(quiz.questions)).format(n=len(quiz.questions), path=out), file=sys.stderr)
    return 0
