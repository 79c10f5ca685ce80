"""The lab framework's self-test: the reference passes every check, each wrong attempt fails its
task, every task has a wrong attempt; a check that crashes becomes feedback, not a traceback."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

from labs.framework import Feedback, Task, WrongAttempt, run_check, selftest
from labs.registry import lab_ids, load_lab
from tests.conftest import ROOT
from tests.labs import fake_lab


def test_selftest_passes_a_sound_lab():
    result = selftest(fake_lab.LAB)
    assert result.ok, result.as_dict()
    assert all(f.passed for f in result.reference.values())
    assert [w.name for w, f in result.wrong if not f.passed] == ["groups by month", "too few"]
    assert "month" in result.wrong[0][1].message


def test_selftest_catches_a_reference_that_fails_and_a_wrong_attempt_that_passes():
    bad_reference = dataclasses.replace(fake_lab.LAB, reference={"words": ["month"]})
    result = selftest(bad_reference)
    assert not result.ok and not result.reference["weekday"].passed
    lenient = dataclasses.replace(fake_lab.LAB, wrong_attempts=(
        WrongAttempt("not wrong at all", "weekday", {"words": ["weekday"]}),
        *fake_lab.LAB.wrong_attempts))
    assert not selftest(lenient).ok
    untested = dataclasses.replace(fake_lab.LAB, wrong_attempts=fake_lab.LAB.wrong_attempts[:1])
    result = selftest(untested)
    assert not result.ok and result.untested_tasks == ["three"]


def test_a_check_that_crashes_becomes_feedback():
    def broken(_ws):
        raise KeyError("district")

    feedback = run_check(Task("t", "T", "I", broken), object())
    assert feedback == Feedback(False, feedback.message) and "district" in feedback.message


def test_every_shipped_lab_is_registered_under_its_own_id():
    for lab_id in lab_ids():
        lab = load_lab(lab_id)
        assert lab.id == lab_id and lab.family == lab_id.split("/")[0]
        assert lab.tasks and lab.panel.startswith(f"labs.{lab.family}.")
        assert len({t.id for t in lab.tasks}) == len(lab.tasks)


def test_lab_commands_list_and_selftest_every_shipped_lab():
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "lab", "list", "--json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert [lab["id"] for lab in listed] == list(lab_ids())
    for lab_id in lab_ids():
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "lab", "selftest", lab_id],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "all checks behave" in done.stdout
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "lab", "selftest", "nope/none"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "nope/none" in done.stderr


def test_data_profile_command_reads_a_korean_file_and_refuses_a_binary_one(tmp_path):
    korean = tmp_path / "민원.csv"
    korean.write_bytes("구;건수;평균일수\n한빛구;120;3,5\n달빛구;98;4,25\n".encode("cp949"))
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "data", "profile", str(korean), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["rows"] == 2 and result["encoding"] in ("cp949", "euc-kr") and result["delimiter"] == ";"
    assert [(c["name"], c["type"], c["missing"]) for c in result["columns"]][2] == ("평균일수", "number", 0)
    binary = tmp_path / "photo.csv"
    binary.write_bytes(bytes(range(256)) * 20)
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "data", "profile", str(binary)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "photo.csv" in done.stderr and "Traceback" not in done.stderr
