"""The builder: the bot's intents (examples, answer variants, links) and what it says when it cannot
answer (fallback, hand-off, out-of-scope examples).

Typing is committed to the workspace a moment after the learner stops (and before any action that
reads the bot: train, evaluate, export), so one pause is one change for autosave, not one per key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea, QSplitter,
                               QVBoxLayout, QWidget)

from app.core.i18n import _, ngettext
from labs.chatbot.engine.bot import FORM, LESSON, Link
from labs.chatbot.engine.workspace import ChatWorkspace, EditProblem

TYPING_PAUSE_MS = 400


def _lines(edit: QPlainTextEdit) -> list[str]:
    return edit.toPlainText().splitlines()


def _wrapping(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _text_box(name: str, lines: int, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines)
    return edit


def _button(text: str, on_click: Callable[[], Any]) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text)
    button.clicked.connect(lambda _checked=False: on_click())
    return button


class IntentsTab(QWidget):
    """Intents on one side; the selected intent's title, id, examples, answers and links on the other."""

    changed = Signal()

    def __init__(self, workspace: ChatWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self.confirm: Callable[[str, str], bool] = lambda title, text: True  # the panel sets a real question
        self._updating = False
        self._pending = False
        self._shown_id: str | None = None  # the intent the editor shows (and typed examples belong to)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.commit)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._list_side())
        splitter.addWidget(self._editor_side())
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.refresh()

    # --- building ----------------------------------------------------------------------------------

    def _list_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.addWidget(QLabel(_("Intents: what citizens ask about")))
        self.intent_list = QListWidget()
        self.intent_list.setAccessibleName(_("Intents"))
        self.intent_list.currentRowChanged.connect(self._intent_chosen)
        layout.addWidget(self.intent_list, 1)
        self.new_title = QLineEdit()
        self.new_title.setPlaceholderText(_("Title of a new intent, e.g. Renew a passport"))
        self.new_title.setAccessibleName(_("Title of a new intent"))
        self.new_title.returnPressed.connect(self.add_intent)
        layout.addWidget(self.new_title)
        row = QHBoxLayout()
        self.add_button = _button(_("Add intent"), self.add_intent)
        self.delete_button = _button(_("Delete intent"), self.delete_intent)
        row.addWidget(self.add_button)
        row.addWidget(self.delete_button)
        layout.addLayout(row)
        return side

    def _editor_side(self) -> QWidget:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.empty_note = _wrapping(_("Add an intent, or choose one in the list, to edit it here."))
        layout.addWidget(self.empty_note)
        self.editor = QWidget()
        editor = QVBoxLayout(self.editor)
        editor.setContentsMargins(0, 0, 0, 0)
        names = QFormLayout()
        names.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(_("Intent title"))
        self.id_edit = QLineEdit()
        self.id_edit.setAccessibleName(_("Intent id"))
        self.id_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # ids are a-z, 0-9 and _
        self.id_edit.setToolTip(_("Small letters a-z, digits and _; the bot file and the evaluation use it."))
        names.addRow(_("Title:"), self.title_edit)
        names.addRow(_("Id:"), self.id_edit)
        editor.addLayout(names)
        self.rename_button = _button(_("Save title and id"), self.rename_intent)
        editor.addWidget(self.rename_button, 0, Qt.AlignmentFlag.AlignLeading)

        self.examples_label = QLabel()
        editor.addWidget(self.examples_label)
        self.examples_edit = _text_box(_("Examples: one question per line"), 8,
                                       _("One way of asking per line, as citizens write it"))
        self.examples_edit.textChanged.connect(self._typed)
        self.examples_edit.installEventFilter(self)
        editor.addWidget(self.examples_edit, 2)

        answers_box = QGroupBox(_("Answers (variants are given in turn)"))
        answers = QVBoxLayout(answers_box)
        self.answer_list = QListWidget()
        self.answer_list.setAccessibleName(_("Answer variants"))
        self.answer_list.setWordWrap(True)
        self.answer_list.setAlternatingRowColors(True)  # where one variant ends and the next begins
        self.answer_list.setSpacing(2)
        self.answer_list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                         | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.answer_list.itemChanged.connect(lambda _item: self._answers_edited())
        answers.addWidget(self.answer_list)
        self.answer_edit = QLineEdit()
        self.answer_edit.setPlaceholderText(_("Type an answer, then Add answer"))
        self.answer_edit.setAccessibleName(_("New answer variant"))
        self.answer_edit.returnPressed.connect(self.add_answer)
        answers.addWidget(self.answer_edit)
        row = QHBoxLayout()
        self.add_answer_button = _button(_("Add answer"), self.add_answer)
        self.remove_answer_button = _button(_("Remove answer"), self.remove_answer)
        row.addWidget(self.add_answer_button)
        row.addWidget(self.remove_answer_button)
        row.addStretch(1)
        answers.addLayout(row)
        editor.addWidget(answers_box, 1)

        links_box = QGroupBox(_("Links under the answer"))
        links = QVBoxLayout(links_box)
        self.link_list = QListWidget()
        self.link_list.setAccessibleName(_("Links"))
        links.addWidget(self.link_list)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.link_kind = QComboBox()
        self.link_kind.setAccessibleName(_("Link to"))
        self.link_kind.addItem(_("A lesson"), LESSON)
        self.link_kind.addItem(_("A form"), FORM)
        self.link_kind.currentIndexChanged.connect(self._link_kind_chosen)
        self.link_title = QLineEdit()
        self.link_title.setAccessibleName(_("Link title"))
        self.link_target = QComboBox()
        self.link_target.setEditable(True)
        self.link_target.setAccessibleName(_("Link target"))
        self.link_target.lineEdit().setAccessibleName(_("Link target"))
        form.addRow(_("Link to:"), self.link_kind)
        form.addRow(_("Title:"), self.link_title)
        form.addRow(_("Target:"), self.link_target)
        links.addLayout(form)
        row = QHBoxLayout()
        self.add_link_button = _button(_("Add link"), self.add_link)
        self.remove_link_button = _button(_("Remove link"), self.remove_link)
        row.addWidget(self.add_link_button)
        row.addWidget(self.remove_link_button)
        row.addStretch(1)
        links.addLayout(row)
        editor.addWidget(links_box)
        layout.addWidget(self.editor, 1)
        self._link_kind_chosen()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    # --- showing the workspace ------------------------------------------------------------------------

    @property
    def current_id(self) -> str | None:
        item = self.intent_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def refresh(self, select: str | None = None) -> None:
        """Show the bot as it is; keep (or move to) the selected intent."""
        wanted = select or self.current_id
        self._updating = True
        try:
            self.intent_list.clear()
            for intent in self.workspace.bot.intents:
                item = QListWidgetItem(self._intent_caption(intent.id))
                item.setData(Qt.ItemDataRole.UserRole, intent.id)
                self.intent_list.addItem(item)
            ids = self.workspace.bot.intent_ids
            row = ids.index(wanted) if wanted in ids else (0 if ids else -1)
            self.intent_list.setCurrentRow(row)
        finally:
            self._updating = False
        self._show_intent()

    def _intent_caption(self, intent_id: str) -> str:
        intent = self.workspace.bot.intent(intent_id)
        count = len(intent.examples)
        caption = ngettext("{title} ({count} example)", "{title} ({count} examples)", count).format(
            title=intent.title, count=count)
        return ("★ " + caption) if intent_id not in self.workspace.origin.intents else caption

    def _show_intent(self) -> None:
        intent = self.workspace.bot.intent(self.current_id) if self.current_id else None
        self._shown_id = intent.id if intent else None
        self.editor.setVisible(intent is not None)
        self.empty_note.setVisible(intent is None)
        self.delete_button.setEnabled(intent is not None)
        if intent is None:
            return
        self._updating = True
        try:
            self.title_edit.setText(intent.title)
            self.id_edit.setText(intent.id)
            if _lines(self.examples_edit) != list(intent.examples):
                self.examples_edit.setPlainText("\n".join(intent.examples))
            self._count_examples()
            self.answer_list.clear()
            for answer in intent.answers:
                item = QListWidgetItem(answer)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.answer_list.addItem(item)
            self.link_list.clear()
            for link in intent.links:
                kind = _("Lesson") if link.kind == LESSON else _("Form")
                item = QListWidgetItem(_("{kind}: {title} → {target}").format(kind=kind, title=link.title,
                                                                             target=link.target))
                self.link_list.addItem(item)
        finally:
            self._updating = False

    def _count_examples(self) -> None:
        count = len([line for line in _lines(self.examples_edit) if line.strip()])
        self.examples_label.setText(ngettext("Examples ({count}): one way of asking per line",
                                             "Examples ({count}): one way of asking per line", count).format(
            count=count))

    def _link_kind_chosen(self, *_args: Any) -> None:
        self.link_target.clear()
        if self.link_kind.currentData() == LESSON:
            lessons = getattr(self.host, "lessons", None)
            for target, title in (lessons() if callable(lessons) else []):
                self.link_target.addItem(title, target)
            self.link_target.setPlaceholderText(_("course_id/item_id"))
            self.link_target.lineEdit().setPlaceholderText(_("course_id/item_id, e.g. "
                                                             "automation-and-chatbots/chatbot-design"))
        else:
            self.link_target.lineEdit().setPlaceholderText(_("The form's name or number, e.g. Form 1"))
        self.link_target.setEditText("")

    # --- the learner's edits ---------------------------------------------------------------------------

    def _typed(self) -> None:
        if self._updating:
            return
        self._count_examples()
        self._pending = True
        self._timer.start()

    def commit(self) -> None:
        """Put the examples typed into the workspace now (one change), for the intent they were typed for."""
        self._timer.stop()
        if not self._pending:
            return
        self._pending = False
        intent_id = self._shown_id
        if intent_id is None or self.workspace.bot.intent(intent_id) is None:
            return
        self.workspace.set_examples(intent_id, _lines(self.examples_edit))
        self._updating = True
        for index in range(self.intent_list.count()):
            item = self.intent_list.item(index)
            if item.data(Qt.ItemDataRole.UserRole) == intent_id:
                item.setText(self._intent_caption(intent_id))
        self._updating = False
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:  # leaving the field (e.g. for "Check my work") commits it
            self.commit()
        return super().eventFilter(watched, event)

    def discard(self) -> None:
        """Forget typing not yet committed (the whole bot is being replaced)."""
        self._timer.stop()
        self._pending = False

    def _intent_chosen(self, _row: int) -> None:
        if self._updating:
            return
        self.commit()
        self._show_intent()

    def select_intent(self, intent_id: str) -> None:
        ids = self.workspace.bot.intent_ids
        if intent_id in ids:
            self.intent_list.setCurrentRow(ids.index(intent_id))

    def _tell(self, problem: Exception) -> None:
        self.host.tell(_("That change cannot be made"), str(problem))

    def add_intent(self) -> None:
        self.commit()
        try:
            intent = self.workspace.add_intent(self.new_title.text())
        except EditProblem as problem:
            self._tell(problem)
            return
        self.new_title.clear()
        self.refresh(select=intent.id)
        self.changed.emit()
        self.examples_edit.setFocus()

    def rename_intent(self) -> None:
        intent_id = self.current_id
        if intent_id is None:
            return
        self.commit()
        try:
            self.workspace.rename_intent(intent_id, self.id_edit.text(), self.title_edit.text())
        except EditProblem as problem:
            self._tell(problem)
            self._show_intent()
            return
        self.refresh(select=self.id_edit.text().strip())
        self.changed.emit()

    def delete_intent(self) -> None:
        intent_id = self.current_id
        if intent_id is None:
            return
        intent = self.workspace.bot.intent(intent_id)
        if not self.confirm(_("Delete this intent?"), _("Delete \"{title}\" with its {count} examples and its answers?")
                            .format(title=intent.title, count=len(intent.examples))):
            return
        self._timer.stop()
        self._pending = False
        row = self.intent_list.currentRow()
        self.workspace.delete_intent(intent_id)
        ids = self.workspace.bot.intent_ids
        self.refresh(select=ids[min(row, len(ids) - 1)] if ids else None)
        self.changed.emit()

    def _answers_edited(self) -> None:
        if self._updating or self.current_id is None:
            return
        answers = [self.answer_list.item(i).text() for i in range(self.answer_list.count())]
        self.workspace.set_answers(self.current_id, answers)
        if any(not text.strip() for text in answers):
            self._show_intent()  # an emptied variant is removed
        self.changed.emit()

    def add_answer(self) -> None:
        text = self.answer_edit.text().strip()
        if not text or self.current_id is None:
            return
        self.commit()
        intent = self.workspace.bot.intent(self.current_id)
        self.workspace.set_answers(intent.id, intent.answers + (text,))
        self.answer_edit.clear()
        self._show_intent()
        self.changed.emit()

    def remove_answer(self) -> None:
        row = self.answer_list.currentRow()
        if row < 0 or self.current_id is None:
            return
        intent = self.workspace.bot.intent(self.current_id)
        self.workspace.set_answers(intent.id, intent.answers[:row] + intent.answers[row + 1:])
        self._show_intent()
        self.changed.emit()

    def add_link(self) -> None:
        if self.current_id is None:
            return
        index = self.link_target.currentIndex()
        typed = self.link_target.currentText().strip()
        # A lesson picked from the list carries its course_id/item_id; a typed one is taken as written.
        target = (self.link_target.itemData(index) if index >= 0 and self.link_target.itemText(index) == typed
                  and self.link_target.itemData(index) else typed)
        title = self.link_title.text().strip() or (typed if target != typed else "")
        intent = self.workspace.bot.intent(self.current_id)
        try:
            self.workspace.set_links(intent.id, intent.links + (Link(self.link_kind.currentData(), title, target),))
        except EditProblem as problem:
            self._tell(problem)
            return
        self.link_title.clear()
        self.link_target.setEditText("")
        self._show_intent()
        self.changed.emit()

    def remove_link(self) -> None:
        row = self.link_list.currentRow()
        if row < 0 or self.current_id is None:
            return
        intent = self.workspace.bot.intent(self.current_id)
        self.workspace.set_links(intent.id, intent.links[:row] + intent.links[row + 1:])
        self._show_intent()
        self.changed.emit()


class UnsureTab(QWidget):
    """What the bot says when it cannot answer: the fallback (out of scope), the hand-off (unsure),
    and the out-of-scope examples it learns to decline."""

    changed = Signal()

    def __init__(self, workspace: ChatWorkspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self._updating = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.commit)
        self._pending = False
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(_wrapping(_("Fallback: the answer to questions outside the bot's services (out of scope). "
                                     "Say what it can help with.")))
        self.fallback_edit = _text_box(_("Fallback answer"), 3)
        layout.addWidget(self.fallback_edit)
        layout.addWidget(_wrapping(_("Hand-off: when the bot is not sure enough (its confidence is under the "
                                     "threshold), it says this and passes the citizen to a person.")))
        self.handoff_edit = _text_box(_("Hand-off message"), 3)
        layout.addWidget(self.handoff_edit)
        for edit in (self.fallback_edit, self.handoff_edit):  # a few sentences; the examples below get the room
            edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * 6)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.contact_edit = QLineEdit()
        self.contact_edit.setAccessibleName(_("Contact for the hand-off"))
        self.contact_edit.setPlaceholderText(_("e.g. Call 110 (weekdays 9:00-18:00) or help@city.example"))
        form.addRow(_("Contact:"), self.contact_edit)
        layout.addLayout(form)
        self.oos_label = QLabel()
        layout.addWidget(self.oos_label)
        self.oos_edit = _text_box(_("Out-of-scope examples: one per line"), 8,
                                  _("Questions the bot must NOT answer: weather, sport, other countries' services…"))
        layout.addWidget(self.oos_edit, 1)
        for edit in (self.fallback_edit, self.handoff_edit, self.oos_edit):
            edit.textChanged.connect(self._typed)
            edit.installEventFilter(self)
        self.contact_edit.textChanged.connect(self._typed)
        self.contact_edit.installEventFilter(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.refresh()

    def refresh(self) -> None:
        bot = self.workspace.bot
        self._updating = True
        try:
            for edit, text in ((self.fallback_edit, bot.fallback), (self.handoff_edit, bot.handoff.message)):
                if edit.toPlainText().strip() != text:
                    edit.setPlainText(text)
            if self.contact_edit.text().strip() != bot.handoff.contact:
                self.contact_edit.setText(bot.handoff.contact)
            if [line.strip() for line in _lines(self.oos_edit) if line.strip()] != list(bot.out_of_scope):
                self.oos_edit.setPlainText("\n".join(bot.out_of_scope))
            self._count()
        finally:
            self._updating = False

    def _count(self) -> None:
        count = len([line for line in _lines(self.oos_edit) if line.strip()])
        self.oos_label.setText(ngettext("Out-of-scope examples ({count}): one per line",
                                        "Out-of-scope examples ({count}): one per line", count).format(count=count))

    def _typed(self) -> None:
        if self._updating:
            return
        self._count()
        self._pending = True
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:  # leaving the field (e.g. for "Check my work") commits it
            self.commit()
        return super().eventFilter(watched, event)

    def discard(self) -> None:
        self._timer.stop()
        self._pending = False

    def commit(self) -> None:
        self._timer.stop()
        if not self._pending:
            return
        self._pending = False
        self.workspace.set_fallback(self.fallback_edit.toPlainText())
        self.workspace.set_handoff(self.handoff_edit.toPlainText(), self.contact_edit.text())
        self.workspace.set_out_of_scope(_lines(self.oos_edit))
        self.changed.emit()
