"""Trainer tools → Cohorts in the real window, driven through its widgets: cohorts, groups and members typed
in; staff lists from real CSV and XLSX files (a list with bad rows imports no one and names every row); a
course assigned with a due date; the assignments file exported and read back by the core; a cancelled
import; a learner refused; the screen in Korean and Arabic.

Only the operating system's file dialogs are bypassed (the path is passed in)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed
from app.core.cohorts.assignment_file import read_assignment_file
from app.core.cohorts.store import Cohorts
from app.core.i18n import set_locale
from app.ui.screens import cohorts as cohorts_screen
from app.ui.screens.cohorts import CohortsScreen
from tests.ui import helpers
from tests.ui.helpers import open_window
from tests.ui.test_accessibility import unnamed_controls
from tests.ui.test_languages import choose_in_settings
from tests.ui.test_sign_in import make_accounts, quick_hashes, sign_in  # noqa: F401 - the fixture is autouse

GOOD_CSV = ("Name,Staff number,Department,Language,Office\n"
            "Kim Minji,1001,Digital Policy,ko,HQ\n"
            "Amina Diallo,1002,Records,French,Busan\n"
            "Ivan Petrov,1003,Records,,HQ\n")
BAD_CSV = ("Name,Staff number,Department,Language\n"
           "Lee Jun,2001,Finance,en\n"
           "Park Sora,2002,Finance,Klingon\n"  # row 3: an unknown language
           "Choi Hana,2003,Audit,ko\n"
           "Jung Woo,2001,Audit,en\n")  # row 5: the staff number of row 2


@pytest.fixture(autouse=True)
def english():
    yield
    set_locale("en")


def click(qtbot, button) -> None:
    """Click as a person would: after the layout has settled (a button only just shown has no size yet)."""
    QApplication.processEvents()
    helpers.click(qtbot, button)


def tick(qtbot, box) -> None:
    """Tick or untick a check box from the keyboard (its hit area is its text, not the whole row)."""
    assert box.isEnabled() and box.isVisible()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)


def open_cohorts(qtbot, tmp_path, role=TRAINER):
    office = tmp_path / "trainer-pc"
    make_accounts(office, ("Park", role, "training day"))
    window = open_window(qtbot, office)
    sign_in(qtbot, window, "Park", "training day")
    window.show_tool("cohorts")
    return window


def store_of(window) -> Cohorts:
    return Cohorts(window.services.database)


def members_in_db(window, screen) -> list:
    return store_of(window).members(window.principal, screen.cohort.id)


def create_cohort(qtbot, screen, name: str) -> None:
    qtbot.keyClicks(screen.new_name, name)
    click(qtbot, screen.create_button)


def plain(shown: str) -> str:
    """Text as read, without the marks that keep codes left to right in Arabic."""
    return shown.strip("\u2066\u2068\u2069")


def table_rows(view) -> list[list[str]]:
    return [[plain(view.topLevelItem(r).text(c)) for c in range(view.columnCount())]
            for r in range(view.topLevelItemCount())]


def wait_idle(qtbot, window, screen) -> None:
    qtbot.waitUntil(lambda: screen.task is None and not window.runner.busy, timeout=30000)


def answer_next_message_box(button_text: str) -> None:
    """Press `button_text` in the message box about to open (as the trainer would)."""
    def press():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(20, press)


def test_a_trainer_creates_a_cohort_with_groups_and_members(qtbot, tmp_path):
    window = open_cohorts(qtbot, tmp_path)
    screen = window.screen
    assert isinstance(screen, CohortsScreen)
    assert screen.empty_hint.isVisible() and not screen.details.isVisible()
    assert not unnamed_controls(window)

    click(qtbot, screen.create_button)  # no name yet
    assert screen.cohorts_error.isVisible() and screen.cohorts_error.text() == "Give the cohort a name."
    create_cohort(qtbot, screen, "Seoul 2026")
    assert screen.cohort_list.item(0).text() == "Seoul 2026" and screen.cohort.name == "Seoul 2026"
    assert screen.details.isVisible() and "Seoul 2026" in screen.cohort_title.text()
    assert "is created" in screen.cohorts_status.text()
    create_cohort(qtbot, screen, "seoul  2026")  # the same name, spelt otherwise
    assert "There is already a cohort called" in screen.cohorts_error.text()
    assert not unnamed_controls(window)

    # Groups: added, one renamed.
    for name in ("HQ", "Busan"):
        qtbot.keyClicks(screen.group_name, name)
        qtbot.keyClick(screen.group_name, Qt.Key.Key_Return)
    assert [screen.group_list.item(i).text() for i in range(screen.group_list.count())] == [
        "Busan (0 members)", "HQ (0 members)"]
    screen.group_list.setCurrentRow(0)
    qtbot.keyClicks(screen.group_name, "Busan office")
    click(qtbot, screen.rename_group_button)
    groups = {g.name: g.id for g in store_of(window).groups(window.principal, screen.cohort.id)}
    assert set(groups) == {"Busan office", "HQ"}

    # A member typed in, with a language and a group.
    click(qtbot, screen.add_member_button)
    assert screen.members_error.text() == "Name: The name is missing."
    qtbot.keyClicks(screen.member_name, "Kim Minji")
    qtbot.keyClicks(screen.member_staff, "ab-1001")
    qtbot.keyClicks(screen.member_department, "Digital Policy")
    screen.member_language.setCurrentIndex(screen.member_language.findData("ko"))
    screen.member_group.setCurrentIndex(screen.member_group.findData(groups["HQ"]))
    click(qtbot, screen.add_member_button)
    assert not screen.members_error.isVisible()
    assert table_rows(screen.member_table) == [["Kim Minji", "ab-1001", "Digital Policy", "한국어", "HQ"]]
    [kim] = members_in_db(window, screen)
    assert (kim.staff_number, kim.language, kim.group_id) == ("ab-1001", "ko", groups["HQ"])
    # The same staff number again (another case): refused, with the holder's name.
    qtbot.keyClicks(screen.member_name, "Someone Else")
    qtbot.keyClicks(screen.member_staff, "AB-1001")
    qtbot.keyClick(screen.member_staff, Qt.Key.Key_Return)
    assert "already enrolled in this cohort (Kim Minji)" in screen.members_error.text()
    assert len(members_in_db(window, screen)) == 1
    screen.member_name.clear()
    screen.member_staff.clear()
    qtbot.keyClicks(screen.member_name, "Amina Diallo")
    click(qtbot, screen.add_member_button)
    assert "1 has no staff number" in screen.member_count.text()

    # Move Kim to the Busan office.
    screen.select_member("Kim Minji")
    screen.move_group.setCurrentIndex(screen.move_group.findData(groups["Busan office"]))
    click(qtbot, screen.move_button)
    assert screen.members_status.text() == "Kim Minji is now in the group Busan office."
    assert next(m for m in members_in_db(window, screen) if m.name == "Kim Minji").group_id == groups["Busan office"]

    # Remove Amina: "Keep" first changes nothing, then "Remove".
    screen.select_member("Amina Diallo")
    answer_next_message_box("Keep")
    click(qtbot, screen.remove_member_button)
    assert len(members_in_db(window, screen)) == 2
    answer_next_message_box("Remove")
    click(qtbot, screen.remove_member_button)
    assert [m.name for m in members_in_db(window, screen)] == ["Kim Minji"]
    assert "Amina Diallo is removed" in screen.members_status.text()
    assert [row[0] for row in table_rows(screen.member_table)] == ["Kim Minji"]

    # Rename, archive (it leaves the list), show archived (read-only), restore.
    screen.rename_edit.selectAll()
    qtbot.keyClicks(screen.rename_edit, "Seoul spring 2026")
    click(qtbot, screen.rename_button)
    assert screen.cohort_list.item(0).text() == "Seoul spring 2026"
    click(qtbot, screen.archive_button)
    assert screen.cohort_list.count() == 0 and screen.cohort is None and screen.empty_hint.isVisible()
    assert "Show archived cohorts" in screen.cohorts_status.text()
    tick(qtbot, screen.show_archived)
    assert screen.cohort_list.item(0).text() == "Seoul spring 2026 (archived)"
    screen.select_cohort("Seoul spring 2026")
    assert screen.archived_note.isVisible()
    assert not screen.add_member_button.isEnabled() and not screen.import_button.isEnabled()
    assert not screen.assign_button.isEnabled() and screen.export_button.isEnabled()
    assert screen.archive_button.text() == "Restore the cohort"
    click(qtbot, screen.archive_button)
    assert not store_of(window).cohort(window.principal, screen.cohort.id).archived
    assert screen.add_member_button.isEnabled() and not screen.archived_note.isVisible()


def test_staff_lists_from_csv_and_xlsx_all_rows_or_none(qtbot, tmp_path):
    window = open_cohorts(qtbot, tmp_path)
    screen = window.screen
    create_cohort(qtbot, screen, "Seoul 2026")

    good = tmp_path / "staff.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    screen.import_staff_list(good)
    wait_idle(qtbot, window, screen)
    assert screen.import_result.text().startswith("3 people were added to the cohort from")
    assert "New groups: HQ, Busan." in screen.import_result.text()
    assert not screen.problems.isVisible()
    assert sorted(m.name for m in members_in_db(window, screen)) == ["Amina Diallo", "Ivan Petrov", "Kim Minji"]
    assert screen.member_table.topLevelItemCount() == 3
    assert ["Amina Diallo", "1002", "Records", "Français", "Busan"] in table_rows(screen.member_table)

    # Two bad rows: no one is imported, both are listed with their row and column.
    bad = tmp_path / "more staff.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    screen.import_staff_list(bad)
    wait_idle(qtbot, window, screen)
    assert screen.import_error.isVisible() and not screen.import_result.isVisible()
    assert screen.import_error.text().startswith("Nothing was imported:")
    assert "has 2 problems" in screen.import_error.text()
    assert screen.problems.isVisible()
    rows = screen.problem_rows
    assert [row[:2] for row in rows] == [["3", "Language"], ["5", "Staff number"]]
    assert rows[0][2].startswith("Unknown language 'Klingon'")
    assert rows[1][2] == "The staff number 2001 is also on row 2."
    shown = screen.problems.toPlainText()
    assert all(cell in shown for row in rows for cell in row)
    assert len(members_in_db(window, screen)) == 3  # still only the first list: not even its good rows
    assert not {"Lee Jun", "Choi Hana"} & {m.name for m in members_in_db(window, screen)}
    assert screen.member_table.topLevelItemCount() == 3

    # A Korean Excel CSV (CP949): read as such, and said so.
    korean = tmp_path / "korean.csv"
    korean.write_bytes("이름,사번,부서\n김서연,3001,감사실\n".encode("cp949"))
    screen.import_staff_list(korean)
    wait_idle(qtbot, window, screen)
    assert screen.import_result.text().startswith("1 person was added")
    assert "already in the cohort" not in screen.import_result.text()  # no one on this list was
    assert "CP949" in screen.import_note.text() and screen.import_note.isVisible()
    assert any(m.name == "김서연" and m.department == "감사실" for m in members_in_db(window, screen))

    # An XLSX workbook with a title row above the header, and numbers Excel stores as floats.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Staff of the Audit Office"])
    sheet.append(["Employee name", "Employee ID", "Dept", "Lang", "Group"])
    sheet.append(["Nguyen Lan", 4001.0, "Audit", "vi", "HQ"])
    sheet.append(["Rahimov Aziz", 4002, "Audit", "uz", "Tashkent"])
    workbook = tmp_path / "audit.xlsx"
    book.save(workbook)
    screen.import_staff_list(workbook)
    wait_idle(qtbot, window, screen)
    assert screen.import_result.text().startswith("2 people were added")
    assert "New groups: Tashkent." in screen.import_result.text()
    assert not screen.import_note.isVisible()  # a workbook has no text encoding to mention
    found = {m.name: m for m in members_in_db(window, screen)}
    assert found["Nguyen Lan"].staff_number == "4001" and found["Rahimov Aziz"].language == "uz"
    assert screen.member_table.topLevelItemCount() == 6

    # The same workbook again: every row is already enrolled, so no one is added and nothing is refused.
    screen.import_staff_list(workbook)
    wait_idle(qtbot, window, screen)
    assert screen.import_result.text().startswith("0 people were added")
    assert "2 people on the list were already in the cohort" in screen.import_result.text()
    assert not screen.import_error.text()
    assert len(members_in_db(window, screen)) == 6

    # A file that is not a staff list at all: one sentence, no table.
    old_excel = tmp_path / "staff.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0")
    screen.import_staff_list(old_excel)
    wait_idle(qtbot, window, screen)
    assert "old Excel file (.xls)" in screen.import_error.text() and not screen.problems.isVisible()
    assert not unnamed_controls(window)


def test_a_course_is_assigned_with_a_due_date_and_exported_for_learners(qtbot, tmp_path):
    window = open_cohorts(qtbot, tmp_path)
    screen = window.screen
    create_cohort(qtbot, screen, "Seoul 2026")
    staff = tmp_path / "staff.csv"
    staff.write_text(GOOD_CSV + "No Number,,Records,,HQ\n", encoding="utf-8")
    screen.import_staff_list(staff)
    wait_idle(qtbot, window, screen)
    hq = next(g for g in store_of(window).groups(window.principal, screen.cohort.id) if g.name == "HQ")

    course = window.services.catalogue.course("ai-foundations")
    screen.course_choice.setCurrentIndex(screen.course_choice.findData("ai-foundations"))
    assert screen.course_choice.currentText() == course.title
    assert screen.due_date.calendarPopup()
    screen.due_date.setDate(QDate(2026, 12, 31))
    click(qtbot, screen.assign_button)
    assert screen.assignments_status.text() == (
        f"{course.title} is assigned to everyone in the cohort, due by December 31, 2026.")
    # Another course for one group, with no due date.
    other = next(c for c in window.services.catalogue.courses if c.id != "ai-foundations")
    screen.course_choice.setCurrentIndex(screen.course_choice.findData(other.id))
    screen.target_choice.setCurrentIndex(screen.target_choice.findData(hq.id))
    tick(qtbot, screen.has_due)
    assert not screen.due_date.isEnabled()
    click(qtbot, screen.assign_button)
    assert screen.assignments_status.text() == f"{other.title} is assigned to HQ, with no due date."
    assigned = {a.course_id: a for a in store_of(window).assignments(window.principal, screen.cohort.id)}
    assert assigned["ai-foundations"].due == dt.date(2026, 12, 31) and assigned["ai-foundations"].group_id is None
    assert assigned[other.id].due is None and assigned[other.id].group_id == hq.id
    rows = table_rows(screen.assignment_table)
    assert [course.title, "Everyone in the cohort", "December 31, 2026"] in rows
    assert [other.title, "HQ", "No due date"] in rows

    # Export to the "USB stick"; the core reads it back.
    stick = tmp_path / "usb"
    stick.mkdir()
    out = stick / "seoul.json"
    screen.export_assignments(out)
    wait_idle(qtbot, window, screen)
    said = screen.export_result.text()
    assert str(out) in said and "My progress and assignments" in said
    assert "It holds the assignments of 3 members." in said
    assert "1 member has no staff number" in said and "No Number" in said
    data = read_assignment_file(out)
    assert data["cohort"]["name"] == "Seoul 2026"
    assert {m["staff_number"] for m in data["members"]} == {"1001", "1002", "1003"}
    assert {(a["course_id"], a["due"], a["group"]) for a in data["assignments"]} == {
        ("ai-foundations", "2026-12-31", None), (other.id, None, "HQ")}

    # Remove one assignment.
    screen.assignment_table.setCurrentItem(screen.assignment_table.topLevelItem(
        next(i for i, row in enumerate(rows) if row[0] == other.title)))
    click(qtbot, screen.unassign_button)
    assert [a.course_id for a in store_of(window).assignments(window.principal, screen.cohort.id)] == [
        "ai-foundations"]
    assert screen.assignment_table.topLevelItemCount() == 1

    # A stick that cannot be written: said on the screen, no traceback.
    screen.export_assignments(tmp_path / "no such stick" / "seoul.json")
    wait_idle(qtbot, window, screen)
    assert screen.export_error.isVisible()
    assert screen.export_error.text().startswith("The assignments file could not be written:")


def test_an_import_can_be_cancelled_and_leaving_the_screen_stops_it(qtbot, tmp_path, monkeypatch):
    window = open_cohorts(qtbot, tmp_path)
    screen = window.screen
    create_cohort(qtbot, screen, "Seoul 2026")
    staff = tmp_path / "staff.csv"
    staff.write_text(GOOD_CSV, encoding="utf-8")
    release = threading.Event()
    real = cohorts_screen.read_staff_list

    def slow_read(path, state=None):
        release.wait(20)  # a big workbook being read: the cancel stops it at its next thousand rows
        return real(path, state)

    monkeypatch.setattr(cohorts_screen, "read_staff_list", slow_read)
    screen.import_staff_list(staff)
    assert screen.import_task.isVisible() and screen.import_task.cancel.isEnabled()
    for control in (screen.import_button, screen.export_button, screen.add_member_button, screen.assign_button,
                    screen.create_button, screen.cohort_list):
        assert not control.isEnabled()
    click(qtbot, screen.import_task.cancel)
    release.set()
    wait_idle(qtbot, window, screen)
    assert screen.import_result.text() == "The import was cancelled: no one was imported."
    assert not screen.import_task.isVisible() and screen.import_button.isEnabled()
    assert members_in_db(window, screen) == []

    # Leaving while an import runs: it stops before enrolling anyone, and nothing reaches the old screen.
    release.clear()
    cohort_id = screen.cohort.id
    screen.import_staff_list(staff)
    window.go_back()
    assert not isinstance(window.screen, CohortsScreen)
    release.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    assert store_of(window).members(window.principal, cohort_id) == []


def test_a_learner_never_reaches_the_cohorts(qtbot, tmp_path):
    window = open_cohorts(qtbot, tmp_path, role=LEARNER)
    assert not isinstance(window.screen, CohortsScreen)
    assert window.notice_box.isVisible()
    assert "this needs the" in window.notice.text()
    with pytest.raises(NotAllowed):  # and the screen itself refuses, through the core
        CohortsScreen(window)


@pytest.mark.parametrize("code", ["ko", "ar"])
def test_the_screen_in_korean_and_arabic_keeps_the_cohort(qtbot, tmp_path, code):
    window = open_cohorts(qtbot, tmp_path)
    screen = window.screen
    create_cohort(qtbot, screen, "Seoul 2026")
    staff = tmp_path / "staff.csv"
    staff.write_text(GOOD_CSV, encoding="utf-8")
    screen.import_staff_list(staff)
    wait_idle(qtbot, window, screen)
    choose_in_settings(qtbot, window, code)
    screen = window.screen
    assert isinstance(screen, CohortsScreen) and screen is not None
    assert screen.cohort is not None and screen.cohort.name == "Seoul 2026"  # kept across the rebuild
    assert screen.member_table.topLevelItemCount() == 3
    assert (window.layoutDirection() == Qt.LayoutDirection.RightToLeft) == (code == "ar")
    assert screen.member_staff.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert not unnamed_controls(window)
