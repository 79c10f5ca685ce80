"""labs/printing.py: Markdown to A4 PDF with the bundled fonts, right-to-left for Arabic, sealed against
file reads, atomic, in batches with progress and cancel, and on a worker thread as well as the GUI's."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QColor, QImage, QTextDocument

from app.core.tasks import Cancelled, TaskState
from labs import printing
from labs.printing import PrintItem, SealedDocument, text_document, write_pdf, write_pdfs

LETTERS = {"en": "**Dear Ms Clarke**\nCivic City  \nYour application BP-2024-00001 is approved.",
           "ko": "**김민준 님께**\n\n귀하의 신청이 **승인**되었습니다.",
           "ar": "**حضرة السيدة فاطمة الحسن**\n\nتمت **الموافقة** على طلبكم BP-2024-00001.",
           "km": "ជូនចំពោះ លោកស្រី សុខ ចាន់ធា\n\nពាក្យស្នើសុំរបស់លោកស្រីត្រូវបាន **អនុម័ត**។"}
FONTS = {"ko": b"NotoSansKRSubset", "ar": b"NotoSansArabic", "km": b"NotoSansKhmer", "en": b"NotoSans"}


@pytest.fixture(autouse=True)
def fonts(qapp):
    from app.ui.fonts import register_bundled_fonts

    register_bundled_fonts()


def _pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp")]


@pytest.mark.parametrize("locale", sorted(LETTERS))
def test_a_letter_is_printed_in_its_script(tmp_path, locale):
    path = tmp_path / f"letter-{locale}.pdf"
    write_pdf(path, LETTERS[locale], locale, "Decision letter")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert FONTS[locale] in data  # the script's bundled font is embedded, not a missing-glyph box
    assert _pages(data) == 1 and _leftovers(tmp_path) == []


def test_arabic_blocks_run_right_to_left_and_others_do_not():
    arabic = text_document(LETTERS["ar"], "ar")
    block = arabic.begin()
    while block.isValid():
        assert block.blockFormat().layoutDirection() == Qt.LayoutDirection.RightToLeft
        block = block.next()
    assert text_document(LETTERS["en"], "en").begin().blockFormat().layoutDirection() \
        != Qt.LayoutDirection.RightToLeft


def test_hard_line_breaks_stay_in_one_paragraph():
    document = text_document("Civic City  \n1 Sejong-daero\\\nCivic City\n\n**Next** paragraph", "en")
    assert document.blockCount() == 2  # Qt alone would make three paragraphs of the address
    assert document.begin().text() == "Civic City\u20281 Sejong-daero\u2028Civic City"
    listed = text_document("Items:  \n- one  \n- two\n\n### Title  \nText", "en")
    assert [listed.findBlockByNumber(i).text() for i in range(listed.blockCount())] == [
        "Items:", "one", "two", "Title", "Text"]  # a list or a heading is never glued to its neighbour


def test_documents_are_sealed_against_reading_files(tmp_path):
    image = tmp_path / "secret.png"
    picture = QImage(4, 4, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    assert picture.save(str(image))
    url = QUrl.fromLocalFile(str(image))
    plain = QTextDocument()
    assert plain.resource(QTextDocument.ResourceType.ImageResource, url) is not None  # what Qt would do unsealed
    sealed = SealedDocument()
    assert sealed.resource(QTextDocument.ResourceType.ImageResource, url) is None
    document = text_document(f"![x]({url.toString()})", "en")
    assert isinstance(document, SealedDocument)
    assert document.resource(QTextDocument.ResourceType.ImageResource, url) is None


def test_raw_html_stays_text_unless_allowed():
    letter = text_document("<b>bold</b> <img src='/etc/passwd'>", "en")
    assert "<b>bold</b>" in letter.toPlainText()
    card = text_document("<b>bold</b>", "en", allow_html=True)
    assert card.toPlainText().strip() == "bold"


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(printing, "text_document", broken)
    with pytest.raises(RuntimeError):
        write_pdf(path, "text", "en")
    assert path.read_bytes() == b"old" and _leftovers(tmp_path) == []


def _items(count: int = 4) -> list[PrintItem]:
    locales = sorted(LETTERS)
    return [PrintItem(f"BP-{i}-{locales[i % 4]}.pdf", LETTERS[locales[i % 4]], locales[i % 4], f"Letter {i}")
            for i in range(count)]


def test_a_batch_writes_each_letter_and_a_combined_file(tmp_path):
    seen = []
    state = TaskState(on_progress=lambda p, m: seen.append(p))
    items = _items(4) + [PrintItem("long-en.pdf", "\n\n".join(["A paragraph of a long letter."] * 250), "en")]
    written = write_pdfs(items, tmp_path, state, combined="all.pdf")
    assert [p.name for p in written] == [i.file_name for i in items] + ["all.pdf"]
    long_pages = _pages((tmp_path / "long-en.pdf").read_bytes())
    assert long_pages > 1
    combined = (tmp_path / "all.pdf").read_bytes()
    assert combined.startswith(b"%PDF-") and _pages(combined) == 4 + long_pages  # each letter on new pages
    for font in FONTS.values():
        assert font in combined
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert _leftovers(tmp_path) == []


def test_a_cancelled_batch_leaves_only_whole_files(tmp_path, monkeypatch):
    state = TaskState()
    calls = {"n": 0}

    def cancel_after_two(*args, **kwargs):  # the person presses Cancel while the second letter prints
        write_pdf(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 2:
            state.request_cancel()

    monkeypatch.setattr(printing, "write_pdf", cancel_after_two)
    with pytest.raises(Cancelled):
        write_pdfs(_items(4), tmp_path, state, combined="all.pdf")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and "all.pdf" not in names
    assert all((tmp_path / n).read_bytes().rstrip().endswith(b"%%EOF") for n in names)


def test_cancel_while_combining_leaves_no_combined_file(tmp_path):
    state = TaskState(on_progress=lambda p, m: state.request_cancel() if m.startswith("Adding") else None)
    with pytest.raises(Cancelled):
        write_pdfs(_items(3), tmp_path, state, combined="all.pdf")
    assert not (tmp_path / "all.pdf").exists() and _leftovers(tmp_path) == []


def test_a_missing_folder_is_said_plainly(tmp_path):
    with pytest.raises(OSError, match="does not exist"):
        write_pdfs(_items(1), tmp_path / "nowhere", TaskState())


def test_printing_works_off_the_gui_thread(tmp_path):
    """QTextDocument and QPdfWriter are reentrant: a worker thread may print its own documents."""
    outcome: dict[str, object] = {}

    def work():
        try:
            outcome["paths"] = write_pdfs(_items(4), tmp_path, TaskState(), combined="all.pdf")
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            outcome["error"] = error

    worker = threading.Thread(target=work, name="printing-test")
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive() and "error" not in outcome, outcome.get("error")
    assert len(outcome["paths"]) == 5
    for path in outcome["paths"]:
        data = Path(path).read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert FONTS["ko"] in (tmp_path / "all.pdf").read_bytes()
