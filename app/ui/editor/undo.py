"""A core authoring command as a QUndoCommand, so Ctrl+Z / Ctrl+Shift+Z undo and redo it."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from app.core.authoring.commands import Command
from app.core.authoring.document import CourseDocument

_MERGE_ID = 1


class EditCommand(QUndoCommand):
    def __init__(self, document: CourseDocument, command: Command, on_change):
        super().__init__(command.text)
        self.document, self.command, self.on_change = document, command, on_change
        self._done = False

    def redo(self) -> None:
        if self._done:
            self.document.redo(self.command)
        else:  # the first time it is applied for real (the screen applies it before pushing)
            self._done = True
        self.on_change(self.command)

    def undo(self) -> None:
        self.document.undo(self.command)
        self.on_change(self.command)

    def id(self) -> int:
        return _MERGE_ID if self.command.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Typing in one lesson or field is one undo step: keep our `before`, take the other's `after`.
        if not isinstance(other, EditCommand) or other.command.merge_key != self.command.merge_key:
            return False
        self.command.after = other.command.after
        return True
