"""Assignments travel to learners' machines on a USB stick: the trainer exports a cohort's members and
assignments as one small JSON file with a SHA-256 checksum; a learner's machine imports it, keeps
each member's assignments by staff number, and `assignments_for` shows a learner theirs (by the staff
number on their profile: `set_staff_number`).

The checksum covers the canonical JSON of everything else in the file, so any change to a name, a date
or a course, and any truncation, is refused and changes nothing. Importing a newer export of the same
cohort replaces the older one (a changed due date, a course no longer assigned); an older one is refused.
Only staff numbers are kept on the learner's machine, not colleagues' names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.atomic import write_text
from app.core.cohorts.fields import STAFF_MAX, staff_key
from app.core.cohorts.store import Assignment, Cohorts, Member, effective_assignments
from app.core.i18n import _
from app.core.record.statements import Verb, course_iri, iso, now
from app.core.record.store import LearningRecord
from app.core.storage.database import Database
from app.core.storage.schema import learners, meta, received_assignments, received_cohorts, statements

FORMAT = "civic-ai-academy/assignments"
VERSION = 1
MAX_BYTES = 10 * 1024 * 1024


class AssignmentFileError(Exception):
    """The file was refused; nothing was changed. The message names the file and what is wrong."""


@dataclass(frozen=True)
class ExportedAssignments:
    path: Path
    members: int  # members written (those with a staff number)
    without_staff_number: tuple[str, ...]  # names of members a learner's machine cannot match
    assignments: int


@dataclass(frozen=True)
class ReceivedAssignments:
    cohort: str
    members: int
    assignments: int  # (member, course) pairs stored
    status: str  # "added", "replaced" or "unchanged"


@dataclass(frozen=True)
class LearnerAssignment:
    course_id: str
    due: dt.date | None
    overdue: bool  # due before today and the course not completed
    completed: bool
    cohort: str


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def export_assignments(database: Database, principal: Principal, cohort_id: str, path: Path) -> ExportedAssignments:
    """Write the cohort's members (staff number, name, group) and assignments (course, due date, group)
    to `path`, atomically."""
    require(principal, TRAINER)
    store = Cohorts(database)
    cohort = store.cohort(principal, cohort_id)
    members = store.members(principal, cohort_id)
    assignments = store.assignments(principal, cohort_id)
    group_names = {g.id: g.name for g in store.groups(principal, cohort_id)}
    with database.engine.connect() as conn:
        installation = conn.scalar(select(meta.c.value).where(meta.c.key == "installation_id")) or ""
    matched = [m for m in members if m.staff_key]
    body = {
        "format": FORMAT, "version": VERSION, "installation_id": installation, "exported_at": iso(now()),
        "cohort": {"id": cohort.id, "name": cohort.name},
        "members": [{"staff_number": m.staff_number, "name": m.name, "group": group_names.get(m.group_id or "")}
                    for m in matched],
        "assignments": [{"course_id": a.course_id, "due": a.due.isoformat() if a.due else None,
                         "group": group_names.get(a.group_id) if a.group_id else None} for a in assignments],
    }
    body["sha256"] = hashlib.sha256(_canonical(body)).hexdigest()
    write_text(path, json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return ExportedAssignments(path, len(matched), tuple(m.name for m in members if not m.staff_key),
                               len(assignments))


def read_assignment_file(path: Path) -> dict[str, Any]:
    """The file's content once its format and checksum hold; AssignmentFileError otherwise."""
    def refuse(message: str) -> AssignmentFileError:
        return AssignmentFileError(f"{path}: {message}")

    try:
        if path.stat().st_size > MAX_BYTES:
            raise refuse(_("The file is larger than {mb} MB; an assignments file is much smaller.").format(
                mb=MAX_BYTES // (1024 * 1024)))
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise refuse(_("There is no file here.")) from None
    except UnicodeDecodeError:
        raise refuse(_("This is not an assignments file (it is not UTF-8 text).")) from None
    except OSError as err:
        raise refuse(_("The file cannot be read: {error}").format(error=err.strerror or err)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise AssignmentFileError(f"{path}:{err.lineno}: " + _(
            "The file is not complete JSON ({error}); it may have been cut short. Export it again.").format(
            error=err.msg)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise refuse(_("This is not an assignments file of Civic AI Academy."))
    if data.get("version") != VERSION:
        raise refuse(_("This assignments file has version {version}; this app reads version {supported}. "
                       "Update the app.").format(version=data.get("version"), supported=VERSION))
    given = data.pop("sha256", None)
    if not isinstance(given, str) or hashlib.sha256(_canonical(data)).hexdigest() != given:
        raise refuse(_("The file's checksum does not match its content: it was changed or damaged after "
                       "export. Export it again from the trainer's machine."))
    _check_shape(data, refuse)
    data["sha256"] = given
    return data


def _check_shape(data: dict[str, Any], refuse) -> None:
    """A file with a right checksum was still written by someone: check each field before storing it."""
    def text(value: Any, where: str, limit: int, optional: bool = False) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise refuse(_("The field {field} is missing or not valid.").format(field=where))

    cohort = data.get("cohort")
    if not isinstance(cohort, dict):
        raise refuse(_("The field {field} is missing or not valid.").format(field="cohort"))
    text(cohort.get("id"), "cohort.id", 36)
    text(cohort.get("name"), "cohort.name", 200)
    text(data.get("exported_at"), "exported_at", 40)
    for name in ("members", "assignments"):
        if not isinstance(data.get(name), list):
            raise refuse(_("The field {field} is missing or not valid.").format(field=name))
    for index, member in enumerate(data["members"]):
        if not isinstance(member, dict):
            raise refuse(_("The field {field} is missing or not valid.").format(field=f"members[{index}]"))
        text(member.get("staff_number"), f"members[{index}].staff_number", STAFF_MAX)
        text(member.get("group"), f"members[{index}].group", 100, optional=True)
    for index, item in enumerate(data["assignments"]):
        if not isinstance(item, dict):
            raise refuse(_("The field {field} is missing or not valid.").format(field=f"assignments[{index}]"))
        text(item.get("course_id"), f"assignments[{index}].course_id", 64)
        text(item.get("group"), f"assignments[{index}].group", 100, optional=True)
        due = item.get("due")
        try:
            if due is not None:
                dt.date.fromisoformat(due)
        except (TypeError, ValueError):
            raise refuse(_("The field {field} is not a date (YYYY-MM-DD).").format(
                field=f"assignments[{index}].due")) from None


def import_assignments(database: Database, path: Path) -> ReceivedAssignments:
    """Store a trainer's assignments file on this (learner's) machine, in one transaction. Anyone may: it
    only tells learners what is expected of them; the trainer's own report decides what is overdue."""
    data = read_assignment_file(path)
    members = [Member(str(i), "", m.get("name") or "", m["staff_number"], "", None, m.get("group"))
               for i, m in enumerate(data["members"])]
    assignments = [Assignment(str(i), "", a.get("group"), a["course_id"],
                              dt.date.fromisoformat(a["due"]) if a.get("due") else None)
                   for i, a in enumerate(data["assignments"])]
    # Groups travel by name: Member.group_id and Assignment.group_id hold the group's name here.
    chosen = effective_assignments(members, assignments)
    rows = {}
    for (member_index, course_id), assignment in chosen.items():
        key = staff_key(members[int(member_index)].staff_number)
        rows[(key, course_id)] = assignment.due.isoformat() if assignment.due else None
    cohort_id, exported_at = data["cohort"]["id"], data["exported_at"]
    with database.engine.begin() as conn:
        held = conn.execute(select(received_cohorts).where(received_cohorts.c.cohort_id == cohort_id)).first()
        if held is not None and held.sha256 == data["sha256"]:
            return ReceivedAssignments(data["cohort"]["name"], len(members), len(rows), "unchanged")
        if held is not None and held.exported_at > exported_at:
            raise AssignmentFileError(f"{path}: " + _(
                "This file was exported before the one already imported for the cohort '{name}' "
                "({exported}); nothing was changed.").format(name=held.name, exported=held.exported_at))
        values = {"name": data["cohort"]["name"], "exported_at": exported_at, "sha256": data["sha256"],
                  "imported_at": iso(now())}
        if held is None:
            conn.execute(insert(received_cohorts).values(cohort_id=cohort_id, **values))
        else:
            conn.execute(update(received_cohorts).where(received_cohorts.c.cohort_id == cohort_id).values(**values))
            conn.execute(delete(received_assignments).where(received_assignments.c.cohort_id == cohort_id))
        if rows:
            conn.execute(insert(received_assignments), [
                {"cohort_id": cohort_id, "staff_key": key, "course_id": course_id, "due_date": due}
                for (key, course_id), due in rows.items()])
    return ReceivedAssignments(data["cohort"]["name"], len(members), len(rows),
                               "added" if held is None else "replaced")


def set_staff_number(record: LearningRecord, learner_id: str, number: str | None) -> str | None:
    """Put the staff number on a learner's profile (None or "" clears it): it is how assignments and a
    trainer's staff list find this learner. Returns the number as stored."""
    from app.core.cohorts.fields import clean_member
    from app.core.cohorts.store import CohortError

    fields, problems = clean_member({"name": "-", "staff_number": number})
    if fields is None:
        raise CohortError("\n".join(message for _field, message in problems))
    with record.engine.begin() as conn:
        done = conn.execute(update(learners).where(learners.c.id == learner_id).values(
            staff_number=fields.staff_number))
        if done.rowcount == 0:
            raise CohortError(_("There is no such learner."))
    return fields.staff_number


def assignments_for(record: LearningRecord, learner_id: str, today: dt.date | None = None) -> list[LearnerAssignment]:
    """The learner's assignments from every imported cohort file, by their staff number: soonest due first.
    A course assigned twice (two cohorts) is listed once, with the earlier due date."""
    today = today or dt.date.today()
    with record.engine.connect() as conn:
        number = conn.scalar(select(learners.c.staff_number).where(learners.c.id == learner_id))
        key = staff_key(number)
        if key is None:
            return []
        rows = conn.execute(
            select(received_assignments.c.course_id, received_assignments.c.due_date, received_cohorts.c.name)
            .join(received_cohorts, received_cohorts.c.cohort_id == received_assignments.c.cohort_id)
            .where(received_assignments.c.staff_key == key)).all()
        courses = {row.course_id for row in rows}
        done = set(conn.scalars(select(statements.c.course_id).where(
            (statements.c.learner_id == learner_id) & (statements.c.verb == Verb.COMPLETED)
            & statements.c.object_id.in_([course_iri(c) for c in courses]))).all()) if courses else set()
    chosen: dict[str, tuple[dt.date | None, str]] = {}
    for row in rows:
        due = dt.date.fromisoformat(row.due_date) if row.due_date else None
        current = chosen.get(row.course_id)
        if current is None or (due is not None and (current[0] is None or due < current[0])):
            chosen[row.course_id] = (due, row.name)
    result = [LearnerAssignment(course_id, due, due is not None and due < today and course_id not in done,
                                course_id in done, cohort) for course_id, (due, cohort) in chosen.items()]
    return sorted(result, key=lambda a: (a.due is None, a.due or dt.date.max, a.course_id))
