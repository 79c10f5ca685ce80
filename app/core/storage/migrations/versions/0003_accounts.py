"""Accounts: local sign-in names, roles and password hashes, each linked to a learner profile.

Existing learners and their statements are untouched: a profile made before accounts existed simply
has no account until an administrator links one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(400), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.String(40)),
        sa.Column("learner_id", sa.String(36), sa.ForeignKey("learners.id"), nullable=False, unique=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("password_changed_at", sa.String(40), nullable=False),
        sa.CheckConstraint("role IN ('learner', 'trainer', 'admin')", name="ck_accounts_role"),
    )


def downgrade() -> None:
    op.drop_table("accounts")
