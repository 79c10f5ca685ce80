"""Edits to a CourseDocument. Each is applied once through `document.apply`, which snapshots the
state before and after, so undo and redo are exact whatever the edit did (files included).

The screen wraps each in a QUndoCommand; `merge_key` lets consecutive keystrokes in one lesson or
quiz become one undo step.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from app.core.authoring.document import CourseDocument, check_id, unique_id
from app.core.banks.quiz_file import quiz_yaml
from app.core.banks.to_quiz import slug
from app.core.course.source import MANIFEST, MAX_FILE_BYTES
from app.core.i18n import N_, _
from app.core.problems import InvalidInput, Problem

METADATA_FIELDS = ("id", "title", "summary", "licence", "authors", "version", "estimated_minutes",
                   "source_language", "translations")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif")


def _refuse(file: str, message: str) -> InvalidInput:
    return InvalidInput([Problem(file, 0, message)])


class Command:
    label = N_("Edit")
    merge_key: tuple | None = None  # equal keys on consecutive commands: merged into one undo step
    before: Any = None
    after: Any = None

    @property
    def text(self) -> str:
        return _(self.label)

    def apply(self, doc: CourseDocument) -> None:
        raise NotImplementedError


class SetMetadata(Command):
    label = N_("Change course details")

    def __init__(self, field: str, value: Any):
        if field not in METADATA_FIELDS:
            raise ValueError(field)
        self.field, self.value = field, value
        self.merge_key = ("metadata", field)

    def apply(self, doc: CourseDocument) -> None:
        if self.value in (None, "", []) and self.field not in ("title", "id", "version"):
            doc.manifest.pop(self.field, None)
        else:
            doc.manifest[self.field] = self.value


class SetTitle(Command):
    """Rename a module or an item."""

    label = N_("Rename")

    def __init__(self, node_id: str, title: str):
        self.node_id, self.title = node_id, title
        self.merge_key = ("title", node_id)

    def apply(self, doc: CourseDocument) -> None:
        try:
            doc.module(self.node_id)["title"] = self.title
        except KeyError:
            doc.item(self.node_id)["title"] = self.title


class SetMinutes(Command):
    label = N_("Change minutes")

    def __init__(self, item_id: str, minutes: int):
        self.item_id, self.minutes = item_id, int(minutes)

    def apply(self, doc: CourseDocument) -> None:
        item = doc.item(self.item_id)
        if self.minutes:
            item["minutes"] = self.minutes
        else:
            item.pop("minutes", None)


class AddModule(Command):
    label = N_("Add a module")

    def __init__(self, title: str, index: int | None = None):
        self.title, self.index = title, index
        self.module_id = ""

    def apply(self, doc: CourseDocument) -> None:
        self.module_id = unique_id(slug(self.title) or "module", doc.used_ids())
        module = {"id": self.module_id, "title": self.title, "items": []}
        doc.modules.insert(len(doc.modules) if self.index is None else self.index, module)


class RemoveModule(Command):
    label = N_("Remove a module")

    def __init__(self, module_id: str):
        self.module_id = module_id

    def apply(self, doc: CourseDocument) -> None:
        module = doc.module(self.module_id)
        for item in list(module.get("items") or []):
            RemoveItem(item["id"]).apply(doc)
        doc.modules.remove(module)


class MoveModule(Command):
    label = N_("Move a module")

    def __init__(self, module_id: str, index: int):
        self.module_id, self.index = module_id, index

    def apply(self, doc: CourseDocument) -> None:
        module = doc.module(self.module_id)
        doc.modules.remove(module)
        doc.modules.insert(max(0, min(self.index, len(doc.modules))), module)


class AddItem(Command):
    """A new lesson (with its Markdown file), quiz (with one starter question) or lab in a module."""

    label = N_("Add an item")

    def __init__(self, module_id: str, kind: str, title: str, lab: str = "", index: int | None = None):
        if kind not in ("lesson", "quiz", "lab"):
            raise ValueError(kind)
        self.module_id, self.kind, self.title, self.lab, self.index = module_id, kind, title, lab, index
        self.item_id = ""

    def apply(self, doc: CourseDocument) -> None:
        module = doc.module(self.module_id)
        self.item_id = unique_id(slug(self.title) or self.kind, doc.used_ids())
        if self.kind == "lesson":
            target = _free_path(doc, "lessons", self.item_id, ".md")
            doc.files[target] = f"# {self.title}\n\n".encode()
        elif self.kind == "quiz":
            from app.core.authoring.questions import template

            target = _free_path(doc, "quizzes", self.item_id, ".quiz.yaml")
            doc.files[target] = quiz_yaml([template("single", "q1")]).encode()
        else:
            target = self.lab
        item = {self.kind: target, "id": self.item_id, "title": self.title}
        items = module.setdefault("items", [])
        items.insert(len(items) if self.index is None else self.index, item)


def _free_path(doc: CourseDocument, folder: str, stem: str, suffix: str) -> str:
    path, n = f"{folder}/{stem}{suffix}", 2
    while path in doc.files:
        path, n = f"{folder}/{stem}-{n}{suffix}", n + 1
    return path


class RemoveItem(Command):
    """Remove an item, and its lesson or quiz file when no other item uses it."""

    label = N_("Remove an item")

    def __init__(self, item_id: str):
        self.item_id = item_id

    def apply(self, doc: CourseDocument) -> None:
        item = doc.item(self.item_id)
        doc.module_of(self.item_id)["items"].remove(item)
        kind = doc.kind(item)
        if kind in ("lesson", "quiz") and not any(other.get(kind) == item[kind] for other in doc.all_items()):
            doc.files.pop(item[kind], None)


class MoveItem(Command):
    label = N_("Move an item")

    def __init__(self, item_id: str, module_id: str, index: int):
        self.item_id, self.module_id, self.index = item_id, module_id, index

    def apply(self, doc: CourseDocument) -> None:
        item = doc.item(self.item_id)
        doc.module_of(self.item_id)["items"].remove(item)
        items = doc.module(self.module_id).setdefault("items", [])
        items.insert(max(0, min(self.index, len(items))), item)


class SetItemId(Command):
    label = N_("Change an id")

    def __init__(self, old: str, new: str):
        self.old, self.new = old, new

    def apply(self, doc: CourseDocument) -> None:
        check_id(self.new)
        if self.new != self.old and self.new in doc.used_ids():
            raise _refuse(MANIFEST, _("The id '{id}' is already used; module and item ids must be unique in a "
                                      "course.").format(id=self.new))
        try:
            doc.module(self.old)["id"] = self.new
        except KeyError:
            doc.item(self.old)["id"] = self.new


class EditLesson(Command):
    label = N_("Edit the lesson")

    def __init__(self, item_id: str, markdown: str):
        self.item_id, self.markdown = item_id, markdown
        self.merge_key = ("lesson", item_id)

    def apply(self, doc: CourseDocument) -> None:
        doc.files[doc.item(self.item_id)["lesson"]] = self.markdown.encode("utf-8")


class AddImage(Command):
    """Copy an image from disk into images/ under a safe, unused name; `reference` is the Markdown path
    from a lesson (../images/name.png)."""

    label = N_("Add an image")

    def __init__(self, source: Path):
        self.source = Path(source)
        self.path = self.reference = ""

    def apply(self, doc: CourseDocument) -> None:
        suffix = self.source.suffix.lower()
        if suffix not in IMAGE_SUFFIXES:
            raise _refuse(self.source.name, _("A lesson image must be PNG, JPEG, SVG or GIF; this file is '{suffix}'.")
                          .format(suffix=suffix or "?"))
        try:
            size = self.source.stat().st_size
            if size > MAX_FILE_BYTES:
                raise _refuse(self.source.name, _("The file is larger than {mb} MB.").format(mb=MAX_FILE_BYTES >> 20))
            data = self.source.read_bytes()
        except OSError as err:
            raise _refuse(self.source.name, _("The file cannot be read: {error}").format(
                error=err.strerror or err)) from err
        stem = slug(self.source.stem) or "image"
        if doc.files.get(f"images/{stem}{suffix}") == data:
            self.path = f"images/{stem}{suffix}"  # the same image again: reuse it
        else:
            self.path = _free_path(doc, "images", stem, suffix)
            doc.files[self.path] = data
        self.reference = f"../{self.path}"


class AssignLab(Command):
    label = N_("Choose the lab")

    def __init__(self, item_id: str, lab_id: str):
        self.item_id, self.lab_id = item_id, lab_id

    def apply(self, doc: CourseDocument) -> None:
        item = doc.item(self.item_id)
        if "lab" not in item:
            raise _refuse(MANIFEST, _("Only a lab item can be given a lab."))
        item["lab"] = self.lab_id


class SetQuizText(Command):
    """Replace the quiz file's YAML as typed; the problems list says what is wrong with it."""

    label = N_("Edit the quiz")

    def __init__(self, item_id: str, text: str):
        self.item_id, self.text_ = item_id, text
        self.merge_key = ("quiz", item_id)

    def apply(self, doc: CourseDocument) -> None:
        doc.files[doc.item(self.item_id)["quiz"]] = self.text_.encode("utf-8")


def quiz_questions(doc: CourseDocument, item_id: str) -> list[dict[str, Any]]:
    """The quiz's questions as data; refused when its YAML is broken (fix it in the YAML editor)."""
    return quiz_data(doc, item_id)["questions"]


def quiz_data(doc: CourseDocument, item_id: str) -> dict[str, Any]:
    """The whole quiz file as data (questions, draw rules, title); refused when its YAML is broken."""
    path = doc.item(item_id)["quiz"]
    try:
        data = yaml.safe_load(doc.text(path)) or {}
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", -1) + 1
        raise InvalidInput([Problem(path, line, _("The quiz is not valid YAML; fix it first ({error}).")
                                    .format(error=err))]) from err
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list):
        raise _refuse(path, _("The quiz has no 'questions' list."))
    return data


def _write_quiz_data(doc: CourseDocument, item_id: str, data: dict[str, Any]) -> None:
    doc.files[doc.item(item_id)["quiz"]] = quiz_yaml(data["questions"], data).encode("utf-8")


class _QuestionCommand(Command):
    def __init__(self, item_id: str):
        self.item_id = item_id

    def apply(self, doc: CourseDocument) -> None:
        data = quiz_data(doc, self.item_id)
        self.change(data["questions"])
        _write_quiz_data(doc, self.item_id, data)

    def change(self, questions: list[dict[str, Any]]) -> None:
        raise NotImplementedError


class AddQuestion(_QuestionCommand):
    label = N_("Add a question")

    def __init__(self, item_id: str, question: dict[str, Any], index: int | None = None):
        super().__init__(item_id)
        self.question, self.index = question, index

    def change(self, questions: list[dict[str, Any]]) -> None:
        question = dict(self.question)
        used = {str(q.get("id")) for q in questions if isinstance(q, dict)}
        question["id"] = unique_id(str(question.get("id") or "q"), used)
        questions.insert(len(questions) if self.index is None else self.index, question)


class ImportQuestions(_QuestionCommand):
    """The questions of a Moodle GIFT or Aiken bank (app/core/banks), appended in one undoable step."""

    label = N_("Import questions")

    def __init__(self, item_id: str, questions: list[dict[str, Any]]):
        super().__init__(item_id)
        self.questions = [dict(q) for q in questions]

    def change(self, questions: list[dict[str, Any]]) -> None:
        used = {str(q.get("id")) for q in questions if isinstance(q, dict)}
        for question in self.questions:
            question = dict(question)
            question["id"] = unique_id(str(question.get("id") or "q"), used)
            used.add(question["id"])
            questions.append(question)


def bank_format(path: Path) -> str:
    """'aiken' for a file whose lines say `ANSWER: X`, else 'gift' (Moodle's two plain-text formats)."""
    head = Path(path).read_bytes()[:200_000].decode("utf-8", "replace")
    return "aiken" if re.search(r"(?m)^\s*ANSWER\s*:\s*[A-Za-z]\s*$", head) else "gift"


class EditQuestion(_QuestionCommand):
    label = N_("Edit a question")

    def __init__(self, item_id: str, index: int, question: dict[str, Any], field: str = ""):
        super().__init__(item_id)
        self.index, self.question = index, question
        if field:  # typed into one field of the form: consecutive keystrokes are one undo step
            self.merge_key = ("question", item_id, index, field)

    def change(self, questions: list[dict[str, Any]]) -> None:
        questions[self.index] = dict(self.question)


class RemoveQuestion(_QuestionCommand):
    label = N_("Remove a question")

    def __init__(self, item_id: str, index: int):
        super().__init__(item_id)
        self.index = index

    def change(self, questions: list[dict[str, Any]]) -> None:
        del questions[self.index]


class MoveQuestion(_QuestionCommand):
    label = N_("Move a question")

    def __init__(self, item_id: str, index: int, to: int):
        super().__init__(item_id)
        self.index, self.to = index, to

    def change(self, questions: list[dict[str, Any]]) -> None:
        questions.insert(self.to, questions.pop(self.index))


class SetDraw(Command):
    """How many questions each attempt draws from a pool; a count of 0 removes the rule (ask them all)."""

    label = N_("Draw questions from a pool")

    def __init__(self, item_id: str, pool: str, count: int):
        self.item_id, self.pool, self.count = item_id, pool, count

    def apply(self, doc: CourseDocument) -> None:
        data = quiz_data(doc, self.item_id)
        rules = [r for r in data.get("draw") or [] if isinstance(r, dict) and r.get("pool") != self.pool]
        if self.count > 0:
            rules.append({"pool": self.pool, "count": int(self.count)})
        if rules:
            data = {"draw": rules, **{k: v for k, v in data.items() if k != "draw"}}
        else:
            data.pop("draw", None)
        _write_quiz_data(doc, self.item_id, data)


_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def next_minor(version: str) -> str:
    """1.2.3 -> 1.3.0; anything unreadable starts again at 1.0.0."""
    match = _VERSION.match(version or "")
    return f"{match[1]}.{int(match[2]) + 1}.0" if match else "1.0.0"
