"""Load a course package: validate everything, then build the immutable Course, or refuse it whole.

    course = load_course(Path("courses/ai-foundations"), locale="ko")   # raises InvalidInput

Every problem in every file is collected before refusing, so a trainer fixes them in one pass.
"""

from __future__ import annotations

from collections.abc import Collection

import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from app.core.course import markdown
from app.core.course.model import Author, Course, Item, Lesson, LocalText, Module, QuizRules
from app.core.course.quiz import Quiz, parse_quiz, translatable_texts
from app.core.course.source import MANIFEST, PackageSource, normalise
from app.core.course.translation import CourseCatalog, read_catalog
from app.core.course.yamlfields import Fields, each_mapping, parse_yaml
from app.core.i18n import _
from app.core.problems import InvalidInput, Problem

FORMAT_VERSION = 1
VERSION_PATTERN = re.compile(r"^\d+\.\d+\.\d+$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2})?$")
ITEM_KINDS = ("lesson", "quiz", "lab")


@dataclass(frozen=True)
class _RawItem:
    id: str
    kind: str
    target: str
    title: str
    minutes: int
    rules: QuizRules | None
    line: int


@dataclass(frozen=True)
class _RawModule:
    id: str
    title: str
    items: tuple[_RawItem, ...]


@dataclass(frozen=True)
class Manifest:
    """The manifest as written, in the source language."""

    id: str
    version: str
    title: str
    summary: str
    source_language: str
    translations: tuple[str, ...]
    licence: str
    authors: tuple[Author, ...]
    estimated_minutes: int
    rules: QuizRules
    modules: tuple[_RawModule, ...]


def read_manifest(source: PackageSource, problems: list[Problem]) -> Manifest | None:
    text = source.read_text(MANIFEST, problems)
    if text is None:
        if not source.exists(MANIFEST):
            problems[-1] = Problem(MANIFEST, 0, _("The package has no course.yaml manifest at its top level."))
        return None
    root = parse_yaml(text, MANIFEST, problems)
    if root is None:
        return None
    f = Fields(root, MANIFEST, problems, _("The manifest"))
    if not f.ok:
        return None
    f.reject_unknown({"format", "id", "version", "title", "summary", "source_language", "translations", "licence",
                      "authors", "estimated_minutes", "quiz_rules", "modules"})
    fmt = f.number("format", integer=True)
    if fmt is not None and fmt != FORMAT_VERSION:
        f.problem(f.line_of("format"), _("This package uses course format {n}; this app reads format {v}. "
                                         "Update the app or export the course in format {v}.")
                  .format(n=int(fmt), v=FORMAT_VERSION))
        return None
    course_id = f.identifier("id")
    version = f.text("version")
    if version and not VERSION_PATTERN.match(version):
        f.problem(f.line_of("version"), _("'version' should look like 1.0.0 (major.minor.patch)."))
    source_language = f.text("source_language")
    translations = tuple(f.texts("translations"))
    for code in (source_language, *translations):
        if code and not LANGUAGE_PATTERN.match(code):
            f.problem(f.line_of("translations" if code in translations else "source_language"),
                      _("'{code}' is not a language code; use codes such as en, ko or uz_Latn.").format(code=code))
    if source_language in translations:
        f.problem(f.line_of("translations"), _("The source language '{code}' is listed as a translation too.")
                  .format(code=source_language))
    authors = []
    for a in each_mapping(f.items("authors"), MANIFEST, problems, _("An author")):
        a.reject_unknown({"name", "organisation"})
        authors.append(Author(a.text("name"), a.text("organisation", required=False)))
    rules = QuizRules()
    if f.has("quiz_rules"):
        rules = _rules(Fields(f.node("quiz_rules"), MANIFEST, problems, "quiz_rules"), rules, ("pass_percent",
                                                                                               "max_attempts"))
    manifest = Manifest(
        id=course_id, version=version, title=f.text("title"), summary=f.text("summary"),
        source_language=source_language, translations=translations, licence=f.text("licence"),
        authors=tuple(authors),
        estimated_minutes=int(f.number("estimated_minutes", minimum=1, maximum=100000, integer=True) or 0),
        rules=rules, modules=tuple(_modules(f, rules)))
    return manifest


def _rules(f: Fields, base: QuizRules, allowed: tuple[str, ...]) -> QuizRules:
    if f.ok and allowed == ("pass_percent", "max_attempts"):
        f.reject_unknown(set(allowed))
    pass_percent = f.number("pass_percent", required=False, default=base.pass_percent, minimum=0, maximum=100)
    attempts = f.number("max_attempts", required=False, default=base.max_attempts, minimum=0, maximum=100,
                        integer=True)
    return QuizRules(float(pass_percent), int(attempts))


def _modules(f: Fields, rules: QuizRules) -> list[_RawModule]:
    modules: list[_RawModule] = []
    ids: dict[str, int] = {}

    def claim(value: str, line: int, fields: Fields) -> None:
        if value in ids:
            fields.problem(line, _("The id '{id}' is already used on line {line}; module and item ids must be "
                                   "unique in a course.").format(id=value, line=ids[value]))
        elif value:
            ids[value] = line

    for m in each_mapping(f.items("modules"), MANIFEST, f.problems, _("A module")):
        m.reject_unknown({"id", "title", "items"})
        module_id = m.identifier()
        claim(module_id, m.line_of("id"), m)
        items = []
        for i in each_mapping(m.items("items"), MANIFEST, f.problems, _("An item")):
            kinds = [k for k in ITEM_KINDS if i.has(k)]
            if len(kinds) != 1:
                i.problem(i.line, _("Each item needs exactly one of 'lesson', 'quiz' or 'lab' (found {n}).")
                          .format(n=len(kinds)))
                continue
            kind = kinds[0]
            allowed = {kind, "id", "title", "minutes"} | ({"pass_percent", "max_attempts"} if kind == "quiz" else set())
            i.reject_unknown(allowed)
            item_id = i.identifier()
            claim(item_id, i.line_of("id"), i)
            target = i.text(kind)
            if kind != "lab" and target:
                norm = normalise(target)
                if norm is None:
                    i.problem(i.line_of(kind), _("The path '{path}' leads outside the package; use a path inside "
                                                 "it, such as lessons/intro.md.").format(path=target))
                    continue
                target = norm
            items.append(_RawItem(item_id, kind, target, i.text("title"),
                                  int(i.number("minutes", required=False, default=0, minimum=0, maximum=10000,
                                               integer=True) or 0),
                                  _rules(i, rules, ()) if kind == "quiz" else None, i.line))
        modules.append(_RawModule(module_id, m.text("title"), tuple(items)))
    return modules


def _read_catalogs(source: PackageSource, manifest: Manifest, problems: list[Problem],
                   only: str | None = None) -> dict[str, CourseCatalog]:
    catalogs = {}
    for code in manifest.translations:
        if only is not None and code != only:
            continue
        path = f"translations/{code}.po"
        text = source.read_text(path, problems)
        if text is None:
            continue
        catalog = read_catalog(code, path, text, problems)
        if catalog is not None:
            catalogs[code] = catalog
    return catalogs


def _check_catalog_markdown(catalog: CourseCatalog, lesson_paths: set[str], problems: list[Problem]) -> None:
    for (context, source_text), translated in catalog.entries.items():
        if context in lesson_paths and not markdown.same_structure(source_text, translated):
            problems.append(Problem(catalog.path, catalog.lines.get((context, source_text), 0),
                                    _("The translation changes the Markdown structure of its source (a heading, "
                                      "list or table must stay one, with the same columns).")))


def load_course(location: Path | PackageSource, locale: str | None = None,
                known_labs: Collection[str] | None = None) -> Course:
    """Validate and load a package (folder or .zip); show it in `locale` where translated.

    With no locale (`course check`) every translation is read and validated; with one, only its own.
    `known_labs` (the ids this build ships, given by the caller: the core does not know the labs)
    makes a reference to any other lab a problem.
    """
    # A source already open (the course editor's files in memory) is validated as it is.
    source = location if isinstance(location, PackageSource) else PackageSource.open(Path(location))
    location = source.location
    problems: list[Problem] = []
    manifest = read_manifest(source, problems)
    if manifest is None:
        raise InvalidInput(problems)
    # The app reads only the catalog it shows (nine others would cost start-up time and memory);
    # `course check` (locale None) reads and validates every one.
    catalogs = _read_catalogs(source, manifest, problems, only=locale or None)
    display = locale if locale in catalogs else manifest.source_language
    catalog = catalogs.get(display)

    def tr_in(context: str):
        def tr(text: str) -> LocalText:
            if not text or catalog is None:
                return LocalText(text)
            translated = catalog.lookup(context, text)
            return LocalText(translated, False) if translated else LocalText(text, True)
        return tr

    tr_manifest = tr_in(MANIFEST)
    lessons: dict[str, Lesson] = {}
    quizzes: dict[str, Quiz] = {}
    modules = []
    lesson_paths: set[str] = set()
    for raw_module in manifest.modules:
        items = []
        for raw in raw_module.items:
            if raw.kind == "lab" and known_labs is not None and raw.target not in known_labs:
                problems.append(Problem(MANIFEST, raw.line, _("There is no lab '{lab}' in this version of the app; "
                                                              "labs it ships: {labs}.").format(
                    lab=raw.target, labs=", ".join(sorted(known_labs)))))
            if raw.kind != "lab" and raw.target and not source.exists(raw.target):
                problems.append(Problem(MANIFEST, raw.line, _("'{path}' is not in the package; add the file or "
                                                              "correct the path.").format(path=raw.target)))
            elif raw.kind == "lesson" and raw.target:
                lesson_paths.add(raw.target)
                lesson = _load_lesson(source, raw, catalog, problems)
                if lesson:
                    lessons[raw.id] = lesson
            elif raw.kind == "quiz" and raw.target:
                text = source.read_text(raw.target, problems)
                quiz = parse_quiz(text, raw.target, problems, tr_in(raw.target)) if text is not None else None
                if quiz is not None:
                    quizzes[raw.id] = quiz
            items.append(Item(raw.id, raw.kind, tr_manifest(raw.title), raw.target, raw.minutes, raw.rules))
        modules.append(Module(raw_module.id, tr_manifest(raw_module.title), tuple(items)))
    for each in catalogs.values():
        _check_catalog_markdown(each, lesson_paths, problems)
    if problems:
        raise InvalidInput(problems)
    return Course(
        id=manifest.id, version=manifest.version, title=tr_manifest(manifest.title),
        summary=tr_manifest(manifest.summary), source_language=manifest.source_language,
        translations=manifest.translations, licence=manifest.licence, authors=manifest.authors,
        estimated_minutes=manifest.estimated_minutes, modules=tuple(modules), location=str(location),
        locale=display, lessons=MappingProxyType(lessons), quizzes=MappingProxyType(quizzes))


def _load_lesson(source: PackageSource, raw: _RawItem, catalog: CourseCatalog | None,
                 problems: list[Problem]) -> Lesson | None:
    text = source.read_text(raw.target, problems)
    if text is None:
        return None
    markdown.check_lesson(text, raw.target, source, problems)
    if catalog is None:
        return Lesson(raw.id, raw.target, text)
    translated, untranslated, _total = markdown.apply_translation(
        text, lambda block: catalog.lookup(raw.target, block))
    return Lesson(raw.id, raw.target, translated, tuple(untranslated))


def translation_units(location: Path) -> tuple[Manifest, list[tuple[str, str, int]]]:
    """Every translatable (file, text, line) of a valid package, in reading order, for the .pot."""
    course = load_course(location)  # refuses broken packages first
    source = PackageSource.open(Path(location))
    problems: list[Problem] = []
    manifest = read_manifest(source, problems)
    assert manifest is not None
    units: list[tuple[str, str, int]] = [(MANIFEST, manifest.title, 0), (MANIFEST, manifest.summary, 0)]
    for module in manifest.modules:
        units.append((MANIFEST, module.title, 0))
        units.extend((MANIFEST, item.title, item.line) for item in module.items)
    for item in course.items:
        if item.kind == "lesson":
            text = source.read_text(item.target, problems) or ""
            units.extend((item.target, b.text, b.start + 1) for b in markdown.split_blocks(text) if b.translatable)
        elif item.kind == "quiz":
            text = source.read_text(item.target, problems) or ""
            units.extend((item.target, t, line) for t, line in translatable_texts(text, item.target))
    return manifest, units


def translation_coverage(location: Path) -> dict[str, tuple[int, int, int]]:
    """Per translation: (translated units, all units, units marked needs-review)."""
    manifest, units = translation_units(location)
    source = PackageSource.open(Path(location))
    keys = {(ctx, text) for ctx, text, _line in units}
    coverage = {}
    for code, catalog in _read_catalogs(source, manifest, []).items():
        done = sum(1 for key in keys if catalog.entries.get(key))
        coverage[code] = (done, len(keys), len(keys & catalog.needs_review))
    return coverage


def localised_image(source: PackageSource, path: str, locale: str) -> str:
    """`images/<locale>/x.svg` when the package has it, else `path` itself (images/x.svg)."""
    if not locale or "/" not in path:
        return path
    folder, name = path.rsplit("/", 1)
    candidate = f"{folder}/{locale}/{name}"
    return candidate if source.exists(candidate) else path


def image_coverage(location: Path) -> dict[str, tuple[int, int]]:
    """Per translation: (lesson images with a version in that language, all lesson images)."""
    manifest, _units = translation_units(location)
    source = PackageSource.open(Path(location))
    images: set[str] = set()
    for module in manifest.modules:
        for raw in module.items:
            if raw.kind != "lesson" or not source.exists(raw.target):
                continue
            text = source.read_text(raw.target, [])
            images.update(markdown.image_paths(text or "", raw.target))
    return {code: (sum(1 for path in images if localised_image(source, path, code) != path), len(images))
            for code in manifest.translations}
