"""The one translation helper for user-visible strings, and the list of shipped locales.

Call sites write `_("Open course")` or `ngettext("{n} lesson", "{n} lessons", n).format(n=n)`;
`python main.py i18n update` extracts them into localisation/<code>/LC_MESSAGES/messages.po and
`python main.py i18n compile` writes the .mo files read here with the standard gettext module
(cheap enough for the start-up path, unlike parsing .po files).
"""

from __future__ import annotations

import gettext as _gettext
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from app.core.resources import localisation_dir

DOMAIN = "messages"
DEFAULT_LOCALE = "en"

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_current = DEFAULT_LOCALE


@dataclass(frozen=True)
class LocaleInfo:
    code: str
    name: str  # in its own language
    direction: str  # "ltr" or "rtl"
    plural_forms: str = "nplurals=2; plural=(n != 1);"  # the gettext header agreed for the language
    plural_examples: tuple[int, ...] = (1, 2)  # one number per plural form, in form order
    fonts: tuple[str, ...] = ()  # font families tried first for this language

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


@lru_cache(maxsize=1)
def shipped_locales() -> tuple[LocaleInfo, ...]:
    with open(localisation_dir() / "locales.toml", "rb") as f:
        data = tomllib.load(f)
    return tuple(LocaleInfo(e["code"], e["name"], e.get("direction", "ltr"),
                            e.get("plural_forms", LocaleInfo.plural_forms),
                            tuple(e.get("plural_examples", LocaleInfo.plural_examples)),
                            tuple(e.get("fonts", ()))) for e in data["locale"])


def locale_info(code: str) -> LocaleInfo:
    for info in shipped_locales():
        if info.code == code:
            return info
    return shipped_locales()[0]


def best_locale(requested: str | None) -> str:
    """The shipped locale closest to `requested` ("ko_KR.UTF-8" -> "ko"), else English."""
    codes = [info.code for info in shipped_locales()]
    if requested:
        tag = requested.replace("-", "_").split(".")[0]
        for candidate in (tag, tag.split("_")[0]):
            if candidate in codes:
                return candidate
    return DEFAULT_LOCALE


def set_locale(code: str) -> None:
    """Switch every later `_()` call to `code`; unknown codes fall back to the source strings."""
    global _translation, _current
    _current = best_locale(code)
    _translation = _gettext.translation(DOMAIN, localisation_dir(), [_current], fallback=True)


def current_locale() -> str:
    return _current


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for extraction where it must stay untranslated until shown."""
    return message
