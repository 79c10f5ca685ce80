"""Writing collected progress: learners upserted by a rule that ignores arrival order, statements
inserted in bulk as a set union by id. Shared by bundle and xAPI imports.

Learner details (name, staff number, locale) can change between two bundles of one office. Whatever
order the bundles arrive in, the row ends up with the details of the newest bundle: each bundle's
(created time, name, staff number, locale) is compared with the row's (last_seen, ...), and the
larger wins. That is a maximum over a total order, so it does not depend on order or repetition.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Sequence

from sqlalchemy import Connection, Table, select, update

from app.core.storage.schema import collected_learners, collected_statements

STATEMENT_COLUMNS = ("id", "learner_key", "verb", "object_id", "course_id", "course_version", "timestamp", "stored",
                     "bundle_id", "payload", "facts", "registration", "success", "score", "response")
BASE_COLUMNS = len(STATEMENT_COLUMNS) - 5  # a row without its facts (xAPI files): they are taken from the payload
HOME_PAGE = "https://civic-ai-academy.invalid/installations/"  # + installation id: see record.statements.actor()
COURSE_PREFIX = "urn:civic-ai-academy:course:"  # + course id: see record.statements.course_iri()
LEARNER_COLUMNS = ("key", "installation_id", "learner_id", "name", "staff_number", "locale", "last_seen")


@dataclass(frozen=True)
class LearnerRow:
    key: str  # "<installation id>/<learner id>"
    installation_id: str
    learner_id: str
    name: str
    staff_number: str | None
    locale: str
    last_seen: str  # the created time of the newest bundle naming the learner; "" when only xAPI named them

    def rank(self) -> tuple[str, str, str, str]:
        return self.last_seen, self.name, self.staff_number or "", self.locale


@dataclass(frozen=True)
class Rejection:
    line: int  # 1-based line in statements.jsonl (bundle) or in the JSON file (xAPI)
    reason: str


@dataclass
class Prepared:
    """A file checked and turned into rows; nothing written yet."""

    rows: list[tuple] = field(default_factory=list)
    learners: list[LearnerRow] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def learner_key(installation_id: str, learner_id: str) -> str:
    return f"{installation_id}/{learner_id}"


def merge_learners(conn: Connection, incoming: Sequence[LearnerRow]) -> None:
    """Insert new learners; update known ones when `incoming` ranks higher (newer bundle)."""
    best: dict[str, LearnerRow] = {}
    for row in incoming:
        if row.key not in best or row.rank() > best[row.key].rank():
            best[row.key] = row
    if not best:
        return
    table = collected_learners
    known: dict[str, LearnerRow] = {}
    keys = list(best)
    for start in range(0, len(keys), 500):  # stays under SQLite's limit on bound parameters
        for r in conn.execute(select(table).where(table.c.key.in_(keys[start:start + 500]))).mappings():
            known[r["key"]] = LearnerRow(**r)
    insert_new(conn, table, LEARNER_COLUMNS, [(key, row.installation_id, row.learner_id, row.name, row.staff_number,
                                               row.locale, row.last_seen)
                                              for key, row in best.items() if key not in known])
    for key, row in best.items():
        if key in known and row.rank() > known[key].rank():
            conn.execute(update(table).where(table.c.key == key).values(
                name=row.name, staff_number=row.staff_number, locale=row.locale, last_seen=row.last_seen))


def insert_new(conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple]) -> int:
    """INSERT rows whose primary key is not there yet, in one executemany; returns how many were new."""
    if not rows:
        return 0
    if conn.dialect.name == "sqlite":
        # The driver's own executemany: no per-row work in SQLAlchemy, which matters at 200,000 rows.
        sql = (f"INSERT OR IGNORE INTO {table.name} ({', '.join(columns)}) "
               f"VALUES ({', '.join('?' for _c in columns)})")
        return conn.exec_driver_sql(sql, rows).rowcount
    from sqlalchemy.dialects.postgresql import insert as upsert  # a training centre's PostgreSQL

    result = conn.execute(upsert(table).on_conflict_do_nothing(), [dict(zip(columns, row)) for row in rows])
    return result.rowcount


def statement_facts(data: dict[str, Any]) -> tuple[bool, Any, Any, Any, Any]:
    """(facts, registration, success, scaled score, response) of a parsed statement: what reports read of a
    payload, stored beside it at import. Exactly what SQLite's json_extract gives for the same paths
    (migration 0007 fills older rows that way), for statements whose types were checked."""
    result = data.get("result") or {}
    return (True, (data.get("context") or {}).get("registration"), result.get("success"),
            (result.get("score") or {}).get("scaled"), result.get("response"))


def insert_statements(conn: Connection, rows: list[tuple]) -> int:
    """Rows in STATEMENT_COLUMNS order; a row of the first BASE_COLUMNS only gets its facts from its payload."""
    rows = [row if len(row) > BASE_COLUMNS else (*row, *statement_facts(json.loads(row[BASE_COLUMNS - 1])))
            for row in rows]
    return insert_new(conn, collected_statements, STATEMENT_COLUMNS, rows)
