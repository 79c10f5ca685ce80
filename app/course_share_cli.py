"""Headless commands to share a course between offline PCs (wired in app/cli.py):

    python main.py course export COURSE_DIR --out FILE.zip      write the course as a .zip package
    python main.py course import FILE.zip [--yes] [--json]      show what the package holds and replaces;
                                                                install it in the data folder with --yes

Exit codes: 0 done (or, without --yes, the plan shown), 1 refused (each problem as file:line: message), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.core.i18n import _, ngettext


def add_commands(course) -> None:
    """`course export` and `course import` under the `course` command's subparsers."""
    export = course.add_parser("export", help="write a course folder as a .zip package to share")
    export.add_argument("path", type=Path, help="the course folder (the one holding course.yaml)")
    export.add_argument("--out", type=Path, required=True, help="the .zip file to write")
    export.add_argument("--json", action="store_true", help="print the result as one JSON object")
    imp = course.add_parser("import", help="check a .zip course package and show what it would install and "
                                           "replace; install it into the data folder with --yes")
    imp.add_argument("path", type=Path, help="the .zip package")
    imp.add_argument("--yes", action="store_true", help="install it (without it, nothing is written)")
    imp.add_argument("--json", action="store_true", help="print the plan (and whether it was applied) as one "
                                                         "JSON object")


def run(args: argparse.Namespace) -> int:
    if args.action == "export":
        return export(args.path, args.out, args.json)
    return import_(args.path, args.data_dir, args.yes, args.json)


def _refused(problems, as_json: bool, path: Path, extra: dict | None = None) -> int:
    if as_json:
        print(json.dumps({"valid": False, **(extra or {}), "problems": [
            {"file": p.file, "line": p.line, "message": p.message} for p in problems]}, ensure_ascii=False))
    else:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(_("{path}: refused, {n} problem(s).").format(path=path, n=len(problems)), file=sys.stderr)
    return 1


def export(folder: Path, out: Path, as_json: bool) -> int:
    from app.core.course.import_report import size_text
    from app.core.course.sharing import export_course
    from app.core.problems import InvalidInput
    from labs.registry import lab_ids

    try:
        done = export_course(folder, out, known_labs=lab_ids())
    except InvalidInput as err:
        return _refused(err.problems, as_json, folder)
    except OSError as err:
        return _refused([_os_problem(out, err)], as_json, folder)
    if as_json:
        print(json.dumps({"valid": True, "out": str(done.path), "id": done.course_id, "version": done.version,
                          "files": done.files, "total_bytes": done.total_bytes}, ensure_ascii=False))
    else:
        files = ngettext("{n} file", "{n} files", done.files).format(n=done.files)
        print(_("{out}: {id} {version} exported, {files}, {size}.").format(
            out=done.path, id=done.course_id, version=done.version, files=files, size=size_text(done.total_bytes)))
    return 0


def import_(package: Path, data_dir_option: str | None, apply: bool, as_json: bool) -> int:
    from app.core.course.import_report import plan_lines
    from app.core.course.sharing import apply_import, plan_import
    from app.core.paths import data_dir, user_courses_dir
    from app.core.problems import InvalidInput
    from labs.registry import lab_ids

    if not package.exists():
        print(_("{path}: there is no file or folder here.").format(path=package), file=sys.stderr)
        return 2
    try:
        courses = user_courses_dir(data_dir(data_dir_option))
        plan = plan_import(package, courses, known_labs=lab_ids())
    except InvalidInput as err:
        return _refused(err.problems, as_json, package, {"applied": False})
    except OSError as err:
        return _refused([_os_problem(package, err)], as_json, package, {"applied": False})
    installed_in = None
    if apply:
        try:
            installed_in = apply_import(plan, known_labs=lab_ids())
        except InvalidInput as err:
            return _refused(err.problems, as_json, package, {"applied": False, "plan": plan.as_dict()})
    if as_json:
        print(json.dumps({"valid": True, "applied": installed_in is not None, **plan.as_dict()}, ensure_ascii=False))
        return 0
    print("\n".join(plan_lines(plan)))
    if installed_in is not None:
        print(_("Installed in {folder}.").format(folder=installed_in))
    else:
        print(_("Nothing was written. Run the command again with --yes to install it."))
    return 0


def _os_problem(path: Path, err: OSError):
    from app.core.problems import Problem

    return Problem(str(path), 0, _("The file system refused: {err}").format(err=err.strerror or err))
