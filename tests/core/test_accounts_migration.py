"""Schema 0003 (accounts): a learning record written at 0002 upgrades with every statement and lab
snapshot intact, and its learners keep working, now with accounts linked to their profiles."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError

from app.core.accounts.passwords import ScryptCost
from app.core.accounts.roles import LEARNER, installation_principal
from app.core.accounts.store import Accounts
from app.core.paths import database_path
from app.core.record.labwork import LabWorkStore
from app.core.record.statements import Verb, actor, course_iri, item_iri, make_statement
from app.core.record.store import LearningRecord
from app.core.storage import database as db
from app.core.storage.database import HEAD_REVISION, Database, list_backups, open_database
from app.core.storage.schema import metadata

QUICK = ScryptCost(log2_n=4, r=8, p=1)


def _engine(path):
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", db._set_pragmas)
    return engine


def build_at(path, revision: str):
    """A record as a release at `revision` left it: its tables only, written by its code paths."""
    engine = _engine(path)
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return Database(engine, path)


def test_head_is_at_or_after_the_accounts_revision():
    assert int(HEAD_REVISION) >= 3


def test_a_0002_record_upgrades_with_its_statements_and_lab_work_intact(data_dir):
    path = database_path(data_dir)
    old = build_at(path, "0002")
    record = LearningRecord(old)
    learners = [record.add_learner("Kim Min-ji", "ko"), record.add_learner("Layla", "ar")]
    for n, learner in enumerate(learners):
        for verb in (Verb.LAUNCHED, Verb.EXPERIENCED, Verb.COMPLETED):
            record.append(make_statement(actor_=actor(learner.id, learner.name, "install-1"), verb=verb,
                                         object_id=item_iri("c", f"lesson-{n}"), object_name="Lesson",
                                         course_id="c", course_version="1.0.0", item_id=f"lesson-{n}",
                                         language=learner.locale), learner.id)
    LabWorkStore(old).save(learners[0].id, "c", "lab", "data_analysis/open-data", {"steps": [1, 2]})
    with old.engine.connect() as conn:
        before = conn.execute(text("SELECT * FROM statements ORDER BY id")).all()
        assert "accounts" not in {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    old.dispose()

    database = open_database(data_dir)  # what the new release does at start-up
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == HEAD_REVISION
            assert conn.execute(text("SELECT * FROM statements ORDER BY id")).all() == before
            with pytest.raises(DBAPIError, match="immutable"):  # the append-only triggers survived
                conn.execute(text("DELETE FROM statements"))
        record = LearningRecord(database)
        assert [(lr.name, lr.locale) for lr in record.learners()] == [("Kim Min-ji", "ko"), ("Layla", "ar")]
        assert [s.verb for s in record.statements(learners[0].id, "c")] == [Verb.LAUNCHED, Verb.EXPERIENCED,
                                                                             Verb.COMPLETED]
        assert record.statements(learners[1].id)[0].data["context"]["contextActivities"]["grouping"][0]["id"] \
            == course_iri("c")
        assert LabWorkStore(database).load(learners[0].id, "c", "lab").snapshot == {"steps": [1, 2]}
        # The old profiles have no accounts yet: an administrator links one, and the record follows.
        store = Accounts(database, cost=QUICK)
        assert store.count() == 0
        it = installation_principal()
        assert [name for _, name in store.unlinked_learners(it)] == ["Kim Min-ji", "Layla"]
        store.create_account(it, "minji", LEARNER, "minji-password", learner_id=learners[0].id)
        signed = store.sign_in("minji", "minji-password")
        assert signed.learner_id == learners[0].id and signed.name == "Kim Min-ji"
        assert len(record.statements(signed.learner_id)) == 3
    finally:
        database.dispose()
    # The file as it was at 0002 was backed up before the migration touched it.
    [backup] = list_backups(data_dir)
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0002"
        assert conn.execute("SELECT count(*) FROM statements").fetchone()[0] == 6


def test_the_migrated_tables_match_the_schema_the_code_uses(data_dir):
    database = open_database(data_dir)
    try:
        with database.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        database.dispose()
    assert differences == []


def test_0003_downgrades_to_0002_without_touching_the_record(data_dir):
    path = database_path(data_dir)
    database = build_at(path, "head")
    record = LearningRecord(database)
    learner = record.add_learner("Kim", "en")
    Accounts(database, cost=QUICK).create_account(installation_principal(), "Admin", "admin", "admin-password")
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    with database.engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert "accounts" not in tables and {"learners", "statements", "lab_work"} <= tables
    assert learner in record.learners()
    database.dispose()
