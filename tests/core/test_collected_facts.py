"""What the issue-7 benchmarks changed, held to the results before them: migration 0007 (the values reports
read of a payload stored beside it, filled for rows collected before), the import's quick checks of bundle
statements (one parse, nonsense still rejected with its line and field), its helper thread (a cancel or a
failure leaves whole files), reports reading those columns (the same tables as from the payloads, whichever
way a row was written), and the course model computing its item list once."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text

from app.core.cohorts.store import Cohorts
from app.core.collect import importing
from app.core.collect.bundle_file import write_bundle
from app.core.collect.export import export_bundle
from app.core.collect.importing import import_bundles
from app.core.collect.rows import STATEMENT_COLUMNS, statement_facts
from app.core.collect.xapi import export_xapi
from app.core.course.loader import load_course
from app.core.paths import database_path
from app.core.record.statements import actor, iso, now
from app.core.reports.build import build_report
from app.core.storage import database as db
from app.core.storage.database import HEAD_REVISION, Database, open_database
from app.core.tasks import Cancelled, TaskState
from tests.answers import wrong_answer
from tests.conftest import COURSE
from tests.core.test_progress_bundles import TRAINER_PRINCIPAL, Office, collected_rows, study
from tests.core.test_reports import collect, complete, learner, take_quiz

FACTS = ("facts", "registration", "success", "score", "response")


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
    """statement id -> (facts, registration, success, score, response) as stored, and as the payload says."""
    with database.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, payload, {', '.join(FACTS)} FROM collected_statements")).all()
    return {row[0]: (tuple(row[2:]), statement_facts(json.loads(row[1]))) for row in rows}


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
    # The trainer's record as 0006 left it: the collected rows as that release's import wrote them.
    path = database_path(data_dir)
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", db._set_pragmas)
    alembic(engine, "upgrade", "0006")
    key = f"{here}/{kim.learner.id}"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO collected_learners VALUES (:k, :i, :l, 'Kim', NULL, 'en', '')"),
                     {"k": key, "i": here, "l": kim.learner.id})
        conn.execute(text("INSERT INTO collected_statements VALUES (:id, :key, :verb, :object_id, :course_id, "
                          ":version, :ts, :ts, 'b', :payload)"),
                     [{"id": s.id, "key": key, "verb": s.verb, "object_id": s.object_id, "course_id": course.id,
                       "version": course.version, "ts": s.timestamp, "payload": s.to_json()}
                      for s in kims])
        before = conn.execute(text("SELECT * FROM collected_statements ORDER BY id")).all()
    engine.dispose()

    database = open_database(data_dir)  # what the new release does at start-up
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION == "0007"
            after = conn.execute(text("SELECT * FROM collected_statements ORDER BY id")).all()
            index = [r[2] for r in conn.execute(text("PRAGMA index_info(ix_collected_course)"))]
        assert [row[:10] for row in after] == before  # the rows themselves untouched
        filled = facts_of(database)
        assert len(filled) == len(before) and all(stored == (1, *expected[1:]) for stored, expected in filled.values())
        assert any(v[0][2] is not None and v[0][4] for v in filled.values())  # answers: success and response
        assert any(v[0][1] and v[0][3] is not None for v in filled.values())  # finished attempts: registration, score
        assert index[:4] == ["course_id", "learner_key", "timestamp", "id"] and set(FACTS) <= set(index)
        with database.engine.begin() as conn, pytest.raises(Exception, match="immutable"):
            conn.execute(text("UPDATE collected_statements SET verb = 'x'"))  # the trigger is back

        alembic(database.engine, "downgrade", "0006")
        with database.engine.connect() as conn:
            columns = [r[1] for r in conn.execute(text("PRAGMA table_info(collected_statements)"))]
            assert columns == list(STATEMENT_COLUMNS[:10])
            assert [r[2] for r in conn.execute(text("PRAGMA index_info(ix_collected_course)"))] == [
                "course_id", "learner_key", "timestamp"]
            assert conn.execute(text("SELECT * FROM collected_statements ORDER BY id")).all() == before
        alembic(database.engine, "upgrade", "head")
        assert facts_of(database) == filled
    finally:
        database.dispose()


# ---------------------------------------------------------------------------------------- import checks

def test_imported_rows_carry_the_values_their_payloads_hold(offices, course, tmp_path):
    office = offices("office")
    study(office.learner("Kim"), course, len(course.items))
    export_bundle(office.record, tmp_path / "kim.zip")
    export_xapi(office.database, tmp_path / "kim.json")
    via_bundle, via_lrs = offices("via-bundle"), offices("via-lrs")
    import_bundles(via_bundle.database, [tmp_path / "kim.zip"], TRAINER_PRINCIPAL)
    import_bundles(via_lrs.database, [tmp_path / "kim.json"], TRAINER_PRINCIPAL)
    for database in (via_bundle.database, via_lrs.database):
        found = facts_of(database)
        assert len(found) == office.record.count()
        assert all(stored == (1, *expected[1:]) for stored, expected in found.values())


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
    real = importing.insert_statements
    calls = []

    def disk_full_on_the_second(conn, rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(conn, rows)

    monkeypatch.setattr(importing, "insert_statements", disk_full_on_the_second)
    with pytest.raises(sqlite3.OperationalError):
        import_bundles(trainer.database, paths, TRAINER_PRINCIPAL)
    monkeypatch.setattr(importing, "insert_statements", real)
    with trainer.database.engine.connect() as conn:
        bundles = conn.execute(text("SELECT count(*) FROM collected_bundles")).scalar()
        statements = conn.execute(text("SELECT count(*) FROM collected_statements")).scalar()
    assert bundles == 1 and statements == calls[0]  # the first file whole, nothing of the second
    assert [r.added > 0 for r in import_bundles(trainer.database, paths, TRAINER_PRINCIPAL)] == [False, True, True]


# ---------------------------------------------------------------------------------------- reports

def test_reports_read_the_same_from_the_columns_and_from_the_payloads(offices, course, tmp_path):
    seoul, busan = offices("seoul"), offices("busan")
    record = seoul.record
    complete(learner(record, "Kim", "1"), course, first_try=wrong_answer)
    take_quiz(learner(record, "Lee", "2"), course, next(i for i in course.items if i.kind == "quiz"), wrong_answer)
    complete(learner(busan.record, "Park", "3"), course)
    export_bundle(seoul.record, tmp_path / "seoul.zip")
    export_bundle(busan.record, tmp_path / "busan.zip")
    imported, copied, mixed = offices("imported"), offices("copied"), offices("mixed")
    import_bundles(imported.database, [tmp_path / "seoul.zip", tmp_path / "busan.zip"], TRAINER_PRINCIPAL)
    collect(seoul.database, copied.database)  # rows written without their report columns (facts false)
    collect(busan.database, copied.database)
    collect(seoul.database, mixed.database)
    import_bundles(mixed.database, [tmp_path / "busan.zip"], TRAINER_PRINCIPAL)
    reports = []
    for trainer in (imported, copied, mixed):
        with trainer.database.engine.connect() as conn:
            kinds = {row[0] for row in conn.execute(text("SELECT DISTINCT facts FROM collected_statements"))}
        assert kinds == {"imported": {1}, "copied": {0}, "mixed": {0, 1}}[trainer.database.path.parent.name]
        store = Cohorts(trainer.database)
        cohort = store.create_cohort(TRAINER_PRINCIPAL, "C")
        for name, staff in (("Kim", "1"), ("Lee", "2"), ("Park", "3")):
            store.add_member(TRAINER_PRINCIPAL, cohort.id, name, staff)
        for cohort_id in (cohort.id, None):
            in_sql = build_report(trainer.database, TRAINER_PRINCIPAL, [course], cohort_id, in_sql=True)
            in_python = build_report(trainer.database, TRAINER_PRINCIPAL, [course], cohort_id, in_sql=False)
            assert in_sql.tables == in_python.tables
            reports.append(in_sql.tables)
    assert reports[0] == reports[2] == reports[4] and reports[1] == reports[3] == reports[5]
    questions = {r["question_id"]: r for r in dict((t.key, t) for t in reports[0])["questions"].records()}
    assert sum(r["answers"] for r in questions.values()) > 0 and any(r["top_wrong_answer"] for r in questions.values())


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
