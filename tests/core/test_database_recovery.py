"""A database that cannot be opened is reported with its path and ways out, never replaced silently."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from app.core.paths import backups_dir, database_path
from app.core.record.store import LearningRecord
from app.core.storage import database as db
from app.core.storage.database import (DatabaseUnavailable, list_backups, make_backup, open_database,
                                       restore_backup, start_fresh)


def make_record(data_dir: Path, learners: int = 1) -> None:
    database = open_database(data_dir)
    record = LearningRecord(database)
    for n in range(learners):
        record.add_learner(f"Learner {n}", "en")
    database.dispose()


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[0:100] = b"\x00garbage" * 12 + b"\x00" * 4
    path.write_bytes(bytes(data))


def test_a_damaged_file_is_reported_with_path_reason_and_backups(data_dir):
    make_record(data_dir)
    assert len(list_backups(data_dir)) == 0  # a new database has nothing to back up yet
    make_record(data_dir)  # the second open backs up the existing file
    assert len(list_backups(data_dir)) == 1
    path = database_path(data_dir)
    original = path.read_bytes()
    corrupt(path)
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database(data_dir)
    assert caught.value.path == path
    assert caught.value.reason
    assert caught.value.backups == list_backups(data_dir)
    assert path.read_bytes() != original and path.exists()  # not replaced, not deleted


def test_restore_backup_keeps_the_damaged_file(data_dir):
    make_record(data_dir, learners=2)
    make_record(data_dir, learners=0)
    path = database_path(data_dir)
    corrupt(path)
    damaged = path.read_bytes()
    kept = restore_backup(data_dir, list_backups(data_dir)[0])
    assert kept.read_bytes() == damaged
    database = open_database(data_dir)
    try:
        assert len(LearningRecord(database).learners()) == 2
    finally:
        database.dispose()


def test_start_fresh_keeps_the_damaged_file(data_dir):
    make_record(data_dir)
    path = database_path(data_dir)
    corrupt(path)
    kept = start_fresh(data_dir)
    assert kept.exists() and not path.exists()
    database = open_database(data_dir)
    try:
        assert LearningRecord(database).learners() == []
    finally:
        database.dispose()


def test_a_file_that_is_not_a_database(data_dir):
    database_path(data_dir).write_text("hello, I am a text file\n" * 100)
    with pytest.raises(DatabaseUnavailable, match="not a database|damaged"):
        open_database(data_dir)


def test_a_database_from_a_newer_app_is_refused(data_dir):
    make_record(data_dir)
    conn = sqlite3.connect(database_path(data_dir))
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseUnavailable, match="newer version"):
        open_database(data_dir)


def test_backups_are_daily_consistent_and_pruned(data_dir):
    make_record(data_dir)
    path = database_path(data_dir)
    start = dt.date(2026, 1, 1)
    for day in range(10):
        make_backup(path, backups_dir(data_dir), start + dt.timedelta(days=day))
    assert make_backup(path, backups_dir(data_dir), start + dt.timedelta(days=9)) is None  # once a day
    backups = list_backups(data_dir)
    assert len(backups) == db.KEEP_BACKUPS
    assert backups[0].name == "learning-record-2026-01-10.sqlite3"
    conn = sqlite3.connect(backups[-1])
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_head_revision_matches_the_migration_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == db.HEAD_REVISION


def test_a_file_left_mostly_free_by_a_migration_gives_the_space_back(tmp_path):
    path = tmp_path / "record.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE kept (x)")
    conn.execute("CREATE TABLE moved (x)")
    conn.executemany("INSERT INTO kept VALUES (?)", [(b"k" * 1000,) for _ in range(100)])
    conn.executemany("INSERT INTO moved VALUES (?)", [(b"m" * 4000,) for _ in range(8000)])  # ~32 MB
    conn.commit()
    assert db.give_back_free_space(path) is False  # nothing free: left alone
    conn.execute("DELETE FROM moved")
    conn.commit()
    conn.close()
    before = path.stat().st_size
    assert db.give_back_free_space(path) is True
    assert path.stat().st_size < before / 10
    check = sqlite3.connect(path)
    assert check.execute("SELECT count(*) FROM kept").fetchone()[0] == 100  # the data stays
    check.close()
    assert db.give_back_free_space(path) is False  # once is enough


def test_a_vacuum_that_fails_for_want_of_disk_space_does_not_stop_the_app(tmp_path, monkeypatch, caplog):
    path = tmp_path / "record.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moved (x)")
    conn.executemany("INSERT INTO moved VALUES (?)", [(b"m" * 4000,) for _ in range(8000)])
    conn.commit()
    conn.execute("DELETE FROM moved")
    conn.commit()
    conn.close()
    real = sqlite3.connect

    class FullDisk:
        def __init__(self, *args, **kwargs):
            self.conn = real(*args, **kwargs)

        def execute(self, sql, *args):
            if sql == "VACUUM":
                raise sqlite3.OperationalError("database or disk is full")
            return self.conn.execute(sql, *args)

        def close(self):
            self.conn.close()

    monkeypatch.setattr(db.sqlite3, "connect", FullDisk)
    assert db.give_back_free_space(path) is False
    assert "could not give back the free space" in caplog.text
