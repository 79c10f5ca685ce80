"""The course editor: outline, the form for what is selected, problems as you type, undo, save.

    screen = CourseEditorScreen(principal, folder)     # refuses a learner (NotAllowed) in the core

Edits go through the core's commands (app/core/authoring), so the rules live there: a learner's
principal is refused by the document itself, not only by hiding this screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (QHBoxLayout, QInputDialog, QLabel, QListWidget, QPushButton, QSplitter,
                               QStackedWidget, QVBoxLayout, QWidget)

from app.core.accounts.roles import Principal
from app.core.authoring import commands as c
from app.core.authoring import saving
from app.core.authoring.document import CourseDocument
from app.core.i18n import _
from app.core.problems import InvalidInput
from app.ui.editor.outline import ROLE_ID, ROLE_KIND, OutlineTree
from app.ui.editor.panes import DetailsPane, ItemPane
from app.ui.editor.undo import EditCommand

CHECK_DELAY_MS = 400  # problems are re-checked this long after the last keystroke
PREVIEW_DELAY_MS = 150


class CourseEditorScreen(QWidget):
    def __init__(self, principal: Principal, course_folder: Path, parent=None):
        super().__init__(parent)
        from labs.registry import lab_ids

        self.principal = principal
        self.labs = lab_ids()
        self.document = CourseDocument.open(principal, Path(course_folder))
        self.undo_stack = QUndoStack(self)
        self._selected: str | None = None
        self._from_field = False  # a field is the source of the change: do not refill it

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.undo_action = self.undo_stack.createUndoAction(self, _("Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, _("Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.undo_button = QPushButton(_("Undo"))
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button = QPushButton(_("Redo"))
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.add_module_button = QPushButton(_("Add module"))
        self.add_module_button.clicked.connect(lambda: self._add_module(_("New module")))
        self.add_buttons = {}
        for kind, label in (("lesson", _("Add lesson")), ("quiz", _("Add quiz")), ("lab", _("Add lab"))):
            self.add_buttons[kind] = QPushButton(label)
            self.add_buttons[kind].clicked.connect(lambda _c=False, k=kind: self.add_item(k))
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save)
        for widget in (self.undo_button, self.redo_button, self.add_module_button, *self.add_buttons.values(),
                       self.remove_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)

        split = QSplitter()
        self.outline = OutlineTree()
        self.outline.currentItemChanged.connect(lambda *_a: self._show_selected())
        self.outline.moved.connect(self._moved)
        split.addWidget(self.outline)
        self.stack = QStackedWidget()
        self.details = DetailsPane(self.edit)
        self.item_pane = ItemPane(self.edit, self.labs)
        self.stack.addWidget(self.details)
        self.stack.addWidget(self.item_pane)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.problems = QListWidget()
        self.problems.setAccessibleName(_("Problems"))
        layout.addWidget(self.problems)

        self.check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self.check_timer.timeout.connect(self.check_now)
        self.preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.item_pane.refresh_preview)
        self.outline.fill(self.document, None)
        self._show_selected()
        self.check_now()

    # -- editing
    def focus_first(self) -> None:
        self.outline.setFocus()

    def edit(self, command: c.Command) -> bool:
        """Apply a command and put it on the undo stack; a refused one is said in the status line."""
        try:
            self.document.apply(command)
        except InvalidInput as err:
            self.status.setText("\n".join(str(p) for p in err.problems))
            return False
        except (KeyError, IndexError, ValueError):
            return False  # the field belongs to something no longer in the course
        self._from_field = True
        try:
            self.undo_stack.push(EditCommand(self.document, command, self._changed))
        finally:
            self._from_field = False
        return True

    def _changed(self, command: c.Command) -> None:
        structural = not isinstance(command, (c.EditLesson, c.SetQuizText, c.SetMetadata, c.AddImage,
                                                  c.EditQuestion, c.SetDraw))
        new_id = getattr(command, "item_id", "") or getattr(command, "module_id", "")
        if isinstance(command, (c.AddItem, c.AddModule)) and new_id:
            self._selected = new_id
        if structural:
            self.outline.fill(self.document, self._selected)
        if not self._from_field or structural:
            self._show_selected()
        self.status.setText("")
        self.preview_timer.start()
        self.check_timer.start()

    def _show_selected(self) -> None:
        node = self.outline.currentItem()
        kind = node.data(0, ROLE_KIND) if node else "course"
        node_id = node.data(0, ROLE_ID) if node else ""
        self._selected = node_id or None
        self.remove_button.setEnabled(kind != "course")
        try:
            if kind == "course":
                self.details.show_document(self.document)
                self.stack.setCurrentWidget(self.details)
            else:
                self.item_pane.show_node(self.document, node_id, kind)
                self.stack.setCurrentWidget(self.item_pane)
        except KeyError:  # undone away: show the course
            self.outline.fill(self.document, None)

    def _current_module(self) -> str | None:
        node = self.outline.currentItem()
        if node is None or node.data(0, ROLE_KIND) == "course":
            return self.document.modules[-1]["id"] if self.document.modules else None
        if node.data(0, ROLE_KIND) == "module":
            return node.data(0, ROLE_ID)
        return node.parent().data(0, ROLE_ID)

    def _add_module(self, title: str) -> None:
        self.edit(c.AddModule(title))

    def add_item(self, kind: str, title: str | None = None, lab: str | None = None) -> None:
        module_id = self._current_module()
        if module_id is None:
            self._add_module(_("New module"))
            module_id = self.document.modules[-1]["id"]
        if kind == "lab" and lab is None:
            lab, ok = QInputDialog.getItem(self, _("Add lab"), _("Lab"), list(self.labs), 0, False)
            if not ok:
                return
        default = {"lesson": _("New lesson"), "quiz": _("New quiz"), "lab": _("New lab")}[kind]
        self.edit(c.AddItem(module_id, kind, title or default, lab=lab or ""))

    def remove_selected(self) -> None:
        node = self.outline.currentItem()
        if node is None or node.data(0, ROLE_KIND) == "course":
            return
        node_id = node.data(0, ROLE_ID)
        self._selected = None
        self.edit(c.RemoveModule(node_id) if node.data(0, ROLE_KIND) == "module" else c.RemoveItem(node_id))

    def _moved(self, kind: str, node_id: str, module_id: str, index: int) -> None:
        self._selected = node_id or self._selected
        moved = (kind == "module" and self.edit(c.MoveModule(node_id, index))) or \
                (kind == "item" and self.edit(c.MoveItem(node_id, module_id, index)))
        if not moved:  # refused drop: put the outline back as the document has it
            QTimer.singleShot(0, self, lambda: self.outline.fill(self.document, self._selected))

    # -- checking and saving
    def check_now(self) -> None:
        found = self.document.problems(self.labs, translations=False)
        self.problems.clear()
        self.problems.addItems([str(p) for p in found] or [_("No problems found.")])
        self._fit_problems()
        self.item_pane.show_problems(found)

    def _fit_problems(self) -> None:
        """As tall as its lines, up to five: "No problems found." takes one line, not the form's room."""
        rows = min(max(1, self.problems.count()), 5)
        line = max(self.problems.sizeHintForRow(0), self.problems.fontMetrics().height())
        self.problems.setFixedHeight(rows * line + 2 * self.problems.frameWidth() + 6)

    # -- leaving: the window asks before it replaces this screen
    def has_unsaved_changes(self) -> bool:
        return not self.undo_stack.isClean()

    def confirm_leave(self) -> bool:
        """Save, discard or stay when there are unsaved edits; True when the window may go on."""
        from app.ui import dialogs

        if not self.has_unsaved_changes():
            return True
        title = str(self.document.manifest.get("title") or self.document.folder.name)
        choice = dialogs.ask_unsaved(self, _("The course “{title}”").format(title=title))
        if choice == dialogs.SAVE:
            return self.save()  # not saved (problems listed): stay
        return choice == dialogs.DISCARD

    def leaving(self) -> None:
        """Replaced or the window closes: drop the undo history now, while Python is alive. Qt would
        otherwise delete our Python-made undo commands late (at exit), which crashes."""
        self.check_timer.stop()
        self.preview_timer.stop()
        self.undo_stack.clear()

    def reopen(self) -> "CourseEditorScreen":
        """The same course in a new editor (after a language change), as saved."""
        return CourseEditorScreen(self.principal, self.document.folder)

    def save(self) -> bool:
        try:
            version = saving.save_course(self.principal, self.document, self.labs)
        except InvalidInput as err:
            self.problems.clear()
            self.problems.addItems([str(p) for p in err.problems])
            self._fit_problems()
            self.status.setText(_("Not saved: fix the problems listed below first."))
            return False
        self.undo_stack.setClean()
        self.details.show_document(self.document)
        self.status.setText(_("Saved, version {version}.").format(version=version))
        return True
