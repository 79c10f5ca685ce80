"""A report exported as CSV (UTF-8 with BOM, one section per table) and XLSX (one sheet per table, numbers as
numbers, dates as dates) holds exactly the report's numbers: both files are read back and every cell is
compared with the report structure that screens render. Text a learner typed never becomes a formula,
and a failed write leaves the previous file whole."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from app.core.cohorts.store import Cohorts
from app.core.i18n import set_locale
from app.core.record.store import LearningRecord
from app.core.reports.build import build_report
from app.core.reports.export import report_csv, sheet_names, write_csv, write_report, write_xlsx
from app.core.reports.model import BOOLEAN, DATE, DATETIME, INTEGER, PERCENT, Column, Report, Table
from app.core.course.loader import load_course
from tests.answers import wrong_answer
from tests.conftest import COURSE
from tests.core.test_reports import (TRAINER_KIM, UTC, collect, complete, data_folders, learner, take_quiz,
                                     tick_by_minutes)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    tick_by_minutes(monkeypatch)


@pytest.fixture
def course():
    return load_course(COURSE, "en")


@pytest.fixture
def databases(tmp_path):
    yield from data_folders(tmp_path)


@pytest.fixture
def report(databases, course):
    office, trainer = databases("office"), databases("trainer")
    record = LearningRecord(office)
    complete(learner(record, "김민지", "1001"), course, first_try=wrong_answer)
    complete(learner(record, "ليلى حداد", "1002"), course)
    quiz = next(i for i in course.items if i.kind == "quiz")
    take_quiz(learner(record, "Nguyễn Thu", "1003"), course, quiz,
              lambda q: '=HYPERLINK("http://x.invalid","click")' if q.type == "short" else wrong_answer(q))
    collect(office, trainer)
    store = Cohorts(trainer)
    cohort = store.create_cohort(TRAINER_KIM, "서울 2026")
    office_group = store.add_group(TRAINER_KIM, cohort.id, "본부")
    for name, staff in (("김민지", "1001"), ("ليلى حداد", "1002"), ("Nguyễn Thu", "1003"), ("+Park", "-1004")):
        store.add_member(TRAINER_KIM, cohort.id, name, staff, "디지털정부과", group_id=office_group.id)
    store.assign_course(TRAINER_KIM, cohort.id, course.id, dt.date(2026, 3, 1))
    return build_report(trainer, TRAINER_KIM, [course], cohort.id, today=dt.date(2026, 4, 1), tz=UTC)


def from_csv(text: str, column: Column):
    if text == "":
        return None
    if column.kind == INTEGER:
        return int(text)
    if column.kind == PERCENT:
        return float(text)
    if column.kind == DATE:
        return dt.date.fromisoformat(text)
    if column.kind == DATETIME:
        return dt.datetime.fromisoformat(text)
    if column.kind == BOOLEAN:
        return {"yes": True, "no": False}[text]
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def csv_sections(data: bytes) -> list[list[list[str]]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    sections, current = [], []
    for row in rows:
        if not row:
            sections.append(current)
            current = []
        else:
            current.append(row)
    sections.append(current)
    return sections


def test_the_csv_holds_every_number_of_the_report(report, tmp_path):
    path = write_csv(report, tmp_path / "report.csv")
    sections = csv_sections(path.read_bytes())
    assert len(sections) == len(report.tables)
    compared = 0
    for section, table in zip(sections, report.tables):
        assert section[0] == [table.title]
        assert section[1] == [c.title for c in table.columns]
        assert len(section) - 2 == len(table.rows)
        for written, row in zip(section[2:], table.rows):
            assert [from_csv(text, column) for text, column in zip(written, table.columns)] == list(row)
            compared += len(row)
    assert compared > 500
    assert report.table("learners").rows and report.table("questions").rows and report.table("overdue").rows


def test_the_xlsx_holds_every_number_of_the_report_as_typed_cells(report, tmp_path):
    path = write_xlsx(report, tmp_path / "report.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == sheet_names(report)
    for sheet, table in zip(workbook.worksheets, report.tables):
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == [c.title for c in table.columns]
        assert len(values) - 1 == len(table.rows)
        assert sheet.freeze_panes == "A2"
        for number, row in enumerate(table.rows, start=2):
            for index, (value, column) in enumerate(zip(row, table.columns), start=1):
                cell = sheet.cell(row=number, column=index)
                got = cell.value
                if column.kind == DATE and got is not None:
                    assert cell.is_date and cell.number_format == "yyyy-mm-dd"
                    got = got.date()
                if column.kind == DATETIME and got is not None:
                    assert cell.is_date
                if column.kind == PERCENT and got is not None:
                    assert isinstance(got, (int, float)) and cell.number_format == "0.0"  # 50.0 reads back as 50
                if column.kind in (INTEGER, BOOLEAN) and got is not None:
                    assert isinstance(got, int if column.kind == INTEGER else bool)
                assert got == value, (table.key, number, column.key)


def test_text_that_looks_like_a_formula_stays_text(report, tmp_path):
    typed = '=HYPERLINK("http://x.invalid","click")'
    assert typed in report.table("wrong_answers").values("wrong_answer")
    assert "+Park" in report.table("learners").values("name")
    text = report_csv(report)
    assert f"'{typed}".replace('"', '""') in text and "'+Park" in text and "'-1004" in text
    workbook = load_workbook(write_xlsx(report, tmp_path / "report.xlsx"))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value == typed]
    assert cells and all(c.data_type == "s" for c in cells)


def test_korean_and_arabic_reports_keep_their_scripts_and_arabic_sheets_run_right_to_left(databases, course,
                                                                                          tmp_path):
    trainer = databases("trainer")
    complete(learner(LearningRecord(trainer), "김민지", "1"), course)
    set_locale("ko")
    korean = build_report(trainer, TRAINER_KIM, [course], tz=UTC)
    assert "이름" in [c.title for c in korean.table("learners").columns]  # "Name", from the Korean catalog
    data = write_csv(korean, tmp_path / "ko.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "김민지".encode("utf-8") in data and "이름".encode("utf-8") in data
    set_locale("ar")
    arabic = build_report(trainer, TRAINER_KIM, [course], tz=UTC)
    workbook = load_workbook(write_xlsx(arabic, tmp_path / "ar.xlsx"))
    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)
    set_locale("en")
    workbook = load_workbook(write_xlsx(arabic, tmp_path / "en.xlsx"))
    assert not any(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)


def test_sheet_names_are_what_excel_accepts():
    long = "Questions that everyone gets wrong: by quiz [draft]"
    tables = tuple(Table(f"t{n}", title, (Column("a", "A"),), ()) for n, title in enumerate(
        (long, long, "a/b?c*d", "Overdue", "OVERDUE")))
    names = sheet_names(Report("r", dt.datetime(2026, 1, 1), None, (), tables))
    assert all(len(n) <= 31 and not set(n) & set(":\\/?*[]") for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[2] == "a b c d" and names[3] == "Overdue" and names[4] == "OVERDUE (2)"


def test_a_failed_write_leaves_the_previous_file_whole_and_no_partial_file(report, tmp_path, monkeypatch):
    from app.core import atomic

    folder = tmp_path / "out"
    folder.mkdir()
    for file_format in ("xlsx", "csv"):
        target = folder / f"report.{file_format}"
        target.write_bytes(b"the previous report")

        def disk_full(_descriptor):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(atomic.os, "fsync", disk_full)  # the new file is written, then cannot be flushed
        with pytest.raises(OSError):
            write_report(report, target, file_format)
        monkeypatch.undo()
        assert target.read_bytes() == b"the previous report"
    assert sorted(p.name for p in folder.iterdir()) == ["report.csv", "report.xlsx"]  # no partial file left
    with pytest.raises(OSError):
        write_report(report, folder / "missing-folder" / "report.csv", "csv")
    assert not (folder / "missing-folder").exists()
