"""A Report as CSV or XLSX, each written atomically (the old file or the new one, never half of one).

CSV: one file, UTF-8 with a byte-order mark (without it Excel reads Korean and Arabic as mojibake),
comma-separated, each table under its title and followed by an empty line. Numbers are written plainly
(85.3, with a decimal point), dates as ISO 8601, yes/no in the report's language. A text cell starting
with = + - @ gets a leading apostrophe, Excel's mark for "text, not a formula": a short answer a
learner typed must never run as a formula on the trainer's PC.

XLSX: one sheet per table; numbers as numbers (percentages with one decimal), dates and times as Excel
dates, booleans as booleans, text always as text (never a formula); the header row is frozen, and the
sheets run right to left when the report's language does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from app.core.atomic import replacing
from app.core.i18n import _, current_locale, locale_info
from app.core.reports.model import DATE, DATETIME, INTEGER, PERCENT, Cell, Column, Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_MAX = 31
NUMBER_FORMATS = {PERCENT: "0.0", INTEGER: "0", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm:ss"}


def csv_cell(value: Cell, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (dt.date, int, float)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def report_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, table in enumerate(report.tables):
        if index:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow([c.title for c in table.columns])
        for row in table.rows:
            writer.writerow([csv_cell(v, c) for v, c in zip(row, table.columns)])
    return buffer.getvalue()


def write_csv(report: Report, path: Path) -> Path:
    data = report_csv(report).encode("utf-8-sig")
    with replacing(path, suffix=".tmp") as temporary:
        temporary.write_bytes(data)
    return path


def sheet_names(report: Report) -> list[str]:
    """The tables' titles as Excel allows sheet names: 31 characters, none of : \\ / ? * [ ], unique."""
    names: list[str] = []
    for table in report.tables:
        base = "".join(" " if c in ':\\/?*[]' else c for c in table.title).strip() or table.key
        name, number = base[:SHEET_NAME_MAX], 2
        while name.casefold() in {n.casefold() for n in names}:
            suffix = f" ({number})"
            name, number = base[:SHEET_NAME_MAX - len(suffix)] + suffix, number + 1
        names.append(name)
    return names


def write_xlsx(report: Report, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = report.title
    workbook.properties.creator = "Civic AI Academy"
    rtl = locale_info(current_locale()).rtl
    bold = Font(bold=True)
    for table, name in zip(report.tables, sheet_names(report)):
        sheet = workbook.create_sheet(title=name)
        sheet.freeze_panes = "A2"
        sheet.sheet_view.rightToLeft = rtl
        for number, column in enumerate(table.columns, start=1):
            longest = max([len(column.title)] + [len(str(row[number - 1])) for row in table.rows[:200]
                                                 if row[number - 1] is not None])
            sheet.column_dimensions[get_column_letter(number)].width = min(max(longest + 2, 8), 60)
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, column.title)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            cells = []
            for value, column in zip(row, table.columns):
                cell = WriteOnlyCell(sheet, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # openpyxl would make "=..." a formula
                elif column.kind in NUMBER_FORMATS and value is not None:
                    cell.number_format = NUMBER_FORMATS[column.kind]
                cells.append(cell)
            sheet.append(cells)
    with replacing(path, suffix=".tmp") as temporary:
        workbook.save(temporary)
    return path


def write_report(report: Report, path: Path, file_format: str) -> Path:
    if file_format == "csv":
        return write_csv(report, path)
    if file_format == "xlsx":
        return write_xlsx(report, path)
    raise ValueError(file_format)
