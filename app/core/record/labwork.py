"""Autosave of lab work: one JSON snapshot per learner, course and lab item, replaced atomically.

Each save is one SQLite transaction, so a crash leaves either the previous snapshot or the new
one, never half of either. `revision` counts saves, which lets a screen tell it resumed the latest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

from app.core.record.statements import iso, now
from app.core.storage.database import Database
from app.core.storage.schema import lab_work


@dataclass(frozen=True)
class SavedLabWork:
    lab_id: str
    revision: int
    updated_at: str
    snapshot: dict[str, Any]


class LabWorkStore:
    def __init__(self, database: Database):
        self.engine = database.engine

    def load(self, learner_id: str, course_id: str, item_id: str) -> SavedLabWork | None:
        query = select(lab_work.c.lab_id, lab_work.c.revision, lab_work.c.updated_at, lab_work.c.snapshot).where(
            lab_work.c.learner_id == learner_id, lab_work.c.course_id == course_id, lab_work.c.item_id == item_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return SavedLabWork(row.lab_id, row.revision, row.updated_at, json.loads(row.snapshot))

    def save(self, learner_id: str, course_id: str, item_id: str, lab_id: str, snapshot: dict[str, Any]) -> int:
        """Replace the saved work; returns the new revision. Durable when it returns."""
        text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, allow_nan=False)
        key = (lab_work.c.learner_id == learner_id, lab_work.c.course_id == course_id, lab_work.c.item_id == item_id)
        with self.engine.begin() as conn:
            revision = conn.scalar(select(lab_work.c.revision).where(*key))
            if revision is None:
                conn.execute(insert(lab_work).values(learner_id=learner_id, course_id=course_id, item_id=item_id,
                                                     lab_id=lab_id, revision=1, updated_at=iso(now()),
                                                     snapshot=text))
                return 1
            conn.execute(update(lab_work).where(*key).values(lab_id=lab_id, revision=revision + 1,
                                                             updated_at=iso(now()), snapshot=text))
            return revision + 1

    def clear(self, learner_id: str, course_id: str, item_id: str) -> None:
        """Start the lab over (the learner asked to); the statements about it stay."""
        with self.engine.begin() as conn:
            conn.execute(lab_work.delete().where(lab_work.c.learner_id == learner_id, lab_work.c.course_id == course_id,
                                                 lab_work.c.item_id == item_id))
