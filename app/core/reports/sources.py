"""What a report reads: the learners this machine knows (its own profiles and those collected from other
installations' bundles), and their statements in the reported courses, sorted into what each part of
the report needs.

Reading is the report's whole cost: 2,000 learners hold a quarter of a million statements, and parsing
every JSON payload in Python takes seconds. So each statement is read once, and only what is needed is
taken from it:

    every statement but a launch    its time: when the learner was last active (and so, started)
    completed, attempted, passed,   a ProgressFact (verb, object, time, item, registration, score)
    failed                          for derive_progress: completion and quiz scores, as the learner's
                                    own screen derives them
    answered                        (item, question, correct?, response) for the question tables

On SQLite, the registration, score, success and response are picked out of the payload by SQLite's JSON
functions in C, and only for the verbs that need them; any other database gets the same values from
the payload parsed in Python (`in_sql=False` forces that path; a test checks both agree).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from sqlalchemy import literal, select
from sqlalchemy.engine import Connection

from app.core.record.statements import Verb, course_iri
from app.core.storage.schema import collected_learners, collected_statements, learners, meta, statements

PROGRESS_VERBS = (Verb.COMPLETED, Verb.ATTEMPTED, Verb.PASSED, Verb.FAILED)  # what moves completion and scores
SCORED = (Verb.ATTEMPTED, Verb.PASSED, Verb.FAILED)  # need the registration and score from the payload


@dataclass(frozen=True)
class LearnerRecord:
    """One learner's record on one installation: several records can be one person (two PCs)."""

    key: str  # "<installation id>/<learner id>", as in collected_learners
    name: str
    staff_number: str | None
    installation_id: str
    local: bool  # this installation's own profile


@dataclass
class CourseData:
    """One course's statements, by learner record key."""

    progress: dict[str, list[ProgressFact]] = field(default_factory=dict)  # oldest first
    last_active: dict[str, str] = field(default_factory=dict)  # newest timestamp of a statement not a launch
    answers: dict[str, list[tuple[str, str, bool, str]]] = field(default_factory=dict)  # (item, question, ok, response)

    @property
    def keys(self) -> set[str]:
        return set(self.last_active) | set(self.progress)


def installation_id(conn: Connection) -> str:
    return conn.scalar(select(meta.c.value).where(meta.c.key == "installation_id")) or "local"


def learner_records(conn: Connection) -> list[LearnerRecord]:
    """This installation's learner profiles and every collected learner (a collected record of this very
    installation, should one exist, is the local profile)."""
    here = installation_id(conn)
    found = {}
    for row in conn.execute(select(collected_learners.c.key, collected_learners.c.name,
                                   collected_learners.c.staff_number, collected_learners.c.installation_id)):
        found[row.key] = LearnerRecord(row.key, row.name, row.staff_number, row.installation_id, False)
    for row in conn.execute(select(learners.c.id, learners.c.name, learners.c.staff_number)):
        key = f"{here}/{row.id}"
        found[key] = LearnerRecord(key, row.name, row.staff_number, here, True)
    return list(found.values())


def read_courses(conn: Connection, course_ids: Sequence[str], in_sql: bool | None = None) -> dict[str, CourseData]:
    """Every statement of these courses, local and collected, each once (one collected from this very
    installation is the local one)."""
    if in_sql is None:
        in_sql = conn.dialect.name == "sqlite"
    data = {course_id: CourseData() for course_id in course_ids}
    if not course_ids:
        return data
    items = _ItemIds(course_ids)
    here = installation_id(conn)
    reader = _rows_in_sql if in_sql else _rows_in_python
    answered, scored = Verb.ANSWERED, set(SCORED)
    known, split = items.known, items.split  # hot loop: a dict hit for all but the first of each object id
    for local in (True, False):
        activity, rows = reader(conn, course_ids, here, local)
        for course_id, key, timestamp in activity:
            last = data[course_id].last_active
            if timestamp > last.get(key, ""):
                last[key] = timestamp
        for course_id, key, verb, object_id, timestamp, first, second in rows:
            course = data[course_id]
            if verb == answered:
                item_id, question_id = known.get(object_id) or split(object_id)
                course.answers.setdefault(key, []).append((item_id or "", question_id, bool(first),
                                                           "" if second is None else str(second)))
            else:
                course.progress.setdefault(key, []).append(ProgressFact(
                    verb, object_id, timestamp, (known.get(object_id) or split(object_id))[0],
                    first if verb in scored else None,
                    second))
    for course in data.values():
        for keyed in course.progress.values():
            keyed.sort(key=_timestamp)
    return data


class ProgressFact:
    """What derive_progress reads of a statement, as plain attributes: a Statement reads each one through
    its JSON dictionary, which costs more than the derivation at a quarter of a million statements.
    Anything else derive_progress might come to read fails loudly here (AttributeError), and a test holds
    the report to derive_progress over real Statements."""

    __slots__ = ("verb", "object_id", "timestamp", "item_id", "registration", "result")

    def __init__(self, verb: str, object_id: str, timestamp: str, item_id: str | None, registration: str | None,
                 scaled: Any):
        self.verb, self.object_id, self.timestamp, self.item_id = verb, object_id, timestamp, item_id
        self.registration = registration or None
        self.result = {"score": {"scaled": float(scaled)}} if scaled is not None else {}

    def result_extension(self, key: str, default: Any = None) -> Any:
        return (self.result.get("extensions") or {}).get(key, default)


def _timestamp(fact: ProgressFact) -> str:
    return fact.timestamp


class _ItemIds:
    """object id -> (item id, question id) by the shapes record/statements.py gives them: the course,
    ":item:<id>", then ":question:<id>" or ":task:<id>". Memoised: a course has a few hundred."""

    def __init__(self, course_ids: Iterable[str]):
        self.prefixes = {course_iri(c) + ":item:" for c in course_ids}
        self.known: dict[str, tuple[str | None, str]] = {}

    def split(self, object_id: str) -> tuple[str | None, str]:
        found = self.known.get(object_id)
        if found is None:
            item_id, rest = None, ""
            for prefix in self.prefixes:
                if object_id.startswith(prefix):
                    item_id, _sep, rest = object_id[len(prefix):].partition(":")
                    break
            found = self.known[object_id] = (item_id, rest.rpartition(":")[2])
        return found


def _rows_in_sql(conn: Connection, course_ids: Sequence[str], here: str, local: bool):
    """On SQLite, two queries: the newest activity per learner, aggregated by SQLite; and the statements
    progress and the question tables read, with the two payload values each needs taken out in C
    (and no payload parsed for a lesson completion). The raw DB-API cursor: a quarter of a million rows
    through SQLAlchemy's result objects would cost more than the query."""
    table = statements.name if local else collected_statements.name
    key = "? || learner_id" if local else "learner_key"
    head = [f"{here}/"] if local else []
    courses = f"course_id IN ({', '.join('?' for _c in course_ids)})"
    # A statement both collected and local (never expected) is read once, as the local one.
    once = "" if local else f" AND id NOT IN (SELECT id FROM {statements.name})"
    raw = conn.connection.driver_connection
    activity = raw.execute(f"SELECT course_id, {key}, MAX(timestamp) FROM {table} WHERE {courses} AND verb != ?"
                           f"{once} GROUP BY course_id, {key}", [*head, *course_ids, Verb.LAUNCHED, *head]).fetchall()
    scored = " ".join("WHEN ? THEN json_extract(payload, '$.context.registration')" for _v in SCORED)
    scores = " ".join("WHEN ? THEN json_extract(payload, '$.result.score.scaled')" for _v in SCORED[1:])
    wanted = (Verb.ANSWERED, *PROGRESS_VERBS)
    sql = (f"SELECT course_id, {key}, verb, object_id, timestamp, "
           f"CASE verb WHEN ? THEN json_extract(payload, '$.result.success') {scored} END, "
           f"CASE verb WHEN ? THEN json_extract(payload, '$.result.response') {scores} END "
           f"FROM {table} WHERE {courses} AND verb IN ({', '.join('?' for _v in wanted)}){once}")
    params = [*head, Verb.ANSWERED, *SCORED, Verb.ANSWERED, *SCORED[1:], *course_ids, *wanted]
    return activity, raw.execute(sql, params).fetchall()


def _rows_in_python(conn: Connection, course_ids: Sequence[str], here: str, local: bool):
    """Any database: the same two results, with the payload parsed here for the verbs that need it."""
    table = statements if local else collected_statements
    key = (literal(f"{here}/") + statements.c.learner_id) if local else collected_statements.c.learner_key
    query = select(table.c.course_id, key, table.c.verb, table.c.object_id, table.c.timestamp,
                   table.c.payload).where(table.c.course_id.in_(list(course_ids)))
    if not local:
        query = query.where(table.c.id.not_in(select(statements.c.id)))
    last: dict[tuple[str, str], str] = {}
    rows = []
    for course_id, key_, verb, object_id, timestamp, payload in conn.execute(query):
        if verb == Verb.LAUNCHED:
            continue
        if timestamp > last.get((course_id, key_), ""):
            last[(course_id, key_)] = timestamp
        if verb != Verb.ANSWERED and verb not in PROGRESS_VERBS:
            continue
        first = second = None
        if verb == Verb.ANSWERED or verb in SCORED:
            data = json.loads(payload)
            result = data.get("result") or {}
            if verb == Verb.ANSWERED:
                first, second = result.get("success"), result.get("response")
            else:
                first, second = (data.get("context") or {}).get("registration"), (result.get("score") or {}).get(
                    "scaled")
        rows.append((course_id, key_, verb, object_id, timestamp, first, second))
    return [(c, k, t) for (c, k), t in last.items()], rows
