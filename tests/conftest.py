"""Shared test set-up: Qt offscreen, real errors instead of dialogs, no leaked threads or widgets."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CIVICAI_RAISE_ERRORS"] = "1"

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"  # ../shared beside the clone: real fixtures and benchmark data
COURSE = ROOT / "courses" / "ai-foundations"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """A test that leaves a thread running fails: on quit, a running QThread aborts the app."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    for thread in leaked:
        thread.join(timeout=5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"threads left running: {still}"


@pytest.fixture(autouse=True)
def english_afterwards():
    """A test that switches language (and, for Arabic, the layout direction) leaves English behind."""
    yield
    from app.core.i18n import set_locale

    set_locale("en")
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            from app.ui.locale_setup import apply_qt_locale

            apply_qt_locale(app, "en")
