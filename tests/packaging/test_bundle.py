"""The PyInstaller bundle: `python packaging/build.py --smoke` builds it and runs its --self-test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "packaging" / "build.py"
BUILD_TIMEOUT_S = 15 * 60


def run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    """Run build.py in its own process group, so a timeout also ends PyInstaller and the bundle."""
    process = subprocess.Popen([sys.executable, str(BUILD), *args], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        pytest.fail(f"build.py {' '.join(args)} did not finish within {timeout:.0f} s; it printed:\n"
                    f"{(stdout + stderr)[-4000:]}")
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _build_module():
    """packaging/build.py, loaded by path (packaging/ is not a package): reuse its result parser."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("civicai_build", ROOT / "packaging" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def last_json_object(stdout: str) -> dict | None:
    return _build_module().find_result(stdout)


def test_build_script_documents_its_options():
    result = run(["--help"], timeout=60)
    assert result.returncode == 0, result.stderr
    assert "--smoke" in result.stdout


@pytest.mark.slow
def test_bundle_builds_and_passes_its_self_test():
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed: pip install -e '.[build]'")
    result = run(["--smoke"], timeout=BUILD_TIMEOUT_S)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"build.py --smoke exited {result.returncode}:\n{output[-6000:]}"
    report = last_json_object(result.stdout)
    assert report is not None, f"no self-test JSON line in the output:\n{output[-4000:]}"
    assert report.get("ok") is True, report
    assert isinstance(report.get("first_paint_ms"), (int, float)) and report["first_paint_ms"] > 0, report
    assert isinstance(report.get("courses_loaded"), int) and report["courses_loaded"] >= 1, report
    assert report.get("locale"), report
    assert report.get("layout_direction") in ("ltr", "rtl"), report
    assert report.get("second_process") == "ok", report  # progress import checks files in a second process
    assert {"Noto Sans", "Noto Sans Arabic", "Noto Sans Khmer", "Noto Sans KR Subset"} <= set(report["fonts"]), report
