"""The translation workspace's core: a course folder and one target language, entry by entry.

    work = open_workspace(principal, Path("my-course"), "ko")
    work.set_translation(principal, entry.key, "번역", needs_review=False)   # writes translations/ko.po
    report = work.import_po(principal, Path("from-translator.po"))

The entries are exactly those `course pot` writes (same units, same msgctxt = source file), so a
.po exported here opens in Poedit and comes back through `import_po`. Every write renders the whole
catalog and replaces translations/<code>.po atomically: a crash leaves the old file or the new one.
Every entry point takes the signed-in Principal and refuses anyone below trainer.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.core import atomic
from app.core.accounts.roles import TRAINER, Principal, require
from app.core.course import markdown
from app.core.course.loader import LANGUAGE_PATTERN, translation_units
from app.core.course.model import LocalText
from app.core.course.source import MANIFEST
from app.core.course.translation import REVIEW_MARK, read_catalog
from app.core.i18n import _, shipped_locales
from app.core.problems import InvalidInput, Problem

Key = tuple[str, str]  # (msgctxt = source file, msgid = source text)


@dataclass(frozen=True)
class Entry:
    """One translatable text of the course and its state in the target language."""

    context: str  # the file it comes from (course.yaml, lessons/x.md, quizzes/x.quiz.yaml)
    source: str
    line: int  # where the text is in its file (0 when unknown)
    translation: str = ""
    needs_review: bool = False

    @property
    def key(self) -> Key:
        return (self.context, self.source)

    @property
    def translated(self) -> bool:
        return bool(self.translation)

    @property
    def kind(self) -> str:
        return "course" if self.context == MANIFEST else "lesson" if self.context.endswith(".md") else "quiz"

    def shown(self) -> LocalText:
        """What a learner sees: the translation, or the source flagged untranslated (the reader's fallback)."""
        return LocalText(self.translation, False) if self.translation else LocalText(self.source, True)


@dataclass(frozen=True)
class Group:
    """The entries of one file: the course outline, a lesson or a quiz."""

    context: str
    title: str  # the item's title in the manifest (the course title for course.yaml)
    kind: str  # "course", "lesson" or "quiz"


@dataclass(frozen=True)
class Coverage:
    done: int
    total: int
    review: int  # translated but marked needs-review

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100


@dataclass
class ImportReport:
    """What an imported .po changed; refused entries are problems with their line in that file."""

    added: int = 0  # entries that had no translation before
    changed: int = 0  # entries whose translation or review mark changed
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return bool(self.added or self.changed)


class TranslationWork:
    """The entries of one course in one target language. Build it with `open_workspace`."""

    def __init__(self, folder: Path, locale: str, course_id: str, version: str, groups: list[Group],
                 entries: list[Entry], lines: dict[Key, tuple[int, ...]] | None = None):
        self.folder, self.locale, self.course_id, self.version = folder, locale, course_id, version
        self.groups = groups
        self._entries = {e.key: e for e in entries}
        self._lines = lines or {}  # every line a text appears on, for the .po's references

    @property
    def po_path(self) -> Path:
        return self.folder / "translations" / f"{self.locale}.po"

    @property
    def entries(self) -> list[Entry]:
        return list(self._entries.values())

    def entry(self, key: Key) -> Entry:
        return self._entries[key]

    def entries_of(self, context: str, untranslated_only: bool = False, review_only: bool = False) -> list[Entry]:
        return [e for e in self._entries.values() if e.context == context
                and (not untranslated_only or not e.translated) and (not review_only or e.needs_review)]

    def coverage(self, context: str | None = None) -> Coverage:
        chosen = [e for e in self._entries.values() if context is None or e.context == context]
        return Coverage(sum(e.translated for e in chosen), len(chosen),
                        sum(e.translated and e.needs_review for e in chosen))

    def lesson_preview(self, context: str) -> tuple[str, list[int]]:
        """A lesson in the target language and the lines left in the source language, for
        `markdown.render_html`: the same fallback highlighting the lesson reader shows."""
        text = (self.folder / context).read_text(encoding="utf-8-sig")
        found = {e.source: e.translation for e in self.entries_of(context)}
        translated, untranslated, _total = markdown.apply_translation(text, lambda block: found.get(block) or None)
        return translated, untranslated

    # -- changes ---------------------------------------------------------------------------------

    def set_translation(self, principal: Principal, key: Key, text: str, needs_review: bool) -> Entry:
        """Store one translation (empty clears it) and its review mark; writes the .po atomically."""
        require(principal, TRAINER)
        entry = self._entries.get(key)
        if entry is None:
            raise InvalidInput([Problem(str(self.po_path.name), 0, _("This text is not in the course any more; "
                                                                     "reopen the translation workspace."))])
        text = _clean(text)
        problem = _structure_problem(entry, text, self.po_path.name, entry.line)
        if problem:
            raise InvalidInput([problem])
        updated = replace(entry, translation=text, needs_review=needs_review)
        self._write({**self._entries, key: updated})
        return updated

    def export_po(self, principal: Principal, destination: Path) -> None:
        """The course's catalog for this language, every entry included, for an external translator."""
        require(principal, TRAINER)
        atomic.write_text(destination, self._render(self._entries))

    def import_po(self, principal: Principal, path: Path) -> ImportReport:
        """Take the translations of a .po returned by a translator.

        A broken file, or one for another language or with other plural rules, is refused whole (raises
        InvalidInput, nothing written). Entries that are not in this course, or that break a lesson's
        Markdown structure, are refused one by one and reported; the rest is written in one atomic step.
        An empty msgstr never erases a translation: the translator may have returned part of the file.
        """
        require(principal, TRAINER)
        name = path.name
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput([Problem(name, 0, _("This file is not UTF-8 text; save it as UTF-8 in the PO editor "
                                                   "and import it again."))]) from None
        except OSError as err:
            raise InvalidInput([Problem(name, 0, _("The file cannot be read: {err}").format(err=err.strerror))]) \
                from None
        problems: list[Problem] = []
        if read_catalog(self.locale, name, text, problems) is None:  # the reader's checks, lines included
            raise InvalidInput(problems)
        self._check_header(name, text)
        from babel.messages.pofile import read_po

        po = read_po(io.StringIO(text), locale=None)
        report = ImportReport()
        merged = dict(self._entries)
        seen_any = False
        for message in po:
            if not message.id:
                continue
            line = message.lineno or 0
            if not isinstance(message.id, str):
                report.problems.append(Problem(name, line, _("This entry has plural forms; course texts have "
                                                             "none, so it does not belong to this course.")))
                continue
            key = (message.context or "", message.id)
            entry = merged.get(key)
            if entry is None:
                report.problems.append(Problem(name, line, _("This entry is not in the course '{course}' "
                                                             "(context '{context}'); it was not imported. The "
                                                             "source text may have changed since the file was "
                                                             "exported.").format(course=self.course_id,
                                                                                 context=key[0])))
                continue
            seen_any = True
            translation = _clean(message.string if isinstance(message.string, str) else "")
            if not translation:
                report.unchanged += 1
                continue
            problem = _structure_problem(entry, translation, name, line)
            if problem:
                report.problems.append(problem)
                continue
            review = "fuzzy" in message.flags or any(REVIEW_MARK in c for c in (*message.auto_comments,
                                                                                 *message.user_comments))
            if (translation, review) == (entry.translation, entry.needs_review):
                report.unchanged += 1
                continue
            if entry.translation:
                report.changed += 1
            else:
                report.added += 1
            merged[key] = replace(entry, translation=translation, needs_review=review)
        if not seen_any and report.problems:
            raise InvalidInput([Problem(name, 0, _("None of this file's entries belong to the course '{course}': "
                                                   "it was probably made for another course.")
                                        .format(course=self.course_id)), *report.problems[:5]])
        if report.written:
            self._write(merged)
        return report

    # -- the .po on disk ---------------------------------------------------------------------------

    def _check_header(self, name: str, text: str) -> None:
        headers = _header(text)
        language = headers.get("Language", "").strip()
        if language and _primary(language) != _primary(self.locale):
            raise InvalidInput([Problem(name, _header_line(text, "Language"),
                                        _("This file is a translation into '{found}', not '{code}'. Choose the "
                                          "language '{found}' in the workspace, or ask the translator for the "
                                          "'{code}' file.").format(found=language, code=self.locale))])
        plural = headers.get("Plural-Forms", "").strip()
        agreed = _agreed_plural_forms(self.locale)
        if plural and agreed and _normal_plural(plural) != _normal_plural(agreed):
            raise InvalidInput([Problem(name, _header_line(text, "Plural-Forms"),
                                        _("The Plural-Forms header '{found}' is not the one agreed for '{code}': "
                                          "'{agreed}'. Set it in the PO editor's catalog properties and import "
                                          "again.").format(found=plural, code=self.locale, agreed=agreed))])

    def _write(self, entries: dict[Key, Entry]) -> None:
        text = self._render(entries)
        self.po_path.parent.mkdir(exist_ok=True)
        atomic.write_text(self.po_path, text)
        self._entries = entries

    def _render(self, entries: dict[Key, Entry]) -> str:
        """The catalog as the file on disk has it (header, comments, obsolete entries kept), updated."""
        from babel.messages.catalog import Catalog
        from babel.messages.pofile import read_po, write_po

        if self.po_path.exists():
            catalog = read_po(io.StringIO(self.po_path.read_text(encoding="utf-8-sig")), locale=None)
        else:
            catalog = Catalog(locale=_babel_locale(self.locale), project=self.course_id, version=self.version,
                              charset="utf-8", fuzzy=False)
            agreed = _agreed_plural_forms(self.locale)
            if agreed:
                catalog.mime_headers = [("Plural-Forms", agreed)]
        catalog.project, catalog.version = self.course_id, self.version
        for entry in entries.values():
            message = catalog.get(entry.source, context=entry.context)
            if message is None:
                message = catalog.add(entry.source, "", context=entry.context)
            message.flags.discard("python-format")  # Babel guesses it from "60 % of"; this is prose
            message.string = entry.translation
            message.locations = [(entry.context, line) for line in self._lines.get(entry.key, (entry.line,))]
            message.auto_comments = [c for c in message.auto_comments if REVIEW_MARK not in c] + \
                ([REVIEW_MARK] if entry.needs_review and entry.translation else [])
            message.user_comments = [c for c in message.user_comments if REVIEW_MARK not in c]
            message.flags.discard("fuzzy")  # the app would drop fuzzy entries; the review mark says it instead
        out = io.BytesIO()
        write_po(out, catalog, width=100, omit_header=False)
        return out.getvalue().decode("utf-8")


def open_workspace(principal: Principal, folder: Path, locale: str) -> TranslationWork:
    """The entries of the course in `folder` for `locale` (one of the course's translations).

    Raises InvalidInput (the problems `course check` reports) when the course does not load.
    """
    require(principal, TRAINER)
    folder = Path(folder)
    manifest, units = translation_units(folder)
    if locale not in manifest.translations:
        raise InvalidInput([Problem(MANIFEST, 0, _("The course has no '{code}' translation yet; add the language "
                                                   "first.").format(code=locale))])
    problems: list[Problem] = []
    po_path = folder / "translations" / f"{locale}.po"
    catalog = read_catalog(locale, po_path.name, po_path.read_text(encoding="utf-8-sig"), problems) \
        if po_path.exists() else None
    titles = {MANIFEST: manifest.title}
    kinds = {MANIFEST: "course"}
    for module in manifest.modules:
        for item in module.items:
            if item.kind != "lab":
                titles.setdefault(item.target, item.title)
                kinds.setdefault(item.target, item.kind)
    entries: dict[Key, Entry] = {}
    lines: dict[Key, tuple[int, ...]] = {}
    for context, text, line in units:
        if not text:
            continue
        lines[(context, text)] = (*lines.get((context, text), ()), line)
        if (context, text) in entries:
            continue  # the same sentence twice in a file is one entry, as in the .pot
        translation = catalog.entries.get((context, text), "") if catalog else ""
        review = catalog is not None and (context, text) in catalog.needs_review
        entries[(context, text)] = Entry(context, text, line, translation, review)
    groups = [Group(context, titles.get(context, context), kinds.get(context, "quiz"))
              for context in dict.fromkeys(e.context for e in entries.values())]
    return TranslationWork(folder, locale, manifest.id, manifest.version, groups, list(entries.values()), lines)


def add_language(principal: Principal, folder: Path, code: str) -> None:
    """Make `code` one of the course's translations: an empty translations/<code>.po, then the code
    added to `translations:` in course.yaml (both written atomically, the catalog first so the course
    never names a file that does not exist)."""
    require(principal, TRAINER)
    folder = Path(folder)
    manifest, _units = translation_units(folder)
    if not LANGUAGE_PATTERN.match(code) or code == manifest.source_language:
        raise InvalidInput([Problem(MANIFEST, 0, _("'{code}' cannot be a translation of this course.")
                                    .format(code=code))])
    if code in manifest.translations:
        return
    yaml_text = (folder / MANIFEST).read_text(encoding="utf-8-sig")
    new_yaml = _with_translation(yaml_text, code)
    work = TranslationWork(folder, code, manifest.id, manifest.version, [], [])
    if not work.po_path.exists():
        work._write({})
    atomic.write_text(folder / MANIFEST, new_yaml)


def _with_translation(yaml_text: str, code: str) -> str:
    """course.yaml with `code` appended to its translations, the rest of the file untouched."""
    lines = yaml_text.split("\n")
    for number, line in enumerate(lines):
        match = re.match(r"^translations:\s*\[(.*)\](\s*#.*)?$", line)
        if match:
            codes = [c.strip() for c in match.group(1).split(",") if c.strip()]
            lines[number] = f"translations: [{', '.join([*codes, code])}]{match.group(2) or ''}"
            return "\n".join(lines)
        if re.match(r"^translations:\s*(#.*)?$", line):  # a block list: add an item after the last one
            end = number + 1
            while end < len(lines) and re.match(r"^\s+-\s", lines[end]):
                end += 1
            indent = re.match(r"^(\s+)-", lines[end - 1]).group(1) if end > number + 1 else "  "
            lines.insert(end, f"{indent}- {code}")
            return "\n".join(lines)
    for number, line in enumerate(lines):
        if line.startswith("source_language:"):
            lines.insert(number + 1, f"translations: [{code}]")
            return "\n".join(lines)
    raise InvalidInput([Problem(MANIFEST, 0, _("The manifest's 'translations' list could not be found; add "
                                               "'{code}' to it by hand.").format(code=code))])


def _clean(text: str) -> str:
    """Editors add a trailing newline or spaces; the loader compares whole blocks, so drop them."""
    return text.strip("\n").rstrip() if text.strip() else ""


def _structure_problem(entry: Entry, translation: str, file: str, line: int) -> Problem | None:
    if entry.kind == "lesson" and translation and not markdown.same_structure(entry.source, translation):
        return Problem(file, line, _("The translation changes the Markdown structure of its source (a heading, "
                                     "list or table must stay one, with the same columns)."))
    return None


def _agreed_plural_forms(code: str) -> str | None:
    for info in shipped_locales():
        if info.code == code:
            return info.plural_forms
    return None


def _normal_plural(value: str) -> tuple[str, str]:
    parts = dict(p.split("=", 1) for p in (s.strip() for s in value.split(";")) if "=" in p)
    expr = re.sub(r"\s+", "", parts.get("plural", ""))
    while expr.startswith("(") and expr.endswith(")") and _balanced(expr[1:-1]):
        expr = expr[1:-1]
    return parts.get("nplurals", "").strip(), expr


def _balanced(expr: str) -> bool:
    depth = 0
    for char in expr:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _primary(language: str) -> str:
    return re.split(r"[_\-@.]", language.strip().lower())[0]


def _babel_locale(code: str) -> str | None:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
        return code
    except (UnknownLocaleError, ValueError):  # a code Babel's CLDR data lacks: no Language line
        return None


def _header(text: str) -> dict[str, str]:
    """The header fields of a PO file (the msgstr of the first, empty msgid)."""
    match = re.search(r'^msgid ""\s*\nmsgstr ((?:"(?:[^"\\]|\\.)*"\s*\n?)+)', text, re.MULTILINE)
    if not match:
        return {}
    body = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1)))
    body = body.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")
    return {k.strip(): v.strip() for k, _sep, v in (line.partition(":") for line in body.split("\n")) if _sep}


def _header_line(text: str, field_name: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip().startswith(f'"{field_name}:'):
            return number
    return 0
