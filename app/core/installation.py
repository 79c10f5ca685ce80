"""Installation settings that IT decides, not the people using the app: `installation.json` in
the data folder. The app reads it and never writes it.

    {"kiosk": true}

kiosk: true on learner-only PCs (a training room, a library corner): learners pick their profile
with no password, as before accounts existed. Trainer and administrator accounts still sign in
with their password. Without the file, or when it cannot be read, kiosk is off: a mistake in the
file asks for passwords rather than dropping them, and the problem is reported with its line.

Why a file in the data folder: IT already points shared PCs at a data folder (--data-dir,
$CIVICAI_DATA_DIR), the setting then travels with the accounts it governs, and it is read before
the database opens. Someone who can edit it can also write the database, so it grants nothing new;
and turning kiosk on only opens learner profiles, never a trainer's or administrator's powers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.core.i18n import _
from app.core.paths import installation_path
from app.core.problems import Problem

KNOWN_KEYS = ("kiosk",)


@dataclass(frozen=True)
class Installation:
    kiosk: bool = False
    problems: tuple[Problem, ...] = ()  # what was wrong with installation.json (then: the safe defaults)


def _line_of(text: str, key: str) -> int:
    needle = json.dumps(key)
    return next((n for n, line in enumerate(text.splitlines(), 1) if needle in line), 0)


def load_installation(root: Path) -> Installation:
    path = installation_path(root)
    try:
        text = path.read_text(encoding="utf-8-sig")  # -sig: Notepad on Windows writes a BOM
    except FileNotFoundError:
        return Installation()
    except (OSError, UnicodeDecodeError) as err:
        return Installation(problems=(Problem(str(path), 0, _("cannot be read ({error}); kiosk mode stays off.")
                                              .format(error=err)),))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return Installation(problems=(Problem(str(path), err.lineno, _(
            "is not valid JSON ({error}); kiosk mode stays off. Example: {example}").format(
            error=err.msg, example='{"kiosk": true}'),),))
    if not isinstance(data, dict):
        return Installation(problems=(Problem(str(path), 1, _(
            "must be one JSON object, e.g. {example}; kiosk mode stays off.").format(example='{"kiosk": true}')),))
    problems = [Problem(str(path), _line_of(text, key), _("unknown setting '{key}' is ignored; known settings: "
                                                          "{known}.").format(key=key, known=", ".join(KNOWN_KEYS)))
                for key in data if key not in KNOWN_KEYS]
    kiosk = data.get("kiosk", False)
    if not isinstance(kiosk, bool):
        problems.append(Problem(str(path), _line_of(text, "kiosk"), _(
            "'kiosk' must be true or false (without quotes), not {value}; kiosk mode stays off.").format(
            value=json.dumps(kiosk))))
        kiosk = False
    return Installation(kiosk=kiosk, problems=tuple(problems))
