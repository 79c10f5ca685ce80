"""Trainer tools → Certificates, for a trainer or an administrator:

    the institution's issuing key   create it (name + passphrase twice; scrypt runs on the task runner), or
                                    see its name and fingerprint and export the public key file
    trusted institutions            this machine's own and the imported public keys; import another
    issue certificates              certificates_issue.py: completions found, then a batch with progress
    certificates issued so far      what this machine signed (issued_credentials)

Every action goes through app/core/certificates with the signed-in principal; the core refuses a learner
(creating or unlocking a key, trusting, issuing), and so does this screen before it is built.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from app.core import formatting
from app.core.accounts.roles import TRAINER, NotAllowed, require
from app.core.certificates.issuer import MAX_NAME, Issuer, IssuerError, load_issuer, name_problem, passphrase_problem
from app.core.i18n import _, ngettext
from app.core.problems import InvalidInput
from app.ui.screens.certificates_issue import IssueCard
from app.ui.screens.page import Page
from app.ui.screens.sign_in import message_label, password_field, say
from app.ui.widgets import button, card, heading, scaled_font, text

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.tasks import Task

log = logging.getLogger(__name__)


def _tree(columns: list[str], accessible: str, minimum_height: int = 120) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setAccessibleName(accessible)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setHeaderLabels(columns)
    tree.header().setAccessibleName(_("Columns of the list: {list}").format(list=accessible))
    for column in range(len(columns) - 1):
        tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    tree.setMinimumHeight(minimum_height)
    return tree


def _selectable(label: QLabel) -> QLabel:
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CertificatesScreen(Page):
    MAX_WIDTH = 1000  # the completions list has five columns

    def __init__(self, window: MainWindow, parent=None):
        self.principal = require(window.principal, TRAINER)  # a learner never gets this screen
        super().__init__(parent)
        self.window = window
        self.root = Path(window.data_dir)
        self.database = window.services.database
        self.key_task: Task | None = None
        self.gone = False
        self.issuer: Issuer | None = None
        self.body.addWidget(heading(_("Certificates")))
        self.body.addWidget(text(_("Sign certificates for the courses your learners completed, and choose which "
                                   "other institutions' certificates this computer accepts."), muted=True))
        self.body.addWidget(self._key_card())
        self.issue_card = IssueCard(window, on_issued=self.refresh_issued)
        self.body.addWidget(self.issue_card)
        self.body.addWidget(self._issued_card())
        self.body.addWidget(self._trust_card())
        self.body.addStretch(1)
        self.refresh_key()
        self.refresh_trusted()
        self.refresh_issued()
        self.issue_card.find()

    # -- the issuing key ------------------------------------------------------------------------------
    def _key_card(self) -> QWidget:
        box, layout = card()
        layout.addWidget(heading(_("The institution's issuing key"), 2))
        layout.addWidget(text(_("Every certificate issued here is signed with this key, so anyone can check that "
                                "it comes from your institution and has not been changed. Its passphrase cannot "
                                "be recovered: if it is forgotten, no certificate can be signed with this key "
                                "again."), muted=True))
        self.key_error = message_label()
        layout.addWidget(self.key_error)

        self.key_view = QWidget()
        view = QVBoxLayout(self.key_view)
        view.setContentsMargins(0, 0, 0, 0)
        self.institution = _selectable(text(""))
        self.institution.setFont(scaled_font(self.institution, 1.1, bold=True))
        self.fingerprint = _selectable(text(""))
        view.addWidget(self.institution)
        view.addWidget(self.fingerprint)
        export_row = QHBoxLayout()
        self.export_button = button(_("Export the public key…"), lambda _checked=False: self.export_public_key())
        export_row.addWidget(self.export_button)
        export_row.addStretch(1)
        view.addLayout(export_row)
        self.export_hint = text(_("Give this file to the ministries and offices that check your certificates, and "
                                  "read them the fingerprint above so they can compare it."), muted=True)
        view.addWidget(self.export_hint)
        self.key_status = _selectable(text(""))
        self.key_status.setStyleSheet("font-weight: 600;")
        self.key_status.hide()
        view.addWidget(self.key_status)
        layout.addWidget(self.key_view)

        self.create_form = QWidget()
        form_layout = QFormLayout(self.create_form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form_layout.addRow(text(_("This computer has no issuing key yet. Create one for your institution: you do "
                                  "this once, on the computer that will sign the certificates.")))
        self.name = QLineEdit()
        self.name.setMaxLength(MAX_NAME)
        self.name.setAccessibleName(_("Name of the institution"))
        self.name.setPlaceholderText(_("e.g. Ministry of the Interior, Training Centre"))
        self.new_passphrase = password_field(_("Passphrase of the new issuing key"))
        self.repeat = password_field(_("The same passphrase again"))
        self.repeat.returnPressed.connect(lambda: self.create_key() if self.create_button.isEnabled() else None)
        form_layout.addRow(_("Institution's name, as certificates show it"), self.name)
        form_layout.addRow(_("Passphrase (at least 8 characters)"), self.new_passphrase)
        form_layout.addRow(_("The same passphrase again"), self.repeat)
        self.create_error = message_label()
        form_layout.addRow(self.create_error)
        create_row = QHBoxLayout()
        create_row.addStretch(1)
        self.create_button = button(_("Create the issuing key"), lambda _checked=False: self.create_key(),
                                    primary=True)
        create_row.addWidget(self.create_button)
        form_layout.addRow(create_row)
        for field in (self.name, self.new_passphrase, self.repeat):
            field.textChanged.connect(lambda _text: self._update_create())
        layout.addWidget(self.create_form)
        return box

    def refresh_key(self) -> None:
        try:
            self.issuer = load_issuer(self.root)
            say(self.key_error, "")
        except IssuerError as err:  # a damaged key file: say so; never offer to replace it here
            self.issuer = None
            say(self.key_error, str(err))
            self.key_view.hide()
            self.create_form.hide()
            self.issue_card.set_key(False)
            return
        if self.issuer is None:
            self.key_view.hide()
            self.create_form.show()
        else:
            institution = _("Institution: {name}").format(name=self.issuer.name)
            self.institution.setText(institution)
            self.institution.setAccessibleName(institution)
            # TRANSLATORS: the short form of a public key that people read aloud to compare, e.g. 3F2A-9C1B-07DE-5A10.
            fingerprint = _("Key fingerprint: {fingerprint}").format(
                fingerprint=formatting.isolated(self.issuer.fingerprint))
            self.fingerprint.setText(fingerprint)
            self.fingerprint.setAccessibleName(fingerprint)
            self.create_form.hide()
            self.key_view.show()
        self.issue_card.set_key(self.issuer is not None)
        self._update_create()

    def _update_create(self) -> None:
        self.create_button.setEnabled(self.key_task is None and bool(self.name.text().strip())
                                      and bool(self.new_passphrase.text()) and bool(self.repeat.text()))
        for field in (self.name, self.new_passphrase, self.repeat):
            field.setEnabled(self.key_task is None)

    def create_key(self) -> None:
        """Create the institution's key pair, sealed with the passphrase typed twice (scrypt on the runner)."""
        from app.core.certificates.issuer import create_issuer
        from app.core.certificates.trust import TrustedIssuers

        name, passphrase = self.name.text().strip(), self.new_passphrase.text()
        problem = name_problem(name) or passphrase_problem(passphrase, name)
        if problem is None and passphrase != self.repeat.text():
            problem = _("The two passphrases differ: type the same passphrase twice.")
        if problem:
            say(self.create_error, problem)
            return
        say(self.create_error, "")
        principal, root, database = self.principal, self.root, self.database

        def work(_state):
            created = create_issuer(principal, root, name, passphrase)
            TrustedIssuers(database).trust(principal, created, own=True)  # its own certificates verify here
            return created

        def done(created: Issuer) -> None:
            if self.gone:
                return
            self.key_task = None
            for field in (self.name, self.new_passphrase, self.repeat):
                field.clear()
            self.refresh_key()
            self.refresh_trusted()
            self._say_key(_("The issuing key of {name} is created. Keep the passphrase safe: nobody can recover "
                            "it.").format(name=created.name))

        def failed(error: BaseException) -> None:
            if self.gone:
                return
            self.key_task = None
            if isinstance(error, (IssuerError, NotAllowed)):
                say(self.create_error, str(error))
            else:
                log.error("creating the issuing key failed", exc_info=error)
                say(self.create_error, _("The issuing key could not be created: {error}").format(error=error))
            self._update_create()

        self.key_task = self.window.runner.submit(work, on_done=done, on_error=failed,
                                                  label=_("Creating the issuing key…"))
        self._update_create()

    def _say_key(self, message: str) -> None:
        self.key_status.setText(message)
        self.key_status.setAccessibleName(message)
        self.key_status.setVisible(bool(message))

    def export_public_key(self, path: Path | None = None) -> Path | None:
        """Write the public key file other machines import (certificate trust); returns where."""
        from app.core.atomic import write_text

        if self.issuer is None:
            return None
        if path is None:
            home = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export the public key"), str(Path(home or Path.home()) / "issuer-public-key.json"),
                _("Public key files (*.json)"))
            if not chosen:
                return None
            path = Path(chosen)
        try:
            write_text(Path(path), json.dumps(self.issuer.public_file(), ensure_ascii=False, indent=2) + "\n")
        except OSError as err:
            say(self.key_error, _("{path}: the file could not be written: {error}").format(
                path=formatting.isolated(str(path)), error=err.strerror or err))
            return None
        say(self.key_error, "")
        self._say_key(_("The public key is saved in {path}.").format(path=formatting.isolated(str(path))))
        return Path(path)

    # -- trusted institutions ---------------------------------------------------------------------------
    def _trust_card(self) -> QWidget:
        box, layout = card()
        layout.addWidget(heading(_("Trusted institutions"), 2))
        layout.addWidget(text(_("Certificates signed by these institutions show as valid when they are checked on "
                                "this computer. Import an institution's public key file only after comparing its "
                                "fingerprint with the one the institution reads out to you."), muted=True))
        # TRANSLATORS: column headers of the trusted institutions; "Source": this computer's own key, or imported.
        self.trusted = _tree([_("Institution"), _("Key fingerprint"), _("Source")], _("Trusted institutions"))
        layout.addWidget(self.trusted)
        row = QHBoxLayout()
        self.import_button = button(_("Import a public key file…"), lambda _checked=False: self.import_public_key())
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.trust_error = message_label()
        layout.addWidget(self.trust_error)
        self.trust_status = _selectable(text(""))
        self.trust_status.setStyleSheet("font-weight: 600;")
        self.trust_status.hide()
        layout.addWidget(self.trust_status)
        return box

    def refresh_trusted(self) -> None:
        from app.core.certificates.trust import trusted_on_this_machine

        self.trusted.clear()
        for issuer in trusted_on_this_machine(self.database, self.root):
            # TRANSLATORS: where a trusted institution's key came from: this computer's own, or a file imported.
            source = _("This computer's own") if issuer.own else _("Imported")
            item = QTreeWidgetItem([issuer.name, formatting.isolated(issuer.fingerprint), source])
            item.setData(0, Qt.ItemDataRole.UserRole, issuer.id)
            self.trusted.addTopLevelItem(item)

    def import_public_key(self, path: Path | None = None) -> None:
        """Trust an institution's public key file. A bad file is refused whole, with the field at fault."""
        from app.core.certificates.trust import TrustedIssuers

        if path is None:
            home = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)
            chosen, _filter = QFileDialog.getOpenFileName(self, _("Import a public key file"), home,
                                                          _("Public key files (*.json);;All files (*)"))
            if not chosen:
                return
            path = Path(chosen)
        self.trust_status.hide()
        try:
            issuer, outcome = TrustedIssuers(self.database).import_file(self.principal, Path(path))
        except InvalidInput as err:
            lines = [_("This file cannot be trusted; nothing was changed:")]
            lines += [_("{where}: {problem}").format(where=formatting.isolated(
                f"{p.file}:{p.line}" if p.line else p.file), problem=p.message) for p in err.problems]
            say(self.trust_error, "\n".join(lines))
            return
        except NotAllowed as err:
            say(self.trust_error, str(err))
            return
        say(self.trust_error, "")
        messages = {"added": _("{name} is now trusted on this computer (key fingerprint {fingerprint})."),
                    "renamed": _("{name} was already trusted; its name is updated (key fingerprint {fingerprint})."),
                    "unchanged": _("{name} was already trusted (key fingerprint {fingerprint}).")}
        message = messages[outcome].format(name=issuer.name, fingerprint=formatting.isolated(issuer.fingerprint))
        self.trust_status.setText(message)
        self.trust_status.setAccessibleName(message)
        self.trust_status.show()
        self.refresh_trusted()

    # -- issued so far ------------------------------------------------------------------------------------
    def _issued_card(self) -> QWidget:
        box, layout = card()
        layout.addWidget(heading(_("Certificates issued so far"), 2))
        self.issued_count = text("", muted=True)
        layout.addWidget(self.issued_count)
        # TRANSLATORS: column headers of the certificates issued; "File" is the credential file's name.
        self.issued = _tree([_("Learner"), _("Course"), _("Issued on"), _("File")],
                            _("Certificates issued so far"), 140)
        layout.addWidget(self.issued)
        return box

    def refresh_issued(self) -> None:
        from app.core.certificates.batch import issued_list

        titles = {course.id: str(course.title) for course in self.window.services.catalogue.courses}
        rows = issued_list(self.database)
        self.issued.clear()
        for row in rows:
            course = titles.get(row["course_id"], row["course_id"])
            item = QTreeWidgetItem([row["learner_name"], course, _issued_date(row["issued_at"]),
                                    formatting.isolated(row["file_name"])])
            item.setToolTip(3, row["file_name"])
            item.setData(0, Qt.ItemDataRole.UserRole, row["id"])
            self.issued.addTopLevelItem(item)
        message = (ngettext("{n} certificate has been issued on this computer.",
                            "{n} certificates have been issued on this computer.", len(rows)).format(
            n=formatting.number(len(rows))) if rows else _("No certificate has been issued on this computer yet."))
        self.issued_count.setText(message)
        self.issued_count.setAccessibleName(message)

    # -- the window -------------------------------------------------------------------------------------
    def leaving(self) -> None:
        """The window shows another screen: stop what runs (a batch stops between two certificates)."""
        self.gone = True
        self.issue_card.leaving()

    def focus_first(self) -> None:
        (self.name if self.issuer is None and self.create_form.isVisible() else self.issue_card.course).setFocus()


def _issued_date(value: str) -> str:
    try:
        return formatting.date(value)
    except ValueError:
        return value
