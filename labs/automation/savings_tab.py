"""The "Hours saved" tab: the learner's own numbers for each stream of work, the hours and full-time
equivalents they add up to, and the formula with those numbers.

A volume or share left empty means "what my work measured" (the decision table's automatic share,
the routing's share sent on without review, the share of letters the template renders); the field
shows that value as its placeholder. Each edit goes to the workspace and emits `changed`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from app.core.i18n import _
from labs.automation.decisions_tab import code_view, error_label, wrapping
from labs.panel_widgets import bold
from labs.automation.engine.decisions import parse_number, parse_percent
from labs.automation.engine.savings import (DECISIONS, LETTERS, ROUTING, STREAM_TITLES, STREAMS, formula_lines,
                                            savings_code)
from labs.automation.engine.workspace import AutomationWorkspace

FIELDS = ("per_year", "share", "by_hand", "automated")


def _number_text(value: float | None, digits: int = 0) -> str:
    if value is None:
        return ""
    return f"{value:,.{digits}f}" if digits or value != int(value) else f"{int(value):,}"


def _plain(value: float | None) -> str:
    """How a typed number is shown back: no thousands separators, so it reads back the same."""
    if value is None:
        return ""
    return f"{value:g}" if abs(value) < 1e15 else str(value)


class SavingsTab(QWidget):
    changed = Signal()

    def __init__(self, workspace: AutomationWorkspace, host: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.host = workspace, host
        self._updating = False
        self.edits: dict[tuple[str, str], QLineEdit] = {}
        self.hours_labels: dict[str, QLabel] = {}

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(wrapping(_("Type your office's own numbers. An empty volume or share uses what your work in "
                                    "this lab measured (shown in grey). An automated case still needs a person's "
                                    "minutes: reviewing the decision, checking the routing, reading the letter.")))
        grid = QGridLayout()
        headers = (_("Work"), _("Cases a year"), _("Share automated"), _("Minutes by hand"),
                   _("Minutes per automated case"), _("Hours saved a year"))
        for column, text in enumerate(headers):
            header = bold(wrapping(text))
            grid.addWidget(header, 0, column)
        labels = {"per_year": _("cases a year"), "share": _("share automated"), "by_hand": _("minutes by hand"),
                  "automated": _("minutes per automated case")}
        for row, name in enumerate(STREAMS, start=1):
            grid.addWidget(wrapping(_(STREAM_TITLES[name])), row, 0)
            for column, field in enumerate(FIELDS, start=1):
                edit = QLineEdit()
                edit.setAccessibleName(_("{stream}: {field}").format(stream=_(STREAM_TITLES[name]),
                                                                     field=labels[field]))
                edit.editingFinished.connect(lambda n=name, f=field: self._stream_edited(n, f))
                self.edits[(name, field)] = edit
                grid.addWidget(edit, row, column)
            hours = QLabel()
            hours.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.hours_labels[name] = hours
            grid.addWidget(hours, row, len(headers) - 1)
        layout.addLayout(grid)

        assumptions = QGroupBox(_("Assumptions"))
        form = QGridLayout(assumptions)
        self.upkeep_edit = QLineEdit()
        self.upkeep_edit.setAccessibleName(_("Hours a year to keep the rules, templates and model right"))
        self.upkeep_edit.editingFinished.connect(lambda: self._setting_edited("upkeep_hours", self.upkeep_edit))
        form.addWidget(wrapping(_("Hours a year to keep the rules, templates and model right:")), 0, 0)
        form.addWidget(self.upkeep_edit, 0, 1)
        self.year_edit = QLineEdit()
        self.year_edit.setAccessibleName(_("Working hours in a year of one full-time post"))
        self.year_edit.editingFinished.connect(lambda: self._setting_edited("hours_per_fte", self.year_edit))
        form.addWidget(wrapping(_("Working hours in a year of one full-time post (1,600 is a common figure after "
                                  "leave and public holidays; use your own):")), 1, 0)
        form.addWidget(self.year_edit, 1, 1)
        layout.addWidget(assumptions)
        self.problem_label = error_label()
        self.problem_label.setAccessibleName(_("Problems with the numbers"))
        layout.addWidget(self.problem_label)
        self.total_label = bold(wrapping())
        font = self.total_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.total_label.setFont(font)
        layout.addWidget(self.total_label)
        layout.addWidget(bold(QLabel(_("The formula, with your numbers"))))
        self.formula_label = wrapping()
        layout.addWidget(self.formula_label)
        self.measured_label = wrapping()
        layout.addWidget(self.measured_label)
        self.code = code_view(_("The same arithmetic in Python"))
        self.code.setMaximumHeight(self.code.fontMetrics().lineSpacing() * 14)
        layout.addWidget(self.code)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.refresh()

    # --- showing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the inputs and the estimate (also after another tab changed what was measured)."""
        self._updating = True
        try:
            savings, measured = self.workspace.savings, self.workspace.measured()
            for name in STREAMS:
                stream = savings.stream(name)
                found = measured.get(name, {})
                for field in FIELDS:
                    edit = self.edits[(name, field)]
                    value = getattr(stream, field)
                    if field == "share":
                        edit.setText("" if value is None else f"{value * 100:g}%")
                        edit.setPlaceholderText(_("{share} (your work)").format(share=f"{found['share']:.1%}")
                                                if found.get("share") is not None else _("not measured yet"))
                    elif field == "per_year":
                        edit.setText(_plain(value))
                        edit.setPlaceholderText(_("{count} (your work)").format(count=_number_text(
                            found["per_year"])) if found.get("per_year") is not None else _("not measured yet"))
                    else:
                        edit.setText(_plain(value))
                        edit.setPlaceholderText(_("for example {minutes}").format(
                            minutes={"by_hand": 20, "automated": 3}[field]))
            self.upkeep_edit.setText(_plain(savings.upkeep_hours))
            self.year_edit.setText(_plain(savings.hours_per_fte))
            self._show_estimate(measured)
        finally:
            self._updating = False

    def _show_estimate(self, measured: dict[str, dict[str, float | None]]) -> None:
        result = self.workspace.savings_estimate()
        for row in result.streams:
            self.hours_labels[row.name].setText(_number_text(row.hours) if row.complete else "–")
        if result.missing:
            missing = ", ".join(_(STREAM_TITLES[name]) for name in result.missing)
            self.total_label.setText(_("About {hours} hours a year so far ({fte} full-time equivalents). Type the "
                                       "minutes for: {missing}.").format(hours=_number_text(result.net_hours),
                                                                         fte=f"{result.fte:.2f}", missing=missing))
        else:
            self.total_label.setText(_("About {hours} hours a year: {fte} full-time equivalents.").format(
                hours=_number_text(result.net_hours), fte=f"{result.fte:.2f}"))
        self.formula_label.setText("\n".join(formula_lines(result)))
        notes = []
        share = measured[DECISIONS]["share"]
        if share is not None:
            notes.append(_("Your decision table decides {share} of the applications without a person (every refusal "
                           "goes to a caseworker).").format(share=f"{share:.1%}"))
        share = measured[ROUTING]["share"]
        notes.append(_("Your routing sends {share} of the requests on without review.").format(share=f"{share:.1%}")
                     if share is not None else _("Train the routing model to measure how many requests it can send "
                                                 "on without review."))
        share = measured[LETTERS]["share"]
        if share is not None:
            notes.append(_("Your letter template renders {share} of the letters.").format(share=f"{share:.0%}"))
        self.measured_label.setText("\n".join(notes))
        self.code.setPlainText(savings_code(result))

    # --- editing ----------------------------------------------------------------------------------

    def _read(self, edit: QLineEdit, field_title: str, parse: Callable[[str], float | None]) -> tuple[bool, Any]:
        text = edit.text().strip()
        if not text:
            return True, None
        value = parse(text)
        if value is None or value < 0:
            self.problem_label.setText(_("{field}: \"{value}\" is not a number we can use.").format(
                field=field_title, value=text))
            return False, None
        return True, value

    def _stream_edited(self, name: str, field: str) -> None:
        if self._updating:
            return
        edit = self.edits[(name, field)]
        parse = (lambda t: None if parse_percent(t) is None else parse_percent(t) / 100) if field == "share" \
            else parse_number
        ok, value = self._read(edit, edit.accessibleName(), parse)
        if not ok:
            return
        self.problem_label.setText("")
        if getattr(self.workspace.savings.stream(name), field) == value:
            return
        self.workspace.set_savings(self.workspace.savings.with_stream(name, **{field: value}))
        self.refresh()
        self.changed.emit()

    def _setting_edited(self, field: str, edit: QLineEdit) -> None:
        if self._updating:
            return
        ok, value = self._read(edit, edit.accessibleName(), parse_number)
        if not ok:
            return
        self.problem_label.setText("")
        if field == "hours_per_fte" and not value:
            self.problem_label.setText(_("Type the working hours in a year, for example 1600."))
            return
        value = value or 0.0
        if getattr(self.workspace.savings, field) == value:
            return
        self.workspace.set_savings(replace(self.workspace.savings, **{field: value}))
        self.refresh()
        self.changed.emit()

    def type_into(self, name: str, field: str, text: str) -> None:
        """Type a value into one field and leave it, as the learner does (for tests and previews)."""
        edit = self.edits[(name, field)]
        edit.setText(text)
        edit.editingFinished.emit()
