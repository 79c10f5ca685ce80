"""Verify a certificate: open (or drop) a credential file and see, large and plain, whether it is valid,
altered, signed by an institution this computer does not trust, or not a certificate at all.

Learners reach it from "My courses", trainers from Trainer tools → Verify a certificate. Checking needs
no role and changes nothing: the file is read and checked off the GUI thread against the institutions
this computer trusts (app/core/certificates/verify.py, trust.py); the database is only read.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QStandardPaths, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QFileDialog, QFormLayout, QFrame, QHBoxLayout, QLabel, QVBoxLayout

from app.core import formatting
from app.core.i18n import _
from app.ui.screens.page import Page
from app.ui.screens.sign_in import message_label, say
from app.ui.widgets import button, heading, scaled_font, text

if TYPE_CHECKING:
    from app.core.certificates.verify import Verification
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

COLOURS = {"valid": "#1e6b2c", "altered": "#a3261b", "unknown-issuer": "#8a5a00", "invalid": "#a3261b"}


def verdict_icon(status: str, size: int = 56) -> QPixmap:
    """A sign drawn here (no icon theme or font needed): a tick in a circle for valid, a cross for altered
    and invalid, an exclamation mark in a triangle for an unknown issuer. Shape, not colour alone."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(COLOURS.get(status, "#5a6473"))
    s = float(size)
    white = QPen(QColor("#ffffff"), s * 0.1, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                 Qt.PenJoinStyle.RoundJoin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    if status == "unknown-issuer":
        triangle = QPainterPath()
        triangle.moveTo(s * 0.5, s * 0.06)
        triangle.lineTo(s * 0.96, s * 0.92)
        triangle.lineTo(s * 0.04, s * 0.92)
        triangle.closeSubpath()
        painter.drawPath(triangle)
        painter.setPen(white)
        painter.drawLine(QPointF(s * 0.5, s * 0.36), QPointF(s * 0.5, s * 0.62))
        painter.drawPoint(QPointF(s * 0.5, s * 0.78))
    else:
        painter.drawEllipse(QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92))
        painter.setPen(white)
        if status == "valid":
            tick = QPainterPath()
            tick.moveTo(s * 0.28, s * 0.52)
            tick.lineTo(s * 0.44, s * 0.68)
            tick.lineTo(s * 0.73, s * 0.36)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(tick)
        else:
            painter.drawLine(QPointF(s * 0.33, s * 0.33), QPointF(s * 0.67, s * 0.67))
            painter.drawLine(QPointF(s * 0.67, s * 0.33), QPointF(s * 0.33, s * 0.67))
    painter.end()
    return pixmap


def _check(path: Path, database, root: Path):
    """On the runner's thread: read the file and check it against the institutions trusted here."""
    from app.core.certificates.trust import trusted_on_this_machine
    from app.core.certificates.verify import MAX_BYTES, verify_credential

    if path.stat().st_size > MAX_BYTES:
        raise OSError(_("this is too large to be a certificate file (at most {n} KB).").format(n=MAX_BYTES // 1024))
    data = path.read_bytes()
    return verify_credential(data, trusted_on_this_machine(database, root))


class VerifyCertificateScreen(Page):
    def __init__(self, window: MainWindow, parent=None):
        super().__init__(parent)
        assert window.services is not None
        self.window = window
        self.task = None
        self.path: Path | None = None  # the file being checked, or last checked
        self.result: Verification | None = None
        self.setAcceptDrops(True)
        self.body.addWidget(heading(_("Verify a certificate")))
        self.body.addWidget(text(_("Open the certificate file (.json) that came with a certificate. It is checked "
                                   "on this computer, without the internet, and nothing is changed."), muted=True))
        row = QHBoxLayout()
        self.open_button = button(_("Open a certificate file…"), lambda _checked=False: self.verify_file(),
                                  primary=True)
        row.addWidget(self.open_button)
        row.addWidget(text(_("or drag the file onto this page."), muted=True), 1)
        self.body.addLayout(row)
        self.error = message_label()
        self.body.addWidget(self.error)
        self.checking = text(_("Checking…"), muted=True)
        self.checking.hide()
        self.body.addWidget(self.checking)
        self.body.addWidget(self._verdict_box())
        self.body.addStretch(1)

    def _verdict_box(self) -> QFrame:
        self.verdict_box = QFrame()
        self.verdict_box.setObjectName("VerdictBox")
        outer = QVBoxLayout(self.verdict_box)
        outer.setContentsMargins(20, 16, 20, 16)
        outer.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(16)
        self.icon = QLabel()
        self.icon.setFixedSize(56, 56)
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        self.verdict = QLabel("")
        self.verdict.setObjectName("VerdictWord")
        self.verdict.setWordWrap(True)
        self.verdict.setFont(scaled_font(self.verdict, 2.0, bold=True))
        words.addWidget(self.verdict)
        self.explanation = text("")
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        words.addWidget(self.explanation)
        top.addLayout(words, 1)
        outer.addLayout(top)
        self.facts = QFormLayout()
        self.facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        outer.addLayout(self.facts)
        self.advice = text("")
        self.advice.setStyleSheet("font-weight: 600;")
        outer.addWidget(self.advice)
        self.verdict_box.hide()
        return self.verdict_box

    # -- checking -------------------------------------------------------------------------------------
    def verify_file(self, path: Path | None = None) -> None:
        """Check `path` (asked for when None) off the GUI thread; the verdict appears when it is done."""
        if self.task is not None:
            return
        if path is None:
            home = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)
            chosen, _filter = QFileDialog.getOpenFileName(self, _("Open a certificate file"), home,
                                                          _("Certificate files (*.json);;All files (*)"))
            if not chosen:
                return
            path = Path(chosen)
        self.path = Path(path)
        self.result = None
        say(self.error, "")
        self.verdict_box.hide()
        self.checking.show()
        self.open_button.setEnabled(False)
        database, root, where = self.window.services.database, self.window.data_dir, self.path
        self.task = self.window.runner.submit(lambda _state: _check(where, database, root), on_done=self._checked,
                                              on_error=self._unreadable, on_cancel=self._stop,
                                              label=_("Checking the certificate…"))

    def _stop(self) -> None:
        self.task = None
        self.checking.hide()
        self.open_button.setEnabled(True)

    def _unreadable(self, error: BaseException) -> None:
        self._stop()
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
        else:
            log.error("certificate not checked", exc_info=error)
            reason = str(error)
        say(self.error, _("The file {path} cannot be read: {reason}").format(
            path=formatting.isolated(str(self.path)), reason=reason))

    def _checked(self, result: Verification) -> None:
        from app.core.certificates.verify import Status

        self._stop()
        self.result = result
        status = result.status
        words = {Status.VALID: _("Valid"), Status.ALTERED: _("Altered"),
                 # TRANSLATORS: the verdict on a certificate signed by an institution this computer does not trust.
                 Status.UNKNOWN_ISSUER: _("Unknown issuer"), Status.INVALID: _("Not a certificate")}
        colour = COLOURS[status.value]
        self.verdict_box.setStyleSheet(
            f"#VerdictBox {{ background: #ffffff; border: 3px solid {colour}; border-radius: 8px; }}"
            f"#VerdictWord {{ color: {colour}; }}")
        self.icon.setPixmap(verdict_icon(status.value, 56))
        self.icon.setAccessibleName(words[status])
        self.verdict.setText(words[status])
        self.verdict.setAccessibleName(words[status])
        if status is Status.VALID:
            explanation = _("This certificate was signed by {issuer}, an institution this computer trusts, and "
                            "nothing in it was changed after signing.").format(issuer=result.issuer_name)
            advice = _("If you also have the printed certificate, check that it shows the same verification code.")
        elif status is Status.ALTERED:
            explanation = _("Something in this certificate was changed after it was signed (a name, a date, a "
                            "course): its signature no longer matches its content. Do not accept it.")
            advice = _("Ask the person who gave you this file for the original, or ask the institution that issued "
                       "it.")
        elif status is Status.UNKNOWN_ISSUER:
            explanation = result.message
            advice = _("This computer does not know this institution's key. A trainer can add it: in Trainer tools, "
                       "Certificates, import the institution's public key file, after checking its fingerprint "
                       "with the institution. Then check the certificate again.")
        else:
            explanation = result.message
            advice = _("Open the certificate file itself: the .json file given with the certificate, not the PDF.")
        self.explanation.setText(explanation)
        self.explanation.setAccessibleName(explanation)
        self.advice.setText(advice)
        self.advice.setAccessibleName(advice)
        self._fill_facts(result)
        self.verdict_box.show()
        self.open_button.setFocus()

    def _fill_facts(self, result: Verification) -> None:
        from app.core.certificates.verify import Status

        while self.facts.rowCount():
            self.facts.removeRow(0)
        rows: list[tuple[str, str]] = []
        if result.status is not Status.INVALID:
            rows += [(_("Learner"), result.learner_name or "—"), (_("Course"), result.course or "—"),
                     (_("Issued by"), result.issuer_name or "—")]
            if result.awarded:
                try:
                    awarded = formatting.date(result.awarded)
                except (ValueError, TypeError):
                    awarded = result.awarded
                rows.append((_("Completed on"), awarded))
            if result.code:
                rows.append((_("Verification code"), formatting.isolated(result.code)))
        else:
            if result.field:
                rows.append((_("Field at fault"), formatting.isolated(result.field)))
            if result.line:
                rows.append((_("Line"), formatting.number(result.line)))
        rows.append((_("File"), formatting.isolated(str(self.path))))
        self.fact_labels: dict[str, QLabel] = {}
        for name, value in rows:
            label = text(name, muted=True)
            shown = text(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            # Beside its label even when the value runs the other way (a Latin name on an Arabic screen).
            side = Qt.AlignmentFlag.AlignRight if self.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
            shown.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
            shown.setAccessibleName(f"{name}: {value}")
            self.facts.addRow(label, shown)
            self.fact_labels[name] = shown

    # -- drag and drop ------------------------------------------------------------------------------
    @staticmethod
    def _dropped_file(mime) -> Path | None:
        urls = mime.urls() if mime is not None and mime.hasUrls() else []
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        return Path(urls[0].toLocalFile())

    def dragEnterEvent(self, event) -> None:
        if self.task is None and self._dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        path = self._dropped_file(event.mimeData())
        if path is None or self.task is not None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.verify_file(path)

    def leaving(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def focus_first(self) -> None:
        self.open_button.setFocus()
