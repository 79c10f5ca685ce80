"""Signed credentials: valid against the Open Badges 3.0 schema (resolved offline), the same bytes every time
they are issued, and verified as VALID, ALTERED, UNKNOWN_ISSUER or INVALID; batches with progress and cancel;
the printable sheet's texts in the learner's language."""

from __future__ import annotations

import copy
import datetime as dt
import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource

from app.core.accounts.passwords import ScryptCost
from app.core.accounts.roles import LEARNER, TRAINER, NotAllowed, Principal
from app.core.certificates.batch import issue_batch, issued_list
from app.core.certificates.credential import (Completion, CompletionError, build_credential, issue_credential,
                                              verification_code)
from app.core.certificates.issuer import create_issuer, unlock_issuer
from app.core.certificates.sheet import certificate_sheet, record_sheet
from app.core.certificates.trust import TrustedIssuer
from app.core.certificates.verify import Status, verify_credential
from app.core.problems import InvalidInput
from app.core.storage.database import open_database
from app.core.tasks import Cancelled, TaskState
from tests.conftest import SHARED

BADGES = SHARED / "fixtures" / "badges"
QUICK = ScryptCost(log2_n=10, r=8, p=1)
TRAINER_KIM = Principal(name="Kim", role=TRAINER, learner_id="t-1", account_id="a-1")
LEARNER_LEE = Principal(name="Lee", role=LEARNER, learner_id="l-1", account_id="a-2")
PASSPHRASE = "correct horse battery"

KO = Completion("inst-a/l-1", "김민준", "ai-foundations", "AI 기초", "1.2.0", "2026-11-20T09:30:00.123456Z", "ko")
AR = Completion("inst-a/l-2", "فاطمة الحسن", "ai-foundations", "أساسيات الذكاء الاصطناعي", "1.2.0",
                "2026-11-20T10:00:00Z", "ar")
EN = Completion("inst-b/l-7", "Anna Clarke", "ai-foundations", "AI foundations", "1.2.0", "2026-11-19T10:00:00+02:00",
                "en_GB", staff_number="S-0042")


def _signer(folder, name="Ministry of the Interior"):
    create_issuer(TRAINER_KIM, folder, name, PASSPHRASE, cost=QUICK)
    return unlock_issuer(TRAINER_KIM, folder, PASSPHRASE)


@pytest.fixture
def signer(data_dir):
    return _signer(data_dir)


@pytest.fixture
def other_signer(tmp_path):
    folder = tmp_path / "other-office"
    folder.mkdir()
    return _signer(folder, "Provincial Training Centre")


def _trusting(*signers):
    return [TrustedIssuer(s.issuer.id, s.issuer.name) for s in signers]


# --- the credential against the Open Badges 3.0 schema ---

def _refuse_network(uri: str):
    raise AssertionError(f"the schema asked to fetch {uri}: validation must stay offline")


@pytest.fixture(scope="module")
def validator():
    """The shared schema's every $ref is inside it (#/$defs/...); a registry that refuses to retrieve
    anything proves that, and the draft 2019-09 meta-schema comes bundled with jsonschema."""
    schema = json.loads((BADGES / "ob_v3p0_achievementcredential.schema.json").read_text(encoding="utf-8"))
    registry = Registry(retrieve=_refuse_network).with_resource(schema["$id"], Resource.from_contents(schema))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


def _date_times(value, path=""):
    """Every value the schema declares as date-time, found by name."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("validFrom", "validUntil", "awardedDate", "activityEndDate", "created"):
                yield f"{path}.{key}", item
            yield from _date_times(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _date_times(item, f"{path}[{index}]")


def test_the_validator_catches_a_broken_credential(validator):
    example = json.loads((BADGES / "ob_v3p0_example_basicOpenBadgeCredential.json").read_text(encoding="utf-8"))
    assert not list(validator.iter_errors(example))
    del example["credentialSubject"]["achievement"]["criteria"]
    assert list(validator.iter_errors(example))


@pytest.mark.parametrize("completion", [KO, AR, EN], ids=["ko", "ar", "en"])
def test_issued_credentials_are_valid_open_badges(validator, signer, completion):
    credential = issue_credential(TRAINER_KIM, signer, completion)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(credential)]
    assert errors == []
    # jsonschema checks "format": "date-time" only with an extra package; check RFC 3339 here.
    for where, value in _date_times(credential):
        assert value.endswith("Z") and dt.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo, where
    assert credential["issuer"]["id"] == signer.issuer.id and credential["issuer"]["id"].startswith("did:key:z6Mk")
    assert credential["proof"][0]["cryptosuite"] == "eddsa-jcs-2022"


def test_credentials_speak_the_learners_language(signer):
    ko = issue_credential(TRAINER_KIM, signer, KO)
    en = issue_credential(TRAINER_KIM, signer, EN)
    assert ko["credentialSubject"]["achievement"]["inLanguage"] == "ko"
    assert en["credentialSubject"]["achievement"]["inLanguage"] == "en-GB"
    assert ko["credentialSubject"]["identifier"][0]["identityHash"] == "김민준"
    assert en["credentialSubject"]["identifier"][1] == {"type": "IdentityObject", "identityHash": "S-0042",
                                                         "identityType": "ext:staffNumber", "hashed": False}
    assert en["validFrom"] == "2026-11-19T08:00:00Z"  # the offset applied, in UTC


def test_the_same_completion_gives_the_same_credential_every_time(signer):
    first = issue_credential(TRAINER_KIM, signer, KO)
    again = issue_credential(TRAINER_KIM, signer, KO)
    assert first == again and verification_code(first) == verification_code(again)
    renamed = Completion(**{**KO.__dict__, "learner_name": "김민준 (Kim Min-jun)"})
    assert issue_credential(TRAINER_KIM, signer, renamed)["id"] == first["id"]  # one credential id for life
    other_course = Completion(**{**KO.__dict__, "course_version": "1.3.0"})
    assert issue_credential(TRAINER_KIM, signer, other_course)["id"] != first["id"]


def test_a_learner_cannot_issue(signer):
    with pytest.raises(NotAllowed):
        issue_credential(LEARNER_LEE, signer, KO)


@pytest.mark.parametrize("field, value, said", [("learner_name", " ", "learner_name is empty"),
                                                ("completed_at", "last Tuesday", "completed_at is not a date"),
                                                ("locale", "Korean!", "locale is not a language code"),
                                                ("course_title", "AI\nfoundations", "control characters")])
def test_a_bad_completion_is_refused_by_name(signer, field, value, said):
    with pytest.raises(CompletionError, match=said):
        issue_credential(TRAINER_KIM, signer, Completion(**{**KO.__dict__, field: value}))


# --- verification ---

def test_a_credential_from_a_trusted_issuer_is_valid(signer):
    credential = issue_credential(TRAINER_KIM, signer, EN)
    result = verify_credential(json.dumps(credential).encode(), _trusting(signer))
    assert result.status is Status.VALID and result.valid
    assert (result.learner_name, result.course, result.issuer_name) == ("Anna Clarke", "AI foundations",
                                                                         "Ministry of the Interior")
    assert result.code.replace("-", "").lower() == verification_code(credential)
    assert "Ministry of the Interior" in result.message and result.code in result.message


def test_one_character_of_the_name_changed_is_altered(signer):
    credential = issue_credential(TRAINER_KIM, signer, EN)
    text = json.dumps(credential, ensure_ascii=False, indent=2)
    assert text.count("Anna Clarke") == 1
    result = verify_credential(text.replace("Anna Clarke", "Anna Clerke"), _trusting(signer))
    assert result.status is Status.ALTERED and "does not match" in result.message
    korean = json.dumps(issue_credential(TRAINER_KIM, signer, KO), ensure_ascii=False)
    assert verify_credential(korean.replace("김민준", "김민순"), _trusting(signer)).status is Status.ALTERED


@pytest.mark.parametrize("position", [5, 40, -1])
def test_a_changed_proof_value_is_altered(signer, position):
    credential = issue_credential(TRAINER_KIM, signer, KO)
    value = credential["proof"][0]["proofValue"]
    index = position % len(value)
    changed = value[:index] + ("2" if value[index] != "2" else "3") + value[index + 1:]
    credential["proof"][0]["proofValue"] = changed
    assert verify_credential(credential, _trusting(signer)).status is Status.ALTERED
    credential["proof"][0]["proofValue"] = value[:-1] + "0"  # not even base58
    assert verify_credential(credential, _trusting(signer)).status is Status.ALTERED


@pytest.mark.parametrize("change", ["date", "course", "issuer name", "extra field", "removed staff number"])
def test_any_change_to_the_content_is_altered(signer, change):
    credential = issue_credential(TRAINER_KIM, signer, EN)
    if change == "date":
        credential["awardedDate"] = "2026-11-18T08:00:00Z"
    elif change == "course":
        credential["credentialSubject"]["achievement"]["version"] = "2.0.0"
    elif change == "issuer name":
        credential["issuer"]["name"] = "Ministry of Finance"
    elif change == "extra field":
        credential["credentialSubject"]["creditsEarned"] = 30
    else:
        credential["credentialSubject"]["identifier"].pop()
    assert verify_credential(credential, _trusting(signer)).status is Status.ALTERED


def test_another_institutions_credential_is_unknown_until_trusted(signer, other_signer):
    credential = json.dumps(issue_credential(TRAINER_KIM, other_signer, AR), ensure_ascii=False)
    result = verify_credential(credential, _trusting(signer))
    assert result.status is Status.UNKNOWN_ISSUER
    assert "Provincial Training Centre" in result.message and "does not trust" in result.message
    assert result.code  # the signature itself checked out
    assert verify_credential(credential, []).status is Status.UNKNOWN_ISSUER
    assert verify_credential(credential, _trusting(signer, other_signer)).status is Status.VALID
    altered = credential.replace("فاطمة", "فاطمه")
    assert verify_credential(altered, _trusting(signer, other_signer)).status is Status.ALTERED


def test_a_credential_re_signed_by_another_key_under_a_trusted_name_is_not_valid(signer, other_signer):
    credential = issue_credential(TRAINER_KIM, signer, EN)
    forged = other_signer.sign({k: v for k, v in credential.items() if k != "proof"})  # issuer still says Ministry
    result = verify_credential(forged, _trusting(signer, other_signer))
    assert result.status is Status.UNKNOWN_ISSUER and "not the key of the issuer it names" in result.message


def test_a_key_that_cannot_be_read_offline_is_an_unknown_issuer(signer):
    credential = issue_credential(TRAINER_KIM, signer, EN)
    credential["proof"][0]["verificationMethod"] = "https://ministry.example/keys/1"
    result = verify_credential(credential, _trusting(signer))
    assert result.status is Status.UNKNOWN_ISSUER and "cannot read offline" in result.message


def _without(document, path):
    document = copy.deepcopy(document)
    parts = path.split(".")
    target = document
    for part in parts[:-1]:
        target = target[part] if not part.startswith("proof") else target["proof"][0]
    del target[parts[-1]]
    return document


@pytest.mark.parametrize("path", ["credentialSubject.achievement.name", "issuer", "validFrom", "credentialSubject",
                                  "proof", "proof[0].proofValue", "proof[0].verificationMethod"])
def test_a_missing_field_is_invalid_and_named(signer, path):
    credential = issue_credential(TRAINER_KIM, signer, EN)
    result = verify_credential(_without(credential, path), _trusting(signer))
    assert result.status is Status.INVALID
    assert result.field == path and path in result.message


@pytest.mark.parametrize("text, said, field, line", [
    ('{\n  "id": "x",\n  "type": [\n}', "not JSON", None, 4),
    ("[1, 2]", "JSON object", None, None),
    ('{"@context": ["https://www.w3.org/ns/credentials/v2"], "@context": []}', "appears twice", "@context", None),
    ('{"a": NaN}', "NaN", None, None),
    ('{"@context": ["https://www.w3.org/2018/credentials/v1"]}', "Verifiable Credential 2.0", "@context", None),
    ('{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}', "Open Badges",
     "type", None),
])
def test_what_is_not_a_credential_says_what_and_where(text, said, field, line):
    result = verify_credential(text.encode(), [])
    assert result.status is Status.INVALID and said in result.message
    assert (result.field, result.line) == (field, line)


def test_other_proof_kinds_are_invalid_not_altered(signer):
    credential = issue_credential(TRAINER_KIM, signer, EN)
    credential["proof"][0]["cryptosuite"] = "ecdsa-rdfc-2019"
    result = verify_credential(credential, _trusting(signer))
    assert result.status is Status.INVALID and "ecdsa-rdfc-2019" in result.message
    credential = issue_credential(TRAINER_KIM, signer, EN)
    credential["proof"].append(copy.deepcopy(credential["proof"][0]))
    assert verify_credential(credential, _trusting(signer)).field == "proof"


# --- batches ---

def test_a_batch_writes_one_file_per_completion_with_progress(tmp_path, data_dir, signer):
    seen = []
    database = open_database(data_dir)
    try:
        issued = issue_batch(TRAINER_KIM, signer, [KO, AR, EN, KO], tmp_path / "out",
                             TaskState(lambda p, m: seen.append(p)), database=database)
        rows = issued_list(database)
    finally:
        database.dispose()
    assert [f.completion for f in issued] == [KO, AR, EN]  # the duplicate is one credential
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f.path.name for f in issued)
    for item in issued:
        on_disk = json.loads(item.path.read_text(encoding="utf-8"))
        assert on_disk == item.credential and verify_credential(on_disk, _trusting(signer)).valid
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert {(r["learner_name"], r["code"]) for r in rows} == {(f.completion.learner_name, f.code) for f in issued}


def test_a_batch_in_another_order_or_twice_gives_the_same_files(tmp_path, signer):
    one = issue_batch(TRAINER_KIM, signer, [KO, AR, EN], tmp_path / "one", TaskState())
    two = issue_batch(TRAINER_KIM, signer, [EN, KO, AR], tmp_path / "two", TaskState())
    issue_batch(TRAINER_KIM, signer, [AR, EN, KO], tmp_path / "one", TaskState())  # again, over the first
    files = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    assert files == {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert len(files) == 3 and {f.path.name for f in one} == {f.path.name for f in two}


def test_a_bad_record_stops_the_batch_before_any_file(tmp_path, signer):
    broken = Completion(**{**AR.__dict__, "completed_at": "2026-13-40"})
    with pytest.raises(InvalidInput) as caught:
        issue_batch(TRAINER_KIM, signer, [KO, broken, EN], tmp_path / "out", TaskState())
    assert [(p.line, "completed_at" in p.message) for p in caught.value.problems] == [(2, True)]
    assert not (tmp_path / "out").exists()


def test_a_learner_cannot_issue_a_batch(tmp_path, signer):
    with pytest.raises(NotAllowed):
        issue_batch(LEARNER_LEE, signer, [KO], tmp_path / "out", TaskState())
    assert not (tmp_path / "out").exists()


def test_a_cancelled_batch_leaves_whole_files_and_records_them(tmp_path, data_dir, signer):
    # Cancel is pressed while the third of four is being signed: it finishes, the fourth is never started.
    state = TaskState(on_progress=lambda p, m: state.request_cancel() if p >= 0.5 else None)
    database = open_database(data_dir)
    try:
        with pytest.raises(Cancelled):
            issue_batch(TRAINER_KIM, signer, [KO, AR, EN, Completion(**{**EN.__dict__, "learner_key": "x/9"})],
                        tmp_path / "out", state, database=database)
        rows = issued_list(database)
    finally:
        database.dispose()
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == 3 and len(rows) == 3 and not any(f.name.startswith(".") for f in files)
    assert all(verify_credential(f.read_bytes(), _trusting(signer)).valid for f in files)


# --- the printable sheet's texts ---

def test_the_certificate_sheet_is_in_the_credentials_language(signer):
    sheet = certificate_sheet(issue_credential(TRAINER_KIM, signer, KO), "ai-foundations_kim.json")
    assert sheet.locale == "ko" and sheet.signed and sheet.notice is None
    assert "2026년 11월 20일" in " ".join(sheet.details)  # the date as Korean writes it (CLDR)
    assert sheet.learner == "김민준" and sheet.course == "AI 기초"
    code = verification_code(issue_credential(TRAINER_KIM, signer, KO)).upper()
    assert code[:4] in sheet.code and "ai-foundations_kim.json" in sheet.how_to_verify
    arabic = certificate_sheet(issue_credential(TRAINER_KIM, signer, AR))
    assert arabic.rtl and arabic.locale == "ar" and "Ministry of the Interior" in " ".join(arabic.details)


def test_a_record_of_completion_is_marked_unsigned():
    sheet = record_sheet(KO)
    assert not sheet.signed and sheet.code is None and sheet.how_to_verify is None
    assert sheet.notice and sheet.notice in sheet.document_title and sheet.lines()[0] == sheet.notice
    assert "2026년 11월 20일" in " ".join(sheet.details)
    assert record_sheet(EN).notice == "Not a signed certificate"


def test_issuing_from_the_unsigned_build_is_not_possible():
    """build_credential alone is not a credential: without a proof it verifies as INVALID, never VALID."""
    from app.core.certificates.issuer import Issuer

    unsigned = build_credential(Issuer("did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", "Anyone"), EN)
    result = verify_credential(unsigned, [TrustedIssuer(unsigned["issuer"]["id"], "Anyone")])
    assert result.status is Status.INVALID and result.field == "proof"


# --- whatever the file holds, verify answers (never raises) and only an untouched credential is valid ---

def _fixed_signer():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.core.certificates.didkey import did_for
    from app.core.certificates.issuer import Issuer, Signer

    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    return Signer(Issuer(did_for(key.public_key()), "Fixed Institute"), key)


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                     max_leaves=8)


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, path + (index,))
    else:
        yield path


@settings(max_examples=150, deadline=None)
@given(value=_JSON)
def test_any_json_is_answered_and_never_valid(value):
    result = verify_credential(json.dumps(value), _trusting(_fixed_signer()))
    assert result.status is not Status.VALID and result.message


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_changed_leaf_makes_a_credential_not_valid(data):
    signer = _fixed_signer()
    credential = issue_credential(TRAINER_KIM, signer, EN)
    assert verify_credential(credential, _trusting(signer)).valid
    paths = list(_leaves(credential))
    path = data.draw(st.sampled_from(paths))
    target = credential
    for step in path[:-1]:
        target = target[step]
    new = data.draw(_JSON.filter(lambda v: v != target[path[-1]] or type(v) is not type(target[path[-1]])))
    target[path[-1]] = new
    assert verify_credential(json.dumps(credential), _trusting(signer)).status is not Status.VALID
