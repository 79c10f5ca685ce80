"""The import dialog: what was detected, the lines that did not fit, a preview, and a way to correct.

It never reads a file itself: the panel reads off the GUI thread and hands over a ReadResult;
"Read again" emits `reread(ReadOptions)` and the panel answers with `show_result` or `show_error`.
The dialog is window-modal but opened with `open()`, so the event loop (and the app) keep running.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _, ngettext
from app.ui.widgets import button, heading, text
from labs.data_analysis.engine.reading import (
    DELIMITER_LABELS,
    ENCODING_LABELS,
    ReadOptions,
    ReadResult,
)
from labs.data_analysis.widgets.table_model import FrameModel

PREVIEW_ROWS = 50


def _combo(accessible: str, choices: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    for label, data in choices:
        combo.addItem(label, data)
    return combo


class ImportDialog(QDialog):
    reread = Signal(object)  # ReadOptions

    def __init__(self, path: Path, result: ReadResult, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.result = result
        self.setWindowTitle(_("Open {file}").format(file=self.path.name))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.path.name, level=2))
        self.summary = text("")
        layout.addWidget(self.summary)

        options = QFormLayout()
        self.options_form = options
        auto = _("(as detected)")
        self.encoding = _combo(_("Encoding"), [(auto, None)] + [(_(label), code) for code, label in
                                                                 ENCODING_LABELS.items()])
        self.delimiter = _combo(_("Delimiter"), [(auto, None)] + [(_(label), d) for d, label in
                                                                   DELIMITER_LABELS.items()])
        self.decimal = _combo(_("Decimal sign"), [(auto, None), (_("point (12.5)"), "."), (_("comma (12,5)"), ",")])
        self.dates = _combo(_("Dates like 03/04/2024"), [(auto, None), (_("day first (3 April)"), True),
                                                         (_("month first (4 March)"), False)])
        self.sheet = _combo(_("Sheet"), [(name, name) for name in result.sheets])
        options.addRow(_("Encoding"), self.encoding)
        options.addRow(_("Delimiter"), self.delimiter)
        options.addRow(_("Decimal sign"), self.decimal)
        options.addRow(_("Dates like 03/04/2024"), self.dates)
        options.addRow(_("Sheet"), self.sheet)
        layout.addLayout(options)
        row = QHBoxLayout()
        self.read_again = button(_("Read again with these choices"), self._reread)
        row.addWidget(self.read_again)
        row.addStretch(1)
        layout.addLayout(row)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a3261b;")
        layout.addWidget(self.error)

        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setAccessibleName(_("Lines that did not fit, and other remarks"))
        self.report.setMaximumHeight(140)
        layout.addWidget(self.report)
        self.preview_label = text("", muted=True)
        layout.addWidget(self.preview_label)
        self.preview = QTableView()
        self.preview.setAccessibleName(_("Preview of the first rows"))
        self.preview_model = FrameModel(parent=self)
        self.preview.setModel(self.preview_model)
        self.preview.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        layout.addWidget(self.preview, 1)
        buttons = QDialogButtonBox()
        self.use_button = buttons.addButton(_("Use this table"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 640)
        self.show_result(result)

    def show_result(self, result: ReadResult) -> None:
        self.result = result
        self.error.setText("")
        self.read_again.setEnabled(True)
        self.use_button.setEnabled(True)
        frame = result.frame
        parts = [ngettext("{n} row", "{n} rows", len(frame)).format(n=f"{len(frame):,}"),
                 ngettext("{n} column", "{n} columns", frame.shape[1]).format(n=frame.shape[1])]
        if result.format == "xlsx":
            parts.append(_("Excel sheet {sheet}").format(sheet=result.sheet))
        else:
            parts.append(_("encoding: {encoding}").format(encoding=result.encoding_label()))
            parts.append(_("delimiter: {delimiter}").format(delimiter=result.delimiter_label()))
            parts.append(_("decimal comma") if result.decimal == "," else _("decimal point"))
        if result.date_columns:
            parts.append(_("dates in: {columns}").format(columns=", ".join(result.date_columns)))
        self.summary.setText(" \u00b7 ".join(parts))
        is_csv = result.format == "csv"
        for combo in (self.encoding, self.delimiter, self.decimal):
            self.options_form.setRowVisible(combo, is_csv)  # only the choices that apply to this file
        self.options_form.setRowVisible(self.sheet, not is_csv)
        self.sheet.setEnabled(len(result.sheets) > 1)
        lines = list(result.notes)
        if result.skipped_count:
            lines.append(ngettext("{n} line was left out because it has more fields than the header:",
                                  "{n} lines were left out because they have more fields than the header:",
                                  result.skipped_count).format(n=result.skipped_count))
            lines += ["  " + message for _line, message in result.skipped]
        if result.short_count:
            lines.append(ngettext("{n} line has fewer fields than the header; its missing cells are empty:",
                                  "{n} lines have fewer fields than the header; their missing cells are empty:",
                                  result.short_count).format(n=result.short_count))
            lines += ["  " + message for _line, message in result.short_lines]
        self.report.setPlainText("\n".join(lines) if lines else _("Every line fits the header."))
        self.preview_model.set_frame(frame.head(PREVIEW_ROWS))
        self.preview.resizeColumnsToContents()
        self.preview_label.setText(_("The first rows, as they will be read:") if len(frame) else
                                   _("The file has column names but no rows."))

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.read_again.setEnabled(True)
        self.use_button.setEnabled(False)  # the table shown no longer matches the choices

    def options(self) -> ReadOptions:
        return ReadOptions(encoding=self.encoding.currentData(), delimiter=self.delimiter.currentData(),
                           decimal=self.decimal.currentData(), sheet=self.sheet.currentData(),
                           dayfirst=self.dates.currentData())

    def _reread(self) -> None:
        self.error.setText(_("Reading again\u2026"))
        self.read_again.setEnabled(False)
        self.reread.emit(self.options())
