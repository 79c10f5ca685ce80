"""My progress and assignments: the learner's own page, reached from "My courses".

- the staff number on the learner's profile, by which a trainer matches their progress and assignments;
- the assignments a trainer handed over in a file (app/core/cohorts/assignment_file.py), with due dates
  and what is overdue; a click opens the course;
- "Export my progress": a bundle for the trainer (app/core/collect/export.py), what is new since the last
  export or everything, on the task runner with progress and Cancel; the core moves the watermark only
  once the file is completely written;
- a printable record of completion for each completed course, clearly not a signed certificate.

Every method that asks for a file takes it as an optional `path`, so tests bypass the file dialogs. Nothing
here is kept only in the widgets: a rebuild (language, text size) reads it all again.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QHBoxLayout, QHeaderView, QLineEdit, QProgressBar, QStyle,
                               QTreeWidget, QTreeWidgetItem)

from app.core import formatting
from app.core.i18n import _, current_locale, ngettext
from app.ui.screens.page import Page
from app.ui.screens.sign_in import message_label, say
from app.ui.widgets import button, card, heading, marked, text

if TYPE_CHECKING:
    from app.core.collect.export import BundleExport
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

OVERDUE_COLOUR = "#a3261b"
DONE_COLOUR = "#1e6b2c"


def _home() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation))


def _with_isolated_path(message: str, path: Path) -> str:
    """A core message that starts with the file's path: keep the path left to right in Arabic."""
    shown = str(path)
    return formatting.isolated(shown) + message[len(shown):] if message.startswith(shown) else message


class MyLearningScreen(Page):
    def __init__(self, window: MainWindow, parent=None):
        super().__init__(parent)
        from app.core.collect.export import installation_name
        from app.core.my_learning import own_completions, staff_number

        assert window.services is not None and window.learning is not None
        self.window = window
        self.record = window.services.record
        self.database = window.services.database
        self.learner = window.learning.learner
        self.today = dt.date.today()
        self.task = None  # the running export, import or printing
        self._loading: Path | None = None  # the assignments file being loaded
        self.body.addWidget(heading(_("My progress and assignments")))
        self.body.addWidget(text(_("Your staff number, the courses your trainer assigned to you, your progress to "
                                   "take to your trainer, and records of the courses you completed."), muted=True))
        self.body.addWidget(self._staff_card(staff_number(self.record, self.learner.id)))
        self.body.addWidget(self._assignments_card())
        self.body.addWidget(self._export_card(installation_name(self.record) or ""))
        courses = window.services.catalogue.courses
        self.completions = {completion.course_id: (completion, progress) for completion, progress in own_completions(
            self.record, self.learner, courses, current_locale(), staff_number(self.record, self.learner.id))}
        self.body.addWidget(self._records_card())
        self.body.addStretch(1)
        self.refresh_assignments()

    # -- staff number ----------------------------------------------------------------------------
    def _staff_card(self, number: str | None):
        box, layout = card()
        layout.addWidget(heading(_("Staff number"), 2))
        layout.addWidget(text(_("Your trainer finds your progress and your assignments by the staff number your "
                                "employer gave you. Type it exactly as it is on your staff list."), muted=True))
        row = QHBoxLayout()
        self.staff = QLineEdit(number or "")
        self.staff.setMaxLength(200)  # longer than any staff number: the core says what is wrong, not the field
        self.staff.setAccessibleName(_("Your staff number"))
        self.staff.setPlaceholderText(_("for example S-1001"))
        self.staff.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a code, read left to right everywhere
        self.staff.returnPressed.connect(lambda: self.save_staff_number())
        self.staff.textEdited.connect(lambda _text: (say(self.staff_error, ""), say(self.staff_saved, "")))
        self.staff.setMaximumWidth(420)  # a number, not a paragraph
        row.addWidget(self.staff, 1)
        self.save_staff = button(_("Save my staff number"), lambda _checked=False: self.save_staff_number())
        row.addWidget(self.save_staff)
        row.addStretch(1)
        layout.addLayout(row)
        self.staff_error = message_label()
        layout.addWidget(self.staff_error)
        self.staff_saved = text("")
        self.staff_saved.setStyleSheet(f"color: {DONE_COLOUR}; font-weight: 600;")
        self.staff_saved.hide()
        layout.addWidget(self.staff_saved)
        return box

    def save_staff_number(self) -> None:
        from app.core.cohorts.assignment_file import set_staff_number
        from app.core.cohorts.store import CohortError

        try:
            stored = set_staff_number(self.record, self.learner.id, self.staff.text())
        except CohortError as err:
            say(self.staff_saved, "")
            say(self.staff_error, _("Not saved: {problem}").format(problem=err))
            self.staff.setFocus()
            return
        self.staff.setText(stored or "")
        say(self.staff_error, "")
        say(self.staff_saved, _("Your staff number {number} is saved.").format(number=formatting.isolated(stored))
            if stored else _("Your staff number is removed. Assignments can no longer be matched to you."))
        self.refresh_assignments()

    # -- assignments -----------------------------------------------------------------------------
    def _assignments_card(self):
        box, layout = card()
        layout.addWidget(heading(_("My assignments"), 2))
        layout.addWidget(text(_("Your trainer may give you an assignments file (.json), for example on a USB stick. "
                                "Load it to see which courses you are expected to complete, and by when."),
                              muted=True))
        self.load_button = button(_("Load an assignments file…"), lambda _checked=False: self.load_assignments(),
                                  accessible=_("Load an assignments file from your trainer"))
        layout.addWidget(self.load_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.assignments_error = message_label()
        layout.addWidget(self.assignments_error)
        self.assignments_message = text("")
        self.assignments_message.setStyleSheet("font-weight: 600;")
        self.assignments_message.hide()
        layout.addWidget(self.assignments_message)
        self.no_staff = text(_("Assignments are matched to you by your staff number, and your profile has none yet. "
                               "Type it in the Staff number field above and save it."))
        layout.addWidget(self.no_staff)
        self.go_to_staff = button(_("Type my staff number"), lambda _checked=False: self._focus_staff())
        layout.addWidget(self.go_to_staff, 0, Qt.AlignmentFlag.AlignLeading)
        self.none_yet = text(_("You have no assignments yet."), muted=True)
        layout.addWidget(self.none_yet)
        self.assignment_list = QTreeWidget()
        self.assignment_list.setAccessibleName(_("My assignments"))
        self.assignment_list.setAccessibleDescription(_("Press Enter or click an assignment to open its course."))
        self.assignment_list.setRootIsDecorated(False)
        self.assignment_list.setUniformRowHeights(True)
        self.assignment_list.setHeaderLabels([_("Course"), _("Due date"), _("Status")])
        self.assignment_list.header().setAccessibleName(_("Columns of the assignments list"))
        self.assignment_list.header().setStretchLastSection(False)
        self.assignment_list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.assignment_list.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.assignment_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.assignment_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.assignment_list.itemClicked.connect(lambda item, _column: self.open_assignment(item))
        self.assignment_list.itemActivated.connect(lambda item, _column: self.open_assignment(item))
        layout.addWidget(self.assignment_list)
        return box

    def _focus_staff(self) -> None:
        self.staff.setFocus()
        self.staff.selectAll()

    def refresh_assignments(self) -> list:
        """Read the learner's assignments again and list them; returns them."""
        from app.core.cohorts.assignment_file import assignments_for
        from app.core.my_learning import staff_number

        has_number = bool(staff_number(self.record, self.learner.id))
        mine = assignments_for(self.record, self.learner.id, self.today) if has_number else []
        self.no_staff.setVisible(not has_number)
        self.go_to_staff.setVisible(not has_number)
        self.none_yet.setVisible(has_number and not mine)
        self.assignment_list.clear()
        for assignment in mine:
            self.assignment_list.addTopLevelItem(self._assignment_item(assignment))
        self.assignment_list.setVisible(bool(mine))
        if mine:  # as tall as its rows: the page scrolls, not the list
            rows = self.assignment_list.sizeHintForRow(0) * len(mine)
            self.assignment_list.setFixedHeight(rows + self.assignment_list.header().sizeHint().height()
                                                + 2 * self.assignment_list.frameWidth() + 4)
        return mine

    def _assignment_item(self, assignment) -> QTreeWidgetItem:
        from app.core.my_learning import DONE, DUE, NO_DATE, OVERDUE, TODAY, due_status

        course = self.window.services.catalogue.course(assignment.course_id)
        # TRANSLATORS: an assigned course that this computer does not have; {id} is the course's id.
        title = marked(course.title) if course else _("{id} (not installed on this computer)").format(
            id=formatting.isolated(assignment.course_id))
        status = due_status(assignment, self.today)
        words = {DONE: _("Done"), TODAY: _("Due today"), NO_DATE: _("No due date"),
                 OVERDUE: ngettext("Overdue by {n} day", "Overdue by {n} days", status.days).format(
                     n=formatting.number(status.days)),
                 DUE: ngettext("Due in {n} day", "Due in {n} days", status.days).format(
                     n=formatting.number(status.days))}
        due = formatting.date(assignment.due) if assignment.due else "—"
        item = QTreeWidgetItem([title, due, words[status.kind]])
        item.setData(0, Qt.ItemDataRole.UserRole, assignment.course_id)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, title)
        where = _("Assigned in the cohort {cohort}.").format(cohort=assignment.cohort)
        for column in range(3):
            item.setToolTip(column, where)
        style = self.style()
        if status.kind == OVERDUE:  # a warning sign and bold words, not colour alone
            item.setIcon(2, style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning, None, self))
            bold = QFont(self.assignment_list.font())
            bold.setBold(True)
            for column in range(3):
                item.setFont(column, bold)
            item.setForeground(2, QBrush(QColor(OVERDUE_COLOUR)))
        elif status.kind == DONE:
            item.setIcon(2, style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton, None, self))
            item.setForeground(2, QBrush(QColor(DONE_COLOUR)))
        return item

    def open_assignment(self, item: QTreeWidgetItem) -> None:
        course_id = item.data(0, Qt.ItemDataRole.UserRole)
        if self.window.services.catalogue.course(course_id) is None:
            say(self.assignments_error, _("The course {id} is not installed on this computer. Ask your trainer for "
                                          "its course package, then install it from My courses.").format(
                id=formatting.isolated(course_id)))
            return
        self.window.show_outline(course_id)

    def load_assignments(self, path: Path | None = None) -> None:
        from app.core.cohorts.assignment_file import import_assignments

        if self.task is not None:
            return
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(self, _("Load an assignments file"), str(_home()),
                                                          _("Assignments files (*.json)"))
            if not chosen:
                return
            path = Path(chosen)
        say(self.assignments_error, "")
        say(self.assignments_message, "")
        database = self.database
        self._loading = path
        # Bound methods, not lambdas: Qt drops them with the screen if the learner has left meanwhile.
        self._start(lambda _state: import_assignments(database, path), self._assignments_loaded,
                    self._assignments_refused, _("Loading the assignments…"))

    def _assignments_loaded(self, received) -> None:
        self._stop()
        mine = self.refresh_assignments()
        if received.status == "unchanged":
            first = _("This assignments file of {cohort} was already loaded; nothing changed.")
        elif received.status == "replaced":
            first = _("The assignments of {cohort} are updated from this newer file.")
        else:
            first = _("The assignments file of {cohort} is loaded.")
        parts = [first.format(cohort=received.cohort)]
        if self.no_staff.isVisible():
            parts.append(_("Save your staff number to see which of them are yours."))
        elif mine:
            parts.append(ngettext("You have {n} assignment.", "You have {n} assignments.", len(mine)).format(
                n=formatting.number(len(mine))))
        else:
            parts.append(_("None of its assignments is for your staff number. If you expected some, check your "
                           "staff number with your trainer."))
        say(self.assignments_message, " ".join(parts))

    def _assignments_refused(self, error: BaseException) -> None:
        from app.core.cohorts.assignment_file import AssignmentFileError

        self._stop()
        if isinstance(error, AssignmentFileError):
            reason = _with_isolated_path(str(error), self._loading)
        else:  # the database: say so here, the details go to the log
            log.error("assignments file not loaded", exc_info=error)
            reason = str(error)
        say(self.assignments_error, _("This file was not loaded, and nothing was changed. {reason}").format(
            reason=reason))

    # -- export my progress ------------------------------------------------------------------------
    def _export_card(self, office: str):
        box, layout = card()
        layout.addWidget(heading(_("Export my progress"), 2))
        layout.addWidget(text(_("Take your progress to your trainer: this writes one file (.zip), for example on a "
                                "USB stick, with what you did since your last export. Your trainer imports it on "
                                "their computer."), muted=True))
        office_label = text(_("Name of this office or computer (optional; your trainer sees it)"))
        layout.addWidget(office_label)
        self.office = QLineEdit(office)
        self.office.setMaxLength(100)
        self.office.setAccessibleName(_("Name of this office or computer"))
        office_label.setBuddy(self.office)
        layout.addWidget(self.office)
        self.everything = QCheckBox(_("Include everything, not only what is new"))
        self.everything.setAccessibleName(_("Include everything, not only what is new"))
        layout.addWidget(self.everything, 0, Qt.AlignmentFlag.AlignLeading)  # clickable where its words are
        layout.addWidget(text(_("Tick this if the last file you exported was lost or did not reach your trainer."),
                              muted=True))
        row = QHBoxLayout()
        self.export_button = button(_("Export my progress…"), lambda _checked=False: self.export_progress(),
                                    primary=True)
        row.addWidget(self.export_button)
        self.export_bar = QProgressBar()
        self.export_bar.setRange(0, 100)
        self.export_bar.setAccessibleName(_("Progress of the export"))
        self.export_bar.hide()
        row.addWidget(self.export_bar, 1)
        self.cancel_button = button(_("Cancel"), lambda _checked=False: self.cancel(),
                                    accessible=_("Cancel the export"))
        self.cancel_button.hide()
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.export_error = message_label()
        layout.addWidget(self.export_error)
        self.export_message = text("")
        self.export_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_message.hide()
        layout.addWidget(self.export_message)
        return box

    def export_progress(self, path: Path | None = None) -> None:
        from app.core.collect.export import export_bundle, installation_name, set_installation_name
        from app.core.my_learning import bundle_file_name

        if self.task is not None:
            return
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export my progress"), str(_home() / bundle_file_name(self.learner.name, self.today)),
                _("Progress files (*.zip)"))
            if not chosen:
                return
            path = Path(chosen)
        path = Path(path)
        if path.suffix.lower() != ".zip":
            path = path.with_name(path.name + ".zip")
        office = self.office.text().strip()
        if office != (installation_name(self.record) or ""):
            set_installation_name(self.record, office)
        say(self.export_error, "")
        say(self.export_message, "")
        record, learner_id, everything = self.record, self.learner.id, self.everything.isChecked()

        def run(state):
            state.raise_if_cancelled()
            return export_bundle(record, path, [learner_id], everything=everything, state=state)

        self._start(run, self._exported, self._export_failed, _("Exporting my progress…"),
                    on_cancel=self._export_cancelled, cancellable=True)

    def _exported(self, result: BundleExport) -> None:
        self._stop()
        if not result.written:
            say(self.export_message, _("Nothing new since your last export: no file was written. If the last file was "
                                       "lost, tick “Include everything, not only what is new” and export again."))
            return
        say(self.export_message, " ".join([
            ngettext("{n} statement of your progress was written to {path}.",
                     "{n} statements of your progress were written to {path}.", result.statements).format(
                n=formatting.number(result.statements), path=formatting.isolated(str(result.path))),
            _("Give this file to your trainer. Your next export will include only what is new since this one.")]))

    def _export_failed(self, error: BaseException) -> None:
        self._stop()
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            say(self.export_error, _("The file could not be written ({reason}). Nothing is marked as exported: "
                                     "check the USB stick or choose another place, and export again.").format(
                reason=reason))
        else:
            log.error("progress export failed", exc_info=error)
            say(self.export_error, _("The export failed: {error}. Nothing is marked as exported.").format(
                error=error))

    def _export_cancelled(self) -> None:
        self._stop()
        say(self.export_message, _("The export was cancelled. No file was written, and your next export will still "
                                   "include everything new."))

    # -- records of completion ------------------------------------------------------------------------
    def _records_card(self):
        box, layout = card()
        layout.addWidget(heading(_("Records of completion"), 2))
        notice = text(_("For each course you completed, you can print a record of completion (PDF). It is made on "
                        "this computer and is not a signed certificate: signed certificates, which anyone can "
                        "verify, are issued by your trainer."))
        notice.setStyleSheet("font-weight: 600;")
        layout.addWidget(notice)
        self.record_buttons: dict[str, object] = {}
        if not self.completions:
            layout.addWidget(text(_("When you complete a course, you can print a record of completion for it here."),
                                  muted=True))
        for course_id, (completion, progress) in self.completions.items():
            row = QHBoxLayout()
            course = self.window.services.catalogue.course(course_id)
            title = marked(course.title) if course else completion.course_title
            row.addWidget(text(_("{course}, completed on {date}").format(
                course=title, date=formatting.date(progress.completed_at))), 1)
            made = button(_("Print a record of completion…"), lambda _checked=False, c=course_id: self.print_record(c),
                          accessible=_("Print a record of completion: {course}").format(course=title))
            self.record_buttons[course_id] = made
            row.addWidget(made)
            layout.addLayout(row)
        self.record_error = message_label()
        layout.addWidget(self.record_error)
        self.record_message = text("")
        self.record_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.record_message.hide()
        layout.addWidget(self.record_message)
        return box

    def print_record(self, course_id: str, path: Path | None = None) -> None:
        from app.core.certificates.sheet import record_sheet
        from app.core.my_learning import record_file_name
        from app.ui.certificate_pdf import write_certificate

        if self.task is not None or course_id not in self.completions:
            return
        completion, _progress = self.completions[course_id]
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Print a record of completion"),
                str(_home() / record_file_name(course_id, self.learner.name)), _("PDF documents (*.pdf)"))
            if not chosen:
                return
            path = Path(chosen)
        path = Path(path)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        say(self.record_error, "")
        say(self.record_message, "")
        sheet = record_sheet(completion)
        self._start(lambda _state: write_certificate(path, sheet), self._record_written, self._record_failed,
                    _("Printing the record of completion…"))

    def _record_written(self, path: Path) -> None:
        self._stop()
        say(self.record_message, _("The record of completion is saved: {path}. Remember that it is not a signed "
                                   "certificate.").format(path=formatting.isolated(str(path))))

    def _record_failed(self, error: BaseException) -> None:
        self._stop()
        if not isinstance(error, OSError):
            log.error("record of completion not printed", exc_info=error)
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        say(self.record_error, _("The record of completion could not be saved ({reason}).").format(reason=reason))

    # -- running work ------------------------------------------------------------------------------
    def _start(self, fn, on_done, on_error, label: str, on_cancel=None, cancellable: bool = False) -> None:
        """One piece of work at a time, on the window's runner; the buttons that would start another wait."""
        self._set_busy(True, cancellable)
        self.task = self.window.runner.submit(fn, on_done=on_done, on_error=on_error,
                                              on_cancel=on_cancel or self._stop, label=label)
        if cancellable:
            self.task.progressed.connect(self._progressed)

    def _progressed(self, fraction: float, _message: str) -> None:
        self.export_bar.setValue(int(fraction * 100))

    def _stop(self) -> None:
        self.task = None
        self._set_busy(False)

    def _set_busy(self, busy: bool, cancellable: bool = False) -> None:
        for control in (self.load_button, self.export_button, *self.record_buttons.values()):
            control.setEnabled(not busy)
        self.export_bar.setValue(0)
        self.export_bar.setVisible(busy and cancellable)
        self.cancel_button.setVisible(busy and cancellable)
        self.cancel_button.setEnabled(True)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)  # until the runner says it stopped

    @property
    def busy(self) -> bool:
        return self.task is not None

    def leaving(self) -> None:
        """The window is showing another screen: stop the running work (an export leaves no file)."""
        if self.task is not None:
            self.task.cancel()

    def focus_first(self) -> None:
        # No staff number yet: that is the first thing to do here; otherwise, taking progress to the trainer.
        (self.export_button if self.staff.text() else self.staff).setFocus()
