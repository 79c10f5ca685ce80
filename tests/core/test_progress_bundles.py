"""Progress bundles (app/core/collect): "export my progress" on a learner's machine (watermark, nothing
new, export everything, atomic writes) and the trainer's import (a set union by statement id, refusing
a damaged or altered bundle whole, rejecting bad statements one by one, TRAINER only)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed, Principal, installation_principal
from app.core.collect.bundle_file import MANIFEST, STATEMENTS, manifest_digest, write_bundle
from app.core.collect.collected import collected_learners, collected_statements
from app.core.collect.export import WATERMARK, export_bundle, set_installation_name
from app.core.collect.importing import import_bundles
from app.core.course.loader import load_course
from app.core.learning import Learning
from app.core.record.statements import actor, iso, now
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database
from app.core.storage.schema import learners, meta
from tests.answers import right_answer
from tests.conftest import COURSE

TRAINER_PRINCIPAL = Principal(name="Trainer Lee", role=TRAINER, learner_id=None)


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE, "en")


class Office:
    """One data folder standing in for one office's PC."""

    def __init__(self, folder: Path):
        self.database = open_database(folder)
        self.record = LearningRecord(self.database)

    def learner(self, name: str, locale: str = "en", staff_number: str | None = None) -> Learning:
        person = self.record.add_learner(name, locale)
        if staff_number:
            with self.database.engine.begin() as conn:
                conn.execute(update(learners).where(learners.c.id == person.id).values(staff_number=staff_number))
        return Learning(self.record, person)

    def close(self) -> None:
        self.database.dispose()


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


def study(learning: Learning, course, items: int) -> None:
    """The first `items` items of the course: lessons read and completed, quizzes passed."""
    learning.open_course(course)
    for item in course.items[:items]:
        if item.kind == "lesson":
            learning.open_lesson(course, item)
            learning.complete_lesson(course, item)
        elif item.kind == "quiz":
            registration = learning.start_attempt(course, item)
            for question in course.quizzes[item.id].questions:
                learning.answer(course, item, registration, question, right_answer(question))
            learning.finish_attempt(course, item, registration)


# A collected statement with its learner, verb, activity and payload file by name, not number: the numbers
# depend on the order files came in.
STATEMENTS_AS_STRINGS = (
    "SELECT s.id, l.key, v.iri, o.iri, s.course_id, s.course_version, s.timestamp, p.lines_sha256, s.line, "
    "s.registration, s.success, s.score, s.response FROM collected_statements s "
    "JOIN collected_learners l ON l.number = s.learner JOIN collected_iris v ON v.id = s.verb "
    "JOIN collected_iris o ON o.id = s.object JOIN collected_payloads p ON p.id = s.payload_file")


def collected_rows(database) -> dict[str, list[tuple]]:
    """Every collected table as sorted rows (collected_bundles without its import time; statements as
    STATEMENTS_AS_STRINGS; learners without their numbers)."""
    with database.engine.connect() as conn:
        return {
            "learners": sorted(conn.execute(text("SELECT key, installation_id, learner_id, name, staff_number, "
                                                 "locale, last_seen FROM collected_learners")).all()),
            "statements": sorted(conn.execute(text(STATEMENTS_AS_STRINGS)).all()),
            "payloads": sorted(conn.execute(text("SELECT lines_sha256, format, data, bundle_id "
                                                 "FROM collected_payloads")).all()),
            "bundles": sorted(conn.execute(text(
                "SELECT id, installation_id, created_at, statements, sha256 FROM collected_bundles")).all()),
        }


def bundle_parts(path: Path) -> tuple[dict, bytes]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(MANIFEST)), archive.read(STATEMENTS)


def rezip(source: Path, target: Path, manifest: dict | None = None, statements: bytes | None = None,
          fix_checksums: bool = False) -> Path:
    """A well-formed zip (valid CRCs) with other contents: what a careless edit with a zip tool makes."""
    old_manifest, old_statements = bundle_parts(source)
    manifest = dict(manifest if manifest is not None else old_manifest)
    statements = old_statements if statements is None else statements
    if fix_checksums:
        manifest["statements_sha256"] = hashlib.sha256(statements).hexdigest()
        manifest["manifest_sha256"] = manifest_digest(manifest)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(STATEMENTS, statements)
        archive.writestr(MANIFEST, json.dumps(manifest))
    return target


# ------------------------------------------------------------------------------------------ export

def test_export_writes_the_new_statements_with_identity_learners_and_checksums(offices, course, tmp_path):
    office = offices("office")
    set_installation_name(office.record, "Sejong office")
    kim = office.learner("Kim Min-ji", "ko", staff_number="S-1001")
    study(kim, course, 2)
    result = export_bundle(office.record, tmp_path / "kim.zip")
    assert result.written and result.learners == 1 and result.statements == office.record.count()

    manifest, raw = bundle_parts(tmp_path / "kim.zip")
    assert manifest["format"] == "civic-ai-academy/progress-bundle" and manifest["format_version"] == 1
    assert manifest["installation"] == {"id": office.record.installation_id(), "name": "Sejong office"}
    assert manifest["learners"] == [{"id": kim.learner.id, "name": "Kim Min-ji", "locale": "ko",
                                     "staff_number": "S-1001"}]
    assert manifest["counts"] == {"statements": result.statements, "learners": 1}
    assert manifest["statements_sha256"] == hashlib.sha256(raw).hexdigest()
    assert manifest["manifest_sha256"] == manifest_digest(manifest)
    assert manifest["bundle_id"] == result.bundle_id and manifest["created"].endswith("Z")
    # Each line is the statement exactly as the record stores it, oldest first.
    stored = [s.to_json() for s in office.record.statements(kim.learner.id)]
    assert raw.decode("utf-8").splitlines() == stored


def test_nothing_new_writes_nothing_then_only_new_statements_then_everything(offices, course, tmp_path):
    office = offices("office")
    kim = office.learner("Kim")
    study(kim, course, 1)
    first = export_bundle(office.record, tmp_path / "1.zip")
    again = export_bundle(office.record, tmp_path / "2.zip")
    assert not again.written and again.statements == 0 and "Nothing new" in again.message
    assert not (tmp_path / "2.zip").exists()

    kim.open_lesson(course, course.items[1])
    second = export_bundle(office.record, tmp_path / "3.zip")
    assert second.written and second.statements == 1
    _manifest, raw = bundle_parts(tmp_path / "3.zip")
    assert json.loads(raw)["object"]["id"].endswith(":item:" + course.items[1].id)

    everything = export_bundle(office.record, tmp_path / "all.zip", everything=True)
    assert everything.statements == first.statements + 1 == office.record.count()


def test_each_learner_has_a_watermark_so_one_learner_exporting_hides_nothing(offices, course, tmp_path):
    office = offices("office")
    kim, lee = office.learner("Kim"), office.learner("Lee")
    study(kim, course, 1)
    study(lee, course, 1)
    mine = export_bundle(office.record, tmp_path / "kim.zip", [kim.learner.id])
    assert mine.learners == 1
    assert [p["id"] for p in bundle_parts(tmp_path / "kim.zip")[0]["learners"]] == [kim.learner.id]
    rest = export_bundle(office.record, tmp_path / "rest.zip")
    assert [p["id"] for p in bundle_parts(tmp_path / "rest.zip")[0]["learners"]] == [lee.learner.id]
    assert mine.statements + rest.statements == office.record.count()


def test_a_failed_write_leaves_no_file_and_does_not_move_the_watermark(offices, course, tmp_path, monkeypatch):
    office = offices("office")
    study(office.learner("Kim"), course, 1)

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    (tmp_path / "stick").mkdir()
    monkeypatch.setattr(zipfile.ZipFile, "writestr", full_disk)  # fails after the statements were written
    with pytest.raises(OSError):
        export_bundle(office.record, tmp_path / "stick" / "kim.zip")
    assert list((tmp_path / "stick").iterdir()) == []  # neither the bundle nor a partial file
    with office.database.engine.connect() as conn:
        assert conn.scalars(select(meta.c.key).where(meta.c.key.startswith(WATERMARK))).all() == []
    monkeypatch.undo()
    retry = export_bundle(office.record, tmp_path / "stick" / "kim.zip")
    assert retry.written and retry.statements == office.record.count()


# ------------------------------------------------------------------------------------------ import

def test_import_is_a_set_union_idempotent_and_reported_per_file(offices, course, tmp_path):
    office, trainer = offices("office"), offices("trainer")
    kim = office.learner("Kim", staff_number="S-1")
    study(kim, course, 2)
    export_bundle(office.record, tmp_path / "a.zip")
    kim.open_lesson(course, course.items[2])
    export_bundle(office.record, tmp_path / "b.zip")
    everything = export_bundle(office.record, tmp_path / "all.zip", everything=True)

    first = import_bundles(trainer.database, [tmp_path / "a.zip", tmp_path / "b.zip"], TRAINER_PRINCIPAL)
    assert [r.added for r in first] == [everything.statements - 1, 1]
    assert all(r.read and r.already_present == 0 and not r.rejected for r in first)
    assert first[0].installation_id == office.record.installation_id()
    tables = collected_rows(trainer.database)
    again = import_bundles(trainer.database, [tmp_path / "all.zip", tmp_path / "b.zip", tmp_path / "a.zip"],
                           TRAINER_PRINCIPAL)
    assert [(r.added, r.already_present) for r in again] == [(0, everything.statements), (0, 1),
                                                             (0, everything.statements - 1)]
    after = collected_rows(trainer.database)
    assert after["statements"] == tables["statements"]
    assert len(after["bundles"]) == 3  # the "everything" bundle is recorded too

    [person] = collected_learners(trainer.database)
    assert person.last_seen == bundle_parts(tmp_path / "all.zip")[0]["created"]  # the newest bundle naming Kim
    assert person.key == f"{office.record.installation_id()}/{kim.learner.id}"
    assert (person.name, person.staff_number, person.locale) == ("Kim", "S-1", "en")
    pairs = list(collected_statements(trainer.database, course.id))
    assert {key for key, _s in pairs} == {person.key}
    assert [s.id for _k, s in pairs] == [s.id for s in office.record.statements(kim.learner.id)]
    assert list(collected_statements(trainer.database, "no-such-course")) == []


def test_only_trainers_and_administrators_import(offices, course, tmp_path):
    office, trainer = offices("office"), offices("trainer")
    study(office.learner("Kim"), course, 1)
    export_bundle(office.record, tmp_path / "a.zip")
    learner = Principal(name="Kim", role=LEARNER, learner_id="x")
    for principal in (learner, None):
        with pytest.raises(NotAllowed):
            import_bundles(trainer.database, [tmp_path / "a.zip"], principal)
    assert collected_rows(trainer.database)["statements"] == []
    assert import_bundles(trainer.database, [tmp_path / "a.zip"], installation_principal())[0].added > 0


@pytest.fixture
def exported(offices, course, tmp_path) -> Path:
    office = offices("office")
    for name in ("Kim", "Lee", "Park"):
        study(office.learner(name), course, 2)
    export_bundle(office.record, tmp_path / "good.zip")
    return tmp_path / "good.zip"


def flip_byte(good: Path, bad: Path) -> Path:
    data = bytearray(good.read_bytes())
    data[int(len(data) * 0.3)] ^= 0x01  # inside the compressed statements
    bad.write_bytes(bytes(data))
    return bad


def cut_in_half(good: Path, bad: Path) -> Path:
    bad.write_bytes(good.read_bytes()[:good.stat().st_size // 2])
    return bad


def cut_the_end(good: Path, bad: Path) -> Path:
    bad.write_bytes(good.read_bytes()[:-30])  # the zip's directory is at the end
    return bad


def edit_a_statement(good: Path, bad: Path) -> Path:
    return rezip(good, bad, statements=bundle_parts(good)[1].replace(b'"completion":true', b'"completion":false', 1))


def drop_the_last_statement(good: Path, bad: Path) -> Path:
    return rezip(good, bad, statements=bundle_parts(good)[1].rsplit(b"\n", 2)[0] + b"\n")


def rename_the_learners(good: Path, bad: Path) -> Path:
    manifest = bundle_parts(good)[0]
    return rezip(good, bad, manifest={**manifest, "learners": [{**p, "name": "Someone Else"}
                                                               for p in manifest["learners"]]})


def another_format(good: Path, bad: Path) -> Path:
    return rezip(good, bad, manifest={**bundle_parts(good)[0], "format": "something/else"}, fix_checksums=True)


def a_newer_format(good: Path, bad: Path) -> Path:
    return rezip(good, bad, manifest={**bundle_parts(good)[0], "format_version": 2}, fix_checksums=True)


def a_wrong_count(good: Path, bad: Path) -> Path:
    manifest = bundle_parts(good)[0]
    return rezip(good, bad, manifest={**manifest, "counts": {**manifest["counts"], "statements": 1}},
                 fix_checksums=True)


def a_csv_file(good: Path, bad: Path) -> Path:
    bad.write_text("id,name\n1,Kim\n", encoding="utf-8")
    return bad


def an_empty_file(good: Path, bad: Path) -> Path:
    bad.write_bytes(b"")
    return bad


def no_file(good: Path, bad: Path) -> Path:
    return bad


@pytest.mark.parametrize("damage, message", [
    (flip_byte, "damaged or truncated"),
    (cut_in_half, "damaged or truncated"),
    (cut_the_end, "damaged or truncated"),
    (edit_a_statement, "statements do not match the checksum"),
    (drop_the_last_statement, "statements do not match the checksum"),
    (rename_the_learners, "manifest does not match its own checksum"),
    (another_format, "not a progress bundle manifest"),
    (a_newer_format, "newer version of the app"),
    (a_wrong_count, "announces 1 statement but it holds"),
    (a_csv_file, "not a progress bundle"),
    (an_empty_file, "is empty"),
    (no_file, "cannot be read"),
])
def test_a_damaged_altered_or_foreign_file_is_refused_whole_and_changes_nothing(exported, offices, tmp_path,
                                                                                 damage, message):
    trainer = offices("trainer")
    bad = damage(exported, tmp_path / "bad.zip")
    before = collected_rows(trainer.database)
    [result] = import_bundles(trainer.database, [bad], TRAINER_PRINCIPAL)
    assert not result.read and message in result.refused, result.refused
    assert result.added == 0 and collected_rows(trainer.database) == before
    # The good bundle still imports after (and beside) the refused one.
    good, refused = import_bundles(trainer.database, [exported, bad], TRAINER_PRINCIPAL)
    assert good.added > 0 and not refused.read


def test_a_zip_without_a_manifest_or_with_a_duplicate_key_is_refused(exported, offices, tmp_path):
    trainer = offices("trainer")
    with zipfile.ZipFile(tmp_path / "photos.zip", "w") as archive:
        archive.writestr("holiday.jpg", b"\xff\xd8\xff")
    manifest, statements = bundle_parts(exported)
    with zipfile.ZipFile(tmp_path / "twice.zip", "w") as archive:
        archive.writestr(STATEMENTS, statements)
        archive.writestr(MANIFEST, json.dumps(manifest)[:-1] + ', "format": "civic-ai-academy/progress-bundle"}')
    photos, twice = import_bundles(trainer.database, [tmp_path / "photos.zip", tmp_path / "twice.zip"],
                                   TRAINER_PRINCIPAL)
    assert "holds no manifest.json" in photos.refused
    assert "the key 'format' appears twice" in twice.refused
    assert collected_rows(trainer.database)["statements"] == []


def test_bad_statements_in_a_sound_bundle_are_rejected_one_by_one_with_their_line(offices, course, tmp_path):
    office, trainer = offices("office"), offices("trainer")
    kim = office.learner("Kim")
    study(kim, course, 1)
    good = [s.data for s in office.record.statements(kim.learner.id)]
    installation = office.record.installation_id()
    stranger = dict(good[0], id="0d6c7a1e-0000-4000-8000-000000000001",
                    actor=actor("someone-not-listed", "Stranger", installation))
    no_course = json.loads(json.dumps(good[0]))
    no_course["id"] = "0d6c7a1e-0000-4000-8000-000000000002"
    del no_course["context"]["contextActivities"]
    no_verb = {k: v for k, v in good[0].items() if k != "verb"}
    bad_score = json.loads(json.dumps(good[-1]))
    bad_score["id"] = "0d6c7a1e-0000-4000-8000-000000000003"
    bad_score["result"]["score"] = {"scaled": 2}
    lines = [json.dumps(good[0]), "{not json", json.dumps(stranger), json.dumps(no_course), json.dumps(no_verb),
             json.dumps(bad_score)] + [json.dumps(s) for s in good[1:]] + [json.dumps(good[0])]
    write_bundle(tmp_path / "mixed.zip", {
        "bundle_id": "0d6c7a1e-0000-4000-8000-0000000000ff", "created": iso(now()), "everything": False,
        "installation": {"id": installation, "name": None},
        "learners": [{"id": kim.learner.id, "name": "Kim", "locale": "en", "staff_number": None}]}, lines)
    [result] = import_bundles(trainer.database, [tmp_path / "mixed.zip"], TRAINER_PRINCIPAL)
    assert result.read and result.added == len(good) and result.already_present == 1  # the last line repeats
    assert [r.line for r in result.rejected] == [2, 3, 4, 5, 6]
    reasons = [r.reason for r in result.rejected]
    assert reasons[0].startswith("not valid JSON")
    assert "not one of this bundle's learners" in reasons[1]
    assert "names no course" in reasons[2]
    assert "'verb' is missing" in reasons[3]
    assert "'result.score.scaled' must be from -1 to 1" in reasons[4]
    assert len(collected_rows(trainer.database)["statements"]) == len(good)


def synthetic_bundle(path: Path, installation: str, learner_id: str, name: str, staff: str | None, created: str,
                     payloads: list[str], bundle_id: str) -> Path:
    write_bundle(path, {"bundle_id": bundle_id, "created": created, "everything": False,
                        "installation": {"id": installation, "name": None},
                        "learners": [{"id": learner_id, "name": name, "locale": "en", "staff_number": staff}]},
                 payloads)
    return path


def test_learner_details_come_from_the_newest_bundle_whatever_the_order(offices, course, tmp_path):
    office = offices("office")
    kim = office.learner("Kim")
    study(kim, course, 1)
    payloads = [s.to_json() for s in office.record.statements(kim.learner.id)]
    installation, person = office.record.installation_id(), kim.learner.id
    old = synthetic_bundle(tmp_path / "old.zip", installation, person, "Kim M.", None, "2025-01-01T09:00:00.000000Z",
                           payloads[:2], "0d6c7a1e-0000-4000-8000-00000000000a")
    new = synthetic_bundle(tmp_path / "new.zip", installation, person, "Kim Min-ji", "S-77",
                           "2025-02-01T09:00:00.000000Z", payloads[2:], "0d6c7a1e-0000-4000-8000-00000000000b")
    tables = []
    for n, order in enumerate(([old, new], [new, old], [new, old, new, old])):
        trainer = offices(f"trainer{n}")
        assert all(r.read for r in import_bundles(trainer.database, order, TRAINER_PRINCIPAL))
        [learner] = collected_learners(trainer.database)
        assert (learner.name, learner.staff_number, learner.last_seen) == ("Kim Min-ji", "S-77",
                                                                           "2025-02-01T09:00:00.000000Z")
        tables.append(collected_rows(trainer.database))
    assert tables[0] == tables[1] == tables[2]


def test_the_trainers_own_bundle_is_collected_like_any_other(offices, course, tmp_path):
    trainer = offices("trainer")
    study(trainer.learner("Trainer as learner"), course, 1)
    export_bundle(trainer.record, tmp_path / "own.zip")
    [result] = import_bundles(trainer.database, [tmp_path / "own.zip"], TRAINER_PRINCIPAL)
    assert result.added == trainer.record.count()
    assert {s.id for _k, s in collected_statements(trainer.database)} == {
        s.id for person in trainer.record.learners() for s in trainer.record.statements(person.id)}


def test_collected_statements_are_immutable(exported, offices):
    trainer = offices("trainer")
    import_bundles(trainer.database, [exported], TRAINER_PRINCIPAL)
    from sqlalchemy.exc import DBAPIError

    with trainer.database.engine.begin() as conn:
        with pytest.raises(DBAPIError, match="immutable"):
            conn.execute(text("UPDATE collected_statements SET verb = 'x'"))
