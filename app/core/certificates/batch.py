"""Issue a batch: one signed credential file per completion, written atomically into a folder, with
progress and cancel, and a row per credential in issued_credentials.

Every completion is checked before anything is written, so a bad record (an empty name, a date that is
not one) stops the batch with its position and field, and leaves no file. A cancel or an error midway
leaves whole files only (each is written beside its name and renamed), and those are recorded.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.atomic import write_text
from app.core.certificates.credential import (Completion, completed_at, completion_problems, credential_id,
                                              file_name, issue_credential, verification_code)
from app.core.certificates.issuer import Signer
from app.core.i18n import _
from app.core.problems import InvalidInput, Problem
from app.core.record.statements import iso, now
from app.core.storage.schema import issued_credentials
from app.core.tasks import TaskState


@dataclass(frozen=True)
class IssuedFile:
    path: Path
    credential: dict[str, Any]
    completion: Completion
    code: str  # 12 hex digits


def credential_text(credential: dict[str, Any]) -> str:
    return json.dumps(credential, ensure_ascii=False, indent=2) + "\n"


def issue_batch(principal: Principal, signer: Signer, completions: Sequence[Completion], folder: Path,
                state: TaskState, *, database=None, clock: Callable = now) -> list[IssuedFile]:
    """Sign and write one credential per distinct completion (the same learner, course and version twice
    is one credential); returns the files in the order given."""
    require(principal, TRAINER)
    where = _("completion list")
    problems = [Problem(where, index, _("{name}: {problem}").format(name=getattr(c, "learner_name", "?"),
                                                                    problem=problem))
                for index, c in enumerate(completions, start=1) for problem in completion_problems(c)]
    if problems:
        raise InvalidInput(problems)
    distinct: dict[str, Completion] = {}
    for completion in completions:
        distinct.setdefault(credential_id(signer.issuer.id, completion), completion)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    issued: list[IssuedFile] = []
    try:
        for index, completion in enumerate(distinct.values()):
            state.raise_if_cancelled()
            state.set_progress(index, len(distinct), _("Signing the certificate of {name}").format(
                name=completion.learner_name))
            credential = issue_credential(principal, signer, completion)
            path = folder / file_name(credential, completion)
            write_text(path, credential_text(credential))
            issued.append(IssuedFile(path, credential, completion, verification_code(credential)))
    finally:
        if database is not None and issued:
            record_issued(database, signer.issuer.id, issued, iso(clock()))
    state.set_progress(len(distinct), len(distinct))
    return issued


def record_issued(database, issuer_id: str, issued: Sequence[IssuedFile], when: str) -> None:
    """One transaction: a row per credential, replaced when the same credential is issued again."""
    with database.engine.begin() as conn:
        ids = [f.credential["id"] for f in issued]
        known: set[str] = set()
        for start in range(0, len(ids), 500):  # SQLite caps the parameters of one statement
            known.update(conn.scalars(select(issued_credentials.c.id).where(
                issued_credentials.c.id.in_(ids[start:start + 500]))))
        for item in issued:
            c = item.completion
            row = {"issuer_id": issuer_id, "learner_key": c.learner_key, "learner_name": c.learner_name.strip(),
                   "course_id": c.course_id, "course_version": c.course_version, "completed_at": completed_at(c),
                   "issued_at": when, "code": item.code, "file_name": item.path.name}
            if item.credential["id"] in known:
                conn.execute(issued_credentials.update().where(
                    issued_credentials.c.id == item.credential["id"]).values(**row))
            else:
                conn.execute(issued_credentials.insert().values(id=item.credential["id"], **row))


def issued_list(database) -> list[dict[str, Any]]:
    with database.engine.connect() as conn:
        rows = conn.execute(select(issued_credentials).order_by(issued_credentials.c.course_id,
                                                                issued_credentials.c.learner_name)).all()
    return [dict(r._mapping) for r in rows]
