"""What the trainer's "Collected progress" screen needs beyond importing.py: an import of many files
that can be cancelled between files and still says what was done, and a summary of what has been
collected (learners with their office, statement count and last activity; the history of imported
files).

    run = import_files(database, paths, principal, state)      # never raises Cancelled
    run.results          # one FileImport per file that was handled (imported or refused)
    run.not_imported     # the files left untouched because the trainer cancelled
    summary = collected_summary(database, principal)
    summary.learners, summary.offices, summary.files

`import_bundles` writes each bundle in one transaction and says when each is done, so a cancel
stops between files (or inside the checking of a file, which has written nothing yet) and the run
still lists every file handled.

The collected tables keep neither an office's name nor the name of the file a bundle came in, which
a trainer recognises better than an installation id. `import_files` remembers both in the `meta`
table (keys "collected_office:<installation id>" and "collected_file:<bundle id>"): the office name
of the newest bundle that gave one (by the bundle's own created time, so the arrival order does not
matter) and the file name of a bundle's first import (like collected_bundles.imported_at). The headless
`progress import` imports through import_files too; files imported before it did show the office's id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from sqlalchemy import func, insert, select, update

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.collect.collected import collected_learners
from app.core.collect.importing import FileImport, import_bundles
from app.core.storage.database import Database
from app.core.storage.schema import collected_bundles, collected_statements, meta
from app.core.storage.schema import collected_learners as collected_learners_table
from app.core.tasks import Cancelled, TaskState

OFFICE_KEY = "collected_office:"  # + installation id -> {"name": ..., "created": <bundle created time>}
FILE_KEY = "collected_file:"  # + bundle id -> the file's name when it was first imported


@dataclass
class ImportRun:
    results: list[FileImport] = field(default_factory=list)  # in the order given, for the files handled
    not_imported: list[Path] = field(default_factory=list)  # untouched because the trainer cancelled
    cancelled: bool = False

    @property
    def imported(self) -> list[FileImport]:
        return [r for r in self.results if r.read]

    @property
    def refused(self) -> list[FileImport]:
        return [r for r in self.results if not r.read]


def import_files(database: Database, paths: Sequence[Path], principal: Principal | None,
                 state: TaskState | None = None) -> ImportRun:
    """Import the files in order; on cancel, return what was done and which files were not imported."""
    require(principal, TRAINER)
    state = state or TaskState()
    paths = [Path(p) for p in paths]
    run = ImportRun()
    try:
        import_bundles(database, paths, principal, state, on_file=run.results.append)
    except Cancelled:  # the files committed before it stay; the one being checked wrote nothing
        run.cancelled, run.not_imported = True, paths[len(run.results):]
    finally:
        remember_names(database, principal, run.results)
    state.set_progress(1, 1)
    return run


def remember_names(database: Database, principal: Principal | None, results: Sequence[FileImport]) -> None:
    """Keep the office names and file names of imported bundles (see the module's doc)."""
    require(principal, TRAINER)
    read = [r for r in results if r.read and r.bundle_id]
    if not read:
        return
    with database.engine.begin() as conn:
        created = dict(conn.execute(select(collected_bundles.c.id, collected_bundles.c.created_at).where(
            collected_bundles.c.id.in_([r.bundle_id for r in read]))).all())
        for r in read:
            _put(conn, FILE_KEY + r.bundle_id, r.path.name, keep=True)
            if r.kind != "bundle" or not r.installation_id or not (r.installation_name or "").strip():
                continue
            key = OFFICE_KEY + r.installation_id
            stamp = created.get(r.bundle_id, "")
            known = _office(conn.scalar(select(meta.c.value).where(meta.c.key == key)))
            if known is None or (stamp, r.installation_name) > (known["created"], known["name"]):
                _put(conn, key, json.dumps({"name": r.installation_name.strip(), "created": stamp},
                                           ensure_ascii=False))


def _put(conn, key: str, value: str, keep: bool = False) -> None:
    exists = conn.scalar(select(func.count()).select_from(meta).where(meta.c.key == key))
    if not exists:
        conn.execute(insert(meta).values(key=key, value=value))
    elif not keep:
        conn.execute(update(meta).where(meta.c.key == key).values(value=value))


def _office(value: str | None) -> dict | None:
    try:
        data = json.loads(value) if value else None
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("name"), str) and isinstance(data.get("created"), str):
        return data
    return None


@dataclass(frozen=True)
class LearnerSummary:
    key: str  # "<installation id>/<learner id>"
    name: str
    staff_number: str | None
    installation_id: str
    office: str | None  # the office's name, when a bundle imported here gave one
    locale: str
    statements: int
    last_activity: str | None  # timestamp of the learner's newest statement (ISO 8601), None without any


@dataclass(frozen=True)
class OfficeSummary:
    installation_id: str
    office: str | None
    learners: int
    statements: int


@dataclass(frozen=True)
class ImportedFile:
    bundle_id: str
    installation_id: str  # "xapi" for a file from a learning record store
    office: str | None
    file_name: str | None  # None when it was imported by the headless command
    created_at: str
    imported_at: str
    statements: int
    added: int


@dataclass(frozen=True)
class CollectedSummary:
    learners: list[LearnerSummary]  # by name
    offices: list[OfficeSummary]  # by name, then id
    files: list[ImportedFile]  # newest import first

    @property
    def statements(self) -> int:
        return sum(o.statements for o in self.offices)


def collected_summary(database: Database, principal: Principal | None) -> CollectedSummary:
    """Every collected learner with their office and activity, every office, every imported file."""
    require(principal, TRAINER)
    table = collected_statements
    with database.engine.connect() as conn:
        people = collected_learners(conn)
        per_number = select(table.c.learner, func.count().label("count"), func.max(table.c.timestamp).label("last")
                            ).group_by(table.c.learner).subquery()
        activity = {key: (count, last) for key, count, last in conn.execute(
            select(collected_learners_table.c.key, per_number.c.count, per_number.c.last).join_from(
                per_number, collected_learners_table, collected_learners_table.c.number == per_number.c.learner))}
        names: dict[str, str] = {}
        files: dict[str, str] = {}
        for key, value in conn.execute(select(meta.c.key, meta.c.value).where(
                meta.c.key.startswith(OFFICE_KEY) | meta.c.key.startswith(FILE_KEY))):
            if key.startswith(OFFICE_KEY):
                office = _office(value)
                if office is not None:
                    names[key[len(OFFICE_KEY):]] = office["name"]
            else:
                files[key[len(FILE_KEY):]] = value
        bundles = conn.execute(select(collected_bundles).order_by(collected_bundles.c.imported_at.desc(),
                                                                  collected_bundles.c.created_at.desc(),
                                                                  collected_bundles.c.id)).mappings().all()
    learners = [LearnerSummary(p.key, p.name, p.staff_number, p.installation_id, names.get(p.installation_id),
                               p.locale, *activity.get(p.key, (0, None))) for p in people]
    offices: dict[str, list[LearnerSummary]] = {}
    for learner in learners:
        offices.setdefault(learner.installation_id, []).append(learner)
    office_rows = sorted((OfficeSummary(i, names.get(i), len(group), sum(g.statements for g in group))
                          for i, group in offices.items()),
                         key=lambda o: (o.office is None, (o.office or "").casefold(), o.installation_id))
    history = [ImportedFile(b["id"], b["installation_id"], names.get(b["installation_id"]), files.get(b["id"]),
                            b["created_at"], b["imported_at"], b["statements"], b["added"]) for b in bundles]
    return CollectedSummary(learners, office_rows, history)
