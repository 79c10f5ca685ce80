"""Profiles, charts, exports and the workspace: snapshot -> open gives the same work, code runs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from app.core.tasks import Cancelled, TaskState
from labs.data_analysis.engine.bigdata import make_large_frame
from labs.data_analysis.engine.charts import ChartSpec, chart_code, chart_data
from labs.data_analysis.engine.exporting import (
    EXCEL_MAX_ROWS,
    ExportError,
    export_csv,
    export_table,
    export_xlsx,
)
from labs.data_analysis.engine.profile import profile_column, profile_frame
from labs.data_analysis.engine.reading import UnreadableFile, keep_copy, read_table
from labs.data_analysis.engine.steps import (
    ConvertType,
    DropDuplicates,
    Filter,
    GroupBy,
    Pivot,
    StepError,
)
from labs.data_analysis.engine.workspace import AnalysisWorkspace, open_workspace


@pytest.fixture
def complaints() -> pd.DataFrame:
    return pd.DataFrame({
        "complaint_id": pd.Series(["C1", "C2", "C3", "C3", "C4", "C5"], dtype="str"),
        "received_date": pd.to_datetime(["2024-03-04", "2024-03-05", "2024-03-09", "2024-03-09", "2024-04-01",
                                         "2024-04-06"]),
        "district": pd.Series(["North", "South", None, None, "North", "East"], dtype="str"),
        "category": pd.Series(["roads", "noise", "roads", "roads", "waste", "noise"], dtype="str"),
        "channel": pd.Series(["phone", "web", "web", "web", "phone", "app"], dtype="str"),
        "days_to_resolve": pd.Series(["3", "12 days", "-2", "-2", "0", "5"], dtype="str"),
        "satisfied": pd.Series(["yes", "no", "yes", "yes", "no", "yes"], dtype="str"),
    })


def loader_for(frame):
    return lambda dataset_id: frame


# --- profile ---------------------------------------------------------------------------------------------


def test_profile_of_numbers_text_dates_and_yes_no():
    frame = pd.DataFrame({"n": [1.0, 2.0, 3.0, 10.0, np.nan], "t": ["a", "b", "a", None, "a"],
                          "d": pd.to_datetime(["2024-01-02", "2024-03-01", None, None, "2023-12-31"]),
                          "yn": ["yes", "no", "yes", "yes", None]})
    n = profile_column(frame["n"])
    assert (n.kind, n.rows, n.missing, n.distinct) == ("number", 5, 1, 4)
    assert (n.minimum, n.maximum, n.mean, n.median) == (1.0, 10.0, 4.0, 2.5)
    assert n.std == pytest.approx(np.std([1, 2, 3, 10], ddof=1))
    t = profile_column(frame["t"])
    assert (t.kind, t.missing, t.distinct, t.top[0]) == ("text", 1, 2, ("a", 3))
    d = profile_column(frame["d"])
    assert (d.kind, d.missing, d.minimum, d.maximum) == ("date", 2, "2023-12-31", "2024-03-01")
    assert profile_column(frame["yn"]).kind == "yes_no"
    assert [p.name for p in profile_frame(frame)] == ["n", "t", "d", "yn"]


def test_profile_says_when_numbers_hide_in_text(complaints):
    profile = profile_column(complaints["days_to_resolve"])
    assert profile.kind == "text" and profile.numbers_in_text == 5 and profile.not_numbers == ["12 days"]
    assert any("Convert it to numbers" in remark for remark in profile.remarks())


def test_profile_of_a_million_rows_is_quick():
    import time

    frame = make_large_frame(1_000_000, seed=1)
    start = time.process_time()
    profiles = profile_frame(frame)
    assert time.process_time() - start < 10  # CPU seconds of this process (other work on the machine does not count)
    by_name = {p.name: p for p in profiles}
    assert by_name["district"].missing == int(frame["district"].isna().sum()) > 0
    assert by_name["received_date"].kind == "date"


# --- charts ----------------------------------------------------------------------------------------------


def test_bar_chart_per_weekday_with_day_names(complaints):
    data = chart_data(complaints, ChartSpec("bar", x="received_date", time_part="weekday"))
    assert data.labels == ["Mon", "Tue", "Sat"]
    assert data.y.tolist() == [2, 1, 3]
    namespace = {"pd": pd, "df": complaints}
    exec(chart_code(data.spec).split("\n")[2], namespace)  # the line that computes the series
    assert namespace["series"].tolist() == data.y.tolist()


def test_chart_kinds_compute_what_they_draw(complaints):
    frame = ConvertType("days_to_resolve", "number").apply(complaints)
    mean = chart_data(frame, ChartSpec("bar", x="district", y="days_to_resolve", agg="mean"))
    assert dict(zip(mean.labels, mean.y)) == {"East": 5.0, "North": 1.5, "South": 12.0}
    hist = chart_data(frame, ChartSpec("histogram", x="days_to_resolve", bins=4))
    assert hist.y.sum() == 6 and len(hist.edges) == 5
    box = chart_data(frame, ChartSpec("box", x="channel", y="days_to_resolve"))
    assert [b.label for b in box.boxes] == ["app", "phone", "web"] and box.boxes[1].median == 1.5
    line = chart_data(frame, ChartSpec("line", x="received_date", y="days_to_resolve", agg="none"))
    assert line.x_is_date and line.x[0] == pd.Timestamp("2024-03-04").timestamp()
    scatter = chart_data(frame, ChartSpec("scatter", x="received_date", y="days_to_resolve"))
    assert scatter.shown == scatter.total == 6


@pytest.mark.parametrize("spec, message", [
    (ChartSpec("histogram", x="district"), "A histogram shows how numbers spread"),
    (ChartSpec("bar", x="district", y="days_to_resolve", agg="mean"), "holds text"),
    (ChartSpec("bar", x="received_date"), "choose which part"),
    (ChartSpec("bar", x="district", time_part="weekday"), "does not hold dates"),
])
def test_chart_mistakes_get_clear_messages(complaints, spec, message):
    with pytest.raises(StepError, match=message):
        chart_data(complaints, spec)


def test_big_scatter_and_line_are_sampled_but_keep_their_shape():
    frame = make_large_frame(200_000, seed=2)
    scatter = chart_data(frame, ChartSpec("scatter", x="cost", y="days_to_resolve"))
    assert scatter.shown == 20_000 < scatter.total and "random sample" in scatter.note()
    again = chart_data(frame, ChartSpec("scatter", x="cost", y="days_to_resolve"))
    assert np.array_equal(scatter.x, again.x)  # the same sample every time
    line = chart_data(frame, ChartSpec("line", x="received_date", y="cost", agg="none"))
    assert line.shown <= 10_100 and line.y.max() == frame["cost"].max()  # the peak survives


# --- export ----------------------------------------------------------------------------------------------


def test_csv_export_with_bom_round_trips(tmp_path, complaints):
    path = export_csv(complaints, tmp_path / "out.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = read_table(path)
    assert back.frame["district"].tolist()[:2] == ["North", "South"] and len(back.frame) == 6
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # the temporary file is gone


def test_xlsx_export_round_trips(tmp_path, complaints):
    path = export_table(GroupBy(("district",)).apply(complaints), tmp_path / "groups.xlsx")
    back = read_table(path)
    assert back.frame.to_dict("list") == {"district": ["East", "North", "South"], "count": [1, 2, 1]}
    export_xlsx(complaints, tmp_path / "rows.xlsx")
    assert read_table(tmp_path / "rows.xlsx").frame["received_date"].iloc[0] == pd.Timestamp("2024-03-04")


def test_a_cancelled_export_leaves_nothing_behind(tmp_path, complaints):
    state = TaskState()
    state.request_cancel()
    with pytest.raises(Cancelled):
        export_csv(complaints, tmp_path / "out.csv", state)
    assert list(tmp_path.iterdir()) == []


def test_too_many_rows_for_excel_is_refused_before_writing(tmp_path):
    frame = pd.DataFrame({"a": np.zeros(EXCEL_MAX_ROWS)})
    with pytest.raises(ExportError, match="Save it as CSV"):
        export_xlsx(frame, tmp_path / "big.xlsx")
    assert list(tmp_path.iterdir()) == []


# --- workspace -------------------------------------------------------------------------------------------


def reference_work(complaints) -> AnalysisWorkspace:
    ws = AnalysisWorkspace(complaints, {"dataset": "test"})
    for step in (DropDuplicates(), ConvertType("days_to_resolve", "number"), Filter("days_to_resolve", ">=", 0),
                 GroupBy(("district",), "days_to_resolve", "mean"), Pivot("category", "channel")):
        ws.add_step(step)
    ws.set_chart(ChartSpec("bar", x="received_date", time_part="weekday"))
    ws.set_answer("q", " 2 ")
    return ws


def test_summaries_make_new_tables_and_leave_the_data(complaints):
    ws = reference_work(complaints)
    assert len(ws.table) == 4 and ws.table["days_to_resolve"].min() >= 0
    assert [key for key, _o in ws.results()] == ["result_1", "result_2"]
    assert ws.table_named("result_1")["mean_days_to_resolve"].tolist() == [5.0, 1.5, 12.0]
    assert [key for key, _t in ws.tables()] == ["data", "result_1", "result_2"]
    assert ws.outcomes[0].note == "1 row removed; 5 left."


def test_snapshot_then_open_gives_the_same_work(complaints):
    ws = reference_work(complaints)
    ws.record_export("result_2", "pivot.xlsx")
    snapshot = json.loads(json.dumps(ws.snapshot()))  # what autosave stores
    again = open_workspace(snapshot, TaskState(), None, loader=loader_for(complaints))
    pd.testing.assert_frame_equal(again.table, ws.table)
    for (key, outcome), (key2, outcome2) in zip(ws.results(), again.results()):
        assert key == key2
        pd.testing.assert_frame_equal(outcome.result, outcome2.result)
    assert again.chart == ws.chart and again.answers == {"q": "2"} and again.exports == ws.exports
    assert again.snapshot() == snapshot and again.code() == ws.code()


def test_the_workspace_code_after_loading_recomputes_every_table(complaints, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the code saves the exported table where it runs: not in the repository
    ws = reference_work(complaints)
    code = ws.code()
    assert code.startswith("import pandas as pd\n") and "df = pd.read_csv(" in code
    steps = code[code.index("# 1. "): code.index("import matplotlib")]  # matplotlib is not needed for the numbers
    namespace = {"pd": pd, "df": complaints}
    exec(steps, namespace)
    pd.testing.assert_frame_equal(namespace["df"], ws.table)
    pd.testing.assert_frame_equal(namespace["result_1"], ws.table_named("result_1"))
    pd.testing.assert_frame_equal(namespace["result_2"], ws.table_named("result_2"))


def test_undo_and_stale_steps(complaints):
    ws = AnalysisWorkspace(complaints, {"dataset": "test"})
    ws.add_step(DropDuplicates())
    late = ws.compute_step(Filter("district", "is not missing"))  # computed, then the table changes
    assert isinstance(ws.undo(), DropDuplicates) and ws.table is complaints
    with pytest.raises(StepError, match="changed while"):
        ws.accept(late)
    assert ws.undo() is None


def test_a_saved_step_that_no_longer_applies_is_kept_with_its_reason(complaints):
    snapshot = {"source": {"dataset": "test"}, "steps": [Filter("gone", "==", 1).to_dict(), DropDuplicates().to_dict()]}
    ws = open_workspace(snapshot, TaskState(), None, loader=loader_for(complaints))
    assert ws.outcomes[0].error and "There is no column gone" in ws.outcomes[0].error
    assert len(ws.table) == 5 and len(ws.applied_steps) == 1
    assert "(not applied" in ws.code()


def test_an_imported_file_reopens_from_its_kept_copy(tmp_path):
    source = tmp_path / "mine.csv"
    source.write_bytes("구;금액\n강남구;1,5\n서초구;2,25\n".encode("cp949"))
    files = tmp_path / "files"
    result = read_table(source)
    stored = keep_copy(source, files)
    ws = AnalysisWorkspace(result.frame, {"file": stored, "name": source.name, "options": result.options().to_dict()},
                           result)
    ws.add_step(Filter("금액", ">", 2))
    again = open_workspace(ws.snapshot(), TaskState(), files)
    assert again.table["구"].tolist() == ["서초구"]
    assert "encoding='cp949'" in again.code() and "decimal=','" in again.code()
    with pytest.raises(UnreadableFile, match="The copy of your file mine.csv is missing"):
        open_workspace(ws.snapshot(), TaskState(), tmp_path / "elsewhere")
