"""Task 4, "Data and who sees it": what each alarm reads (the engine's DATA_NEEDS), what the service keeps, how
finely and for how long, who is told what, and the learner's alarm tested on data cut down that way (long work, on
the task runner) beside the same alarm on the data as collected.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from app.core.i18n import _
from app.ui.widgets import button
from labs.panel_widgets import table
from labs.smart_city.care import privacy as pv
from labs.smart_city.care_lab import NEED_TITLES, PRIVACY_LABELS, PRIVACY_TITLES, decimal, hours_text, out_of
from labs.smart_city.care_widgets.common import Status, cell, fit_table_height, section, wrapping
from labs.smart_city.care_workspace import DATA_FIELDS, LEARNED, PRIVACY_FIELDS, RECIPIENTS, CareWorkspace, Measurement


def _need_names(names) -> str:
    return ", ".join(_(NEED_TITLES[n]) for n in names)


class PrivacyTab(QWidget):
    changed = Signal()
    measured = Signal()  # a measurement is on screen

    def __init__(self, workspace: CareWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        self.busy = False
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("When an elder sleeps, goes out and has visitors is personal data about health "
                                    "and private life. The law asks a service to collect only what its purpose needs "
                                    "and to keep it no longer than needed (data minimisation and storage "
                                    "limitation), and to tell each person only what their role needs.")))
        layout.addWidget(section(_("What each alarm reads")))
        self.needs: list[QLabel] = []
        for title, text in self._needs():
            name = QLabel(title)
            name.setWordWrap(True)
            font = name.font()
            font.setItalic(True)
            name.setFont(font)
            layout.addWidget(name)
            label = wrapping(text)
            label.setContentsMargins(16, 0, 0, 4)
            layout.addWidget(label)
            self.needs.append(label)

        self.combos: dict[str, QComboBox] = {}
        data_box = QGroupBox(_("What your service keeps"))
        data_form = QFormLayout(data_box)
        for name in ("motion", "door", "sound", "step", "keep"):
            data_form.addRow(wrapping(_(PRIVACY_LABELS[name])), self._combo(name))
        layout.addWidget(data_box)
        people_box = QGroupBox(_("Who is told what"))
        people_form = QFormLayout(people_box)
        for name in RECIPIENTS:
            people_form.addRow(wrapping(_(PRIVACY_LABELS[name])), self._combo(name))
        layout.addWidget(people_box)

        self.settings_note = wrapping()
        layout.addWidget(self.settings_note)
        row = QHBoxLayout()
        self.measure_button = button(_("Test the alarm on this data"), self.measure, primary=True)
        row.addWidget(self.measure_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = Status(_("The test on the data kept"))
        layout.addWidget(self.status)
        layout.addWidget(section(_("Your alarm on the data as collected and on the data you keep")))
        self.results = table(("", _("As collected"), _("As you keep it")),
                             _("Your alarm on the data as collected and as you keep it"))
        self.results.setRowCount(6)
        for index, title in enumerate((_("False calls"), _("Emergencies caught"),
                                       _("Hours people lay unattended, in all"),
                                       _("The robot speaks up, times a day"),
                                       _("Raw readings needed at any moment (the home that needs most)"),
                                       _("The test says"))):
            self.results.setItem(index, 0, cell(title))
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.results)
        layout.addStretch(1)
        self.refresh()

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(_(PRIVACY_LABELS[name]).rstrip(":"))
        for option in PRIVACY_FIELDS[name]:
            combo.addItem(_(PRIVACY_TITLES[name][option]), option)
        combo.currentIndexChanged.connect(lambda _i, n=name, w=combo: self._chosen(n, w.currentData()))
        self.combos[name] = combo
        return combo

    def _needs(self) -> list[tuple[str, str]]:
        """Each alarm of privacy.DATA_NEEDS in words: what it reads, the raw history it needs, what else it keeps and
        what it does not need."""
        learned = self.workspace.reference(LEARNED)
        needed = [pv.raw_history_hours(p) for p in learned.profiles.values()]
        found = []
        for need in pv.DATA_NEEDS:
            hours = need.raw_history_hours
            if math.isnan(hours):
                history = _("{low} to {high}, depending on the home").format(
                    low=decimal(min(needed), 0), high=hours_text(max(needed)))
            else:
                history = hours_text(hours)
            values = {"fields": _need_names(need.fields), "history": history,
                      "not_needed": _need_names(need.not_needed)}
            if need.learned_summary:
                text = _("Reads: {fields}. Raw readings it needs at any moment: {history}. Keeps besides: {keeps}. "
                         "Does not need: {not_needed}.").format(keeps=_(NEED_TITLES[need.learned_summary]), **values)
            else:
                text = _("Reads: {fields}. Raw readings it needs at any moment: {history}. Keeps nothing else. Does "
                         "not need: {not_needed}.").format(**values)
            found.append((_(NEED_TITLES[need.alarm]), text))
        return found

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            for name, combo in self.combos.items():
                combo.setCurrentIndex(combo.findData(getattr(workspace.privacy, name)))
                combo.setEnabled(not self.busy or name not in DATA_FIELDS)
            self.measure_button.setEnabled(not self.busy)
            self.settings_note.setText(_("The test runs your alarm with the settings of \"2. Learn each routine\"."))
            measurement = workspace.measured if workspace.measured_is_current() else None
            self._show(measurement)
            if not self.busy and measurement is None:
                self.status.say(_("Press \"Test the alarm on this data\" to see what your choices do to the alarm."))
        finally:
            self._updating = False

    def _show(self, measurement: Measurement | None) -> None:
        for column in (1, 2):
            for row in range(6):
                self.results.setItem(row, column, cell("–", True))
        if measurement is not None:
            for column, summary in ((1, measurement.full), (2, measurement.minimised)):
                texts = (str(summary.false_calls), out_of(summary.caught, summary.emergencies),
                         hours_text(summary.hours_unattended), decimal(summary.prompts_per_day))
                for row, text in enumerate(texts):
                    self.results.setItem(row, column, cell(text, True))
            self.results.setItem(4, 1, cell(hours_text(max(measurement.full_needed_hours.values())), True))
            self.results.setItem(4, 2, cell(hours_text(max(measurement.needed_hours.values())), True))
            self.results.setItem(5, 2, cell(_("This cut breaks the alarm.") if measurement.broken
                                            else _("The alarm still works.")))
        fit_table_height(self.results)

    # --- editing and measuring --------------------------------------------------------------------------------------

    def _chosen(self, name: str, value: Any) -> None:
        if self._updating or getattr(self.workspace.privacy, name) == value:
            return
        self.workspace.set_privacy(name, value)
        self.refresh()
        self.changed.emit()

    def choose(self, name: str, value: Any) -> None:
        """Choose an option through the widgets, as the learner does (for tests and previews)."""
        combo = self.combos[name]
        index = combo.findData(value)
        if index < 0:
            raise KeyError(value)
        combo.setCurrentIndex(index)

    def measure(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.status.say(_("Testing the alarm on the data you keep…"))
        self.refresh()
        self.host.run(self.workspace.measure_job(), self._done, _("Testing the alarm on the data kept"),
                      on_error=self._failed, on_cancel=self._cancelled)

    def _done(self, measurement: Measurement) -> None:
        self.busy = False
        if measurement.data_key != self.workspace.privacy.data_key() or measurement.choice != self.workspace.choice:
            self.refresh()
            return
        self.workspace.set_measured(measurement)
        self.status.say(_("Tested: the table shows your alarm on both."))
        self.refresh()
        self.changed.emit()
        self.measured.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.refresh()
        self.status.say(_("The alarm could not be tested: {reason}").format(reason=error))

    def _cancelled(self) -> None:
        self.busy = False
        self.refresh()
        self.status.say(_("The test was cancelled."))
