"""`python main.py quiz import FILE --format gift|aiken --out DIR [--json]` and `python main.py quiz export
PATH [--format gift] [--out FILE]` (app/quiz_cli.py, wired in app/cli.py and app/launcher.py): the JSON
and text reports, exit codes, encodings (UTF-8 with a BOM, CP949, Windows-1252), atomic writes, and
refusals that name the file and line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import run_command
from app.core.banks.importer import import_file
from app.core.course.quiz import parse_quiz
from tests.conftest import ROOT, SHARED

GIFT = SHARED / "fixtures" / "gift"
AIKEN = SHARED / "fixtures" / "aiken"
needs_fixtures = pytest.mark.skipif(not GIFT.is_dir() or not AIKEN.is_dir(),
                                    reason="../shared/fixtures is not beside the clone")


def run(capsys, *args) -> tuple[int, str, str]:
    code = run_command(["quiz", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def quiz_in(path: Path):
    problems = []
    quiz = parse_quiz(path.read_text(encoding="utf-8"), str(path), problems, lambda s: s)
    assert problems == [], [str(p) for p in problems]
    return quiz


# ------------------------------------------------------------------------------------------- import

@needs_fixtures
def test_import_gift_json(capsys, tmp_path):
    code, out, err = run(capsys, "import", GIFT / "moodle_questions.gift.txt", "--format", "gift", "--out",
                         tmp_path / "out", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["imported"] == 8
    assert report["by_type"] == {"matching": 1, "single": 1, "multiple": 1, "numerical": 1, "short": 1,
                                 "true_false": 3}
    assert [(p["line"], "essay" in p["message"]) for p in report["problems"]] == [(2, True), (10, False)]
    written = Path(report["quiz"])
    assert written == tmp_path / "out" / "moodle-questions.quiz.yaml"
    assert len(quiz_in(written).questions) == 8
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["moodle-questions.quiz.yaml"]  # no temp file


@needs_fixtures
def test_import_aiken_reports_the_broken_cases(capsys, tmp_path):
    code, out, _err = run(capsys, "import", AIKEN / "moodle_aiken_errors.txt", "--format", "aiken", "--out", tmp_path,
                          "--json")
    assert code == 0
    report = json.loads(out)
    assert (report["imported"], report["by_type"]) == (2, {"single": 2})
    assert [p["line"] for p in report["problems"]] == [3, 5, 7, 14]
    assert all(p["file"].endswith("moodle_aiken_errors.txt") and p["message"] for p in report["problems"])


@needs_fixtures
def test_text_report(capsys, tmp_path):
    code, out, _err = run(capsys, "import", GIFT / "moodle_questions_in_category.gift.txt", "--format", "gift",
                          "--out", tmp_path)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("moodle_questions_in_category.gift.txt:10: The extra answer 'Chat', with no item to "
                             "match, was left out: a matching question here pairs every answer with an item.")
    assert lines[1].endswith(f"4 questions imported into {tmp_path / 'moodle-questions-in-category.quiz.yaml'}.")
    assert lines[2] == "  matching 1, short 1, single 1, true_false 1"
    assert lines[3].startswith("1 problem: ")


def test_nothing_imported_exits_1_and_writes_nothing(capsys, tmp_path):
    bank = tmp_path / "essays.gift"
    bank.write_text("::e1::Describe your job. {}\n\nJust a description.\n", encoding="utf-8")
    code, out, _err = run(capsys, "import", bank, "--format", "gift", "--out", tmp_path / "out", "--json")
    assert code == 1
    report = json.loads(out)
    assert (report["imported"], report["by_type"], report["quiz"]) == (0, {}, None)
    assert [p["line"] for p in report["problems"]] == [1, 3]
    assert not (tmp_path / "out").exists()


def test_a_missing_file_is_a_problem_not_a_traceback(capsys, tmp_path):
    code, out, _err = run(capsys, "import", tmp_path / "nowhere.gift", "--format", "gift", "--out", tmp_path,
                          "--json")
    assert code == 1
    assert json.loads(out)["problems"] == [{"file": str(tmp_path / "nowhere.gift"), "line": 0,
                                            "message": "There is no file here."}]
    code, _out, err = run(capsys, "import", tmp_path, "--format", "gift", "--out", tmp_path)
    assert code == 1 and "This is a folder" in _out + err


def test_an_unwritable_output_is_reported(capsys, tmp_path):
    bank = tmp_path / "b.gift"
    bank.write_text("Q? {T}\n", encoding="utf-8")
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    code, out, _err = run(capsys, "import", bank, "--format", "gift", "--out", tmp_path / "taken", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["imported"] == 0 and "could not be written" in report["problems"][-1]["message"]


def test_a_bad_format_is_bad_usage(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        run_command(["quiz", "import", str(tmp_path / "x"), "--format", "xml", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------- encodings

KOREAN = "::sejong::조선의 네 번째 왕은 누구입니까? {=세종#맞습니다. ~태조#첫 번째 왕입니다.}\n"
FRENCH = "::cafe::Où se trouve la tour Eiffel ? {=Paris#C’est ça. ~Lyon}\n\n::ete::L’été est chaud. {T}\n"


def korean(questions) -> None:
    assert questions[0]["prompt"] == "조선의 네 번째 왕은 누구입니까?"
    assert questions[0]["choices"][0] == {"text": "세종", "correct": True, "feedback": "맞습니다."}


def french(questions) -> None:
    assert questions[0]["prompt"] == "Où se trouve la tour Eiffel ?"
    assert questions[0]["choices"][0]["feedback"] == "C’est ça."
    assert questions[1]["prompt"] == "L’été est chaud."


@pytest.mark.parametrize("data, encoding, check", [
    (KOREAN.encode("cp949"), "cp949", korean),
    (FRENCH.encode("cp1252"), "cp1252", french),
    (b"\xef\xbb\xbf" + KOREAN.encode("utf-8"), "utf-8", korean),
    (FRENCH.encode("utf-8"), "utf-8", french),
], ids=["cp949", "windows-1252", "utf-8-bom", "utf-8"])
def test_files_in_usual_encodings_are_read(tmp_path, data, encoding, check):
    bank = tmp_path / "bank.gift"
    bank.write_bytes(data)
    result = import_file(bank, "gift")
    assert result.encoding == encoding and result.problems == ()
    check(result.questions)


def test_aiken_in_cp949(capsys, tmp_path):
    bank = tmp_path / "korean.txt"
    bank.write_bytes("다음 중 수도는?\nA) 서울\nB) 부산\nANSWER: A\n".encode("cp949"))
    code, out, _err = run(capsys, "import", bank, "--format", "aiken", "--out", tmp_path / "out", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["encoding"] == "cp949"
    assert quiz_in(Path(report["quiz"])).questions[0].prompt == "다음 중 수도는?"


# ------------------------------------------------------------------------------------------- export

@needs_fixtures
def test_export_to_standard_output_and_to_a_file(capsys, tmp_path):
    run(capsys, "import", GIFT / "moodle_examples.gift.txt", "--format", "gift", "--out", tmp_path / "quiz")
    code, out, err = run(capsys, "export", tmp_path / "quiz", "--format", "gift")  # the folder holding one quiz
    assert code == 0, err
    assert out.startswith("::who-s-buried-in-grant-s-tomb::Who's buried in Grant's tomb?{\n\t~Grant\n")
    code, out2, err = run(capsys, "export", tmp_path / "quiz" / "moodle-examples.quiz.yaml", "--out",
                          tmp_path / "back.gift")
    assert code == 0 and out2 == "" and "43 questions written to" in err
    assert (tmp_path / "back.gift").read_text(encoding="utf-8") == out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.gift", "quiz"]  # no temporary file left
    again = import_file(tmp_path / "back.gift", "gift")
    assert len(again.questions) == 43 and again.problems == ()


def test_export_refuses_an_invalid_quiz_with_its_line(capsys, tmp_path):
    (tmp_path / "bad.quiz.yaml").write_text("questions:\n  - id: a\n    type: essay\n    prompt: Why?\n",
                                            encoding="utf-8")
    code, out, err = run(capsys, "export", tmp_path / "bad.quiz.yaml")
    assert code == 1 and out == ""
    assert f"{tmp_path / 'bad.quiz.yaml'}:3: Unknown question type 'essay'." in err
    assert "Traceback" not in err


def test_export_of_a_folder_needs_exactly_one_quiz(capsys, tmp_path):
    code, _out, err = run(capsys, "export", tmp_path)
    assert code == 1 and "holds no quiz file" in err
    for name in ("a", "b"):
        (tmp_path / f"{name}.quiz.yaml").write_text("questions:\n  - {id: q, type: true_false, prompt: Sure, "
                                                    "answer: true}\n", encoding="utf-8")
    code, _out, err = run(capsys, "export", tmp_path)
    assert code == 1 and "holds 2 quiz files (a.quiz.yaml, b.quiz.yaml)" in err


def test_export_finds_the_quiz_of_a_course_folder(capsys, tmp_path):
    quizzes = tmp_path / "course" / "quizzes"
    quizzes.mkdir(parents=True)
    (quizzes / "one.quiz.yaml").write_text("questions:\n  - {id: q, type: true_false, prompt: Sure, answer: true, "
                                           "pool: Unit 1}\n", encoding="utf-8")
    code, out, _err = run(capsys, "export", tmp_path / "course")
    assert code == 0 and out == "$CATEGORY: $course$/top/Unit 1\n\n::q::Sure{\n\tTRUE\n}\n"


@needs_fixtures
def test_main_py_runs_the_commands(tmp_path):
    """Through main.py and the launcher, as a trainer types it."""
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "quiz", "import", str(GIFT / "pegjs_numerical1.gift"),
                           "--format", "gift", "--out", str(tmp_path), "--json"],
                          capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["by_type"] == {"numerical": 10}
