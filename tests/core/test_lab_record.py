"""Labs in the learning record: opening, checking and completing are statements; the work itself
autosaves as one snapshot that resumes exactly and survives an upgrade from the first schema."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from app.core.course.loader import load_course
from app.core.learning import Learning
from app.core.problems import InvalidInput
from app.core.record.labwork import LabWorkStore
from app.core.record.statements import Verb
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database
from tests.conftest import ROOT

MANIFEST = """\
format: 1
id: lab-course
version: 1.0.0
title: A course with a lab
summary: One lesson, then a lab.
source_language: en
licence: CC-BY-4.0
authors:
  - name: Test
estimated_minutes: 20
modules:
  - id: only
    title: Only module
    items:
      - lesson: lessons/intro.md
        id: intro
        title: Intro
      - lab: {lab}
        id: the-lab
        title: The lab
"""


def make_course(folder, lab="data_analysis/open-data"):
    (folder / "lessons").mkdir(parents=True)
    (folder / "lessons" / "intro.md").write_text("# Intro\n\nText.\n", encoding="utf-8")
    (folder / "course.yaml").write_text(MANIFEST.format(lab=lab), encoding="utf-8")
    return folder


@pytest.fixture
def record(data_dir):
    database = open_database(data_dir)
    yield LearningRecord(database)
    database.dispose()


def test_lab_statements_drive_progress_and_completion(record, tmp_path):
    course = load_course(make_course(tmp_path / "c"), "en")
    learning = Learning(record, record.add_learner("Nguyen Van An", "vi"))
    lesson, lab = course.items
    learning.complete_lesson(course, lesson)
    learning.open_lab(course, lab)
    assert learning.progress(course).resume.item_id == lab.id
    learning.check_lab_task(course, lab, "group", "Group", False, "Your table groups by category.")
    learning.check_lab_task(course, lab, "group", "Group", True, "Right.")
    learning.check_lab_task(course, lab, "chart", "Chart", False, "Your chart groups by month.")
    progress = learning.progress(course)
    assert progress.lab_tasks == {lab.id: frozenset({"group"})}
    assert not progress.item_done(lab) and not progress.completed
    progress = learning.complete_lab(course, lab)
    assert progress.item_done(lab) and progress.completed
    statements = record.statements(learning.learner.id, course.id)
    verbs = [s.verb for s in statements]
    assert verbs.count(Verb.INITIALIZED) == 1 and verbs.count(Verb.FAILED) == 2
    failed = [s for s in statements if s.verb == Verb.FAILED]
    assert failed[0].object_id.endswith(":item:the-lab:task:group")
    assert failed[0].result == {"success": False, "response": "Your table groups by category."}
    assert statements[-1].verb == Verb.COMPLETED and statements[-1].item_id is None  # the course
    learning.complete_lab(course, lab)  # a second completion adds nothing
    assert len(record.statements(learning.learner.id, course.id)) == len(statements)


def test_lab_work_saves_replaces_and_resumes(record):
    learner = record.add_learner("Amina", "ar")
    store = LabWorkStore(record.database)
    assert store.load(learner.id, "c", "lab") is None
    first = {"dataset": "citizen-complaints", "steps": [{"op": "drop_duplicates"}], "note": "مرحبا"}
    assert store.save(learner.id, "c", "lab", "data_analysis/open-data", first) == 1
    second = {**first, "steps": [*first["steps"], {"op": "sort", "by": "district"}]}
    assert store.save(learner.id, "c", "lab", "data_analysis/open-data", second) == 2
    saved = store.load(learner.id, "c", "lab")
    assert saved.snapshot == second and saved.revision == 2 and saved.lab_id == "data_analysis/open-data"
    assert store.load(learner.id, "c", "other") is None
    store.clear(learner.id, "c", "lab")
    assert store.load(learner.id, "c", "lab") is None


def test_a_snapshot_that_is_not_json_is_refused_and_the_old_one_kept(record):
    learner = record.add_learner("Ivan", "ru")
    store = LabWorkStore(record.database)
    store.save(learner.id, "c", "lab", "x/y", {"a": 1})
    with pytest.raises(ValueError):
        store.save(learner.id, "c", "lab", "x/y", {"a": float("nan")})
    assert store.load(learner.id, "c", "lab").snapshot == {"a": 1}


def test_a_crash_during_autosave_keeps_the_previous_snapshot(data_dir):
    """A process killed in the middle of a save leaves the last complete snapshot, never half of one."""
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from app.core.storage.database import open_database
        from app.core.record.store import LearningRecord
        from app.core.record.labwork import LabWorkStore
        from app.core.storage import schema
        from sqlalchemy import event
        db = open_database(Path({str(data_dir)!r}))
        record = LearningRecord(db)
        learner = record.add_learner("A", "en")
        store = LabWorkStore(db)
        store.save(learner.id, "c", "lab", "x/y", {{"steps": [1]}})
        @event.listens_for(db.engine, "after_cursor_execute")
        def die(conn, cursor, statement, *args):
            if statement.startswith("UPDATE lab_work"):
                os._exit(9)  # killed after the write, before the commit
        store.save(learner.id, "c", "lab", "x/y", {{"steps": [1, 2]}})
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr
    database = open_database(data_dir)
    try:
        learner = LearningRecord(database).learners()[0]
        assert LabWorkStore(database).load(learner.id, "c", "lab").snapshot == {"steps": [1]}
    finally:
        database.dispose()


def test_a_first_schema_record_upgrades_and_keeps_its_statements(data_dir, tmp_path):
    """A learner's record written before labs existed (schema 0001) opens, gains lab_work, loses nothing."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from app.core.paths import database_path
    from app.core.storage.database import HEAD_REVISION, MIGRATIONS

    path = database_path(data_dir)
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()
    course = load_course(make_course(tmp_path / "c"), "en")
    # Write statements through the 0001 tables only, as the previous release would have.
    database = open_database(data_dir)
    record = LearningRecord(database)
    learner = record.add_learner("Old", "en")
    Learning(record, learner).complete_lesson(course, course.items[0])
    database.dispose()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # back to the first schema, keeping the statement
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {
            "alembic_version", "meta", "learners", "statements"}
    database = open_database(data_dir)
    try:
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
            assert conn.execute("SELECT count(*) FROM statements").fetchone()[0] == 1
        assert LearningRecord(database).statements(learner.id)[0].verb == Verb.COMPLETED
        assert LabWorkStore(database).save(learner.id, "c", "lab", "x/y", {}) == 1
    finally:
        database.dispose()


def test_course_check_refuses_a_lab_this_build_does_not_ship(tmp_path):
    folder = make_course(tmp_path / "c", lab="data_analysis/no-such-lab")
    load_course(folder)  # without the list of labs the core cannot judge, and does not
    with pytest.raises(InvalidInput) as raised:
        load_course(folder, known_labs={"data_analysis/open-data"})
    problem = raised.value.problems[0]
    assert problem.file == "course.yaml" and problem.line == 18  # the "- lab:" line
    assert "no-such-lab" in problem.message and "data_analysis/open-data" in problem.message
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "course", "check", str(folder), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "no-such-lab" in json.loads(done.stdout)["problems"][0]["message"]
    shutil.rmtree(folder)
