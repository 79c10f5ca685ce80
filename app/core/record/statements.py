"""Statements in the xAPI 1.0.3 shape: who did what to which activity, with what result, when."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from dataclasses import dataclass
from typing import Any

XAPI_VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
EXT = "https://civic-ai-academy.invalid/xapi/extensions/"  # .invalid: an IRI that never resolves


class Verb:
    LAUNCHED = ADL + "launched"  # opened a course
    EXPERIENCED = ADL + "experienced"  # opened a lesson
    COMPLETED = ADL + "completed"  # finished a lesson or the whole course
    ATTEMPTED = ADL + "attempted"  # started a quiz attempt
    ANSWERED = ADL + "answered"  # answered one question
    PASSED = ADL + "passed"  # finished a quiz attempt at or above the pass mark
    FAILED = ADL + "failed"  # finished a quiz attempt below it
    SUSPENDED = ADL + "suspended"  # left an item part-way; result holds where
    INITIALIZED = ADL + "initialized"  # opened a lab (its tasks' checks are passed/failed on the task)


class Ext:
    COURSE_VERSION = EXT + "course-version"
    ITEM = EXT + "item"
    POSITION = EXT + "position"  # 0..1 through a lesson, or the question index in a quiz
    ATTEMPT = EXT + "attempt-number"


def course_iri(course_id: str) -> str:
    return f"urn:civic-ai-academy:course:{course_id}"


def item_iri(course_id: str, item_id: str) -> str:
    return f"{course_iri(course_id)}:item:{item_id}"


def task_iri(course_id: str, item_id: str, task_id: str) -> str:
    return f"{item_iri(course_id, item_id)}:task:{task_id}"


def question_iri(course_id: str, item_id: str, question_id: str) -> str:
    return f"{item_iri(course_id, item_id)}:question:{question_id}"


_clock_lock = threading.Lock()
_last_time = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def now() -> dt.datetime:
    """UTC now, strictly increasing within the process, so statement order is never ambiguous."""
    global _last_time
    with _clock_lock:
        current = dt.datetime.now(dt.timezone.utc)
        if current <= _last_time:
            current = _last_time + dt.timedelta(microseconds=1)
        _last_time = current
        return current


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Statement:
    """An immutable statement; `data` is the full xAPI JSON object."""

    data: dict[str, Any]

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def verb(self) -> str:
        return self.data["verb"]["id"]

    @property
    def object_id(self) -> str:
        return self.data["object"]["id"]

    @property
    def timestamp(self) -> str:
        return self.data["timestamp"]

    @property
    def result(self) -> dict[str, Any]:
        return self.data.get("result", {})

    @property
    def context(self) -> dict[str, Any]:
        return self.data.get("context", {})

    @property
    def registration(self) -> str | None:
        return self.context.get("registration")

    def extension(self, key: str, default: Any = None) -> Any:
        return (self.context.get("extensions") or {}).get(key, default)

    def result_extension(self, key: str, default: Any = None) -> Any:
        return (self.result.get("extensions") or {}).get(key, default)

    @property
    def course_id(self) -> str:
        return self.context["contextActivities"]["grouping"][0]["id"].rsplit(":", 1)[-1]

    @property
    def item_id(self) -> str | None:
        return self.extension(Ext.ITEM)

    def to_json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @staticmethod
    def from_json(text: str) -> "Statement":
        return Statement(json.loads(text))


def actor(learner_id: str, name: str, installation_id: str) -> dict[str, Any]:
    return {"objectType": "Agent", "name": name,
            "account": {"homePage": f"https://civic-ai-academy.invalid/installations/{installation_id}",
                        "name": learner_id}}


def make_statement(*, actor_: dict, verb: str, object_id: str, object_name: str, course_id: str,
                   course_version: str, item_id: str | None, language: str, result: dict | None = None,
                   registration: str | None = None, parent: str | None = None,
                   activity_type: str = "http://adlnet.gov/expapi/activities/lesson",
                   interaction: str | None = None) -> Statement:
    definition: dict[str, Any] = {"name": {language: object_name}, "type": activity_type}
    if interaction:
        definition["interactionType"] = interaction
    extensions: dict[str, Any] = {Ext.COURSE_VERSION: course_version}
    if item_id:
        extensions[Ext.ITEM] = item_id
    context: dict[str, Any] = {"language": language, "extensions": extensions,
                               "contextActivities": {"grouping": [{"id": course_iri(course_id)}]}}
    if parent:
        context["contextActivities"]["parent"] = [{"id": parent}]
    if registration:
        context["registration"] = registration
    data: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": actor_,
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": object_id, "definition": definition},
        "context": context,
        "timestamp": iso(now()),
        "version": XAPI_VERSION,
    }
    if result:
        data["result"] = result
    return Statement(data)
