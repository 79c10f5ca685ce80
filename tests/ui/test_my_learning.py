"""My progress and assignments, in the real window as a learner uses it: the staff number saved (and a bad one
explained beside the field), a trainer's assignments file loaded with an overdue course marked, a refused
file, "Export my progress" writing a bundle the trainer's side accepts (then nothing new; everything again on
request; a failed write and a cancel that move no watermark), and a record of completion printed as PDF.

Only the operating system's file dialogs are bypassed (their paths are passed in)."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.core import formatting
from app.core.accounts.roles import TRAINER, Principal
from app.core.cohorts.assignment_file import export_assignments
from app.core.cohorts.store import Cohorts
from app.core.collect.bundle_file import read_bundle
from app.core.collect.export import WATERMARK
from app.core.my_learning import staff_number
from app.core.record.statements import Verb, actor, item_iri, make_statement
from app.core.storage.database import open_database
from app.core.storage.schema import meta, received_assignments
from app.ui.screens.catalogue import CatalogueScreen
from app.ui.screens.my_learning import MyLearningScreen
from app.ui.screens.outline import OutlineScreen
from tests.answers import right_answer
from tests.ui.helpers import click, start_as
from tests.ui.test_accessibility import unnamed_controls
from tests.ui.test_certificate_pdf import _is_pdf, _pdf_title

TRAINER_KIM = Principal("Kim", TRAINER, "l-trainer", "a-trainer")
TODAY = dt.date.today()


def assignments_file(folder, name="seoul.json", late_by=3, due_in=10):
    """A trainer's export: Kim Min-ji (S-1001) has ai-foundations overdue, data-and-ml due later, and a course
    this learner's computer does not have, with no due date."""
    database = open_database(folder / "trainer")
    try:
        store = Cohorts(database)
        cohort = store.create_cohort(TRAINER_KIM, "Seoul 2026")
        store.add_member(TRAINER_KIM, cohort.id, "Kim Min-ji", "S-1001")
        store.add_member(TRAINER_KIM, cohort.id, "Lee Seo-yeon", "S-1002")
        store.assign_course(TRAINER_KIM, cohort.id, "ai-foundations", TODAY - dt.timedelta(days=late_by))
        store.assign_course(TRAINER_KIM, cohort.id, "data-and-ml", TODAY + dt.timedelta(days=due_in))
        store.assign_course(TRAINER_KIM, cohort.id, "tax-basics", None)
        path = folder / name
        export_assignments(database, TRAINER_KIM, cohort.id, path)
    finally:
        database.dispose()
    return path


def open_mine(qtbot, window) -> MyLearningScreen:
    assert isinstance(window.screen, CatalogueScreen)
    click(qtbot, window.screen.my_learning_button)
    assert isinstance(window.screen, MyLearningScreen)
    return window.screen


def idle(qtbot, window, screen) -> None:
    qtbot.waitUntil(lambda: screen.task is None and not window.runner.busy, timeout=30000)


def complete_course(window, course_id="ai-foundations") -> None:
    """Everything a learner does to complete a course, through the learning API the screens use."""
    course = window.services.catalogue.course(course_id)
    learning = window.learning
    for item in course.items:
        if item.kind == "lesson":
            learning.complete_lesson(course, item)
        elif item.kind == "quiz":
            registration = learning.start_attempt(course, item)
            for question in course.quizzes[item.id].questions:
                learning.answer(course, item, registration, question, right_answer(question))
            learning.finish_attempt(course, item, registration)
    assert learning.progress(course).completed


def watermark(window) -> str | None:
    with window.services.database.engine.connect() as conn:
        return conn.scalar(select(meta.c.value).where(meta.c.key == WATERMARK + window.learning.learner.id))


def test_the_staff_number_is_saved_and_assignments_are_listed_with_the_overdue_one_marked(qtbot, tmp_path):
    window = start_as(qtbot, tmp_path / "office", "Kim Min-ji")
    path = assignments_file(tmp_path)
    screen = open_mine(qtbot, window)
    assert not unnamed_controls(window)
    learner_id = window.learning.learner.id
    # No staff number yet: the page says assignments are matched by it, and points at the field.
    assert screen.no_staff.isVisible() and "staff number" in screen.no_staff.text()
    assert not screen.assignment_list.isVisible()
    screen.load_assignments(path)
    idle(qtbot, window, screen)
    assert "The assignments file of Seoul 2026 is loaded." in screen.assignments_message.text()
    assert "Save your staff number" in screen.assignments_message.text()
    click(qtbot, screen.go_to_staff)
    assert screen.staff.hasFocus()

    # A number too long is explained next to the field, and nothing is saved.
    qtbot.keyClicks(screen.staff, "S" * 70)
    click(qtbot, screen.save_staff)
    assert screen.staff_error.isVisible() and "longer than 64 characters" in screen.staff_error.text()
    assert staff_number(window.services.record, learner_id) is None
    screen.staff.clear()
    qtbot.keyClicks(screen.staff, "S-1001")
    qtbot.keyClick(screen.staff, Qt.Key.Key_Return)  # Enter saves
    assert staff_number(window.services.record, learner_id) == "S-1001"
    assert not screen.staff_error.isVisible()
    assert screen.staff_saved.isVisible() and "S-1001" in screen.staff_saved.text() and "saved" in \
        screen.staff_saved.text()

    # The list: soonest first, titles in the current language, localised dates, words and a sign for overdue.
    assert screen.assignment_list.isVisible() and not screen.no_staff.isVisible()
    rows = [screen.assignment_list.topLevelItem(i) for i in range(screen.assignment_list.topLevelItemCount())]
    catalogue = window.services.catalogue
    assert [r.text(0) for r in rows] == [catalogue.course("ai-foundations").title,
                                         catalogue.course("data-and-ml").title,
                                         "\u2068tax-basics\u2069 (not installed on this computer)"]
    assert [r.text(2) for r in rows] == ["Overdue by 3 days", "Due in 10 days", "No due date"]
    late = TODAY - dt.timedelta(days=3)
    assert rows[0].text(1) == formatting.date(late) and str(late.year) in rows[0].text(1)  # "June 7, 2026"
    assert rows[2].text(1) == "—"
    assert rows[0].font(0).bold() and not rows[0].icon(2).isNull()  # not by colour alone
    assert not rows[1].font(0).bold() and rows[1].icon(2).isNull()
    assert "Seoul 2026" in rows[0].toolTip(0)

    # A course this computer does not have says so; an installed one opens its outline.
    list_view = screen.assignment_list
    qtbot.mouseClick(list_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=list_view.visualItemRect(rows[2]).center())
    assert window.screen is screen and "tax-basics is not installed" in screen.assignments_error.text().replace(
        "\u2068", "").replace("\u2069", "")
    qtbot.mouseClick(list_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=list_view.visualItemRect(rows[1]).center())
    assert isinstance(window.screen, OutlineScreen) and window.screen.course.id == "data-and-ml"

    # The staff number and the assignments live in the database: a fresh page shows them again.
    window.go_back()
    screen = open_mine(qtbot, window)
    assert screen.staff.text() == "S-1001" and screen.assignment_list.topLevelItemCount() == 3
    # Loading the same file again changes nothing, and says so.
    screen.load_assignments(path)
    idle(qtbot, window, screen)
    assert "already loaded; nothing changed" in screen.assignments_message.text()
    assert "You have 3 assignments." in screen.assignments_message.text()
    window.close()


def test_a_refused_assignments_file_says_why_and_changes_nothing(qtbot, tmp_path):
    window = start_as(qtbot, tmp_path / "office", "Kim Min-ji")
    path = assignments_file(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["assignments"][0]["due"] = "2099-01-01"  # a later date, by hand
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(data), encoding="utf-8")
    screen = open_mine(qtbot, window)
    screen.load_assignments(altered)
    idle(qtbot, window, screen)
    message = screen.assignments_error.text()
    assert screen.assignments_error.isVisible()
    assert "not loaded, and nothing was changed" in message and "checksum does not match" in message
    assert f"\u2068{altered}\u2069" in message  # the file, kept left to right in Arabic
    not_json = tmp_path / "notes.json"
    not_json.write_text("Meeting notes, not assignments", encoding="utf-8")
    screen.load_assignments(not_json)
    idle(qtbot, window, screen)
    assert "not complete JSON" in screen.assignments_error.text()
    assert not screen.assignments_message.isVisible()
    with window.services.database.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(received_assignments)) == 0
    assert screen.load_button.isEnabled()
    window.close()


def test_export_my_progress_writes_a_bundle_then_nothing_new_then_everything_on_request(qtbot, tmp_path):
    window = start_as(qtbot, tmp_path / "office", "Kim Min-ji")
    course = window.services.catalogue.course("ai-foundations")
    for item in [i for i in course.items if i.kind == "lesson"][:2]:
        window.learning.complete_lesson(course, item)
    mine = len(window.services.record.statements(window.learning.learner.id))
    screen = open_mine(qtbot, window)
    screen.office.clear()
    qtbot.keyClicks(screen.office, "Sejong office")
    stick = tmp_path / "stick"
    stick.mkdir()
    screen.export_progress(stick / "kim")  # ".zip" is added
    assert screen.cancel_button.isVisible() or screen.task is None
    idle(qtbot, window, screen)
    written = stick / "kim.zip"
    bundle = read_bundle(written)  # what the trainer's machine checks before importing
    assert len(bundle.lines) == mine
    assert bundle.installation_name == "Sejong office"
    assert [learner.name for learner in bundle.learners] == ["Kim Min-ji"]
    message = screen.export_message.text()
    assert f"{mine} statements of your progress were written to \u2068{written}\u2069." in message
    assert "only what is new since this one" in message
    assert not screen.export_bar.isVisible() and not screen.cancel_button.isVisible()
    assert screen.export_button.isEnabled()
    mark = watermark(window)
    assert mark

    screen.export_progress(stick / "again.zip")
    idle(qtbot, window, screen)
    assert screen.export_message.text().startswith("Nothing new since your last export: no file was written.")
    assert not (stick / "again.zip").exists()

    click(qtbot, screen.everything)
    assert screen.everything.isChecked()
    screen.export_progress(stick / "everything.zip")
    idle(qtbot, window, screen)
    assert len(read_bundle(stick / "everything.zip").lines) == mine

    # The stick is pulled out: the write fails, the page says so, and the watermark stays where it was.
    click(qtbot, screen.everything)
    window.learning.complete_lesson(course, [i for i in course.items if i.kind == "lesson"][2])
    screen.export_progress(tmp_path / "removed-stick" / "kim.zip")
    idle(qtbot, window, screen)
    assert screen.export_error.isVisible() and "could not be written" in screen.export_error.text()
    assert "Nothing is marked as exported" in screen.export_error.text()
    assert watermark(window) == mark
    screen.export_progress(stick / "later.zip")
    idle(qtbot, window, screen)
    assert not screen.export_error.isVisible()
    assert len(read_bundle(stick / "later.zip").lines) == 1  # only the new lesson
    window.close()


def test_a_cancelled_export_writes_no_file_and_moves_no_watermark(qtbot, tmp_path, monkeypatch):
    import app.core.collect.export as export

    window = start_as(qtbot, tmp_path / "office", "Kim Min-ji")
    record, learner = window.services.record, window.learning.learner
    who = actor(learner.id, learner.name, record.installation_id())
    record.merge([(make_statement(actor_=who, verb=Verb.EXPERIENCED, object_id=item_iri("ai-foundations", f"x{i}"),
                                  object_name="x", course_id="ai-foundations", course_version="1",
                                  item_id=f"x{i}", language="en"), learner.id) for i in range(2500)])
    real = export.export_bundle
    started = threading.Event()

    def held_until_cancelled(*args, state, **kwargs):
        started.set()
        for _tick in range(1000):  # the learner presses Cancel while the export runs
            if state.cancel_requested:
                break
            threading.Event().wait(0.01)
        return real(*args, state=state, **kwargs)  # the core notices the cancel as it writes

    monkeypatch.setattr(export, "export_bundle", held_until_cancelled)
    screen = open_mine(qtbot, window)
    stick = tmp_path / "stick"
    stick.mkdir()
    screen.export_progress(stick / "kim.zip")
    assert started.wait(10)
    assert screen.export_bar.isVisible() and not screen.export_button.isEnabled()
    assert not screen.load_button.isEnabled()
    click(qtbot, screen.cancel_button)
    idle(qtbot, window, screen)
    assert "The export was cancelled. No file was written" in screen.export_message.text()
    assert list(stick.iterdir()) == []  # neither the bundle nor a part of it
    assert watermark(window) is None
    monkeypatch.setattr(export, "export_bundle", real)
    screen.export_progress(stick / "kim.zip")
    idle(qtbot, window, screen)
    assert len(read_bundle(stick / "kim.zip").lines) == len(record.statements(learner.id))
    window.close()


def test_leaving_the_page_cancels_a_running_export(qtbot, tmp_path, monkeypatch):
    import app.core.collect.export as export

    window = start_as(qtbot, tmp_path / "office", "Kim Min-ji")
    cancelled = threading.Event()

    def held_until_cancelled(*args, state, **kwargs):
        for _tick in range(1000):
            if state.cancel_requested:
                cancelled.set()
                break
            threading.Event().wait(0.01)
        state.raise_if_cancelled()

    monkeypatch.setattr(export, "export_bundle", held_until_cancelled)
    screen = open_mine(qtbot, window)
    screen.export_progress(tmp_path / "kim.zip")
    window.go_back()
    assert isinstance(window.screen, CatalogueScreen)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=15000)
    assert cancelled.is_set() and not (tmp_path / "kim.zip").exists()
    window.close()


def test_a_record_of_completion_is_printed_and_says_it_is_not_a_signed_certificate(qtbot, tmp_path):
    window = start_as(qtbot, tmp_path / "office", "Kim Min-ji")
    screen = open_mine(qtbot, window)
    assert screen.record_buttons == {}
    window.go_back()
    complete_course(window)
    screen = open_mine(qtbot, window)
    assert list(screen.record_buttons) == ["ai-foundations"]
    assert not unnamed_controls(window)
    page_text = " ".join(label.text() for label in screen.findChildren(type(screen.staff_saved)))
    assert "is not a signed certificate" in page_text and "issued by your trainer" in page_text
    out = tmp_path / "records"
    out.mkdir()
    screen.print_record("ai-foundations", out / "kim-record")
    idle(qtbot, window, screen)
    pdf = out / "kim-record.pdf"
    data = pdf.read_bytes()
    assert _is_pdf(data)
    title = _pdf_title(data)
    assert "Record of completion" in title and "Kim Min-ji" in title and "Not a signed certificate" in title
    assert window.services.catalogue.course("ai-foundations").title in title
    assert f"\u2068{pdf}\u2069" in screen.record_message.text() and "not a signed certificate" in \
        screen.record_message.text()
    # A folder that cannot be written: said on the page.
    screen.print_record("ai-foundations", tmp_path / "no-such-folder" / "x.pdf")
    idle(qtbot, window, screen)
    assert screen.record_error.isVisible() and "could not be saved" in screen.record_error.text()
    window.close()


@pytest.mark.parametrize("locale", ["ko", "ar"])
def test_the_page_speaks_the_learners_language(qtbot, tmp_path, locale):
    from tests.ui.test_languages import choose_in_settings

    window = start_as(qtbot, tmp_path / "office", "Kim Min-ji")
    choose_in_settings(qtbot, window, locale)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    screen = open_mine(qtbot, window)
    assert screen.layoutDirection() == (Qt.LayoutDirection.RightToLeft if locale == "ar"
                                        else Qt.LayoutDirection.LeftToRight)
    assert screen.staff.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert not unnamed_controls(window)
    window.close()


def test_the_language_a_learner_switches_to_is_their_profiles_and_goes_in_their_bundle(qtbot, tmp_path):
    window = start_as(qtbot, tmp_path / "office", "Kim Min-ji")
    kim = window.learning.learner.id
    assert window.services.record.learner(kim).locale == "en"
    window.change_language("km")  # from the Settings dialog
    assert window.services.record.learner(kim).locale == window.learning.learner.locale == "km"
    screen = open_mine(qtbot, window)
    stick = tmp_path / "stick"
    stick.mkdir()
    window.learning.complete_lesson(window.services.catalogue.course("ai-foundations"),
                                    next(i for i in window.services.catalogue.course("ai-foundations").items
                                         if i.kind == "lesson"))
    screen.export_progress(stick / "kim.zip")
    idle(qtbot, window, screen)
    [learner] = read_bundle(stick / "kim.zip").learners
    assert learner.locale == "km"  # the trainer's certificate will be in Khmer
    window.change_language("en")
    window.close()
