"""The "Decision table" tab: the guidance, the learner's rules (add, remove, reorder, edit their
conditions with column pickers), what the table decides (per rule, gaps, overlaps, with example
applications), and a model trained on past decisions to compare with.

Running the table over the 2,000 applications takes milliseconds, so it runs on every edit; training
the model goes through `host.run` (off the GUI thread, with progress and Cancel). Every change goes to
the DecisionWork on the GUI thread and emits `changed`.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
                               QScrollArea, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from app.core.i18n import _, ngettext
from labs.automation.engine.comparison import DEFAULT_DEPTH, DEPTH_RANGE, MODEL_KINDS, MODEL_TITLES, ModelChoice, \
    ModelRun, undecided_label
from labs.automation.engine.decisions import (FIRST, HIT_POLICIES, HIT_POLICY_TITLES, LIST_OPERATORS, OPERATORS,
                                              OPERATOR_SYMBOLS, Condition, DecisionTable, Rule, TableProblem,
                                              column_kind, rule_code, rule_title)
from labs.automation.engine.workspace import FEATURES, ID_COLUMN, OUTCOMES, TARGET, DecisionWork, Question
from labs.panel_widgets import bold, table

TEXT_OPERATORS = ("=", "!=", "in", "not in")
HIDDEN_COLUMNS = (ID_COLUMN, TARGET, "benefit_tier")  # a rule decides from the application's facts only
EXAMPLE_ROWS = 5


# --- small shared widgets (the Hours saved tab uses them too) ------------------------------------------

def wrapping(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def code_view(name: str) -> QPlainTextEdit:
    """A few lines of code: read-only, monospaced, left-to-right in every language."""
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    font = QFont()
    font.setFamilies(["Noto Sans Mono", "monospace"])
    font.setStyleHint(QFont.StyleHint.Monospace)
    view.setFont(font)
    view.setMaximumHeight(view.fontMetrics().lineSpacing() * 5)
    view.setAccessibleName(name)
    return view


def fill(widget: QTableWidget, rows: Sequence[Sequence[Any]], numeric: Sequence[int] = ()) -> None:
    widget.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            widget.setItem(r, c, item)


def button(text: str, name: str | None = None) -> QPushButton:
    widget = QPushButton(text)
    widget.setAccessibleName(name or text)
    return widget


def error_label() -> QLabel:
    label = wrapping()
    label.setStyleSheet("color: #a12a1a;")
    return label


def _operator_title(operator: str) -> str:
    if operator in ("in", "not in", "between"):
        return _(operator)
    return OPERATOR_SYMBOLS.get(operator, operator)


# --- one condition: column, operator, value --------------------------------------------------------

class ConditionRow(QWidget):
    """Column picker, operator picker, and the value editor that suits them: a list of the column's
    values for words, a text field for numbers and dates, two fields for "between"."""

    edited = Signal()
    remove_requested = Signal()

    def __init__(self, work: DecisionWork, condition: Condition, number: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.work = work
        self._updating = True
        # "column operator value" reads like the rule in the list and in the code: left to right in every language
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        where = _("Condition {number}").format(number=number)
        self.column_combo = QComboBox()
        self.column_combo.setAccessibleName(_("{where}: column").format(where=where))
        columns = [c for c in work.frame.columns if c not in HIDDEN_COLUMNS]
        if condition.column and condition.column not in columns:
            columns.append(condition.column)  # shown, so its problem can be read and fixed
        for column in columns:
            self.column_combo.addItem(column, column)
        self.operator_combo = QComboBox()
        self.operator_combo.setAccessibleName(_("{where}: operator").format(where=where))
        self.value_edit = QLineEdit()
        self.value_edit.setAccessibleName(_("{where}: value").format(where=where))
        self.value_combo = QComboBox()
        self.value_combo.setAccessibleName(_("{where}: value").format(where=where))
        self.values_list = QListWidget()
        self.values_list.setAccessibleName(_("{where}: values").format(where=where))
        self.values_list.setMaximumHeight(self.values_list.fontMetrics().lineSpacing() * 5)
        self.low_edit, self.high_edit = QLineEdit(), QLineEdit()
        self.low_edit.setAccessibleName(_("{where}: lowest value").format(where=where))
        self.high_edit.setAccessibleName(_("{where}: highest value").format(where=where))
        self.and_label = QLabel(_("and"))
        self.remove_button = button(_("Remove"), _("Remove condition {number}").format(number=number))
        for widget in (self.column_combo, self.operator_combo, self.value_edit, self.value_combo, self.values_list,
                       self.low_edit, self.and_label, self.high_edit):
            layout.addWidget(widget, 1 if widget in (self.value_edit, self.values_list, self.value_combo) else 0)
        layout.addWidget(self.remove_button)

        self.column_combo.setCurrentIndex(max(0, self.column_combo.findData(condition.column)))
        self._fill_operators(condition.operator)
        self._fill_value(condition)
        self.column_combo.currentIndexChanged.connect(self._column_changed)
        self.operator_combo.currentIndexChanged.connect(self._operator_changed)
        self.value_combo.currentIndexChanged.connect(lambda _i: self._edited())
        self.values_list.itemChanged.connect(lambda _item: self._edited())
        for edit in (self.value_edit, self.low_edit, self.high_edit):
            edit.editingFinished.connect(self._edited)
        self.remove_button.clicked.connect(self.remove_requested.emit)
        self._updating = False

    def _kind(self) -> str:
        column = self.column_combo.currentData()
        return column_kind(self.work.frame[column]) if column in self.work.frame.columns else "text"

    def _values(self) -> list[str]:
        column = self.column_combo.currentData()
        if column not in self.work.frame.columns:
            return []
        return sorted({str(v) for v in self.work.frame[column].dropna().unique()})

    def _fill_operators(self, wanted: str) -> None:
        self.operator_combo.clear()
        operators = TEXT_OPERATORS if self._kind() == "text" else OPERATORS
        for operator in operators:
            self.operator_combo.addItem(_operator_title(operator), operator)
        if wanted not in operators:
            if wanted in OPERATORS:  # e.g. "<" on a column of words, from a saved table: shown, so it is explained
                self.operator_combo.addItem(_operator_title(wanted), wanted)
            else:
                wanted = operators[0]
        self.operator_combo.setCurrentIndex(self.operator_combo.findData(wanted))

    def _fill_value(self, condition: Condition) -> None:
        operator, kind = self.operator_combo.currentData(), self._kind()
        values = condition.values()
        words = kind == "text"
        self.value_combo.setVisible(words and operator in ("=", "!="))
        self.values_list.setVisible(words and operator in LIST_OPERATORS)
        between = operator == "between"
        for widget in (self.low_edit, self.and_label, self.high_edit):
            widget.setVisible(between)
        self.value_edit.setVisible(not between and not words)
        placeholder = _("for example 2024-06-30") if kind == "date" else _("for example 150")
        if operator in LIST_OPERATORS:
            placeholder = _("for example 3, 4, 5")
        self.value_edit.setPlaceholderText(placeholder)
        self.value_edit.setText(", ".join(values) if operator in LIST_OPERATORS else values[0] if values else "")
        self.low_edit.setText(values[0] if len(values) > 0 else "")
        self.high_edit.setText(values[1] if len(values) > 1 else "")
        known = self._values()
        self.value_combo.clear()
        if not (values and values[0]):
            self.value_combo.addItem(_("Choose…"), "")  # nothing chosen yet: the table says so
        for value in known + [v for v in values[:1] if v and v not in known]:
            self.value_combo.addItem(value, value)
        self.value_combo.setCurrentIndex(max(0, self.value_combo.findData(values[0] if values else "")))
        self.values_list.clear()
        chosen = set(values)
        for value in known + [v for v in values if v and v not in known]:
            item = QListWidgetItem(value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in chosen else Qt.CheckState.Unchecked)
            self.values_list.addItem(item)

    def condition(self) -> Condition:
        column, operator = self.column_combo.currentData() or "", self.operator_combo.currentData() or "="
        kind = self._kind()
        if operator == "between":
            return Condition(column, operator, (self.low_edit.text().strip(), self.high_edit.text().strip()))
        if kind == "text" and operator in LIST_OPERATORS:
            return Condition(column, operator, tuple(
                self.values_list.item(i).text() for i in range(self.values_list.count())
                if self.values_list.item(i).checkState() == Qt.CheckState.Checked))
        if kind == "text":
            return Condition(column, operator, self.value_combo.currentData() or "")
        if operator in LIST_OPERATORS:
            text = self.value_edit.text()
            parts = text.split(";") if ";" in text else text.split(",")
            return Condition(column, operator, tuple(p.strip() for p in parts if p.strip()))
        return Condition(column, operator, self.value_edit.text().strip())

    def set_value(self, value: str | tuple[str, ...]) -> None:
        """Type or pick a value, as the learner does (for tests and previews)."""
        self._updating = True
        try:
            self._fill_value(Condition(self.column_combo.currentData(), self.operator_combo.currentData(), value))
        finally:
            self._updating = False
        self.edited.emit()

    def _column_changed(self, _index: int) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            self._fill_operators(self.operator_combo.currentData() or "=")
            self._fill_value(Condition(self.column_combo.currentData(), self.operator_combo.currentData(), ""))
        finally:
            self._updating = False
        self.edited.emit()

    def _operator_changed(self, _index: int) -> None:
        if self._updating:
            return
        old = self.condition()
        self._updating = True
        try:
            self._fill_value(Condition(old.column, self.operator_combo.currentData(), old.value))
        finally:
            self._updating = False
        self.edited.emit()

    def _edited(self) -> None:
        if not self._updating:
            self.edited.emit()


# --- the tab ----------------------------------------------------------------------------------------

class DecisionsTab(QWidget):
    changed = Signal()
    trained = Signal(object)  # the ModelRun, once the comparison is on screen

    def __init__(self, work: DecisionWork, host: Any, guidance: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.work, self.host = work, host
        self._updating = False
        self._training = False
        self.current = 0 if work.table.rules else -1
        self.condition_rows: list[ConditionRow] = []
        self.answer_widgets: dict[str, QWidget] = {}

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._rules_side(guidance))
        self.results_tabs = QTabWidget()
        self.results_tabs.setDocumentMode(True)
        self.results_tabs.addTab(self._results_page(), _("What the table decides"))
        self.results_tabs.addTab(self._compare_page(), _("Compare with a model"))
        splitter.addWidget(self.results_tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.refresh()

    # --- building ---------------------------------------------------------------------------------

    def _rules_side(self, guidance: str) -> QWidget:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        if guidance:
            box = QGroupBox(_("The guidance"))
            box_layout = QVBoxLayout(box)
            self.guidance_label = wrapping(_(guidance))
            box_layout.addWidget(self.guidance_label)
            layout.addWidget(box)
        form = QFormLayout()
        self.policy_combo = QComboBox()
        self.policy_combo.setAccessibleName(_("Hit policy"))
        for policy in HIT_POLICIES:
            self.policy_combo.addItem(_(HIT_POLICY_TITLES[policy]), policy)
        self.policy_combo.currentIndexChanged.connect(self._policy_chosen)
        form.addRow(_("Hit policy:"), self.policy_combo)
        layout.addLayout(form)
        self.rules_table = table([_("Rule"), _("Name"), _("Outcome"), _("When")], _("The rules, in order"))
        self.rules_table.itemSelectionChanged.connect(self._rule_selected)
        layout.addWidget(self.rules_table, 1)
        row = QHBoxLayout()
        self.add_button = button(_("Add a rule"))
        self.remove_button = button(_("Remove the rule"))
        self.up_button = button(_("Move up"), _("Move the rule up"))
        self.down_button = button(_("Move down"), _("Move the rule down"))
        self.add_button.clicked.connect(self.add_rule)
        self.remove_button.clicked.connect(self.remove_rule)
        self.up_button.clicked.connect(lambda: self.move_rule(-1))
        self.down_button.clicked.connect(lambda: self.move_rule(1))
        for widget in (self.add_button, self.remove_button, self.up_button, self.down_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)

        self.editor = QGroupBox()
        editor = QVBoxLayout(self.editor)
        fields = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(_("Rule name"))
        self.name_edit.setPlaceholderText(_("for example Priority families"))
        self.name_edit.editingFinished.connect(self._rule_edited)
        fields.addRow(_("Name:"), self.name_edit)
        self.outcome_combo = QComboBox()
        self.outcome_combo.setAccessibleName(_("Outcome"))
        self.outcome_combo.currentIndexChanged.connect(lambda _i: self._rule_edited())
        fields.addRow(_("Outcome:"), self.outcome_combo)
        self.tier_edit = QLineEdit()
        self.tier_edit.setAccessibleName(_("Tier"))
        self.tier_edit.setPlaceholderText(_("optional, for example priority"))
        self.tier_edit.editingFinished.connect(self._rule_edited)
        fields.addRow(_("Tier:"), self.tier_edit)
        editor.addLayout(fields)
        editor.addWidget(bold(QLabel(_("Conditions (all must hold):"))))
        self.conditions_box = QVBoxLayout()
        editor.addLayout(self.conditions_box)
        self.no_conditions = wrapping(_("No conditions: this rule matches every application."))
        editor.addWidget(self.no_conditions)
        row = QHBoxLayout()
        self.add_condition_button = button(_("Add a condition"))
        self.add_condition_button.clicked.connect(self.add_condition)
        row.addWidget(self.add_condition_button)
        row.addStretch(1)
        editor.addLayout(row)
        self.rule_code = code_view(_("The same rule in pandas"))
        editor.addWidget(self.rule_code)
        layout.addWidget(self.editor)
        self.problems_label = error_label()
        self.problems_label.setAccessibleName(_("Problems in the table"))
        layout.addWidget(self.problems_label)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _results_page(self) -> QWidget:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.summary_label = bold(wrapping())
        layout.addWidget(self.summary_label)
        self.per_rule_table = table([_("Rule"), _("Outcome"), _("Matches"), _("Decides"), _("Note")],
                                    _("What each rule decides"))
        self.per_rule_table.itemSelectionChanged.connect(self._per_rule_selected)
        layout.addWidget(self.per_rule_table)
        self.gaps_label = wrapping()
        layout.addWidget(self.gaps_label)
        self.gaps_button = button(_("Show the gaps"), _("Show applications no rule matches"))
        self.gaps_button.clicked.connect(self.show_gaps)
        row = QHBoxLayout()
        row.addWidget(self.gaps_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(bold(QLabel(_("Overlaps: rules with different outcomes that match the same applications"))))
        self.overlaps_table = table([_("Rules"), _("Outcomes"), _("Applications")], _("Overlaps"))
        self.overlaps_table.itemSelectionChanged.connect(self._overlap_selected)
        layout.addWidget(self.overlaps_table)
        self.examples_title = bold(wrapping())
        layout.addWidget(self.examples_title)
        self.examples_table = table([], _("Example applications"))
        layout.addWidget(self.examples_table)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _compare_page(self) -> QWidget:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(wrapping(_("A model trained on the caseworkers' past decisions learns what they did, not "
                                    "what the guidance says. Where it disagrees with your table, ask which is "
                                    "right.")))
        form = QFormLayout()
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName(_("Model"))
        for kind in MODEL_KINDS:
            self.model_combo.addItem(_(MODEL_TITLES[kind]), kind)
        self.model_combo.currentIndexChanged.connect(self._model_chosen)
        form.addRow(_("Model:"), self.model_combo)
        self.depth_spin = QSpinBox()
        self.depth_spin.setAccessibleName(_("Depth of the trees"))
        self.depth_spin.valueChanged.connect(lambda _v: self._model_chosen())
        form.addRow(_("Depth:"), self.depth_spin)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.train_button = button(_("Train on past decisions"))
        self.train_button.clicked.connect(self.train)
        row.addWidget(self.train_button)
        self.train_status = wrapping()
        row.addWidget(self.train_status, 1)
        layout.addLayout(row)
        self.compare_summary = bold(wrapping())
        layout.addWidget(self.compare_summary)
        self.region_table = table([_("Region"), _("Applications"), _("Disagreements"), _("Share")],
                                  _("Disagreements per region"))
        layout.addWidget(self.region_table)
        self.drivers_label = wrapping()
        self.drivers_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.drivers_label)
        self.pairs_table = table([_("Your table"), _("The model"), _("Applications")],
                                 _("Where the table and the model differ"))
        self.pairs_table.itemSelectionChanged.connect(self._pair_selected)
        layout.addWidget(self.pairs_table)
        self.pair_examples = table([], _("Example applications where they differ"))
        layout.addWidget(self.pair_examples)
        self.importance_label = wrapping()
        layout.addWidget(self.importance_label)
        layout.addWidget(self._questions_box())
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _questions_box(self) -> QWidget:
        box = QGroupBox(_("Questions"))
        layout = QVBoxLayout(box)
        for question in self.work.questions:
            layout.addWidget(wrapping(_(question.prompt)))
            widget = self._answer_widget(question)
            widget.setAccessibleName(_(question.prompt))
            self.answer_widgets[question.id] = widget
            layout.addWidget(widget)
        box.setVisible(bool(self.work.questions))
        return box

    def _answer_widget(self, question: Question) -> QWidget:
        if question.kind == "value":
            combo = QComboBox()
            combo.addItem(_("Choose…"), "")
            for value in sorted({str(v) for v in self.work.frame[question.column].dropna().unique()}):
                combo.addItem(value, value)
            combo.currentIndexChanged.connect(lambda _i, q=question.id, w=combo: self.set_answer(q, w.currentData()))
            return combo
        if question.kind == "choice":
            choices = QListWidget()  # wraps long answers, unlike radio buttons
            choices.setWordWrap(True)
            choices.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            for option_id, text in question.options:
                item = QListWidgetItem(_(text))
                item.setData(Qt.ItemDataRole.UserRole, option_id)
                choices.addItem(item)
            choices.itemSelectionChanged.connect(lambda q=question.id, w=choices: self.set_answer(
                q, w.selectedItems()[0].data(Qt.ItemDataRole.UserRole) if w.selectedItems() else ""))
            return choices
        edit = QLineEdit()
        edit.setPlaceholderText(_("for example 75%"))
        edit.editingFinished.connect(lambda q=question.id, w=edit: self.set_answer(q, w.text()))
        return edit

    # --- showing the work --------------------------------------------------------------------------

    def refresh(self) -> None:
        self._updating = True
        try:
            self.policy_combo.setCurrentIndex(self.policy_combo.findData(self.work.table.hit_policy))
            self._refresh_rules()
            self._refresh_editor()
            self._refresh_results()
            self._refresh_model()
            self._refresh_answers()
        finally:
            self._updating = False

    def _refresh_rules(self) -> None:
        rules = self.work.table.rules
        fill(self.rules_table, [(i + 1, r.name, r.outcome + (f" ({r.tier})" if r.tier else ""), r.describe())
                                for i, r in enumerate(rules)], numeric=(0,))
        if 0 <= self.current < len(rules):
            self.rules_table.selectRow(self.current)
        has = 0 <= self.current < len(rules)
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and self.current > 0)
        self.down_button.setEnabled(has and self.current < len(rules) - 1)
        problems = self.work.problems
        self.problems_label.setText("\n".join(problems))
        self.problems_label.setVisible(bool(problems))

    def _refresh_editor(self) -> None:
        rules = self.work.table.rules
        has = 0 <= self.current < len(rules)
        self.editor.setVisible(has)
        for row in self.condition_rows:
            self.conditions_box.removeWidget(row)
            row.deleteLater()
        self.condition_rows = []
        if not has:
            return
        rule = rules[self.current]
        self.editor.setTitle(_("Rule {number}").format(number=self.current + 1))
        self.name_edit.setText(rule.name)
        self.outcome_combo.clear()
        for outcome in OUTCOMES + ((rule.outcome,) if rule.outcome and rule.outcome not in OUTCOMES else ()):
            self.outcome_combo.addItem(outcome, outcome)
        if not rule.outcome:
            self.outcome_combo.insertItem(0, _("Choose…"), "")
        self.outcome_combo.setCurrentIndex(max(0, self.outcome_combo.findData(rule.outcome)))
        self.tier_edit.setText(rule.tier)
        for number, condition in enumerate(rule.conditions, start=1):
            row = ConditionRow(self.work, condition, number)
            row.edited.connect(self._rule_edited)
            row.remove_requested.connect(lambda r=row: self.remove_condition(self.condition_rows.index(r)))
            self.conditions_box.addWidget(row)
            row.show()  # at once, not at the next event loop turn (the parent may be on screen already)
            self.condition_rows.append(row)
        self.no_conditions.setVisible(not rule.conditions)
        self._refresh_rule_code()

    def _refresh_rule_code(self) -> None:
        rules = self.work.table.rules
        if not 0 <= self.current < len(rules):
            return
        try:
            text = rule_code(rules[self.current], self.work.frame)
        except (TableProblem, KeyError, IndexError):
            text = _("# This rule has a problem: see below the table.")
        self.rule_code.setPlainText(text)

    def _refresh_results(self) -> None:
        run = self.work.run
        for widget in (self.per_rule_table, self.overlaps_table, self.gaps_button):
            widget.setEnabled(run is not None)
        if run is None:
            self.summary_label.setText(_("Fix the problems in the table to see what it decides."))
            for widget in (self.per_rule_table, self.overlaps_table, self.examples_table):
                widget.setRowCount(0)
            self.gaps_label.setText("")
            self.examples_title.setText("")
            return
        counts = " · ".join(f"{o} {run.outcome_counts.get(o, 0):,}" for o in OUTCOMES)
        self.summary_label.setText(_("The table decides {decided} of {cases} applications ({share}): {counts}.").format(
            decided=f"{run.decided:,}", cases=f"{run.cases:,}", share=f"{run.coverage:.1%}", counts=counts))
        shadowed = set(run.shadowed())
        rows = []
        for stats in run.per_rule:
            rule = self.work.table.rules[stats.index]
            note = (_("never decides: earlier rules decide every application it matches") if stats.index in shadowed
                    else _("matches nothing") if not stats.matched else "")
            rows.append((stats.index + 1, rule.outcome, f"{stats.matched:,}", f"{stats.decided:,}", note))
        fill(self.per_rule_table, rows, numeric=(0, 2, 3))
        gaps, conflicts = len(run.gaps), len(run.conflicts)
        lines = [ngettext("{count} application matches no rule (a gap).",
                          "{count} applications match no rule (gaps).", gaps).format(count=f"{gaps:,}")]
        if self.work.table.hit_policy != FIRST:
            lines.append(ngettext("{count} application matches rules with different outcomes and stays undecided "
                                  "(a conflict).",
                                  "{count} applications match rules with different outcomes and stay undecided "
                                  "(conflicts).", conflicts).format(count=f"{conflicts:,}"))
        self.gaps_label.setText(" ".join(lines))
        self.gaps_button.setEnabled(gaps > 0)
        fill(self.overlaps_table, [(_("{first} and {second}").format(first=o.first + 1, second=o.second + 1),
                                    f"{self.work.table.rules[o.first].outcome} / "
                                    f"{self.work.table.rules[o.second].outcome}", f"{o.count:,}")
                                   for o in run.overlaps], numeric=(2,))
        if gaps:
            self.show_gaps()
        else:
            self.examples_title.setText("")
            self.examples_table.setRowCount(0)

    def _show_examples(self, target: QTableWidget, title: str, positions: Sequence[int],
                       columns: Sequence[str]) -> None:
        frame = self.work.frame
        shown = [ID_COLUMN] + [c for c in dict.fromkeys(columns) if c in frame.columns and c != ID_COLUMN]
        if target is self.examples_table:
            self.examples_title.setText(title)
        rows = frame.iloc[list(positions)[:EXAMPLE_ROWS]][shown]
        target.setColumnCount(len(shown))
        target.setHorizontalHeaderLabels(shown)
        fill(target, [[("" if v != v else v) for v in row] for row in rows.itertuples(index=False)])

    def _columns_of(self, *indexes: int) -> list[str]:
        rules = self.work.table.rules
        return [c.column for i in indexes if 0 <= i < len(rules) for c in rules[i].conditions]

    def show_gaps(self) -> None:
        run = self.work.run
        if run is None:
            return
        columns = self._columns_of(*range(len(self.work.table.rules))) + ["nationality_status", "income_pct_of_median"]
        self._show_examples(self.examples_table, ngettext("Example of an application no rule matches",
                                                         "Examples of applications no rule matches",
                                                         min(len(run.gaps), EXAMPLE_ROWS)),
                            run.gaps.tolist(), columns)

    def _per_rule_selected(self) -> None:
        run = self.work.run
        rows = self.per_rule_table.selectionModel().selectedRows()
        if run is None or not rows:
            return
        stats = run.per_rule[rows[0].row()]
        self._show_examples(self.examples_table, _("Applications decided by {rule}").format(
            rule=rule_title(self.work.table, stats.index)), stats.examples, self._columns_of(stats.index))

    def _overlap_selected(self) -> None:
        run = self.work.run
        rows = self.overlaps_table.selectionModel().selectedRows()
        if run is None or not rows:
            return
        overlap = run.overlaps[rows[0].row()]
        self._show_examples(self.examples_table, _("Applications both {first} and {second} match").format(
            first=rule_title(self.work.table, overlap.first), second=rule_title(self.work.table, overlap.second)),
            overlap.examples, self._columns_of(overlap.first, overlap.second))

    def _refresh_model(self) -> None:
        choice = self.work.choice
        self.model_combo.setCurrentIndex(self.model_combo.findData(choice.kind))
        low, high = DEPTH_RANGE[choice.kind]
        self.depth_spin.setRange(low, high)
        self.depth_spin.setValue(choice.max_depth)
        self.train_button.setEnabled(not self._training)
        found = self.work.disagreements()
        for widget in (self.region_table, self.pairs_table, self.pair_examples):
            widget.setVisible(found is not None)
        if found is None:
            self.compare_summary.setText(_("Train the model to compare it with your table."))
            self.drivers_label.setText("")
            self.importance_label.setText("")
            return
        model = self.work.model
        self.compare_summary.setText(_(
            "The model gives the past decision on {model_past} of the applications, your table on {table_past}. The "
            "table and the model agree on {agreement} ({agree} of {cases}).").format(
            model_past=f"{found.model_vs_past:.1%}", table_past=f"{found.table_vs_past:.1%}",
            agreement=f"{found.agreement:.1%}", agree=f"{found.cases - found.disagreements:,}",
            cases=f"{found.cases:,}"))
        fill(self.region_table, [(g.value, f"{g.cases:,}", f"{g.disagreements:,}", f"{g.share:.1%}")
                                 for g in found.by_group.get("region", ())], numeric=(1, 2, 3))
        if found.drivers:
            items = "".join("<li>{}</li>".format(_escape(_("{where}: {count} of {cases} applications disagree").format(
                where=d.describe(), count=f"{d.disagreements:,}", cases=f"{d.cases:,}"))) for d in found.drivers)
            self.drivers_label.setText(_escape(_("The disagreements gather where:")) + f"<ul>{items}</ul>")
        else:
            self.drivers_label.setText(_("The disagreements do not gather anywhere in particular."))
        fill(self.pairs_table, [(undecided_label(p.table), p.model, f"{p.count:,}") for p in found.pairs],
             numeric=(2,))
        self.pair_examples.setRowCount(0)
        if found.pairs:
            self.pairs_table.selectRow(0)  # the biggest difference, with example applications
            self._pair_selected()
        self.importance_label.setText(_("The model relies most on: {features}.").format(features=", ".join(
            f"{name} ({share:.0%})" for name, share in model.importance[:4])))

    def _pair_selected(self) -> None:
        found = self.work.disagreements()
        rows = self.pairs_table.selectionModel().selectedRows()
        if found is None or not rows:
            return
        pair = found.pairs[rows[0].row()]
        top = [name for name, _share in self.work.model.importance[:4]]
        self._show_examples(self.pair_examples, "", pair.examples, top + [TARGET])

    def _refresh_answers(self) -> None:
        for question in self.work.questions:
            widget = self.answer_widgets[question.id]
            answer = self.work.answers.get(question.id, "")
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(answer)))
            elif isinstance(widget, QListWidget):
                for i in range(widget.count()):
                    item = widget.item(i)
                    item.setSelected(item.data(Qt.ItemDataRole.UserRole) == answer)
            else:
                widget.setText(answer)

    # --- the learner's changes ---------------------------------------------------------------------

    def _apply(self, table: DecisionTable, current: int | None = None, editor: bool = True) -> None:
        """Swap in the edited table, run it, show it, tell the lab screen."""
        self.work.set_table(table)
        if current is not None:
            self.current = current
        self._updating = True
        try:
            self._refresh_rules()
            if editor:
                self._refresh_editor()
            else:
                self._refresh_rule_code()
                self.no_conditions.setVisible(not self.condition_rows)
            self._refresh_results()
            self._refresh_model()
        finally:
            self._updating = False
        self.changed.emit()

    def _policy_chosen(self, _index: int) -> None:
        if self._updating:
            return
        policy = self.policy_combo.currentData()
        if policy != self.work.table.hit_policy:
            self._apply(self.work.table.with_policy(policy), editor=False)

    def _rule_selected(self) -> None:
        if self._updating:
            return
        rows = self.rules_table.selectionModel().selectedRows()
        if rows and rows[0].row() != self.current:
            self.select_rule(rows[0].row())

    def select_rule(self, index: int) -> None:
        self.current = index
        self._updating = True
        try:
            self._refresh_rules()
            self._refresh_editor()
        finally:
            self._updating = False

    def _editor_rule(self) -> Rule:
        return Rule(self.name_edit.text().strip(), tuple(row.condition() for row in self.condition_rows),
                    self.outcome_combo.currentData() or "", self.tier_edit.text().strip())

    def _rule_edited(self) -> None:
        if self._updating or not 0 <= self.current < len(self.work.table.rules):
            return
        rule = self._editor_rule()
        if rule != self.work.table.rules[self.current]:
            self._apply(self.work.table.with_rule(self.current, rule), editor=False)

    def add_rule(self) -> None:
        at = self.current + 1 if self.current >= 0 else len(self.work.table.rules)
        rule = Rule("", (Condition(FEATURES[0], "=", ""),), OUTCOMES[0])
        self._apply(self.work.table.adding(rule, at), current=at)
        self.name_edit.setFocus()

    def remove_rule(self) -> None:
        if not 0 <= self.current < len(self.work.table.rules):
            return
        remaining = len(self.work.table.rules) - 1
        self._apply(self.work.table.removing(self.current), current=min(self.current, remaining - 1))

    def move_rule(self, step: int) -> None:
        to = self.current + step
        if 0 <= self.current < len(self.work.table.rules) and 0 <= to < len(self.work.table.rules):
            self._apply(self.work.table.moving(self.current, to), current=to)

    def add_condition(self) -> None:
        if not 0 <= self.current < len(self.work.table.rules):
            return
        rule = self._editor_rule()
        rule = Rule(rule.name, rule.conditions + (Condition(FEATURES[0], "=", ""),), rule.outcome, rule.tier)
        self._apply(self.work.table.with_rule(self.current, rule))

    def remove_condition(self, number: int) -> None:
        rule = self._editor_rule()
        conditions = rule.conditions[:number] + rule.conditions[number + 1:]
        self._apply(self.work.table.with_rule(self.current, Rule(rule.name, conditions, rule.outcome, rule.tier)))

    def set_answer(self, question_id: str, answer: str) -> None:
        if self._updating or self.work.answers.get(question_id, "") == (answer or "").strip():
            return
        self.work.set_answer(question_id, answer or "")
        self.changed.emit()

    # --- the model (off the GUI thread) ----------------------------------------------------------------

    def _model_chosen(self, *_args: Any) -> None:
        if self._updating:
            return
        kind = self.model_combo.currentData()
        depth = self.depth_spin.value() if kind == self.work.choice.kind else DEFAULT_DEPTH[kind]
        choice = ModelChoice.from_dict({"kind": kind, "max_depth": depth, "seed": self.work.choice.seed})
        if choice != self.work.choice:
            self.work.set_choice(choice)
            self._updating = True
            try:
                self._refresh_model()
            finally:
                self._updating = False
            self.changed.emit()

    def train(self) -> None:
        if self._training:
            return
        self._set_training(True)
        self.host.run(self.work.training_job(), self._trained, _("Training on past decisions"),
                      on_error=self._train_failed, on_cancel=self._train_cancelled)

    def _set_training(self, training: bool) -> None:
        self._training = training
        self.train_button.setEnabled(not training)
        self.train_status.setText(_("Training… (the status bar shows the progress and a Cancel button)")
                                  if training else "")

    def _trained(self, run: ModelRun) -> None:
        self._set_training(False)
        self.work.set_model(run)
        self._updating = True
        try:
            self._refresh_model()
        finally:
            self._updating = False
        self.train_status.setText(_("Trained in {seconds} s.").format(seconds=f"{run.seconds:.1f}"))
        self.results_tabs.setCurrentIndex(1)
        self.changed.emit()
        self.trained.emit(run)

    def _train_failed(self, error: BaseException) -> None:
        self._set_training(False)
        self.host.tell(_("Training did not work"), _("Training stopped with this error: {reason}").format(
            reason=error))

    def _train_cancelled(self) -> None:
        self._set_training(False)
        self.train_status.setText(_("Training was cancelled."))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

