"""The right-hand side of the course editor: the form for what is selected in the outline.

Every field change becomes an undoable command through `edit` (given by the screen); `show` fills
the fields from the document with signals blocked, so refilling never makes a command.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QSplitter, QVBoxLayout, QWidget)

from app.core.authoring import commands as c
from app.core.authoring.document import CourseDocument
from app.core.course import markdown
from app.core.i18n import _, ngettext
from app.ui.editor.fields import set_text as _set_text
from app.ui.editor.fields import text_editor as _editor
from app.ui.editor.quiz_editor import QuizEditor
from app.ui.screens.lesson import LessonBrowser


class DetailsPane(QWidget):
    """Title, summary, licence, authors, version and minutes of the course."""

    def __init__(self, edit, parent=None):
        super().__init__(parent)
        form = QFormLayout(self)
        self.title, self.licence, self.authors, self.version = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.summary = _editor(_("Course summary"))
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 100000)
        self.authors.setPlaceholderText(_("Name (organisation); another name"))
        form.addRow(_("Title"), self.title)
        form.addRow(_("Course summary"), self.summary)
        form.addRow(_("Licence (SPDX, e.g. CC-BY-4.0)"), self.licence)
        form.addRow(_("Authors"), self.authors)
        form.addRow(_("Version"), self.version)
        form.addRow(_("Estimated minutes"), self.minutes)
        self.title.textEdited.connect(lambda t: edit(c.SetMetadata("title", t)))
        self.summary.textChanged.connect(lambda: edit(c.SetMetadata("summary", self.summary.toPlainText())))
        self.licence.textEdited.connect(lambda t: edit(c.SetMetadata("licence", t)))
        self.authors.textEdited.connect(lambda t: edit(c.SetMetadata("authors", parse_authors(t))))
        self.version.textEdited.connect(lambda t: edit(c.SetMetadata("version", t)))
        self.minutes.valueChanged.connect(lambda v: edit(c.SetMetadata("estimated_minutes", v)))

    def show_document(self, document: CourseDocument) -> None:
        m = document.manifest
        _set_text(self.title, str(m.get("title", "")))
        _set_text(self.summary, str(m.get("summary", "")))
        _set_text(self.licence, str(m.get("licence", "")))
        _set_text(self.authors, format_authors(m.get("authors") or []))
        _set_text(self.version, str(m.get("version", "")))
        self.minutes.blockSignals(True)
        self.minutes.setValue(int(m.get("estimated_minutes") or 1) if str(m.get("estimated_minutes", "1")).isdigit()
                              else 1)
        self.minutes.blockSignals(False)


def parse_authors(text: str) -> list[dict[str, str]]:
    authors = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        name, _sep, organisation = part.partition("(")
        author = {"name": name.strip()}
        if organisation.strip(" )"):
            author["organisation"] = organisation.strip(" )")
        authors.append(author)
    return authors


def format_authors(authors: list) -> str:
    return "; ".join(f"{a.get('name', '')} ({a['organisation']})" if a.get("organisation") else str(a.get("name", ""))
                     for a in authors if isinstance(a, dict))


class ItemPane(QWidget):
    """A module's or item's title, and for lessons the Markdown with a live preview, for quizzes the
    quiz YAML (a structured text editor, checked as you type), for labs the lab."""

    def __init__(self, edit, labs: tuple[str, ...], parent=None):
        super().__init__(parent)
        self._edit = edit
        self.node_id, self.kind = "", ""
        self.document: CourseDocument | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Title")))
        self.title = QLineEdit()
        self.title.setAccessibleName(_("Title"))
        self.title.textEdited.connect(lambda t: edit(c.SetTitle(self.node_id, t)))
        row.addWidget(self.title, 1)
        layout.addLayout(row)
        # lesson: Markdown beside its preview
        self.lesson = QWidget()
        lesson_layout = QVBoxLayout(self.lesson)
        lesson_layout.setContentsMargins(0, 0, 0, 0)
        self.image_button = QPushButton(_("Add image…"))
        self.image_button.clicked.connect(self._choose_image)
        lesson_layout.addWidget(self.image_button)
        split = QSplitter()
        self.markdown = _editor(_("Lesson Markdown"))
        self.markdown.textChanged.connect(lambda: edit(c.EditLesson(self.node_id, self.markdown.toPlainText())))
        self.preview: LessonBrowser | None = None
        self._split = split
        split.addWidget(self.markdown)
        lesson_layout.addWidget(split, 1)
        layout.addWidget(self.lesson, 1)
        # quiz: a form for each question (or its YAML), plus question banks from Moodle
        self.quiz = QWidget()
        quiz_layout = QVBoxLayout(self.quiz)
        quiz_layout.setContentsMargins(0, 0, 0, 0)
        bank_row = QHBoxLayout()
        self.import_bank_button = QPushButton(_("Import questions…"))
        self.import_bank_button.setAccessibleName(_("Import questions from a Moodle GIFT or Aiken file"))
        self.import_bank_button.clicked.connect(self._choose_bank)
        bank_row.addWidget(self.import_bank_button)
        bank_row.addStretch(1)
        self.bank_report = QLabel("")
        self.bank_report.setWordWrap(True)
        self.bank_report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bank_report.hide()
        quiz_layout.addWidget(self.bank_report)
        quiz_layout.addLayout(bank_row)
        self.quiz_editor = QuizEditor(edit)
        self.yaml = self.quiz_editor.yaml
        quiz_layout.addWidget(self.quiz_editor, 1)
        layout.addWidget(self.quiz, 1)
        # lab
        self.lab = QComboBox()
        self.lab.setAccessibleName(_("Lab"))
        for lab_id in labs:
            self.lab.addItem(lab_id, lab_id)
        self.lab.activated.connect(lambda _i: edit(c.AssignLab(self.node_id, self.lab.currentData())))
        layout.addWidget(self.lab)
        layout.addStretch(0)

    def show_node(self, document: CourseDocument, node_id: str, kind: str) -> None:
        if node_id != self.node_id:
            self.bank_report.hide()
        self.document, self.node_id, self.kind = document, node_id, kind
        node = document.module(node_id) if kind == "module" else document.item(node_id)
        _set_text(self.title, str(node.get("title", "")))
        self.lesson.setVisible(kind == "lesson")
        self.quiz.setVisible(kind == "quiz")
        self.lab.setVisible(kind == "lab")
        if kind == "lesson":
            _set_text(self.markdown, document.text(node["lesson"]))
            self.refresh_preview()
        elif kind == "quiz":
            self.quiz_editor.show_quiz(document, node_id)
        elif kind == "lab":
            self.lab.blockSignals(True)
            self.lab.setCurrentIndex(max(0, self.lab.findData(node.get("lab"))))
            self.lab.blockSignals(False)

    def show_problems(self, problems) -> None:
        """The document's problems from the last check: the quiz form marks those of its questions."""
        self.quiz_editor.show_problems(problems)

    def refresh_preview(self) -> None:
        """Render the lesson with the reader's own renderer, images read from the document."""
        if self.kind != "lesson" or self.document is None:
            return
        path = self.document.item(self.node_id)["lesson"]
        if self.preview is not None:
            self.preview.setParent(None)
            self.preview.deleteLater()
        self.preview = LessonBrowser(self.document.source())
        self.preview.setAccessibleName(_("Lesson preview"))
        self.preview.document().setDefaultStyleSheet(markdown.LESSON_CSS)
        self.preview.setHtml(markdown.render_html(self.markdown.toPlainText(), path))
        self._split.addWidget(self.preview)

    def _choose_bank(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Import questions"), "",
                                                    _("Moodle question banks (*.gift *.txt)"))
        if name:
            self.import_bank(Path(name))

    def import_bank(self, path: Path) -> int:
        """Append a GIFT or Aiken file's questions to this quiz (one undo step); say what came in and
        each problem with its line. Returns the number of questions imported."""
        from app.core.banks.importer import import_file

        result = import_file(path, c.bank_format(path))
        imported = len(result.questions)
        if imported and not self._edit(c.ImportQuestions(self.node_id, list(result.questions))):
            imported = 0
        lines = [ngettext("{n} question imported from {file}.", "{n} questions imported from {file}.",
                          imported).format(n=imported, file=path.name)]
        lines += [str(problem) for problem in result.problems[:20]]
        if len(result.problems) > 20:
            lines.append(ngettext("… and {n} more problem.", "… and {n} more problems.",
                                  len(result.problems) - 20).format(n=len(result.problems) - 20))
        self.bank_report.setText("\n".join(lines))
        self.bank_report.setAccessibleName(lines[0])
        self.bank_report.show()
        return imported

    def _choose_image(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Add image"), "", _("Images (*.png *.jpg *.jpeg *.svg *.gif)"))
        if name:
            self.add_image(Path(name))

    def add_image(self, path: Path) -> None:
        """Copy the image into the course and insert its Markdown at the cursor."""
        command = c.AddImage(path)
        if self._edit(command):
            self.markdown.insertPlainText(f"![{_('Describe the image')}]({command.reference})")
