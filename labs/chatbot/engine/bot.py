"""The bot a learner builds: intents (example utterances, answers, links), a fallback answer, a
hand-off to a person, out-of-scope examples and the confidence threshold; and its one-file format.

A bot travels as ONE UTF-8 JSON file, `NAME.bot.json`:

    {"format": "civic-ai-academy/bot", "version": 1, "name": "...", "language": "en", "threshold": 0.45,
     "fallback": "...", "handoff": {"message": "...", "contact": "..."},
     "intents": [{"id": "passport_new", "title": "...", "examples": [...], "answers": [...],
                  "links": [{"kind": "lesson" | "form", "title": "...", "target": "..."}]}],
     "out_of_scope": [...]}

`load_bot(path)` refuses a malformed file with ONE exception (BotFileError) whose text names the
file and where the problem is: the line and column of a JSON syntax error, or the JSON path of a
wrong value ("gov24.bot.json, intents[3].answers: an intent needs at least one answer"). Nothing is
half-loaded. `save_bot` writes atomically (app.core.atomic). No Qt here.

While the learner edits, a bot may be incomplete (an intent with no answer yet): `bot_problems`
lists what a file would refuse, and `trainable_problems` what training needs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.core.atomic import write_text
from app.core.i18n import _, ngettext

FORMAT = "civic-ai-academy/bot"
VERSION = 1
SUFFIX = ".bot.json"
MAX_FILE_BYTES = 5 * 1024 * 1024
OUT_OF_SCOPE_ID = "oos"  # the classifier's out-of-scope label: never an intent id
INTENT_ID = re.compile(r"^[a-z0-9_]+$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")
LESSON_TARGET = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}/[a-z0-9][a-z0-9-]{0,63}$")  # course_id/item_id
LESSON, FORM = "lesson", "form"
LINK_KINDS = (LESSON, FORM)
MIN_TRAINABLE_INTENTS = 2

_BOT_KEYS = ("format", "version", "name", "language", "threshold", "fallback", "handoff", "intents", "out_of_scope")
_INTENT_KEYS = ("id", "title", "examples", "answers", "links")
_LINK_KEYS = ("kind", "title", "target")
_HANDOFF_KEYS = ("message", "contact")


@dataclass(frozen=True)
class Link:
    kind: str  # LESSON ("course_id/item_id") or FORM (a free reference such as "Form 1")
    title: str
    target: str


@dataclass(frozen=True)
class Intent:
    id: str
    title: str
    examples: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()  # variants: the test chat gives them in turn
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Handoff:
    message: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Bot:
    name: str
    language: str
    fallback: str = ""
    handoff: Handoff = field(default_factory=Handoff)
    intents: tuple[Intent, ...] = ()
    out_of_scope: tuple[str, ...] = ()
    threshold: float | None = None  # None: use the one the trained model suggests

    def intent(self, intent_id: str) -> Intent | None:
        for intent in self.intents:
            if intent.id == intent_id:
                return intent
        return None

    @property
    def intent_ids(self) -> tuple[str, ...]:
        return tuple(intent.id for intent in self.intents)

    def with_intent(self, intent: Intent) -> Bot:
        """The bot with `intent` replacing the intent of the same id (or added at the end)."""
        if self.intent(intent.id) is None:
            return replace(self, intents=self.intents + (intent,))
        return replace(self, intents=tuple(intent if i.id == intent.id else i for i in self.intents))

    def training_pairs(self) -> tuple[list[str], list[str]]:
        """(texts, labels) to train on: every example of every intent, and the out-of-scope examples
        labelled OUT_OF_SCOPE_ID. Intents without examples are left out (they cannot be learned)."""
        texts: list[str] = []
        labels: list[str] = []
        for intent in self.intents:
            texts += intent.examples
            labels += [intent.id] * len(intent.examples)
        texts += self.out_of_scope
        labels += [OUT_OF_SCOPE_ID] * len(self.out_of_scope)
        return texts, labels

    def training_fingerprint(self) -> str:
        """Changes exactly when what the model learns from changes (examples, ids, out-of-scope)."""
        texts, labels = self.training_pairs()
        return _digest(json.dumps([texts, labels], ensure_ascii=False))

    def fingerprint(self) -> str:
        """Changes with any change to the bot (to know whether an exported file is up to date)."""
        return _digest(json.dumps(bot_to_dict(self), ensure_ascii=False, sort_keys=True))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def empty_bot(language: str = "en") -> Bot:
    """A new bot with no intents, and a fallback and hand-off the learner is expected to rewrite."""
    return Bot(name=_("My consultation bot"), language=language,
               fallback=_("Sorry, I can only answer questions about our services. Please ask another way."),
               handoff=Handoff(_("I am not sure I understood. I will pass your question to an officer."), ""))


# --- text lists as the learner types them ------------------------------------------------------------

def clean_lines(lines: Iterable[str]) -> tuple[str, ...]:
    """Lines stripped, empty ones dropped, exact repeats dropped (first kept), order kept."""
    seen: set[str] = set()
    kept = []
    for line in lines:
        text = " ".join(str(line).split())
        if text and text not in seen:
            seen.add(text)
            kept.append(text)
    return tuple(kept)


def suggest_intent_id(title: str, taken: Iterable[str]) -> str:
    """An id for a new intent: the title's ASCII letters and digits ("Renew a passport" ->
    "renew_a_passport"); "intent_N" when the title has none (Korean, Arabic, Khmer titles)."""
    taken = set(taken) | {OUT_OF_SCOPE_ID}
    base = re.sub(r"[^a-z0-9]+", "_", title.casefold()).strip("_")[:40].strip("_")
    if not base or base == OUT_OF_SCOPE_ID:
        number = 1
        while f"intent_{number}" in taken:
            number += 1
        return f"intent_{number}"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}_{number}"
        number += 1
    return candidate


def intent_id_problem(intent_id: str, others: Iterable[str]) -> str | None:
    """Why `intent_id` cannot be used beside `others`, or None."""
    if not INTENT_ID.match(intent_id):
        return _("an intent id uses only small letters a-z, digits and _ (for example passport_renew); "
                 "\"{id}\" does not").format(id=intent_id)
    if intent_id == OUT_OF_SCOPE_ID:
        return _("\"oos\" is kept for out-of-scope questions; choose another id")
    if intent_id in set(others):
        return _("another intent already has the id \"{id}\"").format(id=intent_id)
    return None


def link_target_problem(kind: str, target: str) -> str | None:
    if kind not in LINK_KINDS:
        return _("a link's kind is \"lesson\" or \"form\", not \"{kind}\"").format(kind=kind)
    if not target.strip():
        return _("a link needs a target")
    if kind == LESSON and not LESSON_TARGET.match(target.strip()):
        return _("a lesson link's target is course_id/item_id, for example automation-and-chatbots/chatbot-design; "
                 "\"{target}\" is not").format(target=target)
    return None


# --- checking a bot ---------------------------------------------------------------------------------

def bot_problems(bot: Bot) -> list[tuple[str, str]]:
    """What a bot file would be refused for, as (JSON path, message) pairs; [] when it can be saved."""
    problems: list[tuple[str, str]] = []
    if not bot.name.strip():
        problems.append(("name", _("the bot needs a name")))
    if not LANGUAGE_CODE.match(bot.language):
        problems.append(("language", _("the language is a code such as en, ko or ar, not \"{code}\"").format(
            code=bot.language)))
    if bot.threshold is not None and not 0 <= bot.threshold <= 1:
        problems.append(("threshold", _("the threshold is a number from 0 to 1")))
    if not bot.fallback.strip():
        problems.append(("fallback", _("the bot needs a fallback answer for questions it cannot answer")))
    if not bot.handoff.message.strip():
        problems.append(("handoff.message", _("the bot needs a message for when it hands a question to a person")))
    seen: list[str] = []
    for index, intent in enumerate(bot.intents):
        where = f"intents[{index}]"
        problem = intent_id_problem(intent.id, seen)
        if problem:
            problems.append((f"{where}.id", problem))
        seen.append(intent.id)
        if not intent.title.strip():
            problems.append((f"{where}.title", _("an intent needs a title")))
        if not intent.examples:
            problems.append((f"{where}.examples", _("an intent needs at least one example of what people ask")))
        if not intent.answers:
            problems.append((f"{where}.answers", _("an intent needs at least one answer")))
        for number, link in enumerate(intent.links):
            problem = link_target_problem(link.kind, link.target)
            if problem:
                problems.append((f"{where}.links[{number}]", problem))
            elif not link.title.strip():
                problems.append((f"{where}.links[{number}].title", _("a link needs a title")))
    return problems


def trainable_problems(bot: Bot) -> list[str]:
    """Why the bot cannot be trained yet (translated), or []."""
    with_examples = [intent for intent in bot.intents if intent.examples]
    if len(with_examples) < MIN_TRAINABLE_INTENTS:
        return [ngettext("The bot needs at least two intents with examples to learn from; it has {count}.",
                         "The bot needs at least two intents with examples to learn from; it has {count}.",
                         len(with_examples)).format(count=len(with_examples))]
    return []


# --- the file ----------------------------------------------------------------------------------------

class BotFileError(ValueError):
    """A bot file that cannot be read; str() is the translated message naming the file and the place."""


def bot_to_dict(bot: Bot) -> dict[str, Any]:
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "name": bot.name, "language": bot.language}
    if bot.threshold is not None:
        data["threshold"] = round(float(bot.threshold), 4)
    data["fallback"] = bot.fallback
    data["handoff"] = {"message": bot.handoff.message, "contact": bot.handoff.contact}
    intents = []
    for intent in bot.intents:
        entry: dict[str, Any] = {"id": intent.id, "title": intent.title, "examples": list(intent.examples),
                                 "answers": list(intent.answers)}
        if intent.links:
            entry["links"] = [{"kind": link.kind, "title": link.title, "target": link.target}
                              for link in intent.links]
        intents.append(entry)
    data["intents"] = intents
    data["out_of_scope"] = list(bot.out_of_scope)
    return data


def bot_json(bot: Bot) -> str:
    return json.dumps(bot_to_dict(bot), ensure_ascii=False, indent=2) + "\n"


def save_bot(bot: Bot, path: str | os.PathLike) -> Path:
    """Write the bot as one .bot.json file, atomically. BotFileError if the bot is not complete yet
    (the file would be refused when imported); OSError if the folder cannot be written."""
    path = Path(path)
    problems = bot_problems(bot)
    if problems:
        raise BotFileError(_format_problems(path.name, problems))
    write_text(path, bot_json(bot))
    return path


def load_bot(path: str | os.PathLike) -> Bot:
    """Read a .bot.json file; BotFileError (with file, line/column or JSON path) if it is malformed."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as error:
        raise BotFileError(_("{file}: the file cannot be read ({reason}).").format(
            file=name, reason=error.strerror or error)) from None
    if size > MAX_FILE_BYTES:
        raise BotFileError(_("{file}: the file is {size} MB; a bot file is at most {limit} MB.").format(
            file=name, size=f"{size / 1024 / 1024:.1f}", limit=MAX_FILE_BYTES // (1024 * 1024)))
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BotFileError(_("{file}: the file cannot be read ({reason}).").format(
            file=name, reason=error.strerror or error)) from None
    return parse_bot(raw, name)


def parse_bot(raw: bytes | str, name: str = "bot.json") -> Bot:
    """A bot from the text of a bot file; `name` is the file name the messages use."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise BotFileError(_("{file}: the file is {size} MB; a bot file is at most {limit} MB.").format(
                file=name, size=f"{len(raw) / 1024 / 1024:.1f}", limit=MAX_FILE_BYTES // (1024 * 1024)))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[:error.start].count(b"\n") + 1
            raise BotFileError(_("{file}, line {line}: the file is not UTF-8 text. Save it again as UTF-8.").format(
                file=name, line=line)) from None
    else:
        text = raw.removeprefix("\ufeff")
    if not text.strip():
        raise BotFileError(_("{file}: the file is empty.").format(file=name))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BotFileError(_("{file}, line {line}, column {column}: this is not valid JSON ({reason}).").format(
            file=name, line=error.lineno, column=error.colno, reason=error.msg)) from None
    except RecursionError:
        raise BotFileError(_("{file}: the JSON is nested too deeply.").format(file=name)) from None
    return bot_from_dict(data, name)


def _format_problems(name: str, problems: list[tuple[str, str]], limit: int = 8) -> str:
    lines = [_("{file}, {path}: {problem}").format(file=name, path=path, problem=problem)
             for path, problem in problems[:limit]]
    if len(problems) > limit:
        more = len(problems) - limit
        lines.append(ngettext("… and {count} more problem.", "… and {count} more problems.", more).format(
            count=more))
    return "\n".join(lines)


class _Reader:
    """Reads the parsed JSON, collecting (path, message) for every wrong value instead of stopping at
    the first, so the learner fixes the file in one go."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def object(self, value: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(path, _("expected an object {{...}}, found {found}").format(found=_json_kind(value)))
            return None
        for key in value:
            if key not in keys:
                self.problem(f"{path}.{key}" if path else key, _("unknown field \"{key}\" (the fields are: {keys})")
                             .format(key=key, keys=", ".join(keys)))
        return value

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = True) -> str:
        where = f"{path}.{key}" if path else key
        if key not in data:
            if required:
                self.problem(where, _("this field is missing"))
            return ""
        value = data[key]
        if not isinstance(value, str):
            self.problem(where, _("expected text in quotes, found {found}").format(found=_json_kind(value)))
            return ""
        return value.strip()

    def texts(self, data: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        where = f"{path}.{key}" if path else key
        value = data.get(key, [])
        if not isinstance(value, list):
            self.problem(where, _("expected a list [...] of texts, found {found}").format(found=_json_kind(value)))
            return ()
        kept = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.problem(f"{where}[{index}]", _("expected text in quotes, found {found}").format(
                    found=_json_kind(item)))
            elif not item.strip():
                self.problem(f"{where}[{index}]", _("this text is empty"))
            else:
                kept.append(" ".join(item.split()))
        return tuple(kept)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    return _("an object")


def bot_from_dict(data: Any, name: str = "bot.json", *, strict: bool = True) -> Bot:
    """A bot from parsed JSON; BotFileError listing every problem by JSON path. `strict=False` reads a
    bot still being edited (an intent with no answer yet), refusing only values of the wrong type."""
    reader = _Reader()
    top = reader.object(data, "", _BOT_KEYS)
    if top is None:
        raise BotFileError(_("{file}: a bot file is one JSON object {{\"format\": \"{format}\", ...}}.").format(
            file=name, format=FORMAT))
    if top.get("format") != FORMAT:
        raise BotFileError(_("{file}, format: this is not a bot file (expected \"format\": \"{format}\").").format(
            file=name, format=FORMAT))
    version = top.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        reader.problem("version", _("expected a whole number such as 1"))
    elif version > VERSION:
        raise BotFileError(_("{file}, version: the file was made by a newer version of the app (bot file version "
                             "{version}; this app reads version {supported}).").format(
            file=name, version=version, supported=VERSION))
    bot_name = reader.text(top, "name", "")
    language = reader.text(top, "language", "")
    threshold = top.get("threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))):
        reader.problem("threshold", _("expected a number from 0 to 1, found {found}").format(
            found=_json_kind(threshold)))
        threshold = None
    fallback = reader.text(top, "fallback", "", required=strict)
    handoff = Handoff()
    handoff_data = reader.object(top.get("handoff"), "handoff", _HANDOFF_KEYS) if "handoff" in top else None
    if "handoff" not in top and strict:
        reader.problem("handoff", _("this field is missing"))
    if handoff_data is not None:
        handoff = Handoff(reader.text(handoff_data, "message", "handoff"),
                          reader.text(handoff_data, "contact", "handoff", required=False))
    intents = []
    raw_intents = top.get("intents")
    if not isinstance(raw_intents, list):
        reader.problem("intents", _("expected a list [...] of intents, found {found}").format(
            found=_json_kind(raw_intents)) if "intents" in top else _("this field is missing"))
        raw_intents = []
    for index, raw in enumerate(raw_intents):
        where = f"intents[{index}]"
        entry = reader.object(raw, where, _INTENT_KEYS)
        if entry is None:
            continue
        links = []
        raw_links = entry.get("links", [])
        if not isinstance(raw_links, list):
            reader.problem(f"{where}.links", _("expected a list [...] of links, found {found}").format(
                found=_json_kind(raw_links)))
            raw_links = []
        for number, raw_link in enumerate(raw_links):
            link_data = reader.object(raw_link, f"{where}.links[{number}]", _LINK_KEYS)
            if link_data is not None:
                links.append(Link(reader.text(link_data, "kind", f"{where}.links[{number}]"),
                                  reader.text(link_data, "title", f"{where}.links[{number}]"),
                                  reader.text(link_data, "target", f"{where}.links[{number}]")))
        intents.append(Intent(reader.text(entry, "id", where), reader.text(entry, "title", where),
                              reader.texts(entry, "examples", where), reader.texts(entry, "answers", where),
                              tuple(links)))
    out_of_scope = reader.texts(top, "out_of_scope", "")
    bot = Bot(bot_name, language, fallback, handoff, tuple(intents), out_of_scope,
              None if threshold is None else float(threshold))
    problems = list(reader.problems)
    if not strict:
        if problems:
            raise BotFileError(_format_problems(name, problems))
        return bot
    # The rules a complete bot follows, on the values that were readable (no repeat of a missing field).
    reported = {path for path, _message in problems}
    for path, message in bot_problems(bot):
        if not any(path == seen or path.startswith(seen + ".") or seen.startswith(path + ".") for seen in reported):
            problems.append((path, message))
    if problems:
        raise BotFileError(_format_problems(name, problems))
    return bot
