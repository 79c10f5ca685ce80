"""The embedded database: schema (SQLAlchemy 2), migrations (Alembic), backups and recovery."""
