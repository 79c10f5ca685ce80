"""The automation lab's "Routing" tab: train a router on citizen requests, set the confidence threshold,
see the review queue, the trade-off per threshold and the results per language.

All numbers come from RoutingWork / RoutingResult (labs/automation/engine/routing.py). Training runs off
the GUI thread through `host.run`; the work is changed only here, on the GUI thread, and every change
emits `changed` (typing and dragging the threshold emit it after a short pause, not per key or pixel).
`python -m labs.automation.routing_tab` opens the tab alone.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QSlider, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from app.core.i18n import N_, _, ngettext
from labs.automation.engine.routing import (TEST_SHARES, RoutingResult, RoutingWork, department_title, language_name,
                                            percent, train_routing)

ACCURACY_COLOUR = QColor(46, 139, 87)
AUTO_COLOUR = QColor(47, 111, 171)
QUEUE_ROWS = 300  # the queue table shows the least sure requests first; more would only slow the screen


def _wrapping(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _table(headers: list[str], accessible_name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAccessibleName(accessible_name)
    table.horizontalHeader().setAccessibleName(_("Column headings: {table}").format(table=accessible_name))
    return table


def _item(text: str, number: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if number:  # numbers line up on their right edge, also in a right-to-left table
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute
                              | Qt.AlignmentFlag.AlignVCenter)
    return item


def _text_item(text: str) -> QTableWidgetItem:
    """A request as typed: its own direction (an Arabic request reads right-to-left in an English table)."""
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


class TradeOffChart(pg.PlotWidget):
    """Share routed automatically and accuracy of those, as the threshold moves; a line at the current one."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, background="w")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # axes read left to right in every language
        self.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAccessibleName(_("Chart: share routed automatically and accuracy by threshold"))
        self.setMinimumHeight(220)
        self.setMenuEnabled(False)
        self.showGrid(x=True, y=True, alpha=0.2)
        self.setLabel("bottom", _("Threshold"))
        self.setYRange(0, 1.02, padding=0)
        self.setXRange(0, 1, padding=0.02)
        self.addLegend(offset=(10, 10))
        self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen("#888", style=Qt.PenStyle.DashLine))
        self.points = 0

    def show_sweep(self, sweep: list, threshold: float) -> None:
        self.clear()
        xs = [s.threshold for s in sweep]
        self.plot(xs, [s.auto_share for s in sweep], pen=pg.mkPen(AUTO_COLOUR, width=2),
                  name=_("Routed automatically"))
        accurate = [(s.threshold, s.auto_accuracy) for s in sweep if s.auto_accuracy is not None]
        self.plot([x for x, _y in accurate], [y for _x, y in accurate], pen=pg.mkPen(ACCURACY_COLOUR, width=2),
                  name=_("Right, of those routed automatically"))
        self.points = len(xs)
        self.addItem(self.marker)
        self.marker.setValue(threshold)
        self.setToolTip("\n".join(f"{s.threshold:.2f}: {percent(s.auto_share)} / {percent(s.auto_accuracy)}"
                                  for s in sweep))


class RoutingTab(QWidget):
    changed = Signal()
    trained = Signal()  # results of a new training are on screen

    def __init__(self, work: RoutingWork, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.work, self.host = work, host
        self._updating = False
        self._training = False
        self._settle = QTimer(self)  # dragging or typing emits `changed` once it pauses
        self._settle.setSingleShot(True)
        self._settle.setInterval(300)
        self._settle.timeout.connect(self.changed.emit)

        layout = QVBoxLayout(self)
        layout.addWidget(_wrapping(_(
            "A router reads each request and suggests a department, with its confidence (0 to 1). Above the "
            "threshold you set, the request goes straight to that department; below it, a person checks it first. "
            "The router learns from the training part of the requests and is tested on the rest.")))
        layout.addLayout(self._training_row())
        layout.addWidget(self._threshold_box())
        self.views = QTabWidget()
        self.views.setAccessibleName(_("Routing results"))
        self.views.addTab(self._trade_off_view(), _("Threshold and workload"))
        self.views.addTab(self._queue_view(), _("Review queue"))
        self.views.addTab(self._language_view(), _("By language"))
        self.views.addTab(self._try_view(), _("Try a request"))
        layout.addWidget(self.views, 1)
        layout.addWidget(self._questions_box())
        self.refresh()

    # ------------------------------------------------------------------ building
    def _training_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Keep for testing:")))
        self.test_share = QComboBox()
        self.test_share.setAccessibleName(_("Share of the requests kept for testing"))
        for share in TEST_SHARES:
            self.test_share.addItem(percent(share), share)
        self.test_share.currentIndexChanged.connect(self._test_share_chosen)
        row.addWidget(self.test_share)
        self.train_button = QPushButton(_("Train the router"))
        self.train_button.setAccessibleName(_("Train the router"))
        self.train_button.clicked.connect(self.train)
        row.addWidget(self.train_button)
        self.status = _wrapping()
        self.status.setAccessibleName(_("Training status"))
        row.addWidget(self.status, 1)
        return row

    def _threshold_box(self) -> QGroupBox:
        box = QGroupBox(_("Confidence threshold"))
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setAccessibleName(_("Confidence threshold slider"))
        self.slider.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # 0 on the left, like the chart
        self.slider.valueChanged.connect(lambda v: self._threshold_chosen(v / 100))
        self.spin = QDoubleSpinBox()
        self.spin.setRange(0.0, 1.0)
        self.spin.setSingleStep(0.01)
        self.spin.setDecimals(2)
        self.spin.setAccessibleName(_("Confidence threshold"))
        self.spin.findChild(QLineEdit).setAccessibleName(_("Confidence threshold"))  # the box's own text field
        self.spin.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.spin.valueChanged.connect(self._threshold_chosen)
        row.addWidget(self.slider, 1)
        row.addWidget(self.spin)
        layout.addLayout(row)
        form = QFormLayout()
        self.auto_label, self.auto_accuracy_label = QLabel(), QLabel()
        self.accuracy_label, self.review_label, self.per_day_label = QLabel(), QLabel(), QLabel()
        form.addRow(_("Routed automatically:"), self.auto_label)
        form.addRow(_("Right, of those routed automatically:"), self.auto_accuracy_label)
        form.addRow(_("Right overall (the router's first choice):"), self.accuracy_label)
        form.addRow(_("Sent to the review queue:"), self.review_label)
        form.addRow(_("Requests a day the city receives:"), self.per_day_label)
        layout.addLayout(form)
        return box

    def _trade_off_view(self) -> QWidget:
        view = QWidget()
        layout = QHBoxLayout(view)
        self.sweep_table = _table([_("Threshold"), _("Routed automatically"), _("Right, of those"),
                                   _("To review"), _("Reviews a day")], _("Accuracy and workload by threshold"))
        self.sweep_table.cellClicked.connect(self._sweep_row_clicked)
        layout.addWidget(self.sweep_table, 1)
        self.chart = TradeOffChart()
        layout.addWidget(self.chart, 1)
        return view

    def _queue_view(self) -> QWidget:
        view = QWidget()
        layout = QVBoxLayout(view)
        self.queue_label = _wrapping()
        layout.addWidget(self.queue_label)
        self.queue_table = _table([_("Request"), _("Language"), _("Suggested department"), _("Confidence"),
                                   _("Second choice"), _("Department in the records")], _("Review queue"))
        layout.addWidget(self.queue_table, 1)
        return view

    def _language_view(self) -> QWidget:
        view = QWidget()
        layout = QVBoxLayout(view)
        layout.addWidget(_wrapping(_("\"Right\" counts every test request by the router's first choice; the last "
                                     "two columns use your threshold.")))
        self.language_table = _table([_("Language"), _("Training requests"), _("Test requests"), _("Right"),
                                      _("Routed automatically"), _("Right, of those")], _("Results by language"))
        self.language_table.setSortingEnabled(True)
        layout.addWidget(self.language_table, 1)
        return view

    def _try_view(self) -> QWidget:
        view = QWidget()
        layout = QVBoxLayout(view)
        row = QHBoxLayout()
        self.try_input = QLineEdit()
        self.try_input.setPlaceholderText(_("Type a request, in any language"))
        self.try_input.setAccessibleName(_("A request to route"))
        self.try_input.returnPressed.connect(self.try_request)
        self.try_button = QPushButton(_("Route it"))
        self.try_button.setAccessibleName(_("Route the typed request"))
        self.try_button.clicked.connect(self.try_request)
        row.addWidget(self.try_input, 1)
        row.addWidget(self.try_button)
        layout.addLayout(row)
        self.try_result = _wrapping()
        self.try_result.setAccessibleName(_("Where the typed request goes"))
        layout.addWidget(self.try_result)
        layout.addStretch(1)
        return view

    def _questions_box(self) -> QGroupBox:
        box = QGroupBox(_("Your answers"))
        form = QFormLayout(box)
        self.reviews_answer = QLineEdit()
        self.reviews_answer.setAccessibleName(_("Requests a day sent to the review queue"))
        self.reviews_answer.textEdited.connect(lambda text: self._answered("reviews_per_day", text))
        form.addRow(_("About how many requests a day go to the review queue?"), self.reviews_answer)
        self.worst_answer = QComboBox()
        self.worst_answer.setAccessibleName(_("The language routed worst"))
        self.worst_answer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.worst_answer.currentIndexChanged.connect(
            lambda _i: self._answered("worst_language", self.worst_answer.currentData() or ""))
        form.addRow(_("Which language is routed worst?"), self.worst_answer)
        return box

    # ------------------------------------------------------------------ actions
    def train(self) -> None:
        if self._training:
            return
        self._training = True
        self.train_button.setEnabled(False)
        self.status.setText(_("Training…"))
        share = self.work.test_share
        self.host.run(lambda state: train_routing(share, state), self._trained, _("Training the router"),
                      on_error=self._failed, on_cancel=self._cancelled)

    def _trained(self, result: RoutingResult) -> None:
        self._training = False
        self.work.apply(result)
        self.refresh()
        self.changed.emit()
        self.trained.emit()

    def _failed(self, error: BaseException) -> None:
        self._training = False
        self.refresh()
        self.host.tell(_("The router could not be trained"), str(error))

    def _cancelled(self) -> None:
        self._training = False
        self.refresh()

    def _test_share_chosen(self, _index: int) -> None:
        if self._updating:
            return
        share = self.test_share.currentData()
        if share != self.work.test_share:
            self.work.set_test_share(share)
            self.refresh()
            self.changed.emit()

    def _threshold_chosen(self, value: float) -> None:
        if self._updating:
            return
        self.work.set_threshold(value)
        self.refresh()
        self._settle.start()

    def _sweep_row_clicked(self, row: int, _column: int) -> None:
        item = self.sweep_table.item(row, 0)
        if item is not None:
            self._threshold_chosen(float(item.data(Qt.ItemDataRole.UserRole)))

    def _answered(self, key: str, value: str) -> None:
        if self._updating:
            return
        self.work.set_answer(key, value)
        self._settle.start()

    def try_request(self) -> None:
        text = self.try_input.text().strip()
        if not text:
            self.try_result.setText(_("Type a request first."))
            return
        if self.work.result is None:
            self.try_result.setText(_("Train the router first."))
            return
        prediction, decided = self.work.result.route(text, self.work.threshold)
        department = department_title(prediction.label)
        if decided is None:
            self.try_result.setText(_("To the review queue: the router suggests {department} with a confidence of "
                                      "{confidence:.2f}, below your threshold of {threshold:.2f}.").format(
                department=department, confidence=prediction.confidence, threshold=self.work.threshold))
        else:
            self.try_result.setText(_("Routed to {department}, with a confidence of {confidence:.2f} (your threshold: "
                                      "{threshold:.2f}).").format(department=department,
                                                                   confidence=prediction.confidence,
                                                                   threshold=self.work.threshold))

    # ------------------------------------------------------------------ showing the work
    def refresh(self) -> None:
        self._updating = True
        try:
            work, result = self.work, self.work.result
            self.test_share.setCurrentIndex(max(0, self.test_share.findData(work.test_share)))
            self.slider.setValue(round(work.threshold * 100))
            self.spin.setValue(work.threshold)
            self.train_button.setEnabled(not self._training)
            answer = work.answers.get("reviews_per_day", "")
            if self.reviews_answer.text() != answer:  # not while the learner types: the cursor would jump
                self.reviews_answer.setText(answer)
            for widget in (self.slider, self.spin, self.try_button, self.try_input, self.reviews_answer,
                           self.worst_answer):
                widget.setEnabled(result is not None)
            if result is None:
                if not self._training:
                    self.status.setText(_("Not trained yet."))
                for label in (self.auto_label, self.auto_accuracy_label, self.accuracy_label, self.review_label,
                              self.per_day_label):
                    label.setText("–")
                for table in (self.sweep_table, self.queue_table, self.language_table):
                    table.setRowCount(0)
                self.queue_label.setText("")
                self.chart.clear()
                self._fill_languages_answer([])
                return
            self.status.setText(_("Trained on {train} requests in {seconds:.1f} s; tested on {test}.").format(
                train=result.train_count, seconds=result.train_seconds, test=result.test_count))
            stats = result.stats(work.threshold)
            self.auto_label.setText(_("{share} ({count} of {total} test requests)").format(
                share=percent(stats.auto_share), count=stats.auto_count, total=result.test_count))
            self.auto_accuracy_label.setText(percent(stats.auto_accuracy))
            self.accuracy_label.setText(percent(stats.accuracy))
            per_day = round(stats.reviews_per_day)
            self.review_label.setText(ngettext("{share}: about {per_day} request a day",
                                               "{share}: about {per_day} requests a day", per_day).format(
                share=percent(stats.review_share), per_day=per_day))
            self.per_day_label.setText(f"{result.requests_per_day:.1f}")
            self._fill_sweep(result)
            self._fill_queue(result)
            self._fill_languages(result)
        finally:
            self._updating = False

    def _fill_sweep(self, result: RoutingResult) -> None:
        sweep = result.sweep()
        self.sweep_table.setRowCount(len(sweep))
        for row, stats in enumerate(sweep):
            first = _item(f"{stats.threshold:.2f}", True)
            first.setData(Qt.ItemDataRole.UserRole, stats.threshold)
            cells = [first, _item(percent(stats.auto_share), True), _item(percent(stats.auto_accuracy), True),
                     _item(percent(stats.review_share), True), _item(f"{stats.reviews_per_day:.0f}", True)]
            for column, cell in enumerate(cells):
                if abs(stats.threshold - self.work.threshold) < 0.025:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.sweep_table.setItem(row, column, cell)
        self.chart.show_sweep(sweep, self.work.threshold)

    def _fill_queue(self, result: RoutingResult) -> None:
        queue = result.review_queue(self.work.threshold)
        shown = queue[:QUEUE_ROWS]
        self.queue_label.setText(ngettext(
            "{count} test request waits for a person, the least sure first.",
            "{count} test requests wait for a person, the least sure first.", len(queue)).format(count=len(queue)))
        self.queue_table.setRowCount(len(shown))
        for row, request in enumerate(shown):
            cells = [_text_item(request.text), _item(language_name(request.language)),
                     _item(department_title(request.suggested)), _item(f"{request.confidence:.2f}", True),
                     _item(department_title(request.second) if request.second else "–"),
                     _item(department_title(request.department))]
            for column, cell in enumerate(cells):
                self.queue_table.setItem(row, column, cell)

    def _fill_languages(self, result: RoutingResult) -> None:
        rows = result.by_language(self.work.threshold)
        self.language_table.setSortingEnabled(False)
        self.language_table.setRowCount(len(rows))
        for row, stats in enumerate(rows):
            cells = [_item(language_name(stats.language)), _sortable(stats.train_count, str(stats.train_count)),
                     _sortable(stats.test_count, str(stats.test_count)),
                     _sortable(stats.accuracy, percent(stats.accuracy)),
                     _sortable(stats.auto_share, percent(stats.auto_share)),
                     _sortable(stats.auto_accuracy if stats.auto_accuracy is not None else -1.0,
                               percent(stats.auto_accuracy))]
            cells[0].setData(Qt.ItemDataRole.UserRole, stats.language)
            for column, cell in enumerate(cells):
                self.language_table.setItem(row, column, cell)
        self.language_table.setSortingEnabled(True)
        self.language_table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # most training requests first
        self._fill_languages_answer([s.language for s in rows])

    def _fill_languages_answer(self, languages: list[str]) -> None:
        current = self.work.answers.get("worst_language", "")
        self.worst_answer.clear()
        self.worst_answer.addItem(_("(choose a language)"), "")
        for code in languages:
            self.worst_answer.addItem(language_name(code), code)
        self.worst_answer.setCurrentIndex(max(0, self.worst_answer.findData(current)))


class _SortableItem(QTableWidgetItem):
    """Sorts by a number, shows a formatted text (so "9%" sorts below "10%")."""

    def __init__(self, value: float, text: str):
        super().__init__(text)
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute
                              | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _SortableItem):
            return self.value < other.value
        return super().__lt__(other)


def _sortable(value: float, text: str) -> _SortableItem:
    return _SortableItem(value, text)


if __name__ == "__main__":
    from labs.preview import preview

    preview(N_("Routing citizen requests"), lambda host: RoutingTab(RoutingWork.fresh(), host))
