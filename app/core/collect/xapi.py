"""xAPI 1.0.3 in and out: export a selection of statements as a JSON array a learning record store
(LRS) accepts, and read statements exported by an LRS.

    count = export_xapi(database, Path("cohort.json"), XapiSelection(course_id="ai-foundations"))
    read = read_xapi_statements(Path("lrs-export.json"))   # read.statements, read.rejected

Export: this installation's own statements and/or the collected ones, filtered by course, learner
key ("<installation id>/<learner id>", as in collected_learners) and a [since, until) range of
`timestamp`, oldest first, each statement once. Our statements are already xAPI; the mapping only
drops what an LRS sets itself (`stored`, `authority`: an LRS refuses an authority that does not match
the credentials it was sent with) and writes version 1.0.3.

Reading: a file holding one statement, an array of statements, or an LRS's StatementResult
({"statements": [...], "more": ...}). The whole file must be JSON (else InvalidInput, with the line);
each statement is then checked alone (xapi_check.py), duplicate keys included, and rejected with
its line, so one bad statement does not hide the good ones. Statements without an `id` get one
derived from their content (UUID 5), so importing the same file twice adds nothing the second time;
without a `timestamp` they take `stored`, else the time of import (as an LRS would).
"""

from __future__ import annotations

import hashlib
import heapq
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import and_, func, select, true

from app.core.atomic import replacing
from app.core.collect.bundle_file import canonical
from app.core.collect.payloads import jsonl_file, payload_stream
from app.core.collect.rows import (COURSE_PREFIX, HOME_PAGE, LearnerRow, Prepared, Rejection, learner_key,
                                   statement_facts)
from app.core.collect.xapi_check import IFIS, DuplicateKey, STRICT_DECODER, statement_problem
from app.core.formatting import number as format_number
from app.core.i18n import _
from app.core.problems import InvalidInput, Problem
from app.core.record.statements import XAPI_VERSION, Ext, iso, now
from app.core.storage.database import Database
from app.core.storage.schema import collected_learners, collected_statements, meta, statements
from app.core.tasks import TaskState

XAPI_INSTALLATION = "xapi"  # collected_learners.installation_id of learners known only from an LRS
NAMESPACE = uuid.UUID("6f1c3e52-8d0a-4d8e-9b0e-5a7c2f4e1d30")  # ours: ids derived from content (UUID 5)
MAX_XAPI_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class XapiSelection:
    own: bool = True  # this installation's learners' statements
    collected: bool = True  # statements collected from bundles and LRS files
    course_id: str | None = None
    learner_keys: frozenset[str] | None = None  # "<installation id>/<learner id>"; None: everyone
    since: str | None = None  # ISO 8601 UTC, inclusive
    until: str | None = None  # ISO 8601 UTC, exclusive


@dataclass(frozen=True)
class XapiFile:
    path: Path
    sha256: str
    statements: list[tuple[int, dict[str, Any]]]  # (line where it starts, statement)
    rejected: list[Problem]


# -- export

def export_xapi(database: Database, out_path: Path, selection: XapiSelection = XapiSelection(),
                state: TaskState | None = None) -> int:
    """Write the selected statements to `out_path` (atomically) as a JSON array; returns how many. `state`
    is told how far it is, and a cancel stops it with nothing written (Cancelled)."""
    state = state or TaskState()
    with database.engine.connect() as conn:
        installation = conn.scalar(select(meta.c.value).where(meta.c.key == "installation_id")) or ""
        streams, total = [], 0
        if selection.own:
            streams.append(_own(conn, installation, selection))
            total += conn.scalar(select(func.count()).select_from(statements).where(
                _own_condition(installation, selection))) or 0
        if selection.collected:
            streams.append(_collected(conn, selection))
            total += conn.scalar(select(func.count()).select_from(collected_statements).where(
                _collected_condition(selection))) or 0
        count = 0
        with replacing(out_path, suffix=".tmp") as temporary, open(temporary, "w", encoding="utf-8",
                                                                      newline="\n") as out:
            out.write("[")
            previous = None
            for seen, (_timestamp, statement_id, payload) in enumerate(heapq.merge(*streams)):
                if seen % PROGRESS_EVERY == 0:
                    state.raise_if_cancelled()
                    state.set_progress(seen, total or 1, _("Writing statements: {n} of {total}").format(
                        n=format_number(seen), total=format_number(total)))
                if statement_id == previous:  # own statements also collected (own bundle imported)
                    continue
                previous = statement_id
                out.write(",\n" if count else "\n")
                out.write(json.dumps(to_lrs(json.loads(payload)), ensure_ascii=False))
                count += 1
            out.write("\n]\n")
    state.set_progress(1, 1)
    return count


PROGRESS_EVERY = 2000  # statements between two progress reports (and looks at the cancel button)


def to_lrs(data: dict[str, Any]) -> dict[str, Any]:
    """A stored statement as an LRS accepts it, in the form an LRS itself returns statements (xAPI
    Data 2.4): context activities as lists, agents with their objectType (statements read from an
    LRS file may take either liberty; ours take neither)."""
    data = {key: value for key, value in data.items() if key not in ("stored", "authority")}
    data["version"] = XAPI_VERSION
    return _explicit(data)


def _explicit(statement: dict[str, Any]) -> dict[str, Any]:
    statement = dict(statement)
    statement["actor"] = _agent_type(statement["actor"])
    statement_object = statement["object"]
    if statement_object.get("objectType") == "SubStatement":
        statement["object"] = _explicit(statement_object)
    if isinstance(statement.get("context"), dict):
        context = dict(statement["context"])
        if isinstance(context.get("contextActivities"), dict):
            context["contextActivities"] = {key: value if isinstance(value, list) else [value]
                                            for key, value in context["contextActivities"].items()}
        if "instructor" in context:
            context["instructor"] = _agent_type(context["instructor"])
        statement["context"] = context
    return statement


def _agent_type(agent: dict[str, Any]) -> dict[str, Any]:
    if "objectType" in agent:
        return agent
    return {"objectType": "Agent", **agent}


def _own_condition(installation: str, selection: XapiSelection):
    condition = _common(statements, selection)
    if selection.learner_keys is not None:
        ids = [key.split("/", 1)[1] for key in selection.learner_keys if key.startswith(installation + "/")]
        condition = and_(condition, statements.c.learner_id.in_(ids))
    return condition


def _own(conn, installation: str, selection: XapiSelection) -> Iterator[tuple[str, str, str]]:
    table = statements
    yield from conn.execute(select(table.c.timestamp, table.c.id, table.c.payload).where(
        _own_condition(installation, selection)).order_by(table.c.timestamp, table.c.id))


def _collected_condition(selection: XapiSelection):
    table = collected_statements
    condition = _common(table, selection)
    if selection.learner_keys is not None:
        condition = and_(condition, table.c.learner.in_(select(collected_learners.c.number).where(
            collected_learners.c.key.in_(list(selection.learner_keys)))))
    return condition


def _collected(conn, selection: XapiSelection) -> Iterator[tuple[str, str, str]]:
    table = collected_statements
    rows = conn.execute(select(table.c.timestamp, table.c.id, table.c.payload_file, table.c.line).where(
        _collected_condition(selection)).order_by(table.c.timestamp, table.c.id))
    for (timestamp, statement_id, _file, _line), payload in payload_stream(conn, rows):
        yield timestamp, statement_id, payload


def _common(table, selection: XapiSelection):
    condition = true()
    if selection.course_id is not None:
        condition = and_(condition, table.c.course_id == selection.course_id)
    if selection.since:
        condition = and_(condition, table.c.timestamp >= selection.since)
    if selection.until:
        condition = and_(condition, table.c.timestamp < selection.until)
    return condition


# -- reading

def read_xapi_statements(path: Path) -> XapiFile:
    """Read and check every statement in an xAPI JSON file; InvalidInput when it is not JSON at all."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_XAPI_BYTES else None
    except OSError as err:
        raise InvalidInput([Problem(name, 0, _("cannot be read ({error}).").format(error=err.strerror or err))]) \
            from err
    if raw is None:
        raise InvalidInput([Problem(name, 0, _("is larger than 1 GB; export fewer statements at a time."))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise InvalidInput([Problem(name, line, _("is not UTF-8 text."))]) from err
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidInput([Problem(name, err.lineno, _("is not valid JSON ({error}, column {column}).").format(
            error=err.msg, column=err.colno))]) from err
    if isinstance(whole, dict) and isinstance(whole.get("statements"), list) and "actor" not in whole:
        found = re.search(r'"statements"\s*:\s*\[', text)  # the StatementResult's list (see module doc)
        assert found is not None
        starts = _array_elements(text, found.end() - 1)
    elif isinstance(whole, list):
        starts = _array_elements(text, _skip(text, 0))
    elif isinstance(whole, dict):
        starts = [_skip(text, 0)]
    else:
        raise InvalidInput([Problem(name, 1, _("holds neither a statement nor a list of statements."))])
    result = XapiFile(path, hashlib.sha256(raw).hexdigest(), [], [])
    line, counted = 1, 0
    for start in starts:
        line += text.count("\n", counted, start)
        counted = start
        try:
            data, _end = STRICT_DECODER.raw_decode(text, start)
        except DuplicateKey as err:
            result.rejected.append(Problem(name, line, str(err)))
            continue
        problem = statement_problem(data)
        if problem:
            result.rejected.append(Problem(name, line, problem))
        else:
            result.statements.append((line, data))
    return result


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _array_elements(text: str, bracket: int) -> list[int]:
    """Where each element of the (valid) JSON array opening at `bracket` starts."""
    decoder = json.JSONDecoder()
    starts = []
    pos = _skip(text, bracket + 1)
    if text[pos] == "]":
        return starts
    while True:
        starts.append(pos)
        _value, end = decoder.raw_decode(text, pos)
        pos = _skip(text, end)
        if text[pos] == "]":
            return starts
        pos = _skip(text, pos + 1)  # the comma


# -- into collected progress

def prepare_xapi(read: XapiFile) -> tuple[Prepared, str, str]:
    """Rows for collected_statements and learners for collected_learners; (prepared, file id, sha256).
    The payloads are the statements as stored (canonical JSON, with the id and timestamp they were given),
    kept as compressed JSON lines: row n points at line n."""
    bundle_id = str(uuid.uuid5(NAMESPACE, "xapi-file:" + read.sha256))
    prepared = Prepared()
    stamp = iso(now())
    lines: list[str] = []
    for line, data in read.statements:
        learner = _learner(data)
        if learner is None:
            prepared.rejected.append(Rejection(line, _("the actor is an anonymous group; collected progress "
                                                       "belongs to one learner")))
            continue
        data = dict(data)
        data.setdefault("id", str(uuid.uuid5(NAMESPACE, canonical(data).decode("utf-8"))))
        data.setdefault("timestamp", data.get("stored") or stamp)
        prepared.learners.append(learner)
        lines.append(canonical(data).decode("utf-8"))
        prepared.rows.append((data["id"], learner.key, data["verb"]["id"], _object_id(data["object"]),
                              _course_id(data), str(_extensions(data).get(Ext.COURSE_VERSION, "")),
                              data["timestamp"], len(lines), *statement_facts(data)))
    prepared.payloads = jsonl_file(lines)
    return prepared, bundle_id, read.sha256


def _learner(data: dict[str, Any]) -> LearnerRow | None:
    actor = data["actor"]
    language = (data.get("context") or {}).get("language", "")
    account = actor.get("account") or {}
    if account.get("homePage", "").startswith(HOME_PAGE):  # one of this app's learners, back from an LRS
        installation, learner = account["homePage"][len(HOME_PAGE):], account["name"]
        return LearnerRow(learner_key(installation, learner), installation, learner, actor.get("name") or learner,
                          None, language, "")
    ifi = next((key for key in IFIS if key in actor), None)
    if ifi is None:
        return None
    value = actor[ifi]
    learner = str(uuid.uuid5(NAMESPACE, f"{ifi}:{canonical(value).decode('utf-8')}"))
    shown = {"mbox": lambda v: v.removeprefix("mailto:"), "account": lambda v: v["name"]}.get(ifi, str)(value)
    return LearnerRow(learner_key(XAPI_INSTALLATION, learner), XAPI_INSTALLATION, learner, actor.get("name") or shown,
                      None, language, "")


def _object_id(statement_object: dict[str, Any]) -> str:
    if "id" in statement_object:
        return statement_object["id"]
    ifi = next((key for key in IFIS if key in statement_object), None)
    return f"{ifi}:{canonical(statement_object[ifi]).decode('utf-8')}" if ifi else ""


def _extensions(data: dict[str, Any]) -> dict[str, Any]:
    return (data.get("context") or {}).get("extensions") or {}


def _course_id(data: dict[str, Any]) -> str:
    """This app's course id when the statement names one of our courses; "" for anything else."""
    grouping = ((data.get("context") or {}).get("contextActivities") or {}).get("grouping") or []
    for activity in grouping if isinstance(grouping, list) else [grouping]:
        if activity.get("id", "").startswith(COURSE_PREFIX):
            return activity["id"][len(COURSE_PREFIX):]
    return ""
