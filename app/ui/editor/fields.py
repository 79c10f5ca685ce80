"""Filling editor fields from the document without making a command: signals blocked, the cursor kept."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit

from app.ui.editor.question_data import parse_number


def set_text(widget, text: str) -> None:
    widget.blockSignals(True)
    if isinstance(widget, QPlainTextEdit):
        if widget.toPlainText() != text:
            cursor = widget.textCursor().position()
            widget.setPlainText(text)
            cursor_obj = widget.textCursor()
            cursor_obj.setPosition(min(cursor, len(text)))
            widget.setTextCursor(cursor_obj)
    elif widget.text() != text:
        widget.setText(text)
    widget.blockSignals(False)


def show_text(widget, text: str, number: bool = False) -> None:
    """set_text for a form field that may be the one being typed in: text that says the same as what
    is there ('32,' for 32, 'road ' for 'road') is left alone, so typing is never rewritten under the
    cursor."""
    current = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
    if number and parse_number(current) == parse_number(text):
        return
    if current.strip() == text.strip() and current.strip():
        return
    set_text(widget, text)


def text_editor(name: str, tab_moves_focus: bool = False) -> QPlainTextEdit:
    editor = QPlainTextEdit()
    editor.setUndoRedoEnabled(False)  # undo is the screen's, across every field
    editor.setAccessibleName(name)
    editor.setTabChangesFocus(tab_moves_focus)  # a form's text box: Tab goes on to the next field
    return editor
