"""Numbers and shares as learners type them in the labs' answer boxes (labs/answers.py), in every language."""

from __future__ import annotations

import pytest

from labs.answers import parse_number, parse_percent


@pytest.mark.parametrize("text, locale, expected", [
    ("6.5", "en", 6.5), ("6,5", "fr", 6.5), ("٦٫٥", "ar", 6.5), ("7,29", "ko", 7.29), ("-0.5", "en", -0.5),
    ("−3", "en", -3.0), ("30000 kWh", "en", 30000.0), ("30 000", "fr", 30000.0), ("45\u202f000", "fr", 45000.0),
    ("1,234.5", "en", 1234.5), ("1.234,5", "es", 1234.5), ("1,234,567", "ko", 1234567.0),
    # one separator before three digits: thousands where the language groups with it, else the decimal mark
    ("55,000", "en", 55000.0), ("55.000", "es", 55000.0), ("55,000", "es", 55.0), ("55.000", "en", 55.0),
    ("2,500", "fr", 2.5), ("1,200", "ru", 1.2), ("12.345", "id", 12345.0), ("12,345", "ar", 12345.0),
])
def test_a_number_is_read_as_the_learners_language_writes_it(text, locale, expected):
    assert parse_number(text, locale) == expected


def test_the_app_reads_back_the_numbers_it_writes_in_every_language():
    from app.core.formatting import number
    from app.core.i18n import set_locale, shipped_locales

    try:
        for info in shipped_locales():
            set_locale(info.code)
            for value in (55_000, 45_000.5, 7.29, 1_234_567):
                assert parse_number(number(value)) == value, (info.code, number(value))
    finally:
        set_locale("en")


@pytest.mark.parametrize("text", ["", "abc", "kWh 5", "-", "."])
def test_what_is_not_a_number_is_none(text):
    assert parse_number(text, "en") is None


def test_shares_are_read_as_percentages():
    assert parse_percent("79") == 79.0 and parse_percent("0.79") == pytest.approx(79.0)
    assert parse_percent("٧٩٪") == 79.0 and parse_percent("150") is None
