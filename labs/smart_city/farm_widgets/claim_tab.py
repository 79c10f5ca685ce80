"""Task 4, "Judge the claim": the electricity of the plan the learner grew against a plant factory and a greenhouse
(Graamans et al. 2018) and at the learner's own tariff, the model against measured lettuce (Carotti et al. 2021),
what the plan would give if the model were off by that much, and the four questions.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QLineEdit, QVBoxLayout, QWidget

from app.core.formatting import isolated, percent
from app.core.i18n import _
from labs.panel_widgets import bold, table
from labs.smart_city.farm import farm as fm
from labs.smart_city.farm_lab import QUESTIONS, VENDOR_PROMPT, VENDOR_TEXTS, describe, light_text, num
from labs.smart_city.farm_widgets.common import (CheckList, ChoiceList, cell, error_label, fit_height, fit_width,
                                                 short_edit, show_error, wrapping)
from labs.smart_city.farm_workspace import (CAROTTI, GRAAMANS_GREENHOUSE_NL, GRAAMANS_PLANT_FACTORY, LUE_FACTORS,
                                            VENDOR_OPTIONS, FarmWorkspace, Grown, grow, light_use)


def factor_text(factor: float) -> str:
    if factor < 1:
        return _("A fifth worse than the model")
    if factor > 1:
        return _("A quarter better, as Carotti's lettuce did")
    return _("As the model says")


class ClaimTab(QWidget):
    changed = Signal()

    def __init__(self, workspace: FarmWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        self._reference_what_if: Grown | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(wrapping(_("A vendor says its container farms \"harvest up to 13 times a year\". Before you "
                                    "answer, look at what your numbers say about the electricity, and at how far the "
                                    "model is from lettuce that was measured.")))

        layout.addWidget(bold(wrapping(_("Electricity: the container against the sun"))))
        self.plan_label = wrapping()
        layout.addWidget(self.plan_label)
        self.energy = table((_("Where the lettuce grows"), _("kWh per kg of dry lettuce")),
                            _("Electricity per kg of dry lettuce"))
        layout.addWidget(self.energy)
        self.price_edit = QLineEdit()
        self.price_edit.setPlaceholderText(_("for example {price}").format(price=num(0.15, 2)))
        prompt = _("Your electricity price for one kWh, in your currency:")
        self.price_edit.setAccessibleName(prompt.rstrip(":"))
        self.price_edit.editingFinished.connect(self._price_typed)
        self.price_error = error_label()
        layout.addWidget(wrapping(prompt))
        layout.addLayout(short_edit(self.price_edit))
        layout.addWidget(self.price_error)
        self.cost_label = bold(wrapping())
        self.cost_label.setAccessibleName(_("Electricity cost per kg of lettuce"))
        layout.addWidget(self.cost_label)

        layout.addWidget(bold(wrapping(_("The model against measured lettuce"))))
        layout.addWidget(wrapping(_("Carotti et al. (2021) grew lettuce under LEDs for 29 days, 16 hours a day, and "
                                    "weighed the grams of dry leaves each mol of light gave. The same trial, in the "
                                    "model:")))
        self.measured = table((_("Light"), _("Measured (g per mol)"), _("Model (g per mol)"), _("Model against "
                                                                                               "measured")),
                              _("The model against measured lettuce"))
        layout.addWidget(self.measured)
        self.what_if_title = wrapping()
        layout.addWidget(self.what_if_title)
        self.what_if = table((_("If the crop used light…"), _("Days to harvest"), _("Harvests a year")),
                             _("The plan if the model is off"))
        layout.addWidget(self.what_if)

        box = QGroupBox(_("Questions"))
        questions = QVBoxLayout(box)
        self.answer_lists: dict[str, ChoiceList] = {}
        for question_id, prompt_text, options in QUESTIONS:
            prompt = _(prompt_text)
            questions.addWidget(bold(wrapping(prompt)))
            choices = ChoiceList([(option_id, _(text)) for option_id, text in options])
            choices.setAccessibleName(prompt)
            choices.answered.connect(lambda answer, q=question_id: self._answered(q, answer))
            questions.addWidget(choices)
            self.answer_lists[question_id] = choices
        questions.addWidget(bold(wrapping(_(VENDOR_PROMPT))))
        self.vendor_list = CheckList([(option, _(VENDOR_TEXTS[option])) for option in VENDOR_OPTIONS])
        self.vendor_list.setAccessibleName(_(VENDOR_PROMPT))
        self.vendor_list.answered.connect(self._vendor_answered)
        questions.addWidget(self.vendor_list)
        layout.addWidget(box)
        layout.addStretch(1)
        self._show_measured()
        self.refresh()

    # --- showing -------------------------------------------------------------------------------------------------

    def _plan(self) -> Grown:
        """The plan the learner grew, or the computer's best within the budget if there is none yet."""
        if self.workspace.plan_is_current():
            return self.workspace.plan
        if self._reference_what_if is None:
            self._reference_what_if = grow(self.workspace.reference().setpoints, what_if=True)  # ~10 ms, kept
        return self._reference_what_if

    def refresh(self) -> None:
        self._updating = True
        try:
            grown = self._plan()
            result = grown.result
            if self.workspace.plan_is_current():
                intro = _("The plan you grew: {setpoints}.").format(setpoints=describe(result.setpoints))
            else:
                intro = _("You have not grown a plan of your own in \"2. Tune the setpoints\": the numbers are those "
                          "of the computer's best plan within the budget, {setpoints}.").format(
                    setpoints=describe(result.setpoints))
            self.plan_label.setText(intro + " " + _(
                "Its lights take {share} of the {kwh} kWh a year: {per_kg} kWh for every kg of fresh lettuce. A field "
                "gets its light from the sun.").format(share=percent(100 * result.lighting_kwh / result.kwh_per_year),
                                                       kwh=num(result.kwh_per_year), per_kg=num(result.kwh_per_kg, 1)))
            rows = [(_("A plant factory, as computed by Graamans et al. (2018)"), num(GRAAMANS_PLANT_FACTORY)),
                    (_("A greenhouse in the Netherlands, as computed by Graamans et al. (2018)"),
                     num(GRAAMANS_GREENHOUSE_NL)),
                    (_("This container, the plan above"), num(result.kwh_per_kg / fm.SHOOT_DRY_MATTER))]
            self.energy.setRowCount(len(rows))
            for index, (title, value) in enumerate(rows):
                self.energy.setItem(index, 0, cell(title))
                self.energy.setItem(index, 1, cell(value, numeric=True))
            fit_width(self.energy)
            fit_height(self.energy)
            if self.price_edit.text() != self.workspace.price:
                self.price_edit.setText(self.workspace.price)
            self._show_cost(result)
            self.what_if_title.setText(_("If the model is off by that much, the same plan gives:"))
            factors = dict(grown.what_if)
            self.what_if.setRowCount(len(LUE_FACTORS))
            for index, factor in enumerate(LUE_FACTORS):
                found = factors[factor]
                self.what_if.setItem(index, 0, cell(factor_text(factor)))
                self.what_if.setItem(index, 1, cell(str(found.days_to_harvest or "–"), numeric=True))
                self.what_if.setItem(index, 2, cell(num(found.harvests_per_year, 1), numeric=True))
            fit_width(self.what_if)
            fit_height(self.what_if)
            for question_id, choices in self.answer_lists.items():
                answer = self.workspace.answers.get(question_id, "")
                if choices.chosen() != answer:
                    choices.choose(answer)
            self.vendor_list.set_checked(self.workspace.vendor_choices())
        finally:
            self._updating = False

    def _show_cost(self, result: fm.FarmResult) -> None:
        text = self.workspace.price
        price = self.workspace.price_value()
        show_error(self.price_error, "" if not text or price is not None else
                   _("\"{text}\" is not a price: type digits, for example {price}.").format(text=text,
                                                                                          price=num(0.15, 2)))
        if price is None:
            self.cost_label.setText("")
            self.cost_label.setVisible(False)
            return
        self.cost_label.setText(_("Electricity for one kg of lettuce: {kwh} kWh × {price} = {cost} in your "
                                  "currency, before the seedlings, the nutrients, the CO2, the staff and the "
                                  "container itself.").format(kwh=num(result.kwh_per_kg, 2), price=num(price, 4),
                                                              cost=num(result.kwh_per_kg * price, 2)))
        self.cost_label.setVisible(True)

    def _show_measured(self) -> None:
        self.measured.setRowCount(len(CAROTTI))
        for index, (ppfd, measured) in enumerate(CAROTTI):
            model = light_use(ppfd)
            for column, (text, numeric) in enumerate(((light_text(ppfd), False), (num(measured, 2), True),
                                                      (num(model, 2), True),
                                                      (isolated(percent(100 * (model / measured - 1))), True))):
                self.measured.setItem(index, column, cell(text, numeric))
        fit_width(self.measured)
        fit_height(self.measured)

    # --- answering ------------------------------------------------------------------------------------------------

    def _answered(self, question_id: str, answer: str) -> None:
        if self._updating or self.workspace.answers.get(question_id, "") == answer:
            return
        self.workspace.set_answer(question_id, answer)
        self.changed.emit()

    def _vendor_answered(self) -> None:
        if self._updating:
            return
        chosen = self.vendor_list.checked()
        if chosen == set(self.workspace.vendor_choices()):
            return
        self.workspace.set_vendor_choices(chosen)
        self.changed.emit()

    def _price_typed(self) -> None:
        if self._updating:
            return
        text = self.price_edit.text().strip()
        if text == self.workspace.price:
            self._show_cost(self._plan().result)
            return
        self.workspace.set_price(text)
        self._show_cost(self._plan().result)
        self.changed.emit()

    def answer(self, question_id: str, answer: str) -> None:
        """Choose an answer through the widgets, as the learner does (for tests and previews)."""
        self.answer_lists[question_id].choose(answer)

    def tick(self, choices: set[str]) -> None:
        """Tick the vendor questions through the widgets (for tests and previews)."""
        self.vendor_list.set_checked(choices)

