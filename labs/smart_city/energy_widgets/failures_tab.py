"""Task 4, "Where it fails": the optimiser's plans over a year of working weekdays (kWh and CO2 against the bill,
with today's crews, a staggered lunch and a night shift), what the meter shows when nothing changed, and the four
questions.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QGroupBox, QListWidgetItem, QVBoxLayout, QWidget

from app.core.i18n import _
from labs.panel_widgets import bold, table
from labs.smart_city.energy_lab import QUESTIONS, RATES_NOTE, YEAR_TITLES, model_name, pct, question_text
from labs.smart_city.energy_widgets.common import FittingList, cell, fit_height, value_columns, wrapping
from labs.smart_city.energy_workspace import PROFILE, EnergyWorkspace


class FailuresTab(QWidget):
    changed = Signal()

    def __init__(self, workspace: EnergyWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("A schedule change saves what the lab counts, and a saving is only as sure as "
                                    "the way it is measured. Look at both before a city pays for, or announces, a "
                                    "saving.")))
        layout.addWidget(bold(wrapping(_("The optimiser's plans against today's, over a year of working weekdays"))))
        self.year_table = table((_("Plan"), _("kWh and CO2 saved"), _("Energy bill saved")),
                                _("The optimiser's plans over a year"))
        value_columns(self.year_table)
        self.year_table.setRowCount(len(YEAR_TITLES))
        for row, (key, title) in enumerate(YEAR_TITLES.items()):
            saving = workspace.year[key]
            self.year_table.setItem(row, 0, cell(_(title)))
            self.year_table.setItem(row, 1, cell(pct(saving.kwh_percent), True))
            self.year_table.setItem(row, 2, cell(pct(saving.cost_percent), True))
        fit_height(self.year_table)
        layout.addWidget(self.year_table)
        layout.addWidget(wrapping(_("A negative saving is a rise. A staggered lunch keeps one line running over the "
                                    "lunch hour with a relief operator; a night shift runs one line from 23:00 to "
                                    "07:00. Only the energy charge is counted: not wages, not the demand charge.")))
        layout.addWidget(wrapping(_(RATES_NOTE)))
        layout.addWidget(bold(wrapping(_("When nothing changed, October to December"))))
        self.placebo_label = wrapping()
        self.placebo_label.setAccessibleName(_("The saving the meter shows when nothing changed"))
        layout.addWidget(self.placebo_label)
        box = QGroupBox(_("Questions"))
        questions = QVBoxLayout(box)
        self.prompts: dict[str, Any] = {}
        self.answer_lists: dict[str, FittingList] = {}
        for item in QUESTIONS:
            prompt = wrapping()
            questions.addWidget(prompt)
            choices = FittingList()
            choices.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            for option_id, _text in item.options:
                entry = QListWidgetItem()
                entry.setData(Qt.ItemDataRole.UserRole, option_id)
                choices.addItem(entry)
            choices.itemSelectionChanged.connect(lambda q=item.id, w=choices: self._answered(
                q, w.selectedItems()[0].data(Qt.ItemDataRole.UserRole) if w.selectedItems() else ""))
            questions.addWidget(choices)
            self.prompts[item.id] = prompt
            self.answer_lists[item.id] = choices
        layout.addWidget(box)
        layout.addStretch(1)
        self.refresh()

    # --- showing -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            workspace = self.workspace
            for item in QUESTIONS:
                prompt = question_text(workspace, item.prompt)
                self.prompts[item.id].setText(prompt)
                choices = self.answer_lists[item.id]
                choices.setAccessibleName(prompt)
                answer = workspace.answers.get(item.id, "")
                for row, (option_id, text) in enumerate(item.options):
                    entry = choices.item(row)
                    entry.setText(question_text(workspace, text))
                    entry.setSelected(option_id == answer)
                choices.updateGeometry()
            profile = workspace.claim(0.0, PROFILE)
            mine = workspace.claim(0.0) if workspace.is_fitted() and workspace.model != PROFILE else None
            text = _("Judged against the calendar profile model, the meter shows a saving of {profile} on average "
                     "over the {days} working weekdays, though nothing changed.").format(
                profile=pct(profile.mean), days=profile.days)
            if mine is not None:
                text += " " + _("Against your model, {model}: {mine}.").format(model=model_name(workspace.model),
                                                                            mine=pct(mine.mean))
            self.placebo_label.setText(text)
        finally:
            self._updating = False

    # --- answering ------------------------------------------------------------------------------------------------

    def _answered(self, question_id: str, answer: str) -> None:
        if self._updating or self.workspace.answers.get(question_id, "") == answer:
            return
        self.workspace.set_answer(question_id, answer)
        self.changed.emit()

    def answer(self, question_id: str, answer: str) -> None:
        """Choose an answer through the list, as the learner does (for tests and previews)."""
        choices = self.answer_lists[question_id]
        for row in range(choices.count()):
            if choices.item(row).data(Qt.ItemDataRole.UserRole) == answer:
                choices.setCurrentRow(row)
                return
        raise KeyError(answer)
