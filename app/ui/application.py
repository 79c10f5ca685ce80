"""Start the GUI: paint the window first, then open the database and courses off the GUI thread.

Nothing heavy is imported before the first paint: SQLAlchemy, Alembic and the course loader are
imported by the boot task's thread; pandas and scikit-learn only when a lab opens.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication

from app import APP_ID, APP_NAME, __version__
from app.core.i18n import best_locale, current_locale, set_locale
from app.core.paths import settings_path
from app.core.settings import load_settings
from app.ui.first_paint import FirstPaint
from app.ui.locale_setup import prepare_application

log = logging.getLogger("app")


def _setup_logging(data_dir: Path) -> Path:
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    from logging.handlers import RotatingFileHandler

    handler = RotatingFileHandler(logs / "app.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return logs


def _install_excepthook(logs: Path, window_getter) -> None:
    """An unexpected error is written to a report and explained in a dialog, never dumped on screen."""
    def hook(kind, value, tb):
        report = logs / time.strftime("crash-%Y%m%d-%H%M%S.txt")
        try:
            report.write_text("".join(traceback.format_exception(kind, value, tb)), encoding="utf-8")
        except OSError:
            report = None
        log.error("unexpected error", exc_info=(kind, value, tb))
        if os.environ.get("CIVICAI_RAISE_ERRORS"):  # tests want the real failure
            sys.__excepthook__(kind, value, tb)
            return
        from app.ui.dialogs import show_crash

        show_crash(window_getter(), report)
    sys.excepthook = hook


def run_gui(data_dir: Path, locale_override: str | None, *, self_test: bool = False,
            exit_after: str | None = None) -> int:
    settings = load_settings(settings_path(data_dir))
    locale = best_locale(locale_override or settings.locale or QLocale.system().name())
    set_locale(locale)
    if locale_override:
        settings.locale = locale
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    prepare_application(app, locale)
    from app.ui.collector import GuiThreadCollector

    collector = GuiThreadCollector(app)  # noqa: F841 - lives as long as the app (its parent)

    from app.ui.main_window import MainWindow  # the screens: imported after QApplication exists

    window = MainWindow(data_dir, settings, app.font())
    report: dict = {}

    def first_painted(when: float) -> None:
        from app.core.sysinfo import process_start_time

        _install_excepthook(_setup_logging(data_dir), lambda: window)  # after the paint: not urgent

        report["first_paint_ms"] = round((when - process_start_time()) * 1000, 1)
        if exit_after == "paint":
            _emit({"event": "paint", "time": when}, app)
            return
        window.start()

    FirstPaint(window, first_painted)

    def ready() -> None:
        if exit_after == "catalogue":
            QTimer.singleShot(300, lambda: _catalogue_report(window, app))
        if self_test:
            QTimer.singleShot(0, lambda: _self_test_report(window, app, report))

    window.ready.connect(ready)
    window.show()
    code = app.exec()
    if window.boot_error is not None:
        if self_test:
            print(json.dumps({"ok": False, "error": str(window.boot_error)}))
        return 1
    return code if not self_test else report.get("exit_code", 1)


def _emit(payload: dict, app: QApplication) -> None:
    print(json.dumps(payload), flush=True)
    app.quit()


def _catalogue_report(window, app: QApplication) -> None:
    from app.core.sysinfo import peak_rss_mib

    _emit({"event": "catalogue", "time": time.time(), "screen": window.location.screen,
           "peak_rss_mib": round(peak_rss_mib(), 1)}, app)


def _labs_self_test() -> dict[str, str]:
    """Each shipped lab's reference solution and wrong attempts against its checks, on its embedded
    data, and its panel's imports (pyqtgraph…): proves a bundle carries all a lab needs."""
    import importlib

    from labs.framework import selftest
    from labs.registry import lab_ids, load_lab

    outcome = {}
    for lab_id in lab_ids():
        try:
            lab = load_lab(lab_id)
            importlib.import_module(lab.panel.partition(":")[0])
            outcome[lab_id] = "ok" if selftest(lab).ok else "checks misbehave"
        except Exception as error:  # noqa: BLE001 - reported, and the self-test fails
            outcome[lab_id] = f"{type(error).__name__}: {error}"
    return outcome


def _self_test_report(window, app: QApplication, report: dict) -> None:
    from app.ui.fonts import register_bundled_fonts
    from labs.stack import timed_import

    services = window.services
    result = dict(report)
    result.update({
        "ok": False, "version": __version__, "locale": current_locale(),
        "layout_direction": "rtl" if app.layoutDirection() == Qt.LayoutDirection.RightToLeft else "ltr",
        "platform": app.platformName(), "screen": window.location.screen,
        "courses_loaded": len(services.catalogue.courses) if services else 0,
        "courses_refused": [r.location for r in services.catalogue.refused] if services else [],
        "database": str(services.database.path) if services else None,
        "fonts": list(register_bundled_fonts()),  # the bundled families Qt accepted
    })
    try:
        versions, seconds = timed_import()
        result["lab_stack"] = versions
        result["lab_stack_ms"] = round(seconds * 1000, 1)
    except ImportError as err:
        result["lab_stack_error"] = str(err)
    import tempfile  # the self-test's alone: kept off the start-up path

    from app.core.collect.importing import second_process_check

    with tempfile.TemporaryDirectory(prefix="civicai-self-test-") as folder:
        result["second_process"] = second_process_check(Path(folder))  # progress import's checker (frozen)
    # The labs' self-tests take most of the time (half a minute): tests of the other parts may leave them out.
    labs_checked = os.environ.get("CIVICAI_SELF_TEST_LABS") != "skip"
    result["labs"] = _labs_self_test() if labs_checked else "skipped"
    result["ok"] = bool(result["courses_loaded"] >= 1 and not result["courses_refused"] and "lab_stack" in result
                        and result["fonts"] and result["second_process"] == "ok" and (not labs_checked or (
                            result["labs"] and all(v == "ok" for v in result["labs"].values()))))
    report["exit_code"] = 0 if result["ok"] else 1
    print(json.dumps(result, ensure_ascii=False), flush=True)
    window.close()
    app.quit()
