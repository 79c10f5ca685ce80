"""`python main.py bench reports --quick` (app/bench_reports.py): the numbers, not the speed. The report built
on the generated cohort must find exactly what the generator decided (enrolled, started, completed,
answers and correct answers per course), both reading paths must agree, and the ratio must be the run's
own numbers. Times are the benchmark's job, never a unit test's."""

from __future__ import annotations

import json

from app import bench_reports
from app.cli import run_command
from app.core.collect.payloads import decode_lines


def test_quick_benchmark_reports_the_generator_numbers(capsys):
    code = run_command(["bench", "reports", "--quick", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == (0 if result["ok"] else 1)
    assert result["quick"] is True
    assert result["checks"] == {"matches_generator": True, "mismatches": [], "python_path_same_tables": True}
    data = result["data"]
    assert (data["members"], data["courses"], data["offices"]) == (200, 2, 4)
    assert data["learner_records"] >= 200 and data["statements"] > 5_000
    assert data["enrolments"] == sum(row["enrolled"] for row in result["courses"])
    assert result["ratio_report_to_insert"] == round(result["report_s"] / result["insert_s"], 2)
    assert result["target"]["report_s"] == {"value": result["report_s"], "target": "< 1.0",
                                           "met": result["report_s"] < 1.0}
    assert result["ok"] == result["target"]["report_s"]["met"]
    for row in result["courses"]:
        assert 0 < row["completed"] <= row["started"] <= row["enrolled"]
        assert row["completion_rate"] == round(100 * row["completed"] / row["enrolled"], 1)
    assert result["tables"]["learners"] == data["enrolments"] and result["tables"]["unmatched"] > 0


def test_the_check_catches_a_report_that_disagrees_with_the_generator():
    data = bench_reports.generate({"learners": 30, "courses": 2, "offices": 2}, seed=3)
    truth = data["truth"]
    course = data["courses"][0]

    class Fake:
        def table(self, key):
            from app.core.reports.model import Column, Table

            if key == "courses":
                rows = tuple((c.id, truth.enrolled[c.id], truth.started[c.id], truth.completed[c.id] + (c == course))
                             for c in data["courses"])
                return Table(key, key, tuple(Column(k, k) for k in ("course", "enrolled", "started", "completed")),
                             rows)
            rows = tuple((c.id, truth.answers[c.id], truth.correct[c.id]) for c in data["courses"])
            return Table(key, key, tuple(Column(k, k) for k in ("course", "answers", "correct")), rows)

    checked = bench_reports._check(Fake(), data)
    assert not checked["matches_generator"]
    assert [m["course"] for m in checked["mismatches"]] == [course.id]


def test_generated_statements_have_the_shapes_learning_emits():
    """The generator writes what app/core/learning.py writes: same verbs, activity types and result keys."""
    data = bench_reports.generate({"learners": 20, "courses": 1, "offices": 2}, seed=5)
    shapes = set()
    lines = {number: decode_lines(file.format, file.data) for number, file in data["payloads"]}
    for row in data["rows"]:
        statement = json.loads(lines[row[7]][row[8] - 1])  # the row's payload file and line
        shapes.add((statement["verb"]["id"].rsplit("/", 1)[-1],
                    statement["object"]["definition"]["type"].rsplit("/", 1)[-1],
                    tuple(sorted(statement.get("result", {})))))
    assert {("answered", "cmi.interaction", ("response", "score", "success")),
            ("attempted", "assessment", ()),
            ("completed", "lesson", ("completion",)),
            ("completed", "course", ("completion", "score", "success")),
            ("experienced", "lesson", ()),
            ("launched", "course", ())} <= shapes
    assert shapes & {("passed", "assessment", ("completion", "extensions", "score", "success")),
                     ("failed", "assessment", ("completion", "extensions", "score", "success"))}
