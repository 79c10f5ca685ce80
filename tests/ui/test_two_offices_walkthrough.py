"""Issue 7's "Done when", through the real windows, as the people would do it.

On the trainer's PC the trainer creates a cohort in Cohorts, imports a staff list (a Korean and an Arabic
learner among others), assigns the course with a due date, exports the assignments file and creates the
institution's issuing key in Certificates. Two data folders stand in for two offices with shared PCs (IT made
the learners' accounts): each learner signs in, saves their staff number and loads the assignments file in
"My progress and assignments", studies (lessons marked read and a quiz taken in the real window; the rest
through window.learning, as other UI tests do), and exports their progress. Lee Jun works in both offices
under one staff number: his course is complete on neither PC alone, only once the bundles are merged.

Then two copies of the trainer's PC import the bundles in Collected progress in opposite orders, each bundle
twice (A, B, A, B and B, A, B, A), build the cohort's report in Reports for a fixed day, export it as CSV and
XLSX, and issue the cohort's certificates in Certificates with the same key. The report shown on screen, the
CSV bytes, the XLSX cell values and the certificates (credential bytes, a PDF per learner) are the same in
both. Finally a credential with one letter of the learner's name changed reads "Altered" on the Verify
screen, and a bundle with one byte flipped is refused with its reason, changing nothing.

Only the operating system's file dialogs are bypassed (their paths are passed in)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication

from app.core.accounts.passwords import ScryptCost
from app.core.accounts.roles import LEARNER, TRAINER
from app.core.certificates import sealing
from app.core.certificates.completions import collected_completions
from app.core.certificates.issuer import load_issuer
from app.core.cohorts.assignment_file import read_assignment_file
from app.core.collect.bundle_file import read_bundle
from app.core.i18n import set_locale
from app.core.record import statements as statements_module
from app.ui.screens.catalogue import CatalogueScreen
from app.ui.screens.certificates import CertificatesScreen
from app.ui.screens.cohorts import CohortsScreen
from app.ui.screens.collected_progress import CollectedProgressScreen
from app.ui.screens.lesson import LessonScreen
from app.ui.screens.my_learning import MyLearningScreen
from app.ui.screens.outline import OutlineScreen
from app.ui.screens.quiz import QuizScreen
from app.ui.screens.reports import ReportsScreen
from app.ui.screens.sign_in import SignInScreen
from app.ui.screens.trainer_tools import TrainerToolsScreen
from app.ui.screens.verify_certificate import VerifyCertificateScreen
from tests.answers import right_answer, wrong_answer
from tests.core.test_progress_bundles import collected_rows, flip_byte
from tests.ui import helpers
from tests.ui.helpers import answer_current_quiz, open_window
from tests.ui.test_sign_in import make_accounts, quick_hashes, sign_in  # noqa: F401 - the fixture is autouse

COURSE_ID = "ai-foundations"
TODAY = dt.date(2026, 4, 1)  # the report's "overdue as of": fixed, so both runs are asked the same question
DUE = dt.date(2026, 3, 10)
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)  # the first statement's time; then a minute apart
TRAINER_NAME, TRAINER_PASSWORD = "Choi Eun-ha", "training day"
LEARNER_PASSWORD = "learning day"
PASSPHRASE = "correct horse battery"
KIM, AMINA = "김민지", "أمينة حداد"  # the names on the staff list (and so on the certificates)
STAFF_LIST = ("Name,Staff number,Department,Language,Office\n"
              f"{KIM},S-1001,Digital Policy,ko,Sejong\n"
              f"{AMINA},S-1002,Records,ar,Busan\n"
              "Lee Jun,S-1003,Records,en,Sejong\n"
              "Park Ji-woo,S-1004,Audit,en,Busan\n"
              "Nguyen Lan,S-1005,Audit,vi,Busan\n")
FONTS = {"ko": b"NotoSansKRSubset", "ar": b"NotoSansArabic"}


@pytest.fixture(autouse=True)
def quick_keys(monkeypatch):
    """The issuing key sealed at a test's scrypt cost (full cost is for real keys)."""
    monkeypatch.setattr(sealing, "DEFAULT_COST", ScryptCost(log2_n=10, r=8, p=1))


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Statements a minute apart from 2 March 2026: the report's days and the due date mean the same thing
    whatever day the test runs (the real clock would put the whole study inside a second of today)."""
    moments, lock = (START + dt.timedelta(minutes=n) for n in itertools.count()), threading.Lock()

    def tick() -> dt.datetime:
        with lock:  # statements may be made off the GUI thread too
            return next(moments)

    monkeypatch.setattr(statements_module, "now", tick)


@pytest.fixture(autouse=True)
def english():
    yield
    set_locale("en")


# ------------------------------------------------------------------------------ moving about the window

def click(qtbot, button) -> None:
    QApplication.processEvents()  # a button only just shown has no size until the layout settles
    helpers.click(qtbot, button)


def idle(qtbot, window, screen=None) -> None:
    """Until the window's runner and the screen's own work (`task`: an import, export, build or check) are done."""
    qtbot.waitUntil(lambda: not window.runner.busy and getattr(screen, "task", None) is None, timeout=60000)
    qtbot.wait(10)  # the results' queued callbacks


def open_tool(qtbot, window, key: str, kind):
    """Trainer tools → the tool's button, as the trainer clicks them."""
    if window.location.screen == "tool":
        assert window.back_button.text() == "Trainer tools"
        click(qtbot, window.back_button)
    elif not isinstance(window.screen, TrainerToolsScreen):
        click(qtbot, window.tools_button)
    qtbot.waitUntil(lambda: isinstance(window.screen, TrainerToolsScreen), timeout=10000)
    click(qtbot, window.screen.buttons[key])
    qtbot.waitUntil(lambda: isinstance(window.screen, kind), timeout=10000)
    idle(qtbot, window, window.screen)
    return window.screen


def plain(shown: str) -> str:
    """Text as read, without the marks that keep codes and paths left to right in Arabic."""
    return shown.translate(dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069")))


def tree_rows(tree) -> list[list[str]]:
    return [[plain(tree.topLevelItem(r).text(c)) for c in range(tree.columnCount())]
            for r in range(tree.topLevelItemCount())]


# ------------------------------------------------------------------------------ the trainer's PC, before

def prepare_the_cohort(qtbot, folder: Path, usb: Path) -> tuple[str, Path]:
    """Cohorts: the cohort, its staff list, the course assigned, the assignments file; Certificates: the key.
    Returns the cohort's id and the assignments file."""
    make_accounts(folder, (TRAINER_NAME, TRAINER, TRAINER_PASSWORD))
    window = open_window(qtbot, folder)
    sign_in(qtbot, window, TRAINER_NAME, TRAINER_PASSWORD)
    screen = open_tool(qtbot, window, "cohorts", CohortsScreen)
    qtbot.keyClicks(screen.new_name, "Seoul 2026")
    click(qtbot, screen.create_button)
    assert screen.cohort is not None and screen.cohort.name == "Seoul 2026"
    cohort_id = screen.cohort.id

    staff_list = usb / "staff.csv"
    staff_list.write_text(STAFF_LIST, encoding="utf-8")
    screen.import_staff_list(staff_list)  # what the file dialog would return
    idle(qtbot, window, screen)
    assert screen.import_result.text().startswith("5 people were added to the cohort"), screen.import_error.text()
    members = {row[0]: row for row in tree_rows(screen.member_table)}
    assert members[KIM][1:4] == ["S-1001", "Digital Policy", "한국어"]
    assert members[AMINA][1:4] == ["S-1002", "Records", "العربية"]

    course = window.services.catalogue.course(COURSE_ID)
    screen.course_choice.setCurrentIndex(screen.course_choice.findData(COURSE_ID))
    assert screen.has_due.isChecked()
    screen.due_date.setDate(QDate(DUE.year, DUE.month, DUE.day))
    click(qtbot, screen.assign_button)
    assert screen.assignments_status.text() == (
        f"{course.title} is assigned to everyone in the cohort, due by March 10, 2026.")

    assignments = usb / "seoul-2026-assignments.json"
    screen.export_assignments(assignments)
    idle(qtbot, window, screen)
    assert "It holds the assignments of 5 members." in screen.export_result.text()
    assert {m["staff_number"] for m in read_assignment_file(assignments)["members"]} == {
        "S-1001", "S-1002", "S-1003", "S-1004", "S-1005"}

    # The institution's issuing key, made once on this PC (and so the same in both runs below).
    certificates = open_tool(qtbot, window, "certificates", CertificatesScreen)
    assert certificates.create_form.isVisible()
    qtbot.keyClicks(certificates.name, "Seoul Training Centre")
    qtbot.keyClicks(certificates.new_passphrase, PASSPHRASE)
    qtbot.keyClicks(certificates.repeat, PASSPHRASE)
    click(qtbot, certificates.create_button)
    idle(qtbot, window, certificates)
    assert certificates.key_view.isVisible() and load_issuer(folder).name == "Seoul Training Centre"
    window.close()
    return cohort_id, assignments


# ------------------------------------------------------------------------------ the offices

def my_learning(qtbot, window) -> MyLearningScreen:
    if not isinstance(window.screen, CatalogueScreen):
        click(qtbot, window.back_button)
    assert isinstance(window.screen, CatalogueScreen)
    click(qtbot, window.screen.my_learning_button)
    assert isinstance(window.screen, MyLearningScreen)
    return window.screen


def back_to_the_catalogue(qtbot, window) -> None:
    while not isinstance(window.screen, CatalogueScreen):
        click(qtbot, window.back_button)


def arrive(qtbot, window, name: str, staff: str, assignments: Path, first_here: bool = False) -> None:
    """Sign in; on My progress and assignments, the staff number saved and the trainer's file loaded."""
    assert isinstance(window.screen, SignInScreen)
    sign_in(qtbot, window, name, LEARNER_PASSWORD)
    assert isinstance(window.screen, CatalogueScreen) and window.learning.learner.name == name
    screen = my_learning(qtbot, window)
    qtbot.keyClicks(screen.staff, staff)
    click(qtbot, screen.save_staff)
    assert "is saved" in screen.staff_saved.text() and staff in screen.staff_saved.text()
    screen.load_assignments(assignments)  # what the file dialog would return
    idle(qtbot, window, screen)
    message = screen.assignments_message.text()
    if first_here:
        assert "The assignments file of Seoul 2026 is loaded." in message
    else:  # the file is kept for the whole PC: the next learner here finds it loaded already
        assert message == ("This assignments file of Seoul 2026 was already loaded; nothing changed. "
                           "You have 1 assignment.")
    [row] = tree_rows(screen.assignment_list)
    assert row[0] == window.services.catalogue.course(COURSE_ID).title
    assert row[1] == "March 10, 2026" and row[2].startswith("Overdue by")  # the learner's own today: long past
    back_to_the_catalogue(qtbot, window)


def study_in_the_window(qtbot, window, quiz_answers=right_answer) -> None:
    """Start the course, mark the first two lessons read, take the first quiz and, passed, mark the next lesson
    read."""
    click(qtbot, window.screen.course_buttons[COURSE_ID])
    if isinstance(window.screen, OutlineScreen):
        click(qtbot, window.screen.go)
    for _lesson in range(2):
        assert isinstance(window.screen, LessonScreen)
        click(qtbot, window.screen.done)
    assert isinstance(window.screen, QuizScreen)
    answer_current_quiz(qtbot, window, quiz_answers)
    if quiz_answers is right_answer:
        assert window.screen.primary.text() == "Continue"  # under the score
        click(qtbot, window.screen.primary)
        assert isinstance(window.screen, LessonScreen)
        click(qtbot, window.screen.done)
    back_to_the_catalogue(qtbot, window)


def study(window, items: range, first_try=None) -> None:
    """The rest of the items, through the learning API the screens call (quizzes: a wrong first try, if given)."""
    course = window.services.catalogue.course(COURSE_ID)
    learning = window.learning
    for item in list(course.items)[items.start:items.stop]:
        if item.kind == "lesson":
            learning.open_lesson(course, item)
            learning.complete_lesson(course, item)
            continue
        for respond in ([first_try] if first_try else []) + [right_answer]:
            registration = learning.start_attempt(course, item)
            for question in course.quizzes[item.id].questions:
                learning.answer(course, item, registration, question, respond(question))
            learning.finish_attempt(course, item, registration)


def completed(window) -> bool:
    return window.learning.progress(window.services.catalogue.course(COURSE_ID)).completed


def export_and_leave(qtbot, window, office: str, path: Path) -> Path:
    """My progress and assignments → "Export my progress" (the office's name typed, if not there yet), then
    Sign out."""
    screen = my_learning(qtbot, window)
    if screen.office.text() != office:
        screen.office.clear()
        qtbot.keyClicks(screen.office, office)
    screen.export_progress(path)  # what the save dialog would return
    idle(qtbot, window, screen)
    assert "statements of your progress were written to" in screen.export_message.text(), screen.export_error.text()
    bundle = read_bundle(path)
    assert [p.name for p in bundle.learners] == [window.learning.learner.name] and bundle.installation_name == office
    back_to_the_catalogue(qtbot, window)
    click(qtbot, window.sign_out_button)
    assert isinstance(window.screen, SignInScreen)
    return path


def office_a(qtbot, folder: Path, assignments: Path, stick: Path) -> list[Path]:
    """Sejong: Kim completes the course (part of it clicked through); Lee Jun does its first half."""
    make_accounts(folder, ("Kim Min-ji", LEARNER, LEARNER_PASSWORD), ("Lee Jun", LEARNER, LEARNER_PASSWORD))
    window = open_window(qtbot, folder)
    arrive(qtbot, window, "Kim Min-ji", "S-1001", assignments, first_here=True)
    study_in_the_window(qtbot, window)
    study(window, range(4, 12))
    assert completed(window)
    kim = export_and_leave(qtbot, window, "Sejong office", stick / "sejong-kim.zip")

    arrive(qtbot, window, "Lee Jun", "S-1003", assignments)
    study(window, range(0, 6), first_try=wrong_answer)  # two lessons, a quiz, two lessons, a quiz failed once
    assert not completed(window)
    lee = export_and_leave(qtbot, window, "Sejong office", stick / "sejong-lee.zip")
    window.close()
    return [kim, lee]


def office_b(qtbot, folder: Path, assignments: Path, stick: Path) -> list[Path]:
    """Busan: Amina completes the course; Lee Jun does its second half here; Park fails the first quiz."""
    make_accounts(folder, ("Amina Haddad", LEARNER, LEARNER_PASSWORD), ("Lee Jun", LEARNER, LEARNER_PASSWORD),
                  ("Park Ji-woo", LEARNER, LEARNER_PASSWORD))
    window = open_window(qtbot, folder)
    arrive(qtbot, window, "Amina Haddad", "S-1002", assignments, first_here=True)
    study_in_the_window(qtbot, window)
    study(window, range(4, 12))
    assert completed(window)
    amina = export_and_leave(qtbot, window, "Busan office", stick / "busan-amina.zip")

    arrive(qtbot, window, "Lee Jun", "S-1003", assignments)
    study(window, range(6, 12))
    assert not completed(window)  # complete only with the Sejong half: once the trainer merges the bundles
    lee = export_and_leave(qtbot, window, "Busan office", stick / "busan-lee.zip")

    arrive(qtbot, window, "Park Ji-woo", "S-1004", assignments)
    study_in_the_window(qtbot, window, quiz_answers=wrong_answer)
    assert not completed(window)
    park = export_and_leave(qtbot, window, "Busan office", stick / "busan-park.zip")
    window.close()
    return [amina, lee, park]


# ------------------------------------------------------------------------------ the trainer's PC, after

def import_in_turn(qtbot, window, batches: list[list[Path]], cohort_id: str, first_alone: set[str]) -> None:
    """Collected progress: each batch chosen in the dialog in turn; the second time round adds nothing."""
    screen = open_tool(qtbot, window, "progress", CollectedProgressScreen)
    database = window.services.database
    course = window.services.catalogue.course(COURSE_ID)
    seen: set[Path] = set()
    after_first_pass = None
    for n, batch in enumerate(batches):
        screen.choose_files(batch)  # what the file dialog would return
        idle(qtbot, window, screen)
        results = tree_rows(screen.results)
        assert [row[0] for row in results] == [p.name for p in batch]
        again = all(p in seen for p in batch)
        for row, path in zip(results, batch):
            statements = len(read_bundle(path).lines)
            if again:
                assert (row[3], row[4], row[6]) == ("0", str(statements), "Already imported: nothing new"), row
            else:
                assert (row[3], row[4], row[6]) == (str(statements), "0", "Imported"), row
        seen.update(batch)
        if n == 0:  # one office alone: only its own complete learners, never Lee Jun
            found = collected_completions(database, window.principal, course, cohort_id)
            assert {c.learner_name for c in found} == first_alone
        if n == 1:
            after_first_pass = collected_rows(database)
    assert collected_rows(database) == after_first_pass  # importing everything again changed nothing
    screen.tabs.setCurrentIndex(1)  # who is in: Lee Jun once from each office
    assert sorted(row[:3] for row in tree_rows(screen.learners)) == [
        ["Amina Haddad", "S-1002", "Busan office"], ["Kim Min-ji", "S-1001", "Sejong office"],
        ["Lee Jun", "S-1003", "Busan office"], ["Lee Jun", "S-1003", "Sejong office"],
        ["Park Ji-woo", "S-1004", "Busan office"]]


def refuse_a_tampered_bundle(qtbot, window, good: Path, tmp_path: Path) -> None:
    screen = open_tool(qtbot, window, "progress", CollectedProgressScreen)
    database = window.services.database
    before = collected_rows(database)
    tampered = flip_byte(good, tmp_path / f"tampered-{good.name}")
    screen.choose_files([tampered])
    idle(qtbot, window, screen)
    [row] = tree_rows(screen.results)
    assert row[0] == tampered.name and row[6] == "Refused: nothing was imported"
    reason = plain(screen.results.topLevelItem(0).child(0).text(0))
    assert reason.startswith(f"{tampered.name} is damaged or truncated"), reason
    assert reason.endswith("Nothing was imported from this file.")
    assert screen.summary_label.text().startswith("0 files imported, 1 refused; 0 statements added.")
    assert collected_rows(database) == before


def build_and_export_the_report(qtbot, window, out: Path) -> dict:
    """Reports: the cohort, the fixed day, Show report; CSV and XLSX written. Returns what was shown and written."""
    screen = open_tool(qtbot, window, "reports", ReportsScreen)
    index = screen.cohort.findText("Seoul 2026")
    screen.cohort.setCurrentIndex(index)
    screen.cohort.activated.emit(index)  # what picking it in the list does: the assigned course is ticked
    assert screen.chosen_course_ids() == [COURSE_ID]
    screen.today.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    click(qtbot, screen.show_button)
    qtbot.waitUntil(lambda: screen.report is not None and screen.task is None and not window.runner.busy,
                    timeout=30000)
    assert screen.title.text() == "Seoul 2026: progress report"
    learners = {r["name"]: r for r in screen.report.table("learners").records()}
    assert {name for name, r in learners.items() if r["completed"]} == {KIM, AMINA, "Lee Jun"}
    assert learners["Park Ji-woo"]["overdue"] and learners["Nguyen Lan"]["overdue"]
    assert not learners["Lee Jun"]["overdue"]
    # Lee Jun's course became complete with the statement that finished its last item in Busan: no "completed"
    # statement was ever made, yet he has a completion day and counts in the completions over time.
    assert all(r["completed_on"] for r in learners.values() if r["completed"])
    assert sum(r["completed"] for r in screen.report.table("completions_by_day").records()) == 3
    [course] = screen.report.table("courses").records()
    assert (course["enrolled"], course["completed"], course["overdue"]) == (5, 3, 2)
    shown = {"title": screen.title.text(),
             "sections": [screen.section_list.item(i).text() for i in range(screen.section_list.count())],
             "tables": {key: view.shown_rows() for key, view in screen.tables.items()},
             "charts": {key: chart.caption.text() for key, chart in screen.charts.items()}}
    assert shown["tables"]["learners"] and shown["tables"]["questions"]

    files = {}
    for file_format in ("csv", "xlsx"):
        path = out / f"seoul-2026.{file_format}"
        screen.export(file_format, path)  # what the save dialog would return
        qtbot.waitUntil(lambda: screen.export_task is None and not window.runner.busy, timeout=30000)
        assert plain(screen.export_status.text()) == f"Report written to {path}.", screen.export_error.text()
        files[file_format] = path
    # The XLSX is compared by its cells' values: a workbook is a zip whose entries carry the time it was written,
    # so its bytes differ from one export to the next even for the same report.
    workbook = load_workbook(files["xlsx"])
    return {"shown": shown, "csv": files["csv"].read_bytes(),
            "xlsx": {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
                     for sheet in workbook.worksheets}}


def issue_the_certificates(qtbot, window, cohort_id: str, out: Path) -> dict:
    """Certificates → Issue certificates for the cohort's course. Returns {file name: bytes} and the PDFs made."""
    screen = open_tool(qtbot, window, "certificates", CertificatesScreen)
    assert screen.key_view.isVisible()  # the key made before, found in this data folder
    card = screen.issue_card
    card.select(cohort_id, COURSE_ID)
    idle(qtbot, window, screen)
    assert [row[:3] for row in tree_rows(card.table)] == [  # the cohort's names and languages
        ["Lee Jun", "S-1003", "English"], [AMINA, "S-1002", "العربية"], [KIM, "S-1001", "한국어"]]
    assert card.issue_button.text() == "Issue 3 certificates"
    card.folder.clear()
    qtbot.keyClicks(card.folder, str(out))
    qtbot.keyClicks(card.passphrase, PASSPHRASE)
    click(qtbot, card.issue_button)
    idle(qtbot, window, screen)
    assert plain(card.result.text()) == f"3 PDF certificates and 3 signed credentials were written in {out}.", \
        card.error.text()
    credentials = {p.name: p.read_bytes() for p in sorted(out.glob("*.json"))}
    pdfs = {p.with_suffix(".json").name for p in out.glob("*.pdf")}
    for name, data in credentials.items():
        learner = json.loads(data)["credentialSubject"]["identifier"][0]["identityHash"]
        locale = {KIM: "ko", AMINA: "ar"}.get(learner)
        if locale:  # the learner's language, with its fonts
            assert FONTS[locale] in (out / name).with_suffix(".pdf").read_bytes()
    return {"credentials": credentials, "pdfs": pdfs}


def verify(qtbot, window, path: Path) -> str:
    screen = open_tool(qtbot, window, "verify", VerifyCertificateScreen)
    screen.verify_file(path)  # what the file dialog would return
    qtbot.waitUntil(lambda: screen.task is None and not window.runner.busy, timeout=15000)
    assert screen.verdict_box.isVisible(), screen.error.text()
    return screen.verdict.text()


def trainer_run(qtbot, folder: Path, batches, cohort_id: str, first_alone: set[str], out: Path,
                tamper: Path | None = None) -> dict:
    window = open_window(qtbot, folder)
    sign_in(qtbot, window, TRAINER_NAME, TRAINER_PASSWORD)
    import_in_turn(qtbot, window, batches, cohort_id, first_alone)
    if tamper is not None:
        refuse_a_tampered_bundle(qtbot, window, tamper, out)
    made = build_and_export_the_report(qtbot, window, out)
    made.update(issue_the_certificates(qtbot, window, cohort_id, out / "certificates"))
    credential = next(out.joinpath("certificates", name) for name, data in made["credentials"].items()
                      if b'"identityHash": "Lee Jun"' in data)
    assert verify(qtbot, window, credential) == "Valid"
    if tamper is not None:
        altered = out / "altered.json"
        altered.write_bytes(credential.read_bytes().replace(b'"identityHash": "Lee Jun"',
                                                            b'"identityHash": "Lee Jan"'))
        assert verify(qtbot, window, altered) == "Altered"
        assert "changed after it was signed" in window.screen.explanation.text()
    window.close()
    return made


def test_two_offices_merge_to_the_same_report_and_certificates_in_any_order(qtbot, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    trainer_pc = tmp_path / "trainer-pc"
    cohort_id, assignments = prepare_the_cohort(qtbot, trainer_pc, usb)

    sejong = office_a(qtbot, tmp_path / "office-a", assignments, usb)
    busan = office_b(qtbot, tmp_path / "office-b", assignments, usb)

    # Two copies of the trainer's PC as it was before any import: same cohort, same issuing key.
    runs = {}
    for name, batches, first_alone, tamper in (
            ("A,B,A,B", [sejong, busan, sejong, busan], {KIM}, None),
            ("B,A,B,A", [busan[::-1], sejong[::-1], busan, sejong], {AMINA}, sejong[0])):
        folder = tmp_path / f"trainer-{name.replace(',', '')}"
        shutil.copytree(trainer_pc, folder)
        out = tmp_path / f"out-{name.replace(',', '')}"
        out.mkdir()
        runs[name] = trainer_run(qtbot, folder, batches, cohort_id, first_alone, out, tamper)

    first, second = runs.values()
    assert first["shown"] == second["shown"]  # every table, section and chart caption on the screen
    assert first["csv"] == second["csv"]
    assert first["xlsx"] == second["xlsx"]
    assert first["credentials"] == second["credentials"]  # byte for byte
    assert len(first["credentials"]) == 3 and first["pdfs"] == second["pdfs"] == set(first["credentials"])
