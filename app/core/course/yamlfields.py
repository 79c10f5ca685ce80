"""Read YAML keeping the line of every value, and check fields with messages that name the line.

PyYAML's `compose()` gives a node tree with positions; we turn it into `Node`s holding plain text
(never YAML 1.1's guesses such as `no` -> False or `1.10` -> 1.1) and let each field decide how to
read its text. Every problem is collected, not raised, so one check lists them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

import yaml

from app.core.i18n import _
from app.core.problems import Problem

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Node:
    """A YAML value: str (scalars, unparsed), list[Node], dict[str, Node] or None; line is 1-based."""

    value: Any
    line: int
    key_line: int = 0  # the line of the key this value belongs to, for "missing"/"wrong" messages


def parse_yaml(text: str, file: str, problems: list[Problem]) -> Node | None:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        what = err.problem or str(err)
        problems.append(Problem(file, line, _("This is not valid YAML ({what}). Check the indentation and "
                                              "quote text that contains ': ' or starts with a special character.")
                                .format(what=what)))
        return None
    except yaml.YAMLError as err:  # e.g. a control character in the stream
        problems.append(Problem(file, 0, _("This is not valid YAML: {what}").format(what=err)))
        return None
    if root is None:
        problems.append(Problem(file, 1, _("The file is empty.")))
        return None
    return _convert(root, file, problems)


def _convert(node: yaml.Node, file: str, problems: list[Problem], key_line: int = 0) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        is_null = node.tag == "tag:yaml.org,2002:null" and node.style is None
        return Node(None if is_null else node.value, line, key_line)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(child, file, problems) for child in node.value], line, key_line)
    mapping: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        kline = key_node.start_mark.line + 1
        if key in mapping:
            problems.append(Problem(file, kline, _("The key '{key}' appears twice; keep one.").format(key=key)))
            continue
        mapping[key] = _convert(value_node, file, problems, kline)
    return Node(mapping, line, key_line)


class Fields:
    """Typed access to one YAML mapping, adding a Problem for every field that is wrong."""

    def __init__(self, node: Node, file: str, problems: list[Problem], what: str):
        self.file = file
        self.problems = problems
        self.what = what  # e.g. "module 'why-ai'", used in messages
        self.line = node.line
        self.ok = isinstance(node.value, dict)
        self.data: dict[str, Node] = node.value if self.ok else {}
        if not self.ok:
            self.problem(node.line, _("{what} should be a set of 'key: value' lines.").format(what=what))

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key].value is not None

    def node(self, key: str) -> Node | None:
        return self.data.get(key)

    def line_of(self, key: str) -> int:
        node = self.data.get(key)
        return (node.key_line or node.line) if node else self.line

    def _missing(self, key: str) -> None:
        self.problem(self.line, _("{what} needs a '{key}' field.").format(what=self.what, key=key))

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        node = self.data.get(key)
        if node is None or node.value is None:
            if required:
                self._missing(key)
            return default
        if not isinstance(node.value, str):
            self.problem(node.line, _("'{key}' should be text.").format(key=key))
            return default
        value = node.value.strip()
        if required and not value:
            self.problem(node.line, _("'{key}' is empty.").format(key=key))
        return value

    def identifier(self, key: str = "id") -> str:
        value = self.text(key)
        if value and not ID_PATTERN.match(value):
            self.problem(self.line_of(key), _("'{value}' is not a valid id: use lower-case letters, digits "
                                              "and '-' (at most 64), starting with a letter or digit.")
                         .format(value=value))
        return value

    def number(self, key: str, required: bool = True, default: float | None = None,
               minimum: float | None = None, maximum: float | None = None, integer: bool = False) -> float | None:
        node = self.data.get(key)
        if node is None or node.value is None:
            if required:
                self._missing(key)
            return default
        raw = node.value if isinstance(node.value, str) else None
        try:
            value: float = int(raw) if integer else float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            kind = _("a whole number") if integer else _("a number")
            self.problem(node.line, _("'{key}' should be {kind}, not '{raw}'.").format(key=key, kind=kind, raw=raw))
            return default
        if value != value or value in (float("inf"), float("-inf")):
            self.problem(node.line, _("'{key}' should be a finite number.").format(key=key))
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            if maximum is None:
                rng = _("at least {min}").format(min=_fmt(minimum))
            elif minimum is None:
                rng = _("at most {max}").format(max=_fmt(maximum))
            else:
                rng = _("between {min} and {max}").format(min=_fmt(minimum), max=_fmt(maximum))
            self.problem(node.line, _("'{key}' should be {range}, not {value}.").format(
                key=key, range=rng, value=_fmt(value)))
            return default
        return value

    def boolean(self, key: str, required: bool = False, default: bool = False) -> bool:
        node = self.data.get(key)
        if node is None or node.value is None:
            if required:
                self._missing(key)
            return default
        raw = node.value.strip().lower() if isinstance(node.value, str) else None
        if raw in ("true", "yes"):
            return True
        if raw in ("false", "no"):
            return False
        self.problem(node.line, _("'{key}' should be true or false.").format(key=key))
        return default

    def items(self, key: str, required: bool = True) -> list[Node]:
        node = self.data.get(key)
        if node is None or node.value is None:
            if required:
                self._missing(key)
            return []
        if not isinstance(node.value, list):
            self.problem(node.line, _("'{key}' should be a list (lines starting with '- ').").format(key=key))
            return []
        if required and not node.value:
            self.problem(node.line, _("'{key}' is an empty list.").format(key=key))
        return node.value

    def texts(self, key: str) -> list[str]:
        out = []
        for item in self.items(key, required=False):
            if isinstance(item.value, str) and item.value.strip():
                out.append(item.value.strip())
            else:
                self.problem(item.line, _("Each entry of '{key}' should be text.").format(key=key))
        return out

    def reject_unknown(self, allowed: set[str]) -> None:
        for key, node in self.data.items():
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.problem(node.key_line or node.line,
                             _("Unknown field '{key}'. Allowed here: {allowed}.").format(key=key, allowed=hint))


def each_mapping(nodes: list[Node], file: str, problems: list[Problem], what: str) -> Iterator[Fields]:
    for node in nodes:
        fields = Fields(node, file, problems, what)
        if fields.ok:
            yield fields


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
