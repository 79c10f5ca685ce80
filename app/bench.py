"""`python main.py bench startup`: how fast the app paints, against a bare PySide6 window measured in
the same run (interleaved, so machine noise hits both), and the peak memory on the catalogue.

Targets (issue 2): median first paint of the app <= 2.0 x the bare window's; <= 120 MiB on the
catalogue screen. Exit code 0 when both hold, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.core.resources import resource_root

RATIO_TARGET = 2.0
MEMORY_TARGET_MIB = 120.0


def _prepare_data_dir() -> Path:
    """A data folder with one learner, so the app opens straight on the catalogue."""
    from app.core.paths import settings_path
    from app.core.record.store import LearningRecord
    from app.core.settings import Settings, save_settings
    from app.core.storage.database import open_database

    folder = Path(tempfile.mkdtemp(prefix="civicai-bench-"))
    database = open_database(folder)
    learner = LearningRecord(database).add_learner("Benchmark", "en")
    database.dispose()
    save_settings(settings_path(folder), Settings(locale="en", learner_id=learner.id))
    return folder


def _time_to(command: list[str], env: dict) -> dict:
    start = time.time()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
    line = [l for l in done.stdout.splitlines() if l.startswith("{")][-1]
    data = json.loads(line)
    data["elapsed_ms"] = (data["time"] - start) * 1000
    return data


def startup(runs: int, as_json: bool) -> int:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    data_dir = _prepare_data_dir()
    main = str(resource_root() / "main.py")
    app_cmd = [sys.executable, main, "--data-dir", str(data_dir), "--locale", "en", "--exit-after", "paint"]
    bare_cmd = [sys.executable, "-m", "app.ui.bare_window"]
    env["PYTHONPATH"] = str(resource_root()) + os.pathsep + env.get("PYTHONPATH", "")
    _time_to(bare_cmd, env)  # warm the OS file cache for both before measuring
    _time_to(app_cmd, env)
    bare, app = [], []
    for _ in range(max(runs, 1)):
        bare.append(_time_to(bare_cmd, env)["elapsed_ms"])
        app.append(_time_to(app_cmd, env)["elapsed_ms"])
    memory = _time_to([*app_cmd[:-1], "catalogue"], env)
    bare_ms, app_ms = round(statistics.median(bare), 1), round(statistics.median(app), 1)
    result = {
        "runs": runs,
        "bare_window_median_ms": bare_ms,
        "app_first_paint_median_ms": app_ms,
        "ratio": round(app_ms / bare_ms, 2),  # of the reported medians, so the report checks out by hand
        "ratio_target": RATIO_TARGET,
        "catalogue_screen": memory.get("screen"),
        "catalogue_peak_rss_mib": memory["peak_rss_mib"],
        "memory_target_mib": MEMORY_TARGET_MIB,
    }
    result["ok"] = (result["ratio"] <= RATIO_TARGET and result["catalogue_peak_rss_mib"] <= MEMORY_TARGET_MIB
                    and result["catalogue_screen"] == "catalogue")
    if as_json:
        print(json.dumps(result))
    else:
        print(f"bare PySide6 window, median first paint: {result['bare_window_median_ms']} ms")
        print(f"this app,            median first paint: {result['app_first_paint_median_ms']} ms")
        print(f"ratio: {result['ratio']} (target <= {RATIO_TARGET})")
        print(f"peak memory on the catalogue screen: {result['catalogue_peak_rss_mib']} MiB "
              f"(target <= {MEMORY_TARGET_MIB})")
        print("OK" if result["ok"] else "TARGET MISSED")
    return 0 if result["ok"] else 1
