"""Completions for certificates from collected progress (app/core/certificates/completions.py) and issuing
them with their PDFs (issuing.py): two data folders stand in for two offices, their learners' real bundles
are imported by the trainer in either order and twice, and the completions, the credentials and their
bytes are the same every time; completion agrees with the report; the learner's language decides the
course title; a learner cannot list or issue."""

from __future__ import annotations

import itertools
import json

import pytest

from app.core.accounts.passwords import ScryptCost
from app.core.accounts.roles import LEARNER, NotAllowed, Principal
from app.core.certificates.batch import credential_text, issued_list
from app.core.certificates.completions import collected_completions, learner_key
from app.core.certificates.credential import Completion
from app.core.certificates.issuer import create_issuer, unlock_issuer
from app.core.certificates.issuing import IssueRun, issuable, issue_certificates
from app.core.certificates.trust import TrustedIssuer
from app.core.certificates.verify import verify_credential
from app.core.cohorts.store import Cohorts
from app.core.collect.export import export_bundle
from app.core.collect.importing import import_bundles
from app.core.course.loader import load_course
from app.core.reports.build import build_report
from app.core.reports.matching import Person
from app.core.reports.sources import LearnerRecord
from app.core.tasks import Cancelled, TaskState
from tests.conftest import COURSE
from tests.core.test_progress_bundles import TRAINER_PRINCIPAL, Office, study
from tests.core.test_reports import tick_by_minutes

QUICK = ScryptCost(log2_n=10, r=8, p=1)
PASSPHRASE = "correct horse battery"
LEARNER_LEE = Principal(name="Lee", role=LEARNER, learner_id="l-1", account_id="a-2")


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    tick_by_minutes(monkeypatch)


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
def bundles(offices, course, tmp_path):
    """Sejong: Kim (Korean profile) completes the course, Lee does two items. Busan: Park completes it;
    Choi, on both PCs with one staff number, does the first half in Sejong and the rest in Busan."""
    sejong, busan = offices("sejong"), offices("busan")
    kim = sejong.learner("Kim Min-ji", "ko", staff_number="S-1001")
    lee = sejong.learner("Lee Jun", "en", staff_number="S-1002")
    choi_here = sejong.learner("Choi Eun-ji", "en", staff_number="C-77")
    park = busan.learner("Park Ji-woo", "en", staff_number="B-2001")
    choi_there = busan.learner("Choi Eun-ji", "en", staff_number="c-77")  # typed in lower case there
    study(kim, course, len(course.items))
    study(lee, course, 2)
    half = len(course.items) // 2
    study(choi_here, course, half)
    study(park, course, len(course.items))
    choi_there.open_course(course)
    for item in course.items[half:]:  # the rest, on the other PC
        study_one(choi_there, course, item)
    sticks = tmp_path / "sticks"
    sticks.mkdir()
    made = [sticks / "sejong.zip", sticks / "busan.zip"]
    export_bundle(sejong.record, made[0])
    export_bundle(busan.record, made[1])
    return made


def study_one(learning, course, item) -> None:
    from tests.answers import right_answer

    if item.kind == "lesson":
        learning.open_lesson(course, item)
        learning.complete_lesson(course, item)
    elif item.kind == "quiz":
        registration = learning.start_attempt(course, item)
        for question in course.quizzes[item.id].questions:
            learning.answer(course, item, registration, question, right_answer(question))
        learning.finish_attempt(course, item, registration)


def _signer(folder):
    folder.mkdir(exist_ok=True)
    create_issuer(TRAINER_PRINCIPAL, folder, "Ministry of the Interior", PASSPHRASE, cost=QUICK)
    return unlock_issuer(TRAINER_PRINCIPAL, folder, PASSPHRASE)


def _text_pdf(path, sheet) -> None:
    """A stand-in printer (the real one needs Qt): the sheet's lines, so a test can read them."""
    path.write_text("\n".join(sheet.lines()), encoding="utf-8")


def test_the_same_completions_and_credentials_whatever_the_import_order(offices, bundles, course, tmp_path):
    signer = _signer(tmp_path / "institution")
    found, texts = [], []
    for n, order in enumerate([bundles, bundles[::-1], bundles + bundles[::-1]]):
        trainer = offices(f"trainer-{n}")
        import_bundles(trainer.database, list(order), TRAINER_PRINCIPAL)
        completions = collected_completions(trainer.database, TRAINER_PRINCIPAL, course, app_locale="fr")
        found.append(completions)
        run = issue_certificates(TRAINER_PRINCIPAL, signer, completions, tmp_path / f"out-{n}", TaskState(),
                                 print_pdf=_text_pdf, database=trainer.database)
        texts.append({f.path.name: f.path.read_bytes() for f in run.credentials})
        assert [r["learner_name"] for r in issued_list(trainer.database)] == [c.learner_name for c in completions]
    assert found[0] == found[1] == found[2]
    assert texts[0] == texts[1] == texts[2]
    by_name = {c.learner_name: c for c in found[0]}
    assert list(by_name) == ["Choi Eun-ji", "Kim Min-ji", "Park Ji-woo"]  # Lee did not finish; ordered by name
    kim, choi, park = by_name["Kim Min-ji"], by_name["Choi Eun-ji"], by_name["Park Ji-woo"]
    assert (kim.learner_key, choi.learner_key, park.learner_key) == ("staff:s-1001", "staff:c-77", "staff:b-2001")
    assert (kim.locale, kim.course_title) == ("ko", str(load_course(COURSE, "ko").title))
    assert (park.locale, park.course_title) == ("en", str(course.title))
    assert kim.course_version == course.version and kim.staff_number == "S-1001"
    assert all(c.completed_at.endswith("Z") or "+" in c.completed_at for c in found[0])
    # Choi completed only once both PCs' records are merged: when the last item was done, in Busan.
    assert choi.completed_at > kim.completed_at


def test_issuing_twice_gives_byte_identical_files(offices, bundles, course, tmp_path):
    trainer = offices("trainer")
    import_bundles(trainer.database, bundles, TRAINER_PRINCIPAL)
    signer = _signer(tmp_path / "institution")
    completions = collected_completions(trainer.database, TRAINER_PRINCIPAL, course)
    first = issue_certificates(TRAINER_PRINCIPAL, signer, completions, tmp_path / "a", TaskState(),
                               print_pdf=_text_pdf, database=trainer.database)
    again = issue_certificates(TRAINER_PRINCIPAL, signer, completions, tmp_path / "b", TaskState(),
                               print_pdf=_text_pdf, database=trainer.database)
    assert [f.path.read_bytes() for f in first.credentials] == [f.path.read_bytes() for f in again.credentials]
    assert [p.read_bytes() for p in first.pdfs] == [p.read_bytes() for p in again.pdfs]
    assert len(issued_list(trainer.database)) == len(completions) == 3  # re-issuing replaces the rows
    trusted = [TrustedIssuer(signer.issuer.id, signer.issuer.name, own=True)]
    for issued, pdf in zip(first.credentials, first.pdfs):
        assert issued.path.read_text(encoding="utf-8") == credential_text(issued.credential)
        assert verify_credential(issued.path.read_bytes(), trusted).valid
        assert pdf == issued.path.with_suffix(".pdf") and issued.completion.learner_name in pdf.read_text("utf-8")


def test_completion_agrees_with_the_report_in_a_cohort_and_without_one(offices, bundles, course):
    trainer = offices("trainer")
    import_bundles(trainer.database, bundles, TRAINER_PRINCIPAL)
    store = Cohorts(trainer.database)
    cohort = store.create_cohort(TRAINER_PRINCIPAL, "Seoul 2026")
    store.add_member(TRAINER_PRINCIPAL, cohort.id, "Kim Min-ji", "S-1001", language="ar")
    store.add_member(TRAINER_PRINCIPAL, cohort.id, "Lee Jun", "S-1002")
    store.add_member(TRAINER_PRINCIPAL, cohort.id, "Park Ji-woo (Busan)", "B-2001")
    for cohort_id in (None, cohort.id):
        report = build_report(trainer.database, TRAINER_PRINCIPAL, [course], cohort_id)
        completed = sorted(r["name"] for r in report.table("learners").records() if r["completed"])
        found = collected_completions(trainer.database, TRAINER_PRINCIPAL, course, cohort_id)
        assert sorted(c.learner_name for c in found) == completed
    in_cohort = {c.learner_name: c for c in collected_completions(trainer.database, TRAINER_PRINCIPAL, course,
                                                                  cohort.id)}
    assert set(in_cohort) == {"Kim Min-ji", "Park Ji-woo (Busan)"}  # the member's name, not the profile's
    assert in_cohort["Kim Min-ji"].locale == "ar"  # the member's language wins over the profile's
    assert in_cohort["Kim Min-ji"].course_title == str(load_course(COURSE, "ar").title)
    # A course assigned to the cohort narrows it to the members it is assigned to, as in the report.
    group = store.add_group(TRAINER_PRINCIPAL, cohort.id, "Busan")
    park = next(m for m in store.members(TRAINER_PRINCIPAL, cohort.id) if m.staff_number == "B-2001")
    store.set_member_group(TRAINER_PRINCIPAL, park.id, group.id)
    store.assign_course(TRAINER_PRINCIPAL, cohort.id, course.id, None, group.id)
    found = collected_completions(trainer.database, TRAINER_PRINCIPAL, course, cohort.id)
    assert [c.learner_name for c in found] == ["Park Ji-woo (Busan)"]


def test_learner_keys_and_languages_without_a_staff_number():
    person = Person(None, [LearnerRecord("inst-b/l-2", "Anna", None, "inst-b", False),
                           LearnerRecord("inst-a/l-9", "Anna", None, "inst-a", False)])
    assert learner_key(person) == "inst-a/l-9"
    from app.core.certificates.completions import learner_language

    assert learner_language(person, {"inst-a/l-9": "pt", "inst-b/l-2": "ko_KR"}, "en") == "ko"
    assert learner_language(person, {"inst-a/l-9": "pt"}, "km") == "km"  # no shipped profile language: the app's


def test_completions_that_cannot_be_issued_are_set_aside_with_the_reason(tmp_path):
    good = Completion("a/1", "Anna Clarke", "c", "Course", "1.0.0", "2026-11-19T10:00:00Z", "en")
    nameless = Completion("a/2", "  ", "c", "Course", "1.0.0", "2026-11-19T10:00:00Z", "en")
    ok, skipped = issuable([good, nameless])
    assert ok == [good] and skipped[0][0] == nameless and "learner_name is empty" in skipped[0][1][0]
    signer = _signer(tmp_path / "institution")
    run = issue_certificates(TRAINER_PRINCIPAL, signer, [good, nameless], tmp_path / "out", TaskState(),
                             print_pdf=_text_pdf)
    assert [f.completion for f in run.credentials] == [good] and len(run.pdfs) == 1 and len(run.skipped) == 1


def test_cancel_leaves_whole_files_and_says_what_was_written(tmp_path):
    signer = _signer(tmp_path / "institution")
    completions = [Completion(f"a/{n}", f"Learner {n}", "c", "Course", "1.0.0", "2026-11-19T10:00:00Z", "en")
                   for n in range(7)]
    state = TaskState()
    printed = []

    def printer(path, sheet):
        _text_pdf(path, sheet)
        printed.append(path)
        if len(printed) == 3:
            state.request_cancel()

    run = IssueRun(tmp_path / "out")
    with pytest.raises(Cancelled):
        issue_certificates(TRAINER_PRINCIPAL, signer, completions, tmp_path / "out", state, print_pdf=printer,
                           run=run, chunk=5)
    assert len(run.pdfs) == 3 and len(run.credentials) == 5  # the first chunk was signed whole
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [f.path.name for f in run.credentials] + [p.name for p in run.pdfs])
    for issued in run.credentials:
        json.loads(issued.path.read_text(encoding="utf-8"))


def test_a_learner_can_neither_list_nor_issue(offices, course, tmp_path):
    trainer = offices("trainer")
    with pytest.raises(NotAllowed):
        collected_completions(trainer.database, LEARNER_LEE, course)
    signer = _signer(tmp_path / "institution")
    with pytest.raises(NotAllowed):
        issue_certificates(LEARNER_LEE, signer, [], tmp_path / "out", TaskState(), print_pdf=_text_pdf)
    with pytest.raises(NotAllowed):
        create_issuer(LEARNER_LEE, tmp_path / "learner-pc", "Ministry", PASSPHRASE, cost=QUICK)
    assert not (tmp_path / "out").exists()


def test_cancel_while_finding(offices, bundles, course):
    trainer = offices("trainer")
    import_bundles(trainer.database, bundles, TRAINER_PRINCIPAL)
    state = TaskState()
    state.request_cancel()
    with pytest.raises(Cancelled):
        collected_completions(trainer.database, TRAINER_PRINCIPAL, course, state=state)


def test_permutations_of_three_bundles_give_one_answer(offices, course, tmp_path):
    """A learner who goes on after the first stick left: the second bundle completes the course."""
    office = offices("office")
    kim = office.learner("Kim", "vi")
    half = len(course.items) // 2
    study(kim, course, half)
    sticks = [tmp_path / "1.zip", tmp_path / "2.zip"]
    export_bundle(office.record, sticks[0])
    study(kim, course, len(course.items))
    export_bundle(office.record, sticks[1])
    results = []
    for n, order in enumerate(itertools.permutations(sticks)):
        trainer = offices(f"trainer-{n}")
        import_bundles(trainer.database, list(order), TRAINER_PRINCIPAL)
        results.append(collected_completions(trainer.database, TRAINER_PRINCIPAL, course))
    assert results[0] == results[1] and len(results[0]) == 1
    assert results[0][0].locale == "vi" and results[0][0].learner_key.endswith("/" + kim.learner.id)


def test_a_certificate_names_the_course_version_the_learner_studied(offices, course, tmp_path):
    """Sejong's PCs have version 1.0.0; the trainer has since installed 1.1.0. Kim completed the course on
    1.0.0, so her certificate says 1.0.0; Park completed it on 1.1.0 (Busan had updated)."""
    import dataclasses

    newer = dataclasses.replace(course, version="1.1.0")
    sejong, busan, trainer = offices("sejong"), offices("busan"), offices("trainer")
    study(sejong.learner("Kim Min-ji", "ko", staff_number="S-1"), course, len(course.items))
    study(busan.learner("Park Ji-woo", "en", staff_number="S-2"), newer, len(course.items))
    export_bundle(sejong.record, tmp_path / "sejong.zip")
    export_bundle(busan.record, tmp_path / "busan.zip")
    import_bundles(trainer.database, [tmp_path / "sejong.zip", tmp_path / "busan.zip"], TRAINER_PRINCIPAL)
    found = collected_completions(trainer.database, TRAINER_PRINCIPAL, newer)
    assert {c.learner_name: c.course_version for c in found} == {"Kim Min-ji": "1.0.0", "Park Ji-woo": "1.1.0"}
