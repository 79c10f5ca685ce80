"""The data-analysis work area: choose a table, look at it, clean and summarise it, chart it, save it.

    panel = AnalysisPanel(workspace, host)      # host: run / tell / files_dir / locale (see the lab screen)
    panel.changed.connect(autosave)             # after every change to the work

Layout: a source bar (embedded datasets, or "Open my own file…"); on the left the Table and Chart
tabs; on the right the column profile, the step forms with the list of applied steps (Undo), and the
answers to the lab's questions. Everything slow (reading, applying a step to 1,000,000 rows, a
chart, an export) goes through host.run, and the workspace changes only in the on_done callbacks,
on the GUI thread.

Preview alone with sample data:  python -m labs.data_analysis.panel [FILE]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.formatting import number
from app.core.i18n import _, ngettext
from app.ui.widgets import button, text
from labs.data_analysis.engine.charts import ChartData, ChartSpec, chart_data
from labs.data_analysis.engine.exporting import ExportError, export_table
from labs.data_analysis.engine.profile import ColumnProfile, kind_label, profile_column
from labs.data_analysis.engine.reading import (
    ReadOptions,
    ReadResult,
    UnreadableFile,
    keep_copy,
    read_table,
)
from labs.data_analysis.engine.steps import Step, StepError
from labs.data_analysis.engine.workspace import AnalysisWorkspace, StepOutcome
from labs.data_analysis.widgets.chart_form import ChartForm
from labs.data_analysis.widgets.chart_view import ChartView
from labs.data_analysis.widgets.import_dialog import ImportDialog
from labs.data_analysis.widgets.step_forms import StepEditor, shrinkable
from labs.data_analysis.widgets.table_model import FrameModel

CLEAR_ERRORS = (StepError, UnreadableFile, ExportError)  # their message is the whole story for the learner
FILE_FILTER = "{tables} (*.csv *.tsv *.txt *.xlsx *.xlsm);;{all} (*)"


def _in_documents(name: str = "") -> str:
    """Where file dialogs start: the learner's Documents folder (not the app's working folder)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return str(Path(folder) / name)


def _error_label() -> QLabel:
    label = QLabel("")
    label.setWordWrap(True)
    label.setStyleSheet("color: #a3261b;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AnalysisPanel(QWidget):
    changed = Signal()

    def __init__(self, workspace: AnalysisWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.host = host
        self.current_table = "data"
        self.import_dialog: ImportDialog | None = None
        self.last_chart: ChartData | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._source_bar())
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.left_tabs = QTabWidget()
        self.left_tabs.addTab(self._table_tab(), _("Table"))
        self.left_tabs.addTab(self._chart_tab(), _("Chart"))
        self.right_tabs = QTabWidget()
        self.right_tabs.addTab(self._profile_tab(), _("Column"))
        self.right_tabs.addTab(self._steps_tab(), _("Clean and summarise"))
        if workspace.questions:
            self.right_tabs.addTab(self._answers_tab(), _("Answers"))
        split.addWidget(self.left_tabs)
        split.addWidget(self.right_tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.split = split
        self._sized = False
        layout.addWidget(split, 1)
        self.refresh()
        if workspace.chart is not None:
            self.chart_form.set_spec(workspace.chart)
            self.draw_chart(workspace.chart, remember=False)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._sized and self.width() > 0:  # 60/40 once; the learner may drag it afterwards
            self._sized = True
            self.split.setSizes([self.width() * 3 // 5, self.width() * 2 // 5])

    # --- building ------------------------------------------------------------------------------

    def _source_bar(self) -> QVBoxLayout:
        from labs.datasets.catalog import datasets

        box = QVBoxLayout()
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Data:")))
        self.source_combo = shrinkable(QComboBox(), 20)
        self.source_combo.setAccessibleName(_("Dataset"))
        for info in datasets():
            self.source_combo.addItem(_(info.title), info.id)
        self.source_combo.activated.connect(self._source_chosen)
        row.addWidget(self.source_combo, 1)
        self.about_button = button(_("About this data"), self._toggle_about)
        self.about_button.setCheckable(True)
        row.addWidget(self.about_button)
        self.open_button = button(_("Open my own file\u2026"), self.open_file_dialog)
        row.addWidget(self.open_button)
        box.addLayout(row)
        info_row = QHBoxLayout()
        self.synthetic_badge = QLabel(_("Synthetic"))
        self.synthetic_badge.setStyleSheet("background: #fff1c2; color: #6b4e00; border-radius: 4px; padding: 2px 6px;")
        self.synthetic_badge.setToolTip(_("Made-up data, generated for practice; not about real people."))
        info_row.addWidget(self.synthetic_badge, 0, Qt.AlignmentFlag.AlignTop)
        self.source_info = text("", muted=True)
        self.source_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info_row.addWidget(self.source_info, 1)
        box.addLayout(info_row)
        self.source_details = text("", muted=True)  # source and licence, on request: height is scarce
        self.source_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source_details.hide()
        box.addWidget(self.source_details)
        self.source_error = _error_label()
        box.addWidget(self.source_error)
        return box

    def _table_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Show:")))
        self.table_combo = shrinkable(QComboBox(), 20)
        self.table_combo.setAccessibleName(_("Table to show"))
        self.table_combo.activated.connect(lambda: self.show_table(self.table_combo.currentData()))
        row.addWidget(self.table_combo, 1)
        self.export_button = button(_("Export this table\u2026"), self.export_dialog)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.size_label = text("", muted=True)
        layout.addWidget(self.size_label)
        self.model = FrameModel(parent=self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(_("The table"))
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row sizing
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.horizontalHeader().setSectionsClickable(True)
        self.view.horizontalHeader().setResizeContentsPrecision(200)  # widths from 200 rows, not 1,000
        self.view.horizontalHeader().sectionClicked.connect(self.show_profile)
        self.view.selectionModel().currentColumnChanged.connect(
            lambda current, _old: self.show_profile(current.column()))
        layout.addWidget(self.view, 1)
        self.table_status = _error_label()
        self.table_status.setStyleSheet("")
        layout.addWidget(self.table_status)
        return page

    def _chart_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.draw_button = button(_("Draw"), lambda: self.draw_chart(), primary=True)
        self.png_button = button(_("Save as picture (PNG)\u2026"), self.png_dialog)
        self.png_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.draw_button)
        row.addWidget(self.png_button)
        row.addStretch(1)
        self.chart_form = ChartForm(buttons=row)
        layout.addWidget(self.chart_form)
        self.chart_error = _error_label()
        layout.addWidget(self.chart_error)
        self.chart_view = ChartView()
        layout.addWidget(self.chart_view, 1)
        return page

    def _profile_tab(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.profile_label = text(_("Click a column's name to see its profile."))
        self.profile_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        self.profile_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.profile_label.setContentsMargins(8, 8, 8, 8)
        scroll.setWidget(self.profile_label)
        self.profile: ColumnProfile | None = None
        return scroll

    def _steps_tab(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wrap, never scroll sideways
        page = QWidget()
        layout = QVBoxLayout(page)
        self.step_editor = StepEditor()
        self.step_editor.apply_requested.connect(self.apply_step)
        layout.addWidget(self.step_editor)
        layout.addWidget(text(_("Applied steps, in order:"), muted=True))
        self.steps_list = QListWidget()
        self.steps_list.setAccessibleName(_("Applied steps"))
        self.steps_list.setWordWrap(True)
        self.steps_list.setMinimumHeight(120)
        layout.addWidget(self.steps_list, 1)
        row = QHBoxLayout()
        self.undo_button = button(_("Undo the last step"), self.undo)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        layout.addLayout(row)
        scroll.setWidget(page)
        return scroll

    def _answers_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.answer_edits: dict[str, QLineEdit] = {}
        for question in self.workspace.questions:
            edit = QLineEdit(self.workspace.answers.get(question.id, ""))
            edit.setAccessibleName(_(question.text))
            edit.editingFinished.connect(lambda q=question.id, e=edit: self.set_answer(q, e.text()))
            label = text(_(question.text))
            form.addRow(label, edit)
            self.answer_edits[question.id] = edit
        return page

    # --- running work --------------------------------------------------------------------------

    def _run(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None], label: str,
             error_label: QLabel | None = None, finally_: Callable[[], None] | None = None) -> None:
        """host.run, with clear errors shown next to what the learner did, others in a message box."""
        def done(result: Any) -> None:
            if finally_:
                finally_()
            on_done(result)

        def failed(error: BaseException) -> None:
            if finally_:
                finally_()
            if isinstance(error, MemoryError):  # old PCs: say what to do, not "MemoryError"
                error = StepError(_("This computer does not have enough memory for that. Filter the table first, or "
                                    "use a smaller file."))
            if isinstance(error, CLEAR_ERRORS) and error_label is not None:
                error_label.setText(str(error))
            elif isinstance(error, CLEAR_ERRORS):
                self.host.tell(_("That did not work"), str(error))
            else:
                raise error

        self.host.run(fn, done, label, on_error=failed)

    # --- the table -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Bring every view in line with the workspace (after a step, an undo, a new source)."""
        ws = self.workspace
        self._refresh_source()
        keys = [key for key, _title in ws.tables()]
        if self.current_table not in keys:
            self.current_table = "data"
        self.table_combo.clear()
        for key, title in ws.tables():
            self.table_combo.addItem(title, key)
        self.table_combo.setCurrentIndex(keys.index(self.current_table))
        self.show_table(self.current_table)
        self.step_editor.set_frame(ws.table)
        self.chart_form.set_frame(ws.table)
        self.steps_list.clear()
        for index, outcome in enumerate(ws.outcomes, start=1):
            line = _("{n}. {step}").format(n=index, step=outcome.step.describe())
            detail = (_("Not applied: {reason}").format(reason=outcome.error) if outcome.error else outcome.note)
            self.steps_list.addItem(f"{line}\n    {detail}")
        self.undo_button.setEnabled(bool(ws.outcomes))

    def _refresh_source(self) -> None:
        ws = self.workspace
        combo = self.source_combo
        file_index = combo.findData("file")
        if ws.dataset_id:
            if file_index >= 0:
                combo.removeItem(file_index)
            combo.setCurrentIndex(max(0, combo.findData(ws.dataset_id)))
            try:
                from labs.datasets.catalog import dataset

                info = dataset(ws.dataset_id)
            except KeyError:
                self.synthetic_badge.hide()
                self.source_info.setText(ws.dataset_id)
                self.source_details.setText("")
                return
            self.synthetic_badge.setVisible(info.synthetic)
            self.source_info.setText(_(info.description))
            self.source_details.setText(_("Source: {source}. Licence: {licence}.").format(source=info.source,
                                                                                       licence=info.licence))
            self.about_button.setEnabled(True)
            return
        label = _("Your file: {name}").format(name=ws.source.get("name", ""))
        if file_index < 0:
            combo.insertItem(0, label, "file")
            file_index = 0
        combo.setItemText(file_index, label)
        combo.setCurrentIndex(file_index)
        self.synthetic_badge.hide()
        result = ws.read_result
        details = ""
        if result is not None and result.format == "csv":
            details = _("Read as {encoding}, delimiter {delimiter}.").format(encoding=result.encoding_label(),
                                                                            delimiter=result.delimiter_label())
        elif result is not None:
            details = _("Excel sheet {sheet}.").format(sheet=result.sheet)
        self.source_info.setText(_("Your own file {name}. {details}").format(name=ws.source.get("name", ""),
                                                                            details=details))
        self.source_details.setText(_("A copy is kept with your work, so it reopens even if the original moves."))

    def show_table(self, key: str) -> None:
        self.current_table = key
        frame = self.workspace.table_named(key)
        self.model.set_frame(frame)
        self.view.resizeColumnsToContents()  # Qt samples ~1000 rows, not all of them
        self.size_label.setText(_("{rows} \u00d7 {columns}").format(
            rows=ngettext("{n} row", "{n} rows", len(frame)).format(n=number(len(frame))),
            columns=ngettext("{n} column", "{n} columns", frame.shape[1]).format(n=frame.shape[1])))

    def show_profile(self, position: int) -> None:
        frame = self.model.frame
        if not 0 <= position < frame.shape[1]:
            return
        series = frame.iloc[:, position]
        name = str(frame.columns[position])
        self.right_tabs.setCurrentIndex(0)
        self._run(lambda state: profile_column(series, name), self._show_profile, _("Profiling {column}").format(
            column=name))

    def _show_profile(self, profile: ColumnProfile) -> None:
        self.profile = profile
        lines = [profile.name, _("Kind of values: {kind}").format(kind=kind_label(profile.kind)),
                 _("Rows: {rows}. Missing: {missing}. Different values: {distinct}.").format(
                     rows=number(profile.rows), missing=number(profile.missing), distinct=number(profile.distinct))]
        if profile.kind == "number":
            lines.append(_("Smallest: {min}. Largest: {max}.").format(min=_num(profile.minimum),
                                                                     max=_num(profile.maximum)))
            lines.append(_("Average (mean): {mean}. Median: {median}.").format(mean=_num(profile.mean),
                                                                               median=_num(profile.median)))
            if profile.std is not None:
                lines.append(_("Spread (standard deviation): {std}.").format(std=_num(profile.std)))
        elif profile.kind == "date":
            lines.append(_("From {first} to {last}.").format(first=profile.minimum, last=profile.maximum))
        if profile.top and profile.kind != "number":
            lines.append(_("Most frequent:"))
            lines += [_("  {value}: {count}").format(value=value, count=number(count)) for value, count in profile.top]
        remarks = profile.remarks()
        if remarks:
            lines += [""] + remarks
        self.profile_label.setText("\n".join(lines))

    # --- the source: embedded datasets and the learner's own files -------------------------------

    def _toggle_about(self) -> None:
        self.source_details.setVisible(self.about_button.isChecked())

    def _confirm_start_over(self) -> bool:
        if not self.workspace.outcomes:
            return True
        answer = QMessageBox.question(self, _("Start over with another table?"),
                                      _("Your steps, chart and exports belong to the current table and will be "
                                        "removed. Your answers stay."))
        return answer == QMessageBox.StandardButton.Yes

    def _source_chosen(self) -> None:
        choice = self.source_combo.currentData()
        if choice == "file" or choice == self.workspace.dataset_id:
            return
        if not self._confirm_start_over():
            self._refresh_source()
            return
        self.choose_dataset(choice)

    def choose_dataset(self, dataset_id: str) -> None:
        from labs.datasets.catalog import load_dataset

        self.source_error.setText("")
        self._run(lambda state: load_dataset(dataset_id),
                  lambda frame: self._set_source({"dataset": dataset_id}, frame, None),
                  _("Loading the data"), self.source_error)

    def _set_source(self, source: dict[str, Any], frame: Any, result: ReadResult | None) -> None:
        self.workspace.set_source(source, frame, result)
        self.current_table = "data"
        self.chart_view.clear()
        self.png_button.setEnabled(False)
        self.refresh()
        self.changed.emit()

    def open_file_dialog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Open a table (CSV or Excel)"), _in_documents(),
                                                    FILE_FILTER.format(tables=_("Tables"), all=_("All files")))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, options: ReadOptions | None = None) -> None:
        """Read `path` off the GUI thread, then show the import dialog (or say why it cannot be read)."""
        self.source_error.setText("")
        self.open_button.setEnabled(False)
        self._run(lambda state: read_table(path, state, options), lambda result: self._show_import(path, result),
                  _("Reading {file}").format(file=Path(path).name), self.source_error,
                  finally_=lambda: self.open_button.setEnabled(True))

    def _show_import(self, path: Path, result: ReadResult) -> None:
        dialog = ImportDialog(path, result, self)
        self.import_dialog = dialog
        dialog.reread.connect(lambda options: self._reread(dialog, path, options))
        dialog.accepted.connect(lambda: self.use_import(path, dialog.result))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _reread(self, dialog: ImportDialog, path: Path, options: ReadOptions) -> None:
        def failed_inside_dialog(error: BaseException) -> None:
            if isinstance(error, CLEAR_ERRORS):
                dialog.show_error(str(error))
            else:
                raise error

        self.host.run(lambda state: read_table(path, state, options), dialog.show_result,
                      _("Reading {file}").format(file=path.name), on_error=failed_inside_dialog)

    def use_import(self, path: Path, result: ReadResult) -> None:
        """Keep a copy of the file (the snapshot names the copy, never the learner's path), then use it."""
        files = Path(self.host.files_dir)
        source = {"name": Path(path).name, "options": result.options().to_dict()}
        self._run(lambda state: keep_copy(path, files),
                  lambda stored: self._set_source({"file": stored, **source}, result.frame, result),
                  _("Keeping a copy of {file}").format(file=Path(path).name), self.source_error)

    # --- steps ---------------------------------------------------------------------------------

    def apply_step(self, step: Step) -> None:
        self.step_editor.show_error("")
        self.step_editor.set_busy(True)
        self._run(lambda state: self.workspace.compute_step(step, state), self._step_done, step.describe(),
                  self.step_editor.error, finally_=lambda: self.step_editor.set_busy(False))

    def _step_done(self, outcome: StepOutcome) -> None:
        try:
            self.workspace.accept(outcome)
        except StepError as err:
            self.step_editor.show_error(str(err))
            return
        if outcome.result is not None:
            self.current_table = self.workspace.results()[-1][0]  # show the new summary table
        self.refresh()
        self.step_editor.show_error("")
        self.table_status.setText(outcome.note)
        self.changed.emit()
        if self.workspace.chart is not None and outcome.result is None:
            self.draw_chart(self.workspace.chart, remember=False)  # the chart follows the data

    def undo(self) -> None:
        step = self.workspace.undo()
        if step is None:
            return
        self.refresh()
        self.table_status.setText(_("Undone: {step}").format(step=step.describe()))
        self.changed.emit()
        if self.workspace.chart is not None:
            self.draw_chart(self.workspace.chart, remember=False)

    # --- chart ---------------------------------------------------------------------------------

    def draw_chart(self, spec: ChartSpec | None = None, remember: bool = True) -> None:
        spec = spec or self.chart_form.spec()
        table = self.workspace.table
        self.chart_error.setText("")
        self.draw_button.setEnabled(False)
        self._run(lambda state: chart_data(table, spec, state), lambda data: self._chart_done(data, remember),
                  _("Drawing the chart"), self.chart_error, finally_=lambda: self.draw_button.setEnabled(True))

    def _chart_done(self, data: ChartData, remember: bool) -> None:
        self.last_chart = data
        self.chart_view.show_data(data)
        self.png_button.setEnabled(True)
        if remember and data.spec != self.workspace.chart:
            self.workspace.set_chart(data.spec)
            self.changed.emit()

    def png_dialog(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the chart as a picture"),
                                                    _in_documents("chart.png"), _("PNG picture (*.png)"))
        if path:
            self.save_chart_png(Path(path) if path.lower().endswith(".png") else Path(path + ".png"))

    def save_chart_png(self, path: Path) -> None:
        try:
            self.chart_view.save_png(path)
        except OSError as err:
            self.chart_error.setText(_("{file} cannot be written: {reason}").format(file=Path(path).name,
                                                                                   reason=err))
            return
        self.chart_error.setText("")
        self.chart_view.note_label.setText(_("Saved as {file}.").format(file=Path(path).name))

    # --- export --------------------------------------------------------------------------------

    def export_dialog(self) -> None:
        suggested = "result.xlsx" if self.current_table != "data" else "data.xlsx"
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Export this table"), _in_documents(suggested),
            ";;".join([_("Excel workbook (*.xlsx)"), _("CSV, UTF-8, opens in Excel (*.csv)")]))
        if not path:
            return
        path_obj = Path(path)
        if path_obj.suffix.lower() not in (".xlsx", ".csv"):
            path_obj = path_obj.with_suffix(".csv" if "csv" in chosen.lower() else ".xlsx")
        self.export_table_to(path_obj)

    def export_table_to(self, path: Path) -> None:
        key = self.current_table
        frame = self.workspace.table_named(key)
        self.export_button.setEnabled(False)
        self.table_status.setText("")

        def done(saved: Path) -> None:
            self.workspace.record_export(key, saved)
            self.table_status.setText(_("Saved as {file}.").format(file=saved.name))
            self.changed.emit()

        self._run(lambda state: export_table(frame, path, state), done, _("Saving {file}").format(file=path.name),
                  self.table_status, finally_=lambda: self.export_button.setEnabled(True))

    # --- answers -------------------------------------------------------------------------------

    def set_answer(self, question_id: str, answer: str) -> None:
        if self.workspace.answers.get(question_id, "") == answer.strip():
            return
        self.workspace.set_answer(question_id, answer)
        self.changed.emit()


def _num(value: Any) -> str:
    if value is None:
        return "-"
    return number(round(float(value), 2))


# --- preview: python -m labs.data_analysis.panel [FILE] -------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    import sys
    import tempfile

    from PySide6.QtWidgets import QApplication

    from app.core.tasks import TaskState
    from labs.data_analysis.engine.workspace import open_workspace
    from labs.data_analysis.open_data import QUESTIONS

    argv = sys.argv[1:] if argv is None else argv
    app = QApplication.instance() or QApplication(sys.argv)
    files = Path(tempfile.mkdtemp(prefix="data-panel-"))
    workspace = open_workspace({"source": {"dataset": "citizen-complaints"}}, TaskState(), files, QUESTIONS)
    from labs.preview import PreviewHost

    host = PreviewHost(files)
    panel = AnalysisPanel(workspace, host)
    panel.changed.connect(lambda: print(workspace.snapshot()))
    panel.resize(1280, 800)
    panel.show()
    if argv:
        panel.import_file(Path(argv[0]))
    code = app.exec()
    host.runner.shutdown()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
