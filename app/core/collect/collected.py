"""Reading collected progress, for reports, cohorts and certificates.

    for learner_key, statement in collected_statements(database, course_id="ai-foundations"): ...
    for learner in collected_learners(database): learner.key, learner.name, learner.staff_number, ...

A learner key is "<installation id>/<learner id>": the same person's profile on two PCs is two
keys (matching them, e.g. by staff number, is a cohort's business). Statements come oldest first
per learner (ordered by learner key, timestamp, id), so `derive_progress(course, [s for k, s in
group])` works on each learner's run as it does on this machine's own record.

Only what was collected is here: this machine's own learners appear once its own bundle has been
imported (or read them with LearningRecord).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import Connection, select

from app.core.collect.payloads import payload_stream
from app.core.collect.rows import LEARNER_COLUMNS
from app.core.record.statements import Statement
from app.core.storage.database import Database
from app.core.storage.schema import collected_learners as learners_table
from app.core.storage.schema import collected_statements as statements_table


@dataclass(frozen=True)
class CollectedLearner:
    key: str
    installation_id: str
    learner_id: str
    name: str
    staff_number: str | None
    locale: str
    last_seen: str  # created time of the newest bundle that named them ("" if known only from an LRS file)


def collected_statements(conn_or_db: Connection | Database, course_id: str | None = None
                         ) -> Iterator[tuple[str, Statement]]:
    """(learner key, statement) for every collected statement, or those of one course."""
    if not isinstance(conn_or_db, Connection):
        with conn_or_db.engine.connect() as conn:
            yield from collected_statements(conn, course_id)
        return
    table, people = statements_table, learners_table
    query = select(people.c.key, table.c.payload_file, table.c.line).join_from(
        table, people, people.c.number == table.c.learner)
    if course_id is not None:
        query = query.where(table.c.course_id == course_id)
    query = query.order_by(people.c.key, table.c.timestamp, table.c.id)
    for (key, _file, _line), payload in payload_stream(conn_or_db, conn_or_db.execute(query)):
        yield key, Statement.from_json(payload)


def collected_learners(conn_or_db: Connection | Database) -> list[CollectedLearner]:
    """Every collected learner, by name."""
    query = select(*(learners_table.c[name] for name in LEARNER_COLUMNS)).order_by(learners_table.c.name,
                                                                                  learners_table.c.key)
    if isinstance(conn_or_db, Connection):
        return [CollectedLearner(**row) for row in conn_or_db.execute(query).mappings()]
    with conn_or_db.engine.connect() as conn:
        return [CollectedLearner(**row) for row in conn.execute(query).mappings()]
