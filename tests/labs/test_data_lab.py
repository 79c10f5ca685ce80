"""The citizen-complaints lab on the real dataset, and the `data profile` command's function."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from app.core.tasks import TaskState
from labs.data_analysis.cli import profile_file, profile_text
from labs.data_analysis.engine.reading import UnreadableFile
from labs.data_analysis.engine.steps import GroupBy
from labs.data_analysis.open_data import LAB, REFERENCE
from labs.framework import run_check, selftest
from labs.registry import load_lab


def test_selftest_reference_passes_and_every_mistake_fails():
    result = selftest(LAB)
    assert result.ok, json.dumps(result.as_dict(), indent=1, ensure_ascii=False)
    assert len(LAB.tasks) == 7 and {w.task_id for w in LAB.wrong_attempts} == {t.id for t in LAB.tasks}


def test_the_registry_finds_the_lab_and_a_fresh_start_shows_the_raw_data():
    assert load_lab("data_analysis/open-data") is LAB
    ws = LAB.open(None, TaskState(), None)
    assert ws.dataset_id == "citizen-complaints" and len(ws.table) == 12_000 and not ws.steps
    feedback = run_check(LAB.task("duplicates"), ws)
    assert not feedback.passed and "240 duplicate rows" in feedback.message


@pytest.mark.parametrize("task_id, snapshot_change, expected", [
    ("group", {"answers": {"slowest_district": "sollip"}}, True),  # "Sollip-gu" without "-gu", any case
    ("group", {"answers": {"slowest_district": "Atlantis"}}, "is not one of the districts"),
    ("profile", {"answers": {"missing_district": "12,000"}}, "number of rows"),
    ("profile", {"answers": {"missing_district": "many"}}, "is not a whole number"),
    ("chart", {"chart": {"kind": "bar", "x": "received_date", "time_part": "weekday", "agg": "mean",
                         "y": "received_hour"}}, "the number of complaints"),
])
def test_feedback_is_specific(task_id, snapshot_change, expected):
    snapshot = {**REFERENCE, **snapshot_change}
    if "answers" in snapshot_change:
        snapshot["answers"] = {**REFERENCE["answers"], **snapshot_change["answers"]}
    feedback = run_check(LAB.task(task_id), LAB.open(snapshot, TaskState(), None))
    if expected is True:
        assert feedback.passed, feedback.message
    else:
        assert not feedback.passed and expected in feedback.message


def test_a_learner_on_another_dataset_is_told_which_one_to_use():
    ws = LAB.open({"source": {"dataset": "seattle-weather"}}, TaskState(), None)
    feedback = run_check(LAB.task("group"), ws)
    assert not feedback.passed and "citizen complaints dataset" in feedback.message


def test_the_reference_script_recomputes_the_same_tables(tmp_path, monkeypatch):
    from labs.datasets.catalog import dataset_path

    monkeypatch.chdir(tmp_path)  # the script saves the exported table where it runs: not in the repository

    ws = LAB.open(REFERENCE, TaskState(), None)
    code = ws.code(data_path=str(dataset_path("citizen-complaints")))
    namespace: dict = {}
    exec(code[: code.index("import matplotlib")], namespace)
    pd.testing.assert_frame_equal(namespace["result_1"], ws.table_named("result_1"))
    pd.testing.assert_frame_equal(namespace["result_2"], ws.table_named("result_2"))
    assert (tmp_path / "complaints-by-channel.xlsx").is_file()  # the export step ran, here
    assert isinstance(ws.outcomes[3].step, GroupBy)


# --- `python main.py data profile FILE --json` -------------------------------------------------------------


def test_profile_file_describes_a_csv(tmp_path):
    path = tmp_path / "민원.csv"
    text = "구;처리일수;접수일\n강남구;3,5;2024-03-01\n;12;2024-03-02\n서초구;;2024-03-03\n"
    path.write_bytes(text.encode("cp949"))
    summary = profile_file(path)
    assert json.loads(json.dumps(summary, ensure_ascii=False)) == summary  # JSON-able as it is
    assert (summary["rows"], summary["encoding"], summary["delimiter"], summary["decimal"]) == (3, "cp949", ";", ",")
    assert summary["columns"] == [
        {"name": "구", "type": "text", "missing": 1, "distinct": 2},
        {"name": "처리일수", "type": "number", "missing": 1, "distinct": 2},
        {"name": "접수일", "type": "date", "missing": 0, "distinct": 3},
    ]
    assert "3 rows, 3 columns" in profile_text(summary)


def test_profile_file_on_a_bad_file_raises_a_clear_message(tmp_path):
    path = tmp_path / "report.csv"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    with pytest.raises(UnreadableFile) as error:
        profile_file(path)
    assert str(error.value).startswith("report.csv is a PDF document")
    assert "Traceback" not in str(error.value)
