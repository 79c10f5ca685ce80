"""A staff list, as HR sends it: CSV or XLSX, columns in any order, headers in English or in any shipped
language, Korean Excel's CP949 when the CSV is not UTF-8. Every bad row is reported with its file, row
number, field and what is wrong; the store imports the list only when there is none (all or nothing).

Columns: name (required), staff number, department, language (a shipped locale code or its name) and,
optionally, group (e.g. the office), each recognised by its header: the first row naming a name column
(a title above it is skipped). Rows are numbered as the spreadsheet numbers them, the header row included.
"""

from __future__ import annotations

import csv
import gettext
import io
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping

from app.core.cohorts.fields import FIELDS, LABELS, MemberFields, cell_text, clean_member, label, staff_key
from app.core.formatting import number as format_number
from app.core.i18n import DOMAIN, _, shipped_locales
from app.core.resources import localisation_dir
from app.core.tasks import TaskState

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
CHECK_EVERY = 1000  # rows read between two looks at the cancel button
EXCEL = (".xlsx", ".xlsm")

# Common spellings besides the translated labels of fields.LABELS (compared after _header_key).
_SPELLINGS = {
    "name": ("name", "full name", "fullname", "employee name", "staff name", "learner", "learner name",
             "participant", "participant name", "person", "이름", "성명"),
    "staff_number": ("staff number", "staff no", "staff num", "staff id", "staff #", "staff code", "employee number",
                     "employee no", "employee num", "employee id", "employee #", "employee code", "emp no", "emp id",
                     "personnel number", "personnel no", "payroll number", "service number", "id", "id number",
                     "사번", "직원번호", "사원번호", "직번"),
    "department": ("department", "dept", "division", "unit", "section", "directorate", "ministry", "agency",
                   "organisation", "organization", "부서", "부서명", "소속"),
    "language": ("language", "lang", "locale", "preferred language", "언어", "사용 언어"),
    "group": ("group", "office", "branch", "site", "location", "그룹", "지점", "사무소"),
}


@dataclass(frozen=True, order=True)
class RowProblem:
    file: str
    row: int  # as the spreadsheet numbers it (1 = the first row); 0 for the whole file
    field: str  # a fields.FIELDS key, or "" for the whole row or file
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        return f"{where}: {label(self.field)}: {self.message}" if self.field else f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "field": self.field,
                "column": label(self.field) if self.field else "", "message": self.message}


@dataclass(frozen=True)
class StaffRow:
    row: int
    fields: MemberFields


@dataclass(frozen=True)
class StaffList:
    file: str
    encoding: str | None  # how a CSV was read (utf-8, cp949...); None for a workbook
    columns: Mapping[str, str] = field(default_factory=dict)  # field -> its header as written
    ignored: tuple[str, ...] = ()  # headers of columns that are not read
    rows: tuple[StaffRow, ...] = ()
    problems: tuple[RowProblem, ...] = ()


class StaffListRefused(Exception):
    """Nothing was imported; `problems` names every bad row (or what is wrong with the file)."""

    def __init__(self, file: str, problems: list[RowProblem], encoding: str | None = None):
        self.file, self.problems, self.encoding = file, sorted(problems), encoding
        super().__init__("\n".join(str(p) for p in self.problems))


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().rstrip("*").strip()
    return "".join(c for c in text if not c.isspace() and c not in "_-.:")


@lru_cache(maxsize=1)
def _headers() -> dict[str, str]:
    """Header key -> field: the common spellings, and each field's label in every shipped language."""
    known = {_header_key(spelling): name for name, spellings in _SPELLINGS.items() for spelling in spellings}
    for info in shipped_locales():
        catalog = gettext.translation(DOMAIN, localisation_dir(), [info.code], fallback=True)
        for name, msgid in LABELS.items():
            known.setdefault(_header_key(catalog.gettext(msgid)), name)
    return known


def read_staff_list(path: Path, state: TaskState | None = None) -> StaffList:
    """Read and check every row; the problems (if any) are in the result, nothing is raised but Cancelled:
    `state` is told how far the reading is, and a cancel stops it (a list of 100,000 rows takes seconds)."""
    state = state or TaskState()
    file = str(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return _refused(file, _("This is an old Excel file (.xls). In Excel, save it as .xlsx or as CSV UTF-8."))
    try:
        if path.stat().st_size > MAX_BYTES:
            return _refused(file, _("The file is larger than {mb} MB; a staff list is much smaller. Is it the "
                                    "right file?").format(mb=MAX_BYTES // (1024 * 1024)))
        if suffix in EXCEL:
            encoding = None
            table = _xlsx_rows(path, state)
        else:
            text, encoding = _decode(path.read_bytes())
            table = _csv_rows(text, state)
        return _check(file, encoding, table)
    except FileNotFoundError:
        return _refused(file, _("There is no file here."))
    except IsADirectoryError:
        return _refused(file, _("This is a folder; give the staff list file."))
    except _Unreadable as err:
        return _refused(file, str(err))
    except OSError as err:
        return _refused(file, _("The file cannot be read: {error}").format(error=err.strerror or err))


class _Unreadable(Exception):
    pass


def _refused(file: str, message: str) -> StaffList:
    return StaffList(file, None, problems=(RowProblem(file, 0, "", message),))


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without a byte-order mark), else Korean Windows' CP949 (a superset of EUC-KR);
    the question banks' reader knows both, and Windows-1252 for Western files."""
    from app.core.banks.importer import decode

    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Unreadable(_("This is not a text file. Give a CSV file or an Excel workbook (.xlsx)."))
    return decode(data)


def _csv_rows(text: str, state: TaskState) -> list[tuple[int, list[Any]]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=lambda d: (_recognised(first, d), first.count(d)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, row) for number, row in enumerate(_limited(reader, state, text.count("\n") + 1), start=1)]
    except csv.Error as err:
        raise _Unreadable(_("The file is not a readable CSV table ({error}).").format(error=err)) from None


def _recognised(line: str, delimiter: str) -> int:
    try:
        cells = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return 0
    return sum(1 for cell in cells if _header_key(cell) in _headers())


def _limited(rows, state: TaskState, total: int) -> Iterator[list[Any]]:
    """The rows, up to MAX_ROWS; `total`, about how many there are, for the progress shown."""
    for count, row in enumerate(rows):
        if count % CHECK_EVERY == 0:
            state.raise_if_cancelled()
            state.set_progress(count, max(total, 1), _("Reading the staff list: row {n}…").format(
                n=format_number(count + 1)))
        if count > MAX_ROWS:
            raise _Unreadable(_("The file has more than {n} rows; split it into smaller lists.").format(n=MAX_ROWS))
        yield list(row)


def _xlsx_rows(path: Path, state: TaskState) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001 - a damaged or mislabelled file: openpyxl raises many kinds
        raise _Unreadable(_("This is not a readable Excel workbook ({error}). Save it again as .xlsx, or as "
                            "CSV UTF-8.").format(error=type(err).__name__)) from None
    try:
        sheet = workbook.active
        first = sheet.min_row or 1
        return [(number, row) for number, row in enumerate(_limited(
            sheet.iter_rows(values_only=True), state, sheet.max_row or MAX_ROWS), start=first)]
    finally:
        workbook.close()


def _check(file: str, encoding: str | None, table: list[tuple[int, list[Any]]]) -> StaffList:
    filled = [(number, cells) for number, cells in table if any(cell_text(c) for c in cells)]
    if not filled:
        return StaffList(file, encoding, problems=(RowProblem(file, 0, "", _("The file holds no rows.")),))
    # The header is the first row naming a name column: HR exports often put a title above it.
    at = next((i for i, (_n, cells) in enumerate(filled[:10])
               if any(_headers().get(_header_key(cell_text(c))) == "name" for c in cells)), 0)
    header_row, header = filled[at]
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[RowProblem] = []
    for index, cell in enumerate(header):
        text = cell_text(cell)
        name = _headers().get(_header_key(text)) if text else None
        if name is None:
            if text:
                ignored.append(text)
        elif name in columns:
            problems.append(RowProblem(file, header_row, name, _(
                "Two columns are the {field}: '{first}' and '{second}'. Keep one.").format(
                field=label(name), first=written[name], second=text)))
        else:
            columns[name], written[name] = index, text
    if "name" not in columns:
        problems.append(RowProblem(file, header_row, "name", _(
            "No column holds the name. The first row must name the columns, in any order: {columns}.").format(
            columns=", ".join(label(f) for f in FIELDS))))
        return StaffList(file, encoding, written, tuple(ignored), problems=tuple(problems))
    rows: list[StaffRow] = []
    first_row_of: dict[str, int] = {}
    for number, cells in filled[at + 1:]:
        raw = {name: cells[index] if index < len(cells) else None for name, index in columns.items()}
        fields, found = clean_member(raw)
        problems.extend(RowProblem(file, number, name, message) for name, message in found)
        given = cell_text(raw.get("staff_number"))
        key = None if any(name == "staff_number" for name, _message in found) else staff_key(given)
        if key is not None and key in first_row_of:  # checked even when another field is wrong too
            problems.append(RowProblem(file, number, "staff_number", _(
                "The staff number {number} is also on row {row}.").format(number=given, row=first_row_of[key])))
            continue
        if key is not None:
            first_row_of[key] = number
        if fields is not None:
            rows.append(StaffRow(number, fields))
    if not rows and not problems:
        problems.append(RowProblem(file, 0, "", _("The file has a header row but no staff under it.")))
    return StaffList(file, encoding, written, tuple(ignored), tuple(rows), tuple(problems))
