"""Decision tables, as DMN draws them: ordered rules, each a set of conditions and an outcome.

    table = DecisionTable((Rule("Recent foreign residents", (Condition("nationality_status", "=", "foreign_resident"),
                                                              Condition("residence_months", "<", "12")), "declined"),
                           Rule("Everyone else", (), "approved", "standard")), hit_policy=FIRST)
    run = run_table(table, applications)        # TableProblem, with every mistake named, if a rule is wrong
    run.per_rule, run.gaps, run.overlaps, run.outcomes

A condition's value is kept as the learner typed it (text; a list for `in`, `not in` and `between`), so
a saved table reopens exactly as written; it is read against the column's type when the table runs.
A rule without conditions matches every case ("otherwise").

Hit policies: FIRST, the first matching rule decides (order matters, later overlapping rules are
shadowed); UNIQUE, rules must not overlap: a case two rules with different outcomes both match is
a conflict and stays undecided. Either way the run reports the overlaps, so the learner sees them.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Sequence

import numpy as np
import pandas as pd

from app.core.i18n import N_, _
from app.core.tasks import TaskState

FIRST, UNIQUE = "first", "unique"
HIT_POLICIES = (FIRST, UNIQUE)
HIT_POLICY_TITLES = {FIRST: N_("First match: the first rule that matches decides"),
                     UNIQUE: N_("Unique: rules must not overlap")}
OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "not in", "between")
LIST_OPERATORS = ("in", "not in")
# The operators written as words are shown translated (`_(operator)`); marked here so extraction finds them.
OPERATOR_WORDS = (N_("in"), N_("not in"), N_("between"))
ORDER_OPERATORS = ("<", "<=", ">", ">=", "between")  # need numbers or dates
OPERATOR_SYMBOLS = {"!=": "≠", "<=": "≤", ">=": "≥"}  # how the panel prints them
EXAMPLES = 5  # example cases kept per rule, gap and overlap
UNDECIDED = ""  # the outcome of a case no rule decides


class TableProblem(ValueError):
    """The table cannot run: every problem found, each naming the rule and condition, translated."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


# --- the table -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Condition:
    column: str
    operator: str
    value: str | tuple[str, ...] = ""  # text as typed; a tuple for in / not in / between

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "operator": self.operator,
                "value": list(self.value) if isinstance(self.value, tuple) else self.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Condition:
        value = data.get("value", "")
        return cls(str(data.get("column", "")), str(data.get("operator", "=")),
                   tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value))

    def values(self) -> tuple[str, ...]:
        """The value(s) as a tuple of texts, whatever the operator."""
        return self.value if isinstance(self.value, tuple) else (self.value,)

    def describe(self) -> str:
        """One line for people: `residence_months < 12`, `region in north, islands`, `parent_age between 18 and 25`."""
        symbol = OPERATOR_SYMBOLS.get(self.operator, self.operator)
        values = self.values()
        if self.operator == "between" and len(values) == 2:
            return _("{column} between {low} and {high}").format(column=self.column, low=values[0], high=values[1])
        if self.operator in LIST_OPERATORS:
            return f"{self.column} {_(self.operator)} {', '.join(values)}"
        return f"{self.column} {symbol} {values[0] if values else ''}"


@dataclass(frozen=True)
class Rule:
    name: str
    conditions: tuple[Condition, ...]
    outcome: str
    tier: str = ""  # optional detail of the outcome (a benefit tier, an amount band)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "conditions": [c.to_dict() for c in self.conditions], "outcome": self.outcome,
                "tier": self.tier}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rule:
        return cls(str(data.get("name", "")), tuple(Condition.from_dict(c) for c in data.get("conditions", ())),
                   str(data.get("outcome", "")), str(data.get("tier", "")))

    def describe(self) -> str:
        """`residence_months < 12 and region = north`, or "every case" for a rule without conditions."""
        if not self.conditions:
            return _("every case (no conditions)")
        return _(" and ").join(c.describe() for c in self.conditions)


@dataclass(frozen=True)
class DecisionTable:
    rules: tuple[Rule, ...] = ()
    hit_policy: str = FIRST

    def to_dict(self) -> dict[str, Any]:
        return {"hit_policy": self.hit_policy, "rules": [r.to_dict() for r in self.rules]}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DecisionTable:
        data = data or {}
        policy = data.get("hit_policy", FIRST)
        return cls(tuple(Rule.from_dict(r) for r in data.get("rules", ())), policy if policy in HIT_POLICIES else FIRST)

    # Editing returns a new table (the workspace swaps it in on the GUI thread).
    def with_rule(self, index: int, rule: Rule) -> DecisionTable:
        rules = list(self.rules)
        rules[index] = rule
        return DecisionTable(tuple(rules), self.hit_policy)

    def adding(self, rule: Rule, at: int | None = None) -> DecisionTable:
        rules = list(self.rules)
        rules.insert(len(rules) if at is None else at, rule)
        return DecisionTable(tuple(rules), self.hit_policy)

    def removing(self, index: int) -> DecisionTable:
        return DecisionTable(self.rules[:index] + self.rules[index + 1:], self.hit_policy)

    def moving(self, index: int, to: int) -> DecisionTable:
        rules = list(self.rules)
        rules.insert(max(0, min(to, len(rules) - 1)), rules.pop(index))
        return DecisionTable(tuple(rules), self.hit_policy)

    def with_policy(self, hit_policy: str) -> DecisionTable:
        if hit_policy not in HIT_POLICIES:
            raise ValueError(hit_policy)
        return DecisionTable(self.rules, hit_policy)


def rule_title(table: DecisionTable, index: int) -> str:
    """"Rule 3 (Priority families)", or "Rule 3" when it has no name: how every message names a rule."""
    name = table.rules[index].name.strip()
    if name:
        return _("Rule {number} ({name})").format(number=index + 1, name=name)
    return _("Rule {number}").format(number=index + 1)


# --- reading values --------------------------------------------------------------------------------

def parse_number(text: str) -> float | None:
    """A number as people type it: "150", " 1,5 ", "1.600,5", "١٥٠", "−3" -> float; None if it is not one."""
    digits = "".join(str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
                     for ch in str(text).strip())
    cleaned = digits.replace("\u2212", "-").replace("\u066b", ".").replace("\u066c", ",")
    cleaned = "".join(ch for ch in cleaned if not ch.isspace() and ch not in "\u00a0\u202f'")
    if "," in cleaned and "." in cleaned:  # the later one is the decimal mark
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1 and len(cleaned) - cleaned.index(",") - 1 != 3:
        cleaned = cleaned.replace(",", ".")  # a decimal comma: "1,5"
    else:
        cleaned = cleaned.replace(",", "")  # thousands: "1,600" or "1,000,000"
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_percent(text: str) -> float | None:
    """A share as typed, in percent: "94", "94.1 %", "0.941", "٩٤٫١٪" -> 94.0 / 94.1; None if it is not one.
    Without a percent sign, a number below 1 (or "1.0") is read as a fraction of one."""
    signed = "%" in str(text) or "\u066a" in str(text)
    cleaned = str(text).strip().replace("%", "").replace("\u066a", "").strip()
    value = parse_number(cleaned)
    if value is None or not 0 <= value <= 100:
        return None
    digits = "".join(str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
                     for ch in cleaned)
    fraction = not signed and (value < 1 or (value == 1 and any(mark in digits for mark in ".,\u066b")))
    return value * 100 if fraction else value


def column_kind(series: pd.Series) -> str:
    """"number", "date" or "text": what a condition on this column may compare."""
    if pd.api.types.is_bool_dtype(series):
        return "text"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "text"


def _text_values(series: pd.Series) -> list[str]:
    return sorted({str(v) for v in series.dropna().unique()})


@dataclass(frozen=True)
class _Reader:
    """Reads one condition against a frame; collects problems instead of stopping at the first."""

    frame: pd.DataFrame
    where: str  # "Rule 2 (Income), condition 1"

    def problem(self, message: str) -> str:
        return _("{where}: {problem}").format(where=self.where, problem=message)

    def mask(self, condition: Condition, problems: list[str]) -> np.ndarray | None:
        frame = self.frame
        if condition.column not in frame.columns:
            problems.append(self.problem(_("there is no column \"{column}\". Choose one of: {columns}.").format(
                column=condition.column, columns=", ".join(map(str, frame.columns)))))
            return None
        if condition.operator not in OPERATORS:
            problems.append(self.problem(_("\"{operator}\" is not an operator. Use one of: {operators}.").format(
                operator=condition.operator, operators=" ".join(OPERATORS))))
            return None
        series = frame[condition.column]
        kind = column_kind(series)
        values = [v.strip() for v in condition.values()]
        if condition.operator == "between" and len(values) != 2:
            problems.append(self.problem(_("\"between\" needs two values, the lowest and the highest.")))
            return None
        if condition.operator in LIST_OPERATORS:
            values = [v for v in values if v]
            if not values:
                problems.append(self.problem(_("\"{operator}\" needs at least one value.").format(
                    operator=_(condition.operator))))
                return None
        elif len(values) != (2 if condition.operator == "between" else 1) or not all(values):
            problems.append(self.problem(_("the condition on {column} has no value.").format(column=condition.column)))
            return None
        if kind == "text" and condition.operator in ORDER_OPERATORS:
            problems.append(self.problem(_("{column} holds words ({examples}), which cannot be smaller or larger; "
                                           "use =, ≠, in or not in.").format(
                column=condition.column, examples=", ".join(_text_values(series)[:4]))))
            return None
        parsed = self._read_values(condition, kind, values, series, problems)
        if parsed is None:
            return None
        return _compare(series, condition.operator, parsed)

    def _read_values(self, condition: Condition, kind: str, values: list[str], series: pd.Series,
                     problems: list[str]) -> list[Any] | None:
        out: list[Any] = []
        for value in values:
            if kind == "number":
                number = parse_number(value)
                if number is None:
                    problems.append(self.problem(_("{column} holds numbers; \"{value}\" is not a number.").format(
                        column=condition.column, value=value)))
                    return None
                out.append(number)
            elif kind == "date":
                try:
                    out.append(pd.Timestamp(value))
                except (ValueError, TypeError):
                    problems.append(self.problem(_("{column} holds dates; write \"{value}\" as a date like "
                                                   "2024-06-30.").format(column=condition.column, value=value)))
                    return None
            else:
                known = {v.casefold(): v for v in _text_values(series)}
                if value.casefold() not in known:  # most likely a typing mistake: say what is there
                    listed = _text_values(series)
                    problems.append(self.problem(_("{column} has no value \"{value}\"; its values are: "
                                                   "{values}.").format(column=condition.column, value=value,
                                                                       values=", ".join(listed[:12]) +
                                                                       (", …" if len(listed) > 12 else ""))))
                    return None
                out.append(known[value.casefold()])  # the data's own spelling ("North" -> "north")
        if condition.operator == "between" and out[0] > out[1]:
            problems.append(self.problem(_("the lowest value ({low}) is above the highest ({high}).").format(
                low=values[0], high=values[1])))
            return None
        return out


def _compare(series: pd.Series, operator: str, values: list[Any]) -> np.ndarray:
    """The rows meeting the condition; a missing value meets none (not even ≠)."""
    if operator == "between":
        hit = series.between(values[0], values[1])
    elif operator in LIST_OPERATORS:
        hit = series.isin(values)
        hit = ~hit if operator == "not in" else hit
    else:
        hit = {"=": series.__eq__, "!=": series.__ne__, "<": series.__lt__, "<=": series.__le__, ">": series.__gt__,
               ">=": series.__ge__}[operator](values[0])
    return hit.to_numpy(dtype=bool, na_value=False) & series.notna().to_numpy()


def canonical_values(condition: Condition, frame: pd.DataFrame) -> list[Any]:
    """The condition's values as the data spells them (numbers as numbers), for the generated code.
    Assumes the table ran without problems."""
    kind = column_kind(frame[condition.column])
    reader = _Reader(frame, "")
    problems: list[str] = []
    values = [v.strip() for v in condition.values() if v.strip() or condition.operator not in LIST_OPERATORS]
    parsed = reader._read_values(condition, kind, values, frame[condition.column], problems)
    if parsed is None:
        raise TableProblem(problems)
    return [int(v) if isinstance(v, float) and v.is_integer() else v for v in parsed]


# --- running the table -----------------------------------------------------------------------------

@dataclass(frozen=True)
class RuleStats:
    index: int
    matched: int  # cases meeting every condition
    decided: int  # cases this rule decided (first match: not decided earlier; unique: no conflict)
    examples: tuple[int, ...]  # row positions of cases it decided


@dataclass(frozen=True)
class Overlap:
    """Two rules with different outcomes that both match some cases."""

    first: int
    second: int
    count: int
    examples: tuple[int, ...]  # row positions


@dataclass
class TableRun:
    table: DecisionTable
    matches: np.ndarray  # (cases, rules) bool
    outcomes: np.ndarray  # per case: the outcome, or UNDECIDED
    tiers: np.ndarray
    deciding: np.ndarray  # per case: the index of the deciding rule, or -1
    per_rule: tuple[RuleStats, ...]
    gaps: np.ndarray  # row positions no rule matches
    conflicts: np.ndarray  # row positions left undecided because rules disagree (unique hit policy)
    overlaps: tuple[Overlap, ...]
    outcome_counts: dict[str, int] = field(default_factory=dict)

    @property
    def cases(self) -> int:
        return len(self.outcomes)

    @property
    def decided(self) -> int:
        return int((self.deciding >= 0).sum())

    @property
    def coverage(self) -> float:
        """The share of cases the table decides."""
        return self.decided / self.cases if self.cases else 0.0

    def shadowed(self) -> list[int]:
        """Rules that match cases but decide none (an earlier rule always decides them first)."""
        return [s.index for s in self.per_rule if s.matched and not s.decided]


def rule_masks(table: DecisionTable, frame: pd.DataFrame, state: TaskState | None = None) -> np.ndarray:
    """(cases, rules) booleans: which case meets every condition of which rule. TableProblem lists
    every mistake in the table at once, each naming its rule and condition."""
    problems: list[str] = []
    masks = np.ones((len(frame), len(table.rules)), dtype=bool)
    for index, rule in enumerate(table.rules):
        if state is not None:
            state.raise_if_cancelled()
        title = rule_title(table, index)
        if not rule.outcome.strip():
            problems.append(_("{rule} has no outcome: choose what it decides.").format(rule=title))
        for number, condition in enumerate(rule.conditions, start=1):
            where = _("{rule}, condition {number}").format(rule=title, number=number)
            mask = _Reader(frame, where).mask(condition, problems)
            if mask is not None:
                masks[:, index] &= mask
    if problems:
        raise TableProblem(problems)
    return masks


def run_table(table: DecisionTable, frame: pd.DataFrame, state: TaskState | None = None) -> TableRun:
    """Run every rule over every case; see the module's docstring for the hit policies."""
    if not table.rules:
        raise TableProblem([_("The table has no rules yet: add one.")])
    matches = rule_masks(table, frame, state)
    outcomes_of_rule = np.array([r.outcome for r in table.rules], dtype=object)
    any_match = matches.any(axis=1)
    first = np.where(any_match, matches.argmax(axis=1), -1)
    conflicts = np.zeros(len(frame), dtype=bool)
    if table.hit_policy == UNIQUE:
        distinct = {o: matches[:, outcomes_of_rule == o].any(axis=1) for o in set(outcomes_of_rule)}
        conflicts = np.sum(list(distinct.values()), axis=0) > 1 if distinct else conflicts
    deciding = np.where(conflicts, -1, first)
    decided = deciding >= 0
    outcomes = np.full(len(frame), UNDECIDED, dtype=object)
    tiers = np.full(len(frame), "", dtype=object)
    outcomes[decided] = outcomes_of_rule[deciding[decided]]
    tiers[decided] = np.array([r.tier for r in table.rules], dtype=object)[deciding[decided]]

    per_rule = []
    for index in range(len(table.rules)):
        mine = np.flatnonzero(deciding == index)
        per_rule.append(RuleStats(index, int(matches[:, index].sum()), len(mine), tuple(mine[:EXAMPLES].tolist())))
    overlaps = []
    for a, b in combinations(range(len(table.rules)), 2):
        if table.rules[a].outcome == table.rules[b].outcome:
            continue
        both = np.flatnonzero(matches[:, a] & matches[:, b])
        if len(both):
            overlaps.append(Overlap(a, b, len(both), tuple(both[:EXAMPLES].tolist())))
    overlaps.sort(key=lambda o: (-o.count, o.first, o.second))
    counts = pd.Series(outcomes[decided]).value_counts()
    return TableRun(table, matches, outcomes, tiers, deciding, tuple(per_rule), np.flatnonzero(~any_match),
                    np.flatnonzero(conflicts), tuple(overlaps), {str(k): int(v) for k, v in counts.items()})


# --- the equivalent pandas code -------------------------------------------------------------------

def _literal(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return f"pd.Timestamp({value.isoformat()[:10]!r})" if value == value.normalize() else \
            f"pd.Timestamp({value.isoformat()!r})"
    if isinstance(value, float):
        return repr(value)
    return repr(value)


def condition_code(condition: Condition, frame: pd.DataFrame, data: str = "applications") -> str:
    column = f"{data}[{condition.column!r}]"
    values = canonical_values(condition, frame)
    if condition.operator == "between":
        return f"{column}.between({_literal(values[0])}, {_literal(values[1])})"
    if condition.operator in LIST_OPERATORS:
        listed = "[" + ", ".join(_literal(v) for v in values) + "]"
        return f"{'~' if condition.operator == 'not in' else ''}{column}.isin({listed})"
    operator = "==" if condition.operator == "=" else condition.operator
    return f"({column} {operator} {_literal(values[0])})"


def rule_code(rule: Rule, frame: pd.DataFrame, data: str = "applications") -> str:
    if not rule.conditions:
        return f"pd.Series(True, index={data}.index)  # no conditions: every case"
    parts = [condition_code(c, frame, data) for c in rule.conditions]
    if len(parts) == 1 and parts[0].startswith("("):
        return parts[0][1:-1]
    return " & ".join(parts)


def table_code(table: DecisionTable, frame: pd.DataFrame, data: str = "applications") -> str:
    """Lines that build `rules` (one True/False column per rule), `outcomes` and `decision` from `data`,
    then print what each rule decides, the gaps and the overlaps. Assumes the table runs."""
    lines = ["# Your decision table: one True/False column per rule (does the case meet every condition?)",
             "rules = pd.DataFrame({"]
    for index, rule in enumerate(table.rules):
        comment = f"  # {rule.name}" if rule.name.strip() else ""
        lines.append(f"    {f'rule {index + 1}'!r}: {rule_code(rule, frame, data)},{comment}")
    lines.append("})")
    lines.append(f"outcomes = {[r.outcome for r in table.rules]!r}")
    if table.hit_policy == FIRST:
        lines += ["# Hit policy \"first match\": each case takes the outcome of the first rule it meets",
                  "decision = pd.Series(np.select([rules[name] for name in rules], outcomes, default=\"\"),",
                  f"                     index={data}.index)"]
    else:
        lines += ["# Hit policy \"unique\": a case met by rules with different outcomes is a conflict, left undecided",
                  "decision = pd.Series(np.select([rules[name] for name in rules], outcomes, default=\"\"),",
                  f"                     index={data}.index)",
                  "outcome_met = pd.DataFrame({o: rules.loc[:, [x == o for x in outcomes]].any(axis=1)",
                  "                            for o in set(outcomes)})",
                  "decision[outcome_met.sum(axis=1) > 1] = \"\""]
    lines += ["print(rules.sum())  # the cases each rule meets",
              "print(decision.value_counts())  # \"\" = undecided",
              f"gaps = {data}[~rules.any(axis=1)]  # cases no rule decides",
              "print(len(gaps), \"cases match no rule\")",
              "for (a, outcome_a), (b, outcome_b) in itertools.combinations(zip(rules, outcomes), 2):",
              "    both = rules[a] & rules[b]",
              "    if outcome_a != outcome_b and both.any():  # an overlap: two outcomes for the same cases",
              "        print(\"overlap:\", a, \"and\", b, \"both match\", both.sum(), \"cases\")"]
    return "\n".join(lines)
