"""Tables of the learning record (SQLAlchemy Core: the store only inserts and selects rows, and the
ORM would cost ~8 MB of memory at start-up for nothing). Changing a table means a new Alembic
revision in migrations/versions.
"""

from __future__ import annotations

from sqlalchemy import (
                        Boolean,
                        CheckConstraint,
                        Column,
                        Float,
                        ForeignKey,
                        Index,
                        Integer,
                        LargeBinary,
                        MetaData,
                        String,
                        Table,
                        Text,
                        UniqueConstraint,
)

metadata = MetaData()

# Installation-wide facts, e.g. the installation id used in actors' accounts.
meta = Table("meta", metadata,
             Column("key", String(64), primary_key=True),
             Column("value", Text, nullable=False))

learners = Table("learners", metadata,
                 Column("id", String(36), primary_key=True),
                 Column("name", String(200), nullable=False),
                 Column("locale", String(16), nullable=False),
                 Column("created_at", String(40), nullable=False),
                 Column("staff_number", String(64)))  # from 0004: how a cohort's staff list finds them

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

# Progress collected from other installations (0004): their learners, their immutable statements
# (a set union by id, as for our own), and each bundle imported, with its checksum. 0007 added the
# statements' report columns and widened their course index; 0008 moved the payloads out of the rows and
# made the rows' learner, verb and activity small numbers, so a row is about a quarter of its size.
collected_learners = Table("collected_learners", metadata,
                           Column("key", String(80), primary_key=True),  # "<installation id>/<learner id>"
                           Column("installation_id", String(36), nullable=False),
                           Column("learner_id", String(36), nullable=False),
                           Column("name", String(200), nullable=False),
                           Column("staff_number", String(64)),
                           Column("locale", String(16), nullable=False),
                           Column("last_seen", String(40), nullable=False),
                           # 0008: what collected_statements.learner holds; given when their first statement
                           # is written (collect/rows.py CollectedIds), so None until then.
                           Column("number", Integer),
                           Index("ix_collected_learners_staff", "staff_number"),
                           Index("ux_collected_learners_number", "number", unique=True))

# Verb and activity IRIs of collected statements, each once (0008): a statement row holds their numbers.
collected_iris = Table("collected_iris", metadata,
                       Column("id", Integer, primary_key=True),
                       Column("iri", Text, nullable=False, unique=True))

# The statements files brought, as the files held them: a bundle's .zip as it came off the stick, or an xAPI
# file's statements as zlib-compressed JSON lines (0008). One row per distinct set of lines (`lines_sha256`),
# so importing a file twice stores it once; immutable, like the statements that point into it.
collected_payloads = Table("collected_payloads", metadata,
                           Column("id", Integer, primary_key=True),
                           Column("lines_sha256", String(64), nullable=False, unique=True),
                           Column("format", String(16), nullable=False),  # "bundle" or "jsonl-zlib"
                           Column("data", LargeBinary, nullable=False),
                           Column("bundle_id", String(36), nullable=False))  # the file that brought it

# A collected statement is the columns queries read; its payload is line `line` of `payload_file` (0008).
# The report columns (registration, success, scaled score, response) are taken out of the payload at import.
collected_statements = Table("collected_statements", metadata,
                             Column("id", String(36), primary_key=True),
                             Column("learner", Integer, ForeignKey("collected_learners.number"), nullable=False),
                             Column("verb", Integer, ForeignKey("collected_iris.id"), nullable=False),
                             Column("object", Integer, ForeignKey("collected_iris.id"), nullable=False),
                             Column("course_id", String(64), nullable=False),
                             Column("course_version", String(32), nullable=False),
                             Column("timestamp", String(40), nullable=False),
                             Column("payload_file", Integer, ForeignKey("collected_payloads.id"), nullable=False),
                             Column("line", Integer, nullable=False),  # 1-based
                             Column("registration", String(36)),
                             Column("success", Boolean),
                             Column("score", Float),  # result.score.scaled
                             Column("response", Text),
                             # Every column a report reads, so it reads the index and not the table.
                             Index("ix_collected_course", "course_id", "learner", "timestamp", "id", "verb",
                                   "object", "registration", "success", "score", "response"))

collected_bundles = Table("collected_bundles", metadata,
                          Column("id", String(36), primary_key=True),
                          Column("installation_id", String(36), nullable=False),
                          Column("created_at", String(40), nullable=False),
                          Column("imported_at", String(40), nullable=False),
                          Column("statements", Integer, nullable=False),
                          Column("added", Integer, nullable=False),
                          Column("sha256", String(64), nullable=False))

# --- Certificates (0006; app/core/certificates) ---
# Institutions whose credentials this machine accepts as valid, keyed by their did:key (which holds the
# public key itself, so a credential names the key that signed it). `own` marks this machine's institution.
trusted_issuers = Table("trusted_issuers", metadata,
                        Column("id", String(200), primary_key=True),
                        Column("name", String(200), nullable=False),
                        Column("public_key", String(100), nullable=False),
                        Column("added_at", String(40), nullable=False),
                        Column("own", Boolean, nullable=False, default=False))

# What this machine signed: one row per credential id (one learner, one course version); re-issuing
# the same completion replaces the row. `code` is the verification code printed on the certificate.
issued_credentials = Table("issued_credentials", metadata,
                           Column("id", String(64), primary_key=True),
                           Column("issuer_id", String(200), nullable=False),
                           Column("learner_key", String(80), nullable=False),
                           Column("learner_name", String(200), nullable=False),
                           Column("course_id", String(64), nullable=False),
                           Column("course_version", String(32), nullable=False),
                           Column("completed_at", String(40), nullable=False),
                           Column("issued_at", String(40), nullable=False),
                           Column("code", String(12), nullable=False),
                           Column("file_name", String(255), nullable=False),
                           Index("ix_issued_credentials_course", "course_id", "learner_key"))

# ---- Cohorts and assignments (0005; app/core/cohorts). A trainer's cohorts are configuration, edited in
# place; members are matched to learners by `staff_key` (the staff number folded). On a learner's machine,
# received_* hold the assignments imported from a trainer's file, by staff key.
cohorts = Table("cohorts", metadata,
                Column("id", String(36), primary_key=True),
                Column("name", String(200), nullable=False),
                Column("name_key", String(800), nullable=False, unique=True),
                Column("archived", Boolean, nullable=False, default=False),
                Column("created_at", String(40), nullable=False))

cohort_groups = Table("cohort_groups", metadata,
                      Column("id", String(36), primary_key=True),
                      Column("cohort_id", String(36), ForeignKey("cohorts.id"), nullable=False),
                      Column("name", String(100), nullable=False),
                      Column("name_key", String(400), nullable=False),
                      UniqueConstraint("cohort_id", "name_key", name="uq_cohort_groups_name"))

cohort_members = Table("cohort_members", metadata,
                       Column("id", String(36), primary_key=True),
                       Column("cohort_id", String(36), ForeignKey("cohorts.id"), nullable=False),
                       Column("group_id", String(36), ForeignKey("cohort_groups.id")),
                       Column("name", String(200), nullable=False),
                       Column("staff_number", String(64)),
                       Column("staff_key", String(256)),
                       Column("department", String(200), nullable=False, default=""),
                       Column("language", String(16)),
                       Column("added_at", String(40), nullable=False),
                       UniqueConstraint("cohort_id", "staff_key", name="uq_cohort_members_staff"))

cohort_assignments = Table("cohort_assignments", metadata,
                           Column("id", String(36), primary_key=True),
                           Column("cohort_id", String(36), ForeignKey("cohorts.id"), nullable=False),
                           Column("group_id", String(36), ForeignKey("cohort_groups.id")),  # NULL: whole cohort
                           Column("course_id", String(64), nullable=False),
                           Column("due_date", String(10)),  # ISO date; NULL: no due date
                           Column("assigned_at", String(40), nullable=False))

received_cohorts = Table("received_cohorts", metadata,
                         Column("cohort_id", String(36), primary_key=True),
                         Column("name", String(200), nullable=False),
                         Column("exported_at", String(40), nullable=False),
                         Column("sha256", String(64), nullable=False),
                         Column("imported_at", String(40), nullable=False))

received_assignments = Table("received_assignments", metadata,
                             Column("cohort_id", String(36), ForeignKey("received_cohorts.cohort_id"),
                                    primary_key=True),
                             Column("staff_key", String(256), primary_key=True),
                             Column("course_id", String(64), primary_key=True),
                             Column("due_date", String(10)),
                             Index("ix_received_assignments_staff", "staff_key"))
