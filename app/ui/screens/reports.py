"""Trainer tools → Reports: who started and finished what, quiz scores, which questions everyone gets wrong,
completions over time, who is overdue, and who could not be matched to the cohort.

The trainer chooses a cohort (or every learner this computer knows), the courses and the day that decides
what is overdue; "Show report" runs app.core.reports.build_report on the window's task runner (progress and
Cancel here and in the status bar; a cancelled build leaves the report that was shown). Every table of the
Report is a section, sortable by any column; three charts draw series read from those tables. "Export CSV…"
and "Export XLSX…" write the very Report on screen (app.core.reports.export), so the files and the screen
hold the same numbers: both are rendered from the same cells (app.core.reports.presentation).

A language or text-size change rebuilds the screen: the new one takes the choices and the report from the
old one, and builds the report again when the language changed (its titles are in the old language).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, QStandardPaths, Qt, QTimer
from PySide6.QtWidgets import (QAbstractButton, QComboBox, QDateEdit, QFileDialog, QGridLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QProgressBar, QSizePolicy, QSplitter,
                               QStackedWidget, QVBoxLayout, QWidget)

from app.core import formatting
from app.core.accounts.roles import TRAINER, NotAllowed, require
from app.core.i18n import _, current_locale
from app.core.reports.model import Report, Table
from app.core.reports.presentation import completions_by_week, datetime_text, hardest_questions, learners_by_status
from app.ui.screens.page import Page
from app.ui.screens.report_charts import CompletionsChart, DifficultyChart, StatusChart
from app.ui.screens.report_tables import ReportTableView
from app.ui.screens.sign_in import message_label, say
from app.ui.widgets import button, card, heading, marked, text

if TYPE_CHECKING:
    from app.core.tasks import TaskState
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

FORMATS = {"csv": "CSV", "xlsx": "XLSX"}


def _empty_message(key: str) -> str:
    """What an empty section says instead of an empty grid."""
    messages = {
        "learners": _("Nobody in this report is enrolled in these courses."),
        "quiz_scores": _("Nobody has finished or started a quiz of these courses yet."),
        "questions": _("These courses have no quiz questions."),
        "wrong_answers": _("No wrong answers so far."),
        "completions_by_day": _("Nobody has completed these courses yet."),
        "completions_by_week": _("Nobody has completed these courses yet."),
        "overdue": _("Nobody is overdue."),
        "unmatched": _("Every member has a learning record, and every learning record belongs to a member."),
    }
    return messages.get(key, _("This table is empty."))


class ReportsScreen(Page):
    MAX_WIDTH = 1500  # tables of many columns: wider than reading width

    def __init__(self, window: MainWindow, parent=None):
        require(window.principal, TRAINER)
        super().__init__(parent)
        self.window = window
        self.report: Report | None = None
        self.report_today: dt.date | None = None
        self.report_locale: str | None = None
        self.task = None  # the build running, if any
        self.export_task = None
        self.sections: dict[str, QWidget] = {}  # table key -> its page
        self.tables: dict[str, ReportTableView] = {}
        self.charts: dict[str, QWidget] = {}
        self._gone = False
        self._cancelling = False
        previous = window.screen if isinstance(window.screen, ReportsScreen) else None
        self.body.addWidget(heading(_("Reports")))
        self.body.addWidget(text(_("Choose a cohort (or every learner this computer knows), the courses and the day "
                                   "that decides who is overdue, then Show report. Every number in the charts is "
                                   "also in the tables, and the CSV and XLSX files hold the same numbers."),
                                 muted=True))
        self.body.addWidget(self._choices())
        self.collected_card = self._nothing_collected_card()
        self.body.addWidget(self.collected_card)
        self.results = self._results()
        self.body.addWidget(self.results, 1)
        self.results.hide()
        if previous is not None:
            self._take_over(previous)

    # -- building the screen ---------------------------------------------------------------------
    def _choices(self) -> QWidget:
        from app.core.cohorts.store import Cohorts, CohortError

        box, layout = card()
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        cohort_label = text(_("Cohort"))
        self.cohort = self._combo()
        cohort_label.setBuddy(self.cohort)
        self.cohort.addItem(_("All learners this computer knows"), None)
        try:
            for cohort in Cohorts(self.window.services.database).cohorts(self.window.principal, include_archived=True):
                name = _("{name} (archived)").format(name=cohort.name) if cohort.archived else cohort.name
                self.cohort.addItem(name, cohort.id)
        except (CohortError, NotAllowed) as err:
            log.warning("reports: cohorts not read: %s", err)
        self.cohort.activated.connect(lambda _index: self._cohort_chosen())
        today_label = text(_("Overdue as of"))
        self.today = QDateEdit(QDate.currentDate())
        self.today.setCalendarPopup(True)
        self.today.setAccessibleName(_("Overdue as of: the day that decides who is late"))
        self.today.findChild(QLineEdit).setAccessibleName(self.today.accessibleName())  # the box's own text field
        shape = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
        if "yyyy" not in shape:  # the year in full: "4/1/2026", not "4/1/26"
            self.today.setDisplayFormat(shape.replace("yy", "yyyy"))
        self.today.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a date reads left to right
        today_label.setBuddy(self.today)
        courses_label = text(_("Courses"))
        self.course_list = QListWidget()
        self.course_list.setAccessibleName(_("Courses to report on: tick one or more"))
        for course in self.window.services.catalogue.courses:
            item = QListWidgetItem(marked(course.title))
            item.setData(Qt.ItemDataRole.UserRole, course.id)
            item.setToolTip(formatting.isolated(course.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.course_list.addItem(item)
        rows = max(2, min(self.course_list.count(), 5))
        line = self.course_list.fontMetrics().lineSpacing() + 14  # the style's item padding
        self.course_list.setFixedHeight(line * rows + 2 * self.course_list.frameWidth() + 4)
        courses_label.setBuddy(self.course_list)
        grid.addWidget(cohort_label, 0, 0)
        grid.addWidget(self.cohort, 1, 0)
        grid.addWidget(today_label, 2, 0)
        grid.addWidget(self.today, 3, 0, Qt.AlignmentFlag.AlignLeading)
        grid.addWidget(courses_label, 0, 1)
        grid.addWidget(self.course_list, 1, 1, 4, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        layout.addLayout(grid)
        row = QHBoxLayout()
        self.show_button = button(_("Show report"), lambda _checked=False: self.show_report(), primary=True)
        self.cancel_button = button(_("Cancel"), lambda _checked=False: self.cancel(),
                                    accessible=_("Cancel building the report"))
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName(_("Progress of the report"))
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("Muted")
        self.progress_label.setWordWrap(True)
        row.addWidget(self.show_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress)
        row.addWidget(self.progress_label, 1)
        layout.addLayout(row)
        self.status = message_label()
        layout.addWidget(self.status)
        if not self.window.services.catalogue.courses:
            say(self.status, _("There are no courses on this computer to report on."))
            self.show_button.setEnabled(False)
        return box

    @staticmethod
    def _combo() -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(_("Cohort to report on"))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(16)
        return combo

    def _nothing_collected_card(self) -> QWidget:
        """Nothing imported from learners' computers yet: say so, and where to do it."""
        from sqlalchemy.exc import SQLAlchemyError

        from app.core.collect.collected import collected_learners

        box, layout = card()
        try:
            collected = bool(collected_learners(self.window.services.database))
        except SQLAlchemyError:
            log.exception("reports: collected learners not read")
            collected = True  # say nothing rather than something wrong
        layout.addWidget(heading(_("No progress collected yet"), 3))
        layout.addWidget(text(_("No progress has been collected from learners' computers yet, so a report shows only "
                                "the learners of this computer. Import the progress files learners bring from "
                                "their offices in Trainer tools → Collected progress.")))
        self.collected_button = button(_("Open Collected progress"),
                                       lambda _checked=False: self.window.show_tool("progress"))
        layout.addWidget(self.collected_button, 0, Qt.AlignmentFlag.AlignLeading)
        box.setVisible(not collected)
        return box

    def _results(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.title = heading("", 2)
        layout.addWidget(self.title)
        self.made = text("", muted=True)
        layout.addWidget(self.made)
        self.notes = text("")
        self.notes.hide()
        layout.addWidget(self.notes)
        row = QHBoxLayout()
        self.export_buttons = {
            "csv": button(_("Export CSV…"), lambda _checked=False: self.export("csv"),
                          accessible=_("Export the report shown as a CSV file")),
            "xlsx": button(_("Export XLSX…"), lambda _checked=False: self.export("xlsx"),
                           accessible=_("Export the report shown as an Excel workbook (XLSX)")),
        }
        for export_button in self.export_buttons.values():
            row.addWidget(export_button)
        self.export_status = QLabel("")
        self.export_status.setWordWrap(True)
        self.export_status.setTextFormat(Qt.TextFormat.PlainText)
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_status.hide()
        row.addWidget(self.export_status, 1)
        row.addStretch(0)
        layout.addLayout(row)
        self.export_error = message_label()
        layout.addWidget(self.export_error)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.section_list = QListWidget()
        self.section_list.setAccessibleName(_("Sections of the report"))
        self.section_list.setMinimumWidth(150)
        self.section_list.setMaximumWidth(320)
        self.stack = QStackedWidget()
        self.section_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        splitter.addWidget(self.section_list)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 10 ** 4])
        splitter.setMinimumHeight(600)
        layout.addWidget(splitter, 1)
        return box

    # -- choices ---------------------------------------------------------------------------------
    def chosen_course_ids(self) -> list[str]:
        return [self.course_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.course_list.count())
                if self.course_list.item(i).checkState() == Qt.CheckState.Checked]

    def choose(self, cohort_id: str | None = None, course_ids: list[str] | None = None,
               today: dt.date | None = None) -> None:
        """Set the choices as a person would (tests and the rebuilt screen)."""
        index = self.cohort.findData(cohort_id)
        self.cohort.setCurrentIndex(max(index, 0))
        if course_ids is not None:
            for i in range(self.course_list.count()):
                item = self.course_list.item(i)
                item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in course_ids
                                   else Qt.CheckState.Unchecked)
        if today is not None:
            self.today.setDate(QDate(today.year, today.month, today.day))

    def _cohort_chosen(self) -> None:
        """A cohort with assignments: tick the courses assigned to it."""
        from app.core.cohorts.store import Cohorts, CohortError

        cohort_id = self.cohort.currentData()
        if cohort_id is None:
            return
        try:
            assigned = {a.course_id for a in Cohorts(self.window.services.database).assignments(
                self.window.principal, cohort_id)}
        except (CohortError, NotAllowed) as err:
            say(self.status, str(err))
            return
        known = set(self._course_ids())
        if assigned & known:
            self.choose(cohort_id, sorted(assigned & known))

    def _course_ids(self) -> list[str]:
        return [self.course_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.course_list.count())]

    # -- building the report ---------------------------------------------------------------------
    def show_report(self) -> None:
        from app.core.reports.build import build_report

        if self.task is not None:
            return
        require(self.window.principal, TRAINER)
        catalogue = self.window.services.catalogue
        courses = [c for c in (catalogue.course(i) for i in self.chosen_course_ids()) if c is not None]
        if not courses:
            say(self.status, _("Tick at least one course to report on."))
            self.course_list.setFocus()
            return
        say(self.status, "")
        database, principal = self.window.services.database, self.window.principal
        cohort_id = self.cohort.currentData()
        today = self.today.date().toPython()
        locale = current_locale()

        def build(state: TaskState):
            return build_report(database, principal, courses, cohort_id, today=today, state=state), today, locale

        self._set_building(True)
        self.task = self.window.runner.submit(build, on_done=self._built, on_error=self._failed,
                                              on_cancel=self._cancelled, label=_("Building the report…"))
        self.task.progressed.connect(self._progressed)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self._cancelling = True  # a report finished just as Cancel was pressed is not shown either
            self.progress_label.setText(_("Cancelling…"))

    def _progressed(self, value: float, message: str) -> None:
        if self._gone:
            return
        self.progress.setValue(int(value * 100))
        self.progress_label.setText(message)

    def _set_building(self, building: bool) -> None:
        self._cancelling = False
        self.show_button.setEnabled(not building)
        self.cancel_button.setVisible(building)
        self.progress.setVisible(building)
        self.progress.setValue(0)
        if not building:
            self.progress_label.setText("")
            self.task = None

    def _built(self, result: tuple[Report, dt.date, str]) -> None:
        if self._gone:
            return
        if self._cancelling:
            self._cancelled()
            return
        self._set_building(False)
        report, today, locale = result
        self._show(report, today, locale)

    def _failed(self, error: BaseException) -> None:
        from app.core.cohorts.store import CohortError

        if self._gone:
            return
        self._set_building(False)
        if isinstance(error, (NotAllowed, CohortError)):
            say(self.status, str(error))
        else:  # the database: say so here; the details go to the log
            log.error("report not built", exc_info=error)
            say(self.status, _("The report could not be built: {error}").format(error=error))

    def _cancelled(self) -> None:
        if self._gone:
            return
        self._set_building(False)
        say(self.status, _("Cancelled: the report below is the one shown before.") if self.report is not None
            else _("Cancelled: no report was built."))

    # -- showing it ------------------------------------------------------------------------------
    def _show(self, report: Report, today: dt.date, locale: str) -> None:
        self.report, self.report_today, self.report_locale = report, today, locale
        self.title.setText(report.title)
        self.title.setAccessibleName(report.title)
        made = _("Built on {time}; overdue as of {date}.").format(time=datetime_text(report.generated_at),
                                                                  date=formatting.date(today))
        self.made.setText(made)
        self.made.setAccessibleName(made)
        self._notes(report)
        say(self.export_error, "")
        self.export_status.hide()
        while self.stack.count():
            page = self.stack.widget(0)
            self.stack.removeWidget(page)
            page.deleteLater()
        self.section_list.clear()
        self.sections, self.tables, self.charts = {}, {}, {}
        for table in report.tables:
            page = self._section(report, table)
            self.sections[table.key] = page
            self.stack.addWidget(page)
            # TRANSLATORS: a section of a report in the list beside it, with its number of rows: "Overdue (3)".
            item = QListWidgetItem(_("{table} ({rows})").format(table=table.title,
                                                                rows=formatting.number(len(table.rows))))
            item.setData(Qt.ItemDataRole.UserRole, table.key)
            self.section_list.addItem(item)
        self.section_list.setCurrentRow(0)
        self.results.show()

    def _notes(self, report: Report) -> None:
        lines = []
        for course in report.table("courses").records():
            if not course["started"]:
                lines.append(_("Nobody has started “{course}” yet.").format(course=course["title"]))
        words = "\n".join(lines)
        self.notes.setText(words)
        self.notes.setAccessibleName(words)
        self.notes.setVisible(bool(lines))

    def _section(self, report: Report, table: Table) -> QWidget:
        """A table's page: its chart, if it has one, above it (the line between them can be dragged)."""
        page = QWidget()
        # The tallest page must not make every page as tall: the stack takes the height it is given.
        page.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(heading(table.title, 3))
        if table.rows:
            content = ReportTableView(table)
            self.tables[table.key] = content
        else:
            content = text(_empty_message(table.key), muted=True)
            content.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        chart = self._chart(report, table)
        if chart is None:
            layout.addWidget(content, 1)
            return page
        self.charts[table.key] = chart
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(chart)
        split.addWidget(content)
        split.setStretchFactor(1, 1)
        split.setSizes([chart.minimumSizeHint().height(), 10 ** 4])  # the chart as drawn, the table the rest
        layout.addWidget(split, 1)
        return page

    def _chart(self, report: Report, table: Table) -> QWidget | None:
        if table.key == "courses":
            chart = StatusChart()
            chart.show_counts(learners_by_status(report))
            return chart
        if table.key == "questions":
            chart = DifficultyChart()
            chart.show_questions(hardest_questions(report), table.columns[table.column("share_correct")].title)
            return chart
        if table.key == "completions_by_week":
            chart = CompletionsChart()
            titles = {row["course"]: row["title"] for row in report.table("courses").records()}
            columns = {c.key: c.title for c in table.columns}
            chart.show_weeks(completions_by_week(report), titles, columns["period"], columns["cumulative"],
                             columns["completed"])
            return chart
        return None

    def show_section(self, key: str) -> None:
        """Open the section of the table `key` (as a click in the list would)."""
        for row in range(self.section_list.count()):
            if self.section_list.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.section_list.setCurrentRow(row)
                return

    # -- export ----------------------------------------------------------------------------------
    def export(self, file_format: str, path: Path | None = None) -> None:
        """Write the report shown as CSV or XLSX; `path` skips the file dialog (tests)."""
        from app.core.reports.export import write_report

        report = self.report
        if report is None or self.export_task is not None:
            return
        if path is None:
            home = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or \
                QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)
            day = (self.report_today or dt.date.today()).isoformat()
            kind = FORMATS[file_format]
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export the report as {format}").format(format=kind),
                str(Path(home) / f"progress-report-{day}.{file_format}"),
                _("{format} files (*.{extension})").format(format=kind, extension=file_format))
            if not chosen:
                return
            path = Path(chosen)
            if path.suffix.lower() != f".{file_format}":
                path = path.with_name(path.name + f".{file_format}")
        say(self.export_error, "")
        self.export_status.hide()
        for export_button in self.export_buttons.values():
            export_button.setEnabled(False)
        target = Path(path)
        self.export_task = self.window.runner.submit(
            lambda _state: write_report(report, target, file_format),
            on_done=self._exported, on_error=lambda error: self._export_failed(error, target),
            label=_("Writing the report…"))

    def _exported(self, path: Path) -> None:
        if self._gone:
            return
        self._export_done()
        message = _("Report written to {path}.").format(path=formatting.isolated(str(path)))
        self.export_status.setText(message)
        self.export_status.setAccessibleName(message)
        self.export_status.show()

    def _export_failed(self, error: BaseException, path: Path) -> None:
        if self._gone:
            return
        self._export_done()
        if isinstance(error, OSError):
            say(self.export_error, _("{path}: the file could not be written: {error}").format(
                path=formatting.isolated(str(path)), error=error.strerror or error))
        else:
            log.error("report not exported", exc_info=error)
            say(self.export_error, _("The report could not be written: {error}").format(error=error))

    def _export_done(self) -> None:
        self.export_task = None
        for export_button in self.export_buttons.values():
            export_button.setEnabled(True)

    # -- the window's calls ----------------------------------------------------------------------
    def _take_over(self, previous: ReportsScreen) -> None:
        """Rebuilt after a language or text-size change: the same choices, and the same report when it is
        still in this language (otherwise it is built again)."""
        self.choose(previous.cohort.currentData(), previous.chosen_course_ids(), previous.today.date().toPython())
        if previous.report is not None and previous.report_locale == current_locale() and previous.task is None:
            self._show(previous.report, previous.report_today, previous.report_locale)
        elif previous.report is not None or previous.task is not None:
            QTimer.singleShot(0, self, self.show_report)

    def leaving(self) -> None:
        """The window shows another screen: stop a build (an export finishes: it writes one file, atomically)."""
        self._gone = True
        if self.task is not None:
            self.task.cancel()

    def focus_first(self) -> None:
        self.cohort.setFocus()

    def keyPressEvent(self, event) -> None:
        """Enter: a focused button presses; anywhere else among the choices, Show report."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if isinstance(focused, QAbstractButton):
                if focused.isEnabled():
                    focused.click()
                return
            if focused in (self.cohort, self.today, self.course_list) or self.today.isAncestorOf(focused):
                if self.show_button.isEnabled():
                    self.show_report()
                return
        super().keyPressEvent(event)
