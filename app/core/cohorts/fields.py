"""A member's fields, checked one way for a member typed in and for every row of a staff list, so both
say the same thing about the same mistake.

Staff numbers are compared by their key (NFKC, no surrounding spaces, case folded): "ab-12", "AB-12"
and the full-width "ＡＢ-１２" a Korean IME types are one number. Names are compared the same way, with
inner runs of spaces collapsed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from app.core.i18n import N_, _, shipped_locales

NAME_MAX = 200
STAFF_MAX = 64
DEPARTMENT_MAX = 200
GROUP_MAX = 100

FIELDS = ("name", "staff_number", "department", "language", "group")
LABELS = {"name": N_("Name"), "staff_number": N_("Staff number"), "department": N_("Department"),
          "language": N_("Language"), "group": N_("Group")}


def label(field: str) -> str:
    """The field's name as the person reading a message calls it."""
    return _(LABELS[field]) if field in LABELS else field


def fold(text: str) -> str:
    """Comparison key of a name: NFKC, case folded, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def staff_key(number: str | None) -> str | None:
    """Comparison key of a staff number; None when there is none."""
    if number is None:
        return None
    key = unicodedata.normalize("NFKC", number).strip().casefold()
    return key or None


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: Excel stores 12345 as 12345.0, which is the staff number 12345."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """Folded name -> locale code: each shipped language's code, its own name, and its name in every
    shipped language (CLDR, via Babel): "ko", "한국어", "Korean", "coreano", "كورية"..."""
    from babel import Locale, UnknownLocaleError

    names: dict[str, str] = {}
    codes = [info.code for info in shipped_locales()]
    for info in shipped_locales():
        names[fold(info.code)] = info.code
        names[fold(info.name)] = info.code
        for other in codes:
            try:
                shown = Locale.parse(info.code).get_display_name(other)
            except (UnknownLocaleError, ValueError):
                continue
            if shown:
                names.setdefault(fold(shown), info.code)
    return names


def parse_language(text: str) -> str | None:
    """The shipped locale code `text` names ("ko", "ko-KR", "한국어", "Korean"), else None."""
    key = fold(text)
    names = _language_names()
    if key in names:
        return names[key]
    base = key.replace("_", "-").split("-")[0]  # a region or script tag: ko-KR, uz_Latn
    return names.get(base) if base and len(base) <= 3 else None


def language_hint() -> str:
    return ", ".join(f"{info.code} ({info.name})" for info in shipped_locales())


@dataclass(frozen=True)
class MemberFields:
    name: str
    staff_number: str | None
    department: str
    language: str | None  # a shipped locale code
    group: str | None  # a group's name (staff lists); None: no group

    @property
    def staff_key(self) -> str | None:
        return staff_key(self.staff_number)


def clean_member(raw: Mapping[str, Any]) -> tuple[MemberFields | None, list[tuple[str, str]]]:
    """(fields, problems): each problem is (field, what is wrong); fields is None when there is one."""
    problems: list[tuple[str, str]] = []
    name = " ".join(cell_text(raw.get("name")).split())
    if not name:
        problems.append(("name", _("The name is missing.")))
    elif len(name) > NAME_MAX:
        problems.append(("name", _("The name is longer than {n} characters.").format(n=NAME_MAX)))
    number = unicodedata.normalize("NFKC", cell_text(raw.get("staff_number"))).strip() or None
    if number is not None and len(number) > STAFF_MAX:
        problems.append(("staff_number", _("The staff number is longer than {n} characters.").format(n=STAFF_MAX)))
    elif number is not None and any(unicodedata.category(c).startswith("C") for c in number):
        problems.append(("staff_number", _("The staff number holds a control character.")))
    department = " ".join(cell_text(raw.get("department")).split())
    if len(department) > DEPARTMENT_MAX:
        problems.append(("department", _("The department is longer than {n} characters.").format(
            n=DEPARTMENT_MAX)))
    language_text = cell_text(raw.get("language"))
    language = parse_language(language_text) if language_text else None
    if language_text and language is None:
        problems.append(("language", _("Unknown language '{text}'. Use one of: {languages}.").format(
            text=language_text, languages=language_hint())))
    group = " ".join(cell_text(raw.get("group")).split()) or None
    if group is not None and len(group) > GROUP_MAX:
        problems.append(("group", _("The group name is longer than {n} characters.").format(n=GROUP_MAX)))
    if problems:
        return None, problems
    return MemberFields(name, number, department, language, group), []
