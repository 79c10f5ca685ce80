"""Certificates → "Issue certificates": choose a cohort (or every learner) and a course, see the completions
collected for it (and any that cannot be issued, with the reason), choose a folder, type the passphrase, and
issue: a signed credential and a PDF per learner, on the task runner with progress and Cancel.

Finding the completions and issuing both run off the GUI thread (app/core/certificates/completions.py and
issuing.py). The passphrase opens the key inside the task, before anything is written: a wrong one writes
nothing. The passphrase is never kept: the field is cleared once a run ends.
"""

from __future__ import annotations

import logging
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QProgressBar, QSizePolicy, QTreeWidget, QTreeWidgetItem, QWidget)

from app.core import formatting
from app.core.accounts.roles import NotAllowed
from app.core.certificates.credential import Completion
from app.core.certificates.issuer import IssuerError
from app.core.certificates.sealing import WrongPassphrase
from app.core.cohorts.store import CohortError, Cohorts
from app.core.i18n import _, locale_info, ngettext
from app.core.problems import InvalidInput
from app.ui.screens.sign_in import message_label, password_field, say
from app.ui.widgets import button, card, heading, marked, text

if TYPE_CHECKING:
    from app.core.certificates.issuing import IssueRun
    from app.ui.main_window import MainWindow
    from app.ui.tasks import Task

log = logging.getLogger(__name__)

# What the person chose, kept across a rebuild of the screen (a language or text-size change).
_REMEMBERED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

COLUMNS = 5  # learner, staff number, language, completed on, already issued


def _default_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents or Path.home()) / "Certificates"


def language_name(code: str) -> str:
    """A language in its own name and script ("한국어", "العربية"): how a person recognises it."""
    info = locale_info(code)
    return info.name if info.code == code else code


class IssueCard(QWidget):
    """The "Issue certificates" card. `issued()` is called after a run wrote files (the issued list)."""

    def __init__(self, window: MainWindow, on_issued: Callable[[], None]):
        super().__init__()
        self.window = window
        self.principal = window.principal
        self.database = window.services.database
        self.on_issued = on_issued
        self.gone = False
        self.has_key = False
        self.find_task: Task | None = None
        self.issue_task: Task | None = None
        self.generation = 0  # results of an older search are dropped
        self.completions: list[Completion] = []
        self.good: list[Completion] = []
        self.result_folder: Path | None = None
        remembered = _REMEMBERED.get(window, {})
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        box, layout = card()
        outer.addWidget(box)
        layout.addWidget(heading(_("Issue certificates"), 2))
        layout.addWidget(text(_("Choose the learners and the course: every learner who has completed it, on this "
                                "computer or in the progress files you imported, gets a signed certificate file "
                                "and a PDF in their own language."), muted=True))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.cohort = QComboBox()
        self.cohort.setAccessibleName(_("Learners to issue certificates to"))
        self.course = QComboBox()
        self.course.setAccessibleName(_("Course to issue certificates for"))
        for combo in (self.cohort, self.course):
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(20)
        form.addRow(_("Learners"), self.cohort)
        form.addRow(_("Course"), self.course)
        layout.addLayout(form)
        self.found_label = text("")
        layout.addWidget(self.found_label)
        self.table = QTreeWidget()
        self.table.setAccessibleName(_("Completions found"))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        # TRANSLATORS: column headers of the list of course completions certificates are issued for.
        self.table.setHeaderLabels([_("Learner"), _("Staff number"), _("Language"), _("Completed on"),
                                    _("Already issued")])
        self.table.header().setAccessibleName(_("Columns of the list: {list}").format(list=_("Completions found")))
        for column in range(COLUMNS - 1):
            self.table.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(160)
        layout.addWidget(self.table)
        self.problems = message_label()
        layout.addWidget(self.problems)

        folder_row = QHBoxLayout()
        self.folder = QLineEdit(str(remembered.get("folder") or _default_folder()))
        self.folder.setAccessibleName(_("Folder to save the certificates in"))
        self.folder.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a path reads left to right
        self.choose = button(_("Choose…"), lambda _checked=False: self.choose_folder(),
                             accessible=_("Choose the folder to save the certificates in"))
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose)
        self.passphrase = password_field(_("Passphrase of the issuing key"))
        self.passphrase.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.passphrase.returnPressed.connect(lambda: self.issue() if self.issue_button.isEnabled() else None)
        files_form = QFormLayout()
        files_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        files_form.addRow(_("Save the files in"), folder_row)
        files_form.addRow(_("Passphrase of the issuing key"), self.passphrase)
        layout.addLayout(files_form)

        actions = QHBoxLayout()
        self.issue_button = button(_("Issue certificates"), lambda _checked=False: self.issue(), primary=True)
        self.cancel_button = button(_("Cancel"), lambda _checked=False: self.cancel(),
                                    accessible=_("Cancel issuing the certificates"))
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName(_("Progress of the certificates being issued"))
        self.progress.hide()
        actions.addWidget(self.issue_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.progress, 1)
        layout.addLayout(actions)
        self.progress_label = text("", muted=True)
        self.progress_label.hide()
        layout.addWidget(self.progress_label)
        self.error = message_label()
        layout.addWidget(self.error)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setStyleSheet("font-weight: 600;")
        self.result.hide()
        layout.addWidget(self.result)
        self.open_button = button(_("Open the folder"), lambda _checked=False: self.open_folder(),
                                  accessible=_("Open the folder with the certificates"))
        self.open_button.hide()
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)

        self._fill_choices(remembered)
        self.cohort.currentIndexChanged.connect(lambda _index: self.find())
        self.course.currentIndexChanged.connect(lambda _index: self.find())
        self.folder.textChanged.connect(lambda _text: self._update())
        self.passphrase.textChanged.connect(lambda _text: self._update())

    # -- choices ----------------------------------------------------------------------------------
    def _fill_choices(self, remembered: dict) -> None:
        self.cohort.addItem(_("All learners"), None)
        try:
            cohorts = Cohorts(self.database).cohorts(self.principal, include_archived=True)
        except (CohortError, NotAllowed) as err:
            cohorts = []
            say(self.error, str(err))
        for cohort in cohorts:
            label = _("{name} (archived)").format(name=cohort.name) if cohort.archived else cohort.name
            self.cohort.addItem(label, cohort.id)
        for course in self.window.services.catalogue.courses:
            self.course.addItem(marked(course.title), course.id)
        for combo, key in ((self.cohort, "cohort"), (self.course, "course")):
            index = combo.findData(remembered.get(key)) if remembered.get(key) else -1
            if index >= 0:
                combo.setCurrentIndex(index)

    def select(self, cohort_id: str | None = None, course_id: str | None = None) -> None:
        """Choose the cohort (None: all learners) and the course, as a person would in the two lists."""
        if course_id is not None:
            self.course.setCurrentIndex(self.course.findData(course_id))
        self.cohort.setCurrentIndex(self.cohort.findData(cohort_id) if cohort_id else 0)

    def set_key(self, present: bool) -> None:
        self.has_key = present
        self._update()

    def _remember(self) -> None:
        _REMEMBERED[self.window] = {"cohort": self.cohort.currentData(), "course": self.course.currentData(),
                                    "folder": self.folder.text().strip()}

    # -- finding the completions --------------------------------------------------------------------
    def find(self) -> None:
        """Look for the completions of the chosen course among the chosen learners (off the GUI thread)."""
        from app.core.certificates.completions import collected_completions
        from app.core.certificates.issuing import issuable
        from app.core.i18n import current_locale

        self._remember()
        if self.find_task is not None:
            self.find_task.cancel()
        self.generation += 1
        generation = self.generation
        self.completions, self.good = [], []
        self.table.clear()
        say(self.problems, "")
        course = self.window.services.catalogue.course(self.course.currentData() or "")
        if course is None:
            self.found_label.setText(_("There is no course on this computer yet."))
            self._update()
            return
        self.found_label.setText(_("Looking for the learners who completed this course…"))
        self.found_label.setAccessibleName(self.found_label.text())
        self._update()
        principal, database, cohort_id, locale = self.principal, self.database, self.cohort.currentData(), \
            current_locale()

        def work(state):
            found = collected_completions(database, principal, course, cohort_id, app_locale=locale, state=state)
            return found, issuable(found)

        def done(result) -> None:
            if self.gone or generation != self.generation:
                return
            self.find_task = None
            found, (good, skipped) = result
            self._show_found(found, good, skipped)

        def failed(error: BaseException) -> None:
            if self.gone or generation != self.generation:
                return
            self.find_task = None
            if not isinstance(error, (NotAllowed, CohortError)):
                log.error("finding completions failed", exc_info=error)
            self.found_label.setText("")
            say(self.problems, _("The completions could not be read: {error}").format(error=error))
            self._update()

        def cancelled() -> None:
            if not self.gone and generation == self.generation:
                self.find_task = None
                self._update()

        self.find_task = self.window.runner.submit(work, on_done=done, on_error=failed, on_cancel=cancelled,
                                                   label=_("Finding completions…"))
        self._update()

    def _show_found(self, found: list[Completion], good: list[Completion], skipped: list) -> None:
        from app.core.certificates.batch import issued_list

        self.completions, self.good = found, good
        issued = {}
        try:
            for row in issued_list(self.database):
                issued[(row["learner_key"], row["course_id"], row["course_version"])] = row["issued_at"]
        except Exception:  # the list of what was issued is a help here, not a condition
            log.exception("reading issued certificates failed")
        self.table.clear()
        for completion in found:
            when = issued.get((completion.learner_key, completion.course_id, completion.course_version))
            item = QTreeWidgetItem([completion.learner_name, formatting.isolated(completion.staff_number or ""),
                                    language_name(completion.locale), _date(completion.completed_at),
                                    _date(when) if when else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, completion.learner_key)
            self.table.addTopLevelItem(item)
        if not found:
            message = _("No learner has completed this course yet, among those chosen. Import their progress "
                        "files under Collected progress first.")
        else:
            message = ngettext("{n} learner has completed this course.", "{n} learners have completed this course.",
                               len(found)).format(n=formatting.number(len(found)))
        self.found_label.setText(message)
        self.found_label.setAccessibleName(message)
        if skipped:
            lines = [ngettext("{n} completion cannot be issued:", "{n} completions cannot be issued:",
                              len(skipped)).format(n=formatting.number(len(skipped)))]
            lines += [_("{name}: {reasons}").format(name=c.learner_name.strip() or c.learner_key,
                                                    reasons=" ".join(reasons)) for c, reasons in skipped]
            say(self.problems, "\n".join(lines))
        self._update()

    # -- issuing --------------------------------------------------------------------------------------
    def choose_folder(self, path: Path | None = None) -> None:
        if path is None:
            chosen = QFileDialog.getExistingDirectory(self, _("Choose the folder to save the certificates in"),
                                                      self.folder.text())
            if not chosen:
                return
            path = Path(chosen)
        self.folder.setText(str(path))
        self._remember()

    @property
    def busy(self) -> bool:
        return self.issue_task is not None

    def _update(self) -> None:
        n = len(self.good)
        self.issue_button.setText(ngettext("Issue {n} certificate", "Issue {n} certificates", n).format(
            n=formatting.number(n)) if n else _("Issue certificates"))
        self.issue_button.setAccessibleName(self.issue_button.text())
        ready = (self.has_key and n > 0 and not self.busy and self.find_task is None
                 and bool(self.folder.text().strip()) and bool(self.passphrase.text()))
        self.issue_button.setEnabled(ready)
        for control in (self.cohort, self.course, self.folder, self.choose, self.passphrase):
            control.setEnabled(not self.busy)
        if not self.has_key:
            self.issue_button.setToolTip(_("Create the institution's issuing key first."))
        else:
            self.issue_button.setToolTip("")

    def issue(self) -> None:
        """Issue a certificate (credential + PDF) for every completion that can be issued."""
        from app.core.certificates.issuer import unlock_issuer
        from app.core.certificates.issuing import IssueRun, issue_certificates
        from app.ui.certificate_pdf import write_certificate

        if self.busy or not self.good:
            return
        folder = Path(self.folder.text().strip()).expanduser()
        passphrase = self.passphrase.text()
        principal, database, root, completions = self.principal, self.database, self.window.data_dir, list(self.good)
        run = IssueRun(folder)
        self._remember()
        say(self.error, "")
        self.result.hide()
        self.open_button.hide()

        def work(state):
            state.set_progress(0, 1, _("Opening the issuing key…"))
            signer = unlock_issuer(principal, root, passphrase)  # a wrong passphrase stops here: nothing written
            return issue_certificates(principal, signer, completions, folder, state, print_pdf=write_certificate,
                                      database=database, run=run)

        self.progress.setValue(0)
        self.progress_label.setText(_("Opening the issuing key…"))
        self.progress.show()
        self.progress_label.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.issue_task = self.window.runner.submit(
            work, on_done=lambda _result: self._ended(run), on_error=lambda error: self._ended(run, error),
            on_cancel=lambda: self._ended(run, cancelled=True), label=_("Issuing certificates…"))
        self.issue_task.progressed.connect(self._progressed)
        self._update()

    def _progressed(self, fraction: float, message: str) -> None:
        if self.gone:
            return
        self.progress.setValue(int(fraction * 1000))
        if message:
            self.progress_label.setText(message)
            self.progress_label.setAccessibleName(message)

    def cancel(self) -> None:
        if self.issue_task is not None:
            self.issue_task.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(_("Cancelling…"))

    def _ended(self, run: IssueRun, error: BaseException | None = None, cancelled: bool = False) -> None:
        if self.gone:
            return
        self.issue_task = None
        self.passphrase.clear()  # typed again for the next run, never kept
        self.progress.hide()
        self.progress_label.hide()
        self.cancel_button.hide()
        written = len(run.credentials)
        where = formatting.isolated(str(run.folder))
        if error is not None:
            if isinstance(error, (IssuerError, NotAllowed, WrongPassphrase)):
                message = str(error)
            elif isinstance(error, InvalidInput):
                message = "\n".join(str(p) for p in error.problems)
            elif isinstance(error, OSError):
                message = _("{path}: the files could not be written: {error}").format(
                    path=formatting.isolated(str(error.filename or run.folder)), error=error.strerror or error)
            else:
                log.error("issuing certificates failed", exc_info=error)
                message = _("The certificates could not be issued: {error}").format(error=error)
            if written:
                message += "\n" + ngettext("{n} certificate was written before this happened.",
                                           "{n} certificates were written before this happened.", written).format(
                    n=formatting.number(written))
            say(self.error, message)
        if cancelled and not written:
            self._say_result(_("Cancelled: no certificate was written."), None)
        elif cancelled:
            summary = _("Cancelled. Before that, {credentials} and {pdfs} were written in {folder}.").format(
                credentials=ngettext("{n} signed credential", "{n} signed credentials", written).format(
                    n=formatting.number(written)),
                pdfs=ngettext("{n} PDF certificate", "{n} PDF certificates", len(run.pdfs)).format(
                    n=formatting.number(len(run.pdfs))),
                folder=where)
            self._say_result(summary, run.folder)
        elif error is None:
            summary = _("{pdfs} and {credentials} were written in {folder}.").format(
                pdfs=ngettext("{n} PDF certificate", "{n} PDF certificates", len(run.pdfs)).format(
                    n=formatting.number(len(run.pdfs))),
                credentials=ngettext("{n} signed credential", "{n} signed credentials", written).format(
                    n=formatting.number(written)),
                folder=where)
            self._say_result(summary, run.folder)
        if written:
            self.on_issued()
            self.find()  # the "Already issued" column
        else:
            self._update()

    def _say_result(self, message: str, folder: Path | None) -> None:
        self.result.setText(message)
        self.result.setAccessibleName(message)
        self.result.show()
        self.result_folder = folder
        self.open_button.setVisible(folder is not None)

    def open_folder(self) -> bool:
        if self.result_folder is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_folder)))

    def leaving(self) -> None:
        self.gone = True
        for task in (self.find_task, self.issue_task):
            if task is not None:
                task.cancel()


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return formatting.date(value)
    except ValueError:
        return value
