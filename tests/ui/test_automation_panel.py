"""The automation lab's panel, driven the way a learner does through a synchronous fake host: the
decision-table tab (rules, conditions, gaps, overlaps, the model comparison and its questions), the
hours-saved tab, and the whole panel with the routing and letters tabs, in English and in Arabic."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QWidget,
)

from app.core.i18n import set_locale
from app.core.tasks import TaskState
from labs.automation.engine.decisions import FIRST, UNIQUE
from labs.automation.engine.savings import DECISIONS, LETTERS, ROUTING
from labs.automation.engine.workspace import AutomationWorkspace, DecisionWork, catalog_frame
from labs.automation.paperwork import FRESH_TABLE, GUIDANCE, LAB, QUESTIONS, REFERENCE
from labs.framework import run_check
from tests.ui.sync_host import SyncHost

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView)


@pytest.fixture(scope="module")
def data():
    return catalog_frame()


@pytest.fixture
def work(data) -> DecisionWork:
    frame, path = data
    return DecisionWork(frame, FRESH_TABLE, path, QUESTIONS)


@pytest.fixture
def make_tab(qtbot, tmp_path):
    def make(work: DecisionWork, **host_options):
        from labs.automation.decisions_tab import DecisionsTab

        host = SyncHost(tmp_path, **host_options)
        tab = DecisionsTab(work, host, GUIDANCE)
        qtbot.addWidget(tab)
        tab.show()
        return tab, host
    return make


def check(task_id: str, work: DecisionWork):
    return run_check(LAB.task(task_id), AutomationWorkspace(work, None, None))


def choose(combo: QComboBox, data) -> None:
    index = combo.findData(data)
    assert index >= 0, (data, [combo.itemData(i) for i in range(combo.count())])
    combo.setCurrentIndex(index)


def type_and_leave(qtbot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)  # QTest types Latin-1 only: other scripts arrive as an input method would send them
    edit.editingFinished.emit()  # as when the learner tabs away


def _named(widget: QWidget) -> bool:
    """A spin box's text field and a table's header are announced with their spin box or table."""
    parent = widget.parentWidget()
    if isinstance(widget, (QLineEdit, QHeaderView)) and isinstance(parent, (QAbstractSpinBox, QAbstractItemView)):
        return bool(parent.accessibleName().strip())
    return bool(widget.accessibleName().strip())


def unnamed(widget: QWidget) -> list[str]:
    return [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}" for w in widget.findChildren(QWidget)
            if isinstance(w, CONTROLS) and w.isVisible() and not _named(w)]


# --- the decision table ------------------------------------------------------------------------------

def test_the_draft_shows_its_gaps_and_overlaps_with_examples(make_tab, work):
    tab, _host = make_tab(work)
    assert tab.rules_table.rowCount() == 3 and tab.rules_table.item(1, 1).text() == "Income up to 150%"
    assert tab.rules_table.item(0, 3).text() == "nationality_status = foreign_resident and residence_months < 12"
    assert tab.rules_table.item(0, 2).text() == "declined (none)"
    assert tab.policy_combo.currentData() == UNIQUE
    assert tab.summary_label.text().startswith("The table decides ")
    gaps = len(work.run.gaps)
    assert gaps > 300 and tab.gaps_label.text().startswith(f"{gaps} applications match no rule (gaps).")
    assert "stay undecided (conflicts)" in tab.gaps_label.text()
    assert tab.overlaps_table.rowCount() == 2 and tab.overlaps_table.item(0, 1).text() == "declined / approved"
    # the gaps' examples are on screen, with the columns the rules look at
    headers = [tab.examples_table.horizontalHeaderItem(c).text() for c in range(tab.examples_table.columnCount())]
    assert headers[:2] == ["application_id", "nationality_status"] and "income_pct_of_median" in headers
    assert tab.examples_table.rowCount() == 5
    first_gap = tab.examples_table.item(0, 0).text()
    assert first_gap == work.frame["application_id"].iloc[int(work.run.gaps[0])]
    tab.overlaps_table.selectRow(0)
    assert tab.examples_title.text().startswith("Applications both Rule 1 (Recent foreign residents) and Rule 2")
    assert "The guidance" in [w.title() for w in tab.findChildren(type(tab.editor))]
    assert not unnamed(tab)


def test_a_learner_adds_the_missing_rule_through_the_editor(qtbot, make_tab, work):
    tab, _host = make_tab(work)
    tab.select_rule(2)
    with qtbot.waitSignal(tab.changed):
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.current == 3 and len(work.table.rules) == 4
    assert work.problems == ("Rule 4, condition 1: the condition on region has no value.",)
    assert tab.problems_label.text() == work.problems[0]
    assert tab.summary_label.text() == "Fix the problems in the table to see what it decides."
    type_and_leave(qtbot, tab.name_edit, "Income above 150%")
    choose(tab.outcome_combo, "partial")
    type_and_leave(qtbot, tab.tier_edit, "basic")
    row = tab.condition_rows[0]
    choose(row.column_combo, "income_pct_of_median")
    assert [row.operator_combo.itemData(i) for i in range(row.operator_combo.count())][:4] == ["=", "!=", "<", "<="]
    choose(row.operator_combo, ">")
    assert row.value_edit.isVisible() and not row.value_combo.isVisible()
    with qtbot.waitSignal(tab.changed):
        type_and_leave(qtbot, row.value_edit, "150")
    rule = work.table.rules[3]
    assert (rule.name, rule.outcome, rule.tier) == ("Income above 150%", "partial", "basic")
    assert rule.conditions[0].to_dict() == {"column": "income_pct_of_median", "operator": ">", "value": "150"}
    assert work.run is not None and len(work.run.gaps) == 0
    assert tab.gaps_label.text().startswith("0 applications match no rule")
    assert tab.rule_code.toPlainText() == "applications['income_pct_of_median'] > 150"
    assert check("gaps", work).passed
    assert not check("overlaps", work).passed  # still "unique", still overlapping


def test_a_typing_mistake_is_explained_next_to_the_table(qtbot, make_tab, work):
    tab, _host = make_tab(work)
    tab.select_rule(1)
    row = tab.condition_rows[0]
    with qtbot.waitSignal(tab.changed):
        type_and_leave(qtbot, row.value_edit, "about 150")
    assert tab.problems_label.isVisible()
    assert tab.problems_label.text() == ('Rule 2 (Income up to 150%), condition 1: income_pct_of_median holds numbers; '
                                         '"about 150" is not a number.')
    assert not tab.per_rule_table.isEnabled() and tab.per_rule_table.rowCount() == 0
    assert check("gaps", work).message.startswith("Your table cannot run yet: Rule 2 (Income up to 150%), condition 1")
    type_and_leave(qtbot, row.value_edit, "١٥٠")  # Arabic-Indic digits are numbers too
    assert work.run is not None and not tab.problems_label.isVisible()


def test_words_are_picked_from_the_columns_values(qtbot, make_tab, work):
    tab, _host = make_tab(work)
    tab.select_rule(0)
    row = tab.condition_rows[0]
    assert row.value_combo.isVisible() and row.value_combo.currentData() == "foreign_resident"
    assert [row.operator_combo.itemData(i) for i in range(row.operator_combo.count())] == ["=", "!=", "in", "not in"]
    choose(row.operator_combo, "in")
    assert row.values_list.isVisible() and not row.value_combo.isVisible()
    items = {row.values_list.item(i).text(): row.values_list.item(i) for i in range(row.values_list.count())}
    assert set(items) == {"citizen", "marriage_migrant", "foreign_resident"}
    assert items["foreign_resident"].checkState() == Qt.CheckState.Checked  # the value was kept
    with qtbot.waitSignal(tab.changed):
        items["marriage_migrant"].setCheckState(Qt.CheckState.Checked)
    condition = work.table.rules[0].conditions[0]
    assert (condition.operator, set(condition.value)) == ("in", {"foreign_resident", "marriage_migrant"})
    assert work.table.rules[0].describe().startswith("nationality_status in ")


def test_policy_order_and_more_rules_make_the_table_follow_the_guidance(qtbot, make_tab, work):
    tab, _host = make_tab(work)
    with qtbot.waitSignal(tab.changed):
        choose(tab.policy_combo, FIRST)
    assert work.table.hit_policy == FIRST and "conflicts" not in tab.gaps_label.text()
    # Third child before the income rule, as the guidance orders them
    tab.select_rule(2)
    with qtbot.waitSignal(tab.changed):
        qtbot.mouseClick(tab.up_button, Qt.MouseButton.LeftButton)
    assert [r.name for r in work.table.rules] == ["Recent foreign residents", "Third child or later",
                                                  "Income up to 150%"]
    assert tab.current == 1 and tab.rules_table.currentRow() == 1
    tab.select_rule(0)
    assert not tab.up_button.isEnabled() and tab.down_button.isEnabled()
    # a throwaway rule, removed again
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert len(work.table.rules) == 4 and tab.current == 1
    with qtbot.waitSignal(tab.changed):
        qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert len(work.table.rules) == 3
    # a second condition, removed again
    tab.select_rule(1)
    qtbot.mouseClick(tab.add_condition_button, Qt.MouseButton.LeftButton)
    assert len(tab.condition_rows) == 2 and len(work.table.rules[1].conditions) == 2
    qtbot.mouseClick(tab.condition_rows[1].remove_button, Qt.MouseButton.LeftButton)
    assert len(work.table.rules[1].conditions) == 1 and len(tab.condition_rows) == 1
    assert check("overlaps", work).passed


def test_training_compares_with_the_model_and_the_questions_are_answered(qtbot, make_tab, work):
    from labs.automation.paperwork import _REFERENCE_TABLE

    work.set_table(_REFERENCE_TABLE)
    tab, host = make_tab(work)
    assert tab.compare_summary.text() == "Train the model to compare it with your table."
    assert work.model is None and tab.region_table.isHidden() and tab.pairs_table.isHidden()
    with qtbot.waitSignal(tab.trained, timeout=60000):
        qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    assert host.labels == ["Training on past decisions"]
    assert tab.results_tabs.currentIndex() == 1 and tab.train_status.text().startswith("Trained in ")
    found = work.disagreements()
    assert tab.compare_summary.text().endswith(
        f"The table and the model agree on {found.agreement:.1%} ({found.cases - found.disagreements:,} of 2,000).")
    assert tab.region_table.item(0, 0).text() == "north"
    assert "<li>region = north and residence_months &lt; 12: " in tab.drivers_label.text()  # escaped rich text
    tab.pairs_table.selectRow(0)
    assert tab.pair_examples.rowCount() > 0
    # answering like a learner
    agreement = tab.answer_widgets["agreement"]
    type_and_leave(qtbot, agreement, f"{found.agreement * 100:.1f} %")
    choose(tab.answer_widgets["region"], "north")
    why = tab.answer_widgets["why"]
    why.item(1).setSelected(True)
    assert work.answers["why"] == "better" and not check("compare", work).passed
    why.item(0).setSelected(True)
    assert work.answers == {"agreement": f"{found.agreement * 100:.1f} %", "region": "north", "why": "past"}
    assert check("compare", work).passed
    # a deeper tree is a new choice; the comparison stays until the learner trains again
    with qtbot.waitSignal(tab.changed):
        tab.depth_spin.setValue(3)
    assert work.choice.max_depth == 3 and work.model.choice.max_depth == 5


def test_a_cancelled_training_leaves_the_tab_ready(qtbot, make_tab, work):
    tab, _host = make_tab(work, cancel=True)
    qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    assert tab.train_status.text() == "Training was cancelled." and tab.train_button.isEnabled()
    assert work.model is None


# --- hours saved -------------------------------------------------------------------------------------

@pytest.fixture
def savings_tab(qtbot, tmp_path, work):
    from labs.automation.paperwork import _REFERENCE_TABLE
    from labs.automation.savings_tab import SavingsTab

    work.set_table(_REFERENCE_TABLE)
    workspace = AutomationWorkspace(work, None, None)
    tab = SavingsTab(workspace, SyncHost(tmp_path))
    qtbot.addWidget(tab)
    tab.show()
    return tab, workspace


def test_typing_minutes_shows_hours_fte_and_the_formula(qtbot, savings_tab):
    tab, workspace = savings_tab
    automatic = workspace.decisions.automatable_share()
    assert tab.edits[(DECISIONS, "share")].placeholderText() == f"{automatic:.1%} (your work)"
    assert tab.edits[(DECISIONS, "per_year")].placeholderText() == "2,000 (your work)"
    assert tab.edits[(ROUTING, "share")].placeholderText() == "not measured yet"
    assert "Type the minutes for: Applications decided" in tab.total_label.text()
    with qtbot.waitSignal(tab.changed):
        tab.type_into(DECISIONS, "by_hand", "30")
    tab.type_into(DECISIONS, "automated", "6")
    tab.type_into(LETTERS, "per_year", "1,000")
    tab.type_into(LETTERS, "share", "50%")
    tab.type_into(LETTERS, "by_hand", "12")
    tab.type_into(LETTERS, "automated", "2")
    stream = workspace.savings.stream(LETTERS)
    assert (stream.per_year, stream.share, stream.by_hand, stream.automated) == (1000, 0.5, 12, 2)
    expected = 2000 * automatic * 24 / 60 + 1000 * 0.5 * 10 / 60
    assert tab.total_label.text() == f"About {expected:,.0f} hours a year: {expected / 1600:.2f} full-time equivalents."
    assert tab.hours_labels[LETTERS].text() == "83"
    assert tab.edits[(LETTERS, "share")].text() == "50%"
    assert tab.formula_label.text().splitlines()[0].startswith(
        f"Applications decided: 2,000 a year × {automatic:.1%} automated × (30.0 − 6.0 minutes) ÷ 60 = ")
    assert "hours_saved = saved_minutes / 60 - upkeep_hours" in tab.code.toPlainText()
    tab.year_edit.setText("1800")
    tab.year_edit.editingFinished.emit()
    assert workspace.savings.hours_per_fte == 1800 and f"{expected / 1800:.2f}" in tab.total_label.text()
    assert not unnamed(tab)


def test_a_number_that_is_not_one_is_refused_with_a_message(qtbot, savings_tab):
    tab, workspace = savings_tab
    before = workspace.savings
    changes = []
    tab.changed.connect(lambda: changes.append(1))
    tab.type_into(DECISIONS, "by_hand", "half an hour")
    assert tab.problem_label.text() == ('Applications decided: minutes by hand: "half an hour" is not a number we '
                                        'can use.')
    tab.type_into(DECISIONS, "by_hand", "-5")
    assert workspace.savings == before and not changes
    tab.type_into(DECISIONS, "by_hand", "25")
    assert tab.problem_label.text() == "" and workspace.savings.stream(DECISIONS).by_hand == 25 and changes


# --- the whole panel ---------------------------------------------------------------------------------

@pytest.fixture
def make_panel(qtbot, tmp_path):
    def make(snapshot=None, locale: str = "en"):
        from labs.automation.panel import AutomationPanel

        host = SyncHost(tmp_path, locale=locale)
        panel = AutomationPanel(LAB.open(copy.deepcopy(snapshot) if snapshot else None, TaskState(), None), host)
        qtbot.addWidget(panel)
        panel.show()
        return panel, host
    return make


def test_the_panel_has_four_tabs_and_keeps_the_hours_in_step(qtbot, make_panel):
    panel, _host = make_panel()
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == ["Decision table", "Routing", "Letters",
                                                                        "Hours saved"]
    changes = []
    panel.changed.connect(lambda: changes.append(1))
    before = panel.savings.edits[(DECISIONS, "share")].placeholderText()
    panel.decisions.select_rule(1)
    choose(panel.decisions.condition_rows[0].operator_combo, ">=")  # income >= 150: the share automated changes
    assert changes
    assert panel.savings.edits[(DECISIONS, "share")].placeholderText() != before
    panel.tabs.setCurrentIndex(3)
    panel.savings.type_into(DECISIONS, "by_hand", "30")
    assert len(changes) == 2


def test_every_tab_names_its_controls(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        qtbot.wait(5)
        assert not unnamed(panel), (panel.tabs.tabText(index), unnamed(panel))
    panel.tabs.setCurrentIndex(0)
    panel.decisions.results_tabs.setCurrentIndex(1)  # the model comparison and its questions
    qtbot.wait(5)
    assert panel.decisions.depth_spin.isVisible() and panel.decisions.answer_widgets["why"].isVisible()
    assert not unnamed(panel), unnamed(panel)


def test_resume_shows_the_saved_work(qtbot, make_panel):
    panel, _host = make_panel(REFERENCE)
    tab = panel.decisions
    assert tab.rules_table.rowCount() == 7 and tab.policy_combo.currentData() == FIRST
    assert tab.region_table.rowCount() == 5  # the model was retrained on opening
    assert tab.answer_widgets["region"].currentData() == "north"
    assert tab.answer_widgets["agreement"].text() == REFERENCE["decisions"]["answers"]["agreement"]
    assert panel.workspace.snapshot()["decisions"] == REFERENCE["decisions"]
    assert panel.savings.edits[(DECISIONS, "by_hand")].text() == "30"


def test_arabic_mirrors_the_panel_but_keeps_code_left_to_right(qtbot, make_panel, qapp):
    from app.ui.locale_setup import apply_qt_locale

    set_locale("ar")
    apply_qt_locale(qapp, "ar")
    panel, _host = make_panel(REFERENCE, locale="ar")
    assert panel.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert panel.decisions.rules_table.layoutDirection() == Qt.LayoutDirection.RightToLeft
    for view in (panel.decisions.rule_code, panel.savings.code, panel.decisions.condition_rows[0]):
        assert view.layoutDirection() == Qt.LayoutDirection.LeftToRight  # code and "column < value" read as written


# --- in the real window ------------------------------------------------------------------------------

@pytest.mark.parametrize("locale", ["ko", "ar"])
def test_in_the_real_window_a_learner_fixes_the_draft_and_resumes(qtbot, data_dir, locale):
    from app.core.record.labwork import LabWorkStore
    from tests.core.test_lab_record import make_course
    from tests.ui.helpers import click, open_window

    make_course(data_dir / "courses" / "lab-course", lab="automation/paperwork")

    def open_lab():
        window = open_window(qtbot, data_dir, locale=locale)
        if hasattr(window.screen, "name"):  # the first start: a profile
            qtbot.keyClicks(window.screen.name, "Kim")
            click(qtbot, window.screen.start)
        course = window.services.catalogue.course("lab-course")
        window.open_item(course.id, course.items[1].id)
        screen = window.screen
        qtbot.waitUntil(lambda: screen.panel is not None and screen.panel.isVisible(), timeout=60000)
        return window, course, screen

    window, course, screen = open_lab()
    panel = screen.panel
    rtl = locale == "ar"
    assert panel.layoutDirection() == (Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    tab = panel.decisions
    draft = screen.workspace.decisions.table  # the colleague's draft, its rule names in the learner's language
    assert [r.conditions for r in draft.rules] == [r.conditions for r in FRESH_TABLE.rules]
    tab.select_rule(2)
    click(qtbot, tab.add_button)
    choose(tab.outcome_combo, "partial")
    row = tab.condition_rows[0]
    choose(row.column_combo, "income_pct_of_median")
    choose(row.operator_combo, ">")
    type_and_leave(qtbot, row.value_edit, "150")
    assert screen.definition.tasks[screen.current_task].id == "gaps"
    click(qtbot, screen.check_button)
    assert screen.task_list.item(0).text().startswith("✓")
    learner = window.learning.learner.id
    saved = LabWorkStore(window.services.database).load(learner, course.id, course.items[1].id)
    rules = saved.snapshot["decisions"]["table"]["rules"]
    assert len(rules) == 4 and rules[3]["outcome"] == "partial"
    assert "applications['income_pct_of_median'] > 150" in screen.code_view.toPlainText()
    window.close()

    window, course, screen = open_lab()  # closed and opened again: the same table, the same results
    assert screen.workspace.decisions.table.to_dict() == saved.snapshot["decisions"]["table"]
    assert screen.panel.decisions.rules_table.rowCount() == 4
    assert len(screen.workspace.decisions.run.gaps) == 0
    window.close()
