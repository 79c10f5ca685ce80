"""`python main.py course export DIR --out FILE.zip` and `python main.py course import FILE.zip [--yes] [--json]`
(app/course_share_cli.py, wired in app/cli.py): the plan is shown and nothing written without --yes; with it
the course lands in the data folder; a refused package exits 1 with file:line: message, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from app.cli import run_command
from app.core.course.loader import load_course
from tests.conftest import ROOT
from tests.core.test_course_sharing import course_files, make_zip, tree, write_folder


def run(capsys, *args) -> tuple[int, str, str]:
    code = run_command([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def exported(capsys, tmp_path: Path, **manifest) -> Path:
    folder = write_folder(tmp_path / f"src-{manifest.get('version', '1.0.0')}", course_files(**manifest))
    out = tmp_path / f"mini-{manifest.get('version', '1.0.0')}.zip"
    code, text, err = run(capsys, "course", "export", folder, "--out", out)
    assert code == 0, err
    files = len(course_files(**manifest))
    assert text.startswith(f"{out}: mini {manifest.get('version', '1.0.0')} exported, {files} files, ")
    return out


def test_import_shows_the_plan_and_writes_nothing_without_yes(capsys, tmp_path, data_dir):
    package = exported(capsys, tmp_path)
    code, out, err = run(capsys, "--data-dir", data_dir, "course", "import", package)
    assert code == 0, err
    assert "Course: Mini course (mini), version 1.0.0" in out
    assert "Languages: en, ko" in out
    assert "Contains: 1 lesson, 1 quiz (2 questions), 2 images, 1 lab; 6 files," in out
    assert f"New on this PC: it will be installed in {data_dir / 'courses' / 'mini'}." in out
    assert "Nothing was written" in out and "--yes" in out
    assert tree(data_dir) == {}


def test_import_with_yes_installs_then_shows_what_an_upgrade_changes(capsys, tmp_path, data_dir):
    code, out, err = run(capsys, "--data-dir", data_dir, "course", "import", exported(capsys, tmp_path), "--yes")
    assert code == 0, err
    assert f"Installed in {data_dir / 'courses' / 'mini'}." in out
    assert load_course(data_dir / "courses" / "mini", "ko").items[0].title == "수업 A"

    newer = exported(capsys, tmp_path, version="1.1.0", **{"lessons/b.md": "# B\n"})
    code, out, err = run(capsys, "--data-dir", data_dir, "course", "import", newer, "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["valid"] is True and plan["applied"] is False
    assert plan["installed"] == {"location": str(data_dir / "courses" / "mini"), "version": "1.0.0",
                                 "title": "Mini course", "package_is": "newer"}
    assert (plan["added"], plan["changed"], plan["removed"]) == (["lessons/b.md"], ["course.yaml"], [])
    assert {k: plan[k] for k in ("id", "version", "lessons", "quizzes", "questions", "images", "labs", "files")} == {
        "id": "mini", "version": "1.1.0", "lessons": 1, "quizzes": 1, "questions": 2, "images": 2, "labs": 1,
        "files": 7}
    assert plan["total_bytes"] > 0 and plan["languages"] == ["en", "ko"] and plan["warnings"] == []
    assert load_course(data_dir / "courses" / "mini").version == "1.0.0"

    code, out, err = run(capsys, "--data-dir", data_dir, "course", "import", newer, "--yes")
    assert code == 0, err
    assert "Replaces version 1.0.0" in out and "the package is newer" in out
    assert "Files: 1 added, 1 changed, 0 removed." in out and "  + lessons/b.md" in out
    assert load_course(data_dir / "courses" / "mini").version == "1.1.0"


def test_an_older_package_is_shown_with_a_warning(capsys, tmp_path, data_dir):
    run(capsys, "--data-dir", data_dir, "course", "import", exported(capsys, tmp_path, version="2.0.0"), "--yes")
    code, out, err = run(capsys, "--data-dir", data_dir, "course", "import", exported(capsys, tmp_path))
    assert code == 0, err
    assert "Warning: This package holds version 1.0.0, older than the installed version 2.0.0" in out
    assert load_course(data_dir / "courses" / "mini").version == "2.0.0"


def test_a_refused_package_lists_its_problems(capsys, tmp_path, data_dir):
    files = course_files()
    files["course.yaml"] = files["course.yaml"].replace("version: 1.0.0", "version: one")
    package = make_zip(tmp_path / "bad.zip", {**files, "../evil.txt": "x"})
    code, out, err = run(capsys, "--data-dir", data_dir, "course", "import", package, "--yes")
    assert code == 1 and out == ""
    assert "bad.zip: The entry '../evil.txt' points outside the package" in err
    assert f"{package}: refused, 1 problem(s)." in err
    assert tree(data_dir) == {}

    package = make_zip(tmp_path / "bad2.zip", files)
    code, out, err = run(capsys, "--data-dir", data_dir, "course", "import", package, "--json")
    assert code == 1, err
    report = json.loads(out)
    assert report["valid"] is False and report["applied"] is False
    assert any(p["file"] == "course.yaml" and p["line"] == 3 and "1.0.0" in p["message"] for p in report["problems"])


def test_export_refuses_a_broken_course(capsys, tmp_path):
    folder = write_folder(tmp_path / "mini", course_files(**{"images/p.svg": None}))
    code, out, _err = run(capsys, "course", "export", folder, "--out", tmp_path / "mini.zip", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["valid"] is False
    assert [(p["file"], p["line"]) for p in report["problems"]] == [("lessons/a.md", 5)]
    assert not (tmp_path / "mini.zip").exists()


def test_bad_usage(capsys, tmp_path, data_dir):
    code, _out, err = run(capsys, "--data-dir", data_dir, "course", "import", tmp_path / "missing.zip")
    assert code == 2 and "there is no file or folder here" in err
    try:
        run_command(["course", "export", str(tmp_path)])  # --out is required
    except SystemExit as exit_:
        assert exit_.code == 2
    else:
        raise AssertionError("export without --out must be refused as bad usage")


def test_from_the_command_line_a_learner_pc_installs_and_loads_the_course(tmp_path):
    """The real entry point: lazy imports (no Qt for a headless command), JSON on stdout, exit codes."""
    folder = write_folder(tmp_path / "mini", course_files())
    package = tmp_path / "mini.zip"
    code = ("import sys, runpy; sys.argv = ['main.py'] + sys.argv[1:]\n"
            "try:\n    runpy.run_path('main.py', run_name='__main__')\n"
            "finally:\n    print('QT' if 'PySide6' in sys.modules else 'NO-QT', file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, "course", "export", str(folder), "--out", str(package)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "NO-QT"
    with zipfile.ZipFile(package) as zf:
        assert zf.namelist()[0] == "mini/course.yaml"
    learner = tmp_path / "learner-pc"
    done = subprocess.run([sys.executable, "-c", code, "--data-dir", str(learner), "course", "import", str(package),
                           "--yes", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "NO-QT"
    assert json.loads(done.stdout)["applied"] is True
    assert load_course(learner / "courses" / "mini").id == "mini"
