"""Cohorts, groups, members (from staff lists) and course assignments with due dates; and, on a
learner's machine, the assignments received from a trainer's file.

A trainer's cohort is configuration, not record: it is edited in place (renamed, archived, members
added or removed). Members are matched to learners by staff number (`staff_key`: the number folded,
unique within a cohort), so what a learner did stays in the learning record and nowhere else.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(800), nullable=False, unique=True),  # folded: "Seoul 2026" = "SEOUL 2026"
        sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "cohort_groups",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("cohort_id", sa.String(36), sa.ForeignKey("cohorts.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(400), nullable=False),
        sa.UniqueConstraint("cohort_id", "name_key", name="uq_cohort_groups_name"),
    )
    op.create_table(
        "cohort_members",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("cohort_id", sa.String(36), sa.ForeignKey("cohorts.id"), nullable=False),
        sa.Column("group_id", sa.String(36), sa.ForeignKey("cohort_groups.id")),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("staff_number", sa.String(64)),
        sa.Column("staff_key", sa.String(256)),
        sa.Column("department", sa.String(200), nullable=False, server_default=""),
        sa.Column("language", sa.String(16)),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("cohort_id", "staff_key", name="uq_cohort_members_staff"),
    )
    op.create_table(
        "cohort_assignments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("cohort_id", sa.String(36), sa.ForeignKey("cohorts.id"), nullable=False),
        sa.Column("group_id", sa.String(36), sa.ForeignKey("cohort_groups.id")),  # NULL: the whole cohort
        sa.Column("course_id", sa.String(64), nullable=False),
        sa.Column("due_date", sa.String(10)),  # ISO date; NULL: no due date
        sa.Column("assigned_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "received_cohorts",
        sa.Column("cohort_id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("exported_at", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "received_assignments",
        sa.Column("cohort_id", sa.String(36), sa.ForeignKey("received_cohorts.cohort_id"), primary_key=True),
        sa.Column("staff_key", sa.String(256), primary_key=True),
        sa.Column("course_id", sa.String(64), primary_key=True),
        sa.Column("due_date", sa.String(10)),
    )
    op.create_index("ix_received_assignments_staff", "received_assignments", ["staff_key"])


def downgrade() -> None:
    op.drop_index("ix_received_assignments_staff", "received_assignments")
    op.drop_table("received_assignments")
    op.drop_table("received_cohorts")
    op.drop_table("cohort_assignments")
    op.drop_table("cohort_members")
    op.drop_table("cohort_groups")
    op.drop_table("cohorts")
