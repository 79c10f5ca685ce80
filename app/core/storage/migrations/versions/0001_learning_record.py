"""The learning record: meta, learners and append-only statements.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("meta", sa.Column("key", sa.String(64), primary_key=True), sa.Column("value", sa.Text(), nullable=False))
    op.create_table(
        "learners",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "statements",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("learner_id", sa.String(36), sa.ForeignKey("learners.id"), nullable=False),
        sa.Column("verb", sa.String(200), nullable=False),
        sa.Column("object_id", sa.String(500), nullable=False),
        sa.Column("course_id", sa.String(64), nullable=False),
        sa.Column("course_version", sa.String(32), nullable=False),
        sa.Column("timestamp", sa.String(40), nullable=False),
        sa.Column("stored", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
    )
    op.create_index("ix_statements_learner_course", "statements", ["learner_id", "course_id", "timestamp"])
    if op.get_bind().dialect.name == "sqlite":
        # Statements are immutable: the record is append-only, so sync can be a set union.
        op.execute("CREATE TRIGGER statements_no_update BEFORE UPDATE ON statements "
                   "BEGIN SELECT RAISE(ABORT, 'statements are immutable'); END")
        op.execute("CREATE TRIGGER statements_no_delete BEFORE DELETE ON statements "
                   "BEGIN SELECT RAISE(ABORT, 'statements are immutable'); END")


def downgrade() -> None:
    op.drop_table("statements")
    op.drop_table("learners")
    op.drop_table("meta")
