"""Where this installation keeps its files: the per-user data folder, or --data-dir."""

from __future__ import annotations

import os
from pathlib import Path

from app import APP_ID

ENV_DATA_DIR = "CIVICAI_DATA_DIR"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """--data-dir, else $CIVICAI_DATA_DIR, else the OS's per-user data folder (platformdirs)."""
    chosen = override or os.environ.get(ENV_DATA_DIR)
    if chosen:
        path = Path(chosen).expanduser()
    else:
        import platformdirs  # small, but only needed when no folder was given

        path = Path(platformdirs.user_data_dir(APP_ID, appauthor=False, roaming=True))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(root: Path) -> Path:
    return root / "learning-record.sqlite3"


def backups_dir(root: Path) -> Path:
    return root / "backups"


def user_courses_dir(root: Path) -> Path:
    return root / "courses"


def settings_path(root: Path) -> Path:
    return root / "settings.json"


def installation_path(root: Path) -> Path:
    """Settings IT places for the whole installation (e.g. kiosk mode); the app only reads it."""
    return root / "installation.json"


def lab_files_dir(root: Path) -> Path:
    """Copies of the files learners import into labs, so their work resumes when the USB stick is gone."""
    return root / "lab-files"
