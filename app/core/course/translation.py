"""A course's translations: one gettext catalog per language, msgctxt = the source file.

Translators work in standard tools on translations/<code>.po; `course pot` writes the template.
An empty entry means "not translated yet"; `#. needs-review` marks machine drafts awaiting a
native reviewer (not `fuzzy`: gettext would drop those at run time).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from app.core.i18n import _
from app.core.problems import Problem

REVIEW_MARK = "needs-review"


@dataclass
class CourseCatalog:
    code: str
    path: str
    entries: dict[tuple[str, str], str] = field(default_factory=dict)  # (file, source) -> translation
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    needs_review: set[tuple[str, str]] = field(default_factory=set)

    def lookup(self, context: str, text: str) -> str | None:
        return self.entries.get((context, text)) or None


def read_catalog(code: str, path: str, text: str, problems: list[Problem]) -> CourseCatalog | None:
    from babel.messages.pofile import PoFileError, read_po  # off the start-up path

    catalog = CourseCatalog(code, path)
    for number, line in enumerate(text.split("\n"), start=1):
        # Babel accepts a string without its closing quote and silently drops its last character.
        stripped = line.strip()
        if stripped.startswith(("msgid", "msgstr", "msgctxt", '"')) and '"' in stripped and \
                not _closed(stripped[stripped.index('"'):]):
            problems.append(Problem(path, number, _("The translation file cannot be read: this string has no closing "
                                                    "quote (\"). Open the file in a PO editor such as Poedit to "
                                                    "repair it.")))
            return None
    try:
        po = read_po(io.StringIO(text), locale=None, abort_invalid=True)
    except PoFileError as err:
        line = getattr(err, "lineno", None)
        reason = str(err).split(" on ", 1)[0]
        problems.append(Problem(path, line + 1 if isinstance(line, int) else 0,
                                _("The translation file cannot be read: {err}. Open it in a PO editor "
                                  "such as Poedit to repair it.").format(err=reason)))
        return None
    except Exception as err:  # babel raises assorted errors on damaged headers
        problems.append(Problem(path, 0, _("The translation file cannot be read: {err}.").format(err=err)))
        return None
    for message in po:
        if not message.id or not isinstance(message.id, str):
            continue  # the header, or plural entries (course text has none)
        key = (message.context or "", message.id)
        line = message.lineno or 0
        if "fuzzy" in message.flags:
            problems.append(Problem(path, line, _("This entry is marked fuzzy, so the app would ignore it. "
                                                  "Remove the fuzzy flag; mark drafts with the comment "
                                                  "'#. needs-review' instead.")))
        if message.string and isinstance(message.string, str):
            catalog.entries[key] = message.string
        catalog.lines[key] = line
        if any(REVIEW_MARK in c for c in (*message.auto_comments, *message.user_comments)):
            catalog.needs_review.add(key)
    return catalog


def _closed(quoted: str) -> bool:
    """Whether a PO string token '"..."' ends with an unescaped closing quote."""
    if len(quoted) < 2 or not quoted.endswith('"'):
        return False
    backslashes = len(quoted[:-1]) - len(quoted[:-1].rstrip("\\"))
    return backslashes % 2 == 0


def write_template(units: list[tuple[str, str, int]], course_id: str, version: str, language: str) -> str:
    """A .pot for the course: one entry per (file, text), with its line as a reference."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project=course_id, version=version, charset="utf-8", fuzzy=False)
    catalog.language_team = None
    for context, text, line in units:
        message = catalog.add(text, "", locations=[(context, line)], context=context)
        message.flags.discard("python-format")  # "60 % of" is prose: msgfmt --check must not treat it as %o
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False)
    return out.getvalue().decode("utf-8")
