"""What the issue-7 benchmarks changed, held to the results before them: migrations 0007 and 0008 (the values
reports read of a payload stored beside it, filled for rows collected before; the payloads moved out of the
rows into the files that brought them, and back on a downgrade), the import's quick checks of bundle
statements (one parse, nonsense still rejected with its line and field), its helper thread (a cancel or a
failure leaves whole files), reports reading those columns (the same tables as from the payloads, whichever
way a row was written), and the course model computing its item list once."""

from __future__ import annotations

import json
import sqlite3
import uuid
import zlib

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text

from app.core.cohorts.store import Cohorts
from app.core.collect import importing
from app.core.collect.bundle_file import write_bundle
from app.core.collect.export import export_bundle
from app.core.collect.importing import import_bundles
from app.core.collect.payloads import payload_stream
from app.core.collect.rows import statement_facts
from app.core.collect.xapi import export_xapi
from app.core.course.loader import load_course
from app.core.paths import database_path
from app.core.record.statements import actor, iso, now
from app.core.reports import sources
from app.core.reports.build import build_report
from app.core.storage import database as db
from app.core.storage.database import HEAD_REVISION, Database, open_database
from app.core.tasks import Cancelled, TaskState
from tests.answers import wrong_answer
from tests.conftest import COURSE
from tests.core.test_progress_bundles import STATEMENTS_AS_STRINGS, TRAINER_PRINCIPAL, Office, collected_rows, study
from tests.core.test_reports import collect, complete, learner, take_quiz

FACTS = ("registration", "success", "score", "response")


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE, "en")


@pytest.fixture
def offices(tmp_path):
    made: list[Office] = []

    def make(name: str) -> Office:
        office = Office(tmp_path / name)
        made.append(office)
        return office

    yield make
    for office in made:
        office.close()


def facts_of(database: Database) -> dict[str, tuple]:
    """statement id -> (registration, success, score, response) as stored, and as the payload says."""
    with database.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, {', '.join(FACTS)}, payload_file, line FROM collected_statements")).all()
        return {row[0]: (tuple(row[1:5]), statement_facts(json.loads(payload)))
                for row, payload in payload_stream(conn, rows)}


def payloads_of(database: Database) -> dict[str, str]:
    """statement id -> its payload, wherever it is kept."""
    with database.engine.connect() as conn:
        columns = [r[1] for r in conn.execute(text("PRAGMA table_info(collected_statements)"))]
        if "payload" in columns:
            return dict(conn.execute(text("SELECT id, payload FROM collected_statements")).all())
        rows = conn.execute(text("SELECT id, payload_file, line FROM collected_statements")).all()
        return {row[0]: payload for row, payload in payload_stream(conn, rows)}


def alembic(engine, action: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


# ---------------------------------------------------------------------------------------- migration 0007

def test_a_0006_record_with_collected_progress_upgrades_with_the_report_columns_filled(offices, course, tmp_path,
                                                                                        data_dir):
    office = offices("office")
    kim = office.learner("Kim")
    study(kim, course, len(course.items))  # lessons, quiz attempts with answers, scores and registrations
    kims = office.record.statements(kim.learner.id)
    here = office.record.installation_id()
    # The trainer's record as 0006 left it: the collected rows as that release's import wrote them, from
    # two files ('a' and 'b'), and one row whose payload is not JSON (no release wrote one; the move keeps it).
    path = database_path(data_dir)
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", db._set_pragmas)
    alembic(engine, "upgrade", "0006")
    key = f"{here}/{kim.learner.id}"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO collected_learners VALUES (:k, :i, :l, 'Kim', NULL, 'en', '')"),
                     {"k": key, "i": here, "l": kim.learner.id})
        conn.execute(text("INSERT INTO collected_statements VALUES (:id, :key, :verb, :object_id, :course_id, "
                          ":version, :ts, :ts, :file, :payload)"),
                     [{"id": s.id, "key": key, "verb": s.verb, "object_id": s.object_id, "course_id": course.id,
                       "version": course.version, "ts": s.timestamp, "payload": s.to_json(),
                       "file": "a" if n % 3 else "b"} for n, s in enumerate(kims)]
                     + [{"id": str(uuid.uuid4()), "key": key, "verb": "v", "object_id": "o", "course_id": "x",
                         "version": "1", "ts": "2020-01-01T00:00:00Z", "payload": "not json", "file": "b"}])
        before = conn.execute(text("SELECT * FROM collected_statements ORDER BY id")).all()
    engine.dispose()

    database = open_database(data_dir)  # what the new release does at start-up
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION == "0008"
            after = [row[:7] + row[9:] for row in sorted(conn.execute(text(STATEMENTS_AS_STRINGS)).all())]
            index = [r[2] for r in conn.execute(text("PRAGMA index_info(ix_collected_course)"))]
            files = conn.execute(text("SELECT bundle_id, format FROM collected_payloads ORDER BY bundle_id")).all()
        assert [row[:7] for row in after] == [row[:7] for row in before]  # the rows themselves untouched
        assert files == [("a", "jsonl-zlib"), ("b", "jsonl-zlib")]  # one payload row per earlier file
        assert payloads_of(database) == {row[0]: row[9] for row in before}  # every payload kept, byte for byte
        stored = {row[0]: tuple(row[7:]) for row in after}
        expected = {s.id: statement_facts(json.loads(s.to_json())) for s in kims}
        assert {k: v for k, v in stored.items() if k in expected} == expected
        assert [v for k, v in stored.items() if k not in expected] == [(None, None, None, None)]  # the one not JSON
        assert any(v[1] is not None and v[3] for v in expected.values())  # answers: success and response
        assert any(v[0] and v[2] is not None for v in expected.values())  # finished attempts: registration, score
        assert index[:4] == ["course_id", "learner", "timestamp", "id"] and set(FACTS) <= set(index)
        assert "payload" not in index
        with database.engine.begin() as conn, pytest.raises(Exception, match="immutable"):
            conn.execute(text("UPDATE collected_statements SET verb = 'x'"))  # the triggers are back
        with database.engine.begin() as conn, pytest.raises(Exception, match="immutable"):
            conn.execute(text("DELETE FROM collected_payloads"))  # statements point into them

        alembic(database.engine, "downgrade", "0006")
        with database.engine.connect() as conn:
            columns = [r[1] for r in conn.execute(text("PRAGMA table_info(collected_statements)"))]
            assert columns == ["id", "learner_key", "verb", "object_id", "course_id", "course_version", "timestamp",
                               "stored", "bundle_id", "payload"]
            assert [r[2] for r in conn.execute(text("PRAGMA index_info(ix_collected_course)"))] == [
                "course_id", "learner_key", "timestamp"]
            assert conn.execute(text("SELECT * FROM collected_statements ORDER BY id")).all() == before
        alembic(database.engine, "upgrade", "head")
        assert payloads_of(database) == {row[0]: row[9] for row in before}
    finally:
        database.dispose()


def test_a_migration_that_fails_half_way_changes_nothing_and_runs_again_next_time(offices, course, data_dir,
                                                                                 monkeypatch):
    """0008 adds a column first, then moves every row: a full disk in the middle must not leave the column (the
    next start would fail on it for ever). And a row an older tool wrote with nonsense where the report
    columns come from (an object as the response) moves with those values empty."""
    path = database_path(data_dir)
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", db._set_pragmas)
    alembic(engine, "upgrade", "0007")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO collected_learners VALUES ('i/l', 'i', 'l', 'Kim', NULL, 'en', '')"))
        conn.execute(text("INSERT INTO collected_statements (id, learner_key, verb, object_id, course_id, "
                          "course_version, timestamp, stored, bundle_id, payload) VALUES "
                          "(:id, 'i/l', 'v', 'o', 'c', '1', '2020', '2020', 'b', :payload)"),
                     {"id": str(uuid.uuid4()), "payload": json.dumps({"result": {"response": {"x": 1}}})})
    engine.dispose()
    def disk_full(*args, **kwargs):  # the migration compresses each earlier file's payloads as it moves them
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(zlib, "compress", disk_full)
        with pytest.raises(Exception, match="disk is full"):
            open_database(data_dir)
    check = sqlite3.connect(path)
    assert check.execute("SELECT version_num FROM alembic_version").fetchone() == ("0007",)
    assert "number" not in [r[1] for r in check.execute("PRAGMA table_info(collected_learners)")]
    assert not check.execute("SELECT name FROM sqlite_master WHERE name = 'collected_iris'").fetchall()
    check.close()
    database = open_database(data_dir)  # the next start
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0008"
            assert conn.execute(text(f"SELECT {', '.join(FACTS)} FROM collected_statements")).all() == [
                (None, None, None, None)]
    finally:
        database.dispose()


@pytest.fixture
def kim_collected_twice(offices, course, tmp_path):
    """Kim's whole course, collected by one trainer from her bundle and by another from an LRS file:
    (Kim's office, the first trainer, the second)."""
    office = offices("office")
    study(office.learner("Kim"), course, len(course.items))
    export_bundle(office.record, tmp_path / "kim.zip")
    export_xapi(office.database, tmp_path / "kim.json")
    via_bundle, via_lrs = offices("via-bundle"), offices("via-lrs")
    import_bundles(via_bundle.database, [tmp_path / "kim.zip"], TRAINER_PRINCIPAL)
    import_bundles(via_lrs.database, [tmp_path / "kim.json"], TRAINER_PRINCIPAL)
    return office, via_bundle, via_lrs


def test_imported_files_go_down_to_0007_with_their_payloads_and_up_again(kim_collected_twice, course):
    _office, via_bundle, via_lrs = kim_collected_twice
    for trainer, kind in ((via_bundle, "bundle"), (via_lrs, "jsonl-zlib")):
        database = trainer.database
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT format FROM collected_payloads")).scalars().all() == [kind]
            made = conn.execute(text("SELECT created_at FROM collected_bundles")).scalar()
        payloads, facts = payloads_of(database), facts_of(database)
        report = build_report(database, TRAINER_PRINCIPAL, [course], None).tables
        alembic(database.engine, "downgrade", "0007")
        with database.engine.connect() as conn:
            rows = conn.execute(text(f"SELECT id, payload, stored, facts, {', '.join(FACTS)} "
                                     "FROM collected_statements")).all()
        assert {r[0]: r[1] for r in rows} == payloads
        assert {r[0]: tuple(r[4:]) for r in rows} == {k: v[0] for k, v in facts.items()} and {r[3] for r in rows} == {1}
        assert {r[2] for r in rows} <= {made} | {json.loads(r[1]).get("stored") for r in rows}
        alembic(database.engine, "upgrade", "head")
        assert payloads_of(database) == payloads and facts_of(database) == facts
        assert build_report(database, TRAINER_PRINCIPAL, [course], None).tables == report


# ---------------------------------------------------------------------------------------- import checks

def test_imported_rows_carry_the_values_their_payloads_hold(kim_collected_twice):
    office, via_bundle, via_lrs = kim_collected_twice
    for database in (via_bundle.database, via_lrs.database):
        found = facts_of(database)
        assert len(found) == office.record.count()
        assert all(stored == expected for stored, expected in found.values())


def bundle_of(path, installation: str, learner_id: str, lines: list[str]):
    write_bundle(path, {"bundle_id": str(uuid.uuid4()), "created": iso(now()), "everything": False,
                        "installation": {"id": installation, "name": None},
                        "learners": [{"id": learner_id, "name": "Kim", "locale": "en", "staff_number": None}]},
                 lines)
    return path


@pytest.mark.parametrize("damage, reason", [
    (lambda s: s.update(id="not-a-uuid"), "'id' must be a UUID"),
    (lambda s: s.update(timestamp="yesterday"), "'timestamp' must be an ISO 8601 date and time"),
    (lambda s: s["context"].update(registration="attempt-1"), "'context.registration' must be a UUID"),
    (lambda s: s.setdefault("result", {}).update(success="yes"), "'result.success' must be true or false"),
    (lambda s: s.setdefault("result", {}).update(response=3), "'result.response' must be text"),
    (lambda s: s.setdefault("result", {}).update(score={"scaled": True}), "'result.score.scaled' must be a number"),
    (lambda s: s["verb"].update(id="answered"), "'verb.id' must be an IRI"),
    (lambda s: s["object"].update(id="quiz one"), "'object.id' must be an IRI"),
    (lambda s: s.update(colour="red"), "'colour' is not a property xAPI defines"),
    (lambda s: s["actor"]["account"].update(name="someone-else"), "not one of this bundle's learners"),
    (lambda s: s.update(object={"objectType": "StatementRef", "id": str(uuid.uuid4())}),
     "object is not an activity"),
    (lambda s: s["context"]["contextActivities"].update(grouping=[{"id": "http://example.com/c"}]), "names no course"),
    (lambda s: s.update(result=[]), "'result' must be a JSON object"),
    (lambda s: s.update(context="none"), "'context' must be a JSON object"),
])
def test_a_bundle_statement_that_is_not_ours_is_rejected_with_its_line_and_field(offices, course, tmp_path,
                                                                                 damage, reason):
    office, trainer = offices("office"), offices("trainer")
    kim = office.learner("Kim")
    study(kim, course, len(course.items))
    good = [s.data for s in office.record.statements(kim.learner.id)]
    bad = json.loads(json.dumps(next(s for s in good if "result" in s and "registration" in s["context"])))
    bad["id"] = str(uuid.uuid4())
    damage(bad)
    lines = [json.dumps(s) for s in good[:3]] + [json.dumps(bad)] + [json.dumps(s) for s in good[3:]]
    path = bundle_of(tmp_path / "b.zip", office.record.installation_id(), kim.learner.id, lines)
    [result] = import_bundles(trainer.database, [path], TRAINER_PRINCIPAL)
    assert result.read and result.added == len(good)
    assert [(r.line, reason in r.reason) for r in result.rejected] == [(4, True)], result.rejected


def test_a_bundle_statement_in_a_shape_this_app_never_writes_is_rejected(offices, course, tmp_path):
    office, trainer = offices("office"), offices("trainer")
    kim = office.learner("Kim")
    study(kim, course, 1)
    good = office.record.statements(kim.learner.id)[0].data
    group = json.loads(json.dumps(good))  # valid xAPI, an account of ours, but a group as the actor
    group.update(id=str(uuid.uuid4()), actor={"objectType": "Group", "account": good["actor"]["account"],
                                              "member": []})
    path = bundle_of(tmp_path / "g.zip", office.record.installation_id(), kim.learner.id, [json.dumps(group)])
    [result] = import_bundles(trainer.database, [path], TRAINER_PRINCIPAL)
    assert result.added == 0 and [r.line for r in result.rejected] == [1]
    assert "shaped as this app writes" in result.rejected[0].reason


# ---------------------------------------------------------------------------------------- the import's helper thread

def three_bundles(offices, course, tmp_path):
    paths = []
    for n in range(3):
        office = offices(f"office{n}")
        study(office.learner(f"Learner {n}"), course, 2)
        export_bundle(office.record, tmp_path / f"{n}.zip")
        paths.append(tmp_path / f"{n}.zip")
    return paths


def test_a_cancel_while_the_next_file_is_checked_keeps_the_files_committed_before_it(offices, course, tmp_path,
                                                                                     monkeypatch):
    paths = three_bundles(offices, course, tmp_path)
    trainer, whole = offices("trainer"), offices("whole")
    state = TaskState()
    real = importing.prepare_bundle
    checked = []

    def cancel_on_the_second(bundle, task_state):
        checked.append(bundle.path)
        if len(checked) == 2:
            state.request_cancel()
        return real(bundle, task_state)

    monkeypatch.setattr(importing, "prepare_bundle", cancel_on_the_second)
    with pytest.raises(Cancelled):
        import_bundles(trainer.database, paths, TRAINER_PRINCIPAL, state)
    monkeypatch.setattr(importing, "prepare_bundle", real)
    import_bundles(whole.database, paths[:1], TRAINER_PRINCIPAL)  # the cancel came while the second was checked:
    assert collected_rows(trainer.database)["statements"] == collected_rows(whole.database)["statements"]  # not written
    with trainer.database.engine.connect() as conn:  # the connection was given its usual settings back
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == importing.DEFAULT_WAL_PAGES
    again = import_bundles(trainer.database, paths, TRAINER_PRINCIPAL)
    assert [r.added > 0 for r in again] == [False, True, True]


def test_a_failed_write_keeps_the_files_before_it_and_leaves_the_database_usable(offices, course, tmp_path,
                                                                               monkeypatch):
    paths = three_bundles(offices, course, tmp_path)
    trainer = offices("trainer")
    real = importing.write_statements
    calls = []

    def disk_full_on_the_second(conn, rows, payloads, bundle_id, ids=None):
        calls.append(len(rows))
        if len(calls) == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(conn, rows, payloads, bundle_id, ids)

    monkeypatch.setattr(importing, "write_statements", disk_full_on_the_second)
    with pytest.raises(sqlite3.OperationalError):
        import_bundles(trainer.database, paths, TRAINER_PRINCIPAL)
    monkeypatch.setattr(importing, "write_statements", real)
    with trainer.database.engine.connect() as conn:
        bundles = conn.execute(text("SELECT count(*) FROM collected_bundles")).scalar()
        statements = conn.execute(text("SELECT count(*) FROM collected_statements")).scalar()
        files = conn.execute(text("SELECT count(*) FROM collected_payloads")).scalar()
    assert bundles == files == 1 and statements == calls[0]  # the first file whole, nothing of the second
    assert [r.added > 0 for r in import_bundles(trainer.database, paths, TRAINER_PRINCIPAL)] == [False, True, True]


# ---------------------------------------------------------------------------------------- reports

def test_reports_read_the_same_however_the_rows_were_collected(offices, course, tmp_path):
    seoul, busan = offices("seoul"), offices("busan")
    record = seoul.record
    complete(learner(record, "Kim", "1"), course, first_try=wrong_answer)
    take_quiz(learner(record, "Lee", "2"), course, next(i for i in course.items if i.kind == "quiz"), wrong_answer)
    complete(learner(busan.record, "Park", "3"), course)
    export_bundle(seoul.record, tmp_path / "seoul.zip")
    export_bundle(busan.record, tmp_path / "busan.zip")
    export_xapi(busan.database, tmp_path / "busan.json")
    imported, copied, mixed = offices("imported"), offices("copied"), offices("mixed")
    import_bundles(imported.database, [tmp_path / "seoul.zip", tmp_path / "busan.zip"], TRAINER_PRINCIPAL)
    collect(seoul.database, copied.database)  # rows written by the tests' own copy, payloads as JSON lines
    collect(busan.database, copied.database)
    collect(seoul.database, mixed.database)
    import_bundles(mixed.database, [tmp_path / "busan.json"], TRAINER_PRINCIPAL)  # from an LRS
    reports = []
    for trainer in (imported, copied, mixed):
        store = Cohorts(trainer.database)
        cohort = store.create_cohort(TRAINER_PRINCIPAL, "C")
        for name, staff in (("Kim", "1"), ("Lee", "2"), ("Park", "3")):
            store.add_member(TRAINER_PRINCIPAL, cohort.id, name, staff)
        for cohort_id in (cohort.id, None):
            in_sql = build_report(trainer.database, TRAINER_PRINCIPAL, [course], cohort_id, in_sql=True)
            in_python = build_report(trainer.database, TRAINER_PRINCIPAL, [course], cohort_id, in_sql=False)
            assert in_sql.tables == in_python.tables
            reports.append(in_sql.tables)
    assert reports[0] == reports[2] and reports[1] == reports[3]
    questions = {r["question_id"]: r for r in dict((t.key, t) for t in reports[0])["questions"].records()}
    assert sum(r["answers"] for r in questions.values()) > 0 and any(r["top_wrong_answer"] for r in questions.values())


def test_a_report_read_while_an_import_commits_counts_what_it_sees(offices, course, tmp_path, monkeypatch):
    """Rows name learners and IRIs by number: an import committing between the report's reading of the numbers
    and of the rows brings rows with numbers it has not read. It reads them again instead of failing."""
    seoul, busan, trainer = offices("seoul"), offices("busan"), offices("trainer")
    study(seoul.learner("Kim"), course, 2)
    study(busan.learner("Park"), course, 2)
    export_bundle(seoul.record, tmp_path / "seoul.zip")
    export_bundle(busan.record, tmp_path / "busan.zip")
    import_bundles(trainer.database, [tmp_path / "seoul.zip"], TRAINER_PRINCIPAL)
    real = sources._Numbers

    class ImportRightAfter(real):
        def __init__(self, raw):
            super().__init__(raw)
            import_bundles(trainer.database, [tmp_path / "busan.zip"], TRAINER_PRINCIPAL, parallel=False)

    monkeypatch.setattr(sources, "_Numbers", ImportRightAfter)
    with trainer.database.engine.connect() as conn:
        data = sources.read_courses(conn, [course.id])[course.id]
    assert len(data.keys) == 2  # Kim, and Park, whose rows came with numbers read again


# ---------------------------------------------------------------------------------------- the course model

def test_a_course_computes_its_items_once_and_finds_them_as_a_search_in_order_would(course):
    assert course.items is course.items
    items = course.items
    for index, item in enumerate(items):
        assert course.item(item.id) is item
        assert course.next_item(item.id) is (items[index + 1] if index + 1 < len(items) else None)
    assert course.item("no-such-item") is None and course.next_item("no-such-item") is None
    renamed = __import__("dataclasses").replace(course, id="another")
    assert renamed.items == items and renamed.id == "another"


def test_the_trainer_installation_actor_is_the_one_the_fast_check_expects(offices):
    """The quick check compares the actor's account with the bundle's installation as record.statements
    writes it; a change there would reject every statement, so the two are held together here."""
    office = offices("office")
    person = office.record.add_learner("Kim", "en")
    account = actor(person.id, "Kim", office.record.installation_id())["account"]
    assert account == {"homePage": importing.HOME_PAGE + office.record.installation_id(), "name": person.id}
