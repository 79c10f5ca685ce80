"""Task 3, "Simulate the day": the day and the demand the responsive plan is timed on, the simulation (long work,
on the task runner), the district under both plans side by side, animated over the day in 15-minute steps, the
vehicle-hours of delay by hour, and the learner's answer: the saving.

The animation only recolours and relabels the two maps and moves the chart's time line (the frames are computed
with the simulation, off the GUI thread), so it never holds up the event loop.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSlider,
                               QVBoxLayout, QWidget)

from app.core.formatting import isolated
from app.core.i18n import _
from app.ui.widgets import button
from labs.smart_city.traffic_lab import TIMED_ON_TITLES, day_title
from labs.smart_city.traffic_widgets.charts import DelayChart
from labs.panel_widgets import bold
from labs.smart_city.traffic_widgets.common import Legend, wrapping
from labs.smart_city.traffic_widgets.schematic import DistrictView
from labs.smart_city.traffic_workspace import DAYS, PERIODS, TIMED_ON, DayRun, TrafficWorkspace

STEP_MS = 250  # one 15-minute period a quarter of a second: the day in 24 seconds


def period_text(index: int) -> str:
    """"07:15–07:30" for period `index` (0..95), left to right in every language."""
    start, end = index * 15, index * 15 + 15
    return isolated(f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}")


class DayTab(QWidget):
    changed = Signal()
    simulated = Signal()  # a simulation's results are on screen
    finished_playing = Signal()  # the animation reached the end of the day

    def __init__(self, workspace: TrafficWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        self.busy = False
        self.task = None
        self._shown: DayRun | None = None  # the simulated day on the maps
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("Both plans run against the day's real counts, scaled to the district. The fixed "
                                    "plan is yours from \"2. Fixed plan\"; the responsive plan is re-timed with "
                                    "Webster's method every hour, on the demand you choose here.")))
        form = QFormLayout()
        self.day_combo = QComboBox()
        self.day_combo.setAccessibleName(_("Day to simulate"))
        for day in DAYS:
            self.day_combo.addItem(day_title(day), day.isoformat())
        self.day_combo.currentIndexChanged.connect(lambda _i: self._scenario_chosen())
        # TRANSLATORS: the label of the list of days to simulate (a calendar day, not daytime).
        form.addRow(_("Day:"), self.day_combo)
        self.timed_on_combo = QComboBox()
        self.timed_on_combo.setAccessibleName(_("The responsive plan is timed on"))
        for timed_on in TIMED_ON:
            self.timed_on_combo.addItem(_(TIMED_ON_TITLES[timed_on]), timed_on)
        self.timed_on_combo.currentIndexChanged.connect(lambda _i: self._scenario_chosen())
        row = QHBoxLayout()
        row.addWidget(self.timed_on_combo, 1)
        self.simulate_button = button(_("Simulate the day"), self.simulate, primary=True)
        row.addWidget(self.simulate_button)
        form.addRow(_("Responsive plan timed on:"), row)
        layout.addLayout(form)
        self.status = wrapping()
        self.status.setAccessibleName(_("Simulation status"))
        self.status.setVisible(False)
        layout.addWidget(self.status)

        maps = QHBoxLayout()
        self.fixed_caption = bold(wrapping())
        self.fixed_view = DistrictView(workspace.district, _("Map of the district under the fixed plan"))
        self.responsive_caption = bold(wrapping())
        self.responsive_view = DistrictView(workspace.district, _("Map of the district under the responsive plan"))
        for caption, view in ((self.fixed_caption, self.fixed_view), (self.responsive_caption, self.responsive_view)):
            column = QVBoxLayout()
            column.addWidget(caption)
            column.addWidget(view, 1)
            maps.addLayout(column, 1)
        layout.addLayout(maps)
        self.legend = Legend()
        layout.addWidget(self.legend)

        time_row = QHBoxLayout()
        # TRANSLATORS: a button that plays the simulated day on the maps, 15 minutes at a time.
        self.play_button = QPushButton(_("Play"))
        self.play_button.setAccessibleName(_("Play the day"))
        self.play_button.clicked.connect(self.toggle_play)
        time_row.addWidget(self.play_button)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, PERIODS - 1)
        self.slider.setPageStep(4)  # an hour
        self.slider.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # the day runs as on the chart below
        self.slider.setAccessibleName(_("Time of day, in 15-minute steps"))
        self.slider.valueChanged.connect(self._show_period)
        time_row.addWidget(self.slider, 1)
        self.time_label = QLabel(period_text(0))
        self.time_label.setAccessibleName(_("Time shown on the maps"))
        time_row.addWidget(self.time_label)
        layout.addLayout(time_row)
        self.chart = DelayChart()
        layout.addWidget(self.chart)

        answer = QFormLayout()
        self.gain_edit = QLineEdit()
        self.gain_edit.setPlaceholderText(_("for example 12%"))
        prompt = _("Saving of the responsive plan, as a share of the fixed plan's delay:")
        self.gain_edit.setAccessibleName(prompt.rstrip(":"))
        self.gain_edit.editingFinished.connect(self._gain_typed)
        answer.addRow(wrapping(prompt), self.gain_edit)
        layout.addLayout(answer)

        self.timer = QTimer(self)
        self.timer.setInterval(STEP_MS)
        self.timer.timeout.connect(self._advance)
        self.refresh()

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            self.day_combo.setCurrentIndex(self.day_combo.findData(workspace.day.isoformat()))
            self.timed_on_combo.setCurrentIndex(self.timed_on_combo.findData(workspace.timed_on))
            if self.gain_edit.text() != workspace.answers.get("gain", ""):
                self.gain_edit.setText(workspace.answers.get("gain", ""))
            ready = workspace.fixed_plan() is not None
            for widget in (self.simulate_button, self.day_combo, self.timed_on_combo):
                widget.setEnabled(ready and not self.busy)
            if not self.busy:
                self._status("" if ready else _("Type a cycle for every junction in \"2. Fixed plan\" first."))
            run = workspace.run if workspace.run_is_current() else None
            self._show_run(run)
        finally:
            self._updating = False

    def _show_run(self, run: DayRun | None) -> None:
        if run is not None and run is self._shown:
            return
        self._shown = run
        for widget in (self.play_button, self.slider):
            widget.setEnabled(run is not None)
        if run is None:
            self.pause()
            self.fixed_caption.setText(_("Fixed plan"))
            self.responsive_caption.setText(_("Responsive plan"))
            self.fixed_view.clear_frame()
            self.responsive_view.clear_frame()
            self.chart.show_hours(None, None)
            if self.workspace.fixed_plan() is not None and not self.busy:
                self._status(_("Press \"Simulate the day\" to see both plans at work."))
            return
        comparison = run.comparison
        self.fixed_caption.setText(_("Fixed plan: {vh} vehicle-hours of delay over the day").format(
            vh=f"{comparison.base_vehicle_hours:,.0f}"))
        self.responsive_caption.setText(_("Responsive plan: {vh} vehicle-hours of delay over the day").format(
            vh=f"{comparison.other_vehicle_hours:,.0f}"))
        self.chart.show_hours(run.fixed.hourly_vehicle_hours(), run.responsive.hourly_vehicle_hours())
        self._show_period(self.slider.value())

    def _show_period(self, index: int) -> None:
        text = period_text(index)
        self.time_label.setText(text)
        self.chart.show_time(index / 4)
        run = self._shown
        if run is None:
            return
        self.fixed_view.show_frame(run.fixed_frames, index, text)
        self.responsive_view.show_frame(run.responsive_frames, index, text)

    def _status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # --- the animation ----------------------------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def play(self, interval_ms: int = STEP_MS) -> None:
        if self._shown is None:
            return
        if self.slider.value() >= PERIODS - 1:
            self.slider.setValue(0)
        self.timer.setInterval(interval_ms)
        self.timer.start()
        # TRANSLATORS: the same button while the day plays: it stops the maps at the time shown.
        self.play_button.setText(_("Pause"))
        self.play_button.setAccessibleName(_("Pause the day"))

    def pause(self) -> None:
        self.timer.stop()
        self.play_button.setText(_("Play"))
        self.play_button.setAccessibleName(_("Play the day"))

    def _advance(self) -> None:
        if self.slider.value() >= PERIODS - 1:
            self.pause()
            self.finished_playing.emit()
            return
        self.slider.setValue(self.slider.value() + 1)

    def show_time(self, hour: int, minute: int = 0) -> None:
        """Move the maps to a time of day, as dragging the slider does (for tests and the failures tab)."""
        self.slider.setValue(hour * 4 + minute // 15)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.pause()  # nobody watches: no timer ticks in the background
        super().hideEvent(event)

    # --- editing and simulating --------------------------------------------------------------------------------------

    def _scenario_chosen(self) -> None:
        if self._updating:
            return
        day = dt.date.fromisoformat(self.day_combo.currentData())
        timed_on = self.timed_on_combo.currentData()
        if (day, timed_on) == (self.workspace.day, self.workspace.timed_on):
            return
        self.workspace.set_day(day)
        self.workspace.set_timed_on(timed_on)
        self.refresh()
        self.changed.emit()

    def choose(self, day: dt.date, timed_on: str) -> None:
        """Pick the day and the demand through the combos, as the learner does."""
        self.day_combo.setCurrentIndex(self.day_combo.findData(day.isoformat()))
        self.timed_on_combo.setCurrentIndex(self.timed_on_combo.findData(timed_on))

    def simulate(self) -> None:
        if self.busy:
            return
        try:
            job = self.workspace.simulation_job()
        except ValueError:
            self._status(_("Type a cycle for every junction in \"2. Fixed plan\" first."))
            return
        self.busy = True
        self.pause()
        self._status(_("Simulating the day…"))
        self.refresh()
        self.task = self.host.run(job, self._simulated, _("Simulating the day"), on_error=self._failed,
                                  on_cancel=self._cancelled)

    def _simulated(self, run: DayRun) -> None:
        self.busy, self.task = False, None
        self.workspace.set_run(run)
        self.refresh()
        self._status(_("Simulated: press Play, or drag the time of day."))
        # The rest of the panel, the autosave and the code view on the next turn of the event loop: two short
        # stops of the GUI thread instead of one long one.
        QTimer.singleShot(0, self, self._announce)

    def _announce(self) -> None:
        self.changed.emit()
        self.simulated.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy, self.task = False, None
        self.refresh()
        self._status(_("The day could not be simulated: {reason}").format(reason=error))

    def _cancelled(self) -> None:
        self.busy, self.task = False, None
        self.refresh()
        self._status(_("The simulation was cancelled."))

    def _gain_typed(self) -> None:
        if self._updating:
            return
        text = self.gain_edit.text().strip()
        if text == self.workspace.answers.get("gain", ""):
            return
        self.workspace.set_answer("gain", text)
        self.changed.emit()
