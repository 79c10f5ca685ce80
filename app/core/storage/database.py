"""Open the learning-record database safely, migrate it, back it up, and recover from damage.

SQLite runs in WAL mode with synchronous=FULL: a committed statement survives the process being
killed (and a power cut), and a crash mid-write leaves a file SQLite repairs on the next open.
A file that fails its integrity check is never replaced silently: `DatabaseUnavailable` names it,
and the UI offers to restore a backup or start fresh, keeping the damaged file beside it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from app.core.i18n import _
from app.core.paths import backups_dir, database_path

log = logging.getLogger(__name__)
HEAD_REVISION = "0008"  # the newest file in migrations/versions; a test keeps the two in step
KEEP_BACKUPS = 7
MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseUnavailable(Exception):
    """The database exists but cannot be used. Carries what a person needs to decide."""

    def __init__(self, path: Path, reason: str, backups: list[Path]):
        self.path, self.reason, self.backups = path, reason, backups
        super().__init__(f"{path}: {reason}")


@dataclass
class Database:
    engine: Engine
    path: Path | None  # None for a server database
    backups: list[Path] = field(default_factory=list)

    def dispose(self) -> None:
        self.engine.dispose()


def _set_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def list_backups(root: Path) -> list[Path]:
    folder = backups_dir(root)
    return sorted(folder.glob("learning-record-*.sqlite3"), reverse=True) if folder.is_dir() else []


def _health(path: Path) -> tuple[str | None, str | None]:
    """(problem, revision): problem is None when SQLite can read the file and it checks out."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=5)
    except sqlite3.Error as err:
        return _("the file cannot be opened ({error})").format(error=err), None
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()
        if not result or result[0] != "ok":
            return _("the file failed its integrity check ({error})").format(
                error=result[0] if result else "no answer"), None
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "alembic_version" not in tables:
            return _("the file is not a learning record of this app"), None
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return None, revision
    except sqlite3.DatabaseError as err:
        return _("the file is damaged or is not a database ({error})").format(error=err), None
    finally:
        conn.close()


def open_database(root: Path) -> Database:
    """Open (creating or migrating as needed) the learning record in the data folder `root`."""
    root.mkdir(parents=True, exist_ok=True)
    path = database_path(root)
    revision = None
    if path.exists():
        problem, revision = _health(path)
        if problem:
            raise DatabaseUnavailable(path, problem, list_backups(root))
        known = {p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("*.py")}
        if revision and revision not in known:
            raise DatabaseUnavailable(path, _("the file was written by a newer version of the app (schema {revision})").format(revision=revision),
                                      list_backups(root))
        make_backup(path, backups_dir(root))  # before any migration touches it
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _set_pragmas)
    if revision != HEAD_REVISION:
        migrate(engine)
        give_back_free_space(path)
    return Database(engine, path, list_backups(root))


COMPACT_MIN_FREE_PAGES = 2560  # 10 MiB of 4 KiB pages


def give_back_free_space(path: Path) -> bool:
    """VACUUM when most of the file is free pages, as after migration 0008 moved collected payloads out of
    their rows (a trainer's 430 MB of collected progress became 75 MB): SQLite keeps freed pages for later
    rows, so the disk space would stay taken. A few seconds, once, at start-up off the GUI thread."""
    conn = sqlite3.connect(path, isolation_level=None)  # VACUUM cannot run inside a transaction
    try:
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        if free < COMPACT_MIN_FREE_PAGES or free * 2 < pages:
            return False
        conn.execute("VACUUM")  # needs about the database's size free on the disk: it may fail
        return True
    except sqlite3.Error as error:  # the database is fine, only larger (later imports reuse the space): start
        log.warning("could not give back the free space of %s (%s)", path, error)
        return False
    finally:
        conn.close()


def open_server_database(url: str) -> Database:
    """A training centre's shared server (e.g. postgresql+psycopg://...): same schema, same code."""
    engine = create_engine(url, pool_pre_ping=True)
    migrate(engine)
    return Database(engine, None)


def migrate(engine: Engine) -> None:
    from alembic import command  # ~0.3 s to import: only when the schema is behind
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver = connection.connection.driver_connection
        if sqlite:
            # Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE, so a migration's first
            # ALTER or CREATE would be committed alone and a failure after it would leave half a migration
            # (and a database that can never be migrated again). One explicit transaction holds all of it:
            # SQLite's DDL is transactional.
            driver.isolation_level = None
            connection.exec_driver_sql("BEGIN")
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            if sqlite:
                driver.isolation_level = ""  # as SQLAlchemy's pysqlite dialect expects it


def make_backup(path: Path, folder: Path, today: dt.date | None = None) -> Path | None:
    """One consistent copy a day (SQLite's online backup), keeping the newest KEEP_BACKUPS."""
    today = today or dt.date.today()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"learning-record-{today.isoformat()}.sqlite3"
    if target.exists():
        return None
    partial = target.with_suffix(".partial")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    os.replace(partial, target)  # a backup is either whole or absent
    for old in sorted(folder.glob("learning-record-*.sqlite3"), reverse=True)[KEEP_BACKUPS:]:
        old.unlink(missing_ok=True)
    return target


def set_aside(path: Path) -> Path:
    """Move a damaged database (and its WAL files) out of the way, keeping it for inspection."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(path) + suffix)
        if part.exists():
            os.replace(part, Path(str(kept) + suffix))
    return kept


def restore_backup(root: Path, backup: Path) -> Path:
    """Put `backup` in place of the damaged database; returns where the damaged file was kept."""
    path = database_path(root)
    problem, _revision = _health(backup)
    if problem:
        raise DatabaseUnavailable(backup, problem, [])
    kept = set_aside(path)
    partial = path.with_suffix(".restoring")
    shutil.copyfile(backup, partial)
    os.replace(partial, path)
    return kept


def start_fresh(root: Path) -> Path:
    """Keep the damaged database aside; the next open creates an empty one."""
    return set_aside(database_path(root))
