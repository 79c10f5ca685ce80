"""Steps: each one's shown pandas code, run on the same table, gives exactly what `apply` gave."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labs.data_analysis.engine.steps import (
    ConvertType,
    DropColumns,
    DropDuplicates,
    DropMissing,
    FillMissing,
    Filter,
    GroupBy,
    Pivot,
    Sort,
    StepError,
    parse_value,
    step_from_dict,
)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "complaint_id": pd.Series(["C1", "C2", "C3", "C3", "C4", "C5", "C6", "C7"], dtype="str"),
        "received_date": pd.to_datetime(["2024-03-04", "2024-03-05", "2024-03-09", "2024-03-09", "2024-04-01",
                                         "2024-04-06", None, "2024-05-13"]),
        "district": pd.Series(["North", "South", None, None, "North", "East", "South", "North"], dtype="str"),
        "channel": pd.Series(["phone", "web", "web", "web", "phone", "app", "web", "phone"], dtype="str"),
        "days": pd.Series(["3", "12 days", "-2", "-2", "0", None, "7", "1 day"], dtype="str"),
        "cost": [10.5, np.nan, 3.0, 3.0, 8.25, 1.0, np.nan, 4.0],
    })


def run_code(step, frame: pd.DataFrame) -> pd.DataFrame:
    namespace = {"pd": pd, "np": np, "df": frame.copy()}
    exec(step.code("result"), namespace)
    return namespace["result"] if step.summary else namespace["df"]


def numeric(frame: pd.DataFrame) -> pd.DataFrame:
    return ConvertType("days", "number").apply(frame)


TRANSFORMS = [
    Filter("district", "==", "North"),
    Filter("district", "!=", "North"),
    Filter("cost", ">", 3),
    Filter("cost", ">=", 3.0),
    Filter("cost", "<", 8.25),
    Filter("cost", "<=", 4),
    Filter("channel", "contains", "PHO"),
    Filter("district", "is missing"),
    Filter("district", "is not missing"),
    Filter("received_date", ">=", "2024-04-01"),
    Sort(("cost",), descending=True),
    Sort(("district", "cost")),
    DropDuplicates(),
    DropDuplicates(("district",)),
    DropMissing(),
    DropMissing(("cost",)),
    DropColumns(("cost", "channel")),
    FillMissing("district", "value", "unknown"),
    FillMissing("cost", "mean"),
    FillMissing("cost", "median"),
    FillMissing("district", "most_frequent"),
    FillMissing("cost", "value", 0),
    FillMissing("received_date", "value", "2024-01-01", date=True),
    ConvertType("days", "number"),
    ConvertType("days", "date"),
    ConvertType("cost", "text"),
]

SUMMARIES = [
    GroupBy(("district",)),
    GroupBy(("district",), "cost", "mean"),
    GroupBy(("district",), "cost", "sum"),
    GroupBy(("district", "channel"), "cost", "median"),
    GroupBy(("received_date",), None, "count", "weekday"),
    GroupBy(("received_date", "channel"), "cost", "max", "month"),
    GroupBy(("received_date",), "cost", "min", "year_month"),
    Pivot("district", "channel"),
    Pivot("district", "channel", "cost", "mean"),
]


@pytest.mark.filterwarnings("ignore:Could not infer format")  # pandas says so about the learner's dates too
@pytest.mark.parametrize("step", TRANSFORMS + SUMMARIES, ids=lambda s: s.describe())
def test_the_code_shown_does_what_apply_does(frame, step):
    step.validate(frame)
    expected = step.apply(frame)
    pd.testing.assert_frame_equal(run_code(step, frame), expected)
    assert step.describe()
    assert step_from_dict(step.to_dict()) == step  # a snapshot round trip keeps the step


def test_the_steps_work_on_numbers_converted_from_text(frame):
    converted = numeric(frame)
    for step in (Filter("days", ">=", 0), GroupBy(("district",), "days", "mean"), Pivot("district", "channel", "days",
                                                                                         "sum")):
        step.validate(converted)
        pd.testing.assert_frame_equal(run_code(step, converted), step.apply(converted))


def test_convert_to_number_keeps_the_number_inside_text_and_reports(frame):
    step = ConvertType("days", "number")
    after = step.apply(frame)
    assert after["days"].tolist()[:5] == [3, 12, -2, -2, 0] and after["days"].iloc[7] == 1
    assert pd.isna(after["days"].iloc[5])
    assert step.report(frame, after) == "Every value was converted."
    odd = frame.assign(days=pd.Series(["3", "unknown", "n/a", "4", "5", "6", "7", "8"], dtype="str"))
    assert step.report(odd, step.apply(odd)) == ("2 values could not be converted and are now missing "
                                                 "(e.g. 'unknown', 'n/a').")


def test_filter_and_drop_report_rows_removed(frame):
    step = Filter("district", "is not missing")
    assert step.report(frame, step.apply(frame)) == "2 rows removed; 6 left."
    assert DropDuplicates().apply(frame).shape[0] == 7
    assert frame.shape[0] == 8  # apply never changes its input


def test_group_by_weekday_counts_rows_per_day_of_week(frame):
    result = GroupBy(("received_date",), None, "count", "weekday").apply(frame)
    assert list(result.columns) == ["received_date_weekday", "count"]
    assert dict(zip(result["received_date_weekday"], result["count"])) == {0: 3, 1: 1, 5: 3}


@pytest.mark.parametrize("step, message", [
    (Filter("days", ">=", 0), "days holds text"),
    (GroupBy(("district",), "days", "mean"), "days holds text, not numbers"),
    (GroupBy(("district",), None, "count", "weekday"), "district does not hold dates"),
    (Filter("nope", "==", 1), "There is no column nope"),
    (Filter("cost", ">", "abc"), "cost holds numbers; 'abc' is not a number"),
    (FillMissing("district", "mean"), "district holds text"),
    (FillMissing("cost", "value", ""), "Type the value"),
    (ConvertType("received_date", "number"), "holds dates"),
    (Pivot("district", "district"), "two different columns"),
    (Pivot("district", "complaint_id", "cost", "sum"), None),
    (Sort(()), "Choose a column"),
])
def test_validate_says_what_to_do(frame, step, message):
    if message is None:
        step.validate(frame)  # few enough columns for a pivot: no error
        return
    with pytest.raises(StepError, match=message):
        step.validate(frame)


def test_a_pivot_over_too_many_values_is_refused():
    frame = pd.DataFrame({"a": ["x"] * 300, "b": [str(i) for i in range(300)]})
    with pytest.raises(StepError, match="300 different values"):
        Pivot("a", "b").validate(frame)


def test_parse_value_reads_what_a_learner_types(frame):
    assert parse_value(frame, "cost", "12,5") == 12.5
    assert parse_value(frame, "cost", " 3 ") == 3
    assert parse_value(frame, "received_date", "31/03/2024") == "2024-03-31"
    assert parse_value(frame, "district", "North ") == "North"
    with pytest.raises(StepError, match="not a number"):
        parse_value(frame, "cost", "ten")
    with pytest.raises(StepError, match="year-month-day"):
        parse_value(frame, "received_date", "someday")


def test_unknown_saved_step_is_a_clear_error():
    with pytest.raises(StepError, match="cannot be read"):
        step_from_dict({"kind": "teleport"})
