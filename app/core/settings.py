"""Per-installation preferences read before the first paint (so: plain JSON, no database).

Versioned and migrated like Orange's widget settings: bump SETTINGS_VERSION and add a step to
`_migrate` whenever the shape changes; an unreadable file is kept aside, never a crash.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

SETTINGS_VERSION = 1
TEXT_SIZES = (0.85, 1.0, 1.15, 1.3, 1.5, 1.75)


@dataclass
class Settings:
    locale: str = ""  # "" until the first-run picker has been answered
    learner_id: str = ""
    text_scale: float = 1.0
    window_geometry: str = ""  # hex of QWidget.saveGeometry()
    resume_course: str = ""  # the course to reopen at start: the app was closed inside one of its items


def _migrate(data: dict, version: int) -> dict:
    # version 0 (never written) -> 1: nothing to do yet; future steps go here, oldest first.
    return data


def load_settings(path: Path) -> Settings:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError):
        try:
            os.replace(path, path.with_suffix(".unreadable.json"))
        except OSError:
            pass
        return Settings()
    data = _migrate(raw.get("values", {}), int(raw.get("settings_version", 0)))
    known = {f.name for f in fields(Settings)}
    settings = Settings(**{k: v for k, v in data.items() if k in known})
    if settings.text_scale not in TEXT_SIZES:
        settings.text_scale = 1.0
    return settings


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of one."""
    from app.core.atomic import write_text

    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"settings_version": SETTINGS_VERSION, "values": asdict(settings)}, indent=2)
    write_text(path, payload)
