"""`python main.py report ...` and `python main.py cohort ...` (app/report_cli.py, wired in app/cli.py and
app/launcher.py), headless with the global --data-dir before the command: a staff list refused with every
bad row (exit 1, nothing imported), then enrolled; a course assigned; the report written as CSV and XLSX
with the numbers the core computes; assignments carried to a learner's machine; clear refusals."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.cli import run_command
from app.core.accounts.roles import installation_principal
from app.core.cohorts.assignment_file import assignments_for, set_staff_number
from app.core.cohorts.store import Cohorts
from app.core.course.loader import load_course
from app.core.learning import Learning
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database
from app.launcher import main
from tests.answers import right_answer
from tests.conftest import COURSE

STAFF = "Name,Staff number,Department,Language\nKim Min-ji,1001,Digital,ko\nLee Seo-yeon,1002,Welfare,English\n" \
        "Park Ji-ho,1003,Finance,vi\n"


def cli(data_dir, *args) -> int:
    return run_command(["--data-dir", str(data_dir), *args])


@pytest.fixture
def trainer_pc(data_dir, tmp_path):
    """A trainer's PC where two learners also study (their records are this installation's own)."""
    course = load_course(COURSE, "en")
    database = open_database(data_dir)
    try:
        record = LearningRecord(database)
        kim = Learning(record, record.add_learner("Kim Min-ji", "ko"))
        set_staff_number(record, kim.learner.id, "1001")
        for item in course.items:
            if item.kind == "lesson":
                kim.complete_lesson(course, item)
            else:
                registration = kim.start_attempt(course, item)
                for question in course.quizzes[item.id].questions:
                    kim.answer(course, item, registration, question, right_answer(question))
                kim.finish_attempt(course, item, registration)
        lee = Learning(record, record.add_learner("Lee Seo-yeon", "en"))
        lee.open_lesson(course, course.items[0])
    finally:
        database.dispose()
    return data_dir


def test_a_staff_list_with_bad_rows_is_refused_whole_with_each_row(trainer_pc, tmp_path, capsys):
    staff = tmp_path / "staff.csv"
    staff.write_text("Name,Staff number,Language\nKim,1001,ko\n,1002,en\nLee,1001,Klingon\n", encoding="utf-8")
    assert cli(trainer_pc, "cohort", "import-staff", str(staff), "--cohort", "Seoul 2026") == 1
    err = capsys.readouterr().err
    assert f"{staff}:3: Name: The name is missing." in err
    assert f"{staff}:4: Staff number: The staff number 1001 is also on row 2." in err
    assert f"{staff}:4: Language: Unknown language 'Klingon'" in err
    assert "refused, 3 problems; nothing was imported." in err and "Traceback" not in err
    assert cli(trainer_pc, "cohort", "import-staff", str(staff), "--cohort", "Seoul 2026", "--json") == 1
    result = json.loads(capsys.readouterr().out)
    assert result["imported"] == 0 and [(p["row"], p["field"]) for p in result["problems"]] == [
        (3, "name"), (4, "language"), (4, "staff_number")]
    assert cli(trainer_pc, "cohort", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"cohorts": []}  # a refused list leaves no cohort behind


def test_the_headless_trainer_flow_staff_list_assignment_report(trainer_pc, tmp_path, capsys):
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="cp949")  # ASCII: reads as UTF-8 too
    assert cli(trainer_pc, "cohort", "import-staff", str(staff), "--cohort", "Seoul 2026", "--group", "HQ",
               "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["imported"], result["cohort_created"], result["groups_created"]) == (3, True, ["HQ"])
    assert cli(trainer_pc, "cohort", "assign", "ai-foundations", "--cohort", "seoul 2026", "--due", "2026-03-01") == 0
    assert "ai-foundations assigned to everyone in 'Seoul 2026', due 2026-03-01." in capsys.readouterr().out
    csv_file, xlsx_file = tmp_path / "report.csv", tmp_path / "report.xlsx"
    assert cli(trainer_pc, "report", "ai-foundations", "--format", "csv", "--out", str(csv_file), "--cohort",
               "Seoul 2026", "--today", "2026-04-01", "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    [course] = summary["courses"]
    assert (course["enrolled"], course["started"], course["completed"], course["overdue"]) == (3, 2, 1, 2)
    assert summary["unmatched"] == 1  # Park never studied on this PC
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["--data-dir", str(trainer_pc), "report", "ai-foundations", "--format", "xlsx", "--out",
                 str(xlsx_file), "--cohort", "Seoul 2026"]) == 0  # through the launcher, as main.py runs it
    out = capsys.readouterr().out
    assert "ai-foundations: 1 of 3 completed, 2 started" in out and f"Report written to {xlsx_file}." in out
    from openpyxl import load_workbook

    assert "Learners" in load_workbook(xlsx_file).sheetnames
    assert cli(trainer_pc, "cohort", "list", "--json") == 0
    [listed] = json.loads(capsys.readouterr().out)["cohorts"]
    assert listed == {"name": "Seoul 2026", "archived": False, "members": 3, "groups": ["HQ"],
                      "assignments": [{"course_id": "ai-foundations", "due": "2026-03-01", "group": None}]}


def test_assignments_travel_to_a_learner_machine(trainer_pc, tmp_path, capsys):
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8-sig")
    assert cli(trainer_pc, "cohort", "import-staff", str(staff), "--cohort", "Seoul 2026") == 0
    assert cli(trainer_pc, "cohort", "assign", "ai-foundations", "--cohort", "Seoul 2026", "--due", "2026-03-01") == 0
    carried = tmp_path / "seoul.json"
    assert cli(trainer_pc, "cohort", "export-assignments", "--cohort", "Seoul 2026", "--out", str(carried)) == 0
    assert "3 members' assignments written" in capsys.readouterr().out
    learner_pc = tmp_path / "learner-pc"
    assert cli(learner_pc, "cohort", "import-assignments", str(carried)) == 0
    assert "Assignments of 'Seoul 2026' stored for 3 members." in capsys.readouterr().out
    database = open_database(learner_pc)
    try:
        record = LearningRecord(database)
        park = record.add_learner("Park Ji-ho", "vi")
        set_staff_number(record, park.id, "1003")
        [mine] = assignments_for(record, park.id, today=dt.date(2026, 3, 2))
        assert (mine.course_id, mine.due, mine.overdue) == ("ai-foundations", dt.date(2026, 3, 1), True)
    finally:
        database.dispose()
    carried.write_text(carried.read_text(encoding="utf-8").replace("2026-03-01", "2026-09-01"), encoding="utf-8")
    assert cli(learner_pc, "cohort", "import-assignments", str(carried)) == 1
    assert "checksum does not match" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["report", "no-such-course", "--format", "csv", "--out", "{tmp}/r.csv"], "There is no course 'no-such-course'"),
    (["report", "ai-foundations", "--format", "csv", "--out", "{tmp}/r.csv", "--cohort", "Nobody"],
     "There is no cohort called 'Nobody'"),
    (["report", "ai-foundations", "--format", "csv", "--out", "{tmp}/no/such/folder/r.csv"],
     "the file could not be written"),
    (["cohort", "assign", "ai-foundations", "--cohort", "Nobody"], "There is no cohort called 'Nobody'"),
])
def test_refusals_say_what_is_wrong_and_exit_1(trainer_pc, tmp_path, capsys, args, message):
    assert cli(trainer_pc, *[a.replace("{tmp}", str(tmp_path)) for a in args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_usage_exits_2(trainer_pc, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli(trainer_pc, "report", "ai-foundations", "--format", "pdf", "--out", "x")
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as exit_:
        cli(trainer_pc, "cohort", "assign", "ai-foundations", "--cohort", "C", "--due", "31/12/2026")
    assert exit_.value.code == 2
    assert "a date as YYYY-MM-DD" in capsys.readouterr().err


def test_a_group_must_exist_to_be_assigned_a_course(trainer_pc, capsys):
    database = open_database(trainer_pc)
    try:
        Cohorts(database).create_cohort(installation_principal(), "C")
    finally:
        database.dispose()
    assert cli(trainer_pc, "cohort", "assign", "ai-foundations", "--cohort", "C", "--group", "Nowhere") == 1
    assert "has no group called 'Nowhere'" in capsys.readouterr().err
