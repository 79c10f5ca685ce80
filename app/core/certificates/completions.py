"""The course completions this machine knows (its own learners' and those collected from other offices'
bundles), as the `Completion`s certificates are issued for.

    collected_completions(database, principal, course, cohort_id=None) -> [Completion]

Completion is decided exactly as the report decides it: the same learners and statements
(reports/sources.py), the same matching of a cohort's members to learning records, by staff number then
name (reports/matching.py), the same population (in a cohort, the members the course is assigned to, or
every member when it is assigned to none), and `derive_progress` over each person's records merged. So a
learner counted as completed in the report is a learner with a certificate here, and no one else.

Everything in a Completion is a function of what was collected, never of the order it was imported in:

    learner_key     "staff:<staff number, folded>" when the person has a staff number (the same person on
                    two PCs, or in two cohorts, gets one key, so one credential id), else the first of the
                    person's record keys ("<installation id>/<learner id>") in sorted order
    learner_name    the cohort member's name, else the learner's profile name
    locale          the member's language, else the learner's profile language, else the app's
                    (the first of them that the app ships)
    course_title    the course's title in that language (the course package's own translation)
    course_version  the version the learner studied: that of their last statement moving progress in the
                    course when it became complete (the statement carries it); the version on this machine
                    when that statement has none (an LRS's)
    completed_at    when the course first became complete: the earliest "completed" statement of the
                    course, or, without one, the statement that completed its last item
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Sequence

from sqlalchemy import select

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.certificates.credential import Completion
from app.core.cohorts.fields import fold, staff_key
from app.core.cohorts.store import Cohorts, effective_assignments
from app.core.course.model import Course
from app.core.i18n import DEFAULT_LOCALE, _, best_locale, current_locale
from app.core.problems import InvalidInput
from app.core.record.progress import derive_progress
from app.core.reports.matching import Person, group_records, match_members
from app.core.reports.sources import installation_id, learner_records, read_courses, studied_versions
from app.core.storage.database import Database
from app.core.storage.schema import collected_learners, learners
from app.core.tasks import TaskState

CHECK_EVERY = 200  # people between two looks at the cancel button
STAFF_PREFIX = "staff:"


def collected_completions(database: Database, principal: Principal, course: Course, cohort_id: str | None = None,
                          *, app_locale: str | None = None, title_in: Callable[[str], str] | None = None,
                          state: TaskState | None = None) -> list[Completion]:
    """One Completion per person who completed `course`: in the cohort `cohort_id`, or among every learner
    this machine knows (None). Ordered by learner name, then key. `title_in(locale)` gives the course's title
    in a language (default: read from the course package); `app_locale` is the last resort for a learner's
    language (default: the app's current language)."""
    require(principal, TRAINER)
    state = state or TaskState()
    app_locale = app_locale or current_locale()
    title_in = title_in or course_titles(course)
    state.set_progress(0, 1, _("Reading the learning records…"))
    members, assigned = [], set()
    if cohort_id is not None:
        store = Cohorts(database)
        members = store.members(principal, cohort_id)
        due = effective_assignments(members, store.assignments(principal, cohort_id))
        assigned = {member_id for member_id, course_id in due if course_id == course.id}
    with database.engine.connect() as conn:
        records = sorted(learner_records(conn), key=lambda r: r.key)  # whatever order they were imported in
        data = read_courses(conn, [course.id])[course.id]
        profile_locales = _profile_locales(conn)
        versions = studied_versions(conn, course.id)
    state.raise_if_cancelled()
    if cohort_id is not None:
        people, _unmatched = match_members(members, records)
        if assigned:
            people = [p for p in people if p.member.id in assigned]
    else:
        active = data.keys
        people = group_records([r for r in records if r.key in active])
    found: list[Completion] = []
    for index, person in enumerate(people):
        if index % CHECK_EVERY == 0:
            state.raise_if_cancelled()
            state.set_progress(index, len(people) or 1, _("Finding completions…"))
        facts = _merged(person, data.progress)
        if not facts:
            continue
        progress = derive_progress(course, facts)
        if not progress.completed:
            continue
        locale = learner_language(person, profile_locales, app_locale)
        completed_at = progress.completed_at or _first_complete(course, facts)
        found.append(Completion(
            learner_key=learner_key(person), learner_name=person.name, course_id=course.id,
            course_title=title_in(locale), course_version=studied_version(person, versions, completed_at) or
            course.version, completed_at=completed_at, locale=locale, staff_number=person.staff_number))
    state.set_progress(1, 1)
    return sorted(found, key=lambda c: (fold(c.learner_name), c.learner_key))


def learner_key(person: Person) -> str:
    """Stable across machines and import orders: the staff number when known, else the first record key."""
    number = staff_key(person.staff_number)
    if number:
        return STAFF_PREFIX + number
    return min(person.keys)


def studied_version(person: Person, versions: dict[str, list[tuple[str, str]]], completed_at: str) -> str:
    """The course version of the person's last progress statement at or before `completed_at` ("" if none
    says one). Ties (two records, one time) go to the larger version, whatever order they were read in."""
    best = ("", "")
    for key in person.keys:
        for timestamp, version in versions.get(key, ()):
            if timestamp <= completed_at and version and (timestamp, version) > best:
                best = (timestamp, version)
    return best[1]


def learner_language(person: Person, profile_locales: dict[str, str], app_locale: str) -> str:
    candidates = [person.member.language if person.member else None]
    candidates += [profile_locales.get(key) for key in sorted(person.keys)]
    candidates.append(app_locale)
    for candidate in candidates:
        shipped = _shipped(candidate)
        if shipped:
            return shipped
    return DEFAULT_LOCALE


def _shipped(code: str | None) -> str | None:
    """The shipped locale for `code` ("ko_KR" -> "ko"), or None when the app does not ship its language."""
    if not code or not code.strip():
        return None
    best = best_locale(code.strip())
    primary = code.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return best if best != DEFAULT_LOCALE or primary == DEFAULT_LOCALE else None


def course_titles(course: Course) -> Callable[[str], str]:
    """locale -> the course's title in that language, each language's package text read once."""
    from app.core.course.loader import load_course

    titles = {course.locale: str(course.title)}

    def title(locale: str) -> str:
        if locale not in titles:
            try:
                titles[locale] = str(load_course(course.location, locale).title)
            except (InvalidInput, OSError):  # the package changed since it was loaded: its shown title will do
                titles[locale] = str(course.title)
        return titles[locale]

    return title


def _profile_locales(conn) -> dict[str, str]:
    """Record key -> the language of the learner's profile: collected ones, then this machine's own."""
    found = {row.key: row.locale for row in conn.execute(select(collected_learners.c.key, collected_learners.c.locale))}
    here = installation_id(conn)
    for row in conn.execute(select(learners.c.id, learners.c.locale)):
        found[f"{here}/{row.id}"] = row.locale
    return found


def _merged(person: Person, progress: dict[str, list]) -> list:
    """The person's progress statements from all their records, oldest first (ties by record key, so the
    result does not depend on which record was read first)."""
    parts = [(key, fact) for key in sorted(person.keys) for fact in progress.get(key, ())]
    return [fact for _key, fact in sorted(parts, key=lambda part: (part[1].timestamp, part[0]))]


def _first_complete(course: Course, facts: Sequence) -> str:
    """The time of the statement after which the course was complete (no course "completed" statement was
    collected). Completion only grows with more statements, so a binary search finds the first one."""
    low, high = 1, len(facts)
    while low < high:
        middle = (low + high) // 2
        if derive_progress(course, list(facts[:middle])).completed:
            high = middle
        else:
            low = middle + 1
    return facts[high - 1].timestamp
