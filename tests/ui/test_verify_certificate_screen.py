"""Verify a certificate, in the real window: a learner from My courses and a trainer from Trainer tools open (or
drop) a credential file and read a large verdict — valid (with the learner, course, issuer, date and code),
altered, unknown issuer (and what a trainer can do about it), or not a certificate (with the field) — and
the database is left exactly as it was."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.core import formatting
from app.core.accounts.passwords import ScryptCost
from app.core.accounts.roles import TRAINER, Principal
from app.core.certificates.batch import credential_text
from app.core.certificates.credential import Completion, issue_credential, readable_code, verification_code
from app.core.certificates.issuer import create_issuer, unlock_issuer
from app.core.certificates.trust import TrustedIssuers
from app.core.storage.database import open_database
from app.core.storage.schema import metadata
from app.ui.screens.catalogue import CatalogueScreen
from app.ui.screens.verify_certificate import VerifyCertificateScreen
from tests.ui.helpers import click, open_window, start_as
from tests.ui.test_accessibility import unnamed_controls
from tests.ui.test_sign_in import make_accounts, quick_hashes, sign_in  # noqa: F401 - the fixture is autouse

QUICK = ScryptCost(log2_n=10, r=8, p=1)
TRAINER_KIM = Principal(name="Kim", role=TRAINER, learner_id="t-1", account_id="a-1")
KIM = Completion("inst-a/l-1", "Kim Min-ji", "ai-foundations", "AI foundations", "1.2.0", "2026-11-20T09:30:00Z",
                 "en", staff_number="S-1001")


def _signer(folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    create_issuer(TRAINER_KIM, folder, name, "correct horse battery", cost=QUICK)
    return unlock_issuer(TRAINER_KIM, folder, "correct horse battery")


@pytest.fixture
def files(tmp_path):
    """Credential files: one from a trusted ministry, the same with one letter of the name changed, one from
    an institution nobody here trusts, and a file that is not JSON at all."""
    ministry = _signer(tmp_path / "ministry", "Ministry of the Interior")
    stranger = _signer(tmp_path / "stranger", "Unheard-of Institute")
    folder = tmp_path / "stick"
    folder.mkdir()
    credential = issue_credential(TRAINER_KIM, ministry, KIM)
    (folder / "valid.json").write_text(credential_text(credential), encoding="utf-8")
    altered = json.loads(credential_text(credential))
    altered["credentialSubject"]["identifier"][0]["identityHash"] = "Kim Min-jo"
    (folder / "altered.json").write_text(json.dumps(altered, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "unknown.json").write_text(credential_text(issue_credential(TRAINER_KIM, stranger, KIM)),
                                         encoding="utf-8")
    (folder / "minutes.json").write_text("Minutes of the meeting, not a certificate\n", encoding="utf-8")
    missing = json.loads(credential_text(credential))
    del missing["credentialSubject"]["achievement"]["name"]
    (folder / "missing.json").write_text(json.dumps(missing), encoding="utf-8")
    return ministry, folder, readable_code(verification_code(credential))


def trust(data_dir, issuer) -> None:
    """This computer trusts the ministry (a trainer imported its public key file once)."""
    database = open_database(data_dir)
    try:
        TrustedIssuers(database).trust(TRAINER_KIM, issuer)
    finally:
        database.dispose()


def snapshot(window) -> dict[str, int]:
    with window.services.database.engine.connect() as conn:
        return {table.name: conn.scalar(select(func.count()).select_from(table))
                for table in metadata.sorted_tables}


def check(qtbot, window, screen, path):
    screen.verify_file(path)
    qtbot.waitUntil(lambda: screen.task is None and not window.runner.busy, timeout=15000)
    assert screen.result is not None, screen.error.text()
    return screen.result


def facts(screen) -> dict[str, str]:
    return {name: label.text() for name, label in screen.fact_labels.items()}


def test_a_learner_verifies_certificates_and_reads_each_verdict(qtbot, tmp_path, files):
    ministry, folder, code = files
    office = tmp_path / "office"
    window = start_as(qtbot, office, "Lee Seo-yeon")
    trust(office, ministry.issuer)
    before = snapshot(window)
    click(qtbot, window.screen.verify_button)
    screen = window.screen
    assert isinstance(screen, VerifyCertificateScreen)
    assert window.back_button.isVisible()
    assert not screen.verdict_box.isVisible()

    result = check(qtbot, window, screen, folder / "valid.json")
    assert result.status.value == "valid"
    assert screen.verdict_box.isVisible() and screen.verdict.text() == "Valid"
    assert not screen.icon.pixmap().isNull() and screen.icon.accessibleName() == "Valid"  # a sign, not only colour
    assert "Ministry of the Interior, an institution this computer trusts" in screen.explanation.text()
    assert facts(screen) == {"Learner": "Kim Min-ji", "Course": "AI foundations",
                             "Issued by": "Ministry of the Interior",
                             "Completed on": formatting.date("2026-11-20T09:30:00Z"),
                             "Verification code": f"\u2068{code}\u2069",
                             "File": f"\u2068{folder / 'valid.json'}\u2069"}
    assert "same verification code" in screen.advice.text()
    assert not unnamed_controls(window)

    check(qtbot, window, screen, folder / "altered.json")
    assert screen.verdict.text() == "Altered"
    assert "changed after it was signed" in screen.explanation.text()
    assert facts(screen)["Learner"] == "Kim Min-jo"  # what the file claims, under a verdict that says not to trust it

    check(qtbot, window, screen, folder / "unknown.json")
    assert screen.verdict.text() == "Unknown issuer"
    assert "does not trust that institution" in screen.explanation.text()
    assert "Trainer tools" in screen.advice.text() and "public key file" in screen.advice.text()
    assert facts(screen)["Issued by"] == "Unheard-of Institute"

    check(qtbot, window, screen, folder / "minutes.json")
    assert screen.verdict.text() == "Not a certificate"
    assert "this is not JSON" in screen.explanation.text()
    assert facts(screen)["Line"] == "1" and "Learner" not in facts(screen)

    check(qtbot, window, screen, folder / "missing.json")
    assert screen.verdict.text() == "Not a certificate"
    assert facts(screen)["Field at fault"] == "\u2068credentialSubject.achievement.name\u2069"

    # A file that is not there: said plainly, no verdict.
    screen.verify_file(folder / "gone.json")
    qtbot.waitUntil(lambda: screen.task is None and not window.runner.busy, timeout=15000)
    assert screen.error.isVisible() and "cannot be read" in screen.error.text()
    assert not screen.verdict_box.isVisible() and screen.open_button.isEnabled()

    assert snapshot(window) == before  # checking changes nothing
    window.go_back()
    assert isinstance(window.screen, CatalogueScreen)
    window.close()


def drag_and_drop(screen, mime) -> bool:
    """What the window system sends when a file is dragged onto the page and let go; True if it was taken."""
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(screen, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(screen, drop)
    return drop.isAccepted()


def test_a_file_dropped_on_the_page_is_checked(qtbot, tmp_path, files):
    ministry, folder, _code = files
    office = tmp_path / "office"
    window = start_as(qtbot, office, "Lee Seo-yeon")
    trust(office, ministry.issuer)
    window.show_verify_certificate()
    screen = window.screen
    one = QMimeData()
    one.setUrls([QUrl.fromLocalFile(str(folder / "valid.json"))])
    assert drag_and_drop(screen, one)
    qtbot.waitUntil(lambda: screen.task is None and not window.runner.busy, timeout=15000)
    assert screen.verdict.text() == "Valid"
    two = QMimeData()  # two files at once: not taken
    two.setUrls([QUrl.fromLocalFile(str(folder / "valid.json")), QUrl.fromLocalFile(str(folder / "altered.json"))])
    assert not drag_and_drop(screen, two)
    words = QMimeData()  # text, not a file
    words.setText("a certificate")
    assert not drag_and_drop(screen, words)
    assert screen.verdict.text() == "Valid" and screen.task is None
    window.close()


def test_a_trainer_verifies_from_trainer_tools_and_their_own_certificates_check_out(qtbot, tmp_path, files):
    _ministry, folder, _code = files
    office = tmp_path / "trainer-pc"
    make_accounts(office, ("Park", TRAINER, "training day"))
    own = _signer(office, "Seoul Training Centre")  # this machine's own issuing key, in its data folder
    (folder / "ours.json").write_text(credential_text(issue_credential(TRAINER_KIM, own, KIM)), encoding="utf-8")
    window = open_window(qtbot, office)
    sign_in(qtbot, window, "Park", "training day")
    window.show_tool("verify")
    screen = window.screen
    assert isinstance(screen, VerifyCertificateScreen)
    assert window.back_button.text() == "Trainer tools"
    before = snapshot(window)
    check(qtbot, window, screen, folder / "unknown.json")
    assert screen.verdict.text() == "Unknown issuer"  # nobody imported that institution's key here
    check(qtbot, window, screen, folder / "ours.json")
    assert screen.verdict.text() == "Valid" and facts(screen)["Issued by"] == "Seoul Training Centre"
    assert snapshot(window) == before
    window.close()


@pytest.mark.parametrize("locale", ["ko", "ar"])
def test_the_verdict_speaks_the_language_of_the_screen(qtbot, tmp_path, files, locale):
    from tests.ui.test_languages import choose_in_settings

    ministry, folder, code = files
    office = tmp_path / "office"
    window = start_as(qtbot, office, "Lee Seo-yeon")
    trust(office, ministry.issuer)
    choose_in_settings(qtbot, window, locale)
    window.show_verify_certificate()
    screen = window.screen
    check(qtbot, window, screen, folder / "valid.json")
    assert screen.result.valid and screen.verdict_box.isVisible()
    assert f"\u2068{code}\u2069" in facts(screen).values()
    assert screen.layoutDirection() == (Qt.LayoutDirection.RightToLeft if locale == "ar"
                                        else Qt.LayoutDirection.LeftToRight)
    assert not unnamed_controls(window)
    window.close()
