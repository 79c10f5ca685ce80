"""The course outline: modules and their lessons, quizzes and labs; drag to reorder."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from app.core.authoring.document import CourseDocument
from app.core.i18n import _

ROLE_ID = Qt.ItemDataRole.UserRole
ROLE_KIND = Qt.ItemDataRole.UserRole + 1


class OutlineTree(QTreeWidget):
    moved = Signal(str, str, str, int)  # kind ("module"/"item"), id, target module id, index

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setAccessibleName(_("Course outline"))
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def fill(self, document: CourseDocument, selected: str | None) -> None:
        self.blockSignals(True)
        self.clear()
        labels = {"lesson": _("Lesson"), "quiz": _("Quiz"), "lab": _("Lab")}
        course = QTreeWidgetItem([_("Course details")])
        course.setData(0, ROLE_ID, "")
        course.setData(0, ROLE_KIND, "course")
        course.setFlags(course.flags() & ~Qt.ItemFlag.ItemIsDragEnabled & ~Qt.ItemFlag.ItemIsDropEnabled)
        self.addTopLevelItem(course)
        current = course
        for module in document.modules:
            node = QTreeWidgetItem([str(module.get("title", ""))])
            node.setData(0, ROLE_ID, module.get("id"))
            node.setData(0, ROLE_KIND, "module")
            self.addTopLevelItem(node)
            current = node if module.get("id") == selected else current
            for item in module.get("items") or []:
                kind = document.kind(item)
                child = QTreeWidgetItem([_("{kind}: {title}").format(kind=labels.get(kind, kind),
                                                                       title=item.get("title", ""))])
                child.setData(0, ROLE_ID, item.get("id"))
                child.setData(0, ROLE_KIND, kind)
                child.setFlags(child.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)  # items hold nothing
                node.addChild(child)
                current = child if item.get("id") == selected else current
        self.expandAll()
        self.setCurrentItem(current)
        self.blockSignals(False)

    def dropEvent(self, event) -> None:
        """Let Qt move the row, then say where it went; the screen makes it an undoable command and
        rebuilds the tree from the document."""
        dragged = self.currentItem()
        if dragged is None:
            return
        kind, node_id = dragged.data(0, ROLE_KIND), dragged.data(0, ROLE_ID)
        super().dropEvent(event)
        parent = dragged.parent()
        if kind == "module":
            if parent is not None:  # a module dropped inside another: not allowed
                event.ignore()
                self.moved.emit("", "", "", 0)
                return
            self.moved.emit("module", node_id, "", max(0, self.indexOfTopLevelItem(dragged) - 1))
        elif parent is None or parent.data(0, ROLE_KIND) != "module":
            event.ignore()
            self.moved.emit("", "", "", 0)  # refused: the screen restores the outline
        else:
            self.moved.emit("item", node_id, parent.data(0, ROLE_ID), parent.indexOfChild(dragged))
