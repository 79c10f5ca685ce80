"""Build the one-folder desktop bundle with PyInstaller, and optionally smoke-test it.

    python packaging/build.py            # build into build/dist/civic-ai-academy
    python packaging/build.py --smoke    # build, then run the bundle's --self-test
    python packaging/build.py --smoke --no-build   # smoke-test the bundle already built

Exit status: 0 on success, 1 when the build or the smoke test fails, 2 when PyInstaller is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "civic_ai_academy.spec"
APP_NAME = "civic-ai-academy"
DIST = ROOT / "build" / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / APP_NAME
SMOKE_TIMEOUT_S = 300

# Files the app reads from sys._MEIPASS (the bundle's _internal/ folder) at run time.
REQUIRED_DATA = (
    "courses",
    "localisation/locales.toml",
    "app/core/storage/migrations/env.py",
    "app/core/storage/migrations/script.py.mako",
    "app/core/storage/migrations/versions",
)


class Failure(Exception):
    """An expected failure: reported as one message, without a traceback."""


def executable() -> Path:
    return BUNDLE / (APP_NAME + (".exe" if os.name == "nt" else ""))


def resource_root() -> Path:
    """Where PyInstaller >= 6 puts data in a one-folder bundle (sys._MEIPASS)."""
    internal = BUNDLE / "_internal"
    return internal if internal.is_dir() else BUNDLE


def bundle_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under `folder`, not following symlinks."""
    total = count = 0
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            total += os.lstat(os.path.join(dirpath, name)).st_size
            count += 1
    return total, count


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def build(clean: bool) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise Failure("PyInstaller is not installed in this Python; install the build extra: "
                      "pip install -e '.[build]'", 2) from None
    if not (ROOT / "main.py").is_file():
        raise Failure(f"{ROOT / 'main.py'} does not exist: nothing to bundle")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]
    if clean:
        command.insert(3, "--clean")
    if BUNDLE.exists():  # a failed build must not leave the previous bundle looking current
        shutil.rmtree(BUNDLE)
    print(f"build: {' '.join(command)}", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise Failure(f"PyInstaller failed (exit {result.returncode}) after {elapsed:.0f} s; see its output above")
    print(f"build: done in {elapsed:.0f} s -> {BUNDLE.relative_to(ROOT)}", flush=True)


def check_layout() -> None:
    if not executable().is_file():
        raise Failure(f"no bundle at {executable()}: build it first (python packaging/build.py)")
    missing = [rel for rel in REQUIRED_DATA if not (resource_root() / rel).exists()]
    if missing:
        raise Failure(f"the bundle lacks data the app reads at run time: {', '.join(missing)}")


def find_result(stdout: str) -> dict | None:
    """The last line of `stdout` that is a JSON object."""
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    return None


def smoke() -> dict:
    """Run the bundled app's --self-test offscreen with a throw-away data folder."""
    check_layout()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("PYTHONPATH", "PYTHONHOME", "CIVICAI_DATA_DIR"):  # the bundle must stand alone
        env.pop(name, None)
    with tempfile.TemporaryDirectory(prefix="civic-smoke-") as tmp:
        data_dir = Path(tmp) / "data"
        command = [str(executable()), "--self-test", "--data-dir", str(data_dir)]
        print(f"smoke: {' '.join(command)}", flush=True)
        started = time.monotonic()
        try:
            # cwd is the temp folder, so nothing can be found relative to the source tree.
            result = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True,
                                    timeout=SMOKE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise Failure(f"the bundled --self-test did not finish within {SMOKE_TIMEOUT_S} s") from None
        elapsed = time.monotonic() - started
    if result.stderr.strip():
        print("smoke: stderr of the bundled app:\n" + result.stderr.rstrip(), file=sys.stderr, flush=True)
    if result.returncode != 0:
        tail = "\n".join(result.stdout.strip().splitlines()[-20:])
        raise Failure(f"the bundled --self-test exited {result.returncode}"
                      + (f"; its output ended with:\n{tail}" if tail else " and printed nothing"))
    report = find_result(result.stdout)
    if report is None:
        raise Failure("the bundled --self-test exited 0 but printed no JSON line; it printed:\n"
                      + (result.stdout.strip() or "(nothing)"))
    courses = report.get("courses_loaded")
    if not isinstance(courses, int) or courses < 1:
        raise Failure(f"the bundled --self-test loaded no course (courses_loaded={courses!r}): "
                      "are courses/ collected into the bundle?")
    print(json.dumps(report), flush=True)
    print(f"smoke: passed in {elapsed:.1f} s ({courses} course(s) loaded)", flush=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python packaging/build.py",
        description=f"Build the one-folder bundle into {BUNDLE.relative_to(ROOT)} with PyInstaller "
                    f"(work files in {WORK.relative_to(ROOT)}), and print its size.")
    parser.add_argument("--smoke", action="store_true",
                        help="then run the bundled app with --self-test (offscreen, temporary data "
                             "folder); fail unless it exits 0 and reports courses_loaded >= 1")
    parser.add_argument("--no-build", action="store_true",
                        help="do not build: use the bundle already in build/dist (with --smoke)")
    parser.add_argument("--clean", action="store_true",
                        help="empty PyInstaller's cache and work folder first (a from-scratch build)")
    args = parser.parse_args(argv)
    try:
        if not args.no_build:
            build(args.clean)
        check_layout()
        size, files = bundle_size(BUNDLE)
        print(f"bundle: {BUNDLE.relative_to(ROOT)}: {mib(size)} in {files} files", flush=True)
        if args.smoke:
            smoke()
    except Failure as failure:
        message, *rest = failure.args
        print(f"error: {message}", file=sys.stderr)
        return rest[0] if rest else 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
