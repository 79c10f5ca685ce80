"""Start-up paths: --self-test, the damaged-database dialog, and the benchmark's report."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from app.core.paths import database_path
from app.core.storage.database import open_database
from app.ui import dialogs
from app.ui.screens.catalogue import CatalogueScreen
from app.ui.screens.profile import ProfileScreen
from tests.conftest import ROOT
from tests.ui.helpers import click, open_window


def test_self_test_prints_one_json_line_and_exits_0(tmp_path):
    done = subprocess.run([sys.executable, "main.py", "--self-test", "--data-dir", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ok"] is True
    assert report["first_paint_ms"] > 0
    assert report["courses_loaded"] >= 1 and report["courses_refused"] == []
    assert report["locale"] == "en" and report["layout_direction"] == "ltr"
    assert "Noto Sans Arabic" in report["fonts"] and "Noto Sans KR Subset" in report["fonts"]
    assert {"numpy", "pandas", "sklearn"} <= set(report["lab_stack"])
    from labs.registry import lab_ids

    assert report["labs"] == {lab_id: "ok" for lab_id in lab_ids()}  # every lab's self-test, the smart-city ones too
    assert report["second_process"] == "ok"  # progress import's checker starts (and, frozen, must too)
    assert "Traceback" not in done.stderr


def test_self_test_fails_when_a_bundled_course_is_refused(tmp_path):
    broken = tmp_path / "data" / "courses" / "broken"
    broken.mkdir(parents=True)
    (broken / "course.yaml").write_text("format: 1\nid: [unclosed\n")
    done = subprocess.run([sys.executable, "main.py", "--self-test", "--data-dir", str(tmp_path / "data")],
                          cwd=ROOT, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "CIVICAI_SELF_TEST_LABS": "skip"})  # the labs: the test above
    assert done.returncode == 1
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ok"] is False and report["courses_refused"]


def test_damaged_database_offers_a_way_out_and_keeps_the_file(qtbot, data_dir, monkeypatch):
    open_database(data_dir).dispose()
    database_path(data_dir).write_bytes(b"\x00not a database\x00" * 200)
    asked = []

    def choose_fresh(parent, error):
        asked.append(error)
        return dialogs.FRESH

    monkeypatch.setattr(dialogs, "ask_database_recovery", choose_fresh)
    window = open_window(qtbot, data_dir)
    assert asked and asked[0].path == database_path(data_dir)
    assert isinstance(window.screen, ProfileScreen)
    assert list(data_dir.glob("learning-record.damaged-*.sqlite3")), "the damaged file must be kept"
    qtbot.keyClicks(window.screen.name, "Kim")
    click(qtbot, window.screen.start)
    assert isinstance(window.screen, CatalogueScreen)
    window.close()


def test_startup_benchmark_reports_ratio_and_memory():
    """Runs the shipped benchmark once; the targets are its own business (no timing asserted here)."""
    done = subprocess.run([sys.executable, "main.py", "bench", "startup", "--runs", "1", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["bare_window_median_ms"] > 0 and report["app_first_paint_median_ms"] > 0
    assert report["ratio"] == round(report["app_first_paint_median_ms"] / report["bare_window_median_ms"], 2)
    assert report["catalogue_screen"] == "catalogue" and report["catalogue_peak_rss_mib"] > 20
    assert report["ok"] == (report["ratio"] <= 2.0 and report["catalogue_peak_rss_mib"] <= 120)


def test_cancel_then_load_again_starts_exactly_one_boot(qtbot, data_dir):
    from PySide6.QtWidgets import QApplication

    from app.core.settings import Settings
    from app.ui.main_window import MainWindow
    from app.ui.screens.loading import LoadingScreen

    window = MainWindow(data_dir, Settings(locale="en"), QApplication.font())
    qtbot.addWidget(window)
    window.show()
    started = []
    window.runner.started.connect(started.append)
    window.start()
    loading = window.screen
    loading.cancel_requested.emit()  # may land before or after the boot finished
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    if isinstance(window.screen, LoadingScreen):  # it was cancelled: load again, once
        with qtbot.waitSignal(window.ready, timeout=30000):
            window.screen.retry_requested.emit()
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
        assert len(started) == 2
    else:
        assert len(started) == 1
    window.close()
