"""The course being edited: its manifest as plain data and its other files as bytes, changed only by
commands (commands.py), each undoable, and validated by the course loader itself.

The manifest is re-written from data (so comments in a hand-written course.yaml are not kept); line
numbers in problems refer to the manifest as the editor writes and saves it.
"""

from __future__ import annotations

import copy
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from app.core.accounts.roles import TRAINER, Principal, require
from app.core.authoring.files import DRAFT_MARKER, MemorySource, read_folder, recover
from app.core.course.loader import load_course
from app.core.course.model import Course
from app.core.course.source import MANIFEST
from app.core.course.yamlfields import ID_PATTERN
from app.core.i18n import _
from app.core.problems import InvalidInput, Problem
from app.core.resources import bundled_courses_dir


class _Dumper(yaml.SafeDumper):
    """Block style for text with new lines, so the manifest reads like a hand-written one."""


_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def manifest_yaml(manifest: dict[str, Any]) -> str:
    return yaml.dump(manifest, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=100)


def unique_id(base: str, used: Collection[str]) -> str:
    base = base[:56].strip("-") or "item"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


class CourseDocument:
    def __init__(self, principal: Principal, folder: Path, manifest: dict[str, Any], files: dict[str, bytes]):
        self.principal = require(principal, TRAINER)
        self.folder = Path(folder)
        self.manifest = manifest
        self.files = files  # package path -> content, every file except course.yaml
        self.loaded_version = str(manifest.get("version", ""))
        self.published = True  # a course on disk may have learners' records; see saving.save_course

    @classmethod
    def open(cls, principal: Principal, folder: Path) -> "CourseDocument":
        """Open a course folder for editing. Bundled courses are refused: duplicate them first."""
        require(principal, TRAINER)
        folder = Path(folder)
        if _inside(folder, bundled_courses_dir()):
            raise InvalidInput([Problem(folder.name, 0, _("This course ships with the app and cannot be edited; "
                                                          "duplicate it and edit the copy."))])
        recover(folder)
        document = cls.from_files(principal, folder, read_folder(folder))
        document.published = not (folder / DRAFT_MARKER).exists()
        return document

    @classmethod
    def from_files(cls, principal: Principal, folder: Path, files: dict[str, bytes]) -> "CourseDocument":
        files = dict(files)
        problems: list[Problem] = []
        try:
            manifest = yaml.safe_load(files.pop(MANIFEST).decode("utf-8-sig"))
        except (UnicodeDecodeError, yaml.YAMLError) as err:
            line = getattr(getattr(err, "problem_mark", None), "line", -1) + 1
            problems.append(Problem(MANIFEST, line, _("course.yaml cannot be read as YAML ({error}); fix it in a "
                                                      "text editor first.").format(error=err)))
            manifest = None
        if not problems and not isinstance(manifest, dict):
            problems.append(Problem(MANIFEST, 0, _("course.yaml should be a mapping of fields (id, title, "
                                                   "modules, ...).")))
        if problems:
            raise InvalidInput(problems)
        if not isinstance(manifest.get("modules"), list):
            manifest["modules"] = []
        for module in manifest["modules"]:
            if isinstance(module, dict) and not isinstance(module.get("items"), list):
                module["items"] = []
        return cls(principal, folder, manifest, files)

    # -- reading
    def manifest_text(self) -> str:
        return manifest_yaml(self.manifest)

    def package_files(self) -> dict[str, bytes]:
        """Every file of the package as it would be saved, course.yaml included."""
        return {MANIFEST: self.manifest_text().encode("utf-8"), **self.files}

    def text(self, path: str) -> str:
        return self.files.get(path, b"").decode("utf-8-sig", errors="replace")

    @property
    def modules(self) -> list[dict[str, Any]]:
        return self.manifest.setdefault("modules", [])

    def all_items(self) -> list[dict[str, Any]]:
        return [item for module in self.modules for item in module.get("items") or []]

    def used_ids(self) -> set[str]:
        return {str(m.get("id")) for m in self.modules} | {str(i.get("id")) for i in self.all_items()}

    def module(self, module_id: str) -> dict[str, Any]:
        for module in self.modules:
            if module.get("id") == module_id:
                return module
        raise KeyError(module_id)

    def item(self, item_id: str) -> dict[str, Any]:
        for item in self.all_items():
            if item.get("id") == item_id:
                return item
        raise KeyError(item_id)

    def module_of(self, item_id: str) -> dict[str, Any]:
        for module in self.modules:
            if any(i.get("id") == item_id for i in module.get("items") or []):
                return module
        raise KeyError(item_id)

    @staticmethod
    def kind(item: dict[str, Any]) -> str:
        return next((k for k in ("lesson", "quiz", "lab") if k in item), "")

    def source(self) -> MemorySource:
        return MemorySource(self.package_files(), self.folder)

    def problems(self, known_labs: Collection[str] | None = None, translations: bool = True) -> list[Problem]:
        """What `course check` would report for the course as it stands; [] when it is valid.

        translations=False skips reading every catalog (most of the time on a translated course),
        for checking as the trainer types; saving always checks them."""
        try:
            self.load(None if translations else str(self.manifest.get("source_language") or "-"),
                      known_labs=known_labs)
        except InvalidInput as err:
            return err.problems
        return []

    def load(self, locale: str | None = None, known_labs: Collection[str] | None = None) -> Course:
        return load_course(self.source(), locale, known_labs)

    # -- changing: only through commands, so every change can be undone
    def apply(self, command) -> None:
        require(self.principal, TRAINER)
        before = self._state()
        command.apply(self)
        command.before, command.after = before, self._state()

    def undo(self, command) -> None:
        require(self.principal, TRAINER)
        self._restore(command.before)

    def redo(self, command) -> None:
        require(self.principal, TRAINER)
        self._restore(command.after)

    def _state(self) -> tuple[dict[str, Any], dict[str, bytes]]:
        # The files dict is copied shallowly: bytes are immutable, so snapshots share them.
        return copy.deepcopy(self.manifest), dict(self.files)

    def _restore(self, state: tuple[dict[str, Any], dict[str, bytes]]) -> None:
        self.manifest, self.files = copy.deepcopy(state[0]), dict(state[1])


def check_id(value: str) -> None:
    if not ID_PATTERN.match(value or ""):
        raise InvalidInput([Problem(MANIFEST, 0, _("'{value}' is not a valid id: use lower-case letters, digits "
                                                   "and '-' (at most 64), starting with a letter or digit.")
                                    .format(value=value))])
