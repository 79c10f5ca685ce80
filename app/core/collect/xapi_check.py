"""Is this JSON an xAPI 1.0.3 statement? One plain-Python check (no schema library at run time), with
the path of the field at fault in every message, e.g. "'actor.account.homePage' is missing".

What it checks is what an LRS refuses (xAPI 1.0.3, Data part 2.4): actor, verb and object present;
an agent named in exactly one way (mbox, mbox_sha1sum, openid or account with homePage and name);
IRIs where IRIs go, UUIDs where UUIDs go, ISO 8601 times; a result's score within its bounds; no
property the specification does not define. Duplicate keys are caught while parsing
(`strict_json_loads`): `json.loads` silently keeps the last one, so a statement with two actors
would pass as the second actor's.
"""

from __future__ import annotations

import json
import re
from typing import Any

from app.core.i18n import _

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")  # absolute: a scheme, a colon, no spaces
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")  # RFC 5646's shape, not its registry
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing",
                     "likert", "numeric", "other"}
VERSION = re.compile(r"^1\.0(\.\d+)?$")
DURATION = re.compile(r"^P(?=.*\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")

STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                  "version", "attachments", "objectType"}
SUBSTATEMENT_KEYS = {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
AGENT_KEYS = {"objectType", "name", *IFIS}
GROUP_KEYS = AGENT_KEYS | {"member"}
ACTIVITY_KEYS = {"objectType", "id", "definition"}
DEFINITION_KEYS = {"name", "description", "type", "moreInfo", "interactionType", "correctResponsesPattern",
                   "choices", "scale", "source", "target", "steps", "extensions"}
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
SCORE_KEYS = {"scaled", "raw", "min", "max"}
CONTEXT_KEYS = {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
                "statement", "extensions"}
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        self.key = key
        super().__init__(_("the key '{key}' appears twice in one object (a JSON reader would silently keep only "
                           "the last one)").format(key=key))


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


STRICT_DECODER = json.JSONDecoder(object_pairs_hook=_refuse_duplicates)


def strict_json_loads(text: str) -> Any:
    """json.loads that raises DuplicateKey for an object with the same key twice."""
    return STRICT_DECODER.decode(text)


class _Invalid(Exception):
    pass


def statement_problem(data: Any) -> str | None:
    """None when `data` is a valid xAPI statement; otherwise the first thing wrong, said plainly."""
    try:
        _statement(data, "", substatement=False)
    except _Invalid as err:
        return str(err)
    return None


def agent_problem(data: Any, field: str = "actor") -> str | None:
    """None when `data` is a valid agent or group (e.g. an ADL agents_*.json file)."""
    try:
        _actor(data, field)
    except _Invalid as err:
        return str(err)
    return None


# -- the pieces; each raises _Invalid with the field's path

def _path(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _fail(message: str, field: str, value: Any = None, key: str | None = None) -> None:
    """Raise with the field's path; leaves pass (parent, key) so the path is only built on failure."""
    shown = json.dumps(value, ensure_ascii=False)
    raise _Invalid(message.format(field=field if key is None else _path(field, key),
                                  value=shown if len(shown) <= 80 else shown[:77] + "..."))


def _object(value: Any, field: str, allowed: set[str]) -> dict:
    if not isinstance(value, dict):
        _fail(_("'{field}' must be a JSON object, not {value}"), field, value)
    if not value.keys() <= allowed:  # one set operation; the loop only runs to name the culprit
        _fail(_("'{field}' is not a property xAPI defines here"), field,
              key=next(key for key in value if key not in allowed))
    return value


def _text(value: Any, field: str, key: str | None = None) -> None:
    if not isinstance(value, str):
        _fail(_("'{field}' must be text, not {value}"), field, value, key)


def _iri(value: Any, field: str, key: str | None = None) -> None:
    if not isinstance(value, str) or not IRI.match(value):
        _fail(_("'{field}' must be an IRI such as http://example.com/activities/1, not {value}"), field, value, key)


def _uuid(value: Any, field: str, key: str | None = None) -> None:
    if not isinstance(value, str) or not UUID.match(value):
        _fail(_("'{field}' must be a UUID such as 9e13cefd-53d3-4eac-b5ed-2cf6693903bb, not {value}"), field, value,
              key)


def _time(value: Any, field: str, key: str | None = None) -> None:
    if not isinstance(value, str) or not TIMESTAMP.match(value):
        _fail(_("'{field}' must be an ISO 8601 date and time such as 2024-05-01T09:30:00Z, not {value}"),
              field, value, key)


def _boolean(value: Any, field: str, key: str | None = None) -> None:
    if not isinstance(value, bool):
        _fail(_("'{field}' must be true or false, not {value}"), field, value, key)


def _number(value: Any, field: str, key: str | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _fail(_("'{field}' must be a number, not {value}"), field, value, key)
    return value


def _langmap(value: Any, field: str) -> None:
    if not isinstance(value, dict):
        _fail(_("'{field}' must be a JSON object of language tags and texts, not {value}"), field, value)
    for tag, text in value.items():
        if not LANGUAGE_TAG.match(tag):
            _fail(_("'{field}' must be a language tag such as en-US, not {value}"), field, tag, tag)
        _text(text, field, tag)


def _extensions(value: Any, field: str) -> None:
    if not isinstance(value, dict):
        _fail(_("'{field}' must be a JSON object, not {value}"), field, value)
    for key in value:
        _iri(key, field, key)


def _required(data: dict, key: str, field: str) -> Any:
    if key not in data:
        _fail(_("'{field}' is missing"), field, key=key)
    return data[key]


def _statement(data: Any, field: str, substatement: bool) -> None:
    if not isinstance(data, dict):
        _fail(_("a statement must be a JSON object, not {value}"), field or "statement", data)
    if "actor" not in data and "verb" not in data and "object" not in data:
        if any(key in data for key in IFIS) or data.get("objectType") in ("Agent", "Group"):
            _fail(_("this is an agent, not a statement: a statement needs an actor, a verb and an object"), field)
        if any(key in data for key in RESULT_KEYS):
            _fail(_("this is a result, not a statement: a statement needs an actor, a verb and an object"), field)
    for key in ("actor", "verb", "object"):
        if key not in data:
            _fail(_("'{field}' is missing: a statement needs an actor, a verb and an object"), field, key=key)
    _object(data, field, SUBSTATEMENT_KEYS if substatement else STATEMENT_KEYS)
    if not substatement and "objectType" in data:
        _fail(_("'{field}' is only allowed in a sub-statement"), _path(field, "objectType"))
    if "id" in data:
        _uuid(data["id"], field, "id")
    _actor(data["actor"], _path(field, "actor"))
    where = _path(field, "verb")
    verb = _object(data["verb"], where, {"id", "display"})
    _iri(_required(verb, "id", where), where, "id")
    if "display" in verb:
        _langmap(verb["display"], _path(where, "display"))
    _statement_object(data["object"], _path(field, "object"), substatement)
    if "result" in data:
        _result(data["result"], _path(field, "result"))
    if "context" in data:
        _context(data["context"], _path(field, "context"), data["object"])
    for key in ("timestamp", "stored"):
        if key in data:
            _time(data[key], field, key)
    if "authority" in data:
        _actor(data["authority"], _path(field, "authority"))
    if "version" in data:
        version = data["version"]
        if not isinstance(version, str) or not VERSION.match(version):
            _fail(_("'{field}' must be an xAPI 1.0 version such as 1.0.3, not {value}"), _path(field, "version"),
                  version)
    if "attachments" in data:
        attachments = data["attachments"]
        if not isinstance(attachments, list):
            _fail(_("'{field}' must be a list, not {value}"), _path(field, "attachments"), attachments)
        for n, attachment in enumerate(attachments):
            where = f"{_path(field, 'attachments')}[{n}]"
            _object(attachment, where, {"usageType", "display", "description", "contentType", "length", "sha2",
                                        "fileUrl"})
            for key in ("usageType", "display", "contentType", "length", "sha2"):
                _required(attachment, key, where)


def _actor(value: Any, field: str) -> None:
    if not isinstance(value, dict):
        _fail(_("'{field}' must be a JSON object, not {value}"), field, value)
    kind = value.get("objectType", "Agent")
    if kind == "Agent":
        _agent(value, field)
    elif kind == "Group":
        _group(value, field)
    else:
        _fail(_("'{field}' must be Agent or Group, not {value}"), _path(field, "objectType"), kind)


def _identifiers(value: dict, field: str, may_be_anonymous: bool) -> None:
    named = [key for key in IFIS if key in value]
    if len(named) > 1 or (not named and not may_be_anonymous):
        _fail(_("'{field}' must identify the agent in exactly one way (mbox, mbox_sha1sum, openid or account); "
                "it has {value}"), field, named)
    if "mbox" in value:
        mbox = value["mbox"]
        if not isinstance(mbox, str) or not mbox.startswith("mailto:"):
            _fail(_("'{field}' must be a mailto: address, not {value}"), _path(field, "mbox"), mbox)
    if "mbox_sha1sum" in value:
        digest = value["mbox_sha1sum"]
        if not isinstance(digest, str) or not re.match(r"^[0-9a-fA-F]{40}$", digest):
            _fail(_("'{field}' must be 40 hexadecimal digits, not {value}"), _path(field, "mbox_sha1sum"), digest)
    if "openid" in value:
        _iri(value["openid"], field, "openid")
    if "account" in value:
        where = _path(field, "account")
        account = _object(value["account"], where, {"homePage", "name"})
        _iri(_required(account, "homePage", where), where, "homePage")
        _text(_required(account, "name", where), where, "name")
    if "name" in value:
        _text(value["name"], field, "name")


def _agent(value: dict, field: str) -> None:
    _object(value, field, AGENT_KEYS)
    _identifiers(value, field, may_be_anonymous=False)


def _group(value: dict, field: str) -> None:
    _object(value, field, GROUP_KEYS)
    anonymous = not any(key in value for key in IFIS)
    if anonymous and "member" not in value:
        _fail(_("'{field}' is an anonymous group: it needs its 'member' list"), field)
    _identifiers(value, field, may_be_anonymous=True)
    if "member" in value:
        members = value["member"]
        if not isinstance(members, list) or (anonymous and not members):
            _fail(_("'{field}' must be a list of agents, not {value}"), _path(field, "member"), members)
        for n, member in enumerate(members):
            where = f"{_path(field, 'member')}[{n}]"
            if not isinstance(member, dict) or member.get("objectType", "Agent") != "Agent":
                _fail(_("'{field}' must be an agent, not {value}"), where, member)
            _agent(member, where)


def _statement_object(value: Any, field: str, inside_substatement: bool) -> None:
    if not isinstance(value, dict):
        _fail(_("'{field}' must be a JSON object, not {value}"), field, value)
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        _activity(value, field)
    elif kind in ("Agent", "Group"):
        _actor(value, field)
    elif kind == "StatementRef":
        _object(value, field, {"objectType", "id"})
        _uuid(_required(value, "id", field), field, "id")
    elif kind == "SubStatement" and not inside_substatement:
        _statement(value, field, substatement=True)
    elif kind == "SubStatement":
        _fail(_("'{field}' is a sub-statement inside a sub-statement, which xAPI does not allow"), field)
    else:
        _fail(_("'{field}' must be Activity, Agent, Group, StatementRef or SubStatement, not {value}"),
              _path(field, "objectType"), kind)


def _activity(value: dict, field: str) -> None:
    _object(value, field, ACTIVITY_KEYS)
    _iri(_required(value, "id", field), field, "id")
    if "definition" not in value:
        return
    where = _path(field, "definition")
    definition = _object(value["definition"], where, DEFINITION_KEYS)
    for key in ("name", "description"):
        if key in definition:
            _langmap(definition[key], _path(where, key))
    for key in ("type", "moreInfo"):
        if key in definition:
            _iri(definition[key], where, key)
    if "interactionType" in definition:
        kind = definition["interactionType"]
        if not isinstance(kind, str) or kind not in INTERACTION_TYPES:
            _fail(_("'{field}' must be an xAPI interaction type such as choice, fill-in or numeric, not {value}"),
                  where, kind, "interactionType")
    if "correctResponsesPattern" in definition:
        pattern = definition["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern):
            _fail(_("'{field}' must be a list of texts, not {value}"), _path(where, "correctResponsesPattern"),
                  pattern)
    for key in ("choices", "scale", "source", "target", "steps"):
        if key in definition:
            components = definition[key]
            if not isinstance(components, list):
                _fail(_("'{field}' must be a list, not {value}"), _path(where, key), components)
            for n, component in enumerate(components):
                part = f"{_path(where, key)}[{n}]"
                _object(component, part, {"id", "description"})
                _text(_required(component, "id", part), part, "id")
    if "extensions" in definition:
        _extensions(definition["extensions"], _path(where, "extensions"))


def _result(value: Any, field: str) -> None:
    result = _object(value, field, RESULT_KEYS)
    if "score" in result:
        where = _path(field, "score")
        score = _object(result["score"], where, SCORE_KEYS)
        numbers = {key: _number(score[key], where, key) for key in SCORE_KEYS if key in score}
        if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
            _fail(_("'{field}' must be from -1 to 1, not {value}"), _path(where, "scaled"), numbers["scaled"])
        low, high = numbers.get("min"), numbers.get("max")
        if low is not None and high is not None and low > high:
            _fail(_("'{field}' is above 'max'"), _path(where, "min"))
        raw = numbers.get("raw")
        if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
            _fail(_("'{field}' must lie between 'min' and 'max', not {value}"), _path(where, "raw"), raw)
    for key in ("success", "completion"):
        if key in result:
            _boolean(result[key], field, key)
    if "response" in result:
        _text(result["response"], field, "response")
    if "duration" in result:
        duration = result["duration"]
        if not isinstance(duration, str) or not DURATION.match(duration):
            _fail(_("'{field}' must be an ISO 8601 duration such as PT1H30M, not {value}"), _path(field, "duration"),
                  duration)
    if "extensions" in result:
        _extensions(result["extensions"], _path(field, "extensions"))


def _context(value: Any, field: str, statement_object: Any) -> None:
    context = _object(value, field, CONTEXT_KEYS)
    if "registration" in context:
        _uuid(context["registration"], field, "registration")
    if "instructor" in context:
        _actor(context["instructor"], _path(field, "instructor"))
    if "team" in context:
        team = context["team"]
        if not isinstance(team, dict) or team.get("objectType") != "Group":
            _fail(_("'{field}' must be a group, not {value}"), _path(field, "team"), team)
        _group(team, _path(field, "team"))
    if "contextActivities" in context:
        where = _path(field, "contextActivities")
        activities = _object(context["contextActivities"], where, CONTEXT_ACTIVITY_KEYS)
        for key, listed in activities.items():
            for n, activity in enumerate(listed if isinstance(listed, list) else [listed]):
                part = f"{_path(where, key)}[{n}]" if isinstance(listed, list) else _path(where, key)
                if not isinstance(activity, dict) or activity.get("objectType", "Activity") != "Activity":
                    _fail(_("'{field}' must be an activity, not {value}"), part, activity)
                _activity(activity, part)
    for key in ("revision", "platform", "language"):
        if key in context:
            _text(context[key], field, key)
    # xAPI: revision and platform only make sense when the object is an activity.
    kind = statement_object.get("objectType", "Activity") if isinstance(statement_object, dict) else None
    for key in ("revision", "platform"):
        if key in context and kind != "Activity":
            _fail(_("'{field}' is only allowed when the object is an activity"), _path(field, key))
    if "statement" in context:
        reference = _object(context["statement"], _path(field, "statement"), {"objectType", "id"})
        if reference.get("objectType") != "StatementRef":
            _fail(_("'{field}' must be StatementRef, not {value}"), _path(field, "statement.objectType"),
                  reference.get("objectType"))
        _uuid(_required(reference, "id", _path(field, "statement")), field, "statement.id")
    if "extensions" in context:
        _extensions(context["extensions"], _path(field, "extensions"))
