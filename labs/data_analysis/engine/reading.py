"""Reading a learner's own CSV or Excel file the way a careful person would, and saying what was odd.

    result = read_table(path, state)            # or read_table(path, state, ReadOptions(delimiter=";"))
    result.frame, result.encoding, result.delimiter, result.skipped, result.notes

The order of work; each stage may refuse the file with an `UnreadableFile` naming it (and the line):
1. size: a file over MAX_FILE_BYTES is refused at once, before a byte is read;
2. kind: .xlsx/.xlsm (or a zip renamed .csv) goes to openpyxl; .xls, PDFs and binary files are
   refused with what to do instead;
3. encoding: a BOM decides; else strict UTF-8; else strict CP949 (the superset of EUC-KR) when the
   non-ASCII text is mostly Hangul; else strict Windows-1252; else it is not a text table;
4. layout, from the first 64 KiB: the delimiter (, ; TAB |), the header line (title lines above it
   are skipped and reported) and whether numbers use a decimal comma;
5. a pass with the csv module counts every record's fields. Decision on ragged lines: a line with
   MORE fields than the header is skipped, a line with FEWER is kept with empty cells, and both are
   listed by line number; when more than a fifth of the lines do not fit, the file is refused (the
   delimiter is probably wrong, and guessing further would only hide it);
6. pandas reads every cell as text (in chunks: progress, cancel), then each column becomes numbers
   or dates only when *every* value converts, so no value is ever silently lost; otherwise it stays
   text and the learner converts it as a visible step.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from app.core.atomic import replacing
from app.core.formatting import number
from app.core.i18n import N_, _, ngettext
from app.core.tasks import TaskState

MAX_FILE_BYTES = 250 * 1024**2  # 250 MiB: about 3 million rows, already several GB in memory
SAMPLE_BYTES = 64 * 1024
MAX_REPORTED_LINES = 200  # the report lists this many lines; the counts stay exact
RAGGED_SHARE_REFUSED = 0.2  # above this share of ragged lines the layout guess is wrong: refuse
CHUNK_ROWS = 100_000
DELIMITERS = (",", ";", "\t", "|")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
EXCEL_ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"}

ENCODING_LABELS = {
    "utf-8": N_("UTF-8"),
    "utf-8-sig": N_("UTF-8 with BOM"),
    "utf-16": N_("UTF-16 (Excel Unicode text)"),
    "cp949": N_("Korean (CP949 / EUC-KR)"),
    "cp1252": N_("Western European (Windows-1252)"),
}
DELIMITER_LABELS = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab"), "|": N_("vertical bar")}


class UnreadableFile(Exception):
    """A file the lab cannot read; str() is the translated message, naming the file (and line)."""

    def __init__(self, message: str, file: str = "", line: int = 0):
        super().__init__(message)
        self.file = file
        self.line = line


@dataclass(frozen=True)
class ReadOptions:
    """Choices that override detection; a ReadResult's `options()` pins a reading for resume."""

    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None  # "." or ","
    sheet: str | None = None  # Excel: sheet name; default the first
    dayfirst: bool | None = None  # for dates like 03/04/2024; None: decide from the values

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ReadOptions:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})


@dataclass
class ReadResult:
    frame: pd.DataFrame
    source_name: str  # the file's name, for messages and code
    format: str  # "csv" or "xlsx"
    encoding: str | None = None  # Python codec name; None for Excel
    delimiter: str | None = None
    decimal: str = "."
    date_columns: dict[str, str] = field(default_factory=dict)  # column -> strptime format or "ISO8601"
    thousands_columns: dict[str, str] = field(default_factory=dict)  # column -> thousands separator seen
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, message): lines left out
    short_lines: list[tuple[int, str]] = field(default_factory=list)  # (line, message): kept, cells empty
    skipped_count: int = 0
    short_count: int = 0
    header_line: int = 1  # 1-based line of the column names
    dayfirst: bool | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)  # translated remarks shown with the preview

    def options(self) -> ReadOptions:
        """The options that read this file the same way again (resume does not depend on detection)."""
        if self.format == "xlsx":
            return ReadOptions(sheet=self.sheet, dayfirst=self.dayfirst)
        return ReadOptions(encoding=self.encoding, delimiter=self.delimiter, decimal=self.decimal,
                           dayfirst=self.dayfirst)

    def encoding_label(self) -> str:
        return _(ENCODING_LABELS[self.encoding]) if self.encoding in ENCODING_LABELS else (self.encoding or "")

    def delimiter_label(self) -> str:
        return _(DELIMITER_LABELS[self.delimiter]) if self.delimiter in DELIMITER_LABELS else (self.delimiter or "")

    def pandas_code(self, file_name: str | None = None, variable: str = "df") -> str:
        """The pandas lines that read this file to the same table (shown in the learner's script)."""
        name = file_name or self.source_name
        if self.format == "xlsx":
            sheet = f", sheet_name={self.sheet!r}" if self.sheet else ""
            lines = [f"{variable} = pd.read_excel({name!r}{sheet})"]
        else:
            args = [repr(name)]
            if self.encoding not in ("utf-8", None):
                args.append(f"encoding={self.encoding!r}")
            if self.delimiter != ",":
                args.append(f"sep={self.delimiter!r}")
            if self.decimal != ".":
                args.append(f"decimal={self.decimal!r}")
            if self.header_line > 1:
                args.append(f"skiprows={self.header_line - 1}")
            if self.skipped_count:
                args.append('on_bad_lines="skip"')
            # Text columns stay text (codes like "007" keep their zeros); dates are converted below.
            keep_text = [c for c in self.frame.columns if not pd.api.types.is_numeric_dtype(self.frame[c])
                         or c in self.date_columns or c in self.thousands_columns]
            if keep_text and len(keep_text) < len(self.frame.columns):
                args.append("dtype={" + ", ".join(f"{c!r}: str" for c in keep_text) + "}")
            lines = [f"{variable} = pd.read_csv({', '.join(args)})"]
            for column, sep in self.thousands_columns.items():
                if self.decimal == ",":
                    lines.append(f"{variable}[{column!r}] = pd.to_numeric({variable}[{column!r}].str.replace("
                                 f"{sep!r}, '', regex=False).str.replace(',', '.', regex=False))")
                else:
                    lines.append(f"{variable}[{column!r}] = pd.to_numeric({variable}[{column!r}]"
                                 f".str.replace({sep!r}, '', regex=False))")
        for column, fmt in self.date_columns.items():
            values = f"{variable}[{column!r}]"
            if fmt.startswith("%Y.%m.%d"):  # "2024. 3. 15." -> "2024.3.15", as the reader does
                values += r""".str.replace(r"\.\s", ".", regex=True).str.replace(r"\.(?=$| )", "", regex=True)"""
            lines.append(f"{variable}[{column!r}] = pd.to_datetime({values}, format={fmt!r})")
        return "\n".join(lines)


# --- the file as bytes: size, kind, encoding ---------------------------------------------------------


def _too_big(path: Path, size: int) -> UnreadableFile:
    return UnreadableFile(_("{file} is {size} MB; the lab reads files up to {limit} MB. Open it in a "
                            "spreadsheet or database and save the part you need, e.g. one year "
                            "or one region.").format(file=path.name, size=_megabytes(size),
                                                     limit=_megabytes(MAX_FILE_BYTES)), path.name)


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:,.0f}" if size >= 10 * 1024**2 else f"{size / 1024**2:.1f}"


def _not_text(path: Path, line: int = 0) -> UnreadableFile:
    if line:
        return UnreadableFile(_("{file} is not a text table: line {line} holds bytes that no supported "
                                "encoding (UTF-8, Korean CP949/EUC-KR, Windows-1252) uses. If it comes "
                                "from a program, export it again as CSV (UTF-8) or as an Excel "
                                "workbook (.xlsx).").format(file=path.name, line=line), path.name, line)
    return UnreadableFile(_("{file} is not a text table: it holds binary data (an image, a program or "
                            "a compressed file, perhaps renamed .csv). Choose a CSV file or an Excel "
                            "workbook (.xlsx).").format(file=path.name), path.name)


def _file_kind(path: Path, head: bytes) -> str:
    """'xlsx', 'csv', or raise for the kinds we know and cannot read."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"  # a zip: an Excel workbook, even when renamed .csv
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE container of .xls and encrypted workbooks
        raise UnreadableFile(_("{file} is an old Excel file (.xls) or a password-protected workbook. Open "
                               "it in Excel or LibreOffice and save it as \"Excel Workbook (.xlsx)\" "
                               "without a password, or as CSV.").format(file=path.name), path.name)
    if head.startswith(b"%PDF"):
        raise UnreadableFile(_("{file} is a PDF document; tables inside a PDF cannot be read here. Ask "
                               "for the data as CSV or Excel, or export it from the program that made "
                               "the PDF.").format(file=path.name), path.name)
    if path.suffix.lower() == ".xls":
        raise UnreadableFile(_("{file} is an old Excel file (.xls). Open it in Excel or LibreOffice and "
                               "save it as \"Excel Workbook (.xlsx)\" or as CSV.").format(file=path.name),
                             path.name)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        raise UnreadableFile(_("{file} is named like an Excel workbook but is not one (it may be damaged "
                               "or only renamed). Open it in Excel and save it again as .xlsx.")
                             .format(file=path.name), path.name)
    return "csv"


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 100)


def _decode_all(path: Path, encoding: str, state: TaskState, keep: int = 4000) -> str:
    """Strictly decode the whole file (raises UnicodeDecodeError with the file offset); returns up to
    `keep` of its non-ASCII characters, which is all the Hangul test needs."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    non_ascii: list[str] = []
    offset = 0
    with open(path, "rb") as f:
        while block := f.read(1024 * 1024):
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as err:
                raise UnicodeDecodeError(err.encoding, err.object, offset + err.start, offset + err.end,
                                         err.reason) from None
            offset += len(block)
            if len(non_ascii) < keep and not text.isascii():
                non_ascii.extend(re.findall(r"[^\x00-\x7f]", text)[: keep - len(non_ascii)])
            state.raise_if_cancelled()
        decoder.decode(b"", final=True)
    return "".join(non_ascii)


def _mostly_hangul(text: str) -> bool:
    if not text:
        return False
    hangul = sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff"
                 or "\u3130" <= ch <= "\u318f")
    return hangul / len(text) >= 0.5


def _line_of(path: Path, offset: int) -> int:
    with open(path, "rb") as f:
        return f.read(offset).count(b"\n") + 1


def _first_undecodable_line(path: Path, encoding: str) -> int:
    try:
        _decode_all(path, encoding, TaskState(), keep=0)
    except UnicodeDecodeError as err:
        return _line_of(path, err.start)
    return 0


def detect_encoding(path: Path, head: bytes, state: TaskState) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _looks_binary(head):
        raise _not_text(path)
    first_error = 0
    for encoding in ("utf-8", "cp949", "cp1252"):
        try:
            non_ascii = _decode_all(path, encoding, state)
        except UnicodeDecodeError as err:
            first_error = first_error or err.start
            continue
        if encoding == "cp949" and not _mostly_hangul(non_ascii):
            continue  # Western text that happens to decode as Korean: not Korean
        return encoding
    raise _not_text(path, _line_of(path, first_error))


# --- layout: delimiter, header line, decimal comma -----------------------------------------------------


def _sample_text(path: Path, encoding: str) -> tuple[str, bool]:
    """The first SAMPLE_BYTES as text, and whether that is the whole file."""
    with open(path, "rb") as f:
        raw = f.read(SAMPLE_BYTES + 1)
    complete = len(raw) <= SAMPLE_BYTES
    raw = raw[:SAMPLE_BYTES]
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    return decoder.decode(raw, final=complete), complete


def _records(text: str, delimiter: str, complete: bool) -> list[list[str]]:
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return []
    if not complete and rows:
        rows.pop()  # the sample cuts the last record in the middle
    return [r for r in rows if r]


def guess_delimiter(text: str, complete: bool = True) -> str:
    """The candidate that splits the sample's lines into the most consistent number (>1) of fields."""
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        counts = [len(r) for r in _records(text, delimiter, complete)[:200]]
        if not counts:
            continue
        mode, frequency = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (round(frequency / len(counts), 2), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _header_index(records: list[list[str]]) -> int:
    """Index of the header among the sample's records: title lines above it have fewer fields."""
    counts = [len(r) for r in records]
    if not counts:
        return 0
    mode = Counter(counts).most_common(1)[0][0]
    for index, count in enumerate(counts[:20]):
        if count >= mode:
            return index
    return 0


NUMBER_DOT = re.compile(r"^[+-]?\d+\.\d+$")
NUMBER_COMMA = re.compile(r"^[+-]?\d+,\d+$")
NUMBER_COMMA_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[.\s\u00a0\u202f]\d{3})+,\d+$")


def guess_decimal(records: list[list[str]], delimiter: str) -> str:
    """"," when the numbers look like 12,5 or 1.234,56; a comma-delimited file keeps "." (its
    quoted "1,234" is more likely a thousands separator)."""
    if delimiter == ",":
        return "."
    dot = comma = 0
    for record in records[:200]:
        for value in record:
            value = value.strip()
            if NUMBER_DOT.match(value):
                dot += 1
            elif NUMBER_COMMA.match(value) or NUMBER_COMMA_GROUPED.match(value):
                comma += 1
    return "," if comma > dot else "."


@dataclass(frozen=True)
class Layout:
    """What `sniff` found: enough to read the file, decided before reading it all."""

    format: str
    encoding: str | None
    delimiter: str | None
    decimal: str
    header_line: int  # 1-based physical line of the header
    header_record: int  # 0-based csv record index of the header


def sniff(path: Path, state: TaskState | None = None, options: ReadOptions | None = None) -> Layout:
    """Check the file and guess its layout without reading it all (except the encoding check)."""
    state = state or TaskState()
    options = options or ReadOptions()
    path = Path(path)
    head = _check_file(path)
    if _file_kind(path, head) == "xlsx":
        return Layout("xlsx", None, None, ".", 1, 0)
    encoding = options.encoding or detect_encoding(path, head, state)
    text, complete = _sample_text(path, encoding)
    if not text.strip():
        raise _empty(path)
    delimiter = options.delimiter or guess_delimiter(text, complete)
    records_with_lines = _records_with_lines(text, delimiter, complete)
    records = [r for _line, r in records_with_lines]
    header = _header_index(records)
    header_line, header_record = records_with_lines[header][0] if records_with_lines else (1, 0)
    decimal = options.decimal or guess_decimal(records[header + 1:], delimiter)
    return Layout("csv", encoding, delimiter, decimal, header_line, header_record)


def _records_with_lines(text: str, delimiter: str, complete: bool) -> list[tuple[tuple[int, int], list[str]]]:
    """Non-empty records with ((1-based first line, 0-based record index), fields)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out = []
    line = 1
    try:
        for index, record in enumerate(reader):
            if record:
                out.append(((line, index), record))
            line = reader.line_num + 1
    except csv.Error:
        pass
    if not complete and out:
        out.pop()
    return out


def _check_file(path: Path) -> bytes:
    """Refuse at once what cannot be read: missing, a folder, too big, empty. Returns the first bytes."""
    if not path.exists():
        raise UnreadableFile(_("There is no file at {path}.").format(path=path), path.name)
    if path.is_dir():
        raise UnreadableFile(_("{path} is a folder; choose a file inside it.").format(path=path), path.name)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _too_big(path, size)
    if size == 0:
        raise _empty(path)
    try:
        with open(path, "rb") as f:
            return f.read(SAMPLE_BYTES)
    except OSError as err:
        raise UnreadableFile(_("{file} cannot be opened: {reason}").format(file=path.name, reason=err.strerror),
                             path.name) from err


def _empty(path: Path) -> UnreadableFile:
    return UnreadableFile(_("{file} is empty: it has no column names and no rows.").format(file=path.name),
                          path.name)


# --- reading ------------------------------------------------------------------------------------------


def read_table(path: Path, state: TaskState | None = None, options: ReadOptions | None = None) -> ReadResult:
    """Read a CSV/TSV/TXT or .xlsx file into a DataFrame; UnreadableFile with a clear message if not."""
    state = state or TaskState()
    options = options or ReadOptions()
    path = Path(path)
    state.set_progress(0, 1, _("Checking {file}").format(file=path.name))
    layout = sniff(path, state, options)
    if layout.format == "xlsx":
        return _read_excel(path, state, options)
    return _read_csv(path, layout, state, options)


def _scan_lines(path: Path, layout: Layout, state: TaskState) -> tuple[list[str], set[int], ReadResult, int]:
    """Count every record's fields with the csv module: header, records to skip, the ragged report."""
    result = ReadResult(pd.DataFrame(), path.name, "csv", layout.encoding, layout.delimiter, layout.decimal,
                        header_line=layout.header_line)
    skip: set[int] = set(range(layout.header_record))  # title lines above the header
    size = max(1, path.stat().st_size)
    header: list[str] = []
    data_records = 0
    with open(path, encoding=layout.encoding, newline="") as f:
        reader = csv.reader(f, delimiter=layout.delimiter)
        line = 1
        try:
            for index, record in enumerate(reader):
                first_line, line = line, reader.line_num + 1
                if index < layout.header_record or not record:
                    continue
                if index == layout.header_record:
                    header = record
                    continue
                data_records += 1
                if len(record) > len(header):
                    skip.add(index)
                    result.skipped_count += 1
                    if len(result.skipped) < MAX_REPORTED_LINES:
                        result.skipped.append((first_line, _ragged(first_line, len(record), len(header), True)))
                elif len(record) < len(header):
                    result.short_count += 1
                    if len(result.short_lines) < MAX_REPORTED_LINES:
                        result.short_lines.append((first_line, _ragged(first_line, len(record), len(header), False)))
                if index % 50_000 == 0:
                    state.raise_if_cancelled()
                    state.set_progress(0.1 + 0.3 * min(1.0, f.buffer.tell() / size), 1,
                                       _("Checking the lines of {file}").format(file=path.name))
        except csv.Error as err:
            raise UnreadableFile(_("{file}, line {line}: this line cannot be read as a table ({reason}). A "
                                   "quote (\") may be opened and never closed.")
                                 .format(file=path.name, line=line, reason=err), path.name, line) from err
        except UnicodeDecodeError as err:  # only with an encoding the learner chose
            line = _first_undecodable_line(path, layout.encoding or "utf-8")  # the reader decodes ahead
            encoding = _(ENCODING_LABELS[layout.encoding]) if layout.encoding in ENCODING_LABELS else layout.encoding
            raise UnreadableFile(_("{file} is not written in {encoding} (line {line} does not decode); "
                                   "choose another encoding.").format(file=path.name, encoding=encoding,
                                                                      line=line), path.name, line) from err
    if not header:
        raise _empty(path)
    ragged = result.skipped_count + result.short_count
    if data_records and ragged > max(5, RAGGED_SHARE_REFUSED * data_records):
        first_line, message = sorted(result.skipped + result.short_lines)[0]
        raise UnreadableFile(_("{file}: {ragged} of {total} lines do not have the {fields} fields of the header "
                               "({example}). The columns may not be separated by a {delimiter}: choose "
                               "another delimiter.").format(file=path.name, ragged=ragged, total=data_records,
                                                            fields=len(header), example=message,
                                                            delimiter=result.delimiter_label()),
                             path.name, first_line)
    return header, skip, result, data_records - result.skipped_count


def _ragged(line: int, count: int, expected: int, skipped: bool) -> str:
    if skipped:
        return _("line {line} has {count} fields; the header has {expected}: the line was left out").format(
            line=line, count=count, expected=expected)
    return _("line {line} has {count} fields; the header has {expected}: the missing cells were left empty").format(
        line=line, count=count, expected=expected)


def _read_csv(path: Path, layout: Layout, state: TaskState, options: ReadOptions) -> ReadResult:
    _header, skip, result, expected_rows = _scan_lines(path, layout, state)
    data_rows = 0
    chunks = []
    try:
        # index_col=False: a first data line with one field too many must not become an index
        reader = pd.read_csv(path, encoding=layout.encoding, sep=layout.delimiter, dtype=str, skiprows=skip,
                             index_col=False, chunksize=CHUNK_ROWS, engine="c")
        with reader:
            for chunk in reader:
                chunks.append(chunk)
                data_rows += len(chunk)
                state.raise_if_cancelled()
                state.set_progress(0.4 + 0.3 * min(1.0, data_rows / max(expected_rows, 1)), 1,
                                   ngettext("Read {n} row", "Read {n} rows", data_rows).format(n=number(data_rows)))
    except pd.errors.EmptyDataError as err:
        raise _empty(path) from err
    except (pd.errors.ParserError, ValueError) as err:
        raise UnreadableFile(_("{file} cannot be read as a table: {reason}").format(file=path.name, reason=err),
                             path.name) from err
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    if layout.header_record:
        result.notes.append(ngettext("The first line was skipped: it looks like a title, not column names.",
                                     "The first {n} lines were skipped: they look like a title, not column names.",
                                     layout.header_record).format(n=layout.header_record))
    result.frame = _convert_columns(frame, result, options, state, path.name)
    if result.frame.empty:
        result.notes.append(_("{file} has column names but no rows.").format(file=path.name))
    state.set_progress(1, 1)
    return result


# --- columns: numbers, dates or text ------------------------------------------------------------------

_TIME = r"(?: \d{1,2}:\d{2}(?::\d{2})?)?$"
DATE_PATTERNS: tuple[tuple[str, str], ...] = (  # (kind, regex); a column's values must all match one
    ("iso", r"^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    ("ymd.", r"^\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?" + _TIME),
    ("ymd/", r"^\d{4}/\d{1,2}/\d{1,2}" + _TIME),
    ("dmy.", r"^\d{1,2}\.\d{1,2}\.\d{4}" + _TIME),
    ("xy/", r"^\d{1,2}/\d{1,2}/\d{4}" + _TIME),
    ("xy-", r"^\d{1,2}-\d{1,2}-\d{4}" + _TIME),
)
NUMBER_COMMA_ANY = re.compile(r"^[+-]?(?:\d{1,3}(?:[.\s\u00a0\u202f]\d{3})+|\d+)(?:,\d+)?$")
NUMBER_DOT_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
ZERO_PADDED = re.compile(r"^[+-]?0\d")


def _convert_columns(frame: pd.DataFrame, result: ReadResult, options: ReadOptions, state: TaskState,
                     file_name: str) -> pd.DataFrame:
    converted = {}
    for position, column in enumerate(frame.columns):
        state.raise_if_cancelled()
        state.set_progress(0.7 + 0.3 * position / max(1, len(frame.columns)), 1,
                           _("Recognising numbers and dates in {column}").format(column=column))
        converted[column] = convert_text_column(frame[column], column, result, options)
    return pd.DataFrame(converted, index=frame.index) if converted else frame


def convert_text_column(values: pd.Series, column: str, result: ReadResult, options: ReadOptions) -> pd.Series:
    """Numbers or dates when every present value converts; else the text unchanged (blank cells missing).

    Every check runs on the distinct values only (pd.factorize), so 1,000,000 rows naming 8 districts
    cost 8 checks; the result is spread back to the rows with one reindex.
    """
    codes, uniques = pd.factorize(values.astype("str"))
    distinct = pd.Series(uniques, dtype="str").str.strip()
    blank = (distinct == "").to_numpy()  # cells of spaces only are missing, as empty cells are
    present = distinct[~blank]
    converted: pd.Series | None = None
    if not present.empty:
        number = _as_number(present, result.decimal)
        if number is not None:
            converted, thousands = number
            if thousands:
                result.thousands_columns[column] = thousands
        else:
            converted = _as_date(present, column, result, options)
    if converted is not None:
        spread = converted.reindex(distinct.index).reindex(codes)  # code -1 (missing) -> NaN/NaT
        return pd.Series(spread.to_numpy(), index=values.index, name=values.name)
    text = values.astype("str")
    if blank.any():
        text = text.mask(np.isin(codes, np.flatnonzero(blank)))
    return text


def _as_number(present: pd.Series, decimal: str) -> tuple[pd.Series, str] | None:
    starts_with_zero = present[present.str.startswith(("0", "+0", "-0"))]
    if starts_with_zero.str.match(ZERO_PADDED.pattern).any():
        return None  # codes like 007 or 0123456789 keep their zeros as text
    thousands = ""
    if decimal == ",":
        if not present.str.match(NUMBER_COMMA_ANY.pattern).all():
            return None
        seen = present.str.extract(r"\d([.\s\u00a0\u202f])\d{3}", expand=False).dropna()
        thousands = seen.iloc[0] if not seen.empty else ""
        text = present.str.replace(r"[.\s\u00a0\u202f]", "", regex=True).str.replace(",", ".", regex=False)
        numbers = pd.to_numeric(text, errors="coerce")
        return (numbers, thousands) if numbers.notna().all() else None
    numbers = pd.to_numeric(present, errors="coerce")
    failed = numbers.isna()
    if failed.any():
        rest = present[failed]
        if not rest.str.match(NUMBER_DOT_GROUPED.pattern).all():
            return None
        numbers = pd.to_numeric(present.str.replace(",", "", regex=False), errors="coerce")
        thousands = ","
    if not numbers.notna().all() or not np.isfinite(numbers.to_numpy(dtype=float)).all():
        return None  # "inf" and "nan" written as words are text here, not numbers
    return numbers, thousands


def _as_date(present: pd.Series, column: str, result: ReadResult, options: ReadOptions) -> pd.Series | None:
    """`present` holds distinct values; the dates, or None (the column stays text)."""
    distinct = present.reset_index(drop=True)
    for kind, pattern in DATE_PATTERNS:
        if not distinct.iloc[:500].str.match(pattern).all() or not distinct.str.match(pattern).all():
            continue
        time = ""
        if kind != "iso":  # ISO 8601 parsing copes with and without times by itself
            with_time = distinct.str.contains(r"\d:\d", regex=True)
            if with_time.any() and not with_time.all():
                return None  # some with a time, some without: left as text for the learner to convert
            seconds = bool(distinct.str.contains(r":\d{2}:\d{2}", regex=True).any())
            time = (" %H:%M:%S" if seconds else " %H:%M") if with_time.any() else ""
        text, fmt, dayfirst, ambiguous = present, None, None, False
        if kind == "iso":
            fmt = "ISO8601"
        elif kind == "ymd.":  # Korean style "2024. 3. 15." is parsed as 2024.3.15
            text = present.str.replace(r"\.\s", ".", regex=True).str.replace(r"\.(?=$| )", "", regex=True)
            fmt = "%Y.%m.%d" + time
        elif kind == "ymd/":
            fmt = "%Y/%m/%d" + time
        elif kind == "dmy.":
            fmt = "%d.%m.%Y" + time
        else:  # dd/mm/yyyy or mm/dd/yyyy: a first part over 12 is a day, a second part over 12 too
            parts = distinct.str.extract(r"^(\d{1,2})\D(\d{1,2})\D").astype(int)
            first_over, second_over = bool((parts[0] > 12).any()), bool((parts[1] > 12).any())
            if first_over and second_over:
                return None
            ambiguous = not (first_over or second_over)
            if ambiguous:
                dayfirst = True if options.dayfirst is None else options.dayfirst
            else:
                dayfirst = first_over
            separator = kind[-1]
            fmt = (f"%d{separator}%m" if dayfirst else f"%m{separator}%d") + f"{separator}%Y{time}"
        dates = pd.to_datetime(text, format=fmt, errors="coerce")
        invalid = dates.isna()
        if invalid.any():
            examples = ", ".join(repr(v) for v in present[invalid].unique()[:3])
            result.notes.append(_("{column} looks like dates, but some are not valid dates (e.g. {examples}); it "
                                  "was kept as text.").format(column=column, examples=examples))
            return None
        result.date_columns[column] = fmt
        if dayfirst is not None:
            result.dayfirst = dayfirst
        if ambiguous:
            order = _("day/month/year") if dayfirst else _("month/day/year")
            result.notes.append(_("The dates in {column} could be day/month or month/day (no day is over 12); "
                                  "they were read as {order}. If that is wrong, change it in the import "
                                  "options.").format(column=column, order=order))
        return dates
    return None


# --- Excel -------------------------------------------------------------------------------------------


def _read_excel(path: Path, state: TaskState, options: ReadOptions) -> ReadResult:
    import openpyxl  # only when a workbook is opened
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it ignores
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as err:
        raise UnreadableFile(_("{file} cannot be opened as an Excel workbook (.xlsx): it may be damaged. Open "
                               "it in Excel and save it again.").format(file=path.name), path.name) from err
    try:
        sheets = tuple(book.sheetnames)
        sheet = options.sheet or sheets[0]
        if sheet not in sheets:
            raise UnreadableFile(_("{file} has no sheet named {sheet}; its sheets are: {sheets}.").format(
                file=path.name, sheet=sheet, sheets=", ".join(sheets)), path.name)
        rows = _excel_rows(book[sheet], path, sheet, state)
    finally:
        book.close()
    result = ReadResult(pd.DataFrame(), path.name, "xlsx", sheet=sheet, sheets=sheets)
    header_line, header, body = rows
    result.header_line = header_line
    columns: dict[str, pd.Series] = {}
    width = max([len(header)] + [len(r) for r in body]) if body else len(header)
    names = _column_names(list(header) + [None] * (width - len(header)))
    for position, name in enumerate(names):
        state.raise_if_cancelled()
        cells = [r[position] if position < len(r) else None for r in body]
        columns[name] = _excel_column(cells, name, result, options)
    result.frame = pd.DataFrame(columns) if columns else pd.DataFrame()
    if result.frame.empty:
        result.notes.append(_("{file} has column names but no rows.").format(file=path.name))
    state.set_progress(1, 1)
    return result


def _excel_rows(sheet: Any, path: Path, name: str, state: TaskState) -> tuple[int, tuple, list[tuple]]:
    total = sheet.max_row or 0
    header: tuple | None = None
    header_line = 0
    body: list[tuple] = []
    for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if line % 5000 == 0:
            state.raise_if_cancelled()
            state.set_progress(0.1 + 0.7 * (line / total if total else 0.5), 1,
                               ngettext("Read {n} row", "Read {n} rows", line).format(n=number(line)))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        if header is None:
            header, header_line = row, line
        else:
            body.append(row)
    if header is None:
        raise UnreadableFile(_("The sheet {sheet} of {file} is empty.").format(sheet=name, file=path.name), path.name)
    while header and header[-1] is None and all(len(r) < len(header) or r[len(header) - 1] is None for r in body):
        header = header[:-1]  # trailing formatted-but-empty columns
    body = [r[: max(len(header), _last_filled(r))] for r in body]
    return header_line, header, body


def _last_filled(row: tuple) -> int:
    for index in range(len(row) - 1, -1, -1):
        if row[index] is not None:
            return index + 1
    return 0


def _column_names(header: list[Any]) -> list[str]:
    names: list[str] = []
    for position, value in enumerate(header, start=1):
        name = str(value).strip() if value is not None and str(value).strip() else f"column_{position}"
        base, n = name, 1
        while name in names:
            name = f"{base}.{n}"
            n += 1
        names.append(name)
    return names


def _excel_column(cells: list[Any], name: str, result: ReadResult, options: ReadOptions) -> pd.Series:
    import datetime as dt

    cells = [None if isinstance(v, str) and v.strip() in EXCEL_ERRORS else v for v in cells]
    present = [v for v in cells if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pd.Series(cells, dtype="boolean")
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pd.to_numeric(pd.Series(cells, dtype=object))
    if present and all(isinstance(v, (dt.datetime, dt.date)) for v in present):
        return pd.Series(pd.to_datetime(pd.Series(cells, dtype=object)))
    text = pd.Series([_cell_text(v) for v in cells], dtype="str")
    return convert_text_column(text, name, result, options)


def _cell_text(value: Any) -> str | None:
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


# --- keeping the learner's file -----------------------------------------------------------------------


def keep_copy(path: Path, files_dir: Path) -> str:
    """Copy `path` into `files_dir` named by its content hash (same file -> same name, kept once);
    returns the stored name, which snapshots use instead of the original path."""
    path = Path(path)
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1024 * 1024):
            digest.update(block)
    stored = f"{digest.hexdigest()[:24]}{path.suffix.lower()}"
    target = Path(files_dir) / stored
    if not target.exists():
        Path(files_dir).mkdir(parents=True, exist_ok=True)
        with replacing(target) as temporary, open(temporary, "wb") as out, open(path, "rb") as source:
            while block := source.read(1024 * 1024):
                out.write(block)
    return stored
