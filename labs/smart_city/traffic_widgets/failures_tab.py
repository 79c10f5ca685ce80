"""Task 4, "Where it fails": where the last simulated day went over capacity under each plan, a shortcut to the
Monday after the holiday week timed on last week's counts, and the three questions.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGroupBox, QListWidget, QListWidgetItem, QSizePolicy,
                               QVBoxLayout, QWidget)

from app.core.formatting import date as format_date
from app.core.i18n import _
from app.ui.widgets import button
from labs.smart_city.traffic.simulate import DayResult
from labs.smart_city.traffic_lab import QUESTIONS, TIMED_ON_TITLES, day_title, hours_text, junction_name
from labs.panel_widgets import bold
from labs.smart_city.traffic_widgets.common import wrapping
from labs.smart_city.traffic_workspace import AFTER_HOLIDAY, TrafficWorkspace


def over_capacity_text(result: DayResult) -> str:
    """"Station Square 07:00–09:00 and 16:00–18:00; City Hall 08:00–09:00", or "none"."""
    hours: dict[str, list[int]] = {}
    for junction, hour in result.over_capacity_hours():
        hours.setdefault(junction, []).append(hour)
    if not hours:
        # TRANSLATORS: after "Fixed plan:" when no junction was over capacity in the simulated day.
        return _("no junction")
    parts = []
    for junction, found in hours.items():
        spans, start = [], found[0]
        previous = start
        for hour in found[1:]:
            if hour != previous + 1:
                spans.append(hours_text(start, previous))
                start = hour
            previous = hour
        spans.append(hours_text(start, previous))
        # TRANSLATORS: a junction and the hours it is over capacity, e.g. "Station Square 16:00–18:00".
        parts.append(_("{junction} {hours}").format(junction=junction_name(junction), hours=", ".join(spans)))
    return "; ".join(parts)


class FittingList(QListWidget):
    """A list as tall as its (wrapped) answers: no empty space below them, no scroll bar."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = max(120, self.viewport().width() - 16)  # the item's padding (app/ui/style.py) and a margin
        metrics = self.fontMetrics()
        height = sum(max(self.sizeHintForRow(row), metrics.boundingRect(
            QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, self.item(row).text()).height() + 14)
            for row in range(self.count()))
        return QSize(super().sizeHint().width(), height + 2 * self.frameWidth() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.updateGeometry()  # wrapped lines change with the width


class FailuresTab(QWidget):
    changed = Signal()
    try_holiday = Signal()  # the learner asked to simulate the Monday after the holiday on last week's counts

    def __init__(self, workspace: TrafficWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("A demand-responsive plan is only as good as two things: the capacity of the "
                                    "junctions and the forecast it is timed on. Look for both in your simulations.")))
        layout.addWidget(bold(wrapping(_("Over capacity in your last simulation (a degree of saturation of 1 or "
                                         "more: the queue grows):"))))
        self.capacity_label = wrapping()
        self.capacity_label.setAccessibleName(_("Junctions over capacity in your last simulation"))
        layout.addWidget(self.capacity_label)
        self.holiday_button = button(_("Simulate {date} on last week's counts").format(
            date=format_date(AFTER_HOLIDAY)), self.try_holiday.emit)
        layout.addWidget(self.holiday_button)
        box = QGroupBox(_("Questions"))
        questions = QVBoxLayout(box)
        self.answer_widgets: dict[str, QWidget] = {}
        for question in QUESTIONS:
            prompt = _(question.prompt).format(date=format_date(AFTER_HOLIDAY))
            questions.addWidget(wrapping(prompt))
            widget = self._answer_widget(question)
            widget.setAccessibleName(prompt)
            self.answer_widgets[question.id] = widget
            questions.addWidget(widget)
        layout.addWidget(box)
        layout.addStretch(1)
        self.refresh()

    def _answer_widget(self, question) -> QWidget:
        if not question.options:
            combo = QComboBox()
            combo.addItem(_("Choose a junction…"), "")
            for junction in self.workspace.district.intersections:
                combo.addItem(junction_name(junction.id), junction.id)
            combo.currentIndexChanged.connect(lambda _i, q=question.id, w=combo: self._answered(q, w.currentData()))
            return combo
        choices = FittingList()  # wraps long answers, unlike radio buttons
        choices.setWordWrap(True)
        choices.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for option_id, text in question.options:
            item = QListWidgetItem(_(text))
            item.setData(Qt.ItemDataRole.UserRole, option_id)
            choices.addItem(item)
        choices.itemSelectionChanged.connect(lambda q=question.id, w=choices: self._answered(
            q, w.selectedItems()[0].data(Qt.ItemDataRole.UserRole) if w.selectedItems() else ""))
        return choices

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            run = self.workspace.run
            if run is None:
                self.capacity_label.setText(_("Simulate a day in \"3. Simulate the day\" first."))
            else:
                self.capacity_label.setText(_("{day}, the responsive plan timed on {timed_on}.\nFixed plan: "
                                              "{fixed}.\nResponsive plan: {responsive}.").format(
                    day=day_title(run.day), timed_on=_(TIMED_ON_TITLES[run.timed_on]),
                    fixed=over_capacity_text(run.fixed),
                    responsive=over_capacity_text(run.responsive)))
            for question_id, widget in self.answer_widgets.items():
                answer = self.workspace.answers.get(question_id, "")
                if isinstance(widget, QComboBox):
                    widget.setCurrentIndex(max(0, widget.findData(answer)))
                else:
                    for row in range(widget.count()):
                        item = widget.item(row)
                        item.setSelected(item.data(Qt.ItemDataRole.UserRole) == answer)
            self.holiday_button.setEnabled(self.workspace.fixed_plan() is not None)
        finally:
            self._updating = False

    # --- answering ------------------------------------------------------------------------------------------------

    def _answered(self, question_id: str, answer: str) -> None:
        if self._updating or self.workspace.answers.get(question_id, "") == answer:
            return
        self.workspace.set_answer(question_id, answer)
        self.changed.emit()

    def answer(self, question_id: str, answer: str) -> None:
        """Choose an answer through the widgets, as the learner does (for tests and previews)."""
        widget = self.answer_widgets[question_id]
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(answer))
            return
        for row in range(widget.count()):
            if widget.item(row).data(Qt.ItemDataRole.UserRole) == answer:
                widget.setCurrentRow(row)
                return
        raise KeyError(answer)
