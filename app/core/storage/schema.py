"""Tables of the learning record (SQLAlchemy Core: the store only inserts and selects rows, and the
ORM would cost ~8 MB of memory at start-up for nothing). Changing a table means a new Alembic
revision in migrations/versions.
"""

from __future__ import annotations

from sqlalchemy import (Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, MetaData, String, Table,
                        Text)

metadata = MetaData()

# Installation-wide facts, e.g. the installation id used in actors' accounts.
meta = Table("meta", metadata,
             Column("key", String(64), primary_key=True),
             Column("value", Text, nullable=False))

learners = Table("learners", metadata,
                 Column("id", String(36), primary_key=True),
                 Column("name", String(200), nullable=False),
                 Column("locale", String(16), nullable=False),
                 Column("created_at", String(40), nullable=False))

# One immutable xAPI statement per row: the full statement is `payload`, the rest is for queries.
# Rows are only ever inserted (a trigger refuses UPDATE and DELETE on SQLite), which is what makes
# merging records from other machines a plain set union keyed by id.
statements = Table("statements", metadata,
                   Column("id", String(36), primary_key=True),
                   Column("learner_id", String(36), ForeignKey("learners.id"), nullable=False),
                   Column("verb", String(200), nullable=False),
                   Column("object_id", String(500), nullable=False),
                   Column("course_id", String(64), nullable=False),
                   Column("course_version", String(32), nullable=False),
                   Column("timestamp", String(40), nullable=False),
                   Column("stored", String(40), nullable=False),
                   Column("payload", Text, nullable=False),
                   Index("ix_statements_learner_course", "learner_id", "course_id", "timestamp"))

# The latest snapshot of a learner's work in a lab (JSON), replaced on every autosave. Unlike
# statements this is working state, not record: it is mutable and never synced between machines.
lab_work = Table("lab_work", metadata,
                 Column("learner_id", String(36), ForeignKey("learners.id"), primary_key=True),
                 Column("course_id", String(64), primary_key=True),
                 Column("item_id", String(64), primary_key=True),
                 Column("lab_id", String(128), nullable=False),
                 Column("revision", Integer, nullable=False),
                 Column("updated_at", String(40), nullable=False),
                 Column("snapshot", Text, nullable=False))

# Local accounts (app/core/accounts). Each account owns one learner profile (its learning record);
# learner profiles made before accounts existed have none until an administrator links one.
# `name_key` is the sign-in name folded (NFKC + casefold) so "Kim" and "KIM" are one account.
# The password is only ever stored as a self-describing scrypt hash.
accounts = Table("accounts", metadata,
                 Column("id", String(36), primary_key=True),
                 Column("name", String(100), nullable=False),
                 Column("name_key", String(400), nullable=False, unique=True),
                 Column("role", String(16), nullable=False),
                 Column("password_hash", String(255), nullable=False),
                 Column("must_change_password", Boolean, nullable=False, default=False),
                 Column("failed_attempts", Integer, nullable=False, default=0),
                 Column("locked_until", String(40)),
                 Column("learner_id", String(36), ForeignKey("learners.id"), nullable=False, unique=True),
                 Column("created_at", String(40), nullable=False),
                 Column("password_changed_at", String(40), nullable=False),
                 CheckConstraint("role IN ('learner', 'trainer', 'admin')", name="ck_accounts_role"))
