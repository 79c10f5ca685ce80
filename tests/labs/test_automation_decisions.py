"""Decision tables (engine/decisions.py), the model comparison (engine/comparison.py) and the
birth-package dataset they run on: conditions, hit policies, gaps and overlaps, clear messages,
the shown pandas / scikit-learn code, and the documented facts of the data."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import numpy as np
import pandas as pd
import pytest

from app.core.tasks import Cancelled, TaskState
from labs.automation.engine.comparison import (BOOSTING, TREE, ModelChoice, categorical_features, compare,
                                               comparison_code, train_model)
from labs.automation.engine.decisions import (FIRST, UNDECIDED, UNIQUE, Condition, DecisionTable, Rule, TableProblem,
                                              parse_number, rule_masks, run_table, table_code)
from labs.automation.engine.workspace import FEATURES, GROUP_COLUMNS, TARGET
from labs.datasets import generate
from labs.datasets.catalog import dataset, dataset_path, load_dataset

C = Condition


@pytest.fixture(scope="module")
def applications() -> pd.DataFrame:
    return load_dataset("birth-package-applications")


@pytest.fixture(scope="module")
def tree_run(applications):
    return train_model(applications, ModelChoice(TREE, 5), FEATURES, TARGET)


def small() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["a", "b", "c", "d", "e"],
        "income": [100, 150, 151, 300, np.nan],
        "region": pd.array(["north", "south", "north", "islands", None], dtype="str"),
        "day": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-06-30", "2024-07-01", "2024-12-31"]),
    })


def mask(condition: Condition, frame: pd.DataFrame | None = None) -> list[bool]:
    table = DecisionTable((Rule("r", (condition,), "yes"),))
    return rule_masks(table, small() if frame is None else frame)[:, 0].tolist()


# --- conditions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("condition, expected", [
    (C("income", "=", "150"), [False, True, False, False, False]),
    (C("income", "!=", "150"), [True, False, True, True, False]),  # a missing value meets nothing, not even ≠
    (C("income", "<", "150"), [True, False, False, False, False]),
    (C("income", "<=", "150"), [True, True, False, False, False]),
    (C("income", ">", "150"), [False, False, True, True, False]),
    (C("income", ">=", "151"), [False, False, True, True, False]),
    (C("income", "between", ("100", "151")), [True, True, True, False, False]),
    (C("income", "in", ("100", "300")), [True, False, False, True, False]),
    (C("income", "not in", ("100", "300")), [False, True, True, False, False]),
    (C("region", "=", "north"), [True, False, True, False, False]),
    (C("region", "=", " North "), [True, False, True, False, False]),  # the data's own spelling is found
    (C("region", "!=", "north"), [False, True, False, True, False]),
    (C("region", "in", ("north", "islands")), [True, False, True, True, False]),
    (C("region", "not in", ("north",)), [False, True, False, True, False]),
    (C("day", "<", "2024-06-30"), [True, True, False, False, False]),
    (C("day", "between", ("2024-03-01", "2024-07-01")), [False, True, True, True, False]),
])
def test_each_operator_on_numbers_words_and_dates(condition, expected):
    assert mask(condition) == expected


@pytest.mark.parametrize("text, value", [("150", 150.0), (" 1,5 ", 1.5), ("1,600", 1600.0), ("1.600,5", 1600.5),
                                         ("1,600.5", 1600.5), ("١٥٠", 150.0), ("\u22123", -3.0), ("12.5", 12.5),
                                         ("abc", None), ("", None), ("1e400", None)])
def test_numbers_are_read_as_people_type_them(text, value):
    assert parse_number(text) == value


def test_every_mistake_is_named_by_rule_and_condition_at_once():
    table = DecisionTable((
        Rule("Income", (C("incom", "<=", "150"), C("income", "<", "a lot")), "approved"),
        Rule("", (C("region", "<", "north"), C("region", "=", "nort"), C("income", "between", ("200", "100"))), ""),
        Rule("Dates", (C("day", ">", "next week"), C("income", "in", ("",)), C("income", "between", ("1",)),
                       C("income", "~", "1"), C("income", "=", "")), "declined"),
    ))
    with pytest.raises(TableProblem) as raised:
        run_table(table, small())
    problems = raised.value.problems
    assert problems == (
        'Rule 1 (Income), condition 1: there is no column "incom". Choose one of: id, income, region, day.',
        'Rule 1 (Income), condition 2: income holds numbers; "a lot" is not a number.',
        "Rule 2 has no outcome: choose what it decides.",
        "Rule 2, condition 1: region holds words (islands, north, south), which cannot be smaller or larger; "
        "use =, ≠, in or not in.",
        'Rule 2, condition 2: region has no value "nort"; its values are: islands, north, south.',
        "Rule 2, condition 3: the lowest value (200) is above the highest (100).",
        'Rule 3 (Dates), condition 1: day holds dates; write "next week" as a date like 2024-06-30.',
        'Rule 3 (Dates), condition 2: "in" needs at least one value.',
        'Rule 3 (Dates), condition 3: "between" needs two values, the lowest and the highest.',
        'Rule 3 (Dates), condition 4: "~" is not an operator. Use one of: = != < <= > >= in not in between.',
        "Rule 3 (Dates), condition 5: the condition on income has no value.",
    )
    assert str(raised.value) == "\n".join(problems)
    with pytest.raises(TableProblem, match="no rules yet"):
        run_table(DecisionTable(), small())


# --- hit policies, gaps and overlaps -----------------------------------------------------------

def test_first_match_decides_in_order_and_reports_shadowed_rules_gaps_and_overlaps():
    table = DecisionTable((
        Rule("North", (C("region", "=", "north"),), "declined"),
        Rule("Low income", (C("income", "<=", "150"),), "approved", "standard"),
        Rule("Low north", (C("income", "<=", "150"), C("region", "=", "north")), "approved"),  # never decides
    ), FIRST)
    run = run_table(table, small())
    assert run.outcomes.tolist() == ["declined", "approved", "declined", UNDECIDED, UNDECIDED]
    assert run.tiers.tolist() == ["", "standard", "", "", ""]
    assert run.deciding.tolist() == [0, 1, 0, -1, -1]
    assert [(s.matched, s.decided, s.examples) for s in run.per_rule] == [(2, 2, (0, 2)), (2, 1, (1,)), (1, 0, ())]
    assert run.shadowed() == [2]
    assert run.gaps.tolist() == [3, 4] and run.conflicts.tolist() == []
    assert [(o.first, o.second, o.count, o.examples) for o in run.overlaps] == [(0, 1, 1, (0,)), (0, 2, 1, (0,))]
    assert run.decided == 3 and run.coverage == pytest.approx(0.6)
    assert run.outcome_counts == {"declined": 2, "approved": 1}


def test_unique_leaves_conflicts_undecided_but_allows_rules_that_agree():
    table = DecisionTable((
        Rule("North", (C("region", "=", "north"),), "declined"),
        Rule("Low income", (C("income", "<=", "150"),), "approved"),
        Rule("Low income again", (C("income", "<", "120"),), "approved"),  # same outcome: no conflict
        Rule("Otherwise", (), "partial"),  # no conditions: every case
    ), UNIQUE)
    run = run_table(table, small())
    # a, c: north + otherwise; b: low income + otherwise -> conflicts; d, e meet only "otherwise"
    assert run.conflicts.tolist() == [0, 1, 2] and run.outcomes.tolist() == [""] * 3 + ["partial"] * 2
    narrower = table.removing(3)
    run = run_table(narrower, small())
    assert run.outcomes.tolist() == [UNDECIDED, "approved", "declined", UNDECIDED, UNDECIDED]
    assert run.conflicts.tolist() == [0] and run.gaps.tolist() == [3, 4]
    assert run_table(narrower.with_policy(FIRST), small()).outcomes.tolist()[0] == "declined"


def test_editing_returns_new_tables_and_round_trips_through_json():
    table = DecisionTable((Rule("A", (C("region", "in", ("north", "south")),), "x"), Rule("B", (), "y"),
                           Rule("C", (C("income", "between", ("1", "2")),), "z", "t")), UNIQUE)
    assert [r.name for r in table.moving(2, 0).rules] == ["C", "A", "B"]
    assert [r.name for r in table.moving(0, 99).rules] == ["B", "C", "A"]
    assert [r.name for r in table.removing(1).rules] == ["A", "C"]
    assert [r.name for r in table.adding(Rule("D", (), "w"), at=1).rules] == ["A", "D", "B", "C"]
    assert table.with_rule(1, Rule("E", (), "v")).rules[1].name == "E" and table.rules[1].name == "B"
    assert DecisionTable.from_dict(table.to_dict()) == table
    assert table.to_dict()["rules"][0]["conditions"][0] == {"column": "region", "operator": "in",
                                                            "value": ["north", "south"]}
    assert DecisionTable.from_dict({"hit_policy": "bogus"}).hit_policy == FIRST
    assert table.rules[0].describe() == "region in north, south"
    assert table.rules[2].conditions[0].describe() == "income between 1 and 2"
    assert C("income", "<=", "150").describe() == "income ≤ 150"
    assert table.rules[1].describe() == "every case (no conditions)"


# --- the shown code ---------------------------------------------------------------------------------

def run_script(code: str, **names) -> dict:
    namespace = {"__name__": "__main__", **names}
    with redirect_stdout(io.StringIO()):
        exec(compile(code, "<lab script>", "exec"), namespace)  # noqa: S102 - running it is the test
    return namespace


@pytest.mark.parametrize("policy", [FIRST, UNIQUE])
def test_the_shown_pandas_code_decides_like_the_engine(policy):
    frame = small()
    table = DecisionTable((
        Rule("North", (C("region", "=", "North"),), "declined"),
        Rule("Some", (C("income", "between", ("100", "151")), C("region", "not in", ("islands",))), "approved"),
        Rule("Late", (C("day", ">=", "2024-06-30"),), "partial"),
        Rule("Listed", (C("income", "in", ("300",)),), "approved"),
    ), policy)
    run = run_table(table, frame)
    namespace = run_script("import itertools\nimport numpy as np\nimport pandas as pd\n" + table_code(table, frame),
                           applications=frame)
    assert namespace["decision"].tolist() == run.outcomes.tolist()
    assert namespace["rules"].sum().tolist() == [s.matched for s in run.per_rule]
    assert len(namespace["gaps"]) == len(run.gaps)


# --- the dataset ------------------------------------------------------------------------------------

def test_the_dataset_is_in_the_catalog(applications):
    info = dataset("birth-package-applications")
    assert info.synthetic and info.rows == len(applications) == 2000 and tuple(applications.columns) == info.columns
    assert dataset_path(info.id).stat().st_size < 60_000
    assert applications["application_id"].is_unique and applications.notna().all().all()
    assert set(applications["region"]) == set(generate.REGIONS)
    assert set(applications["past_decision"]) == {"approved", "partial", "declined"}
    assert set(applications["preferred_language"]) <= {"en", "ko", "es", "fr", "ar", "ru", "vi", "id", "km", "uz"}
    assert applications["registered_date"].dt.year.eq(2024).all()


def test_the_generator_is_seeded_and_matches_the_shipped_file(tmp_path):
    rows = generate.birth_package_rows()
    assert rows == generate.birth_package_rows()
    text = generate.csv_text(generate.BIRTH_COLUMNS, rows)
    import gzip

    assert gzip.decompress(dataset_path("birth-package-applications").read_bytes()).decode("utf-8") == text


def _guidance(frame: pd.DataFrame) -> pd.Series:
    return pd.Series([generate.birth_package_rule(r.nationality_status, r.residence_months, r.child_birth_order,
                                                  r.multiple_birth == "yes", r.single_parent == "yes",
                                                  r.disability_in_household == "yes", r.income_pct_of_median)[0]
                      for r in frame.itertuples()], index=frame.index)


def test_past_decisions_depart_from_the_guidance_as_documented(applications):
    law = _guidance(applications)
    assert law.value_counts().to_dict() == {"approved": 1649, "partial": 280, "declined": 71}
    assert applications["past_decision"].value_counts().to_dict() == {"approved": 1546, "partial": 302,
                                                                      "declined": 152}
    differ = applications["past_decision"] != law
    assert differ.sum() == 121 and round((~differ).mean() * 100, 2) == 93.95
    assert applications["income_pct_of_median"].eq(150).sum() == 49
    north = applications["region"].eq("north") & applications["residence_months"].lt(12) & law.ne("declined")
    assert north.sum() == 81 and (north & applications["past_decision"].eq("declined")).sum() == 70
    by_region = differ.groupby(applications["region"]).mean()
    assert by_region.idxmax() == "north" and by_region["north"] > 2.5 * by_region.drop("north").max()


# --- the model comparison ----------------------------------------------------------------------

def test_the_model_learns_past_practice_and_disagrees_where_documented(applications, tree_run):
    assert tree_run.predicted.shape == (2000,) and set(tree_run.predicted) <= {"approved", "partial", "declined"}
    assert tree_run.past_accuracy == pytest.approx(0.952, abs=0.0005)  # DATASETS.md
    assert sum(share for _f, share in tree_run.importance) == pytest.approx(1.0)
    assert tree_run.importance[0][0] == "income_pct_of_median"
    again = train_model(applications, ModelChoice(TREE, 5), FEATURES, TARGET)
    assert (again.predicted == tree_run.predicted).all()  # seeded: a resumed lab shows the same numbers

    law = _guidance(applications).to_numpy(dtype=object)
    found = compare(law, tree_run, applications, GROUP_COLUMNS)
    assert found.agreement == pytest.approx(0.940, abs=0.0005)
    assert found.table_vs_past == pytest.approx(0.9395)
    assert found.model_vs_past == pytest.approx(tree_run.past_accuracy)
    assert found.disagreements == len(found.rows) == int((law != tree_run.predicted).sum())
    north = found.worst("region")
    assert north.value == "north" and north.cases == 301 and north.share > 0.2
    assert [g.value for g in found.by_group["region"]][:2] == ["north", "islands"]
    assert found.drivers[0].describe() == "region = north and residence_months < 12"
    assert found.drivers[0].share > 0.6
    top = found.pairs[0]
    assert (top.table, top.model) == ("approved", "declined") and top.count == max(p.count for p in found.pairs)
    assert all(law[i] == top.table and tree_run.predicted[i] == top.model for i in top.examples)


def test_undecided_cases_count_as_disagreements(applications, tree_run):
    found = compare(np.full(len(applications), UNDECIDED, dtype=object), tree_run, applications, ("region",))
    assert found.agreement == 0 and found.drivers == ()
    assert {p.table for p in found.pairs} == {UNDECIDED}


def test_the_shown_scikit_learn_code_gives_the_same_agreement(applications, tree_run):
    law = _guidance(applications)
    code = comparison_code(tree_run.choice, FEATURES, categorical_features(applications, FEATURES), TARGET, "region")
    namespace = run_script("import pandas as pd\n" + code, applications=applications, decision=law)
    found = compare(law.to_numpy(dtype=object), tree_run, applications, ())
    assert namespace["agreement"] == pytest.approx(found.agreement)
    assert (namespace["predicted"] == tree_run.predicted).all()


def test_model_choice_is_read_safely():
    assert ModelChoice.from_dict({"kind": BOOSTING, "max_depth": 99}) == ModelChoice(BOOSTING, 5, 0)
    assert ModelChoice.from_dict({"kind": "magic"}) == ModelChoice(TREE, 5, 0)
    assert ModelChoice.from_dict(None) == ModelChoice()
    assert ModelChoice.from_dict(ModelChoice(TREE, 3, 7).to_dict()) == ModelChoice(TREE, 3, 7)


def test_training_honours_cancel_and_reports_progress(applications):
    seen: list[float] = []
    state = TaskState(on_progress=lambda p, _m: seen.append(p))
    small_frame = applications.head(300)
    train_model(small_frame, ModelChoice(TREE, 2), FEATURES, TARGET, state)
    assert seen[0] == 0 and seen[-1] == 1 and seen == sorted(seen)
    cancelled = TaskState()
    cancelled.request_cancel()
    with pytest.raises(Cancelled):
        train_model(small_frame, ModelChoice(TREE, 2), FEATURES, TARGET, cancelled)
    with pytest.raises(Cancelled):
        run_table(DecisionTable((Rule("a", (), "x"),)), small_frame, cancelled)
