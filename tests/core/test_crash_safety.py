"""Killing the process at any moment loses no statement it reported saved, and the file still opens."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.paths import database_path
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]

WRITER = r"""
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from app.core.course.loader import load_course
from app.core.learning import Learning
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database
record = LearningRecord(open_database(Path({data!r})))
learners = record.learners()
learner = learners[0] if learners else record.add_learner("Crash test", "en")
learning = Learning(record, learner)
course = load_course(Path({course!r}))
lessons = [i for i in course.items if i.kind == "lesson"]
print("ready", flush=True)
n = 0
while True:
    item = lessons[n % len(lessons)]
    learning.suspend(course, item, (n % 100) / 100)   # returns after the commit
    statement = record.statements(learner.id, course.id)[-1]
    print("saved", statement.id, flush=True)            # what the UI would report as saved
    n += 1
"""


@pytest.mark.parametrize("round_", range(4))
def test_kill_at_random_moments_loses_nothing_reported_saved(data_dir, round_):
    script = WRITER.format(root=str(ROOT), data=str(data_dir), course=str(ROOT / "courses" / "ai-foundations"))
    reported: list[str] = []
    for _kill in range(3):  # several kills into the same database
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + random.uniform(0.05, 0.6)
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line.startswith("saved "):
                reported.append(line.split()[1])
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()
        reported.extend(l.split()[1] for l in rest.splitlines() if l.startswith("saved "))
    assert reported, "the writer never reported a save"
    conn = sqlite3.connect(database_path(data_dir))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT id FROM statements")}
    finally:
        conn.close()
    missing = [s for s in reported if s not in stored]
    assert not missing, f"{len(missing)} statements reported saved were lost"
    database = open_database(data_dir)  # and the app opens it normally
    try:
        assert LearningRecord(database).count() == len(stored)
    finally:
        database.dispose()
