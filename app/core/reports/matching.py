"""Who is who: a cohort's members matched to the learning records this machine knows.

A member and a record are the same person when both carry the same staff number. A record without a
staff number (most learners never type one) matches a member by name (case and spacing aside), when
exactly one member has that name and that member's staff number does not contradict it; a name two
members share matches neither. One member can own several records: the same person on two PCs.
Without a cohort, records with the same staff number are one person; the rest are one person each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.cohorts.fields import fold, staff_key
from app.core.cohorts.store import Member
from app.core.reports.sources import LearnerRecord


@dataclass
class Person:
    member: Member | None  # None: a learner outside any cohort (reports on every learner)
    records: list[LearnerRecord] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.member.name if self.member else self.records[0].name

    @property
    def staff_number(self) -> str | None:
        if self.member:
            return self.member.staff_number
        return next((r.staff_number for r in self.records if r.staff_number), None)

    @property
    def keys(self) -> list[str]:
        return [r.key for r in self.records]


def match_members(members: list[Member], records: list[LearnerRecord]) -> tuple[list[Person], list[LearnerRecord]]:
    """(one Person per member, in the members' order; the records no member matched)."""
    people = [Person(member) for member in members]
    by_staff = {m.staff_key: p for m, p in zip(members, people) if m.staff_key}
    by_name: dict[str, list[Person]] = {}
    for member, person in zip(members, people):
        by_name.setdefault(fold(member.name), []).append(person)
    unmatched = []
    for record in records:
        key = staff_key(record.staff_number)
        person = by_staff.get(key) if key else None
        if person is None:
            candidates = by_name.get(fold(record.name), [])
            if len(candidates) == 1 and (key is None or candidates[0].member.staff_key is None):
                person = candidates[0]
        if person is None:
            unmatched.append(record)
        else:
            person.records.append(record)
    return people, unmatched


def group_records(records: list[LearnerRecord]) -> list[Person]:
    """Everyone this machine knows, without a cohort: one person per staff number, else per record."""
    people: list[Person] = []
    by_staff: dict[str, Person] = {}
    for record in sorted(records, key=lambda r: (fold(r.name), r.key)):
        key = staff_key(record.staff_number)
        if key and key in by_staff:
            by_staff[key].records.append(record)
            continue
        person = Person(None, [record])
        people.append(person)
        if key:
            by_staff[key] = person
    return people
