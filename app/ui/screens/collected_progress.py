"""Trainer tools → Collected progress: import the progress files learners bring from their offices
(bundles .zip, and xAPI .json from a learning record store), see what each file gave, who has been
collected so far and which files were imported; export statements as xAPI for a learning record store.

Imports run on the window's task runner, one file after the other (app/core/collect/summary.py
`import_files`): each bundle is one transaction, so a cancel keeps the files already done and the screen
names the ones left. Every method that asks for a path takes it as a parameter, so tests bypass the
operating system's dialog. The results of the last import live in this widget only: a language change
rebuilds the screen and starts with an empty results table (the collected tables are read again).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from PySide6.QtCore import QDate, QLocale, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import formatting
from app.core.accounts.roles import TRAINER, NotAllowed, require
from app.core.i18n import _, ngettext
from app.ui.screens.page import Page
from app.ui.screens.sign_in import message_label, say
from app.ui.widgets import button, heading, text

if TYPE_CHECKING:
    from app.core.collect.importing import FileImport
    from app.core.collect.summary import CollectedSummary, ImportRun
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

SORT_KEY = Qt.ItemDataRole.UserRole + 1
DETAILS = Qt.ItemDataRole.UserRole + 2  # a file row's result as one sentence, shown under the table
SHOWN_REJECTIONS = 500  # per file; a file with more says how many are not listed
SHOWN_NAMES = 8  # files named in the "not imported" sentence; the table lists them all
PROGRESS_FILES = (".zip", ".json")


# Labels holding file names are not made selectable: a selectable QLabel lays its text out as a rich text
# document, which ignores Unicode isolates and then runs an Arabic sentence left to right.


def ltr(value: str) -> str:
    """A staff number, an id or a file name kept left to right inside a right-to-left table or sentence."""
    return f"\u2066{value}\u2069"


class _Row(QTreeWidgetItem):
    """A row that sorts by the value stored under SORT_KEY (numbers, ISO dates), not by its shown text."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else 0
        mine, theirs = self.data(column, SORT_KEY), other.data(column, SORT_KEY)
        if mine is None or theirs is None or type(mine) is not type(theirs):
            return self.text(column).casefold() < other.text(column).casefold()
        return mine < theirs


def _row(values: Sequence[tuple[str, Any]], parent: QTreeWidget | QTreeWidgetItem | None = None) -> _Row:
    """A row from (shown text, sort key) pairs; numbers are aligned to the reading end of their cell."""
    item = _Row(parent) if parent is not None else _Row()
    for column, (shown, key) in enumerate(values):
        item.setText(column, shown)
        item.setToolTip(column, shown)
        item.setData(column, SORT_KEY, key)
        if isinstance(key, int):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(accessible: str, headers: list[str], stretch: int) -> QTreeWidget:
    table = QTreeWidget()
    table.setAccessibleName(accessible)
    table.setHeaderLabels(headers)
    table.header().setAccessibleName(_("Columns of the table: {table}").format(table=accessible))
    table.setRootIsDecorated(False)
    table.setUniformRowHeights(True)
    table.setAlternatingRowColors(False)
    header = table.header()
    header.setStretchLastSection(False)
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    return table


def office_label(installation_id: str, office: str | None) -> str:
    from app.core.collect.xapi import XAPI_INSTALLATION

    if office:
        return office
    if installation_id == XAPI_INSTALLATION:
        return _("Learning record store (xAPI file)")
    # TRANSLATORS: an office whose bundles did not say its name; {id} is the start of its installation id.
    return _("Office {id}").format(id=ltr(installation_id[:8]))


def _day(stamp: str | None) -> tuple[str, str]:
    if not stamp:
        return "", ""
    try:
        return formatting.date(stamp), stamp
    except ValueError:
        return stamp, stamp


class CollectedProgressScreen(Page):
    MAX_WIDTH = 1280  # tables: use the width a trainer's screen has

    def __init__(self, window: MainWindow, parent: QWidget | None = None):
        require(window.principal, TRAINER)
        super().__init__(parent)
        self.window = window
        self.database = window.services.database
        self.task = None  # the running import or export
        self._alive = True
        self._generation = 0  # a summary read before the last import is stale when it arrives
        self.last_run: ImportRun | None = None
        self.summary: CollectedSummary | None = None
        self.setAcceptDrops(True)

        self.body.addWidget(heading(_("Collected progress")))
        self.body.addWidget(text(_("Import the progress files learners bring from their offices: the .zip files "
                                   "that \"Export my progress\" writes, or xAPI .json files from a learning record "
                                   "store. You can also drop files on this screen. Importing a file twice adds "
                                   "nothing."), muted=True))
        row = QHBoxLayout()
        self.import_button = button(_("Import progress files…"), lambda _checked=False: self.choose_files(),
                                    primary=True)
        self.cancel_button = button(_("Cancel"), lambda _checked=False: self.cancel(),
                                    accessible=_("Cancel the import or export"))
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(_("Progress of the import or export"))
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        self.progress_label = QLabel("")
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_label.setObjectName("Muted")
        row.addWidget(self.import_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress)
        row.addWidget(self.progress_label, 1)
        self.body.addLayout(row)
        self.summary_label = QLabel("")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setStyleSheet("font-weight: 600;")
        self.summary_label.hide()
        self.body.addWidget(self.summary_label)
        self.error = message_label()
        self.body.addWidget(self.error)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Collected progress"))
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._results_tab(), _("Last import"))
        self.tabs.addTab(self._learners_tab(), _("Learners collected"))
        self.tabs.addTab(self._files_tab(), _("Imported files"))
        self.tabs.addTab(self._export_tab(), _("Export as xAPI"))
        for scroller in self.tabs.tabBar().findChildren(QToolButton):  # shown when the tabs do not fit
            scroller.setAccessibleName(_("Scroll the tabs"))
        self.tabs.setMinimumHeight(380)  # a small window scrolls the page rather than squeeze the tables
        self.body.addWidget(self.tabs, 1)
        self.load_summary()

    # -- building ----------------------------------------------------------------------------------
    def _results_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 10, 0, 0)
        self.results_empty = text(_("No files imported yet on this screen. Choose \"Import progress files…\" or "
                                    "drop files here; each file's result will be listed here."), muted=True)
        self.results_empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        layout.addWidget(self.results_empty, 1)
        self.results = _table(_("Result of each file"), [
            _("File"), _("Office"), _("Learners"), _("Added"),
            # TRANSLATORS: column header: statements that were already in the collected progress.
            _("Already present"), _("Rejected"), _("Result")], 6)
        self.results.setRootIsDecorated(True)
        # The file names set the first column's width, not the long explanations spanning the row below them.
        self.results.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.results.setUniformRowHeights(False)
        self.results.setWordWrap(True)
        self.results.currentItemChanged.connect(lambda current, _previous: self._show_details(current))
        self.results.hide()
        layout.addWidget(self.results, 1)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.hide()
        layout.addWidget(self.details)
        return page

    def _learners_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 10, 0, 0)
        self.learners_label = text(_("Reading the collected progress…"), muted=True)
        layout.addWidget(self.learners_label)
        self.learners = _table(_("Learners collected"), [
            _("Name"), _("Staff number"), _("Office"), _("Statements"), _("Last activity")], 0)
        self.learners.setSortingEnabled(True)
        self.learners.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.learners, 1)
        return page

    def _files_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 10, 0, 0)
        self.files_label = text(_("Every progress file imported on this computer, newest first."), muted=True)
        layout.addWidget(self.files_label)
        self.files = _table(_("Imported files"), [
            # TRANSLATORS: column header: the day the file was imported on this computer.
            _("Imported on"), _("File"), _("Office"),
            # TRANSLATORS: column header: the day the file was written on the learners' computer.
            _("Made on"), _("Statements"), _("Added")], 1)
        self.files.setSortingEnabled(True)
        self.files.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        layout.addWidget(self.files, 1)
        return page

    def _export_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.addWidget(text(_("Write statements as an xAPI 1.0.3 JSON file that a learning record store (LRS) "
                                "accepts: the progress collected from the offices, and the learners of this "
                                "computer if you wish."), muted=True))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.course = QComboBox()
        self.course.setAccessibleName(_("Course to export"))
        self.course.addItem(_("All courses"), None)
        for course in self.window.services.catalogue.courses:
            self.course.addItem(course.title, course.id)
        form.addRow(_("Course:"), self.course)
        since_row = QHBoxLayout()
        self.since_on = QCheckBox(_("Only statements made on or after this day (UTC):"))
        self.since_on.setAccessibleName(self.since_on.text())
        self.since = QDateEdit()
        self.since.setCalendarPopup(True)
        self.since.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # an ISO date reads left to right,
        self.since.setLocale(QLocale.c())  # in Latin digits, as formatting.py writes numbers in every locale
        # After setLocale, which resets it. A left-to-right mark first: Qt lays a date of digits and dashes
        # out right to left in an Arabic window otherwise.
        self.since.setDisplayFormat("\u200eyyyy-MM-dd")
        self.since.setDate(QDate.currentDate().addMonths(-1))
        self.since.setAccessibleName(_("First day of the statements to export"))
        for inner in self.since.findChildren(QLineEdit):
            inner.setAccessibleName(_("First day of the statements to export"))
        self.since.setEnabled(False)
        self.since_on.toggled.connect(self.since.setEnabled)
        since_row.addWidget(self.since_on)
        since_row.addWidget(self.since)
        since_row.addStretch(1)
        form.addRow(since_row)
        self.include_own = QCheckBox(_("Include the learners of this computer"))
        self.include_own.setAccessibleName(self.include_own.text())
        self.include_own.setChecked(True)
        form.addRow(self.include_own)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.export_button = button(_("Export as xAPI…"), lambda _checked=False: self.export_xapi())
        row.addWidget(self.export_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.export_result = QLabel("")
        self.export_result.setWordWrap(True)
        self.export_result.setTextFormat(Qt.TextFormat.PlainText)
        self.export_result.hide()
        layout.addWidget(self.export_result)
        self.export_error = message_label()
        layout.addWidget(self.export_error)
        layout.addStretch(1)
        return page

    def focus_first(self) -> None:
        self.import_button.setFocus()

    # -- running work ------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.task is not None

    def _run(self, fn: Callable, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None],
             label: str, on_cancel: Callable[[], None] | None = None, determinate: bool = True):
        def alive(callback):
            return lambda *args: callback(*args) if self._alive else None

        def ended() -> None:
            if self._alive and self.task is task:
                self.task = None
                self._set_busy(False)

        task = self.window.runner.submit(fn, on_done=alive(on_done), on_error=alive(on_error),
                                         on_cancel=alive(on_cancel or (lambda: None)), label=label)
        self.task = task
        task.progressed.connect(alive(self._progressed))
        task.ended.connect(ended)
        self.progress.setRange(0, 1000 if determinate else 0)
        self.progress.setValue(0)
        self.progress_label.setText(label)
        self._set_busy(True)
        return task

    def _progressed(self, share: float, message: str) -> None:
        if self.progress.maximum():
            self.progress.setValue(int(share * 1000))
        if message:
            self.progress_label.setText(message)

    def _set_busy(self, busy: bool) -> None:
        had_focus = self.cancel_button.hasFocus()
        self.import_button.setEnabled(not busy)
        self.export_button.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)
        if busy:
            self.cancel_button.setFocus()  # Space cancels, for a keyboard user
        else:
            self.progress_label.setText("")
            if had_focus or self.focusWidget() is None:
                self.import_button.setFocus()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(_("Stopping…"))

    def leaving(self) -> None:
        """The window is replacing this screen: stop the running work (files done stay imported)."""
        self._alive = False
        if self.task is not None:
            self.task.cancel()

    # -- what was collected ------------------------------------------------------------------------
    def load_summary(self) -> None:
        """Read the collected learners and files off the GUI thread (there may be many statements)."""
        from app.core.collect.summary import collected_summary

        database, principal = self.database, self.window.principal
        self._generation += 1
        generation = self._generation

        def shown(summary) -> None:
            if generation == self._generation:
                self._show_summary(summary)

        def failed(error: BaseException) -> None:
            log.error("collected progress could not be read", exc_info=error)
            say(self.error, _("The collected progress could not be read: {error}").format(error=error))

        def alive(callback):
            return lambda *args: callback(*args) if self._alive else None

        self.window.runner.submit(lambda _state: collected_summary(database, principal), on_done=alive(shown),
                                  on_error=alive(failed), label=_("Reading the collected progress…"))

    def _show_summary(self, summary: CollectedSummary) -> None:
        self.summary = summary
        self.learners.setSortingEnabled(False)
        self.learners.clear()
        for learner in summary.learners:
            shown_day, stamp = _day(learner.last_activity)
            row = _row([(learner.name, learner.name.casefold()),
                        (ltr(learner.staff_number) if learner.staff_number else "", learner.staff_number or ""),
                        (office_label(learner.installation_id, learner.office), None),
                        (formatting.number(learner.statements), learner.statements), (shown_day, stamp)])
            row.setData(0, Qt.ItemDataRole.UserRole, learner.key)
            self.learners.addTopLevelItem(row)
        self.learners.setSortingEnabled(True)
        if summary.learners:
            learners = ngettext("{n} learner", "{n} learners", len(summary.learners)).format(
                n=formatting.number(len(summary.learners)))
            offices = ngettext("{n} office", "{n} offices", len(summary.offices)).format(
                n=formatting.number(len(summary.offices)))
            statements = ngettext("{n} statement", "{n} statements", summary.statements).format(
                n=formatting.number(summary.statements))
            # TRANSLATORS: e.g. "12 learners from 3 offices; 4,501 statements in all."
            message = _("{learners} from {offices}; {statements} in all.").format(
                learners=learners, offices=offices, statements=statements)
        else:
            message = _("Nothing has been collected yet. Import the progress files learners bring from their "
                        "offices.")
        self.learners_label.setText(message)
        self.learners_label.setAccessibleName(message)

        self.files.setSortingEnabled(False)
        self.files.clear()
        for entry in summary.files:
            imported, imported_key = _day(entry.imported_at)
            made, made_key = _day(entry.created_at)
            name = entry.file_name or entry.bundle_id
            self.files.addTopLevelItem(_row([
                (imported, imported_key), (ltr(name), name.casefold()),
                (office_label(entry.installation_id, entry.office), None), (made, made_key),
                (formatting.number(entry.statements), entry.statements),
                (formatting.number(entry.added), entry.added)]))
        self.files.setSortingEnabled(True)
        if not summary.files:
            self.files_label.setText(_("No progress file has been imported on this computer yet."))
        else:
            self.files_label.setText(_("Every progress file imported on this computer, newest first."))
        self.files_label.setAccessibleName(self.files_label.text())

    # -- importing ---------------------------------------------------------------------------------
    def choose_files(self, paths: Sequence[Path] | None = None) -> None:
        """"Import progress files…": the files picked in the dialog, or `paths` (tests)."""
        if self.busy:
            return
        if paths is None:
            home = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)
            chosen, _filter = QFileDialog.getOpenFileNames(
                self, _("Import progress files"), home,
                _("Progress files (*.zip *.json);;Progress bundles (*.zip);;xAPI statements (*.json);;All files (*)"))
            if not chosen:
                return
            paths = [Path(p) for p in chosen]
        self.import_files(paths)

    def import_files(self, paths: Sequence[Path]) -> None:
        from app.core.collect.summary import collected_summary, import_files

        if self.busy or not paths:
            return
        say(self.error, "")
        database, principal, paths = self.database, self.window.principal, [Path(p) for p in paths]
        try:
            require(principal, TRAINER)
        except NotAllowed as refusal:
            say(self.error, str(refusal))
            return
        self._generation += 1  # a summary still being read is older than this import

        def work(state):
            run = import_files(database, paths, principal, state)
            return run, collected_summary(database, principal)

        def failed(error: BaseException) -> None:
            if isinstance(error, NotAllowed):
                say(self.error, str(error))
            else:
                log.error("import of progress files failed", exc_info=error)
                say(self.error, _("The import stopped: {error}. The files imported before it stay imported; "
                                  "try the others again.").format(error=error))
            self.load_summary()

        label = ngettext("Importing {n} progress file…", "Importing {n} progress files…", len(paths)).format(
            n=formatting.number(len(paths)))
        self._run(work, self._imported, failed, label)

    def _imported(self, outcome: tuple[ImportRun, CollectedSummary]) -> None:
        run, summary = outcome
        self.last_run = run
        self._show_results(run)
        self._show_summary(summary)
        self.tabs.setCurrentIndex(0)

    def _show_results(self, run: ImportRun) -> None:
        self.results.clear()
        for result in run.results:
            self._result_row(result)
        for path in run.not_imported:
            row = _row([(ltr(path.name), None), ("", None), ("", None), ("", None), ("", None), ("", None),
                        (_("Not imported: the import was cancelled"), None)])
            row.setData(0, Qt.ItemDataRole.UserRole, str(path))
            row.setData(0, DETAILS, _("{file} was not imported: the import was cancelled before it. Import it "
                                      "again when you are ready.").format(file=formatting.isolated(str(path))))
            row.setToolTip(0, str(path))
            self.results.addTopLevelItem(row)
        self.results_empty.hide()
        self.results.show()
        metrics = self.results.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.results.topLevelItem(n).text(0))
                      for n in range(self.results.topLevelItemCount())), default=0)
        self.results.setColumnWidth(0, max(140, min(widest + 48, 340)))
        message = self._summary_sentence(run)
        self.summary_label.setText(message)
        self.summary_label.setAccessibleName(message)
        self.summary_label.show()
        first = self.results.topLevelItem(0)
        if first is not None:
            self.results.setCurrentItem(first)

    def _result_row(self, result: FileImport) -> None:
        number = formatting.number
        if not result.read:
            row = _row([(ltr(result.path.name), None), ("", None), ("", None), ("", None), ("", None), ("", None),
                        (_("Refused: nothing was imported"), None)])
            row.setForeground(6, Qt.GlobalColor.darkRed)
            self.results.addTopLevelItem(row)
            reason = _row([(self._refusal(result), None)], row)
            row.setData(0, DETAILS, self._refusal(result, full=True))
            reason.setFirstColumnSpanned(True)
            row.setExpanded(True)
        else:
            if result.kind == "xapi":
                office = office_label("xapi", None)
            else:
                office = office_label(result.installation_id or "", result.installation_name)
            if result.added == 0 and result.already_present and not result.rejected:
                status = _("Already imported: nothing new")
            elif result.rejected:
                status = ngettext("Imported; {n} statement rejected (open the row to see why)",
                                  "Imported; {n} statements rejected (open the row to see why)",
                                  len(result.rejected)).format(n=number(len(result.rejected)))
            else:
                status = _("Imported")
            row = _row([(ltr(result.path.name), None), (office, None), (number(result.learners), result.learners),
                        (number(result.added), result.added), (number(result.already_present), result.already_present),
                        (number(len(result.rejected)), len(result.rejected)), (status, None)])
            row.setData(0, DETAILS, "\n".join([formatting.isolated(str(result.path)), _(
                "{file}: {added} added, {present} already present, {rejected} rejected.").format(
                file=formatting.isolated(result.path.name), added=number(result.added),
                present=number(result.already_present), rejected=number(len(result.rejected)))]))
            self.results.addTopLevelItem(row)
            for rejection in result.rejected[:SHOWN_REJECTIONS]:
                child = _row([(self._rejection(result, rejection), None)], row)
                child.setFirstColumnSpanned(True)
            hidden = len(result.rejected) - SHOWN_REJECTIONS
            if hidden > 0:
                more = _row([(ngettext("… and {n} more rejected statement.", "… and {n} more rejected statements.",
                                       hidden).format(n=number(hidden)), None)], row)
                more.setFirstColumnSpanned(True)
        row.setData(0, Qt.ItemDataRole.UserRole, str(result.path))
        row.setToolTip(0, str(result.path))

    @staticmethod
    def _refusal(result: FileImport, full: bool = False) -> str:
        return _("{file} {reason} Nothing was imported from this file.").format(
            file=formatting.isolated(str(result.path) if full else result.path.name), reason=result.refused)

    @staticmethod
    def _rejection(result: FileImport, rejection) -> str:
        from app.core.collect.bundle_file import STATEMENTS

        where = formatting.isolated(STATEMENTS if result.kind == "bundle" else result.path.name)
        return _("Line {line} of {file}: {reason}").format(line=rejection.line, file=where, reason=rejection.reason)

    @staticmethod
    def _summary_sentence(run: ImportRun) -> str:
        number = formatting.number
        imported, refused = len(run.imported), len(run.refused)
        added = sum(r.added for r in run.imported)
        present = sum(r.already_present for r in run.imported)
        rejected = sum(len(r.rejected) for r in run.imported)
        files = ngettext("{n} file imported", "{n} files imported", imported).format(n=number(imported))
        if refused:
            # TRANSLATORS: e.g. "38 files imported, 2 refused" (files refused whole).
            files = _("{imported}, {refused}").format(imported=files, refused=ngettext(
                "{n} refused", "{n} refused", refused).format(n=number(refused)))
        statements = ngettext("{n} statement added", "{n} statements added", added).format(n=number(added))
        # TRANSLATORS: e.g. "38 files imported, 2 refused; 12,345 statements added."
        sentences = [_("{files}; {statements}.").format(files=files, statements=statements)]
        if present:
            sentences.append(ngettext("{n} statement was already present.", "{n} statements were already present.",
                                      present).format(n=number(present)))
        if rejected:
            sentences.append(ngettext("{n} statement was rejected.", "{n} statements were rejected.",
                                      rejected).format(n=number(rejected)))
        if run.cancelled and run.not_imported:
            names = ", ".join(formatting.isolated(p.name) for p in run.not_imported[:SHOWN_NAMES])
            if len(run.not_imported) > SHOWN_NAMES:
                names = _("{names} and {n} more").format(names=names,
                                                          n=number(len(run.not_imported) - SHOWN_NAMES))
            sentences.append(ngettext("Cancelled: {n} file was not imported ({names}); import it again when you "
                                      "are ready.",
                                      "Cancelled: {n} files were not imported ({names}); import them again when you "
                                      "are ready.", len(run.not_imported)).format(n=number(len(run.not_imported)),
                                                                                   names=names))
        return " ".join(sentences)

    def _show_details(self, item: QTreeWidgetItem | None) -> None:
        """The full text of the selected row, wrapped: a refusal, a rejected line, or the file's result."""
        if item is None:
            self.details.hide()
            return
        if item.parent() is not None:
            message = item.text(0)
        else:
            message = item.data(0, DETAILS) or ""
        self.details.setText(message)
        self.details.setAccessibleName(message)
        self.details.show()

    # -- drag and drop -----------------------------------------------------------------------------
    @staticmethod
    def dropped_files(mime) -> list[Path]:
        """The files of a drop: files as they are, folders as the .zip and .json files they hold."""
        found: list[Path] = []
        for url in mime.urls() if mime.hasUrls() else []:
            if not url.isLocalFile():
                continue
            path = Path(url.toLocalFile())
            if path.is_dir():
                found.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in PROGRESS_FILES))
            else:
                found.append(path)
        return found

    def dragEnterEvent(self, event) -> None:
        if not self.busy and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = self.dropped_files(event.mimeData())
        if self.busy or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_files(paths)

    # -- xAPI export -------------------------------------------------------------------------------
    def export_xapi(self, path: Path | None = None) -> None:
        """"Export as xAPI…": the selection on the form, written to the file picked, or `path` (tests)."""
        from app.core.collect.xapi import XapiSelection, export_xapi
        from app.core.tasks import Cancelled

        if self.busy:
            return
        say(self.export_error, "")
        self.export_result.hide()
        if path is None:
            home = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)
            suggested = f"xapi-{self.course.currentData() or 'all'}-{dt.date.today().isoformat()}.json"
            chosen, _filter = QFileDialog.getSaveFileName(self, _("Export as xAPI"), str(Path(home) / suggested),
                                                          _("xAPI statements (*.json)"))
            if not chosen:
                return
            path = Path(chosen)
        out = Path(path)
        try:
            require(self.window.principal, TRAINER)
        except NotAllowed as refusal:
            say(self.export_error, str(refusal))
            return
        since = self.since.date().toPython().isoformat() if self.since_on.isChecked() else None
        selection = XapiSelection(own=self.include_own.isChecked(), course_id=self.course.currentData(), since=since)
        database = self.database

        def work(state) -> int:
            state.set_progress(0, 1, _("Writing {file}…").format(file=out.name))
            # Written beside the target first: a cancel leaves the old file, if any, as it was.
            partial = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.part")
            try:
                count = export_xapi(database, partial, selection, state)  # counts, then reports every 2,000
                if state.cancel_requested:
                    raise Cancelled()
                os.replace(partial, out)
            finally:
                partial.unlink(missing_ok=True)
            state.set_progress(1, 1)
            return count

        def done(count: int) -> None:
            where = formatting.isolated(str(out))
            if count:
                message = ngettext("{n} statement was written to {path}.", "{n} statements were written to {path}.",
                                   count).format(n=formatting.number(count), path=where)
            else:
                message = _("No statement matches this selection: {path} holds an empty list.").format(path=where)
            self.export_result.setText(message)
            self.export_result.setAccessibleName(message)
            self.export_result.show()

        def failed(error: BaseException) -> None:
            if isinstance(error, OSError):
                say(self.export_error, _("The xAPI file could not be written: {path}: {error}").format(
                    path=formatting.isolated(str(out)), error=error.strerror or error))
            elif isinstance(error, NotAllowed):
                say(self.export_error, str(error))
            else:
                log.error("xAPI export failed", exc_info=error)
                say(self.export_error, _("The xAPI export stopped: {error}").format(error=error))

        def cancelled() -> None:
            say(self.export_error, _("The export was cancelled; no file was written."))

        self._run(work, done, failed, _("Exporting statements as xAPI…"), on_cancel=cancelled)
