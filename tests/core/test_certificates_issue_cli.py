"""`python main.py certificate issue COURSE_ID [--cohort NAME_OR_ID] --out FOLDER [--json]`: a credential and
a PDF per completion collected on the trainer's machine, the passphrase from standard input. Run as a
separate process, as a script would: it prints PDFs with an off-screen Qt of its own."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.core.accounts.passwords import ScryptCost
from app.core.certificates.batch import issued_list
from app.core.certificates.issuer import create_issuer, load_issuer
from app.core.certificates.trust import TrustedIssuer
from app.core.certificates.verify import verify_credential
from app.core.cohorts.store import Cohorts
from app.core.collect.export import export_bundle
from app.core.collect.importing import import_bundles
from app.core.course.loader import load_course
from app.core.storage.database import open_database
from tests.conftest import COURSE, ROOT
from tests.core.test_progress_bundles import TRAINER_PRINCIPAL, Office, study

PASSPHRASE = "correct horse battery"
FONTS = {"en": b"NotoSans-", "ko": b"NotoSansKRSubset", "ar": b"NotoSansArabic"}


def main(folder, *args, stdin: str = "") -> tuple[int, str, str]:
    command = [sys.executable, str(ROOT / "main.py"), "--data-dir", str(folder), "certificate", *map(str, args)]
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=300, cwd=ROOT)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def trainer(tmp_path_factory):
    """A trainer's data folder with an issuing key and the bundles of one office: Kim (Korean) and Amina
    (Arabic) completed the course, Lee did not; a cohort holds Kim and Lee."""
    tmp = tmp_path_factory.mktemp("issue")
    course = load_course(COURSE, "en")
    office = Office(tmp / "office")
    try:
        for name, locale, staff, items in (("Kim Min-ji", "ko", "S-1", len(course.items)), ("Lee Jun", "en", "S-2", 2),
                                           ("Amina Haddad", "ar", "S-3", len(course.items))):
            study(office.learner(name, locale, staff_number=staff), course, items)
        export_bundle(office.record, tmp / "office.zip")
    finally:
        office.close()
    folder = tmp / "trainer"
    database = open_database(folder)
    try:
        import_bundles(database, [tmp / "office.zip"], TRAINER_PRINCIPAL)
        store = Cohorts(database)
        cohort = store.create_cohort(TRAINER_PRINCIPAL, "Seoul 2026")
        store.add_member(TRAINER_PRINCIPAL, cohort.id, "Kim Min-ji", "S-1")
        store.add_member(TRAINER_PRINCIPAL, cohort.id, "Lee Jun", "S-2")
    finally:
        database.dispose()
    create_issuer(TRAINER_PRINCIPAL, folder, "Ministry of the Interior", PASSPHRASE, cost=ScryptCost(10, 8, 1))
    return folder, cohort


def test_issue_for_everyone_writes_a_credential_and_a_pdf_each_in_the_learners_language(trainer, tmp_path):
    folder, _cohort = trainer
    out = tmp_path / "certificates"
    code, stdout, stderr = main(folder, "issue", "ai-foundations", "--out", out, "--json", stdin=PASSPHRASE + "\n")
    assert code == 0, stderr
    result = json.loads(stdout)
    assert result["cohort"] is None and result["skipped"] == [] and result["found"] == 2
    issued = {item["learner"]: item for item in result["issued"]}
    assert set(issued) == {"Kim Min-ji", "Amina Haddad"}
    own = load_issuer(folder)
    for name, locale in (("Kim Min-ji", "ko"), ("Amina Haddad", "ar")):
        item = issued[name]
        assert item["locale"] == locale
        credential = (out / item["credential"].rsplit("/", 1)[-1]).read_bytes()
        assert verify_credential(credential, [TrustedIssuer(own.id, own.name, own=True)]).valid
        pdf = (out / item["pdf"].rsplit("/", 1)[-1]).read_bytes()
        assert pdf.startswith(b"%PDF-") and FONTS[locale] in pdf
    assert sorted(p.suffix for p in out.iterdir()) == [".json", ".json", ".pdf", ".pdf"]
    database = open_database(folder)
    try:
        assert sorted(r["learner_name"] for r in issued_list(database)) == ["Amina Haddad", "Kim Min-ji"]
    finally:
        database.dispose()


def test_issue_for_a_cohort_by_name_in_plain_text(trainer, tmp_path):
    folder, cohort = trainer
    out = tmp_path / "seoul"
    code, stdout, stderr = main(folder, "issue", "ai-foundations", "--cohort", "seoul 2026", "--out", out,
                                stdin=PASSPHRASE + "\n")
    assert code == 0, stderr
    assert "Kim Min-ji" in stdout and "1 certificate issued in" in stdout and "Amina" not in stdout
    assert len(list(out.glob("*.pdf"))) == 1
    code, stdout, _err = main(folder, "issue", "ai-foundations", "--cohort", cohort.id, "--out", out, "--json",
                              stdin=PASSPHRASE + "\n")  # by id too; the same files again
    assert code == 0 and [i["learner"] for i in json.loads(stdout)["issued"]] == ["Kim Min-ji"]


def test_a_wrong_passphrase_writes_nothing(trainer, tmp_path):
    folder, _cohort = trainer
    out = tmp_path / "nothing"
    code, stdout, stderr = main(folder, "issue", "ai-foundations", "--out", out, stdin="not the passphrase\n")
    assert code == 1 and "Wrong passphrase" in stderr and "Traceback" not in stderr
    assert not out.exists()
    code, _out, stderr = main(folder, "issue", "ai-foundations", "--out", out)  # no passphrase at all
    assert code == 1 and "No passphrase" in stderr and not out.exists()


def test_unknown_course_or_cohort_and_no_key_are_refused(trainer, tmp_path):
    folder, _cohort = trainer
    code, _out, stderr = main(folder, "issue", "no-such-course", "--out", tmp_path / "x", stdin=PASSPHRASE + "\n")
    assert code == 1 and "There is no course 'no-such-course'" in stderr
    code, _out, stderr = main(folder, "issue", "ai-foundations", "--cohort", "Busan", "--out", tmp_path / "x",
                              stdin=PASSPHRASE + "\n")
    assert code == 1 and "There is no cohort called 'Busan'" in stderr and "Seoul 2026" in stderr
    code, _out, stderr = main(tmp_path / "empty", "issue", "ai-foundations", "--out", tmp_path / "x")
    assert code == 1 and "no issuing key" in stderr
    assert not (tmp_path / "x").exists()
    code, _out, _err = main(folder, "issue", "--out", tmp_path / "x")
    assert code == 2
