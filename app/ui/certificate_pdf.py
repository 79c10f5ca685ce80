"""Print certificates (and unsigned records of completion) as A4 PDFs, in the learner's language with the
bundled fonts, right to left for Arabic: the sheet's texts (app/core/certificates/sheet.py) laid out as
HTML and printed by labs/printing.py, the one PDF printer of the app.

Needs a QGuiApplication with the bundled fonts registered (app start-up does it). Like labs/printing.py
this may run on a worker thread; each file is written atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from app.core.certificates.sheet import CertificateSheet
from app.core.i18n import _
from app.core.tasks import TaskState
from labs.printing import HTML, write_pdf

_NOTICE = ('<table width="100%" border="1" cellpadding="10" cellspacing="0" style="border-color:#b00020">'
           '<tr><td align="center"><span style="font-size:16pt; font-weight:bold; color:#b00020">{notice}</span>'
           '<br/>{detail}</td></tr></table>')


def certificate_html(sheet: CertificateSheet) -> str:
    """The sheet as HTML that QTextDocument lays out: centred, the learner's name and the course large."""
    e = escape
    parts = []
    if sheet.notice:
        parts.append(_NOTICE.format(notice=e(sheet.notice), detail=e(sheet.notice_detail or "")))
    parts += [
        '<p align="center" style="margin-top:36pt; font-size:28pt; font-weight:bold">{}</p>'.format(e(sheet.title)),
        '<p align="center" style="margin-top:30pt; font-size:13pt">{}</p>'.format(e(sheet.intro)),
        '<p align="center" style="margin-top:10pt; font-size:24pt; font-weight:bold">{}</p>'.format(e(sheet.learner)),
        '<p align="center" style="margin-top:10pt; font-size:13pt">{}</p>'.format(e(sheet.achievement)),
        '<p align="center" style="margin-top:10pt; font-size:20pt; font-weight:bold">{}</p>'.format(e(sheet.course)),
    ]
    parts += ['<p align="center" style="margin-top:8pt; font-size:12pt">{}</p>'.format(e(line))
              for line in sheet.details]
    if sheet.code:
        parts.append('<p align="center" style="margin-top:40pt; font-size:14pt; font-weight:bold">{}</p>'.format(
            e(sheet.code)))
    if sheet.how_to_verify:
        parts.append('<p align="center" style="margin-top:6pt; font-size:9pt">{}</p>'.format(e(sheet.how_to_verify)))
    if sheet.notice:  # at the foot too: a cut-off top must not make the record pass for a certificate
        parts.append('<p align="center" style="margin-top:40pt; font-size:14pt; font-weight:bold; '
                     'color:#b00020">{}</p>'.format(e(sheet.notice)))
    return "<html><body>" + "".join(parts) + "</body></html>"


def write_certificate(path: Path, sheet: CertificateSheet) -> Path:
    write_pdf(Path(path), certificate_html(sheet), sheet.locale, sheet.document_title, kind=HTML, allow_html=True)
    return Path(path)


def write_certificates(items: Sequence[tuple[str, CertificateSheet]], folder: Path, state: TaskState) -> list[Path]:
    """One PDF per (file name, sheet) in `folder`; progress, cancel between files, whole files only."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, (name, sheet) in enumerate(items):
        state.raise_if_cancelled()
        state.set_progress(index, len(items), _("Printing the certificate of {name}").format(name=sheet.learner))
        written.append(write_certificate(folder / name, sheet))
    state.set_progress(len(items), len(items))
    return written
