"""Quiz files of the course format (*.quiz.yaml): written atomically from imported questions, and
found and read for export. What is written is first read back by the course loader's quiz parser,
so an imported quiz always passes `course check`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app.core.atomic import write_text
from app.core.banks.to_quiz import slug
from app.core.course.quiz import Quiz, parse_quiz, quiz_from_node
from app.core.course.yamlfields import Node
from app.core.i18n import _
from app.core.problems import InvalidInput, Problem

SUFFIX = ".quiz.yaml"


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter when there: much faster
    """Block style for text with new lines, so the file reads like the hand-written quizzes."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_Dumper.add_representer(str, _text)


def quiz_yaml(questions: list[dict[str, Any]], top: dict[str, Any] | None = None) -> str:
    """The quiz file: `top`'s other keys (title, draw rules) kept in their order, then the questions."""
    data = {key: value for key, value in (top or {}).items() if key != "questions"}
    data["questions"] = questions
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


def check_questions(questions: list[dict[str, Any]]) -> list[str]:
    """What `course check` would say about these questions in a quiz file; [] when it accepts them.
    The quiz parser reads them as the YAML tree it would get from the file, without writing YAML
    (which costs a millisecond a question)."""
    problems: list[Problem] = []
    quiz_from_node(_node({"questions": questions}), "quiz", problems, _same)
    return [p.message for p in problems]


def _node(value: Any) -> Node:
    """`value` as parse_yaml would give it back: scalars as their YAML text."""
    if isinstance(value, dict):
        return Node({key: _node(item) for key, item in value.items()}, 1, 1)
    if isinstance(value, list):
        return Node([_node(item) for item in value], 1, 1)
    if isinstance(value, bool):
        return Node("true" if value else "false", 1, 1)
    return Node(None if value is None else str(value), 1, 1)


def write_quiz(questions: list[dict[str, Any]], folder: Path, name: str) -> Path:
    """Write the questions as `folder/name.quiz.yaml`, replacing it whole or not at all."""
    text = quiz_yaml(questions)
    path = folder / f"{name}{SUFFIX}"
    problems: list[Problem] = []
    parse_quiz(text, str(path), problems, _same)
    if problems:  # the questions were checked one by one; this guards the file as a whole
        raise InvalidInput(problems)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_text(path, text)
    except OSError as err:
        raise InvalidInput([Problem(str(path), 0, _("The quiz could not be written: {error}").format(
            error=err.strerror or err))]) from err
    return path


def quiz_name(source: Path) -> str:
    """The quiz file's name for a bank file: 'Unit 1.gift.txt' -> 'unit-1'."""
    name = source.name
    for suffix in (".txt", ".gift", ".aiken"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[:-len(suffix)]
    return slug(name) or "imported"


def find_quiz_file(path: Path) -> Path:
    """`path` itself when it is a quiz file, else the one quiz file in the folder (or its quizzes/)."""
    if path.is_file():
        return path
    if not path.is_dir():
        raise InvalidInput([Problem(str(path), 0, _("There is no file or folder here."))])
    for folder in (path, path / "quizzes"):
        found = sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise InvalidInput([Problem(str(folder), 0, _("This folder holds {n} quiz files ({names}); name the "
                                                          "one to export.").format(
                n=len(found), names=", ".join(f.name for f in found)))])
    raise InvalidInput([Problem(str(path), 0, _("This folder holds no quiz file (*.quiz.yaml)."))])


def read_quiz(path: Path) -> Quiz:
    """The quiz in a file (or a folder holding one), as the course loader reads it, untranslated."""
    file = find_quiz_file(path)
    try:
        data = file.read_bytes()
    except OSError as err:
        raise InvalidInput([Problem(str(file), 0, _("The file cannot be read: {error}").format(
            error=err.strerror or err))]) from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise InvalidInput([Problem(str(file), line, _("This file is not UTF-8 text; save it as UTF-8."))]) from err
    problems: list[Problem] = []
    quiz = parse_quiz(text, str(file), problems, _same)
    if problems or quiz is None:
        raise InvalidInput(problems)
    return quiz


def _same(text: str) -> str:
    return text
