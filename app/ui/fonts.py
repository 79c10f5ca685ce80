"""The bundled Noto fonts: registered once at start-up, then used as an explicit family list.

Qt picks, character by character, the first family in the list that has the glyph, so one list
renders a Korean, Arabic or Khmer sentence with Latin words inside it on a PC that has no fonts
for those scripts (and uses the same faces on every PC, so screens look as tested). Which files to
register, and in what order to try them, is data: localisation/fonts/fonts.toml.
"""

from __future__ import annotations

import logging
import tomllib
from functools import lru_cache

from PySide6.QtGui import QFont, QFontDatabase

from app.core.i18n import locale_info
from app.core.resources import localisation_dir

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def register_bundled_fonts() -> tuple[str, ...]:
    """Add the bundled font files to Qt; return the fallback families that are really available."""
    folder = localisation_dir() / "fonts"
    try:
        with open(folder / "fonts.toml", "rb") as f:
            spec = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        log.exception("bundled fonts: cannot read %s", folder / "fonts.toml")
        return ()
    registered: set[str] = set()
    for name in spec.get("files", []):
        font_id = QFontDatabase.addApplicationFont(str(folder / name))
        if font_id < 0:  # a damaged or missing file: the rest still work
            log.warning("bundled fonts: Qt could not load %s", folder / name)
            continue
        registered.update(QFontDatabase.applicationFontFamilies(font_id))
    return tuple(family for family in spec.get("fallback", []) if family in registered)


def families_for(code: str) -> list[str]:
    """Font families in the order to try them for UI text in locale `code`."""
    fallback = list(register_bundled_fonts())
    first = [f for f in locale_info(code).fonts if f in fallback]
    return first + [f for f in fallback if f not in first]


def localised_font(font: QFont, code: str) -> QFont:
    """`font` (size, weight kept) with the family list for `code`."""
    families = families_for(code)
    result = QFont(font)
    if families:
        result.setFamilies(families)
    return result
