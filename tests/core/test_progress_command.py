"""`python main.py [--data-dir D] progress export|import|xapi` (app/progress_cli.py, wired in app/cli.py and
app/launcher.py) and `python main.py bench progress --quick` (app/bench_progress.py): reports, exit codes,
and refusals that name the file, never a traceback."""

from __future__ import annotations

import json

import pytest

from app import bench_progress
from app.core.course.loader import load_course
from app.launcher import main
from tests.conftest import COURSE
from tests.core.test_progress_bundles import Office, cut_in_half, study


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE, "en")


@pytest.fixture
def office(tmp_path, course):
    """A learner machine's data folder with two learners' progress (closed: the commands open it)."""
    folder = tmp_path / "office"
    made = Office(folder)
    study(made.learner("Kim"), course, 2)
    study(made.learner("Lee"), course, 1)
    count = made.record.count()
    made.close()
    return folder, count


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])  # as `python main.py ...`: the launcher picks the headless command
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_nothing_new_then_all(capsys, office, tmp_path):
    folder, count = office
    code, out, err = run(capsys, "--data-dir", folder, "progress", "export", "--out", tmp_path / "a.zip",
                         "--name", "Sejong office", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["written"] and report["statements"] == count and report["learners"] == 2
    code, out, _err = run(capsys, "--data-dir", folder, "progress", "export", "--out", tmp_path / "b.zip")
    assert code == 0 and "Nothing new since the last export" in out and not (tmp_path / "b.zip").exists()
    code, out, _err = run(capsys, "--data-dir", folder, "progress", "export", "--out", tmp_path / "c.zip", "--all")
    assert code == 0 and f"{count} statements written" in out
    code, _out, err = run(capsys, "--data-dir", folder, "progress", "export", "--out", tmp_path / "d.zip",
                          "--learner", "nobody")
    assert code == 2 and "No learner with the id nobody" in err
    code, _out, err = run(capsys, "--data-dir", folder, "progress", "export", "--out",
                          tmp_path / "missing" / "e.zip", "--all")
    assert code == 1 and "could not be written" in err


def test_import_json_reports_each_file_and_totals_and_exits_1_on_a_refusal(capsys, office, tmp_path):
    folder, count = office
    run(capsys, "--data-dir", folder, "progress", "export", "--out", tmp_path / "a.zip", "--name", "Sejong office")
    trainer = tmp_path / "trainer"
    code, out, err = run(capsys, "--data-dir", trainer, "progress", "import", tmp_path / "a.zip", tmp_path / "a.zip",
                         "--json")
    assert code == 0, err
    report = json.loads(out)
    assert [(f["status"], f["added"], f["already_present"], f["rejected"]) for f in report["files"]] == [
        ("imported", count, 0, 0), ("imported", 0, count, 0)]
    assert report["totals"] == {"files": 2, "refused": 0, "added": count, "already_present": count, "rejected": 0}

    cut_in_half(tmp_path / "a.zip", tmp_path / "cut.zip")
    code, out, err = run(capsys, "--data-dir", trainer, "progress", "import", tmp_path / "cut.zip",
                         tmp_path / "a.zip", "--json")
    assert code == 1
    report = json.loads(out)
    assert [f["status"] for f in report["files"]] == ["refused", "imported"]
    assert "damaged or truncated" in report["files"][0]["reason"]
    assert f"{tmp_path / 'cut.zip'}: is damaged or truncated" in err and "nothing was imported" in err
    assert "Traceback" not in err

    code, out, err = run(capsys, "--data-dir", trainer, "progress", "import", tmp_path / "a.zip")
    assert code == 0 and f"0 added, {count} already present, 0 rejected." in out
    # The trainer's screen then names the office and the file, as after an import on the screen.
    from app.core.accounts.roles import installation_principal
    from app.core.collect.summary import collected_summary
    from app.core.storage.database import open_database

    database = open_database(trainer)
    try:
        summary = collected_summary(database, installation_principal())
    finally:
        database.dispose()
    assert {p.office for p in summary.learners} == {"Sejong office"}
    assert [f.file_name for f in summary.files] == ["a.zip"]


def test_xapi_writes_the_selection(capsys, office, tmp_path):
    folder, count = office
    code, out, err = run(capsys, "--data-dir", folder, "progress", "xapi", "--out", tmp_path / "all.json")
    assert code == 0, err
    assert len(json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))) == count
    assert f"{count} xAPI statements written" in out
    code, out, _err = run(capsys, "--data-dir", folder, "progress", "xapi", "--out", tmp_path / "none.json",
                          "--course", "no-such-course")
    assert code == 0 and json.loads((tmp_path / "none.json").read_text(encoding="utf-8")) == []
    code, out, _err = run(capsys, "--data-dir", folder, "progress", "xapi", "--out", tmp_path / "old.json",
                          "--since", "2000-01-01", "--until", "2000-12-31", "--source", "own")
    assert code == 0 and json.loads((tmp_path / "old.json").read_text(encoding="utf-8")) == []
    code, _out, err = run(capsys, "--data-dir", folder, "progress", "xapi", "--out", tmp_path / "x.json",
                          "--since", "2025-02-01", "--until", "2025-01-01")
    assert code == 2 and "is before --since" in err
    with pytest.raises(SystemExit) as usage:
        run(capsys, "--data-dir", folder, "progress", "xapi", "--out", tmp_path / "x.json", "--since", "31/01/2025")
    assert usage.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err


def test_bench_progress_quick_imports_everything_once(capsys):
    code = bench_progress.run(quick=True, as_json=True)
    report = json.loads(capsys.readouterr().out)
    assert code == (0 if report["ok"] else 1)
    assert report["quick"] and report["bundles"] == 5 and report["statements"] == 2000
    assert report["added"] == report["rows_in_table"] == 2000 and report["rejected"] == report["refused"] == 0
    assert report["reimport_added"] == 0 and report["reimport_already_present"] == 2000
    assert 5 <= report["learners_in_table"] <= 5 * bench_progress.LEARNERS_PER_BUNDLE
    assert report["ratio"] == round(report["import_s"] / report["plain_sqlite_s"], 2)
    assert report["targets"]["reimport_adds_nothing"]["met"] and report["targets"]["every_statement_imported"]["met"]
    assert report["ok"] == all(v["met"] for v in report["targets"].values())


def test_bench_targets_are_judged_on_the_reported_values():
    base = {"import_s": 4.2, "reimport_added": 0, "added": 10, "statements": 10, "rows_in_table": 10}
    assert all(v["met"] for v in bench_progress.judge(base).values())
    slow = bench_progress.judge({**base, "import_s": 5.0, "reimport_added": 1})
    assert not slow["import_seconds"]["met"] and not slow["reimport_adds_nothing"]["met"]
    assert not bench_progress.judge({**base, "rows_in_table": 9})["every_statement_imported"]["met"]
