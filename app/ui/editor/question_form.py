"""The form for one quiz question: the fields every type has (id, prompt, points, explanation, pool)
and those of its type (choices, the true/false answer, accepted answers, numbers, pairs), each with
its feedback.

The form never changes the document itself: it emits `changed` with the whole question as it should
now be and the field typed in ("" for a click), and the quiz editor makes that one undoable command.
Keys the form does not show stay in the question untouched. `show_question` refills the fields with
signals blocked, so refilling after undo never makes a command.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QCompleter, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QRadioButton, QStackedWidget, QVBoxLayout, QWidget)

from app.core.i18n import _
from app.ui.editor.fields import show_text, text_editor
from app.ui.editor.question_data import LISTS, as_text, number_text, parse_number, truthy, type_label, weight
from app.ui.editor.question_rows import Column, RowList

# Optional keys: an emptied field removes the key rather than writing an empty value.
_OPTIONAL = {"points", "explanation", "pool", "feedback", "feedback_true", "feedback_false", "feedback_wrong",
             "weight", "tolerance"}
_NUMBERS = {"points", "weight", "value", "tolerance"}
_NEW_ROW = {"choices": {"text": ""}, "answers": {"text": ""}, "pairs": {"left": "", "right": ""}}


def _line(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    return edit


class QuestionForm(QWidget):
    changed = Signal(dict, str)  # the question as it should now be; the field typed in, "" for a click

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        common = QFormLayout()
        self.kind = QLabel()
        self.kind.setAccessibleName(_("Question type"))
        self.id = _line(_("Question id"))
        self.id.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # an id is a-z, 0-9 and '-': always LTR
        self.prompt = text_editor(_("Question"), tab_moves_focus=True)
        self.prompt.setFixedHeight(self.prompt.fontMetrics().lineSpacing() * 3 + 12)
        self.points = _line(_("Points"))
        self.points.setPlaceholderText("1")
        self.explanation = text_editor(_("Explanation, shown after any answer"), tab_moves_focus=True)
        self.explanation.setFixedHeight(self.explanation.fontMetrics().lineSpacing() * 2 + 12)
        self.pool = _line(_("Pool"))
        self.pool.setPlaceholderText(_("Optional: the question pool it belongs to"))
        self.pools = QStringListModel(self)
        completer = QCompleter(self.pools, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.pool.setCompleter(completer)
        common.addRow(_("Type"), self.kind)
        common.addRow(_("Id"), self.id)
        common.addRow(_("Question"), self.prompt)
        common.addRow(_("Points"), self.points)
        common.addRow(_("Explanation"), self.explanation)
        common.addRow(_("Pool"), self.pool)
        layout.addLayout(common)
        self.id.textEdited.connect(lambda t: self._set("id", t.strip(), "id"))
        self.prompt.textChanged.connect(lambda: self._set("prompt", self.prompt.toPlainText(), "prompt"))
        self.points.textEdited.connect(lambda t: self._set("points", parse_number(t), "points"))
        self.explanation.textChanged.connect(
            lambda: self._set("explanation", self.explanation.toPlainText(), "explanation"))
        self.pool.textEdited.connect(lambda t: self._set("pool", t.strip(), "pool"))
        self.pool.completer().activated.connect(lambda t: self._set("pool", t, ""))

        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self._page: dict[str, QWidget] = {}
        self._build_choices()
        self._build_true_false()
        self._build_short()
        self._build_numerical()
        self._build_matching()

    # -- building the page of each type
    def _rows(self, list_key: str, columns: tuple[Column, ...], add: str, remove: str) -> RowList:
        rows = RowList(columns, add, remove)
        rows.edited.connect(lambda row, key, text: self._row_edited(list_key, row, key, text))
        rows.added.connect(lambda: self._add_row(list_key, rows))
        rows.removed.connect(lambda row: self._remove_row(list_key, row, rows))
        return rows

    def _page_with(self, kind: str, *parts) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        for part in parts:
            layout.addLayout(part) if isinstance(part, QFormLayout) else layout.addWidget(part)
        layout.addStretch(1)
        self.pages.addWidget(page)
        self._page[kind] = page

    def _build_choices(self) -> None:
        text = Column("text", _("Choice"), _("Choice {n}"), stretch=3)
        feedback = Column("feedback", _("Feedback"), _("Feedback for choice {n}"), stretch=3)
        self.single_choices = self._rows("choices", (
            text, Column("correct", _("Correct"), _("Choice {n} is the right answer"), kind="radio", stretch=0),
            feedback), _("Add choice"), _("Remove choice {n}"))
        self.single_choices.chosen.connect(self._choose)
        self._page_with("single", QLabel(_("Choices: mark the one right answer.")), self.single_choices)
        self.multiple_choices = self._rows("choices", (
            text, Column("weight", _("Weight (%)"), _("Weight of choice {n}, in % of the points"), kind="number",
                         stretch=1),
            feedback), _("Add choice"), _("Remove choice {n}"))
        self._page_with("multiple", QLabel(_("Choices: the weights of the right ones add up to 100 %; "
                                             "a wrong one may take points away (for example -50).")),
                        self.multiple_choices)

    def _build_true_false(self) -> None:
        form = QFormLayout()
        answer = QHBoxLayout()
        self.answer_true, self.answer_false = QRadioButton(_("True")), QRadioButton(_("False"))
        self.answer_true.setAccessibleName(_("The statement is true"))
        self.answer_false.setAccessibleName(_("The statement is false"))
        self.answer_group = QButtonGroup(self)
        for button, value in ((self.answer_true, True), (self.answer_false, False)):
            self.answer_group.addButton(button)
            button.clicked.connect(lambda _c=False, v=value: self._set("answer", v, ""))
            answer.addWidget(button)
        answer.addStretch(1)
        self.feedback_true = _line(_("Feedback when the learner answers true"))
        self.feedback_false = _line(_("Feedback when the learner answers false"))
        self.feedback_true.textEdited.connect(lambda t: self._set("feedback_true", t, "feedback_true"))
        self.feedback_false.textEdited.connect(lambda t: self._set("feedback_false", t, "feedback_false"))
        form.addRow(_("The statement is"), answer)
        form.addRow(_("Feedback if answered true"), self.feedback_true)
        form.addRow(_("Feedback if answered false"), self.feedback_false)
        self._page_with("true_false", form)

    def _feedback_wrong(self) -> QLineEdit:
        edit = _line(_("Feedback for any other answer"))
        edit.textEdited.connect(lambda t: self._set("feedback_wrong", t, "feedback_wrong"))
        return edit

    def _build_short(self) -> None:
        self.short_answers = self._rows("answers", (
            Column("text", _("Accepted answer"), _("Accepted answer {n}"), stretch=3),
            Column("feedback", _("Feedback"), _("Feedback for accepted answer {n}"), stretch=3)),
            _("Add answer"), _("Remove answer {n}"))
        self.case_sensitive = QCheckBox(_("Upper and lower case must match"))
        self.case_sensitive.setAccessibleName(_("Upper and lower case must match"))
        self.case_sensitive.clicked.connect(lambda checked: self._set("case_sensitive", bool(checked) or None, ""))
        self.short_wrong = self._feedback_wrong()
        form = QFormLayout()
        form.addRow(self.case_sensitive)
        form.addRow(_("Feedback for any other answer"), self.short_wrong)
        self._page_with("short", QLabel(_("Accepted answers (spaces and, unless set below, case do not count):")),
                        self.short_answers, form)

    def _build_numerical(self) -> None:
        self.numbers = self._rows("answers", (
            Column("value", _("Value"), _("Value of answer {n}"), kind="number", stretch=1),
            Column("tolerance", _("Tolerance (±)"), _("Tolerance of answer {n}"), kind="number", stretch=1),
            Column("feedback", _("Feedback"), _("Feedback for answer {n}"), stretch=4)),
            _("Add answer"), _("Remove answer {n}"))
        self.number_wrong = self._feedback_wrong()
        form = QFormLayout()
        form.addRow(_("Feedback for any other answer"), self.number_wrong)
        self._page_with("numerical", QLabel(_("Accepted numbers: a value, give or take the tolerance:")),
                        self.numbers, form)

    def _build_matching(self) -> None:
        self.pairs = self._rows("pairs", (
            Column("left", _("Item"), _("Item {n}"), stretch=2),
            Column("right", _("Its match"), _("Match of item {n}"), stretch=2),
            Column("feedback", _("Feedback"), _("Feedback for pair {n}"), stretch=3)),
            _("Add pair"), _("Remove pair {n}"))
        self._page_with("matching", QLabel(_("Pairs: the learner matches each item to its match:")), self.pairs)

    # -- showing a question
    def show_question(self, question: dict[str, Any], pools: list[str]) -> None:
        """Fill the form from the question's data; a field being typed in keeps its cursor."""
        self.data = copy.deepcopy(question)
        q = self.data
        kind = q.get("type")
        self.kind.setText(type_label(kind))
        show_text(self.id, as_text(q.get("id")))
        show_text(self.prompt, as_text(q.get("prompt")))
        show_text(self.points, number_text(q.get("points")), number=True)
        show_text(self.explanation, as_text(q.get("explanation")))
        show_text(self.pool, as_text(q.get("pool")))
        if self.pools.stringList() != pools:
            self.pools.setStringList(pools)
        self.pages.setCurrentWidget(self._page[kind])
        entries = q.get(LISTS.get(kind, ""), []) or []
        if kind == "single":
            self.single_choices.set_rows([
                {"text": as_text(c.get("text")), "feedback": as_text(c.get("feedback")),
                 "correct": truthy(c.get("correct")) or weight(c) >= 100} for c in entries])
        elif kind == "multiple":
            self.multiple_choices.set_rows([
                {"text": as_text(c.get("text")), "feedback": as_text(c.get("feedback")),
                 "weight": number_text(c.get("weight"))} for c in entries])
        elif kind == "true_false":
            for button, value in ((self.answer_true, True), (self.answer_false, False)):
                button.blockSignals(True)
                button.setChecked(truthy(q.get("answer")) == value)
                button.blockSignals(False)
            show_text(self.feedback_true, as_text(q.get("feedback_true")))
            show_text(self.feedback_false, as_text(q.get("feedback_false")))
        elif kind == "short":
            self.short_answers.set_rows([{"text": as_text(a.get("text")), "feedback": as_text(a.get("feedback"))}
                                         for a in entries])
            self.case_sensitive.setChecked(truthy(q.get("case_sensitive")))
            show_text(self.short_wrong, as_text(q.get("feedback_wrong")))
        elif kind == "numerical":
            self.numbers.set_rows([{**_value_and_tolerance(a), "feedback": as_text(a.get("feedback"))}
                                   for a in entries])
            show_text(self.number_wrong, as_text(q.get("feedback_wrong")))
        elif kind == "matching":
            self.pairs.set_rows([{"left": as_text(p.get("left")), "right": as_text(p.get("right")),
                                  "feedback": as_text(p.get("feedback"))} for p in entries])

    def focusable(self) -> list[QWidget]:
        """The fields in the order Tab should follow: the common ones, then the type's."""
        order: list[QWidget] = [self.id, self.prompt, self.points, self.explanation, self.pool]
        kind = self.data.get("type")
        if kind == "single":
            order += self.single_choices.focusable()
        elif kind == "multiple":
            order += self.multiple_choices.focusable()
        elif kind == "true_false":
            order += [self.answer_true, self.answer_false, self.feedback_true, self.feedback_false]
        elif kind == "short":
            order += self.short_answers.focusable() + [self.case_sensitive, self.short_wrong]
        elif kind == "numerical":
            order += self.numbers.focusable() + [self.number_wrong]
        elif kind == "matching":
            order += self.pairs.focusable()
        return order

    # -- what the trainer did, as the question's new data
    def _emit(self, question: dict[str, Any], field: str) -> None:
        self.changed.emit(question, field)

    def _set(self, key: str, value: Any, field: str) -> None:
        question = copy.deepcopy(self.data)
        if key in _OPTIONAL and value in (None, ""):
            question.pop(key, None)
        elif key == "case_sensitive" and value is None:
            question.pop(key, None)
        else:
            question[key] = value
        self._emit(question, field)

    def _row_edited(self, list_key: str, row: int, key: str, text: str) -> None:
        question = copy.deepcopy(self.data)
        entry = question[list_key][row]
        if self.data.get("type") == "numerical" and key in ("value", "tolerance"):
            # value and tolerance are edited together: a min/max answer becomes value ± tolerance
            cells = self.numbers.cells[row]
            entry.pop("min", None)
            entry.pop("max", None)
            value, tolerance = parse_number(cells["value"].text()), parse_number(cells["tolerance"].text())
            entry["value"] = "" if value is None else value
            if tolerance is None:
                entry.pop("tolerance", None)
            else:
                entry["tolerance"] = tolerance
        else:
            value = parse_number(text) if key in _NUMBERS else text
            if key in _OPTIONAL and value in (None, ""):
                entry.pop(key, None)
            else:
                entry[key] = value
        self._emit(question, f"{list_key}.{row}.{key}")

    def _choose(self, row: int) -> None:
        """Single choice: this choice is the right answer, and only this one."""
        question = copy.deepcopy(self.data)
        for i, choice in enumerate(question["choices"]):
            if i == row:
                choice.pop("weight", None)
                choice["correct"] = True
            else:
                choice.pop("correct", None)
                if weight(choice) >= 100:
                    choice.pop("weight", None)
        self._emit(question, "")

    def _add_row(self, list_key: str, rows: RowList) -> None:
        question = copy.deepcopy(self.data)
        new = dict(_NEW_ROW[list_key])
        if question.get("type") == "numerical":
            new = {"value": 0, "tolerance": 0}
        question.setdefault(list_key, []).append(new)
        self._emit(question, "")
        if rows.cells:  # the new row is shown: type in it straight away
            first = rows.cells[-1][rows.columns[0].key]
            first.setFocus()

    def _remove_row(self, list_key: str, row: int, rows: RowList) -> None:
        question = copy.deepcopy(self.data)
        del question[list_key][row]
        self._emit(question, "")
        rows.add_button.setFocus()


def _value_and_tolerance(answer: dict[str, Any]) -> dict[str, str]:
    """A numerical answer as value and tolerance; one given as min and max is shown as its middle ± half."""
    if "value" in answer or not ("min" in answer and "max" in answer):
        return {"value": number_text(answer.get("value")), "tolerance": number_text(answer.get("tolerance"))}
    low, high = parse_number(as_text(answer["min"])), parse_number(as_text(answer["max"]))
    if not isinstance(low, (int, float)) or not isinstance(high, (int, float)):
        return {"value": "", "tolerance": ""}
    return {"value": number_text(float(low + high) / 2), "tolerance": number_text(float(high - low) / 2)}
