"""Writing collected progress: learners upserted by a rule that ignores arrival order, statements
inserted in bulk as a set union by id, with the file that holds their payloads (payloads.py). Shared by
bundle and xAPI imports.

Learner details (name, staff number, locale) can change between two bundles of one office. Whatever
order the bundles arrive in, the row ends up with the details of the newest bundle: each bundle's
(created time, name, staff number, locale) is compared with the row's (last_seen, ...), and the
larger wins. That is a maximum over a total order, so it does not depend on order or repetition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from app.core.storage.schema import collected_iris, collected_learners, collected_payloads, collected_statements

# A statement row as an import builds it, (id, learner key, verb IRI, activity IRI, ...): `write_statements`
# turns the three into their numbers (ROW_COLUMNS) and adds the payload file it points into.
STATEMENT_COLUMNS = ("id", "learner_key", "verb", "object_id", "course_id", "course_version", "timestamp", "line",
                     "registration", "success", "score", "response")
ROW_COLUMNS = ("id", "learner", "verb", "object", *STATEMENT_COLUMNS[4:])
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


@dataclass(frozen=True)
class PayloadFile:
    """The statements' lines as a file carried them, to be stored once (see payloads.py)."""

    format: str  # payloads.BUNDLE or payloads.JSONL_ZLIB
    data: bytes
    lines_sha256: str


@dataclass
class Prepared:
    """A file checked and turned into rows; nothing written yet."""

    rows: list[tuple] = field(default_factory=list)  # STATEMENT_COLUMNS
    learners: list[LearnerRow] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    payloads: PayloadFile | None = None


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
        for r in conn.execute(select(*(table.c[name] for name in LEARNER_COLUMNS)).where(
                table.c.key.in_(keys[start:start + 500]))).mappings():
            known[r["key"]] = LearnerRow(**r)
    insert_learners(conn, [row for key, row in best.items() if key not in known])
    for key, row in best.items():
        if key in known and row.rank() > known[key].rank():
            conn.execute(update(table).where(table.c.key == key).values(
                name=row.name, staff_number=row.staff_number, locale=row.locale, last_seen=row.last_seen))


def insert_learners(conn: Connection, rows: Sequence[LearnerRow]) -> int:
    """Insert the learners not collected yet, each with the next number (see CollectedIds): given here, once,
    as an UPDATE of the number would make SQLite look through every statement for rows pointing at the old
    one. Returns how many were new.

    On a shared server two imports may take the same next number at once: the second's rows are then left out
    (the number is unique), and it numbers them again after the first's; on SQLite one import writes at a
    time."""
    table = collected_learners
    fresh: dict[str, LearnerRow] = {}
    for row in rows:
        fresh.setdefault(row.key, row)  # the first file line naming a learner gives their details
    added = 0
    for _attempt in range(10):
        keys = list(fresh)
        for start in range(0, len(keys), 500):
            for key in conn.execute(select(table.c.key).where(table.c.key.in_(keys[start:start + 500]))).scalars():
                fresh.pop(key, None)
        if not fresh:
            return added
        top = conn.execute(select(func.max(table.c.number))).scalar() or 0
        added += insert_new(conn, table, (*LEARNER_COLUMNS, "number"), [
            (row.key, row.installation_id, row.learner_id, row.name, row.staff_number, row.locale, row.last_seen,
             number) for number, row in enumerate(fresh.values(), top + 1)])
    raise RuntimeError("new collected learners could not be numbered: other imports kept taking the numbers")


def insert_new(conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple],
               constant: int | None = None) -> int:
    """INSERT rows whose primary key is not there yet, in one executemany; returns how many were new.
    `constant`: the value of the last column, the same for every row (not repeated in `rows`)."""
    if not rows:
        return 0
    if conn.dialect.name == "sqlite":
        # The driver's own executemany: no per-row work in SQLAlchemy, which matters at 200,000 rows.
        values = ["?"] * (len(columns) - (constant is not None)) + ([str(int(constant))] if constant is not None
                                                                     else [])
        sql = f"INSERT OR IGNORE INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(values)})"
        return conn.exec_driver_sql(sql, rows).rowcount
    from sqlalchemy.dialects.postgresql import insert as upsert  # a training centre's PostgreSQL

    if constant is not None:
        rows = [(*row, constant) for row in rows]
    # RETURNING counts the rows inserted: psycopg's executemany reports no row count (-1).
    inserted = conn.execute(upsert(table).on_conflict_do_nothing().returning(*table.primary_key.columns),
                            [dict(zip(columns, row)) for row in rows])
    return len(inserted.all())


def statement_facts(data: dict[str, Any]) -> tuple[Any, Any, Any, Any]:
    """(registration, success, scaled score, response) of a parsed statement: what reports read of a payload,
    stored beside it at import. Exactly what SQLite's json_extract gives for the same paths (migrations 0007
    and 0008 fill older rows that way), for statements whose types were checked."""
    result = data.get("result") or {}
    return ((data.get("context") or {}).get("registration"), result.get("success"),
            (result.get("score") or {}).get("scaled"), result.get("response"))


class CollectedIds:
    """The numbers of learners and IRIs in collected_statements rows, as read or given on one connection.

    A learner gets their number when inserted (insert_learners, migration 0008); an IRI when first seen. Kept
    across the files of one import, so each is looked up once: after a rollback, `forget()` (numbers given in
    that transaction are gone)."""

    def __init__(self) -> None:
        self.learners: dict[str, int] = {}
        self.iris: dict[str, int] = {}

    def forget(self) -> None:
        self.learners.clear()
        self.iris.clear()

    def learner_numbers(self, conn: Connection, keys: set[str]) -> dict[str, int]:
        missing = sorted(keys - self.learners.keys())
        if missing:
            table = collected_learners
            for start in range(0, len(missing), 500):  # stays under SQLite's limit on bound parameters
                self.learners.update(conn.execute(select(table.c.key, table.c.number).where(
                    table.c.key.in_(missing[start:start + 500]), table.c.number.is_not(None))).all())
            unknown = set(missing) - self.learners.keys()
            if unknown:
                raise ValueError(f"collected statements name learners not collected: {sorted(unknown)[:3]}")
        return self.learners

    def iri_ids(self, conn: Connection, iris: set[str]) -> dict[str, int]:
        missing = sorted(iris - self.iris.keys())
        if missing:
            table = collected_iris
            insert_new(conn, table, ("iri",), [(iri,) for iri in missing])
            for start in range(0, len(missing), 500):
                self.iris.update(conn.execute(select(table.c.iri, table.c.id).where(
                    table.c.iri.in_(missing[start:start + 500]))).all())
        return self.iris


def write_statements(conn: Connection, rows: list[tuple], payloads: PayloadFile, bundle_id: str,
                     ids: CollectedIds | None = None) -> int:
    """Insert `rows` (STATEMENT_COLUMNS; their learners collected already) not collected yet, pointing into
    `payloads`, stored here unless the same lines are stored already; returns how many rows were new. A file
    that adds nothing leaves no payload row. `ids`: the numbers known on this connection (see CollectedIds)."""
    ids = ids if ids is not None else CollectedIds()
    learners = ids.learner_numbers(conn, {row[1] for row in rows})
    iris = ids.iri_ids(conn, {row[2] for row in rows} | {row[3] for row in rows})
    table = collected_payloads
    known = conn.execute(select(table.c.id).where(table.c.lines_sha256 == payloads.lines_sha256)).scalar()
    file = known if known is not None else conn.execute(insert(table).values(
        lines_sha256=payloads.lines_sha256, format=payloads.format, data=payloads.data,
        bundle_id=bundle_id)).inserted_primary_key[0]
    numbered = [(row[0], learners[row[1]], iris[row[2]], iris[row[3]], *row[4:]) for row in rows]
    added = insert_new(conn, collected_statements, (*ROW_COLUMNS, "payload_file"), numbered, constant=int(file))
    if known is None and added == 0:  # every statement was here already, with its payload
        conn.execute(delete(table).where(table.c.id == file))
    return added
