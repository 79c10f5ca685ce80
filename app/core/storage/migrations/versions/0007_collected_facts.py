"""Collected statements carry, as columns, the few values reports read from their payloads (the
registration, the result's success, scaled score and response), filled at import; and the course index
holds every column a report reads, so a report on a quarter of a million statements reads the index
alone, never the payloads.

`facts` says the four columns were filled: rows written by something that does not know them (an older
tool, a test helper inserting the 0004 columns) keep 0, and reports read those rows' payloads as before.
Existing rows are filled here from their payloads. Statements stay immutable: the trigger that refuses
UPDATE is lifted for the fill only, inside this migration's transaction.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

FACT_COLUMNS = ("registration", "success", "score", "response")
INDEX_COLUMNS = ["course_id", "learner_key", "timestamp", "id", "verb", "object_id", "facts", *FACT_COLUMNS]
NO_UPDATE = ("CREATE TRIGGER collected_no_update BEFORE UPDATE ON collected_statements "
             "BEGIN SELECT RAISE(ABORT, 'collected statements are immutable'); END")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("collected_statements", sa.Column("facts", sa.Boolean(), nullable=False,
                                                    server_default=sa.false()))
    op.add_column("collected_statements", sa.Column("registration", sa.String(36)))
    op.add_column("collected_statements", sa.Column("success", sa.Boolean()))
    op.add_column("collected_statements", sa.Column("score", sa.Float()))
    op.add_column("collected_statements", sa.Column("response", sa.Text()))
    op.drop_index("ix_collected_course", "collected_statements")
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS collected_no_update")
        # What app/core/collect/rows.py statement_facts takes from a parsed payload, taken here by SQLite.
        op.execute("UPDATE collected_statements SET facts = 1, "
                   "registration = json_extract(payload, '$.context.registration'), "
                   "success = json_extract(payload, '$.result.success'), "
                   "score = json_extract(payload, '$.result.score.scaled'), "
                   "response = json_extract(payload, '$.result.response') "
                   "WHERE json_valid(payload)")
        op.execute(NO_UPDATE)
    else:
        _fill_in_python(op.get_bind())
    op.create_index("ix_collected_course", "collected_statements", INDEX_COLUMNS)


def _fill_in_python(conn) -> None:
    """Any other database (a training centre's PostgreSQL): the payloads parsed here, in batches."""
    table = sa.table("collected_statements", sa.column("id"), sa.column("payload"), sa.column("facts"),
                     *(sa.column(name) for name in FACT_COLUMNS))
    update = table.update().where(table.c.id == sa.bindparam("row_id")).values(
        facts=True, **{name: sa.bindparam(name) for name in FACT_COLUMNS})
    rows = conn.execute(sa.select(table.c.id, table.c.payload)).all()
    for start in range(0, len(rows), 5000):
        values = []
        for row_id, payload in rows[start:start + 5000]:
            try:
                data = json.loads(payload)
            except ValueError:
                continue
            result = data.get("result") or {}
            values.append({"row_id": row_id, "registration": (data.get("context") or {}).get("registration"),
                           "success": result.get("success"), "score": (result.get("score") or {}).get("scaled"),
                           "response": result.get("response")})
        if values:
            conn.execute(update, values)


def downgrade() -> None:
    op.drop_index("ix_collected_course", "collected_statements")
    for name in ("response", "score", "success", "registration", "facts"):
        if op.get_bind().dialect.name == "sqlite":  # SQLite 3.35+ drops a column in place (no table copy)
            op.execute(f"ALTER TABLE collected_statements DROP COLUMN {name}")
        else:
            op.drop_column("collected_statements", name)
    op.create_index("ix_collected_course", "collected_statements", ["course_id", "learner_key", "timestamp"])
