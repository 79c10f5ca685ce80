"""The quiz in the course editor: a Form tab (the list of questions with Add, Remove, Move up and
Move down, beside the form of the selected question and its problems) and a YAML tab for power
users. Both show the same document; switching tabs refreshes from it.

Every change is one core command through `edit` (AddQuestion, EditQuestion, RemoveQuestion,
MoveQuestion, or SetQuizText from the YAML tab); typing in one field of the form merges into one
undo step. `show_quiz` refills everything from the document with signals blocked, so refilling
after undo or redo never makes a command. A quiz whose YAML cannot be read is not shown in the
form: it says on which line the problem is, to be fixed in the YAML tab.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QTextCursor
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QScrollArea, QSplitter, QStyle, QTabWidget, QVBoxLayout, QWidget)

from app.core.authoring import commands as c
from app.core.authoring.document import CourseDocument
from app.core.authoring.questions import TYPES, template
from app.core.course.yamlfields import parse_yaml
from app.core.i18n import _
from app.core.problems import InvalidInput, Problem
from app.ui.editor.fields import set_text, text_editor
from app.ui.editor.pool_draws import PoolDraws
from app.ui.editor.question_data import (as_text, list_label, not_editable, problems_of_question, question_spans,
                                         type_label)
from app.ui.editor.question_form import QuestionForm


class QuizEditor(QWidget):
    def __init__(self, edit, parent=None):
        super().__init__(parent)
        self._edit = edit
        self.document: CourseDocument | None = None
        self.item_id = ""
        self.index = 0  # the selected question
        self.questions: list = []  # the quiz's questions as the document has them
        self.problems: list[Problem] = []  # the document's, from the screen's last check
        self.broken_line = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        form_tab = QWidget()
        form_layout = QVBoxLayout(form_tab)
        self.broken_box = QWidget()  # instead of the form while the YAML cannot be read
        broken_layout = QVBoxLayout(self.broken_box)
        self.broken = QLabel()
        self.broken.setWordWrap(True)
        self.broken.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_yaml = QPushButton(_("Open the YAML tab"))
        self.open_yaml.clicked.connect(self._go_to_broken_line)
        broken_layout.addWidget(self.broken)
        broken_layout.addWidget(self.open_yaml, 0, Qt.AlignmentFlag.AlignLeading)
        broken_layout.addStretch(1)
        form_layout.addWidget(self.broken_box, 1)
        self.broken_box.hide()
        self.body = QSplitter()
        form_layout.addWidget(self.body, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Questions"))
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)  # a long prompt ends in "…", whatever the direction
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._select)
        left_layout.addWidget(QLabel(_("Questions")))
        left_layout.addWidget(self.list, 1)
        self.add_type = QComboBox()
        self.add_type.setAccessibleName(_("Type of the new question"))
        for kind in TYPES:
            self.add_type.addItem(type_label(kind), kind)
        self.add_button = QPushButton(_("Add question"))
        self.add_button.clicked.connect(self.add_question)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_type, 1)
        add_row.addWidget(self.add_button)
        left_layout.addLayout(add_row)
        self.remove_button = QPushButton(_("Remove question"))
        self.up_button = QPushButton(_("Move up"))
        self.down_button = QPushButton(_("Move down"))
        self.remove_button.clicked.connect(self.remove_question)
        self.up_button.clicked.connect(lambda: self.move_question(-1))
        self.down_button.clicked.connect(lambda: self.move_question(1))
        move_row = QHBoxLayout()
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setAccessibleName(button.text())
            move_row.addWidget(button)
        left_layout.addLayout(move_row)
        self.pools = PoolDraws(edit)
        left_layout.addWidget(self.pools)
        self.body.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        self.note = QLabel()  # no question yet, or one the form cannot edit
        self.note.setWordWrap(True)
        self.form = QuestionForm()
        self.form.changed.connect(self._question_changed)
        self.question_problems = QLabel()
        self.question_problems.setWordWrap(True)
        self.question_problems.setAccessibleName(_("Problems in this question"))
        self.question_problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.question_problems.setStyleSheet("color: #a4262c;")
        right_layout.addWidget(self.note)
        right_layout.addWidget(self.form)
        right_layout.addWidget(self.question_problems)
        right_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(right)
        self.body.addWidget(scroll)
        self.body.setStretchFactor(1, 3)
        self.body.setSizes([240, 800])

        self.yaml = text_editor(_("Quiz questions (YAML)"))
        self.yaml.textChanged.connect(lambda: self._edit(c.SetQuizText(self.item_id, self.yaml.toPlainText())))
        self.tabs.addTab(form_tab, _("Form"))
        self.tabs.addTab(self.yaml, _("YAML"))
        self.tabs.currentChanged.connect(lambda _i: self.refresh())

    # -- showing the document
    def show_quiz(self, document: CourseDocument, item_id: str) -> None:
        if item_id != self.item_id:
            self.index = 0
        self.document, self.item_id = document, item_id
        self.refresh()

    def refresh(self) -> None:
        """Refill both tabs from the document, keeping the selected question where it can."""
        try:
            path = self.document.item(self.item_id)["quiz"] if self.document is not None else ""
        except KeyError:
            return
        if not path:
            return
        set_text(self.yaml, self.document.text(path))
        try:
            self.questions = c.quiz_questions(self.document, self.item_id)
        except InvalidInput as err:
            said: list[Problem] = []
            parse_yaml(self.document.text(path), path, said)  # the course check's words for a YAML error
            self._show_broken((said or err.problems or [Problem(path, 0, "")])[0])
            return
        self.broken_box.hide()
        self.body.show()
        self.index = max(0, min(self.index, len(self.questions) - 1))
        self.list.blockSignals(True)
        if self.list.count() != len(self.questions):
            self.list.clear()
            self.list.addItems([list_label(q) for q in self.questions])
        for row, question in enumerate(self.questions):
            if self.list.item(row).text() != list_label(question):
                self.list.item(row).setText(list_label(question))
        if self.questions:
            self.list.setCurrentRow(self.index)
        self.list.blockSignals(False)
        self.pools.show_pools(self.item_id, self.questions, c.quiz_data(self.document, self.item_id))
        self._show_question()

    def _show_broken(self, problem: Problem) -> None:
        self.questions = []
        self.broken_line = problem.line
        if problem.line:
            head = _("The quiz YAML has a problem on line {line}: fix it in the YAML tab.").format(line=problem.line)
        else:
            head = _("The quiz YAML has a problem: fix it in the YAML tab.")
        self.broken.setText(f"{head}\n{problem.message}")
        self.broken.setAccessibleName(head)
        self.broken_box.show()
        self.body.hide()

    def _go_to_broken_line(self) -> None:
        self.tabs.setCurrentWidget(self.yaml)
        block = self.yaml.document().findBlockByLineNumber(max(0, self.broken_line - 1))
        cursor = QTextCursor(block)
        self.yaml.setTextCursor(cursor)
        self.yaml.setFocus()

    def _show_question(self) -> None:
        has = bool(self.questions)
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and self.index > 0)
        self.down_button.setEnabled(has and self.index < len(self.questions) - 1)
        reason = not_editable(self.questions[self.index]) if has else \
            _("This quiz has no questions yet: choose a type and press Add question.")
        self.note.setText(reason)
        self.note.setVisible(bool(reason))
        self.form.setVisible(not reason)
        if not reason:
            pools = sorted({as_text(q.get("pool")) for q in self.questions if isinstance(q, dict) and q.get("pool")})
            self.form.show_question(self.questions[self.index], pools)
        self._chain_tab_order()
        self._show_problems()

    def _chain_tab_order(self) -> None:
        """Tab goes through the list and its buttons, then the form top to bottom (rows are rebuilt
        as they are added, which would otherwise put them last in the window's order)."""
        order = [self.list, self.add_type, self.add_button, self.remove_button, self.up_button, self.down_button]
        if self.form.isVisibleTo(self):
            order += self.form.focusable()
        for before, after in zip(order, order[1:]):
            QWidget.setTabOrder(before, after)

    def _select(self, row: int) -> None:
        if 0 <= row < len(self.questions):
            self.index = row
            self._show_question()

    # -- problems from the screen's check (the same messages as `course check`)
    def show_problems(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        self._show_problems()

    def _show_problems(self) -> None:
        try:
            path = self.document.item(self.item_id)["quiz"] if self.document is not None else ""
        except KeyError:  # the quiz was removed or undone away; the screen shows something else
            path = ""
        if not path or not self.questions:
            self.question_problems.hide()
            return
        spans = question_spans(self.document.text(path))
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for row in range(self.list.count()):
            found = problems_of_question(self.problems, path, spans, row) if row < len(spans) else []
            item: QListWidgetItem = self.list.item(row)
            item.setIcon(warning if found else QIcon())
            item.setToolTip("\n".join(p.message for p in found))
        mine = problems_of_question(self.problems, path, spans, self.index)
        lines = [_("Line {line}: {message}").format(line=p.line, message=p.message) if p.line else p.message
                 for p in mine]
        self.question_problems.setText("\n".join(lines))
        self.question_problems.setVisible(bool(lines))

    # -- changes, each one command
    def _question_changed(self, question: dict, field: str) -> None:
        if self._edit(c.EditQuestion(self.item_id, self.index, question, field)):
            # the document now holds exactly this question: show it without reading the file again
            self.questions[self.index] = question
            item = self.list.item(self.index)
            if item is not None and item.text() != list_label(question):
                item.setText(list_label(question))
            self.form.show_question(question, self.form.pools.stringList())
            self._chain_tab_order()
            set_text(self.yaml, self.document.text(self.document.item(self.item_id)["quiz"]))
            self.pools.show_pools(self.item_id, self.questions, c.quiz_data(self.document, self.item_id))
        else:
            self.refresh()

    def add_question(self) -> None:
        kind = self.add_type.currentData()
        at = self.index + 1 if self.questions else 0
        self._change(c.AddQuestion(self.item_id, template(kind, kind.replace("_", "-")), at), at)
        if self.form.isVisible():
            self.form.prompt.setFocus()
            self.form.prompt.selectAll()  # the starter text is there to be typed over

    def remove_question(self) -> None:
        if self.questions:
            self._change(c.RemoveQuestion(self.item_id, self.index), max(0, self.index - 1)
                         if self.index == len(self.questions) - 1 else self.index)

    def move_question(self, step: int) -> None:
        to = self.index + step
        if self.questions and 0 <= to < len(self.questions):
            self._change(c.MoveQuestion(self.item_id, self.index, to), to)

    def _change(self, command: c.Command, select: int) -> None:
        before = self.index
        self.index = select  # so that the screen's refresh after the command shows it
        if not self._edit(command):
            self.index = before
        self.refresh()
