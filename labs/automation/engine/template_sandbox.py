"""Letter templates that can read only what they are given, and say in plain words when they try more.

A letter template is Jinja2 text (Markdown around `{{ field }}` and `{% if %}` / `{% for %}`). The
learner writes it, so it is untrusted code: it runs in a strict subclass of Jinja's immutable sandbox.

- No loader: `{% include %}`, `{% import %}` and `{% extends %}` cannot reach any file.
- Only the fields given (a flat dict per record), the filters listed in `filter_names()`, and `loop.*`
  inside a for loop. No attribute access on any object, no calls, no macros, and none of Jinja's
  default globals (`range`, `lipsum`, `cycler`, `joiner`, `namespace`, `dict`), so the usual escapes
  (`''.__class__.__mro__`, `cycler.__init__.__globals__`, `self._TemplateReference__context`,
  `lipsum.__globals__`, `record.items()`) have nothing to start from.
- StrictUndefined: a misspelt field is an error, not an empty gap in a letter.
- Size limits: a letter, a string built by `*` or `+`, or a filter's result are capped, loops nest at most
  two deep and rendering stops after a few seconds, so a "loop bomb" ends with a message, not a hang.

Two layers: `check_template` walks the parsed template before anything runs (it finds what is refused
even in a branch no record takes) and the sandbox refuses the same things at run time. Every problem
becomes a `TemplateProblem` with the template line and a translated explanation.
"""

from __future__ import annotations

import difflib
import functools
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import TemplateError, UndefinedError
from jinja2.filters import FILTERS
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.tests import TESTS

from app.core.i18n import _

TEMPLATE_NAME = "<template>"  # the file name Jinja gives a template's code: how run-time errors find their line
MAX_LETTER_CHARS = 50_000  # a letter is a page or two; far more means a loop runs away
MAX_VALUE_CHARS = 2_000  # any one string or list the template builds
MAX_LOOP_DEPTH = 2
MAX_SECONDS = 3.0
MAX_TEMPLATE_CHARS = 100_000
CURRENCY = "KRW"
LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth",
                             "depth0", "previtem", "nextitem"})
# Jinja's own filters a letter may use: none of them reaches an object's attributes or builds huge text.
SAFE_BUILTIN_FILTERS = ("upper", "lower", "title", "capitalize", "trim", "default", "d", "length", "count", "join",
                        "replace", "round", "int", "float", "abs", "first", "last", "truncate", "wordcount")
SAFE_TESTS = tuple(name for name in TESTS if name not in ("callable", "filter", "test", "sameas"))

# What a problem is, for code that reacts to kinds (the UI highlights the line of every kind).
SYNTAX, REFUSED, MISSING, TOO_BIG, FAILED = "syntax", "refused", "missing", "too_big", "failed"


@dataclass(frozen=True)
class TemplateProblem:
    line: int  # 1-based line of the template; 0 when unknown
    kind: str
    message: str  # translated, complete: "Line 4: ..."

    def __str__(self) -> str:
        return self.message


class TemplateProblemError(Exception):
    """Raised with the first problem found; str() is the explanation."""

    def __init__(self, problem: TemplateProblem):
        super().__init__(problem.message)
        self.problem = problem


class _Refused(Exception):
    """Raised inside the sandbox; turned into a TemplateProblem with the line it happened on."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind, self.message = kind, message


def quoted_code(text: str) -> str:
    """Template code quoted in a message, isolated left to right so an Arabic sentence cannot reorder
    its braces (Unicode LRI ... PDI; invisible in every language)."""
    return f"\u2066{text}\u2069"


def _at_line(line: int, text: str) -> str:
    if not line:
        return text[:1].upper() + text[1:]
    return _("Line {line}: {problem}").format(line=line, problem=text)


def _fields_hint(fields: Iterable[str]) -> str:
    return _("Templates can use only these fields: {fields}.").format(
        fields=", ".join(sorted(fields)))


def _filters_hint() -> str:
    return _("The filters you can use are: {filters}.").format(filters=", ".join(filter_names()))


def _refused_attribute(name: str, owner: str, fields: Iterable[str]) -> str:
    return " ".join([_("the template tried to read '{name}' of {owner}, which it was not given.").format(
        name=name, owner=owner), _fields_hint(fields)])


def _missing_name(name: str, fields: Iterable[str]) -> str:
    fields = list(fields)
    text = _("the template uses '{name}', which it was not given.").format(name=name)
    close = difflib.get_close_matches(name, fields, n=1)
    if close:
        text += " " + _("Did you mean '{field}'?").format(field=close[0])
    return text + " " + _fields_hint(fields)


# --------------------------------------------------------------------------------- filters

def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise _Refused(FAILED, _("the date filter needs a date; it was given '{value}'.").format(value=value))


def _locale_filters(locale: str) -> dict[str, Callable[..., Any]]:
    """`date`, `money` and `number`, written the way the letter's language writes them (Babel)."""
    def date_filter(value: Any, style: str = "long") -> str:
        if style not in ("short", "medium", "long", "full"):
            raise _Refused(FAILED, _("the date filter knows the styles short, medium, long and full, not "
                                     "'{style}'.").format(style=style))
        return format_date(_as_date(value), style, locale=locale)

    def money_filter(value: Any) -> str:
        return format_currency(_number(value, "money"), CURRENCY, locale=locale)

    def number_filter(value: Any) -> str:
        return format_decimal(_number(value, "number"), locale=locale)

    return {"date": date_filter, "money": money_filter, "number": number_filter}


def _number(value: Any, filter_name: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Refused(FAILED, _("the {filter} filter needs a number; it was given '{value}'.").format(
            filter=filter_name, value=value))
    return value


def filter_names() -> list[str]:
    return ["date", "money", "number"] + [f for f in SAFE_BUILTIN_FILTERS if f != "d"]


# --------------------------------------------------------------------------------- the environment

class _Budget:
    """One render's limits: the time it may take and the characters it may write."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.written = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Refused(TOO_BIG, _("the letter took longer than {seconds} seconds to write: a loop repeats too "
                                      "often.").format(seconds=f"{MAX_SECONDS:g}"))

    def wrote(self, count: int) -> None:
        self.written += count
        if self.written > MAX_LETTER_CHARS:
            raise _Refused(TOO_BIG, _too_long())


def _too_long() -> str:
    return _("the letter grew longer than {limit} characters: a loop repeats text too often.").format(
        limit=f"{MAX_LETTER_CHARS:,}")


def _capped(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_VALUE_CHARS:
        raise _Refused(TOO_BIG, _("the template built a piece of text or a list longer than {limit}: letters do "
                                  "not need that much.").format(limit=f"{MAX_VALUE_CHARS:,}"))
    return value


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox made strict: fields, listed filters and loop.* only."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//", "/", "-"})

    def __init__(self, locale: str, fields: Iterable[str]):
        super().__init__(loader=None, undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                         lstrip_blocks=True, keep_trailing_newline=True, finalize=self._finalize)
        self.fields = tuple(fields)
        self.budget = _Budget()
        self.globals.clear()  # no range, lipsum, cycler, joiner, namespace, dict
        self.filters = {name: self._guarded(FILTERS[name]) for name in SAFE_BUILTIN_FILTERS}
        self.filters.update({name: self._guarded(f) for name, f in _locale_filters(locale).items()})
        self.tests = {name: TESTS[name] for name in SAFE_TESTS}

    def _guarded(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)  # keeps Jinja's pass_eval_context / pass_environment marks
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.budget.tick()
            return _capped(function(*args, **kwargs))
        return guarded

    def _finalize(self, value: Any) -> Any:
        self.budget.tick()
        self.budget.wrote(len(str(value)))
        return value

    # Attribute and item access: a field of a record dict, an index into a string or list, loop.* ...
    def getattr(self, obj: Any, attribute: str) -> Any:
        self.budget.tick()
        if isinstance(obj, LoopContext) and attribute in LOOP_ATTRIBUTES:
            return getattr(obj, attribute)
        raise _Refused(REFUSED, _refused_attribute(attribute, _owner(obj), self.fields))

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.budget.tick()
        if isinstance(obj, Mapping) and isinstance(argument, str) and not argument.startswith("_"):
            return obj[argument] if argument in obj else self.undefined(obj=obj, name=argument)
        if isinstance(obj, (str, list, tuple)) and isinstance(argument, (int, slice)) \
                and not isinstance(argument, bool):
            try:
                return obj[argument]
            except IndexError:
                raise _Refused(MISSING, _("the template asks for item {index} of a list or text that has only "
                                          "{count}.").format(index=argument, count=len(obj))) from None
        if isinstance(obj, LoopContext) and argument in LOOP_ATTRIBUTES:
            return getattr(obj, argument)
        raise _Refused(REFUSED, _refused_attribute(str(argument), _owner(obj), self.fields))

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        name = getattr(obj, "__name__", type(obj).__name__)
        raise _Refused(REFUSED, _refused_call(name))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.budget.tick()
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
        if operator == "**" and numbers and (abs(right) > 64 or abs(left) > 10**6):
            raise _Refused(TOO_BIG, _("the template raised a number to a power too large for a letter."))
        if operator == "%" and isinstance(left, str):
            raise _Refused(REFUSED, _("the template used % to format text; write the text around {field} instead, "
                                      "or use a filter.").format(field=quoted_code("{{ field }}")))
        if operator == "*" and isinstance(left, (str, list, tuple)) != isinstance(right, (str, list, tuple)):
            times, sequence = (right, left) if isinstance(left, (str, list, tuple)) else (left, right)
            if isinstance(times, int) and len(sequence) * max(times, 0) > MAX_VALUE_CHARS:
                raise _Refused(TOO_BIG, _capped_message())
        return _capped(super().call_binop(context, operator, left, right))


def _capped_message() -> str:
    return _("the template built a piece of text or a list longer than {limit}: letters do not need that "
             "much.").format(limit=f"{MAX_VALUE_CHARS:,}")


def _refused_call(name: str) -> str:
    return " ".join([_("the template tried to call '{name}'. Templates cannot run functions or methods.").format(
        name=name), _("Use a filter instead, for example {example}.").format(
            example=quoted_code("{{ decided_on | date }}")),
        _filters_hint()])


def _owner(obj: Any) -> str:
    if isinstance(obj, str):
        return _("a piece of text")
    if isinstance(obj, (int, float)):
        return _("a number")
    if isinstance(obj, (date, datetime)):
        return _("a date")
    if isinstance(obj, Mapping):
        return _("the record")
    return _("an object inside the template engine")


# --------------------------------------------------------------------------------- static check

def check_template(source: str, fields: Iterable[str], locale: str = "en") -> list[TemplateProblem]:
    """Every problem that can be found without rendering: syntax, refused constructs, unknown names and
    filters. An empty list means the template may render (run-time errors are still possible)."""
    fields = tuple(fields)
    if len(source) > MAX_TEMPLATE_CHARS:
        return [TemplateProblem(0, TOO_BIG, _("The template is longer than {limit} characters.").format(
            limit=f"{MAX_TEMPLATE_CHARS:,}"))]
    environment = LetterEnvironment(locale, fields)
    try:
        tree = environment.parse(source, name=TEMPLATE_NAME)
    except TemplateSyntaxError as error:
        return [syntax_problem(error)]
    problems: list[TemplateProblem] = []
    stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    _walk(tree, problems, set(fields) | stored, fields, environment, depth=0)
    return sorted(problems, key=lambda p: p.line)


def _walk(node: nodes.Node, problems: list[TemplateProblem], names: set[str], fields: tuple[str, ...],
          environment: LetterEnvironment, depth: int) -> None:
    line = getattr(node, "lineno", 0)

    def refuse(kind: str, text: str) -> None:
        problems.append(TemplateProblem(line, kind, _at_line(line, text)))

    if isinstance(node, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        target = node.template.value if isinstance(node.template, nodes.Const) else "…"
        refuse(REFUSED, _("the template tried to open another file ('{name}'). Letter templates cannot read "
                          "files: write all the text in this template.").format(name=target))
        return
    if isinstance(node, (nodes.Macro, nodes.CallBlock)):
        refuse(REFUSED, _("macros are not available in letter templates: write the text out, or use {if} and "
                          "{for}.").format(**{"if": quoted_code("{% if %}"), "for": quoted_code("{% for %}")}))
        return
    if isinstance(node, nodes.For):
        if node.recursive:
            refuse(REFUSED, _("recursive loops are not available in letter templates."))
            return
        if depth + 1 > MAX_LOOP_DEPTH:
            refuse(TOO_BIG, _("a loop inside a loop inside a loop: letter templates allow loops two deep at "
                              "most."))
            return
        for child in node.iter_child_nodes(exclude=("body",)):
            _walk(child, problems, names, fields, environment, depth)
        for child in node.body:
            _walk(child, problems, names | {"loop"}, fields, environment, depth + 1)
        return
    if isinstance(node, nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name == "loop" and node.attr in LOOP_ATTRIBUTES \
                and "loop" in names:
            return
        inner_before = len(problems)
        _walk(node.node, problems, names, fields, environment, depth)
        if len(problems) == inner_before:  # report the innermost step of a chain like ''.__class__.__mro__
            refuse(REFUSED, _refused_attribute(node.attr, _described(node.node), fields))
        return
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        inner_before = len(problems)
        _walk(node.node, problems, names, fields, environment, depth)
        if len(problems) == inner_before:
            refuse(REFUSED, _refused_attribute(node.arg.value, _described(node.node), fields))
        return
    if isinstance(node, nodes.Call):  # name(...) or x.method(...): report what is called, after its parts
        inner_before = len(problems)
        callee = node.node.node if isinstance(node.node, nodes.Getattr) else node.node
        for child in [callee, *node.iter_child_nodes(exclude=("node",))]:
            _walk(child, problems, names, fields, environment, depth)
        if len(problems) == inner_before:
            refuse(REFUSED, _refused_call(_callee(node.node)))
        return
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name not in names:
        if node.name == "loop":
            refuse(MISSING, _("'loop' exists only inside {for} … {endfor}.").format(
                **{"for": quoted_code("{% for %}"), "endfor": quoted_code("{% endfor %}")}))
        else:
            refuse(MISSING, _missing_name(node.name, fields))
        return
    if isinstance(node, nodes.Filter) and node.name not in environment.filters:
        refuse(MISSING, " ".join([_("there is no filter called '{name}'.").format(name=node.name), _filters_hint()]))
    if isinstance(node, nodes.Test) and node.name not in environment.tests:
        refuse(MISSING, _("there is no test called '{name}' (the word after 'is').").format(name=node.name))
    for child in node.iter_child_nodes():
        _walk(child, problems, names, fields, environment, depth)


def _described(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return f"'{node.name}'"
    if isinstance(node, nodes.Const):
        return _owner(node.value)
    return _("an object inside the template engine")


def _callee(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return node.attr
    return "…"


def syntax_problem(error: TemplateSyntaxError) -> TemplateProblem:
    return TemplateProblem(error.lineno or 0, SYNTAX, _at_line(error.lineno or 0, _(
        "the template's syntax is wrong here ({detail}). Check that every {open} has its {close}, every {if} its "
        "{endif} and every {for} its {endfor}.").format(**{
            "detail": error.message or "", "open": quoted_code("{{"), "close": quoted_code("}}"),
            "if": quoted_code("{% if %}"), "endif": quoted_code("{% endif %}"),
            "for": quoted_code("{% for %}"), "endfor": quoted_code("{% endfor %}")})))


# --------------------------------------------------------------------------------- rendering

class CompiledLetter:
    """A checked, compiled template for one language; `render(fields)` gives the letter's text."""

    def __init__(self, source: str, locale: str, fields: Iterable[str]):
        self.source, self.locale, self.fields = source, locale, tuple(fields)
        problems = check_template(source, self.fields, locale)
        if problems:
            raise TemplateProblemError(problems[0])
        self.environment = LetterEnvironment(locale, self.fields)
        try:
            self.template = self.environment.from_string(source)
        except TemplateSyntaxError as error:  # e.g. an unknown filter that the parser only finds when compiling
            raise TemplateProblemError(syntax_problem(error)) from None

    def render(self, record: Mapping[str, Any]) -> str:
        self.environment.budget = _Budget()
        parts: list[str] = []
        written = 0
        try:
            for chunk in self.template.generate(**dict(record)):
                written += len(chunk)
                if written > MAX_LETTER_CHARS:  # literal text repeated by a loop never meets finalize
                    raise TemplateProblemError(TemplateProblem(0, TOO_BIG, _at_line(0, _too_long())))
                self.environment.budget.tick()
                parts.append(chunk)
        except TemplateProblemError:
            raise
        except _Refused as refused:
            line = _template_line(refused)
            raise TemplateProblemError(TemplateProblem(line, refused.kind, _at_line(line, refused.message))) from None
        except UndefinedError as error:
            line = _template_line(error)
            name = _undefined_name(str(error))
            text = _missing_name(name, self.fields) if name else str(error)
            raise TemplateProblemError(TemplateProblem(line, MISSING, _at_line(line, text))) from None
        except TemplateSyntaxError as error:
            raise TemplateProblemError(syntax_problem(error)) from None
        except (TemplateError, ArithmeticError, ValueError, TypeError, RecursionError) as error:
            line = _template_line(error)
            text = _("the template failed here: {reason}").format(reason=error)
            raise TemplateProblemError(TemplateProblem(line, FAILED, _at_line(line, text))) from None
        return "".join(parts)


def _template_line(error: BaseException) -> int:
    """The template line Jinja's rewritten traceback points at (the last frame inside the template)."""
    line = 0
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == TEMPLATE_NAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _undefined_name(message: str) -> str | None:
    match = re.search(r"'([^']+)' is undefined", message) or re.search(r"has no attribute '([^']+)'", message)
    return match.group(1) if match else None
