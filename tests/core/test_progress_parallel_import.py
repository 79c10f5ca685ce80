"""Importing many bundles checks the files after the first in a second process (importing._Checker): the
results and the tables must be exactly those of the plain loop, in the learner's language, whatever happens to
that process (it cannot start, it dies), and a cancel still keeps whole files only."""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest
from sqlalchemy import text

from app.core.collect import importing
from app.core.collect.export import export_bundle
from app.core.collect.importing import _Checker, import_bundles
from app.core.i18n import set_locale
from app.core.tasks import Cancelled, TaskState
from tests.core.test_progress_bundles import (TRAINER_PRINCIPAL, collected_rows, course, offices,  # noqa: F401
                                              rezip, study, bundle_parts)


@pytest.fixture
def bundles(offices, course, tmp_path):  # noqa: F811
    """Five files: three offices' bundles, one with a line that is not JSON, one altered (refused)."""
    paths = []
    for n in range(3):
        office = offices(f"office-{n}")
        study(office.learner(f"Learner {n}"), course, 2 + n)
        paths.append(export_bundle(office.record, tmp_path / f"office-{n}.zip") and tmp_path / f"office-{n}.zip")
    manifest, statements = bundle_parts(paths[0])
    lines = statements.decode("utf-8").splitlines()
    mixed = "\n".join([lines[0], "{not json", *lines[1:]]).encode("utf-8") + b"\n"
    manifest = {**manifest, "counts": {**manifest["counts"], "statements": len(lines) + 1}}
    paths.append(rezip(paths[0], tmp_path / "mixed.zip", manifest=manifest, statements=mixed, fix_checksums=True))
    paths.append(rezip(paths[1], tmp_path / "altered.zip", statements=statements.replace(b"Learner", b"Lerner", 1)))
    return paths


def plain(result):
    return (result.path.name, result.refused, result.added, result.already_present, result.rejected,
            result.bundle_id, result.installation_id, result.learners)


@pytest.fixture
def korean():
    set_locale("ko")
    yield
    set_locale("en")


def test_a_second_process_checks_the_files_after_the_first_exactly_as_here(bundles, korean):
    with _Checker(bundles, TaskState(), parallel=False) as here:
        expected = [here.checked(n) for n in range(len(bundles))]
    with _Checker(bundles, TaskState(), parallel=True) as checker:
        assert checker.process is not None
        got = [checker.checked(n) for n in range(len(bundles))]
        assert checker.process is not None  # it did not fall back
    for mine, theirs in zip(expected, got):
        assert (mine.refused, mine.statements, mine.sha256) == (theirs.refused, theirs.statements, theirs.sha256)
        if mine.prepared is not None:
            assert mine.prepared.rows == theirs.prepared.rows
            assert mine.prepared.rejected == theirs.prepared.rejected
            assert mine.prepared.learners == theirs.prepared.learners
    rejected = got[3].prepared.rejected
    assert [r.line for r in rejected] == [2]
    assert "JSON" in rejected[0].reason and not rejected[0].reason.startswith("not valid JSON")  # said in Korean
    assert got[4].refused and got[4].refused == expected[4].refused


def test_importing_in_parallel_gives_the_plain_loops_results_and_tables(bundles, offices):  # noqa: F811
    one, two = offices("trainer-1"), offices("trainer-2")
    told = []
    alone = import_bundles(one.database, bundles, TRAINER_PRINCIPAL, parallel=False)
    together = import_bundles(two.database, bundles, TRAINER_PRINCIPAL, parallel=True, on_file=told.append)
    assert [plain(r) for r in together] == [plain(r) for r in alone] == [plain(r) for r in told]
    assert collected_rows(one.database) == collected_rows(two.database)
    assert [r.read for r in together] == [True, True, True, True, False]
    again = import_bundles(two.database, list(reversed(bundles)), TRAINER_PRINCIPAL, parallel=True)
    assert sum(r.added for r in again) == 0 and collected_rows(one.database) == collected_rows(two.database)


class _CannotStart:
    def __init__(self, *args, **kwargs):
        raise OSError("no more processes allowed")


class _Dies:
    def __init__(self, *args, **kwargs):
        pass

    def submit(self, *args, **kwargs):
        future = Future()
        future.set_exception(BrokenProcessPool("the second process was killed"))
        return future

    def shutdown(self, *args, **kwargs):
        pass


@pytest.mark.parametrize("broken", [_CannotStart, _Dies])
def test_without_the_second_process_the_files_are_checked_here_with_the_same_result(
        bundles, offices, monkeypatch, broken):  # noqa: F811
    one, two = offices("trainer-1"), offices("trainer-2")
    alone = import_bundles(one.database, bundles, TRAINER_PRINCIPAL, parallel=False)
    monkeypatch.setattr(importing, "ProcessPoolExecutor", broken)
    fallen_back = import_bundles(two.database, bundles, TRAINER_PRINCIPAL, parallel=True)
    assert [plain(r) for r in fallen_back] == [plain(r) for r in alone]
    assert collected_rows(one.database) == collected_rows(two.database)


def test_a_cancel_during_a_parallel_import_keeps_whole_files_and_says_which(bundles, offices):  # noqa: F811
    trainer, whole = offices("trainer"), offices("whole")
    told = []

    def cancel_at_the_second(_fraction, message):
        if message.startswith("Importing file 2 "):
            state.request_cancel()

    state = TaskState(on_progress=cancel_at_the_second)
    with pytest.raises(Cancelled):
        import_bundles(trainer.database, bundles, TRAINER_PRINCIPAL, state, on_file=told.append, parallel=True)
    # The first file was written when the cancel came, and is committed whole; the second was not written.
    assert [r.path for r in told] == bundles[:1]
    import_bundles(whole.database, bundles[:1], TRAINER_PRINCIPAL, parallel=False)
    assert collected_rows(trainer.database) == collected_rows(whole.database)
    rest = import_bundles(trainer.database, bundles, TRAINER_PRINCIPAL, parallel=True)
    assert [r.added > 0 for r in rest] == [False, True, True, False, False]  # mixed.zip repeats office-0's lines


@pytest.mark.parametrize("group_rows", [1, importing.GROUP_ROWS])
def test_each_file_is_told_once_it_is_committed_whatever_the_group(bundles, offices, monkeypatch,  # noqa: F811
                                                                   group_rows):
    """Files are committed a few at a time; the screen is told of each only when another connection (a report
    opened meanwhile) sees it, and in the files' order."""
    trainer = offices("trainer")
    monkeypatch.setattr(importing, "GROUP_ROWS", group_rows)
    seen = []

    def look(result):
        with trainer.database.engine.connect() as conn:  # a connection of its own: sees committed data only
            seen.append((result.path, conn.execute(text("SELECT count(*) FROM collected_bundles WHERE id = :id"),
                                                   {"id": result.bundle_id}).scalar()))

    results = import_bundles(trainer.database, bundles, TRAINER_PRINCIPAL, on_file=look, parallel=False)
    assert [path for path, _n in seen] == [r.path for r in results] == list(bundles)
    assert [n for _path, n in seen] == [1 if r.read else 0 for r in results]  # a refused file writes nothing
    assert any(not r.read for r in results) and sum(r.read for r in results) >= 3


def test_the_self_tests_probe_checks_a_bundle_in_a_second_process_or_says_why_not(tmp_path, monkeypatch):
    assert importing.second_process_check(tmp_path) == "ok"
    monkeypatch.setattr(importing, "ProcessPoolExecutor", _CannotStart)
    assert importing.second_process_check(tmp_path) == "OSError: no more processes allowed"


def test_a_commit_that_fails_is_said_even_when_a_cancel_came_meanwhile(bundles, offices, monkeypatch):  # noqa: F811
    import sqlite3

    trainer = offices("trainer")
    monkeypatch.setattr(importing, "GROUP_ROWS", 1)  # the first file is committed alone, on the helper thread
    real = importing._commit

    def disk_full_once(transaction, files):
        transaction.rollback()
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(importing, "_commit", disk_full_once)
    told = []
    state = TaskState(on_progress=lambda _share, message: message.startswith("Importing file 2 ")
                      and state.request_cancel())
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):  # not "cancelled": the file is not in
        import_bundles(trainer.database, bundles, TRAINER_PRINCIPAL, state, on_file=told.append, parallel=False)
    assert told == [] and collected_rows(trainer.database)["statements"] == []
    monkeypatch.setattr(importing, "_commit", real)
    assert import_bundles(trainer.database, bundles, TRAINER_PRINCIPAL)[0].added > 0  # usable afterwards
