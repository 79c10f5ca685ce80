"""Certificates: the institutions whose public keys this machine trusts, and the credentials it issued.

The issuing institution's own key pair is not a table: its private key lives encrypted in a file of
the data folder (app/core/certificates/issuer.py), so a copied database holds no secret.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trusted_issuers",
        sa.Column("id", sa.String(200), primary_key=True),  # did:key:z6Mk... (the key is the identity)
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("public_key", sa.String(100), nullable=False),  # multibase (base58btc) Ed25519 multikey
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Column("own", sa.Boolean(), nullable=False, server_default=sa.false()),  # this machine's institution
    )
    op.create_table(
        "issued_credentials",
        sa.Column("id", sa.String(64), primary_key=True),  # urn:uuid:..., stable for one learner and course
        sa.Column("issuer_id", sa.String(200), nullable=False),
        sa.Column("learner_key", sa.String(80), nullable=False),
        sa.Column("learner_name", sa.String(200), nullable=False),
        sa.Column("course_id", sa.String(64), nullable=False),
        sa.Column("course_version", sa.String(32), nullable=False),
        sa.Column("completed_at", sa.String(40), nullable=False),
        sa.Column("issued_at", sa.String(40), nullable=False),
        sa.Column("code", sa.String(12), nullable=False),  # the verification code printed on the PDF
        sa.Column("file_name", sa.String(255), nullable=False),
    )
    op.create_index("ix_issued_credentials_course", "issued_credentials", ["course_id", "learner_key"])


def downgrade() -> None:
    op.drop_index("ix_issued_credentials_course", "issued_credentials")
    op.drop_table("issued_credentials")
    op.drop_table("trusted_issuers")
