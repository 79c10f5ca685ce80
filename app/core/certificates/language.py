"""Texts in the learner's language, whatever language the app itself is showing.

A trainer working in English prints a Korean learner's certificate in Korean: the strings are marked
with N_() (so `i18n update` extracts them) and looked up in the learner's catalog here, not with _().
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache

from app.core.i18n import DOMAIN, best_locale
from app.core.resources import localisation_dir

_BCP47 = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")  # Open Badges' LanguageCode


@lru_cache(maxsize=16)
def translator(locale: str) -> gettext.NullTranslations:
    """The UI catalog of the shipped language closest to `locale` (English when there is none)."""
    return gettext.translation(DOMAIN, localisation_dir(), [best_locale(locale)], fallback=True)


def text(message: str, locale: str) -> str:
    return translator(locale).gettext(message)


def language_tag(locale: str) -> str | None:
    """"ko", "ko_KR", "ko-kr" -> "ko", "ko-KR", "ko-KR"; None when it is not a language code."""
    if not isinstance(locale, str):
        return None
    parts = locale.strip().replace("_", "-").split(".")[0].split("-")
    if not parts or not parts[0]:
        return None
    tag = [parts[0].lower()] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]]
    joined = "-".join(tag)
    return joined if _BCP47.match(joined) else None
