"""The automation lab's "Letters" tab: edit the decision-letter template of each language, see any
problem explained on its line, preview the letter of any applicant, and write the batch as PDF files.

Templates run in the strict sandbox (labs/automation/engine/template_sandbox.py). Rendering is fast
(milliseconds) and stays on the GUI thread; printing the batch to PDF runs off it through `host.run`
(labs/printing.py: progress, cancel, every file written atomically). Every change to the work emits
`changed`; typing in the editor emits it once the typing pauses. `python -m labs.automation.letters_tab`
opens the tab alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QTextCursor, QTextFormat
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QPushButton, QSplitter, QTextEdit, QVBoxLayout,
                               QWidget)

from app.core.i18n import N_, _, locale_info, ngettext
from app.ui.fonts import families_for, register_bundled_fonts
from labs.automation.engine.letter_records import FIELDS, letter_records
from labs.automation.engine.letters import APPLICANT, Letter, LetterWork, template_languages
from labs.automation.engine.routing import language_name
from labs.automation.engine.template_sandbox import TemplateProblem, TemplateProblemError, filter_names, quoted_code
from labs.printing import PrintItem, text_document, write_pdfs

COMBINED_NAME = "all-letters.pdf"
PROBLEM_BACKGROUND = QColor(255, 220, 215)


def _combo(accessible_name: str) -> QComboBox:
    """A combo box that may be narrower than its longest item (large text on a small screen)."""
    combo = QComboBox()
    combo.setAccessibleName(accessible_name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    return combo


def _wrapping(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class LettersTab(QWidget):
    changed = Signal()
    batch_written = Signal(object)  # the batch record, once the PDFs are on disk

    def __init__(self, work: LetterWork, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.work, self.host = work, host
        self.records = letter_records()
        self.problem: TemplateProblem | None = None
        self._updating = False
        self._writing = False
        self._preview_document = None
        self._typing = QTimer(self)  # the editor commits its text once typing pauses
        self._typing.setSingleShot(True)
        self._typing.setInterval(400)
        self._typing.timeout.connect(self.commit_template)
        register_bundled_fonts()  # on the GUI thread, before any batch prints on a worker

        layout = QVBoxLayout(self)
        layout.addWidget(_wrapping(_(
            "Each applicant gets a decision letter filled from their application, in their own language. Edit the "
            "template of a language on the left: text, with {field} where a field goes and {if} … {endif} for "
            "parts that depend on the decision. The template can use only the fields listed below it.").format(
            field=quoted_code("{{ field }}"), **{"if": quoted_code("{% if %}"), "endif": quoted_code("{% endif %}")})))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._editor_side())
        splitter.addWidget(self._preview_side())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        layout.addWidget(self._batch_box())
        self.refresh()

    # ------------------------------------------------------------------ building
    def _editor_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Template for:")))
        self.language = _combo(_("Language of the template being edited"))
        for code in template_languages():
            self.language.addItem(language_name(code), code)
        self.language.currentIndexChanged.connect(self._language_chosen)
        row.addWidget(self.language, 1)
        self.reset_button = QPushButton(_("Back to the shipped letter"))
        self.reset_button.setAccessibleName(_("Replace this template with the shipped letter"))
        self.reset_button.clicked.connect(self.reset_template)
        row.addWidget(self.reset_button)
        layout.addLayout(row)

        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(_("Letter template"))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.textChanged.connect(self._typed)
        layout.addWidget(self.editor, 1)

        self.problem_label = _wrapping()
        self.problem_label.setAccessibleName(_("Problem in the template"))
        self.problem_label.setStyleSheet("color: #a12a1a")
        layout.addWidget(self.problem_label)
        self.show_line_button = QPushButton(_("Show the line"))
        self.show_line_button.setAccessibleName(_("Move the cursor to the line with the problem"))
        self.show_line_button.clicked.connect(self.show_problem_line)
        layout.addWidget(self.show_line_button, 0, Qt.AlignmentFlag.AlignLeading)

        layout.addWidget(QLabel(_("Fields (double-click to insert at the cursor):")))
        self.fields = QListWidget()
        self.fields.setAccessibleName(_("Fields a template can use"))
        for name, description in FIELDS.items():
            item = QListWidgetItem(f"{name}: {_(description)}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.fields.addItem(item)
        self.fields.itemDoubleClicked.connect(self._insert_field)
        self.fields.setMaximumHeight(self.fields.fontMetrics().lineSpacing() * 7)
        layout.addWidget(self.fields)
        layout.addWidget(_wrapping(_("Filters: {filters}. For example {example}.").format(
            filters=", ".join(filter_names()), example=quoted_code("{{ decided_on | date }}, {{ amount | money }}"))))
        return side

    def _preview_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Preview this template for:")))
        self.record = _combo(_("Applicant shown in the preview"))
        for record in self.records:
            self.record.addItem(f"{record['applicant_name']} · {record['application_id']} · "
                                f"{language_name(record['language'])}", record["application_id"])
        self.record.currentIndexChanged.connect(self._record_chosen)
        row.addWidget(self.record, 1)
        layout.addLayout(row)
        self.preview = QTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(_("Preview of the letter"))
        layout.addWidget(self.preview, 1)
        self.summary_label = _wrapping()
        self.summary_label.setAccessibleName(_("How many letters can be written"))
        layout.addWidget(self.summary_label)
        return side

    def _batch_box(self) -> QGroupBox:
        box = QGroupBox(_("This week's letters as PDF"))
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Write the letters in:")))
        self.mode = _combo(_("Language of the letters"))
        self.mode.addItem(_("Each applicant's language"), APPLICANT)
        for code in template_languages():
            self.mode.addItem(_("{language} for everyone").format(language=language_name(code)), code)
        self.mode.currentIndexChanged.connect(self._mode_chosen)
        row.addWidget(self.mode, 1)
        layout.addLayout(row)
        row = QHBoxLayout()  # a second row: large text must still fit a small screen
        self.combined = QCheckBox(_("Also one PDF with every letter"))
        self.combined.setAccessibleName(_("Also write one PDF with every letter"))
        self.combined.setChecked(True)
        row.addWidget(self.combined)
        self.generate_button = QPushButton(_("Generate PDF letters…"))
        self.generate_button.setAccessibleName(_("Generate the PDF letters in a folder"))
        self.generate_button.clicked.connect(lambda: self.generate())
        row.addWidget(self.generate_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.batch_label = _wrapping()
        self.batch_label.setAccessibleName(_("Result of the last batch"))
        layout.addWidget(self.batch_label)
        return box

    # ------------------------------------------------------------------ the template
    def _editor_font(self, locale: str) -> QFont:
        font = QFont(self.editor.font())
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFamilies(["Noto Sans Mono"] + families_for(locale))  # code in mono, letters in their script
        return font

    def _language_chosen(self, _index: int) -> None:
        if self._updating:
            return
        self.commit_template()  # keep what was typed in the previous language
        self.work.editing = self.language.currentData()
        self.refresh()
        self.changed.emit()

    def _typed(self) -> None:
        if not self._updating:
            self._typing.start()

    def commit_template(self) -> None:
        """Store the editor's text as the template of the language shown, check it, refresh the preview."""
        self._typing.stop()
        source = self.editor.toPlainText()
        if source == self.work.template(self.work.editing):
            return
        self.work.set_template(self.work.editing, source)
        self._check_and_preview()
        self.changed.emit()

    def reset_template(self) -> None:
        self._typing.stop()
        self.work.reset_template(self.work.editing)
        self.refresh()
        self.changed.emit()

    def _insert_field(self, item: QListWidgetItem) -> None:
        self.editor.insertPlainText("{{ " + item.data(Qt.ItemDataRole.UserRole) + " }}")
        self.editor.setFocus()

    def show_problem_line(self) -> None:
        if self.problem is None or not self.problem.line:
            return
        block = self.editor.document().findBlockByNumber(self.problem.line - 1)
        if block.isValid():
            cursor = QTextCursor(block)
            self.editor.setTextCursor(cursor)
            self.editor.centerCursor()
            self.editor.setFocus()

    def _highlight(self, line: int) -> None:
        selections = []
        if line:
            block = self.editor.document().findBlockByNumber(line - 1)
            if block.isValid():
                selection = QTextEdit.ExtraSelection()
                selection.format.setBackground(PROBLEM_BACKGROUND)
                selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                selection.cursor = QTextCursor(block)
                selections.append(selection)
        self.editor.setExtraSelections(selections)

    def highlighted_line(self) -> int:
        """The 1-based line the editor highlights as wrong, 0 for none (for tests and screen readers)."""
        selections = self.editor.extraSelections()
        return selections[0].cursor.blockNumber() + 1 if selections else 0

    # ------------------------------------------------------------------ preview and batch
    def _record_chosen(self, index: int) -> None:
        if self._updating or index < 0:
            return
        self.work.preview = index
        self._show_preview()
        self.changed.emit()

    def _mode_chosen(self, _index: int) -> None:
        if self._updating:
            return
        self.work.set_language_mode(self.mode.currentData())
        self._show_summary()
        self.changed.emit()

    def _check_and_preview(self) -> None:
        problems = self.work.problems(self.work.editing, self.records)
        self.problem = problems[0] if problems else None
        self.problem_label.setText(self.problem.message if self.problem else "")
        self.problem_label.setVisible(self.problem is not None)
        self.show_line_button.setVisible(bool(self.problem and self.problem.line))
        self._highlight(self.problem.line if self.problem else 0)
        self.reset_button.setEnabled(self.work.edited(self.work.editing))
        self._show_preview()
        self._show_summary()

    def _show_preview(self) -> None:
        record = self.records[min(self.work.preview, len(self.records) - 1)]
        locale = self.work.editing
        try:
            letter = self.work.render(record, locale)
            text = letter.text
        except TemplateProblemError as error:
            text = _("This letter cannot be written: {problem}").format(problem=error.problem.message)
        document = text_document(text, locale)  # sealed: an image link in a template reads no file
        document.setParent(self.preview)  # owned by the view, which deletes it when the next one replaces it
        self._preview_document = document
        self.preview.setDocument(document)
        self.preview.setLayoutDirection(Qt.LayoutDirection.RightToLeft if locale_info(locale).rtl
                                        else Qt.LayoutDirection.LeftToRight)

    def _show_summary(self) -> None:
        summary = self.work.summary()
        if summary["errors"]:
            self.summary_label.setText(ngettext(
                "{ok} of {total} letters can be written; {errors} fails: look at its template.",
                "{ok} of {total} letters can be written; {errors} fail: look at their templates.",
                summary["errors"]).format(ok=summary["letters"], total=summary["records"], errors=summary["errors"]))
        else:
            self.summary_label.setText(ngettext("The {total} letter can be written.",
                                                "All {total} letters can be written.", summary["records"]).format(
                total=summary["records"]))

    def generate(self, folder: Path | None = None, combined: bool | None = None) -> None:
        """Write every letter as a PDF in `folder` (asked for when None), off the GUI thread."""
        if self._writing:
            return
        self.commit_template()
        letters, problems = self.work.render_all(self.records)
        if problems:
            self.host.tell(_("The letters were not written"), "\n".join(
                [_("Fix these templates first:")] + [p.message() for p in problems[:5]]))
            return
        if folder is None:
            start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            chosen = QFileDialog.getExistingDirectory(self, _("Folder for the letters"), start)
            if not chosen:
                return
            folder = Path(chosen)
        combined = self.combined.isChecked() if combined is None else combined
        items = [PrintItem(letter.file_name, letter.text, letter.locale,
                           _("Decision letter {number}").format(number=letter.application_id)) for letter in letters]
        self._writing = True
        self.generate_button.setEnabled(False)
        self.batch_label.setText(_("Writing the letters…"))
        self.host.run(lambda state: write_pdfs(items, folder, state, combined=COMBINED_NAME if combined else None),
                      lambda paths: self._written(letters, folder, combined), _("Writing the letters"),
                      on_error=self._not_written, on_cancel=self._cancelled)

    def _written(self, letters: list[Letter], folder: Path, combined: bool) -> None:
        self._writing = False
        self.generate_button.setEnabled(True)
        batch = self.work.note_batch(letters, combined)
        languages = ", ".join(f"{language_name(code)} {count}" for code, count in sorted(
            batch["languages"].items(), key=lambda item: -item[1]))
        text = ngettext("{count} letter written in {folder} ({languages}).",
                        "{count} letters written in {folder} ({languages}).", batch["letters"]).format(
            count=batch["letters"], folder=folder, languages=languages)
        if batch["fallbacks"]:
            text += " " + ngettext("{count} is in English: there is no template in the applicant's language.",
                                   "{count} are in English: there is no template in the applicants' languages.",
                                   batch["fallbacks"]).format(count=batch["fallbacks"])
        self.batch_label.setText(text)
        self.changed.emit()
        self.batch_written.emit(batch)

    def _not_written(self, error: BaseException) -> None:
        self._writing = False
        self.generate_button.setEnabled(True)
        self.batch_label.setText("")
        self.host.tell(_("The letters were not written"), str(error))

    def _cancelled(self) -> None:
        self._writing = False
        self.generate_button.setEnabled(True)
        self.batch_label.setText(_("Cancelled. The letters already written are complete; no file is half-written."))

    # ------------------------------------------------------------------ showing the work
    def refresh(self) -> None:
        self._updating = True
        try:
            work = self.work
            self.language.setCurrentIndex(max(0, self.language.findData(work.editing)))
            self.mode.setCurrentIndex(max(0, self.mode.findData(work.language_mode)))
            self.record.setCurrentIndex(min(work.preview, len(self.records) - 1))
            source = work.template(work.editing)
            if self.editor.toPlainText() != source:
                self.editor.setPlainText(source)
            self.editor.setFont(self._editor_font(work.editing))
            self.reset_button.setEnabled(work.edited(work.editing))
            self._check_and_preview()
            self.generate_button.setEnabled(not self._writing)
            if work.batches and not self._writing:
                batch = work.batches[-1]
                self.batch_label.setText(ngettext("Last batch: {count} letter.", "Last batch: {count} letters.",
                                                  batch.get("letters", 0)).format(count=batch.get("letters", 0)))
        finally:
            self._updating = False


if __name__ == "__main__":
    from labs.preview import preview

    preview(N_("Letters"), lambda host: LettersTab(LetterWork.fresh(), host))
