"""Export my progress (learner machine): the statements stored since the last export, as a bundle.

    result = export_bundle(record, Path("E:/kim.progress.zip"))            # what is new
    result = export_bundle(record, path, [learner.id])                      # one learner's
    result = export_bundle(record, path, everything=True)                   # a lost stick: all of it
    if not result.written: ...   # nothing new since the last export: no file was written

The watermark is per learner (meta key "last_export_stored:<learner id>", the `stored` time of the
newest statement exported), so one learner exporting on a shared PC never hides another's new
statements. It moves only after the bundle has been written completely and renamed into place;
a crash in between exports the same statements again next time, which the importing side's set
union absorbs. Caveat: a statement stored while the PC's clock was set back (earlier than the
watermark) is not picked up by a normal export; "export everything" always is.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, insert, select, true, update

from app.core.collect.bundle_file import write_bundle
from app.core.i18n import _, ngettext
from app.core.record.statements import iso, now
from app.core.record.store import LearningRecord
from app.core.storage.schema import learners, meta, statements
from app.core.tasks import TaskState

WATERMARK = "last_export_stored:"  # + learner id
INSTALLATION_NAME = "installation_name"


@dataclass(frozen=True)
class BundleExport:
    written: bool  # False: nothing new since the last export, and no file was written
    path: Path | None
    bundle_id: str | None
    statements: int
    learners: int
    message: str


def installation_name(record: LearningRecord) -> str | None:
    with record.engine.connect() as conn:
        return conn.scalar(select(meta.c.value).where(meta.c.key == INSTALLATION_NAME))


def set_installation_name(record: LearningRecord, name: str) -> None:
    """The office's name carried in every bundle (e.g. "Sejong office"), so a trainer sees where it came from."""
    _set_meta(record, {INSTALLATION_NAME: name.strip()})


def _set_meta(record: LearningRecord, values: dict[str, str]) -> None:
    with record.engine.begin() as conn:
        existing = set(conn.scalars(select(meta.c.key).where(meta.c.key.in_(list(values)))))
        for key, value in values.items():
            if key in existing:
                conn.execute(update(meta).where(meta.c.key == key).values(value=value))
            else:
                conn.execute(insert(meta).values(key=key, value=value))


def _watermarks(record: LearningRecord) -> dict[str, str]:
    with record.engine.connect() as conn:
        rows = conn.execute(select(meta.c.key, meta.c.value).where(meta.c.key.startswith(WATERMARK))).all()
    return {key[len(WATERMARK):]: value for key, value in rows}


def export_bundle(record: LearningRecord, out_path: Path, learner_ids: list[str] | None = None, *,
                  everything: bool = False, state: TaskState | None = None) -> BundleExport:
    """Write the statements of `learner_ids` (default: every learner here) stored since their last
    export to `out_path`; with `everything`, all of their statements, whatever was exported before."""
    state = state or TaskState()
    out_path = Path(out_path)
    installation = record.installation_id()
    name = installation_name(record)
    marks = {} if everything else _watermarks(record)
    with record.engine.connect() as conn:
        wanted = list(learner_ids) if learner_ids is not None else list(conn.scalars(select(learners.c.id)))
    condition = statements.c.learner_id.in_(wanted) if learner_ids is not None else true()
    lowest = min((marks.get(i, "") for i in wanted), default="")
    if lowest:  # rows older than every wanted learner's watermark need not be read at all
        condition = and_(condition, statements.c.stored > lowest)
    with record.engine.connect() as conn:
        # Two passes: first which statements (small rows), then their payloads streamed into the file,
        # capped at what the first pass saw so that statements stored meanwhile wait for the next export.
        newest: dict[str, str] = {}
        count = 0
        for learner, stored in conn.execute(select(statements.c.learner_id, statements.c.stored).where(condition)):
            if stored > marks.get(learner, ""):
                count += 1
                if stored > newest.get(learner, ""):
                    newest[learner] = stored
        if not count:
            return BundleExport(False, None, None, 0, 0, _("Nothing new since the last export: no file was written."))
        people = conn.execute(select(learners.c.id, learners.c.name, learners.c.locale, learners.c.staff_number)
                              .where(learners.c.id.in_(list(newest))).order_by(learners.c.id)).all()
        bundle_id = str(uuid.uuid4())
        manifest = {"bundle_id": bundle_id, "created": iso(now()), "everything": everything,
                    "installation": {"id": installation, "name": name},
                    "learners": [{"id": i, "name": n, "locale": loc, "staff_number": staff}
                                 for i, n, loc, staff in people]}
        rows = conn.execute(select(statements.c.learner_id, statements.c.stored, statements.c.payload)
                            .where(condition).order_by(statements.c.stored, statements.c.id))
        payloads = (payload for learner, stored, payload in rows
                    if marks.get(learner, "") < stored <= newest.get(learner, ""))

        def on_line(done: int) -> None:
            if done % 2000 == 0:
                state.raise_if_cancelled()
                state.set_progress(done, count, _("Writing the bundle…"))

        written = write_bundle(out_path, manifest, payloads, on_line)
    # Only now, with the file complete and in place, does the watermark move.
    _set_meta(record, {WATERMARK + learner: stored for learner, stored in newest.items()})
    state.set_progress(1, 1)
    total = written["counts"]["statements"]
    message = " ".join([
        ngettext("{n} statement written to {path}.", "{n} statements written to {path}.", total).format(
            n=total, path=out_path),
        ngettext("It holds the progress of {n} learner.", "It holds the progress of {n} learners.",
                 len(people)).format(n=len(people))])
    return BundleExport(True, out_path, bundle_id, total, len(people), message)
