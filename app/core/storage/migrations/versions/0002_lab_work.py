"""Lab work: the latest snapshot of each learner's work in each lab, so it resumes exactly.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lab_work",
        sa.Column("learner_id", sa.String(36), sa.ForeignKey("learners.id"), primary_key=True),
        sa.Column("course_id", sa.String(64), primary_key=True),
        sa.Column("item_id", sa.String(64), primary_key=True),
        sa.Column("lab_id", sa.String(128), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lab_work")
