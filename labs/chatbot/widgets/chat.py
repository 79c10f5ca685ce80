"""The test chat: the learner's questions and the bot's replies as bubbles.

Each bubble's text direction follows its own text (an Arabic question reads right-to-left even in
an English window, an English one left-to-right in an Arabic window), whatever the window's direction.
Under each reply a line says what the bot decided: the intent and its confidence, "unsure, handed to a
person", or "out of scope".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.core.i18n import _
from labs.chatbot.engine.bot import LESSON
from labs.chatbot.engine.workspace import ANSWER, FALLBACK, Turn

QUESTION_STYLE = "QFrame#question { background: #dcecff; border-radius: 10px; }"
REPLY_STYLE = "QFrame#reply { background: #f1f1f1; border-radius: 10px; }"
HANDOFF_STYLE = "QFrame#reply { background: #fff4e5; border: 1px solid #e0a040; border-radius: 10px; }"


def text_direction(text: str, default: Qt.LayoutDirection = Qt.LayoutDirection.LeftToRight) -> Qt.LayoutDirection:
    """The direction of a paragraph, from its first strongly directional letter (the Unicode bidi rule)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return Qt.LayoutDirection.LeftToRight
        if kind in ("R", "AL"):
            return Qt.LayoutDirection.RightToLeft
    return default


def directed_label(text: str) -> QLabel:
    """A wrapping, selectable label laid out in its own text's direction."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    direction = text_direction(text)
    label.setLayoutDirection(direction)
    # Qt.AlignLeading is the start of the line in the label's own direction.
    label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
    return label


class Bubble(QFrame):
    """One message. `text_label` holds the message in its own direction."""

    def __init__(self, text: str, from_bot: bool, note: str = "", handoff: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.from_bot = from_bot
        self.setObjectName("reply" if from_bot else "question")
        self.setStyleSheet(HANDOFF_STYLE if handoff else REPLY_STYLE if from_bot else QUESTION_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.text_label = directed_label(text)
        self.text_label.setAccessibleName(_("The bot's reply") if from_bot else _("Your question"))
        layout.addWidget(self.text_label)
        self.note_label = QLabel(note)
        self.note_label.setWordWrap(True)
        self.note_label.setObjectName("Muted")
        self.note_label.setVisible(bool(note))
        layout.addWidget(self.note_label)
        self.link_buttons: list[QPushButton] = []

    @property
    def text(self) -> str:
        return self.text_label.text()

    def add_link(self, caption: str, on_click: Callable[[], None] | None) -> None:
        if on_click is None:
            label = QLabel(caption)
            label.setWordWrap(True)
            self.layout().addWidget(label)
            return
        button = QPushButton(caption)
        button.setAccessibleName(caption)
        button.clicked.connect(on_click)
        self.link_buttons.append(button)
        self.layout().addWidget(button, 0, Qt.AlignmentFlag.AlignLeading)


def reply_note(turn: Turn, title: str) -> str:
    """What the bot decided, in words, with the numbers."""
    confidence = f"{turn.confidence:.0%}"
    if turn.kind == ANSWER:
        return _("Intent: {title} · confidence {confidence}").format(title=title, confidence=confidence)
    if turn.kind == FALLBACK:
        return _("Out of scope ({confidence} sure): the fallback answer.").format(confidence=confidence)
    return _("Unsure: {title} at {confidence}, below your threshold {threshold}. Handed over to a person.").format(
        title=title, confidence=confidence, threshold=f"{turn.threshold:.2f}")


class ChatView(QScrollArea):
    """The transcript as bubbles: questions on one side, replies on the other."""

    def __init__(self, open_lesson: Callable[[str], object] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.open_lesson = open_lesson
        self.setWidgetResizable(True)
        self.setAccessibleName(_("Test chat"))
        inner = QWidget()
        self.column = QVBoxLayout(inner)
        self.column.addStretch(1)
        self.setWidget(inner)
        self.bubbles: list[Bubble] = []

    def clear(self) -> None:
        while self.column.count() > 1:  # every row, not the closing stretch
            item = self.column.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.bubbles = []

    def _add(self, bubble: Bubble) -> None:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        # Questions on the trailing side, replies on the leading side (mirrored in a right-to-left window).
        if bubble.from_bot:
            line.addWidget(bubble, 4)
            line.addStretch(1)
        else:
            line.addStretch(1)
            line.addWidget(bubble, 4)
        self.column.insertWidget(self.column.count() - 1, row)
        self.bubbles.append(bubble)

    def add_turn(self, turn: Turn, title_of: Callable[[str], str]) -> None:
        self._add(Bubble(turn.question, from_bot=False))
        reply = Bubble(turn.reply, from_bot=True, note=reply_note(turn, title_of(turn.label)),
                       handoff=turn.kind != ANSWER)
        for link in turn.links:
            if link.kind == LESSON:
                target = link.target
                opener = (lambda _checked=False, t=target: self.open_lesson(t)) if self.open_lesson else None
                reply.add_link(_("Lesson: {title}").format(title=link.title), opener)
            else:
                title, target = link.title.strip(), link.target.strip()
                if title.casefold() in target.casefold():  # "Passport form (Form 1)" already says both
                    text = _("Form: {title}").format(title=target)
                elif not target or target.casefold() in title.casefold():
                    text = _("Form: {title}").format(title=title)
                else:
                    text = _("Form: {title} ({target})").format(title=title, target=target)
                reply.add_link(text, None)
        self._add(reply)

    def show_transcript(self, turns: list[Turn], title_of: Callable[[str], str]) -> None:
        self.clear()
        for turn in turns:
            self.add_turn(turn, title_of)

    def scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
