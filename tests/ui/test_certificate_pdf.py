"""app/ui/certificate_pdf.py: a signed certificate and an unsigned record of completion as A4 PDFs, in the
learner's language with the bundled fonts (Korean, Arabic right to left), written atomically, in batches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.core.accounts.passwords import ScryptCost
from app.core.accounts.roles import TRAINER, Principal
from app.core.certificates.credential import Completion, issue_credential, readable_code, verification_code
from app.core.certificates.issuer import create_issuer, unlock_issuer
from app.core.certificates.sheet import certificate_sheet, record_sheet
from app.core.tasks import Cancelled, TaskState
from app.ui.certificate_pdf import certificate_html, write_certificate, write_certificates
from labs.printing import HTML, text_document

TRAINER_KIM = Principal(name="Kim", role=TRAINER, learner_id="t-1", account_id="a-1")
COMPLETIONS = {
    "en": Completion("a/1", "Anna Clarke", "ai-foundations", "AI foundations", "1.2.0", "2026-11-19T10:00:00Z", "en"),
    "ko": Completion("a/2", "김민준", "ai-foundations", "AI 기초", "1.2.0", "2026-11-20T09:30:00Z", "ko"),
    "ar": Completion("a/3", "فاطمة الحسن", "ai-foundations", "أساسيات الذكاء الاصطناعي", "1.2.0",
                     "2026-11-20T10:00:00Z", "ar"),
}
FONTS = {"en": b"NotoSans-", "ko": b"NotoSansKRSubset", "ar": b"NotoSansArabic"}


@pytest.fixture(autouse=True)
def fonts(qapp):
    from app.ui.fonts import register_bundled_fonts

    register_bundled_fonts()


@pytest.fixture
def signer(tmp_path):
    folder = tmp_path / "institution"
    folder.mkdir()
    create_issuer(TRAINER_KIM, folder, "Ministry of the Interior", "correct horse battery",
                  cost=ScryptCost(log2_n=10, r=8, p=1))
    return unlock_issuer(TRAINER_KIM, folder, "correct horse battery")


def _pdf_title(data: bytes) -> str:
    """The document title from the PDF's Info dictionary (Qt writes it as UTF-16 with a byte-order mark)."""
    raw = re.search(rb"/Title \((.*?)\)\n/", data, re.S).group(1)
    raw = re.sub(rb"\\([()\\])", rb"\1", raw)
    return raw.decode("utf-16")


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize("locale", ["en", "ko", "ar"])
def test_a_certificate_is_printed_in_the_learners_script(tmp_path, signer, locale):
    credential = issue_credential(TRAINER_KIM, signer, COMPLETIONS[locale])
    sheet = certificate_sheet(credential, "certificate.json")
    (tmp_path / "pdf").mkdir()
    path = write_certificate(tmp_path / "pdf" / f"certificate-{locale}.pdf", sheet)
    data = path.read_bytes()
    assert _is_pdf(data)
    assert FONTS[locale] in data  # the script's bundled font is embedded, not a box for a missing glyph
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) == 1  # one page
    assert COMPLETIONS[locale].learner_name in _pdf_title(data)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left
    text = text_document(certificate_html(sheet), sheet.locale, kind=HTML, allow_html=True).toPlainText()
    for line in (sheet.learner, sheet.course, readable_code(verification_code(credential))):
        assert line in text


def test_arabic_runs_right_to_left(signer):
    sheet = certificate_sheet(issue_credential(TRAINER_KIM, signer, COMPLETIONS["ar"]))
    document = text_document(certificate_html(sheet), sheet.locale, kind=HTML, allow_html=True)
    block = document.begin()
    while block.isValid():
        assert block.blockFormat().layoutDirection() == Qt.LayoutDirection.RightToLeft
        block = block.next()


def test_a_record_of_completion_says_it_is_not_signed(tmp_path):
    for locale in ("en", "ko", "ar"):
        sheet = record_sheet(COMPLETIONS[locale])
        path = write_certificate(tmp_path / f"record-{locale}.pdf", sheet)
        data = path.read_bytes()
        assert _is_pdf(data) and FONTS[locale] in data
        assert sheet.notice in _pdf_title(data)
        text = text_document(certificate_html(sheet), sheet.locale, kind=HTML, allow_html=True).toPlainText()
        assert text.count(sheet.notice) == 2  # at the head and at the foot of the page
        assert sheet.notice_detail in text and "Verification code" not in text
    assert "Not a signed certificate" in _pdf_title((tmp_path / "record-en.pdf").read_bytes())


def test_names_cannot_inject_markup(tmp_path):
    odd = Completion("a/9", "<b>Anna</b> & <img src='/etc/passwd'>", "c", "AI *basics*", "1", "2026-11-19T10:00:00Z")
    sheet = record_sheet(odd)
    text = text_document(certificate_html(sheet), "en", kind=HTML, allow_html=True).toPlainText()
    assert "<b>Anna</b> & <img src='/etc/passwd'>" in text and "AI *basics*" in text


def test_a_batch_prints_each_certificate_and_honours_cancel(tmp_path, signer):
    items = [(f"{locale}.pdf", certificate_sheet(issue_credential(TRAINER_KIM, signer, c)))
             for locale, c in COMPLETIONS.items()]
    seen = []
    written = write_certificates(items, tmp_path / "out", TaskState(lambda p, m: seen.append(p)))
    assert [p.name for p in written] == ["en.pdf", "ko.pdf", "ar.pdf"] and seen[-1] == 1.0
    assert all(_is_pdf(Path(p).read_bytes()) for p in written)
    state = TaskState(on_progress=lambda p, m: state.request_cancel() if p > 0 else None)
    with pytest.raises(Cancelled):
        write_certificates(items, tmp_path / "cancelled", state)
    assert sorted(p.name for p in (tmp_path / "cancelled").iterdir()) == ["en.pdf", "ko.pdf"]
