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

Collected statements carry the registration, score, success and response as columns, filled at import
(migrations 0007 and 0008: their payloads live apart, in the files that brought them), and the course
index holds every column read here: a report on collected progress reads that index alone. This
installation's own statements have those values picked out of the payload by SQLite's JSON functions,
in C; any other database parses the payload in Python (`in_sql=False` forces that path; tests check
both agree). Answers are counted as they are read (tally_answers), not held.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from sqlalchemy import literal, select
from sqlalchemy.engine import Connection

from app.core.record.statements import Verb, course_iri
from app.core.reports.questions import QuestionTally
from app.core.storage.schema import (collected_iris, collected_learners, collected_statements, learners, meta,
                                     statements)

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


def read_courses(conn: Connection, course_ids: Sequence[str], in_sql: bool | None = None,
                 answers: bool = True) -> dict[str, CourseData]:
    """Every statement of these courses, local and collected, each once (one collected from this very
    installation is the local one). `answers=False` leaves CourseData.answers empty: a report counts them
    with tally_answers instead."""
    if in_sql is None:
        in_sql = conn.dialect.name == "sqlite"
    data = {course_id: CourseData() for course_id in course_ids}
    if not course_ids:
        return data
    items = _ItemIds(course_ids)
    here = installation_id(conn)
    reader = _rows_in_sql if in_sql else _rows_in_python
    numbers = _Numbers(_raw(conn)) if in_sql else None
    scored = set(SCORED)
    known, split = items.known, items.split  # hot loop: a dict hit for all but the first of each object id
    for course_id, course in data.items():
        last, progress = course.last_active, course.progress
        for local in (True, False):
            activity, facts = reader(conn, course_id, here, local, numbers)
            for key, timestamp in activity:
                if timestamp > last.get(key, ""):
                    last[key] = timestamp
            for key, verb, object_id, timestamp, registration, scaled in facts:
                found = progress.get(key)
                if found is None:
                    found = progress[key] = []
                found.append(ProgressFact(verb, object_id, timestamp, (known.get(object_id) or split(object_id))[0],
                                          registration if verb in scored else None, scaled))
            if answers:
                for key, object_id, success, response in _answer_rows(conn, course_id, here, local, in_sql,
                                                                      numbers):
                    item_id, question_id = known.get(object_id) or split(object_id)
                    course.answers.setdefault(key, []).append((item_id or "", question_id, bool(success),
                                                               _response(response)))
        for found in progress.values():
            found.sort(key=_timestamp)
    return data


def tally_answers(conn: Connection, course_ids: Sequence[str], persons: Mapping[str, Mapping[str, int]],
                  in_sql: bool | None = None) -> dict[str, dict[tuple[str, str], QuestionTally]]:
    """Per course and question (item id, question id): the answers of the people in `persons` (course id ->
    learner record key -> that person's number); answers of anyone else are not counted. What read_courses
    gives as CourseData.answers, counted as it is read: a quarter of a million answers are never held."""
    if in_sql is None:
        in_sql = conn.dialect.name == "sqlite"
    tallies: dict[str, dict[tuple[str, str], QuestionTally]] = {course_id: {} for course_id in course_ids}
    if not course_ids:
        return tallies
    items = _ItemIds(course_ids)
    here = installation_id(conn)
    numbers = _Numbers(_raw(conn)) if in_sql else None
    for course_id in course_ids:
        person_of = persons.get(course_id, {}).get
        by_object: dict[str, QuestionTally] = {}  # first by object id: one string key, its hash cached
        for local in (True, False):
            for key, object_id, success, response in _answer_rows(conn, course_id, here, local, in_sql, numbers):
                person = person_of(key)
                if person is None:
                    continue
                tally = by_object.get(object_id)
                if tally is None:
                    tally = by_object[object_id] = QuestionTally()
                tally.add(person, response if response.__class__ is str else _response(response), success)
        found = tallies[course_id]
        for object_id, tally in by_object.items():
            item_id, question_id = items.split(object_id)
            question = (item_id or "", question_id)
            if question in found:  # two activity ids of one question (not written by this app): one tally
                found[question].merge(tally)
            else:
                found[question] = tally
    return tallies


def studied_versions(conn: Connection, course_id: str) -> dict[str, list[tuple[str, str]]]:
    """Learner record key -> (time, course version) of each of their statements that moves progress in the
    course, oldest first: which version of the course they were studying when they completed it (a
    certificate names that version, not the one on the trainer's machine). Only certificates ask: it reads
    the table rows of those statements, which a report never does."""
    here = installation_id(conn)
    found: dict[str, list[tuple[str, str]]] = {}
    own = select(literal(f"{here}/") + statements.c.learner_id, statements.c.timestamp, statements.c.course_version
                 ).where(statements.c.course_id == course_id, statements.c.verb.in_(PROGRESS_VERBS))
    table, verb = collected_statements, collected_iris.alias("verb")
    collected = (select(collected_learners.c.key, table.c.timestamp, table.c.course_version)
                 .join_from(table, collected_learners, collected_learners.c.number == table.c.learner)
                 .join(verb, verb.c.id == table.c.verb)
                 .where(table.c.course_id == course_id, verb.c.iri.in_(PROGRESS_VERBS),
                        table.c.id.not_in(select(statements.c.id))))
    for query in (own, collected):
        for key, timestamp, version in conn.execute(query):
            found.setdefault(key, []).append((timestamp, version))
    for versions in found.values():
        versions.sort()
    return found


def _response(response: Any) -> str:
    return "" if response is None else str(response)


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


# What reports read of this installation's own statements, from their payloads; collected statements have
# them as columns (0007, 0008).
_PAYLOAD = {"registration": "json_extract(payload, '$.context.registration')",
            "score": "json_extract(payload, '$.result.score.scaled')",
            "success": "json_extract(payload, '$.result.success')",
            "response": "json_extract(payload, '$.result.response')"}
_ONCE = f" AND id NOT IN (SELECT id FROM {statements.name})"  # a statement both collected and local: the local one


class _Numbers:
    """Collected statements name their learner, verb and activity by number (0008): the numbers of this
    database, read once (a few thousand rows), to ask by verb and to give back keys and IRIs. An import that
    commits while a report reads may bring rows with numbers given after they were read: those are read
    again (`_Reloading`), rather than failing the report."""

    def __init__(self, raw: Any):
        self.raw = raw
        self.learners = _Reloading(self._learners)
        self.iris = _Reloading(self._iris)
        self.iri_ids = {iri: number for number, iri in self.iris.items()}

    def _learners(self) -> dict[int, str]:
        return dict(self.raw.execute(f"SELECT number, key FROM {collected_learners.name} WHERE number IS NOT NULL"))

    def _iris(self) -> dict[int, str]:
        return dict(self.raw.execute(f"SELECT id, iri FROM {collected_iris.name}"))

    def verbs(self, *verbs: str) -> list[int]:
        return [self.iri_ids.get(verb, -1) for verb in verbs]  # -1: no statement has that verb


class _Reloading(dict):
    """A number -> name map that reads its table again when asked for a number it does not hold."""

    def __init__(self, read: Callable[[], dict]):
        super().__init__(read())
        self.read = read

    def __missing__(self, number: int) -> Any:
        self.update(self.read())
        return dict.__getitem__(self, number)  # still missing: a KeyError, as a broken database deserves


def _raw(conn: Connection) -> Any:
    return conn.connection.driver_connection


def _rows_in_sql(conn: Connection, course_id: str, here: str, local: bool, numbers: _Numbers | None = None):
    """On SQLite: the newest activity per learner; and the statements progress reads, with the registration
    and scaled score of quiz attempts. The raw DB-API cursor: a quarter of a million rows through
    SQLAlchemy's result objects would cost more than the query. Each learner's newest statement but a launch
    is one step back from the end of their part of the course index, rather than a walk over every statement."""
    raw = _raw(conn)
    verbs = f"verb IN ({', '.join('?' for _v in PROGRESS_VERBS)})"
    if local:
        table = statements.name
        activity = [row for row in raw.execute(
            f"SELECT ? || p.id, (SELECT s.timestamp FROM {table} s WHERE s.learner_id = p.id AND s.course_id = ? "
            f"AND s.verb != ? ORDER BY s.timestamp DESC LIMIT 1) FROM {learners.name} p",
            [f"{here}/", course_id, Verb.LAUNCHED]) if row[1] is not None]
        progress = raw.execute(
            f"SELECT ? || learner_id, verb, object_id, timestamp, {_PAYLOAD['registration']}, CASE WHEN verb IN "
            f"(?, ?) THEN {_PAYLOAD['score']} END FROM {table} WHERE course_id = ? AND {verbs}",
            [f"{here}/", Verb.PASSED, Verb.FAILED, course_id, *PROGRESS_VERBS]).fetchall()
        return activity, progress
    numbers = numbers or _Numbers(raw)
    table = collected_statements.name
    activity = [row for row in raw.execute(
        f"SELECT p.key, (SELECT s.timestamp FROM {table} s WHERE s.learner = p.number AND s.course_id = ? AND "
        f"s.verb != ? AND s.id NOT IN (SELECT id FROM {statements.name}) ORDER BY s.timestamp DESC LIMIT 1) "
        f"FROM {collected_learners.name} p WHERE p.number IS NOT NULL",
        [course_id, *numbers.verbs(Verb.LAUNCHED)]) if row[1] is not None]
    people, iris = numbers.learners, numbers.iris
    progress = [(people[learner], iris[verb], iris[activity_id], timestamp, registration, score)
                for learner, verb, activity_id, timestamp, registration, score in raw.execute(
                    f"SELECT learner, verb, object, timestamp, registration, CASE WHEN verb IN (?, ?) THEN score END "
                    f"FROM {table} WHERE course_id = ? AND {verbs}{_ONCE}",
                    [*numbers.verbs(Verb.PASSED, Verb.FAILED), course_id, *numbers.verbs(*PROGRESS_VERBS)])]
    return activity, progress


def _answer_rows(conn: Connection, course_id: str, here: str, local: bool, in_sql: bool,
                 numbers: _Numbers | None = None):
    """(learner key, object id, success, response) of each answer in the course."""
    if not in_sql:
        return _answers_in_python(conn, course_id, here, local)
    raw = _raw(conn)
    if local:
        return raw.execute(
            f"SELECT ? || learner_id, object_id, {_PAYLOAD['success']}, {_PAYLOAD['response']} FROM "
            f"{statements.name} WHERE course_id = ? AND verb = ?", [f"{here}/", course_id, Verb.ANSWERED]).fetchall()
    numbers = numbers or _Numbers(raw)
    people, iris = numbers.learners, numbers.iris
    return [(people[learner], iris[activity_id], success, response) for learner, activity_id, success, response in
            raw.execute(f"SELECT learner, object, success, response FROM {collected_statements.name} "
                        f"WHERE course_id = ? AND verb = ?{_ONCE}", [course_id, *numbers.verbs(Verb.ANSWERED)])]


def _python_query(course_id: str, here: str, local: bool, *verbs: str):
    """(key, verb, object id, time, payload) of this installation's own statements; (key, verb, object id, time,
    registration, score, success, response) of collected ones, whose payloads live apart (0008)."""
    if local:
        table = statements
        query = select(literal(f"{here}/") + statements.c.learner_id, table.c.verb, table.c.object_id,
                       table.c.timestamp, table.c.payload)
    else:
        table, verb, activity = collected_statements, collected_iris.alias("verb"), collected_iris.alias("activity")
        query = (select(collected_learners.c.key, verb.c.iri, activity.c.iri, table.c.timestamp, table.c.registration,
                        table.c.score, table.c.success, table.c.response)
                 .join_from(table, collected_learners, collected_learners.c.number == table.c.learner)
                 .join(verb, verb.c.id == table.c.verb).join(activity, activity.c.id == table.c.object)
                 .where(table.c.id.not_in(select(statements.c.id))))
        if verbs:
            query = query.where(verb.c.iri.in_(verbs))
        return query.where(table.c.course_id == course_id)
    query = query.where(table.c.course_id == course_id)
    if verbs:
        query = query.where(table.c.verb.in_(verbs))
    return query


def _rows_in_python(conn: Connection, course_id: str, here: str, local: bool, _numbers: Any = None):
    """Any database: the same two results, with own statements' payloads parsed here for the verbs that need it."""
    last: dict[str, str] = {}
    progress = []
    scored = set(SCORED)
    for row in conn.execute(_python_query(course_id, here, local)):
        key, verb, object_id, timestamp = row[:4]
        if verb == Verb.LAUNCHED:
            continue
        if timestamp > last.get(key, ""):
            last[key] = timestamp
        if verb in PROGRESS_VERBS:
            registration = scaled = None
            if verb in scored:
                if local:
                    data = json.loads(row[4])
                    registration = (data.get("context") or {}).get("registration")
                    if verb != Verb.ATTEMPTED:
                        scaled = ((data.get("result") or {}).get("score") or {}).get("scaled")
                else:
                    registration = row[4]
                    if verb != Verb.ATTEMPTED:
                        scaled = row[5]
            progress.append((key, verb, object_id, timestamp, registration, scaled))
    return list(last.items()), progress


def _answers_in_python(conn: Connection, course_id: str, here: str, local: bool):
    for row in conn.execute(_python_query(course_id, here, local, Verb.ANSWERED)):
        if local:
            result = json.loads(row[4]).get("result") or {}
            yield row[0], row[2], result.get("success"), result.get("response")
        else:
            yield row[0], row[2], row[6], row[7]
