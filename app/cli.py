"""Headless commands for trainers, partner IT, scripts and CI. Exit codes: 0 ok, 1 failed, 2 bad usage.

    python main.py course check PATH            validate a course folder or .zip
    python main.py course pot PATH [--out F]    write the translation template of a course
    python main.py i18n update|compile|check    maintain the UI catalogs in localisation/
    python main.py bench startup [--runs N]     time to first paint vs a bare Qt window; memory
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.core.i18n import _


def _parser() -> argparse.ArgumentParser:
    from app.launcher import global_parser

    parser = global_parser()
    commands = parser.add_subparsers(dest="command", required=True)

    course = commands.add_parser("course", help="course packages").add_subparsers(dest="action", required=True)
    check = course.add_parser("check", help="validate a course package (folder or .zip)")
    check.add_argument("path", type=Path)
    check.add_argument("--json", action="store_true", help="print the result as one JSON object")
    pot = course.add_parser("pot", help="write the translation template (.pot) of a course")
    pot.add_argument("path", type=Path)
    pot.add_argument("--out", type=Path, help="file to write (default: standard output)")

    i18n = commands.add_parser("i18n", help="the UI's translation catalogs")
    i18n.add_argument("action", choices=("update", "compile", "check"),
                      help="update: extract strings, merge them into every .po and compile; compile: only write .mo files; "
                           "check: fail when a catalog is stale, incomplete or broken")

    bench = commands.add_parser("bench", help="benchmarks").add_subparsers(dest="action", required=True)
    startup = bench.add_parser("startup", help="first paint of the app vs a bare PySide6 window, and memory")
    startup.add_argument("--runs", type=int, default=7)
    startup.add_argument("--json", action="store_true")
    return parser


def run_command(argv: list[str]) -> int:
    args = _parser().parse_args(argv)  # exits 2 with a usage message on bad usage
    if args.command == "course" and args.action == "check":
        return course_check(args.path, args.json)
    if args.command == "course" and args.action == "pot":
        return course_pot(args.path, args.out)
    if args.command == "i18n":
        from app import i18n_catalogs

        return i18n_catalogs.run(args.action)
    if args.command == "bench" and args.action == "startup":
        from app import bench

        return bench.startup(args.runs, args.json)
    return 2


def course_check(path: Path, as_json: bool) -> int:
    from app.core.course.loader import image_coverage, load_course, translation_coverage
    from app.core.problems import InvalidInput

    if not path.exists():
        print(_("{path}: there is no file or folder here.").format(path=path), file=sys.stderr)
        return 2
    try:
        course = load_course(path)
    except InvalidInput as err:
        if as_json:
            print(json.dumps({"valid": False, "problems": [
                {"file": p.file, "line": p.line, "message": p.message} for p in err.problems]}, ensure_ascii=False))
        else:
            for problem in err.problems:
                print(problem)
            print(_("{path}: refused, {n} problem(s).").format(path=path, n=len(err.problems)), file=sys.stderr)
        return 1
    coverage = translation_coverage(path)
    images = image_coverage(path)
    questions = sum(len(q.questions) for q in course.quizzes.values())
    if as_json:
        print(json.dumps({"valid": True, "id": course.id, "version": course.version,
                          "lessons": len(course.lessons), "quizzes": len(course.quizzes), "questions": questions,
                          "translations": {code: {"translated": done, "total": total, "needs_review": review,
                                                  "images_localised": images[code][0], "images": images[code][1]}
                                           for code, (done, total, review) in coverage.items()}},
                         ensure_ascii=False))
        return 0
    print(_("{path}: valid. {id} {version}: {lessons} lessons, {quizzes} quizzes, {questions} questions.").format(
        path=path, id=course.id, version=course.version, lessons=len(course.lessons), quizzes=len(course.quizzes),
        questions=questions))
    for code, (done, total, review) in coverage.items():
        print(_("  translation {code}: {done} of {total} texts translated, {review} marked needs-review").format(
            code=code, done=done, total=total, review=review))
        if images[code][1]:
            print(_("    {done} of {total} images have a version in this language (images/{code}/)").format(
                done=images[code][0], total=images[code][1], code=code))
    return 0


def course_pot(path: Path, out: Path | None) -> int:
    from app.core.course.loader import translation_units
    from app.core.course.translation import write_template
    from app.core.problems import InvalidInput

    try:
        manifest, units = translation_units(path)
    except InvalidInput as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    text = write_template(units, manifest.id, manifest.version, manifest.source_language)
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
