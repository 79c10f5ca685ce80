"""Guards against Qt-binding bugs we have met, so an upgrade cannot bring them back silently."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont


def test_value_type_setters_keep_reference_counts(qapp):
    # PySide6 6.12.0 decremented None once per QFont setter call: a long session then aborted.
    before = sys.getrefcount(None)
    for _ in range(2000):
        font = QFont()
        font.setPointSizeF(12.0)
        font.setBold(True)
    assert abs(sys.getrefcount(None) - before) < 100
