"""app/core/collect/summary.py: an import of many files that a trainer can cancel between files (the
files done stay imported, the rest are named), the office and file names remembered for the screen, and
the summary of what was collected (learners with office, statement count and last activity; offices;
the history of imported files)."""

from __future__ import annotations

import pytest

from app.core.accounts.roles import LEARNER, NotAllowed, Principal
from app.core.collect.export import export_bundle, set_installation_name
from app.core.collect.importing import import_bundles
from app.core.collect.summary import collected_summary, import_files
from app.core.collect.xapi import export_xapi
from app.core.course.loader import load_course
from app.core.tasks import TaskState
from tests.conftest import COURSE
from tests.core.test_progress_bundles import TRAINER_PRINCIPAL, Office, collected_rows, flip_byte, study


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE, "en")


@pytest.fixture
def offices(tmp_path):
    made: list[Office] = []
    yield lambda name: made.append(Office(tmp_path / name)) or made[-1]
    for office in made:
        office.close()


@pytest.fixture
def two_offices(offices, course, tmp_path):
    sejong, busan = offices("sejong"), offices("busan")
    set_installation_name(sejong.record, "Sejong office")
    set_installation_name(busan.record, "Busan office")
    study(sejong.learner("Kim Min-ji", "ko", staff_number="S-1001"), course, 3)
    study(sejong.learner("Lee Jun", staff_number="S-1002"), course, 1)
    study(busan.learner("Park Ji-woo", staff_number="B-2001"), course, 2)
    export_bundle(sejong.record, tmp_path / "sejong.zip")
    export_bundle(busan.record, tmp_path / "busan.zip")
    return sejong, busan


def test_import_files_reports_each_file_and_remembers_office_and_file_names(two_offices, offices, tmp_path):
    sejong, busan = two_offices
    trainer = offices("trainer")
    tampered = flip_byte(tmp_path / "busan.zip", tmp_path / "tampered.zip")
    seen: list[tuple[float, str]] = []
    run = import_files(trainer.database, [tmp_path / "sejong.zip", tampered, tmp_path / "busan.zip"],
                       TRAINER_PRINCIPAL, TaskState(on_progress=lambda p, m: seen.append((p, m))))
    assert not run.cancelled and run.not_imported == []
    assert [r.read for r in run.results] == [True, False, True]
    assert "damaged or truncated" in run.refused[0].refused
    assert [r.added for r in run.imported] == [sejong.record.count(), busan.record.count()]
    assert "Importing file 2 of 3: \u2068tampered.zip\u2069" in {m for _p, m in seen}  # kept LTR in Arabic
    assert [p for p, _m in seen] == sorted(p for p, _m in seen) and seen[-1][0] == 1.0

    summary = collected_summary(trainer.database, TRAINER_PRINCIPAL)
    people = {p.name: p for p in summary.learners}
    assert list(people) == ["Kim Min-ji", "Lee Jun", "Park Ji-woo"]
    assert (people["Park Ji-woo"].office, people["Park Ji-woo"].staff_number) == ("Busan office", "B-2001")
    assert people["Kim Min-ji"].office == "Sejong office"
    assert sum(p.statements for p in summary.learners) == sejong.record.count() + busan.record.count()
    kim = next(lr for lr in sejong.record.learners() if lr.name == "Kim Min-ji")
    kims = sejong.record.statements(kim.id)
    assert people["Kim Min-ji"].statements == len(kims)
    assert people["Kim Min-ji"].last_activity == max(s.data["timestamp"] for s in kims)
    assert [(o.office, o.learners) for o in summary.offices] == [("Busan office", 1), ("Sejong office", 2)]
    assert summary.statements == sejong.record.count() + busan.record.count()
    assert {(f.file_name, f.office, f.added) for f in summary.files} == {
        ("sejong.zip", "Sejong office", sejong.record.count()), ("busan.zip", "Busan office", busan.record.count())}

    # Again, under other file names: nothing added, the first names stay.
    (tmp_path / "copy.zip").write_bytes((tmp_path / "sejong.zip").read_bytes())
    again = import_files(trainer.database, [tmp_path / "copy.zip"], TRAINER_PRINCIPAL)
    assert [(r.added, r.already_present) for r in again.results] == [(0, sejong.record.count())]
    assert {f.file_name for f in collected_summary(trainer.database, TRAINER_PRINCIPAL).files} == {
        "sejong.zip", "busan.zip"}


def test_the_newest_bundle_names_the_office_whatever_the_order(two_offices, offices, course, tmp_path):
    sejong, _busan = two_offices
    set_installation_name(sejong.record, "Sejong 2nd floor")
    study(sejong.learner("Choi"), course, 1)
    export_bundle(sejong.record, tmp_path / "sejong-2.zip")
    for n, order in enumerate((["sejong.zip", "sejong-2.zip"], ["sejong-2.zip", "sejong.zip"])):
        trainer = offices(f"trainer-{n}")
        import_files(trainer.database, [tmp_path / name for name in order], TRAINER_PRINCIPAL)
        summary = collected_summary(trainer.database, TRAINER_PRINCIPAL)
        assert {p.office for p in summary.learners} == {"Sejong 2nd floor"}


def test_a_cancel_between_files_keeps_whole_bundles_and_names_the_rest(two_offices, offices, tmp_path):
    sejong, busan = two_offices
    trainer = offices("trainer")
    files = [tmp_path / "sejong.zip", tmp_path / "busan.zip"]
    state = TaskState()
    state.set_progress = lambda done, total=1.0, message="": state.request_cancel()  # cancel at the first report
    run = import_files(trainer.database, files, TRAINER_PRINCIPAL, state)
    # The first file was being checked when the cancel came: nothing of it was written.
    assert run.cancelled and run.results == [] and run.not_imported == files
    assert collected_rows(trainer.database) == {"learners": [], "statements": [], "bundles": [], "payloads": []}

    state = TaskState()
    state.set_progress = lambda done, total=1.0, message="": (done >= 1 and state.request_cancel())
    run = import_files(trainer.database, files, TRAINER_PRINCIPAL, state)
    assert run.cancelled and [r.path for r in run.results] == files[:1] and run.not_imported == files[1:]
    rows = collected_rows(trainer.database)
    assert len(rows["statements"]) == sejong.record.count() and len(rows["bundles"]) == 1


def test_xapi_files_have_no_office_and_learners_refused(two_offices, offices, tmp_path):
    sejong, _busan = two_offices
    trainer = offices("trainer")
    export_xapi(sejong.database, tmp_path / "lrs.json")
    run = import_files(trainer.database, [tmp_path / "lrs.json"], TRAINER_PRINCIPAL)
    assert [(r.kind, r.added) for r in run.results] == [("xapi", sejong.record.count())]
    [history] = collected_summary(trainer.database, TRAINER_PRINCIPAL).files
    assert (history.file_name, history.office, history.added) == ("lrs.json", None, sejong.record.count())

    learner = Principal(name="Kim", role=LEARNER, learner_id="x")
    for call in (lambda: import_files(trainer.database, [tmp_path / "sejong.zip"], learner),
                 lambda: collected_summary(trainer.database, learner)):
        with pytest.raises(NotAllowed):
            call()
    assert len(collected_rows(trainer.database)["bundles"]) == 1


def test_a_bundle_imported_headless_shows_without_names(two_offices, offices, tmp_path):
    trainer = offices("trainer")
    import_bundles(trainer.database, [tmp_path / "busan.zip"], TRAINER_PRINCIPAL)
    summary = collected_summary(trainer.database, TRAINER_PRINCIPAL)
    assert [(f.file_name, f.office) for f in summary.files] == [(None, None)]
    assert [p.office for p in summary.learners] == [None]
