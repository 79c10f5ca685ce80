"""Saving a table as CSV or Excel, atomically: a temporary file in the same folder, then os.replace,
so a failure (disk full, cancel, Excel holding the file open) never leaves half a file behind.

    export_table(frame, Path("result.xlsx"), state)          # the format follows the suffix
    export_csv(frame, path, state, bom=True, sep=";", decimal=",")   # for Excel in a decimal-comma locale
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from app.core.atomic import replacing
from app.core.formatting import number
from app.core.i18n import _
from app.core.tasks import TaskState

EXCEL_MAX_ROWS = 1_048_576  # including the header row
CHUNK_ROWS = 50_000
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters Excel refuses


class ExportError(Exception):
    """The table could not be saved; str() says why and what to do."""


def export_table(frame: pd.DataFrame, path: Path, state: TaskState | None = None, *, bom: bool = True) -> Path:
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return export_xlsx(frame, path, state)
    return export_csv(frame, path, state, bom=bom)


def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(_("The folder {folder} does not exist.").format(folder=folder))
    try:
        with replacing(path, suffix=path.suffix + ".part") as temporary:
            write(temporary)
    except PermissionError as err:
        raise ExportError(_("{file} cannot be written: it may be open in another program (close it there) or the "
                            "folder may be read-only.").format(file=path.name)) from err
    except OSError as err:
        raise ExportError(_("{file} cannot be written: {reason}").format(file=path.name, reason=err.strerror)) from err
    return path


def export_csv(frame: pd.DataFrame, path: Path, state: TaskState | None = None, *, bom: bool = True,
               sep: str = ",", decimal: str = ".") -> Path:
    """UTF-8 CSV; with `bom` (the default) Excel opens Korean or accented text correctly."""
    state = state or TaskState()

    def write(temporary: Path) -> None:
        with open(temporary, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            for start in range(0, max(len(frame), 1), CHUNK_ROWS):
                state.raise_if_cancelled()
                frame.iloc[start:start + CHUNK_ROWS].to_csv(out, index=False, header=start == 0, sep=sep,
                                                            decimal=decimal, lineterminator="\r\n")
                state.set_progress(min(len(frame), start + CHUNK_ROWS), max(len(frame), 1),
                                   _("Saving {file}").format(file=path.name))

    return _atomic(Path(path), write)


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, str):
        return _ILLEGAL_IN_XLSX.sub("", value)
    if isinstance(value, (int, float, bool, dt.datetime, dt.date)):
        return value
    return str(value)


def export_xlsx(frame: pd.DataFrame, path: Path, state: TaskState | None = None, sheet: str = "data") -> Path:
    state = state or TaskState()
    if len(frame) + 1 > EXCEL_MAX_ROWS:
        raise ExportError(_("An Excel sheet holds at most {limit} rows; this table has {rows}. Save it as CSV "
                            "instead, or filter it first.").format(limit=number(EXCEL_MAX_ROWS - 1),
                                                                   rows=number(len(frame))))
    import openpyxl  # only when exporting to Excel

    def write(temporary: Path) -> None:
        book = openpyxl.Workbook(write_only=True)
        sheet_out = book.create_sheet(sheet)
        sheet_out.append([str(c) for c in frame.columns])
        columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]
        for start in range(0, len(frame), CHUNK_ROWS):
            state.raise_if_cancelled()
            stop = min(len(frame), start + CHUNK_ROWS)
            for row in zip(*(column[start:stop] for column in columns), strict=True):
                sheet_out.append([_cell(v) for v in row])
            state.set_progress(stop, len(frame), _("Saving {file}").format(file=path.name))
        book.save(temporary)

    return _atomic(Path(path), write)
