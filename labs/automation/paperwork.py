"""Lab "automation/paperwork": automate paperwork responsibly.

The learner encodes a benefit's guidance as a decision table (the fictional "one-stop birth
package"), finds its gaps and overlaps, compares it with a model trained on past decisions and
asks why they disagree; routes citizen requests with a review queue (engine/routing.py); writes
letters from sandboxed templates (engine/letters.py); and estimates the hours saved from their
own numbers. No Qt here: the panel is named by string.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np

from app.core.i18n import N_, _, ngettext
from app.core.tasks import TaskState
from labs.automation.engine.decisions import (FIRST, UNDECIDED, UNIQUE, Condition, DecisionTable, Rule, TableRun,
                                              parse_percent, rule_title, run_table)
from labs.automation.engine.letters import LETTER_REFERENCE, LETTER_TASKS, LETTER_WRONG
from labs.automation.engine.routing import ROUTING_REFERENCE, ROUTING_TASKS, ROUTING_WRONG
from labs.automation.engine.savings import DECISIONS, LETTERS, ROUTING, STREAM_TITLES
from labs.automation.engine.workspace import (DATASET, ID_COLUMN, AutomationWorkspace, DecisionWork, Question,
                                              open_workspace)
from labs.framework import Feedback, LabDefinition, Task, WrongAttempt

# The guidance the learner turns into a table (fictional; DATASETS.md "birth-package-applications").
GUIDANCE = N_(
    "One-stop birth package: guidance for caseworkers\n"
    "1. Foreign residents who have lived here for less than 12 months are not eligible: declined.\n"
    "2. Priority families get the full package (approved, tier \"priority\") whatever their income: a third or "
    "later child, twins or more, a single parent, or a person with a disability in the household.\n"
    "3. Other families get the full package (approved, tier \"standard\") if their income is at most 150% of the "
    "median income, and the basic birth voucher only (partial, tier \"basic\") above that.\n"
    "Point 1 comes before point 2, and point 2 before point 3.")

_C = Condition
# The guidance as a table, first match: what the checks compare the learner's table with. The rule
# names say which point of the guidance decides, for the feedback.
GUIDANCE_TABLE = DecisionTable((
    Rule(N_("point 1: foreign residents here for less than 12 months are not eligible"),
         (_C("nationality_status", "=", "foreign_resident"), _C("residence_months", "<", "12")), "declined", "none"),
    Rule(N_("point 2: a third or later child makes a priority family"), (_C("child_birth_order", ">=", "3"),),
         "approved", "priority"),
    Rule(N_("point 2: twins or more make a priority family"), (_C("multiple_birth", "=", "yes"),), "approved",
         "priority"),
    Rule(N_("point 2: a single parent makes a priority family"), (_C("single_parent", "=", "yes"),), "approved",
         "priority"),
    Rule(N_("point 2: a person with a disability in the household makes a priority family"),
         (_C("disability_in_household", "=", "yes"),), "approved", "priority"),
    Rule(N_("point 3: an income of at most 150% of the median gets the full package"),
         (_C("income_pct_of_median", "<=", "150"),), "approved", "standard"),
    Rule(N_("point 3: an income above 150% of the median gets the basic voucher"),
         (_C("income_pct_of_median", ">", "150"),), "partial", "basic"),
), FIRST)

# A colleague's draft, where the learner starts: unique hit policy, a gap, overlaps, and only the
# third child as a priority family.
FRESH_TABLE = DecisionTable((
    Rule(N_("Recent foreign residents"), (_C("nationality_status", "=", "foreign_resident"),
                                          _C("residence_months", "<", "12")), "declined", "none"),
    Rule(N_("Income up to 150%"), (_C("income_pct_of_median", "<=", "150"),), "approved", "standard"),
    Rule(N_("Third child or later"), (_C("child_birth_order", ">=", "3"),), "approved", "priority"),
), UNIQUE)


def fresh_table() -> DecisionTable:
    """The draft in the learner's language (its rule names become the learner's own once saved)."""
    return DecisionTable(tuple(Rule(_(r.name), r.conditions, r.outcome, r.tier) for r in FRESH_TABLE.rules),
                         FRESH_TABLE.hit_policy)

QUESTIONS = (
    Question("agreement", N_("On what share of the applications do your table and the model agree? "
                             "(a percentage)"), "percent"),
    Question("region", N_("In which region do they disagree most often (the highest share of that region's "
                          "applications)?"), "value", column="region"),
    Question("why", N_("Why do they disagree there, and what should happen?"), "choice", options=(
        ("past", N_("The model copies what caseworkers did in the past, including a practice the guidance does not "
                    "support: a person must decide which is right before anything is automated.")),
        ("better", N_("The model is right: it matches the past decisions better, so the table should be changed "
                      "to match the model.")),
        ("data", N_("The region column must be wrong: a model cannot learn anything that is not in the rules.")),
        ("more_data", N_("The model only needs more training data; with enough of it, it will agree with the "
                         "guidance.")),
    )),
)
WHY_FEEDBACK = {
    "better": N_("Matching the past is not the same as following the guidance: the model copies the past "
                 "decisions, mistakes included. Look at the conditions where the disagreements gather."),
    "data": N_("The column is fine: the model learned from the past decisions, and in that region caseworkers "
               "decided differently from the guidance. Look at the conditions where the disagreements gather."),
    "more_data": N_("More past decisions would teach the model the same past practice even better: it learns what "
                    "was done, not what the guidance says."),
}
AGREEMENT_TOLERANCE = 1.0  # percentage points
MIN_HOURS_PER_FTE, MAX_HOURS_PER_FTE = 1000.0, 2200.0


# --- helpers --------------------------------------------------------------------------------------

_LAW: list[tuple[Any, TableRun]] = []  # (frame, the guidance run on it): the embedded data never changes


def guidance_run(work: DecisionWork) -> TableRun:
    """The guidance's own decisions on the applications (cached for the last frame seen)."""
    if not _LAW or _LAW[0][0] is not work.frame:
        _LAW[:] = [(work.frame, run_table(GUIDANCE_TABLE, work.frame))]
    return _LAW[0][1]


def _facts(work: DecisionWork, position: int, columns: list[str]) -> str:
    """"BP-2024-00019 (multiple_birth yes, income_pct_of_median 180)": an example case, its telling columns."""
    row = work.frame.iloc[position]
    seen: list[str] = []
    for column in columns:
        if column in work.frame.columns and column not in seen and column != ID_COLUMN:
            seen.append(column)
    details = ", ".join(f"{c} {row[c]}" for c in seen[:4])
    return f"{row[ID_COLUMN]} ({details})" if details else str(row[ID_COLUMN])


def _rule_columns(table: DecisionTable, *indexes: int) -> list[str]:
    return [c.column for i in indexes if 0 <= i < len(table.rules) for c in table.rules[i].conditions]


def _table_columns(table: DecisionTable) -> list[str]:
    return _rule_columns(table, *range(len(table.rules)))


def _not_running(work: DecisionWork) -> Feedback | None:
    if work.run is None:
        first = work.problems[0] if work.problems else _("The table has no rules yet: add one.")
        return Feedback(False, _("Your table cannot run yet: {problem}").format(problem=first))
    return None


def _outcome(outcome: str) -> str:
    return outcome if outcome != UNDECIDED else _("no decision")


# --- checks -----------------------------------------------------------------------------------------

def check_gaps(workspace: AutomationWorkspace) -> Feedback:
    work = workspace.decisions
    stopped = _not_running(work)
    if stopped:
        return stopped
    gaps = work.run.gaps
    if len(gaps):
        example = _facts(work, int(gaps[0]), _table_columns(work.table) + ["nationality_status",
                                                                              "income_pct_of_median"])
        return Feedback(False, ngettext(
            "{count} application matches no rule, for example {example}. Add a rule for it: the guidance says "
            "what every family gets.",
            "{count} applications match no rule, for example {example}. Add a rule for them: the guidance says "
            "what every family gets.", len(gaps)).format(count=len(gaps), example=example))
    return Feedback(True, _("Every application matches at least one rule: your table leaves no gap."))


def check_overlaps(workspace: AutomationWorkspace) -> Feedback:
    work = workspace.decisions
    stopped = _not_running(work)
    if stopped:
        return stopped
    run, table = work.run, work.table
    if table.hit_policy == UNIQUE and run.overlaps:
        overlap = run.overlaps[0]
        both = np.flatnonzero(run.matches[:, overlap.first] & run.matches[:, overlap.second])
        return Feedback(False, ngettext(
            "{count} application matches both {first} and {second}, which decide differently, for example "
            "{example}. With the \"unique\" hit policy it stays undecided. Add a condition so the rules no "
            "longer overlap, or choose \"first match\" and put the rule the guidance puts first on top.",
            "{count} applications match both {first} and {second}, which decide differently, for example "
            "{example}. With the \"unique\" hit policy they stay undecided. Add a condition so the rules no "
            "longer overlap, or choose \"first match\" and put the rule the guidance puts first on top.",
            overlap.count).format(count=overlap.count, first=rule_title(table, overlap.first),
                                  second=rule_title(table, overlap.second),
                                  example=_facts(work, int(both[0]), _rule_columns(table, overlap.first,
                                                                                   overlap.second))))
    # First match: an overlap is wrong where an earlier rule decides against the guidance although a
    # later rule that also matches would decide as the guidance says (the order is the mistake).
    law = guidance_run(work).outcomes
    outcomes = np.array([r.outcome for r in table.rules], dtype=object)
    right_rule = run.matches & (outcomes[None, :] == law[:, None])
    misordered = (run.outcomes != law) & right_rule.any(axis=1) & (run.deciding >= 0)
    if misordered.any():
        rows = np.flatnonzero(misordered)
        pairs = [(int(run.deciding[i]), int(right_rule[i].argmax())) for i in rows]
        (deciding, other), count = max(((k, pairs.count(k)) for k in set(pairs)), key=lambda kc: (kc[1], kc[0]))
        example = int(next(i for i, k in zip(rows, pairs) if k == (deciding, other)))
        return Feedback(False, ngettext(
            "{count} application matches both {deciding} and {other}; {deciding} comes first, so it is {yours}, "
            "but the guidance says {law} (for example {example}). Move {other} above {deciding}.",
            "{count} applications match both {deciding} and {other}; {deciding} comes first, so they are {yours}, "
            "but the guidance says {law} (for example {example}). Move {other} above {deciding}.",
            count).format(count=count, deciding=rule_title(table, deciding), other=rule_title(table, other),
                          yours=_outcome(run.outcomes[example]), law=law[example],
                          example=_facts(work, example, _rule_columns(table, deciding, other))))
    if run.overlaps:
        return Feedback(True, _("Your rules still overlap, but with \"first match\" the rule the guidance puts first "
                                "decides every overlapping application."))
    return Feedback(True, _("No two rules with different outcomes match the same application."))


def check_guidance(workspace: AutomationWorkspace) -> Feedback:
    work = workspace.decisions
    stopped = _not_running(work)
    if stopped:
        return stopped
    run, law_run = work.run, guidance_run(work)
    differ = np.flatnonzero(run.outcomes != law_run.outcomes)
    if not len(differ):
        return Feedback(True, _("Your table decides all {count} applications as the guidance says.").format(
            count=f"{run.cases:,}"))
    # The biggest group of mistakes of one kind: your outcome, the guidance's, and the point that decides.
    keys = [(run.outcomes[i], law_run.outcomes[i], int(law_run.deciding[i])) for i in differ]
    (yours, law, point), _count = max(((k, keys.count(k)) for k in set(keys)), key=lambda kc: (kc[1], kc[0]))
    group = [i for i, k in zip(differ, keys) if k == (yours, law, point)]
    example = int(group[0])
    columns = _rule_columns(GUIDANCE_TABLE, point) + _rule_columns(work.table, int(run.deciding[example]))
    clause = _(GUIDANCE_TABLE.rules[point].name)
    if yours == UNDECIDED:
        return Feedback(False, ngettext(
            "{count} application gets no decision from your table, for example {example}; the guidance says "
            "{law} ({clause}).",
            "{count} applications get no decision from your table, for example {example}; the guidance says "
            "{law} ({clause}).", len(group)).format(count=len(group), example=_facts(work, example, columns),
                                                     law=law, clause=clause))
    return Feedback(False, ngettext(
        "Your table gives {yours} to {count} application the guidance says is {law}, for example {example}, "
        "decided by {rule}. The guidance: {clause}.",
        "Your table gives {yours} to {count} applications the guidance says are {law}, for example {example}, "
        "decided by {rule}. The guidance: {clause}.", len(group)).format(
        yours=yours, count=len(group), law=law, example=_facts(work, example, columns), clause=clause,
        rule=rule_title(work.table, int(run.deciding[example]))))


def check_compare(workspace: AutomationWorkspace) -> Feedback:
    work = workspace.decisions
    stopped = _not_running(work)
    if stopped:
        return stopped
    found = work.disagreements()
    if found is None:
        return Feedback(False, _("Train the model on the past decisions first (\"Compare with a model\"), then "
                                 "answer the questions."))
    expected = found.agreement * 100
    answer = parse_percent(work.answers.get("agreement", ""))
    if answer is None:
        return Feedback(False, _("Answer the first question: on what share of the applications do your table and the "
                                 "model agree?"))
    if abs(answer - expected) > AGREEMENT_TOLERANCE:
        near = {_("the share where the model gives the past decision"): found.model_vs_past * 100,
                _("the share where your table gives the past decision"): found.table_vs_past * 100}
        for name, value in near.items():
            if abs(answer - value) <= AGREEMENT_TOLERANCE:
                return Feedback(False, _("You answered {answer}: that is {name}. The question compares your table "
                                         "with the model.").format(answer=f"{answer:.1f}%", name=name))
        return Feedback(False, _("You answered {answer}. Look at the comparison: the table and the model disagree on "
                                 "{count} of {cases} applications.").format(answer=f"{answer:.1f}%",
                                                                           count=f"{found.disagreements:,}",
                                                                           cases=f"{found.cases:,}"))
    worst = found.worst("region")
    chosen = work.answers.get("region", "")
    if not chosen:
        return Feedback(False, _("Answer the second question: in which region do they disagree most often?"))
    if worst is not None and chosen != worst.value:
        rate = next((g for g in found.by_group["region"] if g.value == chosen), None)
        share = f"{rate.share:.0%}" if rate else "0%"
        return Feedback(False, _("In {chosen}, {share} of the applications get different decisions; in {worst} "
                                 "{worst_share} do. Sort the regions by their share of disagreements.").format(
            chosen=chosen, share=share, worst=worst.value, worst_share=f"{worst.share:.0%}"))
    why = work.answers.get("why", "")
    if not why:
        return Feedback(False, _("Answer the last question: why do they disagree, and what should happen?"))
    if why != "past":
        return Feedback(False, _(WHY_FEEDBACK.get(why, WHY_FEEDBACK["better"])))
    driver = found.drivers[0].describe() if found.drivers else worst.value if worst else ""
    return Feedback(True, _("Right. The disagreements gather where {driver}: the model learned the past practice "
                            "there, not the guidance. Automating the model would repeat it; a person decides which "
                            "is right.").format(driver=driver))


def check_savings(workspace: AutomationWorkspace) -> Feedback:
    result = workspace.savings_estimate()
    measured = workspace.measured()
    decisions = result.stream(DECISIONS)
    if decisions.by_hand is None or decisions.automated is None:
        return Feedback(False, _("Type your minutes for the applications: how long a decision takes by hand, and how "
                                 "long a person needs to review an automated one."))
    for row in result.streams:
        if not row.complete:
            continue
        title = _(STREAM_TITLES[row.name])
        if row.automated <= 0:
            return Feedback(False, _("{stream}: an automated case still takes a person some minutes (reviewing the "
                                     "decision, checking the routing, reading the letter). Type more than 0.").format(
                stream=title))
        limit = measured[row.name]["share"] or 0.0
        if row.share > limit + 0.005:
            if row.name == DECISIONS:
                reason = _("your table decides {share} of the applications without a person: every refusal goes to "
                           "a caseworker").format(share=f"{limit:.1%}")
            elif row.name == ROUTING:
                reason = (_("your routing sends {share} of the requests on automatically at your threshold").format(
                    share=f"{limit:.1%}") if measured[ROUTING]["share"] is not None else
                          _("you have not tested the routing yet, so you cannot count on it"))
            else:
                reason = _("your template renders {share} of the letters").format(share=f"{limit:.1%}")
            return Feedback(False, _("{stream}: you count {yours} as automatic, but {reason}. Use at most that "
                                     "share.").format(stream=title, yours=f"{row.share:.1%}", reason=reason))
    if not MIN_HOURS_PER_FTE <= result.hours_per_fte <= MAX_HOURS_PER_FTE:
        return Feedback(False, _("{hours} working hours a year is not a full-time post: count the hours a person "
                                 "really works in a year (about 1,600 after leave and holidays).").format(
            hours=f"{result.hours_per_fte:,.0f}"))
    return Feedback(True, _("Your estimate: {hours} hours a year, about {fte} full-time equivalents, from your own "
                            "numbers.").format(hours=f"{result.net_hours:,.0f}", fte=f"{result.fte:.2f}"))


DECISION_TASKS = (
    Task("gaps", N_("Leave no application undecided"),
         N_("A colleague drafted a decision table for the one-stop birth package. Run it over the 2,000 applications "
            "and look at the gaps: applications no rule matches. Add the rule the guidance says they need."),
         check_gaps,
         N_("The results list the gaps with examples. What does point 3 of the guidance say about incomes above "
            "150%?")),
    Task("overlaps", N_("Fix the overlaps"),
         N_("Some applications match two rules with different outcomes. Make every such application get the outcome "
            "of the point the guidance puts first: change the hit policy and the order of the rules, or add "
            "conditions."),
         check_overlaps,
         N_("With \"first match\", the first rule an application meets decides. Point 1 of the guidance (foreign "
            "residents here for less than 12 months) comes before everything else.")),
    Task("guidance", N_("Decide as the guidance says"),
         N_("Make your table decide every application as the guidance says, including every kind of priority "
            "family. Only the outcome is checked; tiers are optional."),
         check_guidance,
         N_("Point 2 names four kinds of priority families; a rule can have only one condition per column, so "
            "write one rule for each kind.")),
    Task("compare", N_("Compare with a model trained on past decisions"),
         N_("Train a model on the caseworkers' past decisions and compare it with your table. Answer the three "
            "questions: how often they agree, where they disagree most, and why."),
         check_compare,
         N_("The comparison shows the share of disagreements per region and the conditions where they gather.")),
)
SAVINGS_TASKS = (
    Task("savings", N_("Estimate the hours saved"),
         N_("In \"Hours saved\", type your own minutes per case by hand and per automated case. The shares of work "
            "done automatically start from what your table, routing and letters achieved; do not claim more. The "
            "office reviews every refusal, so refusals are never automatic."),
         check_savings,
         N_("The formula under the form shows the arithmetic with your numbers.")),
)
TASKS = DECISION_TASKS + tuple(ROUTING_TASKS) + tuple(LETTER_TASKS) + SAVINGS_TASKS


# --- opening ------------------------------------------------------------------------------------

def _parts(routing: dict[str, Any] | None, letters: dict[str, Any] | None, state: TaskState) -> tuple[Any, Any]:
    from labs.automation.engine.letters import LetterWork
    from labs.automation.engine.routing import RoutingWork

    return RoutingWork.from_dict(routing, state), LetterWork.from_dict(letters, state)


def open_lab(snapshot: dict[str, Any] | None, state: TaskState, files: Path | None) -> AutomationWorkspace:
    return open_workspace(snapshot, state, files, fresh_table=fresh_table(), questions=QUESTIONS, parts=_parts)


# --- the reference solution and plausible mistakes -----------------------------------------------------

_REFERENCE_TABLE = DecisionTable((
    Rule("Recent foreign residents", (_C("nationality_status", "=", "foreign_resident"),
                                      _C("residence_months", "<", "12")), "declined", "none"),
    Rule("Third child or later", (_C("child_birth_order", ">=", "3"),), "approved", "priority"),
    Rule("Twins or more", (_C("multiple_birth", "=", "yes"),), "approved", "priority"),
    Rule("Single parent", (_C("single_parent", "=", "yes"),), "approved", "priority"),
    Rule("Disability in the household", (_C("disability_in_household", "=", "yes"),), "approved", "priority"),
    Rule("Income up to 150%", (_C("income_pct_of_median", "<=", "150"),), "approved", "standard"),
    Rule("Income above 150%", (_C("income_pct_of_median", ">", "150"),), "partial", "basic"),
), FIRST)

_DECISIONS = {"table": _REFERENCE_TABLE.to_dict(), "model": {"kind": "decision_tree", "max_depth": 5, "seed": 0},
              # Measured on the embedded data with this table and model (the self-test proves they still hold).
              "trained": True, "answers": {"agreement": "94.0", "region": "north", "why": "past"}}
_SAVINGS = {"streams": {DECISIONS: {"per_year": None, "share": None, "by_hand": 30, "automated": 6},
                        ROUTING: {"per_year": None, "share": None, "by_hand": 4, "automated": 0.5},
                        LETTERS: {"per_year": None, "share": None, "by_hand": 12, "automated": 2}},
            "upkeep_hours": 120, "hours_per_fte": 1600}

REFERENCE: dict[str, Any] = {"version": 1, "decisions": _DECISIONS, "routing": ROUTING_REFERENCE,
                             "letters": LETTER_REFERENCE, "savings": _SAVINGS}


def _with(part: str, fragment: Any) -> dict[str, Any]:
    snapshot = copy.deepcopy(REFERENCE)
    snapshot[part] = copy.deepcopy(fragment)
    return snapshot


def _table(table: DecisionTable, **decisions: Any) -> dict[str, Any]:
    return _with("decisions", {**_DECISIONS, "table": table.to_dict(), **decisions})


def _answers(**answers: str) -> dict[str, Any]:
    return _with("decisions", {**_DECISIONS, "answers": {**_DECISIONS["answers"], **answers}})


def _savings(stream: str | None = None, **changes: Any) -> dict[str, Any]:
    savings = copy.deepcopy(_SAVINGS)
    if stream is None:
        savings.update(changes)
    else:
        savings["streams"][stream].update(changes)
    return _with("savings", savings)


_RULES = _REFERENCE_TABLE.rules
WRONG_ATTEMPTS = (
    WrongAttempt("the colleague's draft, untouched", "gaps", _table(FRESH_TABLE, trained=False)),
    WrongAttempt("no rule for incomes above 150%", "gaps", _table(DecisionTable(_RULES[:-1], FIRST))),
    WrongAttempt("unique hit policy with overlapping rules", "overlaps", _table(_REFERENCE_TABLE.with_policy(UNIQUE))),
    WrongAttempt("recent foreign residents put last, so the income rules decide them", "overlaps",
                 _table(_REFERENCE_TABLE.moving(0, len(_RULES) - 1))),
    WrongAttempt("only the third child counts as a priority family", "guidance",
                 _table(DecisionTable(_RULES[:2] + _RULES[5:], FIRST))),
    WrongAttempt("income below 150% instead of at most 150%", "guidance", _table(DecisionTable(
        _RULES[:5] + (Rule("Income below 150%", (_C("income_pct_of_median", "<", "150"),), "approved", "standard"),
                      Rule("Income from 150%", (_C("income_pct_of_median", ">=", "150"),), "partial", "basic")),
        FIRST))),
    WrongAttempt("never trained the model", "compare", _with("decisions", {**_DECISIONS, "trained": False})),
    WrongAttempt("gives the model's agreement with the past decisions", "compare", _answers(agreement="95.2")),
    WrongAttempt("names the islands, second worst", "compare", _answers(region="islands")),
    WrongAttempt("trusts the model over the guidance", "compare", _answers(why="better")),
    WrongAttempt("counts refusals as automatic too", "savings", _savings(DECISIONS, share=1.0)),
    WrongAttempt("nobody reviews an automated decision", "savings", _savings(DECISIONS, automated=0)),
    WrongAttempt("counts every request as routed automatically", "savings", _savings(ROUTING, share=1.0)),
    WrongAttempt("a year of 8,760 working hours", "savings", _savings(hours_per_fte=8760)),
    WrongAttempt("no minutes typed", "savings", _savings(DECISIONS, by_hand=None)),
) + tuple(WrongAttempt(name, task_id, _with("routing", fragment)) for name, task_id, fragment in ROUTING_WRONG) \
  + tuple(WrongAttempt(name, task_id, _with("letters", fragment)) for name, task_id, fragment in LETTER_WRONG)

LAB = LabDefinition(
    id="automation/paperwork",
    family="automation",
    title=N_("Automate paperwork responsibly"),
    summary=N_("Turn a benefit's guidance into a decision table and find its gaps and overlaps, compare it with a "
               "model trained on past decisions, route citizen requests with a human review queue, fill letters from "
               "safe templates, and estimate the hours saved from your own numbers."),
    datasets=(DATASET, "citizen-requests"),
    tasks=TASKS,
    open=open_lab,
    reference=REFERENCE,
    wrong_attempts=WRONG_ATTEMPTS,
    panel="labs.automation.panel:AutomationPanel",
)
