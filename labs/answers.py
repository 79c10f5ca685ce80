"""Answers learners type into a lab's questions, read the way people write them (no Qt)."""

from __future__ import annotations

import math
import re
import unicodedata


def parse_percent(text: str) -> float | None:
    """A share typed by a learner, as a percentage: "79", "79 %", "0.79", "79,5", "٧٩٪" -> 79.0 or 79.5."""
    digits = "".join(str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
                     for ch in text.strip())
    cleaned = digits.replace("\u066b", ".").replace(",", ".").replace("%", "").replace("\u066a", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if not 0 <= value <= 100:
        return None
    fraction = value < 1 or (value == 1 and "." in cleaned)  # "0.79" and "1.0" are shares, "1" is 1%
    return value * 100 if fraction else value


_LEADING_NUMBER = re.compile(r"([+-]?[0-9][0-9.,'\s]*)([eE][+-]?[0-9]+)?")


def parse_number(text: str, locale: str | None = None) -> float | None:
    """A number as a learner types it, in any of the app's languages: "6.5", "6,5", "٦٫٥", "30,000", "30 000",
    "30.000" (Spanish), "1,234.5", "1.234,5", "30000 kWh" -> 6.5 or 30000.0; None if the text does not start
    with a number.

    A separator that appears twice, or beside the other kind, groups thousands. A single "," or "." followed by
    exactly three digits ("55,000", "55.000") is ambiguous: it groups thousands when it is the display language's
    group separator (English "55,000", Spanish "55.000"), else it is the decimal mark ("2,500" in French is 2.5 —
    as the app itself writes numbers, app/core/formatting.py)."""
    digits = "".join(str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
                     for ch in (text or "").strip())
    digits = (digits.replace("\u066b", ".").replace("\u066c", ",").replace("\u00a0", " ").replace("\u202f", " ")
              .replace("\u2212", "-"))
    found = _LEADING_NUMBER.match(digits)
    if not found:
        return None
    number, exponent = re.sub(r"[\s']", "", found.group(1)).rstrip(".,"), found.group(2) or ""
    commas, points = number.count(","), number.count(".")
    if commas and points:  # the one written last is the decimal mark
        decimal = "," if number.rfind(",") > number.rfind(".") else "."
        number = number.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif commas > 1 or points > 1:
        number = number.replace(",", "").replace(".", "")
    elif commas or points:
        mark = "," if commas else "."
        grouped = re.fullmatch(r"[+-]?\d{1,3}[,.]\d{3}", number) is not None
        number = number.replace(mark, "") if grouped and mark == _group_symbol(locale) else number.replace(",", ".")
    try:
        value = float(number + exponent)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _group_symbol(locale: str | None) -> str | None:
    """"," or "." when the language groups thousands with it; None when it groups with a space (French, Russian...),
    where a single comma is always the decimal mark."""
    from babel.numbers import get_group_symbol

    from app.core.i18n import current_locale

    try:
        symbol = get_group_symbol(locale or current_locale())
    except Exception:  # noqa: BLE001 - an unknown locale: English's
        symbol = ","
    return {",": ",", "\u066c": ",", ".": "."}.get(symbol)
