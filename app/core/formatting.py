"""Numbers, percentages, dates and durations in the learner's locale (Babel/CLDR), never by hand.

Digits stay Latin (0-9) in every locale, Arabic included: CLDR's default for Arabic as written in
the Maghreb and in the course texts; a partner wanting Arabic-Indic digits changes it here."""

from __future__ import annotations

from datetime import date as _date
from datetime import datetime

from app.core.i18n import _, current_locale, ngettext


def _locale() -> str:
    return current_locale()


def percent(value: float, digits: int = 0) -> str:
    """`value` in 0..100 -> '85%' / '85 %' / '%85' as the locale writes it (its own CLDR pattern)."""
    from babel import Locale
    from babel.numbers import format_percent

    pattern = Locale.parse(_locale()).percent_formats[None].pattern.split(";")[0]
    if digits:  # the locale's pattern, with `digits` decimals after its last integer digit
        head, tail = pattern.rsplit("0", 1)
        pattern = f"{head}0.{'0' * digits}{tail}"
    return format_percent(value / 100, format=pattern, locale=_locale())


def number(value: float) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale())


def minutes(count: int) -> str:
    """'2 hours 5 minutes' style durations with the locale's plural rules."""
    hours, rest = divmod(int(count), 60)
    h = ngettext("{h} hour", "{h} hours", hours).format(h=number(hours))
    m = ngettext("{m} minute", "{m} minutes", rest).format(m=number(rest))
    if hours and rest:
        # TRANSLATORS: joins "2 hours" and "5 minutes"; e.g. Arabic and Spanish add "and".
        return _("{hours} {minutes}").format(hours=h, minutes=m)
    return h if hours else m


def isolated(text: str) -> str:
    """`text` (a file path, a file:line, code) kept left to right inside a right-to-left sentence.

    Unicode's first-strong isolate: the path's slashes and dots no longer jump around in Arabic.
    """
    return f"\u2068{text}\u2069"


def date(value: _date | datetime | str) -> str:
    """'21 November 2026' / '2026년 11월 21일' / '21 نوفمبر 2026'; accepts an ISO 8601 string."""
    from babel.dates import format_date

    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        value = value.astimezone().date() if value.tzinfo else value.date()
    return format_date(value, format="long", locale=_locale())
