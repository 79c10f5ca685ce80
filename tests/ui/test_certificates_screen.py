"""Trainer tools → Certificates through the widgets: a trainer creates the institution's issuing key (the
screen then shows its fingerprint), exports the public key (trusted on a second data folder), and issues a
cohort's certificates from completions collected in real bundles: a credential that verifies and a PDF in
each learner's language. A wrong passphrase writes nothing; Cancel stops a batch between two certificates;
a bad public key file is refused with the field at fault; a learner never gets the screen."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from app.core.accounts.passwords import ScryptCost
from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed
from app.core.certificates import sealing
from app.core.certificates.batch import issued_list
from app.core.certificates.issuer import create_issuer, load_issuer
from app.core.certificates.trust import TrustedIssuers, trusted_on_this_machine
from app.core.certificates.verify import verify_credential
from app.core.cohorts.store import Cohorts
from app.core.collect.export import export_bundle
from app.core.collect.importing import import_bundles
from app.core.course.loader import load_course
from app.core.storage.database import open_database
from app.ui.screens.certificates import CertificatesScreen
from app.ui.screens.trainer_tools import TrainerToolsScreen
from tests.conftest import COURSE
from tests.core.test_progress_bundles import TRAINER_PRINCIPAL, Office, study
from tests.ui.helpers import click, open_window
from tests.ui.test_accessibility import unnamed_controls
from tests.ui.test_sign_in import make_accounts, quick_hashes, sign_in  # noqa: F401 - the fixture is autouse

PASSPHRASE = "correct horse battery"
FONTS = {"en": b"NotoSans-", "ko": b"NotoSansKRSubset", "ar": b"NotoSansArabic"}


@pytest.fixture(autouse=True)
def quick_sealing(monkeypatch):
    monkeypatch.setattr(sealing, "DEFAULT_COST", ScryptCost(log2_n=10, r=8, p=1))


@pytest.fixture(scope="module")
def office_bundle(tmp_path_factory):
    """One office's bundle: Kim (Korean profile) and Amina complete the course, Lee does two items."""
    tmp = tmp_path_factory.mktemp("office")
    course = load_course(COURSE, "en")
    office = Office(tmp / "office")
    try:
        for name, locale, staff, items in (("Kim Min-ji", "ko", "S-1", len(course.items)),
                                           ("Amina Haddad", "en", "S-3", len(course.items)),
                                           ("Lee Jun", "en", "S-2", 2)):
            study(office.learner(name, locale, staff_number=staff), course, items)
        export_bundle(office.record, tmp / "office.zip")
    finally:
        office.close()
    return tmp / "office.zip"


def trainer_pc(folder, bundle, *people):
    """A trainer's PC: accounts, the office's bundle imported, and a cohort where Amina's language is Arabic."""
    make_accounts(folder, ("Park", TRAINER, "training day"), *people)
    database = open_database(folder)
    try:
        import_bundles(database, [bundle], TRAINER_PRINCIPAL)
        store = Cohorts(database)
        cohort = store.create_cohort(TRAINER_PRINCIPAL, "Seoul 2026")
        store.add_member(TRAINER_PRINCIPAL, cohort.id, "Kim Min-ji", "S-1")
        store.add_member(TRAINER_PRINCIPAL, cohort.id, "Amina Haddad", "S-3", language="ar")
        store.add_member(TRAINER_PRINCIPAL, cohort.id, "Lee Jun", "S-2")
        store.create_cohort(TRAINER_PRINCIPAL, "Busan 2026")  # nobody in it
    finally:
        database.dispose()
    return cohort


def open_certificates(qtbot, folder) -> tuple[object, CertificatesScreen]:
    window = open_window(qtbot, folder)
    sign_in(qtbot, window, "Park", "training day")
    click(qtbot, window.tools_button)
    qtbot.waitUntil(lambda: isinstance(window.screen, TrainerToolsScreen))
    click(qtbot, window.screen.buttons["certificates"])
    qtbot.waitUntil(lambda: isinstance(window.screen, CertificatesScreen))
    settle(qtbot, window)
    return window, window.screen


def settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    qtbot.wait(20)  # the results' queued callbacks


def rows(tree) -> list[list[str]]:
    return [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())] for i in range(tree.topLevelItemCount())]


def create_key(qtbot, window, screen, name="Ministry of the Interior") -> None:
    qtbot.keyClicks(screen.name, name)
    qtbot.keyClicks(screen.new_passphrase, PASSPHRASE)
    qtbot.keyClicks(screen.repeat, PASSPHRASE)
    click(qtbot, screen.create_button)
    settle(qtbot, window)


def test_create_export_and_issue_a_cohorts_certificates(qtbot, tmp_path, office_bundle):
    folder = tmp_path / "trainer-pc"
    cohort = trainer_pc(folder, office_bundle)
    window, screen = open_certificates(qtbot, folder)

    # No key yet: the form to create one; issuing waits for it.
    assert screen.create_form.isVisible() and not screen.key_view.isVisible()
    assert not screen.issue_card.issue_button.isEnabled()
    assert not unnamed_controls(window), unnamed_controls(window)
    qtbot.keyClicks(screen.name, "Ministry of the Interior")
    qtbot.keyClicks(screen.new_passphrase, PASSPHRASE)
    qtbot.keyClicks(screen.repeat, PASSPHRASE + "x")
    click(qtbot, screen.create_button)
    assert "differ" in screen.create_error.text() and load_issuer(folder) is None
    screen.repeat.clear()
    qtbot.keyClicks(screen.repeat, PASSPHRASE)
    qtbot.keyClick(screen.repeat, Qt.Key.Key_Return)  # Enter creates, as the button does
    settle(qtbot, window)
    issuer = load_issuer(folder)
    assert issuer is not None and issuer.name == "Ministry of the Interior"
    assert screen.key_view.isVisible() and not screen.create_form.isVisible()
    assert screen.institution.text() == "Institution: Ministry of the Interior"
    assert screen.fingerprint.text() == "Key fingerprint: \u2068" + issuer.fingerprint + "\u2069"  # left to right
    assert "nobody can recover" in screen.key_status.text()
    assert rows(screen.trusted) == [["Ministry of the Interior", "\u2068" + issuer.fingerprint + "\u2069",
                                     "This computer's own"]]

    # The public key file, imported on a second data folder (a ministry), makes its certificates trusted there.
    public = screen.export_public_key(tmp_path / "ministry-key.json")
    assert public.is_file() and str(public) in screen.key_status.text()
    ministry = open_database(tmp_path / "ministry")
    try:
        trusted, outcome = TrustedIssuers(ministry).import_file(TRAINER_PRINCIPAL, public)
        assert (trusted.id, outcome) == (issuer.id, "added")
        at_the_ministry = trusted_on_this_machine(ministry, tmp_path / "ministry")
    finally:
        ministry.dispose()

    # The cohort and the course: the completions collected from the office's bundle.
    card = screen.issue_card
    card.select(cohort.id, "ai-foundations")
    settle(qtbot, window)
    assert [r[:3] for r in rows(card.table)] == [["Amina Haddad", "\u2068S-3\u2069", "العربية"],
                                                 ["Kim Min-ji", "\u2068S-1\u2069", "한국어"]]
    assert "2 learners have completed" in card.found_label.text() and not card.problems.isVisible()
    assert card.issue_button.text() == "Issue 2 certificates" and not card.issue_button.isEnabled()  # no passphrase
    out = tmp_path / "certificates"
    card.folder.setText(str(out))
    qtbot.keyClicks(card.passphrase, PASSPHRASE)
    click(qtbot, card.issue_button)
    assert card.cancel_button.isVisible() and not card.issue_button.isEnabled() and not card.course.isEnabled()
    settle(qtbot, window)
    assert "2 PDF certificates and 2 signed credentials were written in" in card.result.text()
    assert str(out) in card.result.text() and card.open_button.isVisible()
    assert card.passphrase.text() == ""  # never kept
    credentials = sorted(out.glob("*.json"))
    assert len(credentials) == 2 and len(list(out.glob("*.pdf"))) == 2
    for path in credentials:
        result = verify_credential(path.read_bytes(), at_the_ministry)
        assert result.valid, result.message
        locale = {"Kim Min-ji": "ko", "Amina Haddad": "ar"}[result.as_json()["learner"]]
        assert FONTS[locale] in path.with_suffix(".pdf").read_bytes()
    # What was issued is listed, and the completions say so.
    assert sorted(r[0] for r in rows(screen.issued)) == ["Amina Haddad", "Kim Min-ji"]
    assert all(r[3].strip("\u2068\u2069").endswith(".json") for r in rows(screen.issued))
    assert all(r[4] for r in rows(card.table))
    assert "2 certificates have been issued" in screen.issued_count.text()
    database = open_database(folder)
    try:
        assert len(issued_list(database)) == 2
    finally:
        database.dispose()

    opened = []
    from PySide6.QtGui import QDesktopServices

    QDesktopServices_open = QDesktopServices.openUrl
    try:
        QDesktopServices.openUrl = staticmethod(lambda url: opened.append(url.toLocalFile()) or True)
        click(qtbot, card.open_button)
    finally:
        QDesktopServices.openUrl = QDesktopServices_open
    assert opened == [str(out)]


def test_a_wrong_passphrase_writes_nothing_and_cancel_stops_the_batch(qtbot, tmp_path, office_bundle, monkeypatch):
    folder = tmp_path / "trainer-pc"
    trainer_pc(folder, office_bundle)
    create_issuer(TRAINER_PRINCIPAL, folder, "Training Centre", PASSPHRASE)
    window, screen = open_certificates(qtbot, folder)
    card = screen.issue_card
    card.select(None, "ai-foundations")  # all learners
    settle(qtbot, window)
    assert len(rows(card.table)) == 2
    out = tmp_path / "never"
    card.folder.setText(str(out))
    qtbot.keyClicks(card.passphrase, "not the passphrase")
    qtbot.keyClick(card.passphrase, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "Wrong passphrase" in card.error.text() and card.error.isVisible()
    assert not out.exists() and not card.open_button.isVisible()

    # Cancel: the printer holds the first PDF until the person has pressed Cancel.
    import app.ui.certificate_pdf as certificate_pdf

    first_pdf, release = threading.Event(), threading.Event()
    real = certificate_pdf.write_certificate

    def slow(path, sheet):
        first_pdf.set()
        release.wait(10)
        return real(path, sheet)

    monkeypatch.setattr(certificate_pdf, "write_certificate", slow)
    out = tmp_path / "cancelled"
    card.folder.setText(str(out))
    qtbot.keyClicks(card.passphrase, PASSPHRASE)
    click(qtbot, card.issue_button)
    qtbot.waitUntil(first_pdf.is_set, timeout=10000)
    click(qtbot, card.cancel_button)
    release.set()
    settle(qtbot, window)
    assert card.result.text().startswith("Cancelled.")
    assert "2 signed credentials and 1 PDF certificate were written" in card.result.text()
    assert len(list(out.glob("*.pdf"))) == 1 and len(list(out.glob("*.json"))) == 2
    assert not [p for p in out.iterdir() if p.suffix not in (".pdf", ".json")]  # whole files only
    assert card.issue_button.isEnabled() is False  # the passphrase is typed again for the next run


def test_trusting_a_public_key_file_and_refusing_a_bad_one(qtbot, tmp_path, office_bundle):
    institution = tmp_path / "institution"
    institution.mkdir()
    other = create_issuer(TRAINER_PRINCIPAL, institution, "Ministry of Education", PASSPHRASE)
    public = tmp_path / "education.json"
    import json

    public.write_text(json.dumps(other.public_file()), encoding="utf-8")
    folder = tmp_path / "ministry-pc"
    trainer_pc(folder, office_bundle)
    window, screen = open_certificates(qtbot, folder)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**other.public_file(), "publicKeyMultibase": "z6Mkbroken"}), encoding="utf-8")
    screen.import_public_key(bad)
    assert "publicKeyMultibase" in screen.trust_error.text() and str(bad) in screen.trust_error.text()
    assert "nothing was changed" in screen.trust_error.text() and rows(screen.trusted) == []
    screen.import_public_key(public)
    assert not screen.trust_error.isVisible() and "Ministry of Education is now trusted" in screen.trust_status.text()
    assert rows(screen.trusted) == [["Ministry of Education", "\u2068" + other.fingerprint + "\u2069", "Imported"]]
    screen.import_public_key(tmp_path / "nowhere.json")
    assert "there is no file here" in screen.trust_error.text()


def test_a_learner_never_gets_the_screen(qtbot, tmp_path, office_bundle):
    folder = tmp_path / "shared-pc"
    trainer_pc(folder, office_bundle, ("Amina", LEARNER, "correct horse"))
    window = open_window(qtbot, folder)
    sign_in(qtbot, window, "Amina", "correct horse")
    window.show_tool("certificates")
    assert not isinstance(window.screen, CertificatesScreen)
    assert "trainer" in window.notice.text()
    with pytest.raises(NotAllowed):
        CertificatesScreen(window)
    with pytest.raises(NotAllowed):  # and the core refuses a learner's key whatever calls it
        create_issuer(window.principal, folder, "Ministry of the Interior", PASSPHRASE)
    assert load_issuer(folder) is None


def test_leaving_while_finding_or_issuing_stops_the_work(qtbot, tmp_path, office_bundle):
    folder = tmp_path / "trainer-pc"
    trainer_pc(folder, office_bundle)
    create_issuer(TRAINER_PRINCIPAL, folder, "Training Centre", PASSPHRASE)
    window, screen = open_certificates(qtbot, folder)
    card = screen.issue_card
    card.select(None, "ai-foundations")
    window.show_trainer_tools()  # away while the completions are being found
    settle(qtbot, window)
    window.show_tool("certificates")
    settle(qtbot, window)
    screen = window.screen
    card = screen.issue_card
    assert card.course.currentData() == "ai-foundations"  # the choice survives the new screen
    card.folder.setText(str(tmp_path / "out"))
    qtbot.keyClicks(card.passphrase, PASSPHRASE)
    click(qtbot, card.issue_button)
    window.show_trainer_tools()  # away, mid-run
    settle(qtbot, window)
    assert isinstance(window.screen, TrainerToolsScreen)


def test_a_damaged_key_file_is_reported_and_never_replaced(qtbot, tmp_path, office_bundle):
    from app.core.certificates.issuer import issuer_key_path

    folder = tmp_path / "trainer-pc"
    trainer_pc(folder, office_bundle)
    create_issuer(TRAINER_PRINCIPAL, folder, "Training Centre", PASSPHRASE)
    damaged = issuer_key_path(folder).read_text(encoding="utf-8").replace('"name": "Training Centre"', '"name": ""')
    issuer_key_path(folder).write_text(damaged, encoding="utf-8")
    window, screen = open_certificates(qtbot, folder)
    assert screen.key_error.isVisible() and "damaged (field name)" in screen.key_error.text()
    assert not screen.create_form.isVisible() and not screen.key_view.isVisible()
    assert not screen.issue_card.issue_button.isEnabled()
    assert issuer_key_path(folder).read_text(encoding="utf-8") == damaged
