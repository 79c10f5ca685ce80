"""Numbers, percentages and durations in the learner's locale (Babel/CLDR), never by hand."""

from __future__ import annotations

from app.core.i18n import current_locale, ngettext


def _locale() -> str:
    return current_locale()


def percent(value: float, digits: int = 0) -> str:
    """`value` in 0..100 -> '85 %' / '85%' / '%85' as the locale writes it."""
    from babel.numbers import format_percent

    pattern = "#,##0%" if digits == 0 else "#,##0." + "0" * digits + "%"
    return format_percent(value / 100, format=pattern, locale=_locale())


def number(value: float) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale())


def minutes(count: int) -> str:
    """'about 2 hours 5 minutes' style durations with the locale's plural rules."""
    hours, rest = divmod(int(count), 60)
    if hours and rest:
        return ngettext("{h} hour", "{h} hours", hours).format(h=number(hours)) + " " + \
            ngettext("{m} minute", "{m} minutes", rest).format(m=number(rest))
    if hours:
        return ngettext("{h} hour", "{h} hours", hours).format(h=number(hours))
    return ngettext("{m} minute", "{m} minutes", rest).format(m=number(rest))
