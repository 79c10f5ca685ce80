"""Where bundled read-only files live: the source tree, or PyInstaller's unpack folder."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_root() -> Path:
    """The folder holding courses/, localisation/ and labs/ data.

    In a PyInstaller bundle these are collected next to the code under sys._MEIPASS; from a
    checkout they are at the repository root (two levels above this file's package).
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parents[2]


def bundled_courses_dir() -> Path:
    return resource_root() / "courses"


def localisation_dir() -> Path:
    return resource_root() / "localisation"
