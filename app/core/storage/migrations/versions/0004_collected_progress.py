"""Collected progress: statements imported from other installations' progress bundles (USB sticks),
the learners they belong to, and each installation's export watermark; learners get a staff number.

A trainer's machine keeps what it collects apart from its own learners' record: collected learners
are not profiles that can sign in here. Statements stay immutable and keyed by id, so importing the
same bundle twice, or bundles in any order, is a set union.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("learners", sa.Column("staff_number", sa.String(64), nullable=True))  # in place: no table copy
    op.create_table(
        "collected_learners",
        sa.Column("key", sa.String(80), primary_key=True),  # "<installation id>/<learner id>"
        sa.Column("installation_id", sa.String(36), nullable=False),
        sa.Column("learner_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("staff_number", sa.String(64)),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("last_seen", sa.String(40), nullable=False),
    )
    op.create_index("ix_collected_learners_staff", "collected_learners", ["staff_number"])
    op.create_table(
        "collected_statements",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("learner_key", sa.String(80), sa.ForeignKey("collected_learners.key"), nullable=False),
        sa.Column("verb", sa.String(200), nullable=False),
        sa.Column("object_id", sa.String(500), nullable=False),
        sa.Column("course_id", sa.String(64), nullable=False),
        sa.Column("course_version", sa.String(32), nullable=False),
        sa.Column("timestamp", sa.String(40), nullable=False),
        sa.Column("stored", sa.String(40), nullable=False),
        sa.Column("bundle_id", sa.String(36), nullable=False),  # the first bundle that brought it
        sa.Column("payload", sa.Text(), nullable=False),
    )
    op.create_index("ix_collected_course", "collected_statements", ["course_id", "learner_key", "timestamp"])
    op.create_table(
        "collected_bundles",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("installation_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("imported_at", sa.String(40), nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TRIGGER collected_no_update BEFORE UPDATE ON collected_statements "
                   "BEGIN SELECT RAISE(ABORT, 'collected statements are immutable'); END")
        op.execute("CREATE TRIGGER collected_no_delete BEFORE DELETE ON collected_statements "
                   "BEGIN SELECT RAISE(ABORT, 'collected statements are immutable'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS collected_no_update")
        op.execute("DROP TRIGGER IF EXISTS collected_no_delete")
    op.drop_table("collected_bundles")
    op.drop_index("ix_collected_course", "collected_statements")
    op.drop_table("collected_statements")
    op.drop_index("ix_collected_learners_staff", "collected_learners")
    op.drop_table("collected_learners")
    if op.get_bind().dialect.name == "sqlite":  # SQLite 3.35+ drops a column in place (no copy, no FK trouble)
        op.execute("ALTER TABLE learners DROP COLUMN staff_number")
    else:
        op.drop_column("learners", "staff_number")
