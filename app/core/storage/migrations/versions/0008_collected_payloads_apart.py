"""Collected statements become lean rows: their payloads move into the files that brought them, and their
learner, verb and activity become numbers.

An import of 200,000 statements wrote about 430 MB (each row held its 1.1 KB payload, then the WAL copy of
it): the payloads now stay as the files carried them, compressed (collected_payloads: a bundle's .zip as it
came, or JSON lines), and a row points at its line (`payload_file`, `line`). The learner key (73
characters), verb and activity IRIs, held in the row and again in the course index, become numbers:
collected_learners.number, and collected_iris for IRIs. A row keeps the columns queries and reports read,
the report columns always filled (0007's `facts` flag goes: every row has them). `stored` and `bundle_id`
go too: nothing read them, and the payload row names the file that brought it.

Rows collected before are moved here: each earlier file's statements become one JSON-lines payload row (in
the order of their time), with the report columns taken from the payload where 0007 could not. Statements
stay immutable: the triggers are made again on the new table, and a payload row can be neither changed nor
deleted while a statement points into it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""
import hashlib
import io
import json
import zipfile
import zlib

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD_COLUMNS = ("id", "learner_key", "verb", "object_id", "course_id", "course_version", "timestamp", "stored",
               "bundle_id", "payload", "facts", "registration", "success", "score", "response")
NEW_COLUMNS = ("id", "learner", "verb", "object", "course_id", "course_version", "timestamp", "payload_file",
               "line", "registration", "success", "score", "response")
INDEX = ["course_id", "learner", "timestamp", "id", "verb", "object", "registration", "success", "score", "response"]
OLD_INDEX = ["course_id", "learner_key", "timestamp", "id", "verb", "object_id", "facts", "registration", "success",
             "score", "response"]
BATCH = 5000


def _triggers(table: str = "collected_statements") -> list[str]:
    return [f"CREATE TRIGGER collected_no_update BEFORE UPDATE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'collected statements are immutable'); END",
            f"CREATE TRIGGER collected_no_delete BEFORE DELETE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'collected statements are immutable'); END"]


PAYLOAD_TRIGGERS = [
    "CREATE TRIGGER collected_payloads_no_update BEFORE UPDATE ON collected_payloads "
    "BEGIN SELECT RAISE(ABORT, 'collected payloads are immutable'); END",
    # Only a payload row no statement points into may go (an import that added nothing takes its row back).
    "CREATE TRIGGER collected_payloads_kept BEFORE DELETE ON collected_payloads "
    "WHEN EXISTS (SELECT 1 FROM collected_statements WHERE payload_file = OLD.id) "
    "BEGIN SELECT RAISE(ABORT, 'collected payloads are immutable'); END",
]


def _facts(payload: str) -> tuple:
    """As app/core/collect/rows.statement_facts, for a row written without them (facts false): each value only
    when it has the type a checked statement gives it (an older tool may have written anything)."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None, None, None, None
    data = data if isinstance(data, dict) else {}
    result = data.get("result") if isinstance(data.get("result"), dict) else {}
    context = data.get("context") if isinstance(data.get("context"), dict) else {}
    score = result.get("score") if isinstance(result.get("score"), dict) else {}

    def typed(value, *kinds):
        return value if type(value) in kinds else None

    return (typed(context.get("registration"), str), typed(result.get("success"), bool),
            typed(score.get("scaled"), int, float), typed(result.get("response"), str))


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    op.add_column("collected_learners", sa.Column("number", sa.Integer()))  # in place: no table copy
    people = sa.table("collected_learners", sa.column("key"), sa.column("number"))
    numbers = {}
    for number, key in enumerate(conn.execute(sa.select(people.c.key).order_by(people.c.key)).scalars(), 1):
        conn.execute(people.update().where(people.c.key == key).values(number=number))
        numbers[key] = number
    op.create_index("ux_collected_learners_number", "collected_learners", ["number"], unique=True)
    op.create_table(
        "collected_iris",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("iri", sa.Text(), nullable=False, unique=True),
    )
    op.create_table(
        "collected_payloads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("lines_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("bundle_id", sa.String(36), nullable=False),
    )
    op.create_table(
        "collected_statements_0008",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("learner", sa.Integer(), sa.ForeignKey("collected_learners.number"), nullable=False),
        sa.Column("verb", sa.Integer(), sa.ForeignKey("collected_iris.id"), nullable=False),
        sa.Column("object", sa.Integer(), sa.ForeignKey("collected_iris.id"), nullable=False),
        sa.Column("course_id", sa.String(64), nullable=False),
        sa.Column("course_version", sa.String(32), nullable=False),
        sa.Column("timestamp", sa.String(40), nullable=False),
        sa.Column("payload_file", sa.Integer(), sa.ForeignKey("collected_payloads.id"), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("registration", sa.String(36)),
        sa.Column("success", sa.Boolean()),
        sa.Column("score", sa.Float()),
        sa.Column("response", sa.Text()),
    )
    old = sa.table("collected_statements", *(sa.column(name) for name in OLD_COLUMNS))
    iris_table = sa.table("collected_iris", sa.column("id"), sa.column("iri"))
    found = sorted(set(conn.execute(sa.select(old.c.verb).distinct()).scalars())
                   | set(conn.execute(sa.select(old.c.object_id).distinct()).scalars()))
    for start in range(0, len(found), BATCH):  # numbered by the database (a PostgreSQL sequence stays in step)
        conn.execute(iris_table.insert(), [{"iri": iri} for iri in found[start:start + BATCH]])
    iris = {iri: number for number, iri in conn.execute(sa.select(iris_table.c.id, iris_table.c.iri))}
    payloads = sa.table("collected_payloads", *(sa.column(name) for name in
                                                ("id", "lines_sha256", "format", "data", "bundle_id")))
    new = sa.table("collected_statements_0008", *(sa.column(name) for name in NEW_COLUMNS))
    rows = conn.execute(sa.select(*(old.c[name] for name in OLD_COLUMNS))
                        .order_by(old.c.bundle_id, old.c.timestamp, old.c.id))
    group: list = []
    for row in rows:
        if group and row.bundle_id != group[0].bundle_id:
            _move(conn, group, payloads, new, numbers, iris)
            group = []
        group.append(row)
    if group:
        _move(conn, group, payloads, new, numbers, iris)
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS collected_no_update")
        op.execute("DROP TRIGGER IF EXISTS collected_no_delete")
    op.drop_index("ix_collected_course", "collected_statements")
    op.drop_table("collected_statements")
    op.rename_table("collected_statements_0008", "collected_statements")
    op.create_index("ix_collected_course", "collected_statements", INDEX)
    if sqlite:
        for trigger in _triggers() + PAYLOAD_TRIGGERS:
            op.execute(trigger)


def _move(conn, group: list, payloads, new, numbers: dict, iris: dict) -> None:
    """One earlier file's rows: their payloads as one JSON-lines row, then the rows pointing into it."""
    text = "".join(row.payload + "\n" for row in group).encode("utf-8")
    digest = hashlib.sha256(text).hexdigest()
    conn.execute(payloads.insert().values(lines_sha256=digest, format="jsonl-zlib", data=zlib.compress(text, 6),
                                          bundle_id=group[0].bundle_id))
    file = conn.execute(sa.select(payloads.c.id).where(payloads.c.lines_sha256 == digest)).scalar_one()
    values = []
    for line, row in enumerate(group, 1):
        facts = ((row.registration, row.success, row.score, row.response) if row.facts else _facts(row.payload))
        values.append(dict(zip(NEW_COLUMNS, (row.id, numbers[row.learner_key], iris[row.verb], iris[row.object_id],
                                             row.course_id, row.course_version, row.timestamp, file, line, *facts))))
    for start in range(0, len(values), BATCH):
        conn.execute(new.insert(), values[start:start + BATCH])


def _stored(payload: str):
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    return data.get("stored") if isinstance(data, dict) else None


def _lines(kind: str, data: bytes) -> list[str]:
    """As app/core/collect/payloads.decode_lines (a migration keeps its own copy: the app's may change)."""
    if kind == "bundle":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            raw = archive.read("statements.jsonl")
    else:
        raw = zlib.decompress(data)
    return raw.decode("utf-8").split("\n")


def downgrade() -> None:
    """Back to 0007's table: each row gets its payload back, byte for byte, and its report columns (`facts`
    true). `stored`, which nothing read, is the payload's own if it has one, else the time its file was made
    (for an LRS file, when it was imported: milliseconds after the time 0007 would have stored); `bundle_id`
    is the file that brought it."""
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    op.create_table(
        "collected_statements_0007",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("learner_key", sa.String(80), sa.ForeignKey("collected_learners.key"), nullable=False),
        sa.Column("verb", sa.String(200), nullable=False),
        sa.Column("object_id", sa.String(500), nullable=False),
        sa.Column("course_id", sa.String(64), nullable=False),
        sa.Column("course_version", sa.String(32), nullable=False),
        sa.Column("timestamp", sa.String(40), nullable=False),
        sa.Column("stored", sa.String(40), nullable=False),
        sa.Column("bundle_id", sa.String(36), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("facts", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("registration", sa.String(36)),
        sa.Column("success", sa.Boolean()),
        sa.Column("score", sa.Float()),
        sa.Column("response", sa.Text()),
    )
    current = sa.table("collected_statements", *(sa.column(name) for name in NEW_COLUMNS))
    people = sa.table("collected_learners", sa.column("key"), sa.column("number"))
    keys = dict(conn.execute(sa.select(people.c.number, people.c.key).where(people.c.number.is_not(None))).all())
    iris_table = sa.table("collected_iris", sa.column("id"), sa.column("iri"))
    iris = dict(conn.execute(sa.select(iris_table.c.id, iris_table.c.iri)).all())
    payloads = sa.table("collected_payloads", sa.column("id"), sa.column("format"), sa.column("data"),
                        sa.column("bundle_id"))
    bundles = sa.table("collected_bundles", sa.column("id"), sa.column("created_at"))
    old = sa.table("collected_statements_0007", *(sa.column(name) for name in OLD_COLUMNS))
    for file, kind, data, bundle_id, created in conn.execute(
            sa.select(payloads.c.id, payloads.c.format, payloads.c.data, payloads.c.bundle_id, bundles.c.created_at)
            .select_from(payloads.outerjoin(bundles, bundles.c.id == payloads.c.bundle_id))).all():
        lines = _lines(kind, data)
        values = []
        for row in conn.execute(sa.select(current).where(current.c.payload_file == file)):
            payload = lines[row.line - 1]
            stored = _stored(payload) or created or row.timestamp
            values.append(dict(zip(OLD_COLUMNS, (row.id, keys[row.learner], iris[row.verb], iris[row.object],
                                                 row.course_id, row.course_version, row.timestamp, stored, bundle_id,
                                                 payload, True, row.registration, row.success, row.score,
                                                 row.response))))
        for start in range(0, len(values), BATCH):
            conn.execute(old.insert(), values[start:start + BATCH])
    if sqlite:
        for trigger in ("collected_no_update", "collected_no_delete", "collected_payloads_no_update",
                        "collected_payloads_kept"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_index("ix_collected_course", "collected_statements")
    op.drop_table("collected_statements")
    op.drop_table("collected_payloads")
    op.drop_table("collected_iris")
    op.drop_index("ux_collected_learners_number", "collected_learners")
    if sqlite:  # SQLite 3.35+ drops a column in place (no table copy)
        op.execute("ALTER TABLE collected_learners DROP COLUMN number")
    else:
        op.drop_column("collected_learners", "number")
    op.rename_table("collected_statements_0007", "collected_statements")
    op.create_index("ix_collected_course", "collected_statements", OLD_INDEX)
    if sqlite:
        for trigger in _triggers():
            op.execute(trigger)
