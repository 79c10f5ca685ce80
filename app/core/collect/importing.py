"""Import progress (trainer machine): bundles from learners' machines, or xAPI statements from an LRS,
into collected_learners / collected_statements / collected_bundles, as a set union keyed by
statement id. Importing the same file twice, or files in any order, gives the same tables (except
collected_bundles.imported_at; and, when two bundles hold the same statement, as "export everything"
makes, the statement's `bundle_id` and `stored` name whichever bundle brought it first).

    results = import_bundles(database, [Path("kim.progress.zip"), Path("lrs.json")], principal)
    for r in results: r.refused or (r.added, r.already_present, r.rejected)

Each file is checked completely before anything is written, then written in one transaction: a
truncated, altered (checksum), wrong-format or unreadable bundle is refused whole and changes
nothing. Inside a bundle whose checksum holds, a statement that is not a valid statement of ours
(e.g. written by an older version) is rejected alone, with its line in statements.jsonl, and the
rest imports. Bundle lines are parsed once each (orjson; json for a line it refuses): the checksum proves they are
what the exporter wrote from its own rows, which cannot hold a duplicate key, so each is checked for
what the collected tables and reports rely on (prepare_bundle), and only a line failing that goes
through the full xAPI check, to name its fault. xAPI files, which come from elsewhere, are parsed
strictly and checked in full (see xapi.py). Each row also carries the values reports read of its
payload (rows.statement_facts; migration 0007), and points at its line in the file it came from, which is
stored once, compressed, as it came (payloads.py; migration 0008).

This installation's own bundle may be imported too: its statements are then collected like any
other office's (keyed by id, so once), and reports over collected progress see one union.
Cancelling stops between files: the files already written stay imported, the current one is untouched.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import orjson
from sqlalchemy import Connection, RootTransaction

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.collect.bundle_file import ZIP_MAGIC, Bundle, BundleRefused, read_bundle
from app.core.collect.payloads import BUNDLE
from app.core.collect.rows import (COURSE_PREFIX, HOME_PAGE, CollectedIds, LearnerRow, PayloadFile,
                                   Prepared, Rejection, insert_learners, insert_new, learner_key, merge_learners,
                                   write_statements)
from app.core.collect.xapi import XAPI_INSTALLATION, prepare_xapi, read_xapi_statements
from app.core.collect.xapi_check import IRI, STATEMENT_KEYS, TIMESTAMP, UUID, statement_problem
from app.core.formatting import isolated
from app.core.formatting import number as format_number
from app.core.i18n import _, current_locale, set_locale
from app.core.problems import InvalidInput
from app.core.record.statements import Ext, iso, now
from app.core.storage.database import Database
from app.core.storage.schema import collected_bundles
from app.core.tasks import TaskState

log = logging.getLogger(__name__)
BUNDLE_COLUMNS = ("id", "installation_id", "created_at", "imported_at", "statements", "added", "sha256")


@dataclass(frozen=True)
class FileImport:
    path: Path
    kind: str  # "bundle" or "xapi"
    refused: str | None = None  # why the whole file was refused; None when it was read
    added: int = 0
    already_present: int = 0
    rejected: tuple[Rejection, ...] = ()
    bundle_id: str | None = None
    installation_id: str | None = None
    installation_name: str | None = None
    learners: int = 0

    @property
    def read(self) -> bool:
        return self.refused is None


def import_bundles(database: Database, paths: Sequence[Path], principal: Principal | None,
                   state: TaskState | None = None, on_file: Callable[[FileImport], None] | None = None,
                   parallel: bool | None = None) -> list[FileImport]:
    """Import each file (a bundle .zip, or xAPI statements as .json); one result per file, in order.

    Each file is checked, then written, in turn, on one connection, so the results are a plain loop's.
    Checking a file (unzipping, checksums, parsing and checking every statement) costs about as much as
    writing it, and Python runs one thread at a time: with two or more processors and several files, the
    files after the first are checked in a second process (`_Checker`) while this one writes. Written files
    are committed a few at a time by a helper thread (`_Writer`). `parallel` forces the second process on or
    off (None: decide). `on_file` is told of each file once it is committed (or refused). Cancelling stops
    between files: the files written before are committed, whole, and Cancelled is raised."""
    require(principal, TRAINER)
    state = state or TaskState()
    paths = [Path(p) for p in paths]
    results: list[FileImport] = []

    def done(result: FileImport) -> None:
        results.append(result)
        if on_file is not None:
            on_file(result)

    with _import_connection(database) as conn, _Checker(paths, state, parallel) as checker:
        writer = _Writer(conn, done)
        try:
            for n, path in enumerate(paths):
                state.raise_if_cancelled()
                state.set_progress(n, len(paths), _("Importing file {n} of {total}: {file}").format(
                    n=format_number(n + 1), total=format_number(len(paths)), file=isolated(path.name)))
                checked = checker.checked(n)
                state.raise_if_cancelled()  # a cancel that came while the file was checked: it is not written
                writer.settle()
                state.raise_if_cancelled()  # ... or while the files before were committed and told
                writer.write(checked)
            writer.commit()
        finally:
            writer.close()  # leaving on an error or a cancel: the files written are committed, whole
    state.set_progress(1, 1)
    return results


GROUP_ROWS = 20_000  # statements written per commit (about ten bundles of a week's work)
GROUP_SECONDS = 1.0  # ... or files written for so long: the screen lists finished files as they are committed


class _Writer:
    """Writes checked files on one connection, several to a transaction, each transaction committed by a
    helper thread while the next files are checked.

    A commit writes every page the import changed to the WAL, and the statement-id index is random: a
    bundle's 2,000 statements change about as many of its pages. Committing every GROUP_ROWS statements
    instead of every file writes several times less; a transaction open for GROUP_SECONDS is committed too,
    so the screen lists finished files as the import goes. Each file is still whole or absent: a file that fails
    to be written (a full disk) rolls its transaction back, and the files written before it in that
    transaction are written again and committed before the error goes on."""

    def __init__(self, conn: Connection, done: Callable[[FileImport], None]):
        self.conn, self.done = conn, done
        self.helper = ThreadPoolExecutor(1, "import-commit")
        self.transaction: RootTransaction | None = None
        self.written: list[tuple[CheckedFile, FileImport]] = []  # in the open transaction, not committed yet
        self.rows = 0
        self.opened = 0.0  # when the open transaction began (time.monotonic)
        self.committing: Future | None = None
        self.ids = CollectedIds()  # learner and IRI numbers, looked up once per import

    def write(self, checked: CheckedFile) -> None:
        self.settle()
        if self.transaction is None:
            self.transaction, self.opened = self.conn.begin(), time.monotonic()
        try:
            result = _write(self.conn, checked, self.ids)
        except BaseException:
            self.transaction.rollback()
            self.ids.forget()
            self.transaction, before, self.written, self.rows = None, self.written, [], 0
            self._write_again(before)
            raise
        self.written.append((checked, result))
        self.rows += len(checked.prepared.rows) if checked.prepared is not None else 0
        if self.rows >= GROUP_ROWS or time.monotonic() - self.opened >= GROUP_SECONDS:
            self.commit(wait_for_it=False)

    def commit(self, wait_for_it: bool = True) -> None:
        """Commit what is written (on the helper thread); `wait_for_it`: and report it before returning."""
        self.settle()
        if self.transaction is not None:
            transaction, files = self.transaction, [result for _checked, result in self.written]
            self.transaction, self.written, self.rows = None, [], 0
            self.committing = self.helper.submit(_commit, transaction, files)
        if wait_for_it:
            self.settle()

    def close(self) -> None:
        """On leaving, whatever way: the commit in flight is waited for and its files told, and the files written
        since are committed. A commit that failed is raised (even over a cancel): its files are not imported."""
        try:
            if self.committing is not None:
                wait([self.committing])
                self.settle()  # raises the commit's error, if it failed
            if self.transaction is not None:
                self.commit()
        finally:
            if self.transaction is not None and self.transaction.is_active:
                self.transaction.rollback()
            self.helper.shutdown(wait=True)

    def settle(self) -> None:
        """Wait for the commit in flight, and report its files."""
        if self.committing is not None:
            committing, self.committing = self.committing, None
            for result in committing.result():
                self.done(result)

    def _write_again(self, files: list[tuple[CheckedFile, FileImport]]) -> None:
        if not files:
            return
        try:
            with self.conn.begin():
                results = [_write(self.conn, checked, self.ids) for checked, _result in files]
        except Exception as error:  # the disk is still full: those files are not imported either
            self.ids.forget()
            log.warning("the files written before a failed one could not be committed again (%s)", error)
            return
        for result in results:
            self.done(result)


PARALLEL_MIN_FILES = 4  # fewer files are checked here: starting a second process (~0.3 s) would not pay
AHEAD = 3  # files checked ahead by the second process: enough to keep it busy, little memory


class _Checker:
    """Hands out each file checked (`checked(n)`), in order, reading ahead.

    In this process: a helper thread reads (unzips, checksums: zlib and hashlib let Python run beside
    them) the files two ahead, and the statements are checked on the calling thread. In parallel: the first
    file is checked here while a second process starts, and that process checks the next ones, AHEAD at a
    time, in the UI's language (its messages name rejected lines). If the process cannot start or dies, the
    remaining files are checked here: the result is the same, only slower."""

    def __init__(self, paths: list[Path], state: TaskState, parallel: bool | None):
        self.paths, self.state = paths, state
        if parallel is None:
            parallel = (os.cpu_count() or 1) >= 2 and len(paths) >= PARALLEL_MIN_FILES
        self.parallel = parallel
        self.reader = ThreadPoolExecutor(1, "import-read")
        self.reads: dict[int, Future] = {}
        self.process: ProcessPoolExecutor | None = None
        self.checks: dict[int, Future] = {}

    def __enter__(self) -> "_Checker":
        if self.parallel and len(self.paths) > 1:
            try:
                self.process = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                   initializer=set_locale, initargs=(current_locale(),))
                for n in range(1, min(1 + AHEAD, len(self.paths))):
                    self.checks[n] = self.process.submit(_check_elsewhere, self.paths[n], self._next(n))
            except (OSError, RuntimeError) as error:
                self._stop_process(error)
        return self

    def __exit__(self, *exc: object) -> None:
        for read in self.reads.values():
            read.cancel()
        self.reader.shutdown(wait=False, cancel_futures=True)
        if self.process is not None:
            self.process.shutdown(wait=False, cancel_futures=True)  # a file being checked there is dropped

    def checked(self, n: int) -> CheckedFile:
        if n in self.checks:
            future = self.checks.pop(n)
            if self.process is not None and n + AHEAD < len(self.paths):
                try:
                    self.checks[n + AHEAD] = self.process.submit(_check_elsewhere, self.paths[n + AHEAD],
                                                                 self._next(n + AHEAD))
                except (OSError, RuntimeError) as error:
                    self._stop_process(error)
            while True:  # waiting in short steps, so a cancel is honoured while the other process works
                self.state.raise_if_cancelled()
                try:
                    return future.result(timeout=0.1)
                except FutureTimeout:
                    continue
                except (OSError, RuntimeError, BrokenProcessPool) as error:
                    self._stop_process(error)
                    break
        for ahead in (n, n + 1, n + 2):
            if ahead < len(self.paths) and ahead not in self.reads and ahead not in self.checks:
                self.reads[ahead] = self.reader.submit(_read_file, self.paths[ahead])
        return _check_read(self.paths[n], self.reads.pop(n).result(), self.state)

    def _next(self, n: int) -> Path | None:
        return self.paths[n + 1] if n + 1 < len(self.paths) else None

    def _stop_process(self, error: BaseException) -> None:
        log.warning("checking progress files in a second process failed (%s); checking them here", error)
        if self.process is not None:
            self.process.shutdown(wait=False, cancel_futures=True)
        self.process = None
        for future in self.checks.values():
            future.cancel()
        self.checks.clear()


def second_process_check(folder: Path) -> str:
    """"ok" when a bundle written in `folder` is checked in a second process as in an import; else why not.
    For the self-test of a frozen build, where a second process needs multiprocessing.freeze_support() in
    main.py (an import falls back to checking here, only slower)."""
    from app.core.collect.bundle_file import write_bundle

    learner = "00000000-0000-4000-8000-000000000001"
    installation = "00000000-0000-4000-8000-000000000002"
    path = Path(folder) / "self-test.zip"
    write_bundle(path, {"bundle_id": "00000000-0000-4000-8000-000000000003", "created": "2026-01-01T00:00:00Z",
                        "everything": True, "installation": {"id": installation, "name": "Self-test"},
                        "learners": [{"id": learner, "name": "Self-test", "locale": "en"}]}, [])
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=set_locale, initargs=(current_locale(),)) as process:
            checked = process.submit(_check_elsewhere, path, None).result(timeout=120)
    except Exception as error:  # noqa: BLE001 - reported by the self-test
        return f"{type(error).__name__}: {error}"
    return "ok" if checked.refused is None and checked.bundle is not None else f"refused: {checked.refused}"


_child_reads: dict[Path, Future] = {}  # in the second process: the next file, being read while one is checked
_child_reader: ThreadPoolExecutor | None = None


def _check_elsewhere(path: Path, following: Path | None) -> CheckedFile:
    """check_file in the second process, reading `following` meanwhile (unzipping and checksums let Python
    check beside them); the bundle's lines stay there (the rows and the file's bytes carry them)."""
    global _child_reader
    if _child_reader is None:
        _child_reader = ThreadPoolExecutor(1, "import-read-ahead")
    read = _child_reads.pop(path, None)
    if following is not None:
        _child_reads[following] = _child_reader.submit(_read_file, following)
    checked = _check_read(path, read.result() if read is not None else _read_file(path), TaskState())
    if checked.bundle is not None:
        checked = replace(checked, bundle=replace(checked.bundle, lines=[]))
    return checked


IMPORT_CACHE_KIB = 65536  # 64 MiB while importing: the statement id index of a big import stays in memory
DEFAULT_CACHE_KIB = 2000  # SQLite's default, given back afterwards (the app stays small in memory)
IMPORT_WAL_PAGES = 65536  # while importing, the WAL is copied into the database every 256 MiB, not every 4 MiB
DEFAULT_WAL_PAGES = 1000  # SQLite's default, given back afterwards
IMPORT_SYNCHRONOUS = "NORMAL"  # see _import_connection
DEFAULT_SYNCHRONOUS = "FULL"  # as database.py opens every connection


@contextmanager
def _import_connection(database: Database) -> Iterator[Connection]:
    """One connection for the whole import, set for bulk writing on SQLite, and set back afterwards.

    Each file is still one transaction: a crash mid-import leaves the database as it was before the file
    being written (WAL, atomic commits). While importing, a commit does not wait for the disk
    (synchronous=NORMAL: in WAL mode a crash or power cut cannot corrupt the database or split a
    transaction, but the last files' commits may be undone by a power cut) and the WAL is copied into the
    database every 256 MiB instead of every 4 MiB (the random statement-id index is otherwise rewritten by
    each copy). At the end the WAL is copied in whole, flushed to disk and emptied: once import_bundles
    returns, everything it reports is as durable as any other commit."""
    with database.engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            _pragmas(conn, IMPORT_CACHE_KIB, IMPORT_WAL_PAGES, IMPORT_SYNCHRONOUS)
        try:
            yield conn
        finally:
            if sqlite:
                if conn.in_transaction():
                    conn.rollback()
                _pragmas(conn, DEFAULT_CACHE_KIB, DEFAULT_WAL_PAGES, DEFAULT_SYNCHRONOUS)
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # syncs the WAL, then the database
                conn.commit()


def _pragmas(conn: Connection, cache_kib: int, wal_pages: int, synchronous: str) -> None:
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(cache_kib)}")
    conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={int(wal_pages)}")
    conn.exec_driver_sql(f"PRAGMA synchronous={synchronous}")
    conn.commit()  # ends SQLAlchemy's implicit transaction (the driver began none for a PRAGMA)


@dataclass(frozen=True)
class CheckedFile:
    """A file read and checked completely, ready to be written in one transaction (or refused)."""

    path: Path
    kind: str
    refused: str | None = None
    prepared: Prepared | None = None
    bundle: Bundle | None = None
    file_id: str | None = None  # an xAPI file's collected_bundles id (UUID 5 of its checksum)
    sha256: str | None = None
    statements: int = 0


def check_file(path: Path, state: TaskState) -> CheckedFile:
    return _check_read(path, _read_file(path), state)


def _read_file(path: Path) -> Bundle | BundleRefused | None:
    """A bundle read and its checksums checked (mostly zlib and hashlib, which let other threads run), or why
    it was refused; None for a JSON file (read with its checks, by _check_read)."""
    if _looks_like_json(path):
        return None
    try:
        return read_bundle(path)
    except BundleRefused as err:
        return err


def _check_read(path: Path, read: Bundle | BundleRefused | None, state: TaskState) -> CheckedFile:
    if read is None:
        try:
            statements = read_xapi_statements(path)
        except InvalidInput as err:
            return CheckedFile(path, "xapi", refused="; ".join(
                _("line {line}: {problem}").format(line=p.line, problem=p.message) if p.line else p.message
                for p in err.problems))
        prepared, file_id, sha256 = prepare_xapi(statements)
        prepared.rejected.extend(Rejection(p.line, p.message) for p in statements.rejected)
        prepared.rejected.sort(key=lambda r: r.line)
        return CheckedFile(path, "xapi", prepared=prepared, file_id=file_id, sha256=sha256,
                           statements=len(statements.statements) + len(statements.rejected))
    if isinstance(read, BundleRefused):
        return CheckedFile(path, "bundle", refused=read.reason)
    return CheckedFile(path, "bundle", prepared=prepare_bundle(read, state), bundle=read, statements=len(read.lines))


def write_file(database: Database, checked: CheckedFile) -> FileImport:
    """One transaction: learners, statements (a set union by id), the file's row in collected_bundles."""
    with database.engine.connect() as conn, conn.begin():
        return _write(conn, checked)


def _write(conn: Connection, checked: CheckedFile, ids: CollectedIds | None = None) -> FileImport:
    """Everything of the file written in the connection's open transaction; a refused file writes nothing."""
    if checked.refused is not None or checked.prepared is None:
        return FileImport(checked.path, checked.kind, refused=checked.refused)
    prepared, bundle = checked.prepared, checked.bundle
    stamp = iso(now())
    if bundle is not None:
        merge_learners(conn, prepared.learners)
    else:  # only learners not known yet: an LRS never overwrites a bundle's details (staff number...)
        insert_learners(conn, prepared.learners)
    row = ((bundle.bundle_id, bundle.installation_id, bundle.created, stamp, checked.statements, 0,
            bundle.sha256) if bundle is not None else
           (checked.file_id, XAPI_INSTALLATION, stamp, stamp, checked.statements, 0, checked.sha256))
    added = write_statements(conn, prepared.rows, prepared.payloads, row[0], ids) if prepared.rows else 0
    row = (*row[:5], added, row[6])
    insert_new(conn, collected_bundles, BUNDLE_COLUMNS, [row])  # kept from the first import when repeated
    return FileImport(
        checked.path, checked.kind, added=added, already_present=len(prepared.rows) - added,
        rejected=tuple(prepared.rejected), bundle_id=row[0], installation_id=row[1],
        installation_name=bundle.installation_name if bundle is not None else None,
        learners=len(bundle.learners) if bundle is not None else len({r.key for r in prepared.learners}))


def _commit(transaction: RootTransaction, files: list[FileImport]) -> list[FileImport]:
    try:
        transaction.commit()
    except BaseException:
        if transaction.is_active:
            transaction.rollback()
        raise
    return files


def _looks_like_json(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError:
        return False  # read_bundle says why it cannot be read
    if head.startswith(ZIP_MAGIC):
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")


def prepare_bundle(bundle: Bundle, state: TaskState) -> Prepared:
    """Every line checked and turned into a row, or rejected with its reason; nothing written yet.

    A bundle's lines are the exporter's own rows (the manifest's checksum holds), so each is parsed once
    and checked for what the collected tables and reports rely on (`_bundle_row`): its id a UUID, its actor
    one of the bundle's learners, a verb and an activity with IRIs, one of our courses, a timestamp, and the
    result and registration reports read of the right types. Only a line failing that is put through the
    full xAPI check (xapi_check.py), to say precisely what is wrong with it."""
    prepared = Prepared(payloads=PayloadFile(BUNDLE, bundle.raw, bundle.sha256))
    home = HOME_PAGE + bundle.installation_id
    listed = {learner.id for learner in bundle.learners}
    prepared.learners = [LearnerRow(learner_key(bundle.installation_id, p.id), bundle.installation_id, p.id, p.name,
                                    p.staff_number, p.locale, bundle.created) for p in bundle.learners]
    rows = prepared.rows
    loads, fast_loads = json.loads, orjson.loads
    iris: set[str] = set()  # verbs and activities already seen to be IRIs: a bundle names a few hundred
    uuids: set[str] = set()  # registrations already seen to be UUIDs: a few per learner
    key_prefix = learner_key(bundle.installation_id, "")
    for number, line in enumerate(bundle.lines, 1):
        if number % 5000 == 0:
            state.raise_if_cancelled()
        try:
            data = fast_loads(line)
        except ValueError:  # what json makes of it (e.g. an integer beyond 64 bits), or its words for the fault
            try:
                data = loads(line)
            except ValueError as err:
                prepared.rejected.append(Rejection(number, _("not valid JSON ({error})").format(error=err)))
                continue
        try:
            row = _bundle_row(data, home, listed, iris, uuids, key_prefix, number)
        except (KeyError, TypeError, AttributeError, IndexError):
            row = None
        if row is None:
            prepared.rejected.append(Rejection(number, statement_problem(data) or _not_ours(data, home, listed) or _(
                "the statement is not shaped as this app writes statements")))
            continue
        rows.append(row)
    return prepared


_EMPTY: dict = {}
_AGENT_KEYS = frozenset({"objectType", "name", "account"})
_ACCOUNT_KEYS = frozenset({"homePage", "name"})


def _bundle_row(data: Any, home: str, listed: set[str], iris: set[str], uuids: set[str], key_prefix: str,
                line: int) -> tuple | None:
    """The collected_statements row of one of our statements, or None when it is not one. Structural
    surprises (a list where an object belongs, a missing key) raise KeyError, TypeError, AttributeError or
    IndexError, which mean None too."""
    if type(data) is not dict or not data.keys() <= STATEMENT_KEYS:
        return None
    statement_id, timestamp = data["id"], data["timestamp"]
    actor, verb, activity, context = data["actor"], data["verb"]["id"], data["object"], data["context"]
    account = actor["account"]
    name = account["name"]
    course = context["contextActivities"]["grouping"][0]["id"]
    object_id = activity["id"]
    result = data.get("result", _EMPTY)
    registration = context.get("registration")
    if not (type(statement_id) is str and UUID.match(statement_id) and type(timestamp) is str
            and TIMESTAMP.match(timestamp) and actor.keys() <= _AGENT_KEYS and account.keys() <= _ACCOUNT_KEYS
            and actor.get("objectType", "Agent") == "Agent" and type(actor.get("name", "")) is str
            and account["homePage"] == home and type(name) is str and name in listed
            and activity.get("objectType", "Activity") == "Activity" and type(course) is str
            and course.startswith(COURSE_PREFIX)
            and (registration is None or registration in uuids or (type(registration) is str
                                                                   and UUID.match(registration)))):
        return None
    if registration is not None:
        uuids.add(registration)
    for iri in (verb, object_id):
        if iri not in iris:
            if type(iri) is not str or not IRI.match(iri):
                return None
            iris.add(iri)
    success = response = scaled = None
    if result is not _EMPTY:
        if type(result) is not dict:
            return None
        success, response, score = result.get("success"), result.get("response"), result.get("score")
        if score is not None:
            if type(score) is not dict:
                return None
            scaled = score.get("scaled")
            if scaled is not None and (type(scaled) not in (int, float) or not -1 <= scaled <= 1):
                return None
        if (success is not None and type(success) is not bool) or (response is not None and type(response)
                                                                   is not str):
            return None
    # The same values as rows.statement_facts(data), taken from what was checked above.
    return (statement_id, key_prefix + name, verb, object_id, course[len(COURSE_PREFIX):],
            str(context.get("extensions", _EMPTY).get(Ext.COURSE_VERSION, "")), timestamp, line,
            registration, success, scaled, response)


def _not_ours(data: dict, home: str, listed: set[str]) -> str | None:
    """What a valid xAPI statement lacks to be one of this app's statements from this bundle."""
    if "id" not in data or "timestamp" not in data:
        return _("the statement has no 'id' or no 'timestamp'; this app writes both")
    account = data["actor"].get("account") or {}
    if account.get("homePage") != home or account.get("name") not in listed:
        return _("the statement's actor is not one of this bundle's learners")
    if data["object"].get("objectType", "Activity") != "Activity":
        return _("the statement's object is not an activity")
    grouping = (data.get("context") or {}).get("contextActivities", {}).get("grouping")
    if not isinstance(grouping, list) or not grouping or not grouping[0]["id"].startswith(COURSE_PREFIX):
        return _("the statement names no course of this app in 'context.contextActivities.grouping'")
    return None
