"""The learning record on disk: learners and the append-only statements table."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.core.record.statements import Ext, Statement, iso, now
from app.core.storage.database import Database
from app.core.storage.schema import learners, meta, statements


@dataclass(frozen=True)
class Learner:
    id: str
    name: str
    locale: str


class LearningRecord:
    def __init__(self, database: Database):
        self.database = database
        self.engine = database.engine

    # -- installation
    def installation_id(self) -> str:
        with self.engine.begin() as conn:
            value = conn.scalar(select(meta.c.value).where(meta.c.key == "installation_id"))
            if value is None:
                value = str(uuid.uuid4())
                conn.execute(insert(meta).values(key="installation_id", value=value))
            return value

    # -- learners
    def add_learner(self, name: str, locale: str) -> Learner:
        learner = Learner(str(uuid.uuid4()), name.strip(), locale)
        with self.engine.begin() as conn:
            conn.execute(insert(learners).values(id=learner.id, name=learner.name, locale=locale,
                                                 created_at=iso(now())))
        return learner

    def learner(self, learner_id: str) -> Learner | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(learners.c.id, learners.c.name, learners.c.locale)
                               .where(learners.c.id == learner_id)).first()
        return Learner(*row) if row else None

    def learners(self) -> list[Learner]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(learners.c.id, learners.c.name, learners.c.locale)
                                .order_by(learners.c.created_at)).all()
        return [Learner(*row) for row in rows]

    def set_learner_locale(self, learner_id: str, locale: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(learners).where(learners.c.id == learner_id).values(locale=locale))

    # -- statements
    def append(self, statement: Statement, learner_id: str) -> None:
        """Store one statement durably; when this returns, the statement survives a crash."""
        with self.engine.begin() as conn:
            conn.execute(insert(statements).values(
                id=statement.id, learner_id=learner_id, verb=statement.verb, object_id=statement.object_id,
                course_id=statement.course_id, course_version=statement.extension(Ext.COURSE_VERSION, ""),
                timestamp=statement.timestamp, stored=iso(now()), payload=statement.to_json()))

    def merge(self, items: list[tuple[Statement, str]]) -> int:
        """Add statements not already present (a set union by id); returns how many were new."""
        added = 0
        for statement, learner_id in items:
            try:
                self.append(statement, learner_id)
                added += 1
            except IntegrityError:
                pass
        return added

    def statements(self, learner_id: str, course_id: str | None = None) -> list[Statement]:
        query = select(statements.c.payload).where(statements.c.learner_id == learner_id)
        if course_id is not None:
            query = query.where(statements.c.course_id == course_id)
        with self.engine.connect() as conn:
            payloads = conn.scalars(query.order_by(statements.c.timestamp, statements.c.stored)).all()
        return [Statement.from_json(p) for p in payloads]

    def last_course(self, learner_id: str) -> str | None:
        """The course the learner did something in most recently."""
        query = (select(statements.c.course_id).where(statements.c.learner_id == learner_id)
                 .order_by(statements.c.timestamp.desc()).limit(1))
        with self.engine.connect() as conn:
            return conn.scalar(query)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(statements)) or 0
