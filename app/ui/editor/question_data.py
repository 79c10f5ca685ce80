"""What the question form shows of a question's data, and how what it types goes back: the
translated type names, numbers as a trainer types them, which lines of the quiz file a question
spans (to show its own problems), and when a question is too odd for the form (left to the YAML)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from app.core.course.yamlfields import parse_yaml
from app.core.i18n import N_, _
from app.core.problems import Problem

TYPE_LABELS = {"single": N_("Single choice"), "multiple": N_("Multiple choice"), "true_false": N_("True or false"),
               "short": N_("Short answer"), "numerical": N_("Number"), "matching": N_("Matching")}
LISTS = {"single": "choices", "multiple": "choices", "short": "answers", "numerical": "answers", "matching": "pairs"}


def type_label(kind: Any) -> str:
    return _(TYPE_LABELS[kind]) if kind in TYPE_LABELS else str(kind or "?")


def shorten(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def list_label(question: Any) -> str:
    """'Single choice: In which year did…' for the list of the quiz's questions."""
    if not isinstance(question, dict):
        return _("Not a question: fix it in the YAML tab")
    return _("{type}: {prompt}").format(type=type_label(question.get("type")),
                                        prompt=shorten(as_text(question.get("prompt"))) or "…")


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    return str(value)


def number_text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def parse_number(text: str) -> int | float | str | None:
    """A number as typed ('2', '-50', '0,5', '25 %', Arabic '٢٫٥'); None when empty; the text itself when it is not a
    number, so the file keeps what was typed and the course check says what is wrong, with its line."""
    cleaned = text.strip().rstrip("%٪").strip().replace(",", ".").replace("٫", ".").replace("−", "-")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)  # also reads Arabic-Indic and other Unicode digits
    except InvalidOperation:
        return text.strip()
    if not number.is_finite():
        return text.strip()
    return int(number) if number == number.to_integral_value() else float(number)


def truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "yes")


def weight(entry: dict[str, Any]) -> float:
    try:
        return float(entry.get("weight", 0) or 0)
    except (TypeError, ValueError):
        return 0.0


def not_editable(question: Any) -> str:
    """Why the form cannot edit this question (it stays as it is, for the YAML tab); "" when it can."""
    if not isinstance(question, dict):
        return _("This entry is not a question (a set of 'key: value' lines): fix it in the YAML tab.")
    kind = question.get("type")
    if kind not in TYPE_LABELS:
        return _("The form cannot edit a question of type '{type}': edit it in the YAML tab.").format(
            type=as_text(kind))
    key = LISTS.get(kind)
    entries = question.get(key, []) if key else []
    if key and (not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries)):
        return _("This question's '{field}' is not a list of 'key: value' entries: fix it in the YAML tab.").format(
            field=key)
    return ""


def question_spans(text: str) -> list[tuple[int, int]]:
    """The first and last line of each question in the quiz file, in order; [] when it cannot be read."""
    root = parse_yaml(text, "", [])
    if root is None or not isinstance(root.value, dict) or "questions" not in root.value:
        return []
    items = root.value["questions"].value
    if not isinstance(items, list):
        return []
    # a question ends where the next begins, or before the next top-level key (e.g. `draw:`)
    top_lines = sorted(node.key_line for node in root.value.values())
    starts = [node.line for node in items]
    spans = []
    for i, start in enumerate(starts):
        ends = [line - 1 for line in top_lines if line > start]
        if i + 1 < len(starts):
            ends.append(starts[i + 1] - 1)
        spans.append((start, min(ends) if ends else 10 ** 9))
    return spans


def problems_of_question(problems: list[Problem], path: str, spans: list[tuple[int, int]],
                         index: int) -> list[Problem]:
    """The problems found in question `index` of the quiz file `path` (and those about the whole file)."""
    if index >= len(spans):
        return [p for p in problems if p.file == path and p.line == 0]
    first, last = spans[index]
    return [p for p in problems if p.file == path and (p.line == 0 or first <= p.line <= last)]
