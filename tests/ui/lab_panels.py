"""What the smart-city labs' panel tests share: reading text without the isolates, finding controls without an
accessible name, typing as a learner does, and opening a lab in the real window from a one-lab course."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QWidget,
)

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox)


def plain(text: str) -> str:
    """Without the isolates that keep numbers, times and formulas left to right in a right-to-left sentence."""
    return text.replace("\u2068", "").replace("\u2069", "")


def _named(widget) -> bool:
    parent = widget.parentWidget()
    if isinstance(widget, (QLineEdit, QHeaderView)) and isinstance(parent, (QAbstractSpinBox, QAbstractItemView)):
        return bool(parent.accessibleName().strip())
    return bool(widget.accessibleName().strip())


def unnamed(widget) -> list[str]:
    """The visible controls under `widget` that a screen reader could not name."""
    return [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}" for w in widget.findChildren(QWidget)
            if isinstance(w, CONTROLS) and w.isVisible() and not _named(w)]


def type_and_leave(qtbot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)
    edit.editingFinished.emit()  # as when the learner tabs away


def lab_course(data_dir: Path, lab_id: str) -> Path:
    """A data folder whose catalogue holds a course "lab-course" with the lab as its second item."""
    from tests.core.test_lab_record import make_course

    make_course(data_dir / "courses" / "lab-course", lab=lab_id)
    return data_dir


def open_lab_in_window(qtbot, data_dir: Path, locale: str):
    """The real window on `lab_course`'s lab (a profile made on the first start); (window, course, lab screen)."""
    from tests.ui.helpers import click, open_window

    window = open_window(qtbot, data_dir, locale=locale)
    if hasattr(window.screen, "name"):  # the first start: a profile
        qtbot.keyClicks(window.screen.name, "Kim")
        click(qtbot, window.screen.start)
    course = window.services.catalogue.course("lab-course")
    screen = window.screen
    if getattr(screen, "item", None) is None or screen.item.id != course.items[1].id:
        window.open_item(course.id, course.items[1].id)  # on a later start the window resumes in the lab itself
        screen = window.screen
    qtbot.waitUntil(lambda: screen.panel is not None and screen.panel.isVisible(), timeout=60000)
    return window, course, screen
