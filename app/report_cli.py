"""`python main.py report` and `python main.py cohort ...`: progress reports and cohorts, headless. They
act with the installation's authority (whoever can run them can write the data folder); the global
`--data-dir` (and `--locale`, the report's language) come before the command.

    python main.py report COURSE_ID [COURSE_ID ...] --format csv|xlsx --out FILE [--cohort NAME]
                          [--today YYYY-MM-DD] [--json]
        the progress report of the cohort (default: every learner this machine knows) in those courses,
        written atomically as CSV (UTF-8 with BOM) or XLSX; prints a summary per course
    python main.py cohort import-staff FILE --cohort NAME [--group NAME] [--json]
        enrol a staff list (CSV or XLSX) into the cohort (created when new): all rows or none; every bad
        row is reported with its file, row, column and what is wrong
    python main.py cohort list [--json]
    python main.py cohort assign COURSE_ID --cohort NAME [--group NAME] [--due YYYY-MM-DD]
    python main.py cohort export-assignments --cohort NAME --out FILE
    python main.py cohort import-assignments FILE        (on a learner's machine)

Exit codes: 0 done; 1 refused (bad rows, unknown cohort or course, unreadable or altered file: nothing
was changed or written); 2 bad usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from app.core.i18n import _, ngettext


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("a date as YYYY-MM-DD, e.g. 2026-12-31 (got {value})").format(
            value=value)) from None


def add_commands(commands) -> None:
    report = commands.add_parser("report", help="a progress report of a cohort (or of every learner) as CSV or XLSX")
    report.add_argument("course_ids", nargs="+", metavar="COURSE_ID", help="the course(s) to report on")
    report.add_argument("--format", dest="file_format", required=True, choices=("csv", "xlsx"))
    report.add_argument("--out", required=True, type=Path, help="the file to write")
    report.add_argument("--cohort", help="the cohort's name (default: every learner this machine knows)")
    report.add_argument("--today", type=_date, help="decide what is overdue as of this date (default: today)")
    report.add_argument("--json", action="store_true", help="print the summary as one JSON object")

    cohort = commands.add_parser("cohort", help="cohorts: staff lists, assignments").add_subparsers(
        dest="action", required=True)
    staff = cohort.add_parser("import-staff", help="enrol a staff list (CSV or XLSX: name, staff number, "
                                                   "department, language) into a cohort, all rows or none")
    staff.add_argument("file", type=Path)
    staff.add_argument("--cohort", required=True, help="the cohort's name; a new name creates the cohort")
    staff.add_argument("--group", help="put everyone in this group (e.g. an office), created when new")
    staff.add_argument("--json", action="store_true", help="print the result as one JSON object")
    listing = cohort.add_parser("list", help="the cohorts, their members and assignments")
    listing.add_argument("--json", action="store_true")
    assign = cohort.add_parser("assign", help="assign a course to a cohort or to one of its groups")
    assign.add_argument("course_id")
    assign.add_argument("--cohort", required=True)
    assign.add_argument("--group", help="only this group (default: the whole cohort)")
    assign.add_argument("--due", type=_date, help="due date, YYYY-MM-DD (default: none)")
    export = cohort.add_parser("export-assignments", help="write the file that carries a cohort's assignments to "
                                                          "learners' machines")
    export.add_argument("--cohort", required=True)
    export.add_argument("--out", required=True, type=Path)
    receive = cohort.add_parser("import-assignments", help="on a learner's machine: store a trainer's "
                                                           "assignments file")
    receive.add_argument("file", type=Path)


def run(args: argparse.Namespace) -> int:
    from app.core.accounts.roles import NotAllowed
    from app.core.cohorts.assignment_file import AssignmentFileError
    from app.core.cohorts.store import CohortError
    from app.core.paths import data_dir
    from app.core.storage.database import DatabaseUnavailable, open_database

    root = data_dir(args.data_dir)
    if args.locale:
        from app.core.i18n import set_locale

        set_locale(args.locale)
    try:
        database = open_database(root)
    except DatabaseUnavailable as err:
        print(_("{path}: {reason}").format(path=err.path, reason=err.reason), file=sys.stderr)
        return 1
    try:
        if args.command == "report":
            return report(args, database, root)
        return _ACTIONS[args.action](args, database)
    except (CohortError, NotAllowed, AssignmentFileError, _Refused) as err:
        print(str(err), file=sys.stderr)
        return 1
    finally:
        database.dispose()


class _Refused(Exception):
    pass


def _cohort(database, name: str, create: bool = False):
    from app.core.accounts.roles import installation_principal
    from app.core.cohorts.store import Cohorts

    store = Cohorts(database)
    found = store.find_cohort(installation_principal(), name)
    if found is None and create:
        return store.create_cohort(installation_principal(), name), True
    if found is None:
        known = ", ".join(c.name for c in store.cohorts(installation_principal(), include_archived=True)) or _("none")
        raise _Refused(_("There is no cohort called '{name}'. Cohorts: {names}.").format(name=name, names=known))
    return found, False


def _group(database, cohort, name: str | None):
    from app.core.accounts.roles import installation_principal
    from app.core.cohorts.fields import fold
    from app.core.cohorts.store import Cohorts

    if not name:
        return None
    groups = Cohorts(database).groups(installation_principal(), cohort.id)
    for group in groups:
        if fold(group.name) == fold(name):
            return group
    raise _Refused(_("The cohort '{cohort}' has no group called '{name}'. Groups: {names}.").format(
        cohort=cohort.name, name=name, names=", ".join(g.name for g in groups) or _("none")))


def report(args, database, root: Path) -> int:
    from app.core.accounts.roles import installation_principal
    from app.core.course.catalogue import load_catalogue
    from app.core.i18n import current_locale
    from app.core.reports.build import build_report
    from app.core.reports.export import write_report
    from app.core.services import course_folders

    catalogue = load_catalogue(course_folders(root), current_locale())
    courses = []
    for course_id in args.course_ids:
        course = catalogue.course(course_id)
        if course is None:
            known = ", ".join(c.id for c in catalogue.courses) or _("none")
            raise _Refused(_("There is no course '{id}' on this machine. Courses: {ids}.").format(id=course_id,
                                                                                              ids=known))
        courses.append(course)
    cohort = _cohort(database, args.cohort)[0] if args.cohort else None
    result = build_report(database, installation_principal(), courses, cohort.id if cohort else None,
                          today=args.today)
    try:
        write_report(result, args.out, args.file_format)
    except OSError as err:
        raise _Refused(_("{path}: the file could not be written: {error}").format(
            path=args.out, error=err.strerror or err)) from None
    summary = result.table("courses").records()
    unmatched = result.table("unmatched").records() if "unmatched" in result.table_keys else []
    if args.json:
        print(json.dumps({"out": str(args.out), "format": args.file_format, "cohort": result.cohort,
                          "courses": summary, "tables": {t.key: len(t.rows) for t in result.tables},
                          "unmatched": len(unmatched)}, ensure_ascii=False))
        return 0
    for row in summary:
        print(_("{course}: {completed} of {enrolled} completed, {started} started, {overdue} overdue.").format(
            course=row["course"], completed=row["completed"], enrolled=row["enrolled"], started=row["started"],
            overdue=row["overdue"]))
    if unmatched:
        print(ngettext("{n} member or learning record is not matched: see the table '{table}'.",
                       "{n} members or learning records are not matched: see the table '{table}'.",
                       len(unmatched)).format(n=len(unmatched), table=result.table("unmatched").title))
    print(_("Report written to {path}.").format(path=args.out))
    return 0


def import_staff(args, database) -> int:
    from app.core.accounts.roles import installation_principal
    from app.core.cohorts.staff_list import StaffListRefused, read_staff_list
    from app.core.cohorts.store import Cohorts

    listing = read_staff_list(args.file)  # before creating a cohort: a refused list leaves none behind
    try:
        if listing.problems:
            raise StaffListRefused(listing.file, list(listing.problems), listing.encoding)
        cohort, created = _cohort(database, args.cohort, create=True)
        result = Cohorts(database).import_staff_list(installation_principal(), cohort.id, listing, args.group)
    except StaffListRefused as err:
        if args.json:
            print(json.dumps({"imported": 0, "cohort": args.cohort, "encoding": err.encoding,
                              "problems": [p.as_dict() for p in err.problems]}, ensure_ascii=False))
        else:
            for problem in err.problems:
                print(problem, file=sys.stderr)
            print(ngettext("{file}: refused, {n} problem; nothing was imported.",
                           "{file}: refused, {n} problems; nothing was imported.", len(err.problems)).format(
                file=err.file, n=len(err.problems)), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"imported": result.added, "cohort": cohort.name, "cohort_created": created,
                          "encoding": result.encoding, "groups_created": list(result.groups_created),
                          "ignored_columns": list(result.ignored_columns), "problems": []}, ensure_ascii=False))
        return 0
    if created:
        print(_("Cohort '{name}' created.").format(name=cohort.name))
    print(ngettext("{n} member enrolled in '{cohort}' from {file}.", "{n} members enrolled in '{cohort}' from {file}.",
                   result.added).format(n=result.added, cohort=cohort.name, file=args.file))
    if result.encoding and result.encoding != "utf-8":
        print(_("The file was read as {encoding}.").format(encoding=result.encoding))
    if result.groups_created:
        print(_("Groups created: {names}.").format(names=", ".join(result.groups_created)))
    if result.ignored_columns:
        print(_("Columns not read: {names}.").format(names=", ".join(result.ignored_columns)))
    return 0


def list_cohorts(args, database) -> int:
    from app.core.accounts.roles import installation_principal
    from app.core.cohorts.store import Cohorts

    principal = installation_principal()
    store = Cohorts(database)
    found = []
    for cohort in store.cohorts(principal, include_archived=True):
        groups = {g.id: g.name for g in store.groups(principal, cohort.id)}
        found.append({"name": cohort.name, "archived": cohort.archived,
                      "members": len(store.members(principal, cohort.id)), "groups": sorted(groups.values()),
                      "assignments": [{"course_id": a.course_id, "due": a.due.isoformat() if a.due else None,
                                       "group": groups.get(a.group_id) if a.group_id else None}
                                      for a in store.assignments(principal, cohort.id)]})
    if args.json:
        print(json.dumps({"cohorts": found}, ensure_ascii=False))
        return 0
    if not found:
        print(_("No cohorts yet: enrol a staff list with: python main.py cohort import-staff FILE --cohort NAME"))
    for cohort in found:
        name = _("{name} (archived)").format(name=cohort["name"]) if cohort["archived"] else cohort["name"]
        print(ngettext("{name}: {n} member", "{name}: {n} members", cohort["members"]).format(
            name=name, n=cohort["members"]))
        for item in cohort["assignments"]:
            print("  " + _("{course}, due {due}, for {who}").format(
                course=item["course_id"], due=item["due"] or _("no date"), who=item["group"] or _("everyone")))
    return 0


def assign(args, database) -> int:
    from app.core.accounts.roles import installation_principal
    from app.core.cohorts.store import Cohorts

    cohort, _created = _cohort(database, args.cohort)
    group = _group(database, cohort, args.group)
    Cohorts(database).assign_course(installation_principal(), cohort.id, args.course_id, args.due,
                                    group.id if group else None)
    print(_("{course} assigned to {who} in '{cohort}', due {due}.").format(
        course=args.course_id, who=group.name if group else _("everyone"), cohort=cohort.name,
        due=args.due.isoformat() if args.due else _("no date")))
    return 0


def export_assignments(args, database) -> int:
    from app.core.accounts.roles import installation_principal
    from app.core.cohorts.assignment_file import export_assignments as export

    cohort, _created = _cohort(database, args.cohort)
    try:
        result = export(database, installation_principal(), cohort.id, args.out)
    except OSError as err:
        raise _Refused(_("{path}: the file could not be written: {error}").format(
            path=args.out, error=err.strerror or err)) from None
    print(ngettext("{n} member's assignments written to {path}.", "{n} members' assignments written to {path}.",
                   result.members).format(n=result.members, path=args.out))
    if result.without_staff_number:
        print(ngettext("{n} member has no staff number, so their PC cannot find their assignments: {names}.",
                       "{n} members have no staff number, so their PCs cannot find their assignments: {names}.",
                       len(result.without_staff_number)).format(n=len(result.without_staff_number),
                                                                names=", ".join(result.without_staff_number)))
    return 0


def import_assignments(args, database) -> int:
    from app.core.cohorts.assignment_file import import_assignments as receive

    result = receive(database, args.file)
    if result.status == "unchanged":
        print(_("These assignments of '{cohort}' were already stored; nothing changed.").format(cohort=result.cohort))
        return 0
    done = (ngettext("Assignments of '{cohort}' stored for {n} member.",
                     "Assignments of '{cohort}' stored for {n} members.", result.members) if result.status == "added"
            else ngettext("Assignments of '{cohort}' updated for {n} member.",
                          "Assignments of '{cohort}' updated for {n} members.", result.members))
    print(done.format(cohort=result.cohort, n=result.members))
    return 0


_ACTIONS = {"import-staff": import_staff, "list": list_cohorts, "assign": assign,
            "export-assignments": export_assignments, "import-assignments": import_assignments}
