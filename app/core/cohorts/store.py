"""`Cohorts`: a trainer's cohorts, their groups (offices), members and course assignments.

Every operation takes the acting `Principal` and requires the trainer role: member lists are personal
data, and a learner is refused here, in the core, whatever a screen shows. Each change is one
transaction; a staff list is imported whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.cohorts.fields import GROUP_MAX, NAME_MAX, MemberFields, clean_member, fold, label, staff_key
from app.core.cohorts.staff_list import RowProblem, StaffList, StaffListRefused, read_staff_list
from app.core.i18n import _
from app.core.record.statements import iso, now
from app.core.storage.database import Database
from app.core.storage.schema import cohort_assignments, cohort_groups, cohort_members, cohorts

COURSE_ID_MAX = 64


class CohortError(Exception):
    """An operation refused, with a message saying why; nothing was changed."""


@dataclass(frozen=True)
class Cohort:
    id: str
    name: str
    archived: bool
    created_at: str


@dataclass(frozen=True)
class Group:
    id: str
    cohort_id: str
    name: str


@dataclass(frozen=True)
class Member:
    id: str
    cohort_id: str
    name: str
    staff_number: str | None
    department: str
    language: str | None
    group_id: str | None

    @property
    def staff_key(self) -> str | None:
        return staff_key(self.staff_number)


@dataclass(frozen=True)
class Assignment:
    id: str
    cohort_id: str
    group_id: str | None  # None: the whole cohort
    course_id: str
    due: dt.date | None


@dataclass(frozen=True)
class StaffImport:
    file: str
    encoding: str | None
    added: int
    groups_created: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    already: int = 0  # rows for people already enrolled (same staff number and name): left as they are


def effective_assignments(members: Iterable[Member], assignments: Iterable[Assignment]) -> dict[tuple[str, str], Assignment]:
    """(member id, course id) -> the assignment that applies: the member's group's, else the cohort's.
    A group's due date is the more specific one, so it wins over the whole cohort's."""
    assignments = list(assignments)
    whole = {a.course_id: a for a in assignments if a.group_id is None}
    by_group = {(a.group_id, a.course_id): a for a in assignments if a.group_id is not None}
    result: dict[tuple[str, str], Assignment] = {}
    for member in members:
        for course_id in {a.course_id for a in assignments}:
            chosen = by_group.get((member.group_id, course_id)) or whole.get(course_id)
            if chosen is not None:
                result[(member.id, course_id)] = chosen
    return result


def _member(row) -> Member:
    return Member(row.id, row.cohort_id, row.name, row.staff_number, row.department, row.language, row.group_id)


class Cohorts:
    def __init__(self, database: Database):
        self.engine = database.engine

    # -- cohorts
    def create_cohort(self, principal: Principal, name: str) -> Cohort:
        require(principal, TRAINER)
        name = self._cohort_name(name)
        cohort = Cohort(str(uuid.uuid4()), name, False, iso(now()))
        with self.engine.begin() as conn:
            self._name_free(conn, name)
            conn.execute(insert(cohorts).values(id=cohort.id, name=name, name_key=fold(name), archived=False,
                                                created_at=cohort.created_at))
        return cohort

    def rename_cohort(self, principal: Principal, cohort_id: str, name: str) -> Cohort:
        require(principal, TRAINER)
        name = self._cohort_name(name)
        with self.engine.begin() as conn:
            self._get(conn, cohort_id)
            self._name_free(conn, name, cohort_id)
            conn.execute(update(cohorts).where(cohorts.c.id == cohort_id).values(name=name, name_key=fold(name)))
            return self._get(conn, cohort_id)

    def archive_cohort(self, principal: Principal, cohort_id: str, archived: bool = True) -> Cohort:
        """An archived cohort keeps its members and assignments for reports but can no longer change;
        archive_cohort(..., archived=False) restores it."""
        require(principal, TRAINER)
        with self.engine.begin() as conn:
            self._get(conn, cohort_id)
            conn.execute(update(cohorts).where(cohorts.c.id == cohort_id).values(archived=archived))
            return self._get(conn, cohort_id)

    def cohorts(self, principal: Principal, include_archived: bool = False) -> list[Cohort]:
        require(principal, TRAINER)
        query = select(cohorts).order_by(cohorts.c.name_key)
        if not include_archived:
            query = query.where(cohorts.c.archived.is_(False))
        with self.engine.connect() as conn:
            return [Cohort(r.id, r.name, bool(r.archived), r.created_at) for r in conn.execute(query)]

    def cohort(self, principal: Principal, cohort_id: str) -> Cohort:
        require(principal, TRAINER)
        with self.engine.connect() as conn:
            return self._get(conn, cohort_id)

    def find_cohort(self, principal: Principal, name: str) -> Cohort | None:
        """The cohort called `name` (case and spacing aside), archived or not."""
        require(principal, TRAINER)
        with self.engine.connect() as conn:
            row = conn.execute(select(cohorts).where(cohorts.c.name_key == fold(name))).first()
        return Cohort(row.id, row.name, bool(row.archived), row.created_at) if row else None

    # -- groups
    def add_group(self, principal: Principal, cohort_id: str, name: str) -> Group:
        require(principal, TRAINER)
        name = self._group_name(name)
        with self.engine.begin() as conn:
            self._changeable(conn, cohort_id)
            return self._add_group(conn, cohort_id, name)

    def rename_group(self, principal: Principal, group_id: str, name: str) -> Group:
        require(principal, TRAINER)
        name = self._group_name(name)
        with self.engine.begin() as conn:
            group = self._group(conn, group_id)
            self._changeable(conn, group.cohort_id)
            self._group_name_free(conn, group.cohort_id, name, group_id)
            conn.execute(update(cohort_groups).where(cohort_groups.c.id == group_id).values(
                name=name, name_key=fold(name)))
        return Group(group_id, group.cohort_id, name)

    def groups(self, principal: Principal, cohort_id: str) -> list[Group]:
        require(principal, TRAINER)
        with self.engine.connect() as conn:
            rows = conn.execute(select(cohort_groups).where(cohort_groups.c.cohort_id == cohort_id)
                                .order_by(cohort_groups.c.name_key)).all()
        return [Group(r.id, r.cohort_id, r.name) for r in rows]

    # -- members
    def add_member(self, principal: Principal, cohort_id: str, name: str, staff_number: str | None = None,
                   department: str = "", language: str | None = None, group_id: str | None = None) -> Member:
        """Enrol one person. The fields are checked as a staff list's rows are (same messages)."""
        require(principal, TRAINER)
        fields, problems = clean_member({"name": name, "staff_number": staff_number, "department": department,
                                         "language": language})
        if fields is None:
            raise CohortError("\n".join(f"{label(f)}: {message}" for f, message in problems))
        with self.engine.begin() as conn:
            self._changeable(conn, cohort_id)
            if group_id is not None and self._group(conn, group_id).cohort_id != cohort_id:
                raise CohortError(_("That group belongs to another cohort."))
            holder = self._staff_holders(conn, cohort_id).get(fields.staff_key) if fields.staff_key else None
            if holder:
                raise CohortError(_("The staff number {number} is already enrolled in this cohort ({name}).").format(
                    number=fields.staff_number, name=holder))
            [member] = self._insert_members(conn, cohort_id, [(fields, group_id)])
        return member

    def remove_member(self, principal: Principal, member_id: str) -> None:
        require(principal, TRAINER)
        with self.engine.begin() as conn:
            member = self._member(conn, member_id)
            self._changeable(conn, member.cohort_id)
            conn.execute(delete(cohort_members).where(cohort_members.c.id == member_id))

    def set_member_group(self, principal: Principal, member_id: str, group_id: str | None) -> Member:
        require(principal, TRAINER)
        with self.engine.begin() as conn:
            member = self._member(conn, member_id)
            self._changeable(conn, member.cohort_id)
            if group_id is not None and self._group(conn, group_id).cohort_id != member.cohort_id:
                raise CohortError(_("That group belongs to another cohort."))
            conn.execute(update(cohort_members).where(cohort_members.c.id == member_id).values(group_id=group_id))
            return self._member(conn, member_id)

    def members(self, principal: Principal, cohort_id: str) -> list[Member]:
        require(principal, TRAINER)
        with self.engine.connect() as conn:
            rows = conn.execute(select(cohort_members).where(cohort_members.c.cohort_id == cohort_id)
                                .order_by(cohort_members.c.name, cohort_members.c.staff_number)).all()
        return [_member(r) for r in rows]

    def import_staff_list(self, principal: Principal, cohort_id: str, source: Path | StaffList,
                          group: str | None = None) -> StaffImport:
        """Enrol everyone on a staff list (a CSV or XLSX path, or a list already read) into the cohort.
        Rows go to the group their group column names, else to `group` (a name), else to none; missing
        groups are created. A row for someone already enrolled (same staff number, same name) is left as it
        is, so an updated list with new hires can be imported again. Raises StaffListRefused, naming every
        bad row (including a staff number enrolled under another name), and then changes nothing."""
        require(principal, TRAINER)
        listing = source if isinstance(source, StaffList) else read_staff_list(source)
        problems = list(listing.problems)
        if group is not None:
            group = self._group_name(group)
        with self.engine.begin() as conn:
            self._changeable(conn, cohort_id)
            holders = self._staff_holders(conn, cohort_id)
            new_rows = []
            for row in listing.rows:
                key = row.fields.staff_key
                if key is None or key not in holders:
                    new_rows.append(row)
                elif fold(holders[key]) != fold(row.fields.name):
                    problems.append(RowProblem(listing.file, row.row, "staff_number", _(
                        "The staff number {number} is already enrolled in this cohort under another name "
                        "({name}).").format(number=row.fields.staff_number, name=holders[key])))
            if problems:
                raise StaffListRefused(listing.file, problems, listing.encoding)
            groups = {fold(g.name): g.id for g in self._groups(conn, cohort_id)}
            created: list[str] = []
            placed: list[tuple[MemberFields, str | None]] = []
            for row in new_rows:
                name = row.fields.group or group
                target = None
                if name:
                    if fold(name) not in groups:
                        groups[fold(name)] = self._add_group(conn, cohort_id, name).id
                        created.append(name)
                    target = groups[fold(name)]
                placed.append((row.fields, target))
            self._insert_members(conn, cohort_id, placed)
        return StaffImport(listing.file, listing.encoding, len(placed), tuple(created), listing.ignored,
                           len(listing.rows) - len(new_rows))

    # -- assignments
    def assign_course(self, principal: Principal, cohort_id: str, course_id: str, due: dt.date | None,
                      group_id: str | None = None) -> Assignment:
        """Assign a course to the whole cohort (group_id None) or to one group, with a due date (or
        none). Assigning the same course to the same cohort or group again changes its due date."""
        require(principal, TRAINER)
        course_id = course_id.strip()
        if not course_id or len(course_id) > COURSE_ID_MAX:
            raise CohortError(_("Give the id of a course (at most {n} characters).").format(n=COURSE_ID_MAX))
        with self.engine.begin() as conn:
            self._changeable(conn, cohort_id)
            if group_id is not None and self._group(conn, group_id).cohort_id != cohort_id:
                raise CohortError(_("That group belongs to another cohort."))
            same = (cohort_assignments.c.cohort_id == cohort_id) & (cohort_assignments.c.course_id == course_id) & (
                cohort_assignments.c.group_id.is_(None) if group_id is None else cohort_assignments.c.group_id == group_id)
            existing = conn.scalar(select(cohort_assignments.c.id).where(same))
            due_text = due.isoformat() if due else None
            if existing:
                conn.execute(update(cohort_assignments).where(cohort_assignments.c.id == existing).values(
                    due_date=due_text))
                assignment_id = existing
            else:
                assignment_id = str(uuid.uuid4())
                conn.execute(insert(cohort_assignments).values(id=assignment_id, cohort_id=cohort_id,
                                                               group_id=group_id, course_id=course_id,
                                                               due_date=due_text, assigned_at=iso(now())))
        return Assignment(assignment_id, cohort_id, group_id, course_id, due)

    def unassign(self, principal: Principal, assignment_id: str) -> None:
        require(principal, TRAINER)
        with self.engine.begin() as conn:
            cohort_id = conn.scalar(select(cohort_assignments.c.cohort_id).where(
                cohort_assignments.c.id == assignment_id))
            if cohort_id is None:
                raise CohortError(_("There is no such assignment."))
            self._changeable(conn, cohort_id)
            conn.execute(delete(cohort_assignments).where(cohort_assignments.c.id == assignment_id))

    def assignments(self, principal: Principal, cohort_id: str) -> list[Assignment]:
        require(principal, TRAINER)
        with self.engine.connect() as conn:
            rows = conn.execute(select(cohort_assignments).where(cohort_assignments.c.cohort_id == cohort_id)
                                .order_by(cohort_assignments.c.course_id, cohort_assignments.c.assigned_at)).all()
        return [Assignment(r.id, r.cohort_id, r.group_id, r.course_id,
                           dt.date.fromisoformat(r.due_date) if r.due_date else None) for r in rows]

    # -- helpers (inside a transaction)
    @staticmethod
    def _cohort_name(name: str) -> str:
        name = " ".join(name.split())
        if not name:
            raise CohortError(_("Give the cohort a name."))
        if len(name) > NAME_MAX:
            raise CohortError(_("A cohort's name has at most {n} characters.").format(n=NAME_MAX))
        return name

    @staticmethod
    def _group_name(name: str) -> str:
        name = " ".join(name.split())
        if not name:
            raise CohortError(_("Give the group a name."))
        if len(name) > GROUP_MAX:
            raise CohortError(_("A group's name has at most {n} characters.").format(n=GROUP_MAX))
        return name

    @staticmethod
    def _name_free(conn: Connection, name: str, cohort_id: str | None = None) -> None:
        other = conn.scalar(select(cohorts.c.id).where(cohorts.c.name_key == fold(name)))
        if other is not None and other != cohort_id:
            raise CohortError(_("There is already a cohort called '{name}'.").format(name=name))

    @staticmethod
    def _get(conn: Connection, cohort_id: str) -> Cohort:
        row = conn.execute(select(cohorts).where(cohorts.c.id == cohort_id)).first()
        if row is None:
            raise CohortError(_("There is no such cohort."))
        return Cohort(row.id, row.name, bool(row.archived), row.created_at)

    def _changeable(self, conn: Connection, cohort_id: str) -> Cohort:
        cohort = self._get(conn, cohort_id)
        if cohort.archived:
            raise CohortError(_("The cohort '{name}' is archived; restore it to change it.").format(name=cohort.name))
        return cohort

    @staticmethod
    def _group(conn: Connection, group_id: str) -> Group:
        row = conn.execute(select(cohort_groups).where(cohort_groups.c.id == group_id)).first()
        if row is None:
            raise CohortError(_("There is no such group."))
        return Group(row.id, row.cohort_id, row.name)

    @staticmethod
    def _groups(conn: Connection, cohort_id: str) -> list[Group]:
        rows = conn.execute(select(cohort_groups).where(cohort_groups.c.cohort_id == cohort_id)).all()
        return [Group(r.id, r.cohort_id, r.name) for r in rows]

    @staticmethod
    def _group_name_free(conn: Connection, cohort_id: str, name: str, group_id: str | None = None) -> None:
        other = conn.scalar(select(cohort_groups.c.id).where((cohort_groups.c.cohort_id == cohort_id)
                                                             & (cohort_groups.c.name_key == fold(name))))
        if other is not None and other != group_id:
            raise CohortError(_("This cohort already has a group called '{name}'.").format(name=name))

    def _add_group(self, conn: Connection, cohort_id: str, name: str) -> Group:
        self._group_name_free(conn, cohort_id, name)
        group = Group(str(uuid.uuid4()), cohort_id, name)
        conn.execute(insert(cohort_groups).values(id=group.id, cohort_id=cohort_id, name=name, name_key=fold(name)))
        return group

    @staticmethod
    def _member(conn: Connection, member_id: str) -> Member:
        row = conn.execute(select(cohort_members).where(cohort_members.c.id == member_id)).first()
        if row is None:
            raise CohortError(_("There is no such member."))
        return _member(row)

    @staticmethod
    def _staff_holders(conn: Connection, cohort_id: str) -> dict[str, str]:
        """Staff key -> the name of the member holding it in the cohort."""
        rows = conn.execute(select(cohort_members.c.staff_key, cohort_members.c.name).where(
            (cohort_members.c.cohort_id == cohort_id) & cohort_members.c.staff_key.is_not(None)))
        return {key: name for key, name in rows}

    @staticmethod
    def _insert_members(conn: Connection, cohort_id: str,
                        placed: list[tuple[MemberFields, str | None]]) -> list[Member]:
        stamp = iso(now())
        members = [Member(str(uuid.uuid4()), cohort_id, f.name, f.staff_number, f.department, f.language, group)
                   for f, group in placed]
        if members:
            conn.execute(insert(cohort_members), [
                {"id": m.id, "cohort_id": cohort_id, "group_id": m.group_id, "name": m.name,
                 "staff_number": m.staff_number, "staff_key": m.staff_key, "department": m.department,
                 "language": m.language, "added_at": stamp} for m in members])
        return members
