"""The core and lab engines must not import Qt (napari's rule), checked two ways."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import app.core

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 2 kept, 0 broken" in done.stdout


def test_every_core_module_imports_with_qt_unavailable():
    modules = [m.name for m in pkgutil.walk_packages(app.core.__path__, "app.core.")
               if ".migrations" not in m.name]
    import labs

    # Lab engines, definitions, the framework and datasets: everything in labs/ except Qt panels.
    modules += [m.name for m in pkgutil.walk_packages(labs.__path__, "labs.")
                if not any(part in ("panel", "pdf", "widgets", "charts", "preview", "printing")
                           or part.endswith(("_tab", "_panel", "_widgets"))
                           for part in m.name.split("."))
                or ".engine" in m.name]
    assert {"labs.stack", "labs.framework", "labs.datasets.catalog"} <= set(modules)
    code = ("import sys; sys.modules['PySide6'] = None; sys.modules['shiboken6'] = None\n"
            "import importlib\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "print('ok', len(sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")
    assert len(modules) > 15
