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
rest imports. Bundle lines are parsed with plain json.loads: the checksum proves they are what the
exporter wrote from its own rows, which cannot hold a duplicate key; xAPI files, which come from
elsewhere, are parsed strictly (see xapi.py).

This installation's own bundle may be imported too: its statements are then collected like any
other office's (keyed by id, so once), and reports over collected progress see one union.
Cancelling stops between files: the files already imported stay imported, the current one is untouched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.collect.bundle_file import ZIP_MAGIC, Bundle, BundleRefused, read_bundle
from app.core.collect.rows import (COURSE_PREFIX, HOME_PAGE, LEARNER_COLUMNS, LearnerRow, Prepared, Rejection,
                                   insert_new, insert_statements, learner_key, merge_learners)
from app.core.collect.xapi import XAPI_INSTALLATION, prepare_xapi, read_xapi_statements
from app.core.collect.xapi_check import statement_problem
from app.core.i18n import _
from app.core.problems import InvalidInput
from app.core.record.statements import Ext, iso, now
from app.core.storage.database import Database
from app.core.storage.schema import collected_bundles, collected_learners
from app.core.tasks import TaskState

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
                   state: TaskState | None = None) -> list[FileImport]:
    """Import each file (a bundle .zip, or xAPI statements as .json); one result per file, in order."""
    require(principal, TRAINER)
    state = state or TaskState()
    results: list[FileImport] = []
    try:
        for n, path in enumerate(Path(p) for p in paths):
            state.raise_if_cancelled()
            state.set_progress(n, len(paths), _("Importing {file}…").format(file=path.name))
            results.append(write_file(database, check_file(path, state)))
    finally:
        _page_cache(database, DEFAULT_CACHE_KIB)
    state.set_progress(1, 1)
    return results


IMPORT_CACHE_KIB = 65536  # 64 MiB while importing: the statement id index of a big import stays in memory
DEFAULT_CACHE_KIB = 2000  # SQLite's default, given back afterwards (the app stays small in memory)


def _page_cache(database: Database, kib: int) -> None:
    if database.engine.dialect.name == "sqlite":
        with database.engine.connect() as conn:  # the pool hands back the connection the import used
            conn.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")


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
    if _looks_like_json(path):
        try:
            read = read_xapi_statements(path)
        except InvalidInput as err:
            return CheckedFile(path, "xapi", refused="; ".join(
                _("line {line}: {problem}").format(line=p.line, problem=p.message) if p.line else p.message
                for p in err.problems))
        prepared, file_id, sha256 = prepare_xapi(read)
        prepared.rejected.extend(Rejection(p.line, p.message) for p in read.rejected)
        prepared.rejected.sort(key=lambda r: r.line)
        return CheckedFile(path, "xapi", prepared=prepared, file_id=file_id, sha256=sha256,
                           statements=len(read.statements) + len(read.rejected))
    try:
        bundle = read_bundle(path)
    except BundleRefused as err:
        return CheckedFile(path, "bundle", refused=err.reason)
    return CheckedFile(path, "bundle", prepared=prepare_bundle(bundle, state), bundle=bundle,
                       statements=len(bundle.lines))


def write_file(database: Database, checked: CheckedFile) -> FileImport:
    """One transaction: learners, statements (a set union by id), the file's row in collected_bundles."""
    if checked.refused is not None or checked.prepared is None:
        return FileImport(checked.path, checked.kind, refused=checked.refused)
    prepared, bundle = checked.prepared, checked.bundle
    stamp = iso(now())
    with database.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
        if bundle is not None:
            merge_learners(conn, prepared.learners)
        else:  # only learners not known yet: an LRS never overwrites a bundle's details (staff number...)
            insert_new(conn, collected_learners, LEARNER_COLUMNS,
                       [(r.key, r.installation_id, r.learner_id, r.name, r.staff_number, r.locale, r.last_seen)
                        for r in prepared.learners])
        added = insert_statements(conn, prepared.rows)
        row = ((bundle.bundle_id, bundle.installation_id, bundle.created, stamp, checked.statements, added,
                bundle.sha256) if bundle is not None else
               (checked.file_id, XAPI_INSTALLATION, stamp, stamp, checked.statements, added, checked.sha256))
        insert_new(conn, collected_bundles, BUNDLE_COLUMNS, [row])  # kept from the first import when repeated
    return FileImport(checked.path, checked.kind, added=added, already_present=len(prepared.rows) - added,
                      rejected=tuple(prepared.rejected), bundle_id=row[0], installation_id=row[1],
                      installation_name=bundle.installation_name if bundle is not None else None,
                      learners=len(bundle.learners) if bundle is not None else len({r.key for r in prepared.learners}))


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
    """Every line checked and turned into a row, or rejected with its reason; nothing written yet."""
    prepared = Prepared()
    home = HOME_PAGE + bundle.installation_id
    listed = {learner.id for learner in bundle.learners}
    prepared.learners = [LearnerRow(learner_key(bundle.installation_id, p.id), bundle.installation_id, p.id, p.name,
                                    p.staff_number, p.locale, bundle.created) for p in bundle.learners]
    rows = prepared.rows
    loads = json.loads
    for number, line in enumerate(bundle.lines, 1):
        if number % 5000 == 0:
            state.raise_if_cancelled()
        try:
            data = loads(line)
        except ValueError as err:
            prepared.rejected.append(Rejection(number, _("not valid JSON ({error})").format(error=err)))
            continue
        problem = statement_problem(data) or _not_ours(data, home, listed)
        if problem:
            prepared.rejected.append(Rejection(number, problem))
            continue
        context = data["context"]
        rows.append((data["id"], learner_key(bundle.installation_id, data["actor"]["account"]["name"]),
                     data["verb"]["id"], data["object"]["id"],
                     context["contextActivities"]["grouping"][0]["id"][len(COURSE_PREFIX):],
                     str(context.get("extensions", {}).get(Ext.COURSE_VERSION, "")), data["timestamp"],
                     bundle.created, bundle.bundle_id, line))
    return prepared


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
