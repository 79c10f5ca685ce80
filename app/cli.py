"""Headless commands for trainers, partner IT, scripts and CI. Exit codes: 0 ok, 1 failed, 2 bad usage.

    python main.py course check PATH            validate a course folder or .zip
    python main.py course pot PATH [--out F]    write the translation template of a course
    python main.py course export DIR --out F.zip    share a course as a .zip package (app/course_share_cli.py)
    python main.py course import F.zip [--yes]      show what a package holds and replaces; install it with --yes
    python main.py i18n update|compile|check    maintain the UI catalogs in localisation/
    python main.py data profile FILE [--json]   read a CSV/Excel file as the data lab does; describe it
    python main.py lab list [--json]            the labs this build ships
    python main.py lab selftest LAB_ID          run a lab's reference solution and wrong attempts
    python main.py bench startup [--runs N]     time to first paint vs a bare Qt window; memory
    python main.py bench labs [--json]          data and model work on large tables, GUI stalls, memory
    python main.py bench chatbot [--quick]      the chatbot engine on CLINC150 and Banking77 vs baselines
    python main.py chatbot evaluate --train FILE --test FILE [--threshold T] [--json]
                                                train the chatbot lab's classifier on one file, test on another
    python main.py account create-admin|list|reset|unlock ...   local accounts, for IT (app/accounts_cli.py)
    python main.py quiz import FILE --format gift|aiken --out DIR [--json]   a question bank as a quiz (app/quiz_cli.py)
    python main.py quiz export PATH [--format gift] [--out FILE]             a quiz as GIFT
    python main.py progress export|import|xapi ...   progress bundles and xAPI (app/progress_cli.py)
    python main.py bench progress [--quick] [--json]   import 100 progress bundles (200,000 statements) vs plain SQLite
    python main.py report COURSE_ID --format csv|xlsx --out FILE [--cohort NAME]   a progress report (app/report_cli.py)
    python main.py cohort import-staff|list|assign|export-assignments|import-assignments ...   cohorts
    python main.py bench reports [--quick] [--json]   the cohort report on 2,000 learners vs a plain SQLite insert
    python main.py certificate issuer create|export, trust FILE, verify FILE [--json], issue COURSE --out DIR
                                                signed certificates (app/certificate_cli.py)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.core.i18n import _, ngettext


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

    from app.course_share_cli import add_commands as add_share_commands

    add_share_commands(course)

    i18n = commands.add_parser("i18n", help="the UI's translation catalogs")
    i18n.add_argument("action", choices=("update", "compile", "check"),
                      help="update: extract strings, merge them into every .po and compile; compile: only write .mo files; "
                           "check: fail when a catalog is stale, incomplete or broken")

    data = commands.add_parser("data", help="tables for the data lab").add_subparsers(dest="action", required=True)
    profile = data.add_parser("profile", help="read a CSV or Excel file as the data lab does and describe it")
    profile.add_argument("path", type=Path)
    profile.add_argument("--json", action="store_true", help="print the result as one JSON object")

    lab = commands.add_parser("lab", help="hands-on labs").add_subparsers(dest="action", required=True)
    lab_list = lab.add_parser("list", help="the labs this build ships")
    lab_list.add_argument("--json", action="store_true")
    lab_selftest = lab.add_parser("selftest", help="check a lab's reference solution passes and its wrong "
                                                   "attempts fail")
    lab_selftest.add_argument("lab_id")
    lab_selftest.add_argument("--json", action="store_true")

    bench = commands.add_parser("bench", help="benchmarks").add_subparsers(dest="action", required=True)
    startup = bench.add_parser("startup", help="first paint of the app vs a bare PySide6 window, and memory")
    startup.add_argument("--runs", type=int, default=7)
    startup.add_argument("--json", action="store_true")
    labs_bench = bench.add_parser("labs", help="group-by on 1,000,000 rows and gradient boosting on 100,000 rows "
                                               "against baselines; GUI stalls and memory with a lab open")
    labs_bench.add_argument("--json", action="store_true")
    labs_bench.add_argument("--rows", type=int, default=1_000_000, help="rows of the group-by table")
    chatbot_bench = bench.add_parser("chatbot", help="the chatbot engine on CLINC150 and Banking77 (from "
                                                     "../shared/benchmarks) against plain scikit-learn baselines")
    chatbot_bench.add_argument("--quick", action="store_true", help="a fifth of the intents and fewer timings: "
                                                                    "a quick look, not the targets' setting")
    chatbot_bench.add_argument("--json", action="store_true")
    progress_bench = bench.add_parser("progress", help="import 100 progress bundles holding 200,000 statements "
                                                       "against a plain SQLite insert of the same rows")
    progress_bench.add_argument("--quick", action="store_true", help="5 bundles, 2,000 statements: a quick look")
    progress_bench.add_argument("--json", action="store_true")
    reports_bench = bench.add_parser("reports", help="the cohort report for 2,000 learners in 8 courses against a "
                                                     "plain SQLite insert of the same statements")
    reports_bench.add_argument("--quick", action="store_true", help="200 learners in 2 courses: a quick look")
    reports_bench.add_argument("--json", action="store_true")

    from labs.chatbot.cli import FORMATS_HELP

    chatbot = commands.add_parser("chatbot", help="the chatbot lab's classifier").add_subparsers(
        dest="action", required=True)
    chatbot_evaluate = chatbot.add_parser(
        "evaluate", help="train the chatbot lab's classifier on one file and evaluate it on another",
        description="Train the chatbot lab's classifier on --train and evaluate it on --test. Files: " + FORMATS_HELP)
    chatbot_evaluate.add_argument("--train", required=True, help="examples to train on (CSV, JSON or .bot.json)")
    chatbot_evaluate.add_argument("--test", required=True, help="examples to evaluate on (same formats)")
    chatbot_evaluate.add_argument("--threshold", type=_fraction, help="confidence below which the bot declines "
                                  "(0 to 1; default: the one the training data suggests)")
    chatbot_evaluate.add_argument("--json", action="store_true", help="print the result as one JSON object")

    from app.accounts_cli import add_commands as add_account_commands

    add_account_commands(commands)

    from app.quiz_cli import add_commands as add_quiz_commands

    add_quiz_commands(commands)

    from app.progress_cli import add_commands as add_progress_commands

    add_progress_commands(commands)

    from app.report_cli import add_commands as add_report_commands

    add_report_commands(commands)

    from app.certificate_cli import add_commands as add_certificate_commands

    add_certificate_commands(commands)
    return parser


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(_("a number from 0 to 1, e.g. 0.5 (got {value})").format(value=value))
    return number


def run_command(argv: list[str]) -> int:
    args = _parser().parse_args(argv)  # exits 2 with a usage message on bad usage
    if args.command == "course" and args.action == "check":
        return course_check(args.path, args.json)
    if args.command == "course" and args.action == "pot":
        return course_pot(args.path, args.out)
    if args.command == "course" and args.action in ("export", "import"):
        from app import course_share_cli

        return course_share_cli.run(args)
    if args.command == "i18n":
        from app import i18n_catalogs

        return i18n_catalogs.run(args.action)
    if args.command == "bench" and args.action == "startup":
        from app import bench

        return bench.startup(args.runs, args.json)
    if args.command == "bench" and args.action == "labs":
        from app import bench_labs

        return bench_labs.run(args.rows, args.json)
    if args.command == "bench" and args.action == "chatbot":
        from app import bench_chatbot

        return bench_chatbot.run(args.quick, args.json)
    if args.command == "bench" and args.action == "progress":
        from app import bench_progress

        return bench_progress.run(args.quick, args.json)
    if args.command == "chatbot" and args.action == "evaluate":
        return chatbot_evaluate(args.train, args.test, args.threshold, args.json)
    if args.command == "account":
        from app import accounts_cli

        return accounts_cli.run(args)
    if args.command == "quiz":
        from app import quiz_cli

        return quiz_cli.run(args)
    if args.command == "progress":
        from app import progress_cli

        return progress_cli.run(args)
    if args.command in ("report", "cohort"):
        from app import report_cli

        return report_cli.run(args)
    if args.command == "bench" and args.action == "reports":
        from app import bench_reports

        return bench_reports.run(args.quick, args.json)
    if args.command == "certificate":
        from app import certificate_cli

        return certificate_cli.run(args)
    if args.command == "data" and args.action == "profile":
        return data_profile(args.path, args.json)
    if args.command == "lab" and args.action == "list":
        return lab_list(args.json)
    if args.command == "lab" and args.action == "selftest":
        return lab_selftest(args.lab_id, args.json)
    return 2


def data_profile(path: Path, as_json: bool) -> int:
    from labs.data_analysis.cli import UnreadableFile, profile_file, profile_text

    try:
        summary = profile_file(path)
    except UnreadableFile as err:
        print(str(err), file=sys.stderr)
        return 1
    print(json.dumps(summary, ensure_ascii=False, default=str) if as_json else profile_text(summary))
    return 0


def chatbot_evaluate(train: str, test: str, threshold: float | None, as_json: bool) -> int:
    from labs.chatbot.cli import PairsFileError, evaluate_files, summary_text

    try:
        summary = evaluate_files(train, test, threshold)
    except PairsFileError as err:
        print(str(err), file=sys.stderr)
        return 1
    print(json.dumps(summary, ensure_ascii=False) if as_json else summary_text(summary))
    return 0


def lab_list(as_json: bool) -> int:
    from labs.registry import lab_ids, load_lab

    labs = [load_lab(lab_id) for lab_id in lab_ids()]
    if as_json:
        print(json.dumps([{"id": lab.id, "family": lab.family, "title": _(lab.title), "datasets": list(lab.datasets),
                           "tasks": [{"id": t.id, "title": _(t.title)} for t in lab.tasks]} for lab in labs],
                         ensure_ascii=False))
        return 0
    for lab in labs:
        print(f"{lab.id}\t{_(lab.title)}\t" + ngettext("{n} task", "{n} tasks", len(lab.tasks)).format(n=len(lab.tasks)))
    return 0


def lab_selftest(lab_id: str, as_json: bool) -> int:
    from labs.framework import selftest
    from labs.registry import lab_ids, load_lab

    if lab_id not in lab_ids():
        print(_("There is no lab '{id}'. Labs in this build: {ids}").format(id=lab_id, ids=", ".join(lab_ids())),
              file=sys.stderr)
        return 2
    result = selftest(load_lab(lab_id))
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return 0 if result.ok else 1
    for task_id, feedback in result.reference.items():
        mark = "ok  " if feedback.passed else "FAIL"
        print(_("{mark} reference passes task {task}: {message}").format(mark=mark, task=task_id,
                                                                       message=feedback.message))
    for wrong, feedback in result.wrong:
        mark = "ok  " if not feedback.passed else "FAIL"
        print(_("{mark} wrong attempt '{name}' fails task {task}: {message}").format(
            mark=mark, name=wrong.name, task=wrong.task_id, message=feedback.message))
    for task_id in result.untested_tasks:
        print(_("FAIL task {task} has no wrong attempt").format(task=task_id))
    print(_("{lab}: all checks behave.").format(lab=lab_id) if result.ok else
          _("{lab}: some checks misbehave.").format(lab=lab_id))
    return 0 if result.ok else 1


def course_check(path: Path, as_json: bool) -> int:
    from app.core.course.loader import image_coverage, load_course, translation_coverage
    from app.core.problems import InvalidInput
    from labs.registry import lab_ids

    if not path.exists():
        print(_("{path}: there is no file or folder here.").format(path=path), file=sys.stderr)
        return 2
    try:
        course = load_course(path, known_labs=lab_ids())
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
