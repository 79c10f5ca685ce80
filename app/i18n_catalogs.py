"""Maintain the UI catalogs: `python main.py i18n update|compile|check` (Babel, gettext format).

update  extracts every _(), ngettext() and N_() string from app/ and labs/ into
        localisation/messages.pot, merges it into each shipped locale's messages.po (creating the
        catalog of a newly listed locale) and compiles them: the one command after changing code
compile writes messages.mo next to each .po (the app reads only .mo)
check   fails when a .po lacks a string of the code, has an empty or fuzzy entry, an empty plural
        form, changes the {placeholders} of its source, carries a Plural-Forms header other than
        the one agreed in locales.toml, fails `msgfmt --check` (GNU gettext; every UI and course
        .po), or when a .mo is older than its .po's content — CI runs it.
"""

from __future__ import annotations

import datetime
import io
import re
import sys
from pathlib import Path

from app.core.i18n import DEFAULT_LOCALE, DOMAIN, locale_info, shipped_locales
from app.core.resources import localisation_dir, resource_root

KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
REVIEW = "needs-review"


def _template():
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    root = resource_root()
    catalog = Catalog(project="civic-ai-academy", charset="utf-8", fuzzy=False)
    for folder in ("app", "labs"):
        for filename, lineno, message, comments, context in extract_from_dir(
                root / folder, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
            catalog.add(message, None, [(f"{folder}/{filename}", lineno)], auto_comments=comments, context=context)
    for message in catalog:
        # Our strings use {name} placeholders, never %-formatting: without this, "({share}% of the rows)"
        # is flagged python-format and msgfmt --check demands a "%o" in every translation.
        message.flags.discard("python-format")
    return catalog


def _po_path(code: str) -> Path:
    return localisation_dir() / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(path: Path, code: str):
    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        return read_po(f, locale=code, domain=DOMAIN)


def _write_po(path: Path, catalog) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, include_previous=False)
    path.write_bytes(buffer.getvalue())


def _mo_bytes(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def translated_locales() -> list[str]:
    return [info.code for info in shipped_locales() if info.code != DEFAULT_LOCALE]


def update() -> int:
    from babel.messages.catalog import Catalog

    template = _template()
    _write_po(localisation_dir() / f"{DOMAIN}.pot", template)
    for code in translated_locales():
        path = _po_path(code)
        catalog = _read(path, code) if path.exists() else Catalog(locale=code, domain=DOMAIN, project="civic-ai-academy", fuzzy=False)
        _agree_plural_forms(catalog, code)
        _fill_header(catalog)
        # update() replaces extracted comments with the code's; keep the reviewers' "needs-review" marks.
        review = {(m.context, _key(m.id)) for m in catalog if m.id and REVIEW in m.auto_comments}
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        for message in catalog:
            if message.id and (message.context, _key(message.id)) in review and REVIEW not in message.auto_comments:
                message.auto_comments.append(REVIEW)
            message.flags.discard("python-format")  # see _template
        catalog.obsolete.clear()
        _write_po(path, catalog)
        print(f"{path}: {sum(1 for m in catalog if m.id and not _done(m))} untranslated")
    return compile_all()


def _agree_plural_forms(catalog, code: str) -> None:
    """Give the catalog the Plural-Forms header agreed in locales.toml (Babel's may differ)."""
    catalog.mime_headers = [(name, value) for name, value in catalog.mime_headers if name != "Plural-Forms"] + \
        [("Plural-Forms", locale_info(code).plural_forms)]


def _fill_header(catalog) -> None:
    """Replace Babel's placeholders, which translators' tools (and msgfmt) flag as unset."""
    from app import __version__

    catalog.project, catalog.version = "civic-ai-academy", __version__
    if catalog.last_translator in (None, "", "FULL NAME <EMAIL@ADDRESS>"):
        catalog.last_translator = "Machine draft, awaiting a native reviewer (see #. needs-review)"
    if not isinstance(catalog.revision_date, datetime.datetime):  # Babel's "YEAR-MO-DA HO:MI+ZONE"
        catalog.revision_date = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    if catalog.msgid_bugs_address in (None, "", "EMAIL@ADDRESS"):
        catalog.msgid_bugs_address = "translations@civic-ai-academy.invalid"


def _normal(formula: str) -> str:
    return "".join(formula.split()).rstrip(";")


def plural_header_problem(header: str, code: str) -> str | None:
    """Why a catalog's Plural-Forms header is not the agreed one for `code`, or None."""
    agreed = locale_info(code).plural_forms if code in {i.code for i in shipped_locales()} else None
    if agreed is None:
        return f"'{code}' is not a shipped locale (localisation/locales.toml)"
    if _normal(header) != _normal(agreed):
        return f"Plural-Forms is {header!r}; the agreed formula for {code} is {agreed!r} (localisation/locales.toml)"
    return None


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def compile_all() -> int:
    for code in translated_locales():
        path = _po_path(code)
        path.with_suffix(".mo").write_bytes(_mo_bytes(_read(path, code)))
        print(f"{path.with_suffix('.mo')}: written")
    return 0


def _done(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(s for s in strings)


def problems() -> list[str]:
    """Everything wrong with the catalogs, as 'file:line: message' lines."""
    found = []
    wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _template() if m.id}
    for code in translated_locales():
        path = _po_path(code)
        if not path.exists():
            found.append(f"{path}: missing; run `python main.py i18n update`")
            continue
        catalog = _read(path, code)
        header = dict(catalog.mime_headers).get("Plural-Forms", "")
        wrong = plural_header_problem(header, code)
        if wrong:
            found.append(f"{path}: {wrong}")
        have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
        for _context, msgid in sorted(wanted - have, key=str):
            found.append(f"{path}: lacks {msgid!r}; run `python main.py i18n update`, then translate it")
        for _context, msgid in sorted(have - wanted, key=str):
            found.append(f"{path}: has {msgid!r}, which the code no longer uses; run `python main.py i18n update`")
        for message in catalog:
            if not message.id:
                continue
            where = f"{path}:{message.lineno}"
            if message.fuzzy:
                found.append(f"{where}: fuzzy entry (gettext ignores it); translate it and remove the flag")
            if not _done(message):
                found.append(f"{where}: not translated, or a plural form is empty (all forms are needed)")
                continue
            if isinstance(message.id, (list, tuple)) and len(message.string) != catalog.num_plurals:
                found.append(f"{where}: has {len(message.string)} plural forms; {code} has {catalog.num_plurals}")
            sources = message.id if isinstance(message.id, (list, tuple)) else [message.id]
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            expected = set(PLACEHOLDER.findall(sources[-1])) | set(PLACEHOLDER.findall(sources[0]))
            for s in strings:
                extra = set(PLACEHOLDER.findall(s)) - expected
                if extra:
                    found.append(f"{where}: translation uses unknown placeholder(s) {sorted(extra)}")
            # Plural forms may each drop the number ("one lesson"), but together they must use them all.
            missing = set(PLACEHOLDER.findall(sources[-1])) - {p for s in strings for p in PLACEHOLDER.findall(s)}
            if missing:
                found.append(f"{where}: translation drops placeholder(s) {sorted(missing)}")
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != _mo_bytes(catalog):
            found.append(f"{mo}: out of date; run `python main.py i18n compile`")
    found += _course_header_problems()
    found += msgfmt_problems(all_po_files())
    return found


def all_po_files() -> list[Path]:
    """Every .po we ship: the UI catalogs and each bundled course's translations."""
    root = resource_root()
    return sorted([*localisation_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.po"), *root.glob("courses/*/translations/*.po")])


def _course_header_problems() -> list[str]:
    found = []
    for path in resource_root().glob("courses/*/translations/*.po"):
        catalog = _read(path, path.stem)
        wrong = plural_header_problem(dict(catalog.mime_headers).get("Plural-Forms", ""), path.stem)
        if wrong:
            found.append(f"{path}: {wrong}")
    return found


def msgfmt_problems(paths: list[Path]) -> list[str]:
    """GNU msgfmt --check on each file: the format check translators' own tools rely on."""
    import shutil
    import subprocess

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return ["msgfmt not found: install GNU gettext (packaging/dev.sh test does) so that every .po "
                "can be checked with `msgfmt --check`"]
    found = []
    for path in paths:
        done = subprocess.run([msgfmt, "--check", "--output-file=/dev/null" if sys.platform != "win32" else "NUL",
                               str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            found += [line for line in done.stderr.splitlines() if line.strip()] or [f"{path}: msgfmt --check failed"]
    return found


def run(action: str) -> int:
    if action == "update":
        return update()
    if action == "compile":
        return compile_all()
    issues = problems()
    for line in issues:
        print(line, file=sys.stderr)
    print(f"{len(issues)} catalog problem(s)" if issues else "catalogs are complete and up to date")
    return 1 if issues else 0
