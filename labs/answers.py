"""Answers learners type into a lab's questions, read the way people write them (no Qt)."""

from __future__ import annotations

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
