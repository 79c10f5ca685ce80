"""Trainer tools → Reports, driven through the window as a trainer would: choose the cohort, the course and
the day that decides who is overdue, Show report, read every section, export CSV and XLSX through the
screen's buttons (only the operating system's save dialog is answered by the test), and read both files
back: every cell the screen's tables show — numbers, percentages, dates, times, yes/no and text — is the
same value in the CSV and in the workbook, and the charts draw the tables' numbers. A cancelled build
leaves the report shown before; a learner never reaches the screen; nothing collected yet is said so.

The learners' records are made with the core, as tests/core/test_reports*.py make them: two learners of
an office answer quizzes right and wrong, one of them is past the cohort's due date, a third record
belongs to no member; their statements are copied into the trainer's collected tables."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed
from app.core.cohorts.store import Cohorts
from app.core.course.loader import load_course
from app.core.record.store import LearningRecord
from app.core.reports.model import BOOLEAN, DATE, DATETIME, INTEGER, PERCENT, TEXT, Column
from app.core.storage.database import open_database
from app.ui.screens.reports import ReportsScreen
from tests.answers import right_answer, wrong_answer
from tests.conftest import COURSE
from tests.core.test_reports import TRAINER_KIM, collect, complete, learner, take_quiz, tick_by_minutes
from tests.ui.helpers import click, open_window
from tests.ui.test_accessibility import unnamed_controls
from tests.ui.test_sign_in import make_accounts, quick_hashes, sign_in  # noqa: F401 - the fixture is autouse

TODAY = dt.date(2026, 4, 1)
DUE = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    tick_by_minutes(monkeypatch)  # statements a minute apart from 2 March 2026, 09:00 UTC


def make_office_data(tmp_path: Path, trainer_dir: Path) -> str:
    """Two learners of an office (one complete after failing each quiz once, one part-way and overdue) and a
    third record of no member, collected on the trainer's PC; a cohort with a due date. Returns its id."""
    course = load_course(COURSE, "en")
    office, trainer = open_database(tmp_path / "office"), open_database(trainer_dir)
    try:
        record = LearningRecord(office)
        complete(learner(record, "Kim Min-ji", "1001"), course, first_try=wrong_answer)
        partway = learner(record, "Lee Seo-yeon", "1002")
        partway.complete_lesson(course, course.items[0])
        quizzes = [i for i in course.items if i.kind == "quiz"]
        take_quiz(partway, course, quizzes[0], lambda q: right_answer(q) if q.type == "true_false"
                  else wrong_answer(q))
        learner(record, "Nguyen Lan", "2001").open_lesson(course, course.items[0])
        collect(office, trainer)
        store = Cohorts(trainer)
        cohort = store.create_cohort(TRAINER_KIM, "Seoul 2026")
        for name, staff in (("Kim Min-ji", "1001"), ("Lee Seo-yeon", "1002")):
            store.add_member(TRAINER_KIM, cohort.id, name, staff, "Digital government")
        store.assign_course(TRAINER_KIM, cohort.id, course.id, DUE)
        return cohort.id
    finally:
        office.dispose()
        trainer.dispose()


def open_reports(qtbot, folder: Path, name: str = "Park", password: str = "training day"):
    window = open_window(qtbot, folder)
    sign_in(qtbot, window, name, password)
    window.show_tool("reports")
    screen = window.screen
    assert isinstance(screen, ReportsScreen)
    return window, screen


def build(qtbot, window, screen) -> None:
    before = screen.report
    click(qtbot, screen.show_button)
    assert not screen.show_button.isEnabled() and screen.cancel_button.isVisible()
    qtbot.waitUntil(lambda: screen.report is not before and not window.runner.busy, timeout=30000)


def choose_cohort(screen, name: str) -> None:
    index = screen.cohort.findText(name)
    assert index > 0
    screen.cohort.setCurrentIndex(index)
    screen.cohort.activated.emit(index)  # what picking it in the list does


@pytest.fixture
def trainer_pc(tmp_path):
    folder = tmp_path / "trainer-pc"
    cohort_id = make_office_data(tmp_path, folder)
    make_accounts(folder, ("Park", TRAINER, "training day"))
    return folder, cohort_id


# ------------------------------------------------------------------------------ reading the three renderings

ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def from_screen(text: str, column: Column):
    """A cell as the English screen writes it, read back to a value (ids and codes come isolated left to right,
    for right-to-left tables: the marks are not text)."""
    text = text.translate(ISOLATES)
    if text == "":
        return None
    if column.kind == BOOLEAN:
        return {"yes": True, "no": False}[text]
    if column.kind == INTEGER:
        return int(text.replace(",", ""))
    if column.kind == PERCENT:
        assert text.endswith("%") and text[-3] == ".", text  # always the report's one decimal: "50.0%"
        return float(text[:-1].replace(",", ""))
    if column.kind == DATE:
        return dt.datetime.strptime(text, "%B %d, %Y").date()
    if column.kind == DATETIME:
        return dt.datetime.strptime(text.replace("\u202f", " "), "%B %d, %Y, %I:%M:%S %p")
    return text


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


def from_xlsx(value, column: Column):
    if column.kind == DATE and value is not None:
        return value.date()
    if column.kind == PERCENT and value is not None:
        return float(value)
    return value


def csv_sections(data: bytes) -> list[list[list[str]]]:
    assert data.startswith(b"\xef\xbb\xbf")
    sections, current = [], []
    for row in csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")):
        if not row:
            sections.append(current)
            current = []
        else:
            current.append(row)
    sections.append(current)
    return sections


def export_through_the_button(qtbot, window, screen, monkeypatch, file_format: str, path: Path) -> None:
    asked = []

    def save_dialog(*args, **kwargs):
        asked.append(args)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    click(qtbot, screen.export_buttons[file_format])
    qtbot.waitUntil(lambda: screen.export_task is None and not window.runner.busy, timeout=30000)
    assert asked, "the button asks where to save"
    assert path.is_file()
    assert screen.export_status.isVisible() and str(path) in screen.export_status.text()
    assert screen.export_status.text().startswith("Report written to")


# ------------------------------------------------------------------------------ the tests

def test_the_screen_the_csv_and_the_xlsx_show_the_same_numbers_cell_by_cell(qtbot, trainer_pc, tmp_path,
                                                                             monkeypatch):
    folder, cohort_id = trainer_pc
    window, screen = open_reports(qtbot, folder)
    assert not screen.collected_card.isVisible()  # progress was collected: no empty-state card
    choose_cohort(screen, "Seoul 2026")
    assert screen.chosen_course_ids() == ["ai-foundations"]  # the course assigned to the cohort is ticked
    screen.today.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    build(qtbot, window, screen)
    report = screen.report
    assert report.cohort == "Seoul 2026" and screen.results.isVisible()
    assert screen.title.text() == "Seoul 2026: progress report"
    assert "overdue as of April 1, 2026" in screen.made.text()
    assert not unnamed_controls(window), unnamed_controls(window)

    # Every table of the report is a section, with its number of rows.
    listed = [screen.section_list.item(i).text() for i in range(screen.section_list.count())]
    assert listed == [f"{t.title} ({len(t.rows)})" for t in report.tables]
    assert "unmatched" in report.table_keys and "Overdue (1)" in listed
    for row in range(screen.section_list.count()):
        screen.section_list.setCurrentRow(row)
        assert screen.stack.currentWidget() is screen.sections[report.tables[row].key]

    csv_path, xlsx_path = tmp_path / "usb" / "seoul.csv", tmp_path / "usb" / "seoul.xlsx"
    csv_path.parent.mkdir()
    export_through_the_button(qtbot, window, screen, monkeypatch, "csv", csv_path)
    export_through_the_button(qtbot, window, screen, monkeypatch, "xlsx", xlsx_path)
    sections = csv_sections(csv_path.read_bytes())
    workbook = load_workbook(xlsx_path)
    assert len(sections) == len(workbook.worksheets) == len(report.tables)

    compared = {TEXT: 0, BOOLEAN: 0, INTEGER: 0, PERCENT: 0, DATE: 0, DATETIME: 0}
    shown_tables = {}
    for section, sheet, table in zip(sections, workbook.worksheets, report.tables):
        assert section[0] == [table.title]
        sheet_rows = list(sheet.iter_rows(values_only=True))
        if not table.rows:
            assert table.key not in screen.tables and len(section) == 2 and len(sheet_rows) == 1
            continue
        view = screen.tables[table.key]
        model = view.model
        headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        assert headings == section[1] == list(sheet_rows[0])
        shown = view.shown_rows()
        assert len(shown) == len(section) - 2 == len(sheet_rows) - 1 == len(table.rows)
        parsed = []
        for on_screen, in_csv, in_xlsx in zip(shown, section[2:], sheet_rows[1:]):
            values = []
            for column, text, written, cell in zip(table.columns, on_screen, in_csv, in_xlsx):
                value = from_screen(text, column)
                assert value == from_csv(written, column) == from_xlsx(cell, column), (table.key, column.key, text,
                                                                                       written, cell)
                compared[column.kind] += 1
                values.append(value)
            parsed.append(dict(zip([c.key for c in table.columns], values)))
        shown_tables[table.key] = parsed
    assert all(compared[kind] for kind in compared), compared  # every kind of cell was compared
    assert sum(compared.values()) > 150

    # The data behind it: Kim completed, Lee is overdue, Nguyen belongs to no member.
    learners = {r["name"]: r for r in shown_tables["learners"]}
    assert learners["Kim Min-ji"]["completed"] is True and learners["Kim Min-ji"]["overdue"] is False
    assert learners["Lee Seo-yeon"]["overdue"] is True and learners["Lee Seo-yeon"]["due"] == DUE
    [late] = shown_tables["overdue"]
    assert (late["name"], late["days_overdue"]) == ("Lee Seo-yeon", (TODAY - DUE).days)
    assert [r["name"] for r in shown_tables["unmatched"]] == ["Nguyen Lan"]
    questions = shown_tables["questions"]
    assert any(0 < (q["share_correct"] or 0) < 100 for q in questions)  # right and wrong answers to one question
    assert any(q["top_wrong_answer"] for q in questions)

    # The charts draw the tables' numbers.
    [status] = screen.charts["courses"].data
    [course_row] = shown_tables["courses"]
    assert (status.completed, status.overdue, status.total) == (course_row["completed"], course_row["overdue"],
                                                                course_row["enrolled"])
    assert (status.completed, status.in_progress, status.not_started, status.overdue) == (1, 0, 0, 1)
    assert sum(1 for r in shown_tables["learners"] if r["completed"]) == status.completed
    assert "1 completed, 0 in progress, 1 overdue, 0 not started (2 in all)" in screen.charts["courses"].caption.text()
    assert screen.charts["courses"].plot.accessibleDescription() == screen.charts["courses"].caption.text()
    bars = screen.charts["questions"].data
    by_id = {q["question_id"]: q for q in questions}
    assert bars and [b.share_correct for b in bars] == sorted(b.share_correct for b in bars)  # hardest first
    assert all(b.share_correct == by_id[b.question_id]["share_correct"] and b.answers == by_id[b.question_id]["answers"]
               for b in bars)
    assert len(bars) == min(10, sum(1 for q in questions if q["share_correct"] is not None))
    weeks = screen.charts["completions_by_week"].data
    assert [(p.week, p.completed, p.cumulative) for p in weeks["ai-foundations"]] == [
        (r["period"], r["completed"], r["cumulative"]) for r in shown_tables["completions_by_week"]]
    assert weeks["ai-foundations"][-1].cumulative == course_row["completed"]

    # Sorting: by a column's value, not its text; the report's order is where it started.
    screen.show_section("questions")
    view = screen.tables["questions"]
    assert view.isVisible()
    view.sort_by("share_correct", Qt.SortOrder.DescendingOrder)
    shares = [row[view.table.column("share_correct")] for row in view.shown_values()]
    answered = [s for s in shares if s is not None]
    assert answered == sorted(answered, reverse=True) and shares[:len(answered)] == answered
    header, section = view.view.horizontalHeader(), view.table.column("learners")
    view.view.scrollTo(view.model.index(0, section))
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert view.view.horizontalHeader().sortIndicatorSection() == view.table.column("learners")
    assert view.sort_column.currentText() == "Learners"  # the keyboard's choice follows the click
    # From the keyboard: choose the column, then the other way round.
    view.sort_column.setFocus()
    view.sort_column.setCurrentIndex(view.sort_column.findData(view.table.column("answers")))
    view.sort_column.activated.emit(view.sort_column.currentIndex())
    click(qtbot, view.descending)
    counts = [row[view.table.column("answers")] for row in view.shown_values()]
    assert counts == sorted(counts, reverse=True) and len(set(counts)) > 1
    view.sort_column.setCurrentIndex(0)
    view.sort_column.activated.emit(0)
    assert view.shown_values() == list(view.table.rows)  # the report's own order again

    # The current row is read out in full under the table, and stays the current row when the table is sorted.
    view.view.setFocus()
    view.view.selectRow(0)
    chosen = view.shown_values()[0]
    assert view.row_line.isVisible() and f"Question: {chosen[view.table.column('question')]}" in view.row_line.text()
    view.sort_by("question_id", Qt.SortOrder.DescendingOrder)
    assert view.shown_values()[view.view.currentIndex().row()] is chosen
    window.close()


def test_cancel_mid_build_leaves_the_report_shown_before(qtbot, trainer_pc, monkeypatch):
    from app.core.reports import build as build_module

    folder, _cohort_id = trainer_pc
    window, screen = open_reports(qtbot, folder)
    screen.today.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    build(qtbot, window, screen)
    first = screen.report
    assert first.cohort is None  # every learner this computer knows
    names = {r["name"] for r in first.table("learners").records()}
    assert names == {"Kim Min-ji", "Lee Seo-yeon", "Nguyen Lan"}

    real, started, release = build_module.build_report, threading.Event(), threading.Event()

    def held(*args, **kwargs):
        started.set()
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "build_report", held)
    choose_cohort(screen, "Seoul 2026")
    click(qtbot, screen.show_button)
    qtbot.waitUntil(started.is_set, timeout=5000)
    assert screen.progress.isVisible() and not screen.show_button.isEnabled()
    assert screen.export_buttons["csv"].isEnabled()  # the report shown can still be exported meanwhile
    click(qtbot, screen.cancel_button)
    release.set()
    qtbot.waitUntil(lambda: not window.runner.busy and screen.task is None, timeout=10000)
    assert screen.report is first
    assert screen.title.text() == "All learners: progress report"
    assert screen.status.text() == "Cancelled: the report below is the one shown before."
    assert screen.show_button.isEnabled() and not screen.cancel_button.isVisible() and not screen.progress.isVisible()
    assert {r[1] for r in screen.tables["learners"].shown_values()} == names

    # Cancel pressed as the build ends (its result already on its way): that result is not shown either.
    release.clear()
    started.clear()
    click(qtbot, screen.show_button)
    qtbot.waitUntil(started.is_set, timeout=5000)
    release.set()
    assert screen.task.worker.wait(10000)  # finished; its result waits in the event queue
    screen.cancel_button.click()
    qtbot.waitUntil(lambda: not window.runner.busy and screen.task is None, timeout=10000)
    assert screen.report is first and screen.status.text() == "Cancelled: the report below is the one shown before."

    # A build that fails says why, where the choices are; the report shown stays.
    def broken(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(build_module, "build_report", broken)
    click(qtbot, screen.show_button)
    qtbot.waitUntil(lambda: not window.runner.busy and screen.task is None, timeout=10000)
    assert screen.status.text() == "The report could not be built: [Errno 5] Input/output error"
    assert screen.report is first and screen.show_button.isEnabled()

    # An export to a folder that is not there: said under the export buttons, no file, no traceback.
    missing = folder.parent / "no-such-usb" / "report.csv"
    screen.export("csv", missing)
    qtbot.waitUntil(lambda: screen.export_task is None and not window.runner.busy, timeout=10000)
    assert screen.export_error.isVisible() and str(missing) in screen.export_error.text()
    assert "the file could not be written" in screen.export_error.text() and not missing.exists()
    assert not screen.export_status.isVisible() and screen.export_buttons["csv"].isEnabled()

    # Leaving mid-build cancels it: the window moves on, nothing lands on the screen left behind.
    release.clear()
    started.clear()
    monkeypatch.setattr(build_module, "build_report", held)
    click(qtbot, screen.show_button)
    qtbot.waitUntil(started.is_set, timeout=5000)
    task = screen.task
    click(qtbot, window.back_button)
    assert not isinstance(window.screen, ReportsScreen) and task.worker.state.cancel_requested
    release.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    window.close()


def test_a_learner_is_refused(qtbot, data_dir):
    make_accounts(data_dir, ("Amina", LEARNER, "correct horse"))
    window = open_window(qtbot, data_dir)
    sign_in(qtbot, window, "Amina", "correct horse")
    before = window.screen
    window.show_tool("reports")
    assert window.screen is before and not isinstance(window.screen, ReportsScreen)
    assert window.notice_box.isVisible() and window.notice.text()
    with pytest.raises(NotAllowed):
        ReportsScreen(window)
    window.close()


def test_nothing_collected_yet_and_a_course_nobody_started_are_said(qtbot, data_dir):
    trainer = open_database(data_dir)
    store = Cohorts(trainer)
    cohort = store.create_cohort(TRAINER_KIM, "New starters")
    store.add_member(TRAINER_KIM, cohort.id, "Sok Dara", "3001")
    store.assign_course(TRAINER_KIM, cohort.id, "ai-foundations", DUE)
    trainer.dispose()
    make_accounts(data_dir, ("Park", TRAINER, "training day"))
    window, screen = open_reports(qtbot, data_dir)
    assert screen.collected_card.isVisible()
    assert "Trainer tools → Collected progress" in screen.collected_card.findChildren(type(screen.notes))[1].text()
    choose_cohort(screen, "New starters")
    screen.today.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    build(qtbot, window, screen)
    title = window.services.catalogue.course("ai-foundations").title
    assert screen.notes.isVisible() and screen.notes.text() == f"Nobody has started “{title}” yet."
    assert not screen.charts["completions_by_week"].plot.isVisible()
    assert screen.charts["completions_by_week"].caption.text() == "Nobody has completed these courses yet."
    assert screen.charts["questions"].caption.text() == "Nobody has answered these questions yet."
    assert (screen.charts["courses"].data[0].not_started, screen.charts["courses"].data[0].overdue) == (0, 1)
    labels = [w.text() for w in screen.sections["wrong_answers"].findChildren(type(screen.notes))]
    assert "No wrong answers so far." in labels
    # Enter among the choices shows the report, as the primary button does.
    first = screen.report
    screen.cohort.setFocus()
    qtbot.keyClick(screen.cohort, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.report is not first and not window.runner.busy, timeout=30000)
    # No course ticked: said where the choice is, nothing built.
    screen.choose(None, [])
    click(qtbot, screen.show_button)
    assert screen.status.text() == "Tick at least one course to report on." and not window.runner.busy
    if importlib.util.find_spec("app.ui.screens.collected_progress") is not None:
        click(qtbot, screen.collected_button)
        qtbot.waitUntil(lambda: window.location.item_id == "progress", timeout=5000)
    window.close()


def test_a_language_change_keeps_the_choices_and_builds_the_report_again_in_that_language(qtbot, trainer_pc):
    folder, cohort_id = trainer_pc
    window, screen = open_reports(qtbot, folder)
    choose_cohort(screen, "Seoul 2026")
    screen.today.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    build(qtbot, window, screen)
    english = screen.report
    window.change_language("ko")
    qtbot.waitUntil(lambda: window.screen is not screen and isinstance(window.screen, ReportsScreen)
                    and window.screen.report is not None and not window.runner.busy, timeout=30000)
    korean = window.screen
    assert korean.cohort.currentData() == cohort_id and korean.today.date().toPython() == TODAY
    assert korean.report is not english and korean.report_locale == "ko"
    assert korean.report.table("learners").title != english.table("learners").title  # the Korean catalog's
    numbers = [[c for c, col in zip(row, korean.report.table("courses").columns) if col.kind in (INTEGER, PERCENT)]
               for row in korean.report.table("courses").rows]
    assert numbers == [[c for c, col in zip(row, english.table("courses").columns) if col.kind in (INTEGER, PERCENT)]
                       for row in english.table("courses").rows]
    # A text-size change keeps the very report (same language): nothing is built again.
    window.change_text_size(+1)
    qtbot.waitUntil(lambda: window.screen is not korean and isinstance(window.screen, ReportsScreen), timeout=10000)
    assert window.screen.report is korean.report
    window.change_language("en")
    qtbot.waitUntil(lambda: isinstance(window.screen, ReportsScreen) and window.screen.report_locale == "en"
                    and not window.runner.busy, timeout=30000)
    window.close()
