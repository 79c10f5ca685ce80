"""`python main.py bench chatbot` (app/bench_chatbot.py) on a tiny stand-in for the benchmark folder: the
report's structure, ratios and differences computed from the numbers of the same run, the targets
judged from the reported values, and exit 2 when the data is absent. The real numbers are the
benchmark's job, not a unit test's."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app import bench_chatbot
from tests.labs.test_chatbot_classifier import synthetic


def fake_benchmarks(folder: Path) -> Path:
    texts, labels = synthetic(10, 24, seed=11)
    rows = [[t, l] for t, l in zip(texts, labels)]
    weather = [[f"weather {w} {d}", "oos"] for w in ("rain", "snow", "sun", "wind") for d in ("today", "monday")]
    (folder / "clinc150").mkdir(parents=True)
    (folder / "clinc150" / "data_full.json").write_text(json.dumps({
        "train": rows[0::3], "val": rows[1::3], "test": rows[2::3],
        "oos_train": weather[:3], "oos_val": weather[3:5], "oos_test": weather[5:]}), encoding="utf-8")
    (folder / "banking77").mkdir()
    texts, labels = synthetic(8, 20, seed=12)
    for name, part in (("train", slice(0, None, 2)), ("test", slice(1, None, 2))):
        with open(folder / "banking77" / f"banking77_{name}.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["text", "category"])
            writer.writerows(zip(texts[part], labels[part]))
    return folder


@pytest.fixture
def benchmarks(tmp_path, monkeypatch) -> Path:
    folder = fake_benchmarks(tmp_path / "benchmarks")
    monkeypatch.setenv("CIVICAI_BENCHMARKS", str(folder))
    return folder


def test_compare_reports_ratios_of_its_own_numbers(benchmarks):
    clinc = bench_chatbot.load_clinc(benchmarks, quick=False)
    result = bench_chatbot.compare(clinc["train"], clinc["test"], reply_samples=5,
                                   lr_data=(clinc["baseline_train"], clinc["baseline_val"]))
    engine, svm, lr = result["engine"], result["plain_svm"], result["lr_threshold"]
    assert result["intents"] == 10 and result["n_train"] == 80 + 80 + 5 and result["n_test"] == 80 + 3
    assert result["train_time_ratio"] == round(engine["train_s"] / svm["train_s"], 2)
    assert result["accuracy_difference"] == round(engine["in_scope_accuracy"] - svm["in_scope_accuracy"], 4)
    assert engine["train_s"] > 0 and svm["train_s"] > 0 and lr["train_s"] > 0
    assert engine["reply_samples"] == 5 and 0 < engine["reply_ms_median"] <= engine["reply_ms_p95"]
    assert 0.0 <= engine["at_threshold"]["in_scope_accuracy"] <= engine["in_scope_accuracy"] <= 1.0
    assert engine["at_threshold"]["oos_recall"] is not None and svm["oos_recall"] is not None
    assert 0.0 <= lr["threshold"] < 1.0 and lr["oos_recall"] is not None


def test_quick_keeps_every_fifth_intent_and_the_out_of_scope_rows(benchmarks):
    clinc = bench_chatbot.load_clinc(benchmarks, quick=True)
    assert set(clinc["train"][1]) == {"intent_00", "intent_05", "oos"}
    assert set(clinc["test"][1]) == {"intent_00", "intent_05", "oos"}
    banking = bench_chatbot.load_banking(benchmarks, quick=True)
    assert set(banking["train"][1]) == {"intent_00", "intent_05"}


def test_targets_are_judged_on_the_reported_values():
    def part(accuracy, at_threshold, oos, train_s, reply):
        return {"engine": {"in_scope_accuracy": accuracy, "train_s": train_s, "reply_ms_median": reply,
                           "at_threshold": {"in_scope_accuracy": at_threshold, "oos_recall": oos}}}

    verdicts = bench_chatbot.judge(part(0.935, 0.91, 0.72, 4.9, 2.0), part(0.912, 0.88, None, 2.0, 11.0))
    assert {name: v["met"] for name, v in verdicts.items()} == {
        "clinc_in_scope_accuracy": True, "clinc_oos_recall": True, "clinc_in_scope_accuracy_at_threshold": True,
        "clinc_train_seconds": True, "reply_ms": False, "banking_accuracy": True}
    assert verdicts["reply_ms"] == {"value": 11.0, "target": "<= 10.0", "met": False}
    missed = bench_chatbot.judge(part(0.925, 0.89, 0.69, 5.1, 2.0), part(0.905, 0.88, None, 2.0, 1.0))
    assert not any(v["met"] for name, v in missed.items() if name != "reply_ms")


def test_the_whole_command_prints_one_json_report(benchmarks, capsys):
    code = bench_chatbot.run(quick=True, as_json=True)
    report = json.loads(capsys.readouterr().out)
    assert code == (0 if report["ok"] else 1)
    assert report["quick"] is True and set(report) == {"quick", "clinc150", "banking77", "targets", "ok"}
    assert "lr_threshold" in report["clinc150"] and "lr_threshold" not in report["banking77"]
    assert report["targets"]["clinc_train_seconds"]["value"] == report["clinc150"]["engine"]["train_s"]
    assert report["ok"] == all(v["met"] for v in report["targets"].values())


def test_text_report_names_every_target(benchmarks, capsys):
    bench_chatbot.run(quick=True, as_json=False)
    out = capsys.readouterr().out
    assert "CLINC150:" in out and "Banking77:" in out and "engine / baseline training time:" in out
    for name in bench_chatbot.TARGETS:
        assert name in out


def test_without_the_benchmark_data_it_says_so_and_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIVICAI_BENCHMARKS", str(tmp_path / "nothing"))
    assert bench_chatbot.run(quick=True, as_json=False) == 2
    assert "The benchmark data is not at" in capsys.readouterr().err


REAL = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"


@pytest.mark.skipif(not (REAL / "clinc150" / "data_full.json").is_file(), reason="../shared/benchmarks is absent")
def test_clinc150_accuracy_and_out_of_scope_targets_on_the_real_data():
    """About 6 s: the accuracy targets (not the times: those are the benchmark's, as ratios)."""
    clinc = bench_chatbot.load_clinc(REAL, quick=False)
    result = bench_chatbot.engine_run(clinc["train"], clinc["test"], reply_samples=20)
    assert result["in_scope_accuracy"] >= bench_chatbot.TARGETS["clinc_in_scope_accuracy"], result
    assert result["at_threshold"]["oos_recall"] >= bench_chatbot.TARGETS["clinc_oos_recall"], result
    assert (result["at_threshold"]["in_scope_accuracy"]
            >= bench_chatbot.TARGETS["clinc_in_scope_accuracy_at_threshold"]), result
