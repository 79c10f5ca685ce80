"""`python main.py chatbot evaluate --train FILE --test FILE [--threshold T] [--json]` (labs/chatbot/cli.py,
wired in app/cli.py): the file formats it accepts, its JSON and text reports, and how it refuses a bad
file (exit 1, the file, the line and what is wrong; never a traceback)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import run_command
from tests.conftest import ROOT
from tests.labs.test_chatbot_classifier import ENGLISH, KOREAN

HELD_BACK = 2  # the last examples of each intent form the test file


def write_csv(path: Path, rows: list[tuple[str, str]], header=("text", "intent"), delimiter=",",
              encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def split(bot: dict[str, list[str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    train = [(text, intent) for intent, texts in bot.items() for text in texts[:-HELD_BACK]]
    test = [(text, intent) for intent, texts in bot.items() for text in texts[-HELD_BACK:]]
    return train, test


@pytest.fixture
def english_files(tmp_path: Path) -> tuple[Path, Path]:
    train, test = split(ENGLISH)
    return write_csv(tmp_path / "train.csv", train), write_csv(tmp_path / "test.csv", test)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = run_command(["chatbot", "evaluate", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_on_csv_files(capsys, english_files):
    train, test = english_files
    code, out, err = run(capsys, "--train", train, "--test", test, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["n_train"] == sum(len(t) - HELD_BACK for t in ENGLISH.values())
    assert report["n_test"] == HELD_BACK * len(ENGLISH)
    assert report["intents"] == len(ENGLISH) - 1  # oos is not an intent
    assert report["threshold"] == report["suggested_threshold"]
    for key in ("in_scope_accuracy", "macro_f1", "oos_recall", "unsure_share", "in_scope_accuracy_answering_all"):
        assert 0.0 <= report[key] <= 1.0, key
    assert report["in_scope_accuracy"] <= report["in_scope_accuracy_answering_all"]
    assert report["train_seconds"] > 0 and report["reply_ms_median"] > 0
    assert set(report["per_intent"]) == set(ENGLISH) - {"oos"}
    assert report["n_out_of_scope"] == HELD_BACK and report["unknown_test_intents"] == []


def test_a_threshold_given_is_the_one_used(capsys, english_files):
    train, test = english_files
    code, out, _err = run(capsys, "--train", train, "--test", test, "--threshold", "0.99", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["threshold"] == 0.99 and report["oos_recall"] == 1.0
    assert report["unsure_share"] > 0.5


def test_text_report(capsys, english_files):
    train, test = english_files
    code, out, _err = run(capsys, "--train", train, "--test", test)
    assert code == 0
    assert out.startswith(f"Trained on {len(split(ENGLISH)[0])} examples of 6 intents in ")
    assert "In-scope accuracy: " in out and "Out-of-scope recall: " in out and "Weakest intents (F1): " in out


def test_banking77_style_category_column_tabs_and_korean_cp949(capsys, tmp_path):
    train, test = split(KOREAN)
    train_file = write_csv(tmp_path / "train.tsv", [(intent, text) for text, intent in train],
                           header=("category", "text"), delimiter="\t", encoding="cp949")
    test_file = write_csv(tmp_path / "test.csv", test, header=("text", "category"))
    code, out, err = run(capsys, "--train", train_file, "--test", test_file, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["n_train"] == len(train) and report["intents"] == 4
    assert report["oos_recall"] is None  # no oos rows in this test file


def test_clinc_style_json_lists_and_named_lists(capsys, tmp_path):
    train, test = split(ENGLISH)
    listed = tmp_path / "train.json"
    listed.write_text(json.dumps([list(pair) for pair in train]), encoding="utf-8")
    named = tmp_path / "data_full.json"
    named.write_text(json.dumps({"test": [list(p) for p in test if p[1] != "oos"],
                                 "oos_test": [list(p) for p in test if p[1] == "oos"]}), encoding="utf-8")
    code, out, err = run(capsys, "--train", listed, "--test", f"{named}#test,oos_test", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["n_test"] == len(test) and report["n_out_of_scope"] == HELD_BACK

    code, _out, err = run(capsys, "--train", listed, "--test", named)
    assert code == 1
    assert "data_full.json holds several lists (test, oos_test)" in err and "data_full.json#test" in err


def test_a_bot_file_trains_like_the_lab(capsys, english_files):
    from labs.chatbot.engine.starters import BOTS_DIR

    bot_file = sorted(BOTS_DIR.glob("*-en.bot.json"))[0]
    _train, test = english_files
    code, out, err = run(capsys, "--train", bot_file, "--test", test, "--json")
    assert code == 0, err
    assert json.loads(out)["intents"] > 5


@pytest.mark.parametrize("content, expected", [
    ("question,intent\nhow do I pay,tax\n", "train.csv, line 1: the header has no 'text' column"),
    ("text,intent\npay tax,tax\nrenew passport,passport\n  ,tax\n", "train.csv, line 4: the text is empty."),
    ("text,intent\npay tax,tax\nrenew passport,\n", "train.csv, line 3: the intent is empty."),
    ("text,intent\npay tax,tax\nrenew passport\n", "train.csv, line 3 has 1 fields; the header has 2."),
    ("text,intent\npay tax,tax\nmore tax,tax\n", "train.csv: A classifier needs examples of at least 2 intents"),
    ("text,intent\n", "train.csv has no examples"),
])
def test_bad_csv_files_are_refused_with_file_line_and_reason(capsys, tmp_path, english_files, content, expected):
    bad = tmp_path / "train.csv"
    bad.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "--train", bad, "--test", english_files[1], "--json")
    assert code == 1 and out == ""
    assert expected in err
    assert "Traceback" not in err


def test_many_bad_rows_are_listed_with_a_count(capsys, tmp_path, english_files):
    bad = write_csv(tmp_path / "train.csv", [("", "tax")] * 15 + [("pay", "tax"), ("renew", "passport")])
    code, _out, err = run(capsys, "--train", bad, "--test", english_files[1])
    assert code == 1
    assert "train.csv, line 2: the text is empty." in err and "train.csv, line 11:" in err
    assert "train.csv: and 5 more rows like these." in err


@pytest.mark.parametrize("name, content, expected", [
    ("broken.json", '[["pay tax", "tax"],\n ["renew", "passport"\n', "broken.json is not valid JSON: line 3, column 1"),
    ("odd.json", '[["pay tax", "tax"], ["renew", "passport"], "weather"]',
     "odd.json, [2]: each example must be a pair"),
    ("empty_text.json", '[["pay tax", "tax"], ["", "passport"]]', "empty_text.json, [1]: the text is empty"),
])
def test_bad_json_files_are_refused_with_where(capsys, tmp_path, english_files, name, content, expected):
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    code, _out, err = run(capsys, "--train", bad, "--test", english_files[1])
    assert code == 1 and expected in err


def test_missing_binary_and_undecodable_files(capsys, tmp_path, english_files):
    code, _out, err = run(capsys, "--train", tmp_path / "nowhere.csv", "--test", english_files[1])
    assert code == 1 and "There is no file at" in err and "nowhere.csv" in err
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    code, _out, err = run(capsys, "--train", english_files[0], "--test", binary)
    assert code == 1 and "photo.csv is not a text table" in err


def test_a_threshold_outside_0_to_1_is_a_usage_error(english_files):
    with pytest.raises(SystemExit) as exit_:
        run_command(["chatbot", "evaluate", "--train", str(english_files[0]), "--test", str(english_files[1]),
                     "--threshold", "1.5"])
    assert exit_.value.code == 2


def test_the_command_runs_from_main_py(english_files):
    train, test = english_files
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "chatbot", "evaluate", "--train", str(train),
                           "--test", str(test), "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert {"in_scope_accuracy", "macro_f1", "oos_recall", "train_seconds", "threshold"} <= set(report)
    shown = subprocess.run([sys.executable, str(ROOT / "main.py"), "chatbot", "evaluate", "--help"],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and "'category'" in shown.stdout and "data_full.json#train" in shown.stdout
