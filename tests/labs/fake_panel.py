"""The Qt panel of the test lab: a line edit and an "Add" button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget


class WordsPanel(QWidget):
    changed = Signal()

    def __init__(self, workspace, host, parent=None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        layout = QHBoxLayout(self)
        self.edit = QLineEdit()
        self.add = QPushButton("Add")
        layout.addWidget(self.edit)
        layout.addWidget(self.add)
        self.add.clicked.connect(self.add_word)

    def add_word(self) -> None:
        self.workspace.words.append(self.edit.text())
        self.edit.clear()
        self.changed.emit()
