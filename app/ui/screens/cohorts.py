"""Trainer tools → Cohorts: a trainer's cohorts, their groups (offices) and members, a staff list imported
from HR (all rows or none, every bad row named), courses assigned with due dates, and the small file that
carries the assignments to learners' PCs on a USB stick.

Every change goes through app.core.cohorts with the signed-in principal, which refuses anyone below
trainer: the screen reads the cohorts before it is built, so a learner gets NotAllowed and no screen.
Reading a staff list (a big workbook) and writing the assignments file run on the window's task runner,
with progress and Cancel on the screen and the other actions disabled meanwhile.

Methods that would ask for a file or a confirmation take it as an optional argument, so tests (and
scripts) bypass the operating system's dialogs and drive everything else through the widgets.
"""

from __future__ import annotations

import datetime as dt
import logging
import weakref
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QDate, QLocale, QStandardPaths, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QFileDialog, QGridLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QProgressBar,
                               QTextBrowser, QTreeWidget, QTreeWidgetItem, QWidget)
from sqlalchemy.exc import SQLAlchemyError

from app.core import formatting
from app.core.accounts.roles import TRAINER, NotAllowed, require
from app.core.cohorts.assignment_file import ExportedAssignments, export_assignments
from app.core.cohorts.fields import DEPARTMENT_MAX, FIELDS, GROUP_MAX, NAME_MAX, STAFF_MAX
from app.core.cohorts.fields import label as field_label
from app.core.cohorts.staff_list import RowProblem, StaffListRefused, read_staff_list
from app.core.cohorts.store import Assignment, Cohort, CohortError, Cohorts, Group, Member, StaffImport
from app.core.i18n import _, locale_info, ngettext, shipped_locales
from app.ui.screens.page import Page
from app.ui.screens.sign_in import message_label, say
from app.ui.widgets import button, card, heading, marked, text

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.tasks import Task

log = logging.getLogger(__name__)

# What the trainer was looking at, kept across a rebuild (a language or text-size change) of the screen.
_REMEMBERED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

_REFUSALS = (CohortError, NotAllowed)


def _encoding_note(encoding: str | None) -> str:
    """How a CSV was read, in words, when it was not plain UTF-8 (a workbook has no encoding)."""
    if not encoding or encoding == "utf-8":
        return ""
    if encoding == "cp949":
        return _("The file was read as Korean Windows text (CP949), the way Korean Excel saves a CSV file. "
                 "Check that the names below look right.")
    if encoding == "cp1252":
        return _("The file was read as Western Windows text (Windows-1252). If letters look wrong, save the "
                 "file again in Excel as \"CSV UTF-8\".")
    return _("The file was read as {encoding} text.").format(encoding=formatting.isolated(encoding.upper()))


def _ltr(code: str | None) -> str:
    """A staff number or a code, kept left to right in a right-to-left table ("1004-AB", not "AB-1004")."""
    return f"\u2066{code}\u2069" if code else ""


def _file_name(path: str | Path) -> str:
    return formatting.isolated(Path(path).name or str(path))


def _default_export_name(cohort_name: str) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in cohort_name).strip("-")
    while "--" in safe:
        safe = safe.replace("--", "-")
    return f"{safe or 'cohort'}-assignments.json"


def _home() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation))


def _tree(columns: list[str], accessible: str, minimum_height: int) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setAccessibleName(accessible)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setHeaderLabels(columns)
    tree.header().setAccessibleName(_("Columns of the list: {list}").format(list=accessible))
    tree.setMinimumHeight(minimum_height)
    return tree


class _TaskRow(QWidget):
    """Progress and Cancel for one long operation, next to the button that started it."""

    def __init__(self, accessible: str, cancel_label: str):
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setAccessibleName(accessible)
        self.cancel = button(cancel_label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel)
        self.hide()

    def follow(self, task: Task) -> None:
        self.bar.setValue(0)
        task.progressed.connect(lambda progress, _message: self.bar.setValue(int(progress * 100)))
        self.show()


class CohortsScreen(Page):
    MAX_WIDTH = 1100  # the members' table has five columns

    def __init__(self, window: MainWindow, parent=None):
        principal = require(window.principal, TRAINER)
        store = Cohorts(window.services.database)
        remembered = _REMEMBERED.get(window, {})
        show_archived = bool(remembered.get("archived"))
        listed = store.cohorts(principal, include_archived=show_archived)  # the core refuses a learner here
        super().__init__(parent)
        self.window = window
        self.principal = principal
        self.store = store
        self.task: Task | None = None
        self.gone = False
        self.cohort: Cohort | None = None
        self.groups: list[Group] = []
        self.members: list[Member] = []
        self.assignments: list[Assignment] = []
        self.body.addWidget(heading(_("Cohorts")))
        self.body.addWidget(text(_("A cohort is a class of learners you train together, for example one intake "
                                   "of civil servants. Groups inside it are usually their offices. Enrol people "
                                   "one by one or from a staff list, assign courses with due dates, then take "
                                   "the assignments to their PCs on a USB stick."), muted=True))
        self.body.addWidget(self._cohorts_card(show_archived))
        self.empty_hint = text(_("Create a cohort, or select one above, to see its groups, members and "
                                 "assignments."), muted=True)
        self.body.addWidget(self.empty_hint)
        self.details = QWidget()
        details = self.details_layout = QGridLayout(self.details)  # one column; a grid keeps cards full width
        details.setContentsMargins(0, 0, 0, 0)
        details.setVerticalSpacing(14)
        for index, box in enumerate((self._cohort_card(), self._groups_card(), self._members_card(),
                                     self._import_card(), self._assignments_card(), self._export_card())):
            details.addWidget(box, index, 0)
        self.body.addWidget(self.details)
        self.body.addStretch(1)
        self._fill_cohorts(listed, remembered.get("cohort"))

    # -- building ------------------------------------------------------------------------------------
    def _cohorts_card(self, show_archived: bool):
        box, layout = card()
        layout.addWidget(heading(_("Your cohorts"), 2))
        self.cohort_list = QListWidget()
        self.cohort_list.setAccessibleName(_("Cohorts"))
        self.cohort_list.setMinimumHeight(120)
        self.cohort_list.setMaximumHeight(200)
        self.cohort_list.currentItemChanged.connect(lambda *_args: self._cohort_picked())
        layout.addWidget(self.cohort_list)
        self.show_archived = QCheckBox(_("Show archived cohorts"))
        self.show_archived.setAccessibleName(_("Show archived cohorts"))
        self.show_archived.setChecked(show_archived)
        self.show_archived.toggled.connect(lambda _on: self._refresh_cohorts())
        layout.addWidget(self.show_archived)
        name_label = text(_("Name of a new cohort, for example \"Seoul, spring 2026\""))
        layout.addWidget(name_label)
        row = QHBoxLayout()
        self.new_name = QLineEdit()
        self.new_name.setMaxLength(NAME_MAX)
        self.new_name.setAccessibleName(_("Name of the new cohort"))
        self.new_name.returnPressed.connect(self.create_cohort)
        name_label.setBuddy(self.new_name)
        row.addWidget(self.new_name, 1)
        self.create_button = button(_("Create the cohort"), lambda _checked=False: self.create_cohort(),
                                    primary=True)
        row.addWidget(self.create_button)
        layout.addLayout(row)
        self.cohorts_error = message_label()
        layout.addWidget(self.cohorts_error)
        self.cohorts_status = _status_label()
        layout.addWidget(self.cohorts_status)
        return box

    def _cohort_card(self):
        box, layout = card()
        self.cohort_title = heading("", 2)
        layout.addWidget(self.cohort_title)
        self.archived_note = text(_("This cohort is archived: its members and assignments are kept for reports, "
                                    "but it cannot be changed. Restore it to change it."))
        self.archived_note.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.archived_note)
        rename_label = text(_("New name for this cohort"))
        layout.addWidget(rename_label)
        row = QHBoxLayout()
        self.rename_edit = QLineEdit()
        self.rename_edit.setMaxLength(NAME_MAX)
        self.rename_edit.setAccessibleName(_("New name for the selected cohort"))
        self.rename_edit.returnPressed.connect(self.rename_cohort)
        rename_label.setBuddy(self.rename_edit)
        row.addWidget(self.rename_edit, 1)
        # TRANSLATORS: a button next to the cohort's new name.
        self.rename_button = button(_("Rename"), lambda _checked=False: self.rename_cohort(),
                                    accessible=_("Rename the selected cohort"))
        row.addWidget(self.rename_button)
        self.archive_button = button(_("Archive the cohort"), lambda _checked=False: self.toggle_archived())
        row.addWidget(self.archive_button)
        layout.addLayout(row)
        self.cohort_error = message_label()
        layout.addWidget(self.cohort_error)
        return box

    def _groups_card(self):
        box, layout = card()
        layout.addWidget(heading(_("Groups"), 2))
        layout.addWidget(text(_("Groups divide a cohort, usually by office. A course can be assigned to one group "
                                "with its own due date."), muted=True))
        self.group_list = QListWidget()
        self.group_list.setAccessibleName(_("Groups of the cohort"))
        self.group_list.setMinimumHeight(90)
        self.group_list.setMaximumHeight(170)
        self.group_list.currentItemChanged.connect(lambda *_args: self._update_enabled())
        layout.addWidget(self.group_list)
        name_label = text(_("Group name"))
        layout.addWidget(name_label)
        row = QHBoxLayout()
        self.group_name = QLineEdit()
        self.group_name.setMaxLength(GROUP_MAX)
        self.group_name.setAccessibleName(_("Group name"))
        self.group_name.returnPressed.connect(self.add_group)
        name_label.setBuddy(self.group_name)
        row.addWidget(self.group_name, 1)
        self.add_group_button = button(_("Add the group"), lambda _checked=False: self.add_group())
        self.rename_group_button = button(_("Rename the selected group"), lambda _checked=False: self.rename_group())
        row.addWidget(self.add_group_button)
        row.addWidget(self.rename_group_button)
        layout.addLayout(row)
        self.groups_error = message_label()
        layout.addWidget(self.groups_error)
        return box

    def _members_card(self):
        box, layout = card()
        layout.addWidget(heading(_("Members"), 2))
        self.member_count = text("", muted=True)
        layout.addWidget(self.member_count)
        self.member_table = _tree([field_label(f) for f in FIELDS], _("Members of the cohort"), 220)
        for column in range(len(FIELDS)):
            self.member_table.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.member_table.header().setStretchLastSection(True)
        self.member_table.currentItemChanged.connect(lambda *_args: self._update_enabled())
        layout.addWidget(self.member_table)
        row = QHBoxLayout()
        self.remove_member_button = button(_("Remove the selected member…"),
                                           lambda _checked=False: self.remove_selected_member())
        row.addWidget(self.remove_member_button)
        row.addStretch(1)
        # TRANSLATORS: before a list of groups: move the selected member to this group.
        move_label = text(_("Move to"))
        row.addWidget(move_label)
        self.move_group = QComboBox()
        self.move_group.setAccessibleName(_("Group to move the selected member to"))
        move_label.setBuddy(self.move_group)
        row.addWidget(self.move_group)
        self.move_button = button(_("Move the member"), lambda _checked=False: self.move_selected_member(),
                                  accessible=_("Move the selected member to this group"))
        row.addWidget(self.move_button)
        layout.addLayout(row)

        layout.addWidget(heading(_("Add one person"), 3))
        form = QGridLayout()
        form.setHorizontalSpacing(10)
        self.member_name = self._line(NAME_MAX, _("Name of the new member"))
        self.member_staff = self._line(STAFF_MAX, _("Staff number of the new member"))
        self.member_staff.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a code, read left to right
        self.member_department = self._line(DEPARTMENT_MAX, _("Department of the new member"))
        self.member_language = QComboBox()
        self.member_language.setAccessibleName(_("Language of the new member"))
        # TRANSLATORS: the choice in the language list when the staff list or the trainer gives none.
        self.member_language.addItem(_("Not given"), None)
        for info in shipped_locales():
            self.member_language.addItem(info.name, info.code)
        self.member_group = QComboBox()
        self.member_group.setAccessibleName(_("Group of the new member"))
        hints = {"name": _("Name (required)"), "staff_number": _("Staff number (matches the learner's PC)")}
        controls = {"name": self.member_name, "staff_number": self.member_staff,
                    "department": self.member_department, "language": self.member_language,
                    "group": self.member_group}
        for index, field in enumerate(FIELDS):
            caption = text(hints.get(field, field_label(field)))
            caption.setBuddy(controls[field])
            form.addWidget(caption, (index // 2) * 2, index % 2)
            form.addWidget(controls[field], (index // 2) * 2 + 1, index % 2)
        form.setColumnStretch(0, 1)
        form.setColumnStretch(1, 1)
        layout.addLayout(form)
        self.add_member_button = button(_("Add the member"), lambda _checked=False: self.add_member(), primary=True)
        layout.addWidget(self.add_member_button, 0, Qt.AlignmentFlag.AlignRight)
        self.members_error = message_label()
        layout.addWidget(self.members_error)
        self.members_status = _status_label()
        layout.addWidget(self.members_status)
        return box

    def _line(self, limit: int, accessible: str) -> QLineEdit:
        line = QLineEdit()
        line.setMaxLength(limit)
        line.setAccessibleName(accessible)
        line.returnPressed.connect(self.add_member)
        return line

    def _import_card(self):
        box, layout = card()
        layout.addWidget(heading(_("Import a staff list"), 2))
        layout.addWidget(text(_("A staff list is a CSV file or an Excel workbook (.xlsx) with one person per row. "
                                "The first row names the columns, in any order: {columns}. Only the name is "
                                "required. A group column puts each person in that group, which is created if "
                                "it is new.").format(columns=", ".join(field_label(f) for f in FIELDS)),
                              muted=True))
        layout.addWidget(text(_("If any row has a problem, no one is imported: every problem is listed here with "
                                "its row, so you can correct the file and import it again."), muted=True))
        row = QHBoxLayout()
        self.import_button = button(_("Import a staff list…"), lambda _checked=False: self.import_staff_list(),
                                    accessible=_("Import a staff list into the selected cohort"))
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.import_task = _TaskRow(_("Progress of the staff list import"), _("Cancel the import"))
        self.import_task.cancel.clicked.connect(lambda _checked=False: self.cancel_task())
        layout.addWidget(self.import_task)
        self.import_result = _status_label()
        layout.addWidget(self.import_result)
        self.import_note = text("", muted=True)
        self.import_note.hide()
        layout.addWidget(self.import_note)
        self.import_error = message_label()
        layout.addWidget(self.import_error)
        self.problems = _problems_view()
        self.problem_rows: list[list[str]] = []  # what the view shows: row, column, what is wrong
        layout.addWidget(self.problems)
        return box

    def _assignments_card(self):
        box, layout = card()
        layout.addWidget(heading(_("Assigned courses"), 2))
        layout.addWidget(text(_("A course assigned to a group applies to that group's members, and its due date "
                                "wins over the one for the whole cohort."), muted=True))
        self.assignment_table = _tree([_("Course"), _("Assigned to"), _("Due date")], _("Assigned courses"), 120)
        for column in (1, 2):
            self.assignment_table.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.assignment_table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.assignment_table.header().setStretchLastSection(False)
        self.assignment_table.currentItemChanged.connect(lambda *_args: self._update_enabled())
        layout.addWidget(self.assignment_table)
        row = QHBoxLayout()
        self.unassign_button = button(_("Remove the selected assignment"),
                                      lambda _checked=False: self.unassign_selected())
        row.addWidget(self.unassign_button)
        row.addStretch(1)
        layout.addLayout(row)

        layout.addWidget(heading(_("Assign a course"), 3))
        form = QGridLayout()
        form.setHorizontalSpacing(10)
        self.course_choice = QComboBox()
        self.course_choice.setAccessibleName(_("Course to assign"))
        for course in sorted(self.window.services.catalogue.courses, key=lambda c: str(c.title).casefold()):
            self.course_choice.addItem(marked(course.title), course.id)
        self.target_choice = QComboBox()
        self.target_choice.setAccessibleName(_("Who the course is assigned to"))
        # TRANSLATORS: a check box before the date by which the course must be completed.
        self.has_due = QCheckBox(_("Due by"))
        self.has_due.setAccessibleName(_("The course has a due date"))
        self.has_due.setChecked(True)
        self.has_due.toggled.connect(lambda _on: self._update_enabled())
        self.due_date = QDateEdit()
        self.due_date.setCalendarPopup(True)
        self.due_date.setAccessibleName(_("Due date"))
        self.due_date.lineEdit().setAccessibleName(_("Due date"))
        self.due_date.setDisplayFormat(_short_date_format())
        self.due_date.setDate(QDate.currentDate().addDays(30))
        self.due_date.setMinimumDate(QDate(2000, 1, 1))
        course_label, target_label = text(_("Course")), text(_("Assigned to"))
        course_label.setBuddy(self.course_choice)
        target_label.setBuddy(self.target_choice)
        form.addWidget(course_label, 0, 0)
        form.addWidget(self.course_choice, 1, 0)
        form.addWidget(target_label, 0, 1)
        form.addWidget(self.target_choice, 1, 1)
        form.addWidget(self.has_due, 0, 2)
        form.addWidget(self.due_date, 1, 2)
        form.setColumnStretch(0, 3)
        form.setColumnStretch(1, 2)
        layout.addLayout(form)
        if not self.window.services.catalogue.courses:
            layout.addWidget(text(_("No courses are installed on this computer: install a course package first."),
                                  muted=True))
        self.no_due_hint = text(_("Untick \"Due by\" for a course with no due date."), muted=True)
        layout.addWidget(self.no_due_hint)
        self.assign_button = button(_("Assign the course"), lambda _checked=False: self.assign_course(),
                                    primary=True)
        layout.addWidget(self.assign_button, 0, Qt.AlignmentFlag.AlignRight)
        self.assignments_error = message_label()
        layout.addWidget(self.assignments_error)
        self.assignments_status = _status_label()
        layout.addWidget(self.assignments_status)
        return box

    def _export_card(self):
        box, layout = card()
        layout.addWidget(heading(_("Take the assignments to learners' PCs"), 2))
        layout.addWidget(text(_("Learners' PCs have no network, so the assignments travel in a small file. Export "
                                "it to a USB stick. On each learner's PC, in My courses, open \"My progress and "
                                "assignments\" and load the file: each learner then sees the courses assigned to "
                                "them, found by the staff number on their profile."), muted=True))
        row = QHBoxLayout()
        self.export_button = button(_("Export assignments for learners…"),
                                    lambda _checked=False: self.export_assignments(), primary=True)
        row.addWidget(self.export_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.export_task = _TaskRow(_("Progress of the export"), _("Cancel the export"))
        self.export_task.cancel.clicked.connect(lambda _checked=False: self.cancel_task())
        layout.addWidget(self.export_task)
        self.export_result = _status_label()
        layout.addWidget(self.export_result)
        self.export_error = message_label()
        layout.addWidget(self.export_error)
        return box

    # -- filling -------------------------------------------------------------------------------------
    def _call(self, action: Callable, *args, error_label: QLabel, **options):
        """One core operation; a refusal (or an unreadable database) is said in `error_label`. None then."""
        say(error_label, "")
        try:
            return action(self.principal, *args, **options)
        except _REFUSALS as err:
            say(error_label, str(err))
        except SQLAlchemyError as err:
            log.error("cohort operation failed", exc_info=err)
            say(error_label, _("The cohorts could not be read or saved: {error}").format(error=err))
        return None

    def _refresh_cohorts(self, select: str | None = None) -> None:
        listed = self._call(self.store.cohorts, error_label=self.cohorts_error,
                            include_archived=self.show_archived.isChecked())
        if listed is not None:
            self._fill_cohorts(listed, select or (self.cohort.id if self.cohort else None))

    def _fill_cohorts(self, listed: list[Cohort], select: str | None) -> None:
        self.cohort_list.blockSignals(True)
        self.cohort_list.clear()
        chosen = None
        for cohort in listed:
            shown = _("{name} (archived)").format(name=cohort.name) if cohort.archived else cohort.name
            item = QListWidgetItem(shown)
            item.setData(Qt.ItemDataRole.UserRole, cohort.id)
            self.cohort_list.addItem(item)
            if cohort.id == select:
                chosen = item
        chosen = chosen or self.cohort_list.item(0)  # the one asked for (or remembered), else the first
        if chosen is not None:
            self.cohort_list.setCurrentItem(chosen)
        self.cohort_list.blockSignals(False)
        self._cohort_picked()

    def _cohort_picked(self) -> None:
        item = self.cohort_list.currentItem()
        cohort_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        self.cohort = None
        if cohort_id:
            self.cohort = self._call(self.store.cohort, cohort_id, error_label=self.cohorts_error)
        self._remember()
        if self.cohort is None or self.cohort.id != getattr(self, "_shown_cohort", None):
            for label in (self.cohort_error, self.groups_error, self.members_error, self.members_status,
                          self.import_result, self.import_error, self.assignments_error, self.assignments_status,
                          self.export_result, self.export_error):
                say(label, "")
            self._clear_problems()
            self.rename_edit.setText(self.cohort.name if self.cohort else "")
        self._shown_cohort = self.cohort.id if self.cohort else None
        self._fill_details()

    def _remember(self) -> None:
        _REMEMBERED[self.window] = {"cohort": self.cohort.id if self.cohort else None,
                                    "archived": self.show_archived.isChecked()}

    def _fill_details(self) -> None:
        self.details.setVisible(self.cohort is not None)
        self.empty_hint.setVisible(self.cohort is None)
        if self.cohort is None:
            self.groups, self.members, self.assignments = [], [], []
            self._update_enabled()
            return
        cohort = self.cohort
        self.cohort_title.setText(_("Cohort: {name}").format(name=cohort.name))
        self.cohort_title.setAccessibleName(self.cohort_title.text())
        self.archived_note.setVisible(cohort.archived)
        self.archive_button.setText(_("Restore the cohort") if cohort.archived else _("Archive the cohort"))
        self.archive_button.setAccessibleName(self.archive_button.text())
        self.groups = self._call(self.store.groups, cohort.id, error_label=self.cohort_error) or []
        self.members = self._call(self.store.members, cohort.id, error_label=self.cohort_error) or []
        self.assignments = self._call(self.store.assignments, cohort.id, error_label=self.cohort_error) or []
        names = {g.id: g.name for g in self.groups}

        selected_group = self._selected(self.group_list)
        self.group_list.clear()
        for group in self.groups:
            count = sum(1 for m in self.members if m.group_id == group.id)
            item = QListWidgetItem(ngettext("{name} ({n} member)", "{name} ({n} members)", count).format(
                name=group.name, n=formatting.number(count)))
            item.setData(Qt.ItemDataRole.UserRole, group.id)
            self.group_list.addItem(item)
            if group.id == selected_group:
                self.group_list.setCurrentItem(item)
        for combo, none_label in ((self.move_group, _("No group")), (self.member_group, _("No group")),
                                  (self.target_choice, _("Everyone in the cohort"))):
            keep = combo.currentData()
            combo.clear()
            combo.addItem(none_label, None)
            for group in self.groups:
                combo.addItem(group.name, group.id)
            combo.setCurrentIndex(max(0, combo.findData(keep)) if keep else 0)

        selected_member = self._selected(self.member_table)
        self.member_table.clear()
        for member in self.members:
            language = locale_info(member.language).name if member.language else ""
            item = QTreeWidgetItem([member.name, _ltr(member.staff_number), member.department, language,
                                    names.get(member.group_id or "", "")])
            item.setData(0, Qt.ItemDataRole.UserRole, member.id)
            self.member_table.addTopLevelItem(item)
            if member.id == selected_member:
                self.member_table.setCurrentItem(item)
        count = len(self.members)
        without = sum(1 for m in self.members if not m.staff_key)
        summary = ngettext("{n} member.", "{n} members.", count).format(n=formatting.number(count))
        if without:
            summary += " " + ngettext(
                "{n} has no staff number: their PC cannot find their assignments.",
                "{n} have no staff number: their PCs cannot find their assignments.", without).format(
                n=formatting.number(without))
        self.member_count.setText(summary)
        self.member_count.setAccessibleName(summary)

        selected_assignment = self._selected(self.assignment_table)
        self.assignment_table.clear()
        for assignment in self.assignments:
            item = QTreeWidgetItem([self._course_title(assignment.course_id),
                                    names.get(assignment.group_id, "") if assignment.group_id
                                    else _("Everyone in the cohort"),
                                    formatting.date(assignment.due) if assignment.due else _("No due date")])
            item.setData(0, Qt.ItemDataRole.UserRole, assignment.id)
            self.assignment_table.addTopLevelItem(item)
            if assignment.id == selected_assignment:
                self.assignment_table.setCurrentItem(item)
        self._update_enabled()

    def _course_title(self, course_id: str) -> str:
        course = self.window.services.catalogue.course(course_id)
        if course is None:
            return _("{id} (not installed on this computer)").format(id=formatting.isolated(course_id))
        return marked(course.title)

    @staticmethod
    def _selected(view) -> str | None:
        item = view.currentItem()
        if item is None:
            return None
        return item.data(0, Qt.ItemDataRole.UserRole) if isinstance(item, QTreeWidgetItem) else \
            item.data(Qt.ItemDataRole.UserRole)

    def _update_enabled(self) -> None:
        busy = self.task is not None
        has = self.cohort is not None
        editable = has and not self.cohort.archived and not busy
        for control in (self.cohort_list, self.show_archived, self.new_name, self.create_button):
            control.setEnabled(not busy)
        for control in (self.rename_edit, self.rename_button, self.archive_button):
            control.setEnabled(has and not busy)
        for control in (self.group_name, self.add_group_button, self.member_name, self.member_staff,
                        self.member_department, self.member_language, self.member_group, self.add_member_button,
                        self.import_button, self.target_choice, self.has_due):
            control.setEnabled(editable)
        self.rename_group_button.setEnabled(editable and self.group_list.currentItem() is not None)
        member = editable and self.member_table.currentItem() is not None
        for control in (self.remove_member_button, self.move_group, self.move_button):
            control.setEnabled(member)
        self.course_choice.setEnabled(editable and self.course_choice.count() > 0)
        self.assign_button.setEnabled(editable and self.course_choice.count() > 0)
        self.due_date.setEnabled(editable and self.has_due.isChecked())
        self.unassign_button.setEnabled(editable and self.assignment_table.currentItem() is not None)
        self.export_button.setEnabled(has and not busy)

    # -- cohorts -------------------------------------------------------------------------------------
    def create_cohort(self) -> None:
        if self.task is not None:
            return
        cohort = self._call(self.store.create_cohort, self.new_name.text(), error_label=self.cohorts_error)
        if cohort is None:
            return
        self.new_name.clear()
        say(self.cohorts_status, _("The cohort '{name}' is created. Add its groups and members below.").format(
            name=cohort.name))
        self._refresh_cohorts(select=cohort.id)

    def rename_cohort(self) -> None:
        if self.cohort is None or self.task is not None:
            return
        old = self.cohort.name
        cohort = self._call(self.store.rename_cohort, self.cohort.id, self.rename_edit.text(),
                            error_label=self.cohort_error)
        if cohort is None:
            return
        say(self.cohorts_status, _("The cohort '{old}' is now called '{name}'.").format(old=old, name=cohort.name))
        self._refresh_cohorts(select=cohort.id)

    def toggle_archived(self) -> None:
        if self.cohort is None or self.task is not None:
            return
        archive = not self.cohort.archived
        cohort = self._call(self.store.archive_cohort, self.cohort.id, error_label=self.cohort_error,
                            archived=archive)
        if cohort is None:
            return
        if archive and not self.show_archived.isChecked():
            message = _("The cohort '{name}' is archived. Tick \"Show archived cohorts\" to see it again.")
        elif archive:
            message = _("The cohort '{name}' is archived.")
        else:
            message = _("The cohort '{name}' is restored: it can be changed again.")
        say(self.cohorts_status, message.format(name=cohort.name))
        self._refresh_cohorts(select=cohort.id)

    def select_cohort(self, name: str) -> None:
        """Select the cohort called `name` in the list (as a click on it would)."""
        for index in range(self.cohort_list.count()):
            item = self.cohort_list.item(index)
            if item.data(Qt.ItemDataRole.UserRole) and item.text() in (
                    name, _("{name} (archived)").format(name=name)):
                self.cohort_list.setCurrentItem(item)
                return
        raise LookupError(name)

    # -- groups --------------------------------------------------------------------------------------
    def add_group(self) -> None:
        if self.cohort is None or self.task is not None:
            return
        group = self._call(self.store.add_group, self.cohort.id, self.group_name.text(),
                           error_label=self.groups_error)
        if group is not None:
            self.group_name.clear()
            self._fill_details()
            self._select_item(self.group_list, group.id)

    def rename_group(self) -> None:
        group_id = self._selected(self.group_list)
        if group_id is None or self.task is not None:
            return
        group = self._call(self.store.rename_group, group_id, self.group_name.text(), error_label=self.groups_error)
        if group is not None:
            self.group_name.clear()
            self._fill_details()

    @staticmethod
    def _select_item(view, item_id: str) -> None:
        if isinstance(view, QTreeWidget):
            for index in range(view.topLevelItemCount()):
                if view.topLevelItem(index).data(0, Qt.ItemDataRole.UserRole) == item_id:
                    view.setCurrentItem(view.topLevelItem(index))
                    return
        else:
            for index in range(view.count()):
                if view.item(index).data(Qt.ItemDataRole.UserRole) == item_id:
                    view.setCurrentItem(view.item(index))
                    return

    # -- members -------------------------------------------------------------------------------------
    def add_member(self) -> None:
        if self.cohort is None or self.task is not None or not self.add_member_button.isEnabled():
            return
        say(self.members_status, "")
        member = self._call(self.store.add_member, self.cohort.id, self.member_name.text(),
                            staff_number=self.member_staff.text(), department=self.member_department.text(),
                            language=self.member_language.currentData(), group_id=self.member_group.currentData(),
                            error_label=self.members_error)
        if member is None:
            return
        for line in (self.member_name, self.member_staff, self.member_department):
            line.clear()
        say(self.members_status, _("{name} is added to the cohort.").format(name=member.name))
        self._fill_details()
        self._select_item(self.member_table, member.id)
        self.member_name.setFocus()

    def select_member(self, name: str) -> None:
        for index in range(self.member_table.topLevelItemCount()):
            item = self.member_table.topLevelItem(index)
            if item.text(0) == name:
                self.member_table.setCurrentItem(item)
                return
        raise LookupError(name)

    def _selected_member(self) -> Member | None:
        member_id = self._selected(self.member_table)
        return next((m for m in self.members if m.id == member_id), None)

    def remove_selected_member(self, confirmed: bool | None = None) -> None:
        """Remove the selected member after asking (`confirmed` answers for the question in tests)."""
        member = self._selected_member()
        if member is None or self.cohort is None or self.task is not None:
            return
        if confirmed is None:
            confirmed = self._confirm_removal(member)
        if not confirmed:
            return
        say(self.members_status, "")
        if self._call(self.store.remove_member, member.id, error_label=self.members_error) is None \
                and self.members_error.isVisible():
            return
        say(self.members_status, _("{name} is removed from the cohort. Their learning record is kept.").format(
            name=member.name))
        self._fill_details()

    def _confirm_removal(self, member: Member) -> bool:
        who = (_("{name} (staff number {number})").format(name=member.name,
                                                         number=formatting.isolated(member.staff_number))
               if member.staff_number else member.name)
        box = QMessageBox(QMessageBox.Icon.Question, _("Remove a member"),
                          _("Remove {who} from the cohort '{cohort}'? Their learning record and progress are kept; "
                            "only their place in this cohort and its assignments goes.").format(
                              who=who, cohort=self.cohort.name),
                          QMessageBox.StandardButton.NoButton, self)
        # TRANSLATORS: buttons of the question "Remove this person from the cohort?"
        remove = box.addButton(_("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        # TRANSLATORS: buttons of the question "Remove this person from the cohort?": keep them in it.
        keep = box.addButton(_("Keep"), QMessageBox.ButtonRole.RejectRole)
        remove.setAccessibleName(_("Remove {name} from the cohort").format(name=member.name))
        keep.setAccessibleName(_("Keep {name} in the cohort").format(name=member.name))
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is remove

    def move_selected_member(self) -> None:
        member = self._selected_member()
        if member is None or self.task is not None:
            return
        group_id = self.move_group.currentData()
        moved = self._call(self.store.set_member_group, member.id, group_id, error_label=self.members_error)
        if moved is None:
            return
        group = next((g.name for g in self.groups if g.id == group_id), None)
        say(self.members_status, _("{name} is now in the group {group}.").format(name=moved.name, group=group)
            if group else _("{name} is now in no group.").format(name=moved.name))
        self._fill_details()

    # -- staff list ----------------------------------------------------------------------------------
    def import_staff_list(self, path: Path | None = None) -> None:
        """Ask for a CSV or XLSX file (or take `path`) and enrol everyone on it, on the task runner."""
        if self.cohort is None or self.task is not None or self.cohort.archived:
            return
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, _("Import a staff list"), str(_home()),
                _("Staff lists (*.csv *.txt *.xlsx *.xlsm *.xls);;All files (*)"))
            if not chosen:
                return
            path = Path(chosen)
        cohort, principal, store = self.cohort, self.principal, self.store
        for label in (self.import_result, self.import_error, self.members_status, self.members_error):
            say(label, "")
        self._clear_problems()

        def work(state) -> StaffImport:
            state.set_progress(0.05, message=_("Reading the staff list…"))
            listing = read_staff_list(path, state.part(0.05, 0.7))  # a cancel while reading changes nothing
            state.raise_if_cancelled()  # read but not imported: nothing changes
            state.set_progress(0.7, message=_("Enrolling the staff…"))
            return store.import_staff_list(principal, cohort.id, listing)

        self._start(work, self.import_task, self.import_button, label=_("Importing a staff list…"),
                    on_done=self._imported,
                    on_error=self._import_failed,
                    on_cancel=lambda: say(self.import_result, _("The import was cancelled: no one was imported.")))

    def _imported(self, result: StaffImport) -> None:
        lines = [ngettext("{n} person was added to the cohort from {file}.",
                          "{n} people were added to the cohort from {file}.", result.added).format(
            n=formatting.number(result.added), file=_file_name(result.file))]
        if result.already:
            lines.append(ngettext("{n} person on the list was already in the cohort and is unchanged.",
                                  "{n} people on the list were already in the cohort and are unchanged.",
                                  result.already).format(n=formatting.number(result.already)))
        if result.groups_created:
            lines.append(_("New groups: {names}.").format(names=", ".join(result.groups_created)))
        say(self.import_result, "\n".join(lines))
        notes = [note for note in (_encoding_note(result.encoding),) if note]
        if result.ignored_columns:
            notes.append(_("These columns were not read, as their heading is not one of the known columns: "
                           "{names}.").format(names=", ".join(result.ignored_columns)))
        self._note("\n".join(notes))
        self._fill_details()

    def _import_failed(self, error: BaseException) -> None:
        if isinstance(error, StaffListRefused):
            self._show_problems(error)
            return
        say(self.import_error, self._failure(error, _("The staff list could not be imported: {error}")))

    def _show_problems(self, error: StaffListRefused) -> None:
        count = len(error.problems)
        whole_file = count == 1 and error.problems[0].row == 0
        if whole_file:
            message = _("Nothing was imported from {file}: {problem}").format(
                file=_file_name(error.file), problem=error.problems[0].message)
        else:
            message = ngettext(
                "Nothing was imported: {file} has {n} problem. Correct it in the file, save it and import it again.",
                "Nothing was imported: {file} has {n} problems. Correct them in the file, save it and import it "
                "again.", count).format(file=_file_name(error.file), n=formatting.number(count))
            message += "\n" + _("Rows are numbered as the spreadsheet numbers them; in a CSV file, that is the line "
                                 "number.")
        say(self.import_error, message)
        self._note(_encoding_note(error.encoding))
        if whole_file:
            return
        self.problem_rows = [self._problem_cells(problem) for problem in error.problems]
        self.problems.setHtml(_problems_html(self.problem_rows,
                                             self.layoutDirection() == Qt.LayoutDirection.RightToLeft))
        self.problems.show()

    @staticmethod
    def _problem_cells(problem: RowProblem) -> list[str]:
        # TRANSLATORS: in the "Row" column of a staff list's problems: the problem is about the whole file.
        row = formatting.number(problem.row) if problem.row else _("The file")
        # TRANSLATORS: in the "Column" column of a staff list's problems: the problem is about the whole row.
        column = field_label(problem.field) if problem.field else _("All")
        return [row, column, problem.message]

    def _clear_problems(self) -> None:
        self.import_note.hide()
        self.problem_rows = []
        self.problems.clear()
        self.problems.hide()

    def _note(self, note: str) -> None:
        self.import_note.setText(note)
        self.import_note.setAccessibleName(note)
        self.import_note.setVisible(bool(note))

    # -- assignments ---------------------------------------------------------------------------------
    def assign_course(self) -> None:
        if self.cohort is None or self.task is not None or self.course_choice.count() == 0:
            return
        say(self.assignments_status, "")
        course_id = self.course_choice.currentData()
        due: dt.date | None = self.due_date.date().toPython() if self.has_due.isChecked() else None
        assignment = self._call(self.store.assign_course, self.cohort.id, course_id, due,
                                self.target_choice.currentData(), error_label=self.assignments_error)
        if assignment is None:
            return
        who = self.target_choice.currentText() if assignment.group_id else _("everyone in the cohort")
        title = self._course_title(course_id)
        message = (_("{course} is assigned to {who}, due by {date}.").format(course=title, who=who,
                                                                              date=formatting.date(due))
                   if due else _("{course} is assigned to {who}, with no due date.").format(course=title, who=who))
        say(self.assignments_status, message)
        self._fill_details()
        self._select_item(self.assignment_table, assignment.id)

    def unassign_selected(self) -> None:
        assignment_id = self._selected(self.assignment_table)
        if assignment_id is None or self.task is not None:
            return
        assignment = next((a for a in self.assignments if a.id == assignment_id), None)
        say(self.assignments_status, "")
        self._call(self.store.unassign, assignment_id, error_label=self.assignments_error)
        if self.assignments_error.isVisible():
            return
        if assignment is not None:
            say(self.assignments_status, _("{course} is no longer assigned.").format(
                course=self._course_title(assignment.course_id)))
        self._fill_details()

    # -- export --------------------------------------------------------------------------------------
    def export_assignments(self, path: Path | None = None) -> None:
        """Ask where to write the assignments file (or take `path`: a USB stick) and write it."""
        if self.cohort is None or self.task is not None:
            return
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export assignments for learners"), str(_home() / _default_export_name(self.cohort.name)),
                _("Assignments files (*.json)"))
            if not chosen:
                return
            path = Path(chosen)
            if not path.suffix:
                path = path.with_suffix(".json")
        database, principal, cohort = self.window.services.database, self.principal, self.cohort
        say(self.export_result, "")
        say(self.export_error, "")

        def work(state) -> ExportedAssignments:
            state.set_progress(0.1, message=_("Writing the assignments file…"))
            state.raise_if_cancelled()
            return export_assignments(database, principal, cohort.id, path)

        self._start(work, self.export_task, self.export_button, label=_("Exporting assignments…"), on_done=self._exported,
                    on_error=lambda error: say(self.export_error, self._failure(
                        error, _("The assignments file could not be written: {error}"))),
                    on_cancel=lambda: say(self.export_result, _("The export was cancelled: no file was written.")))

    def _exported(self, result: ExportedAssignments) -> None:
        lines = [_("The assignments file is written: {path}").format(path=formatting.isolated(str(result.path))),
                 ngettext("It holds the assignments of {n} member.", "It holds the assignments of {n} members.",
                          result.members).format(n=formatting.number(result.members))]
        if not result.assignments:
            lines.append(_("No course is assigned to this cohort yet, so the file gives learners nothing to do."))
        lines.append(_("Next, on each learner's PC: in My courses, open \"My progress and assignments\" and load "
                       "this file. Keep the USB stick until every PC has it."))
        if result.without_staff_number:
            count = len(result.without_staff_number)
            lines.append(ngettext(
                "{n} member has no staff number, so their PC cannot find their assignments: {names}.",
                "{n} members have no staff number, so their PCs cannot find their assignments: {names}.",
                count).format(n=formatting.number(count), names=", ".join(result.without_staff_number)))
        say(self.export_result, "\n".join(lines))

    # -- long work -----------------------------------------------------------------------------------
    def _start(self, work, row: _TaskRow, origin, *, label: str, on_done, on_error, on_cancel) -> None:
        def guarded(callback):
            def run(*args):
                if self.gone:  # the screen was left: the window has already moved on
                    return
                callback(*args)
            return run

        self.task = self.window.runner.submit(work, on_done=guarded(on_done), on_error=guarded(on_error),
                                              on_cancel=guarded(on_cancel), label=label)
        row.follow(self.task)
        self.task.ended.connect(guarded(lambda: self._ended(row, origin)))
        self._update_enabled()
        row.cancel.setFocus()

    def _ended(self, row: _TaskRow, origin) -> None:
        self.task = None
        had_focus = row.cancel.hasFocus()
        row.hide()
        self._update_enabled()
        if had_focus and origin.isEnabled():
            origin.setFocus()  # the keyboard stays where the trainer was

    def cancel_task(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _failure(self, error: BaseException, template: str) -> str:
        if isinstance(error, _REFUSALS):
            return str(error)
        if isinstance(error, OSError):
            return template.format(error=error.strerror or error)
        log.error("cohorts: unexpected failure", exc_info=error)
        return template.format(error=error)

    def leaving(self) -> None:
        """The window shows another screen: stop what runs (an import stops before it enrols anyone)."""
        self.gone = True
        if self.task is not None:
            self.task.cancel()

    def focus_first(self) -> None:
        (self.cohort_list if self.cohort_list.count() else self.new_name).setFocus()


def _problems_view() -> QTextBrowser:
    """Every problem of a refused staff list, as a table: row, column, what is wrong. Rich text, not an item
    view: long messages in several scripts (a list of languages names Khmer and Arabic) wrap at their real
    height, and the table follows the layout's direction."""
    view = QTextBrowser()
    view.setAccessibleName(_("Problems in the staff list"))
    view.setOpenLinks(False)
    view.setMinimumHeight(160)
    view.hide()
    return view


def _problems_html(rows: list[list[str]], rtl: bool) -> str:
    """Qt's rich text does not mirror a table's columns: in a right-to-left language they are written reversed,
    so "Row" still comes first for the reader."""
    def ordered(cells):
        return list(reversed(cells)) if rtl else list(cells)

    align = "right" if rtl else "left"
    # TRANSLATORS: columns of the list of problems in a staff list; "Row" is the spreadsheet's row number.
    titles = (_("Row"), _("Column"), _("What is wrong"))
    head = "".join(f"<th align='{align}'>{escape(title)}</th>" for title in ordered(titles))
    body = "".join("<tr>" + "".join(f"<td valign='top' align='{align}'>{escape(cell)}</td>" for cell in ordered(row))
                   + "</tr>" for row in rows)
    return (f"<table dir='{'rtl' if rtl else 'ltr'}' width='100%' cellspacing='0' cellpadding='6' border='1' "
            f"style='border-collapse: collapse; border-color: #dde3ea;'><tr style='background: #f1f4f8;'>"
            f"{head}</tr>{body}</table>")


def _short_date_format() -> str:
    """The locale's short date with a four-digit year: "12/31/2026", "2026. 12. 31.", "31/12/2026"."""
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy")
    return pattern


def _status_label() -> QLabel:
    """Where an action's outcome is said (not an error): bold, and read by a screen reader."""
    label = QLabel("")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("font-weight: 600;")
    label.hide()
    return label
