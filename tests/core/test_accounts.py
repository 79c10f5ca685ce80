"""Local accounts: hashed passwords, the lock-out, resets, kiosk profiles, and roles enforced by the
core itself (a learner's principal is refused by the operations, not only by hidden buttons)."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import subprocess
import sys
import time

import pytest

from app.core.accounts import passwords
from app.core.accounts.passwords import DEFAULT_COST, ScryptCost, hash_password, needs_rehash, verify_password
from app.core.accounts.roles import (ADMIN, LEARNER, TRAINER, NotAllowed, PasswordChangeRequired, Principal,
                                     installation_principal, require)
from app.core.accounts.store import (LOCK_DURATION, MAX_FAILURES, AccountError, AccountLocked, Accounts,
                                     SignInFailed)
from app.core.installation import load_installation
from app.core.paths import database_path, installation_path
from app.core.record.store import LearningRecord
from app.core.storage.database import open_database
from tests.conftest import ROOT

QUICK = ScryptCost(log2_n=4, r=8, p=1)  # hashing at full cost would make each test take seconds
IT = installation_principal()


class Clock:
    def __init__(self):
        self.now = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def database(data_dir):
    database = open_database(data_dir)
    yield database
    database.dispose()


@pytest.fixture
def store(database, clock):
    return Accounts(database, clock=clock, cost=QUICK)


@pytest.fixture
def people(store):
    """An administrator, a trainer and a learner, signed in."""
    store.create_account(IT, "Admin Park", ADMIN, "admin-password-1")
    store.create_account(IT, "Trainer Lee", TRAINER, "trainer-password-1")
    store.create_account(IT, "Learner Kim", LEARNER, "learner-password-1", locale="ko")
    return {role: store.sign_in(name, f"{role}-password-1")
            for role, name in (("admin", "Admin Park"), ("trainer", "Trainer Lee"), ("learner", "Learner Kim"))}


# -- passwords

def test_a_hash_names_its_algorithm_and_parameters_and_has_its_own_salt():
    first, second = hash_password("correct horse", QUICK), hash_password("correct horse", QUICK)
    assert first.startswith("$scrypt$ln=4,r=8,p=1$")
    assert first != second  # a per-hash salt: equal passwords do not show as equal hashes
    assert "correct horse" not in first
    assert verify_password("correct horse", first) and verify_password("correct horse", second)
    assert not verify_password("correct horsf", first)
    assert not verify_password("", first)


def test_the_default_cost_is_memory_hard_and_fit_for_an_old_pc():
    assert DEFAULT_COST == ScryptCost(log2_n=15, r=8, p=1)
    assert DEFAULT_COST.memory == 32 * 1024 * 1024
    stored = hash_password("a real password")
    assert stored.startswith("$scrypt$ln=15,r=8,p=1$")
    start = time.process_time()  # CPU time of this process: other work on a shared machine does not count
    assert verify_password("a real password", stored)
    assert time.process_time() - start < 3.0  # ~0.1 s here


def test_verification_compares_in_constant_time(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(passwords.hmac, "compare_digest", spy)
    stored = hash_password("a password", QUICK)
    assert not verify_password("another", stored)
    assert calls and all(isinstance(a, bytes) and len(a) == len(b) == 32 for a, b in calls)


def test_the_same_password_typed_in_another_unicode_form_matches():
    stored = hash_password("ｐａｓｓ１２３４５６", QUICK)  # full-width, as some Asian keyboard layouts type it
    assert verify_password("pass123456", stored)
    assert verify_password("한국어비밀번호", hash_password("한국어비밀번호", QUICK))  # Hangul composed or not
    assert verify_password("\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165\u1107\u1175\u1106\u1175\u11af"
                           "\u1107\u1165\u11ab\u1112\u1169", hash_password("한국어비밀번호", QUICK))


@pytest.mark.parametrize("stored", ["", "plain text", "$scrypt$ln=15$x$y", "$scrypt$ln=a,r=8,p=1$AAAA$BBBB",
                                    "$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$" + "A" * 43,
                                    "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"])
def test_a_damaged_or_foreign_hash_is_refused_quickly_not_crashed_on(stored):
    start = time.process_time()  # CPU time of this process: other work on a shared machine does not count
    assert verify_password("anything at all", stored) is False
    assert time.process_time() - start < 3.0  # ln=40 would need 128 TiB: the bounds refuse it first
    assert needs_rehash(stored)


def test_weaker_parameters_ask_for_a_rehash():
    assert needs_rehash(hash_password("x" * 10, QUICK))
    assert not needs_rehash(hash_password("x" * 10, QUICK), QUICK)


# -- roles, enforced by the core

def test_require_allows_a_role_and_those_above_it():
    learner = Principal("Kim", LEARNER, "l1", "a1")
    trainer = Principal("Lee", TRAINER, "l2", "a2")
    admin = Principal("Park", ADMIN, "l3", "a3")
    assert require(trainer, TRAINER) is trainer and require(admin, TRAINER) is admin and require(admin, ADMIN)
    assert require(learner, LEARNER) is learner
    with pytest.raises(NotAllowed, match="Kim is signed in with the learner role; this needs the trainer role"):
        require(learner, TRAINER)
    with pytest.raises(NotAllowed, match="administrator"):
        require(trainer, ADMIN)
    with pytest.raises(NotAllowed, match="Sign in first"):
        require(None, LEARNER)
    with pytest.raises(PasswordChangeRequired):
        require(Principal("Park", ADMIN, "l3", "a3", must_change_password=True), TRAINER)


def test_a_learner_cannot_call_trainer_or_administrator_operations(store, people):
    learner = people["learner"]
    before = [(a.name, a.role, a.must_change_password, a.locked_until) for a in store.accounts(IT)]
    target = store.find(IT, "Admin Park").id
    refused = [
        lambda: require(learner, TRAINER),  # the gate of the authoring API
        lambda: store.create_account(learner, "Mallory", ADMIN, "mallory-password"),
        lambda: store.reset_password(learner, target, "mallory-password"),
        lambda: store.unlock(learner, target),
        lambda: store.set_role(learner, people["learner"].account_id, ADMIN),
        lambda: store.accounts(learner),
        lambda: store.find(learner, "Admin Park"),
        lambda: store.unlinked_learners(learner),
    ]
    for call in refused:
        with pytest.raises(NotAllowed):
            call()
    assert [(a.name, a.role, a.must_change_password, a.locked_until) for a in store.accounts(IT)] == before
    assert store.sign_in("Admin Park", "admin-password-1").role == ADMIN  # the reset did not happen


def test_a_trainer_can_author_but_not_administer(store, people):
    trainer = people["trainer"]
    assert require(trainer, TRAINER) is trainer
    with pytest.raises(NotAllowed):
        store.create_account(trainer, "Another", LEARNER, "another-password")
    with pytest.raises(NotAllowed):
        store.set_role(trainer, trainer.account_id, ADMIN)
    assert store.find(IT, "Trainer Lee").role == TRAINER


def test_the_core_trusts_the_database_not_a_principal_it_is_handed(store, people):
    # A learner's principal with its role rewritten in memory is still refused...
    forged = Principal(people["learner"].name, ADMIN, people["learner"].learner_id, people["learner"].account_id)
    with pytest.raises(NotAllowed):
        store.create_account(forged, "Mallory", ADMIN, "mallory-password")
    # ...as is a principal with no account behind it, and an administrator demoted since signing in.
    with pytest.raises(NotAllowed):
        store.accounts(Principal("Nobody", ADMIN, None, None))
    store.create_account(IT, "Second Admin", ADMIN, "second-password")
    second = store.sign_in("second admin", "second-password")
    store.set_role(people["admin"], second.account_id, TRAINER)
    with pytest.raises(NotAllowed, match="no longer has the administrator role"):
        store.accounts(second)
    assert not any(a.name == "Mallory" for a in store.accounts(IT))


def test_an_administrator_manages_accounts(store, people):
    admin = people["admin"]
    created = store.create_account(admin, "New Trainer", TRAINER, "new-trainer-pw")
    assert created.role == TRAINER and not created.must_change_password
    assert [a.name for a in store.accounts(admin)] == ["Admin Park", "Learner Kim", "New Trainer", "Trainer Lee"]
    assert store.set_role(admin, created.id, ADMIN).role == ADMIN
    with pytest.raises(AccountError, match="already an account named"):
        store.create_account(admin, "  new TRAINER ", LEARNER, "whatever-pw")
    with pytest.raises(AccountError, match="Unknown role 'owner'"):
        store.create_account(admin, "Someone", "owner", "whatever-pw")
    with pytest.raises(AccountError, match="too short"):
        store.create_account(admin, "Someone", LEARNER, "short")
    with pytest.raises(AccountError, match="cannot be the account's name"):
        store.create_account(admin, "Someone Long", LEARNER, "someone long")
    with pytest.raises(AccountError, match="control characters"):
        store.create_account(admin, "Line\nbreak", LEARNER, "whatever-pw")


def test_the_last_administrator_cannot_be_demoted(store, people):
    with pytest.raises(AccountError, match="last administrator"):
        store.set_role(people["admin"], people["admin"].account_id, LEARNER)
    assert store.find(IT, "Admin Park").role == ADMIN


def test_the_first_administrator_only_once(store):
    assert not store.has_administrator()
    admin = store.create_first_administrator("Founder", "founder-password")
    assert admin.role == ADMIN and store.has_administrator()
    with pytest.raises(NotAllowed):
        store.create_first_administrator("Intruder", "intruder-password")
    assert [a.name for a in store.accounts(IT)] == ["Founder"]


# -- signing in and the lock-out

def test_sign_in_gives_the_account_and_its_learner_profile(store, database, people):
    learner = people["learner"]
    assert learner.role == LEARNER and learner.name == "Learner Kim" and not learner.must_change_password
    profile = LearningRecord(database).learner(learner.learner_id)
    assert (profile.name, profile.locale) == ("Learner Kim", "ko")
    assert store.sign_in("  learner KIM ", "learner-password-1").account_id == learner.account_id


def test_a_wrong_name_and_a_wrong_password_read_the_same(store, people):
    with pytest.raises(SignInFailed) as wrong_name:
        store.sign_in("Nobody", "learner-password-1")
    with pytest.raises(SignInFailed) as wrong_password:
        store.sign_in("Learner Kim", "not-the-password")
    assert str(wrong_name.value) == str(wrong_password.value) == "The name or the password is wrong."


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(store, clock, people):
    assert (MAX_FAILURES, LOCK_DURATION) == (5, dt.timedelta(minutes=15))
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInFailed) as failed:
            store.sign_in("Learner Kim", "guess")
        assert not isinstance(failed.value, AccountLocked)
    store.sign_in("Learner Kim", "learner-password-1")  # a success starts the count again
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInFailed):
            store.sign_in("Learner Kim", "guess")
    with pytest.raises(AccountLocked, match="locked for 15 more minutes") as locked:
        store.sign_in("Learner Kim", "guess")
    assert locked.value.until == clock.now + LOCK_DURATION
    clock.advance(minutes=14)
    with pytest.raises(AccountLocked, match="1 more minute"):
        store.sign_in("Learner Kim", "learner-password-1")  # even the right password waits
    clock.advance(minutes=1)
    assert store.sign_in("Learner Kim", "learner-password-1").role == LEARNER
    assert store.sign_in("Trainer Lee", "trainer-password-1")  # other accounts were never affected


def test_the_lock_and_the_failure_count_survive_a_restart(data_dir, clock):
    def session():
        database = open_database(data_dir)
        return database, Accounts(database, clock=clock, cost=QUICK)

    database, store = session()
    store.create_account(IT, "Kim", LEARNER, "the-password")
    for _ in range(MAX_FAILURES - 2):
        with pytest.raises(SignInFailed):
            store.sign_in("Kim", "guess")
    database.dispose()
    database, store = session()  # the app was closed and opened again
    for _ in range(2):
        with pytest.raises(SignInFailed):
            store.sign_in("Kim", "guess")
    database.dispose()
    database, store = session()
    try:
        with pytest.raises(AccountLocked):
            store.sign_in("Kim", "the-password")
        assert store.find(IT, "Kim").locked_at(clock.now)
    finally:
        database.dispose()


def test_a_clock_set_back_does_not_stretch_the_lock(store, clock, people):
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInFailed):
            store.sign_in("Learner Kim", "guess")
    clock.advance(days=-30)
    with pytest.raises(AccountLocked, match="15 more minutes"):
        store.sign_in("Learner Kim", "learner-password-1")
    clock.advance(minutes=15)
    assert store.sign_in("Learner Kim", "learner-password-1")


def test_an_administrator_unlocks_an_account_at_once(store, clock, people):
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInFailed):
            store.sign_in("Trainer Lee", "guess")
    account = store.unlock(people["admin"], people["trainer"].account_id)
    assert not account.locked_at(clock.now) and account.failed_attempts == 0
    assert store.sign_in("Trainer Lee", "trainer-password-1").role == TRAINER


# -- resets and changes

def test_a_reset_password_must_be_changed_before_anything_else(store, people):
    admin, trainer = people["admin"], people["trainer"]
    store.reset_password(admin, trainer.account_id, "temporary-123")
    with pytest.raises(SignInFailed):
        store.sign_in("Trainer Lee", "trainer-password-1")  # the old password is gone
    temporary = store.sign_in("Trainer Lee", "temporary-123")
    assert temporary.must_change_password
    with pytest.raises(PasswordChangeRequired):
        require(temporary, TRAINER)
    with pytest.raises(NotAllowed):  # the stale principal from before the reset is refused by the database
        store.accounts(Principal(trainer.name, ADMIN, trainer.learner_id, trainer.account_id))
    with pytest.raises(AccountError, match="must differ"):
        store.change_password(temporary, "temporary-123", "temporary-123")
    with pytest.raises(AccountError, match="too short"):
        store.change_password(temporary, "temporary-123", "short")
    with pytest.raises(SignInFailed, match="current password is wrong"):
        store.change_password(temporary, "wrong-current", "brand-new-pw")
    changed = store.change_password(temporary, "temporary-123", "brand-new-pw")
    assert not changed.must_change_password and require(changed, TRAINER) is changed
    assert store.sign_in("Trainer Lee", "brand-new-pw").role == TRAINER
    with pytest.raises(SignInFailed):
        store.sign_in("Trainer Lee", "temporary-123")


def test_a_reset_also_unlocks(store, clock, people):
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInFailed):
            store.sign_in("Learner Kim", "guess")
    store.reset_password(people["admin"], people["learner"].account_id, "temporary-123")
    assert store.sign_in("Learner Kim", "temporary-123").must_change_password


def test_wrong_current_passwords_count_towards_the_lock_out(store, people):
    learner = people["learner"]
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInFailed):
            store.change_password(learner, "guess", "brand-new-pw")
    with pytest.raises(AccountLocked):
        store.change_password(learner, "guess", "brand-new-pw")
    with pytest.raises(AccountLocked):
        store.sign_in("Learner Kim", "learner-password-1")


def test_raised_parameters_apply_at_the_next_sign_in(database, clock):
    old = Accounts(database, clock=clock, cost=QUICK)
    old.create_account(IT, "Kim", LEARNER, "the-password")
    stronger = ScryptCost(log2_n=5, r=8, p=1)
    Accounts(database, clock=clock, cost=stronger).sign_in("Kim", "the-password")
    with database.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM accounts").scalar_one()
    assert stored.startswith("$scrypt$ln=5,r=8,p=1$") and verify_password("the-password", stored)


# -- passwords never in clear

def test_no_password_reaches_the_database_file_or_the_log(data_dir, clock, tmp_path):
    log_file = tmp_path / "app.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    secrets = ["Admin-Secret-7731", "Trainer-Secret-4410", "Temporary-Secret-9902", "Changed-Secret-5521",
               "Guessed-Secret-0007"]
    try:
        database = open_database(data_dir)
        store = Accounts(database, clock=clock, cost=QUICK)
        store.create_account(IT, "Admin Park", ADMIN, secrets[0])
        admin = store.sign_in("Admin Park", secrets[0])
        trainer = store.create_account(admin, "Trainer Lee", TRAINER, secrets[1])
        for guess in (secrets[4], secrets[1] + "x"):
            with pytest.raises(SignInFailed):
                store.sign_in("Trainer Lee", guess)
        with pytest.raises(SignInFailed):
            store.sign_in(secrets[4], secrets[4])  # a password typed into the name field
        store.reset_password(admin, trainer.id, secrets[2])
        store.change_password(store.sign_in("Trainer Lee", secrets[2]), secrets[2], secrets[3])
        for _ in range(MAX_FAILURES):
            with pytest.raises(SignInFailed):
                store.sign_in("Trainer Lee", secrets[4])
        database.dispose()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    path = database_path(data_dir)
    stored = b"".join(p.read_bytes() for p in path.parent.rglob("learning-record*") if p.is_file())
    logged = log_file.read_text(encoding="utf-8")
    assert b"Trainer Lee" in stored and b"$scrypt$" in stored  # the right files were read
    assert "Trainer Lee" in logged and "locked" in logged
    for secret in secrets:
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in stored, secret
        assert secret not in logged, secret


# -- kiosk mode and learner profiles made before accounts

def test_kiosk_mode_opens_learner_profiles_but_never_a_trainers_powers(store, data_dir, database, people):
    installation_path(data_dir).write_text('{"kiosk": true}\n', encoding="utf-8")
    kiosk = load_installation(data_dir)
    assert kiosk.kiosk and kiosk.problems == ()
    picked = store.open_profile(people["learner"].learner_id, kiosk)
    assert picked.role == LEARNER and picked.account_id is None and picked.name == "Learner Kim"
    trainers_profile = store.open_profile(people["trainer"].learner_id, kiosk)  # the trainer's own record...
    assert trainers_profile.role == LEARNER  # ...but not the trainer's role
    with pytest.raises(NotAllowed):
        require(trainers_profile, TRAINER)
    with pytest.raises(NotAllowed):  # even with the role rewritten: no account, no password, no power
        store.accounts(Principal("Trainer Lee", ADMIN, people["trainer"].learner_id, None, via=picked.via))
    assert store.sign_in("Trainer Lee", "trainer-password-1").role == TRAINER  # trainers still use passwords
    installation_path(data_dir).unlink()
    with pytest.raises(NotAllowed, match="sign in"):
        store.open_profile(people["learner"].learner_id, load_installation(data_dir))


def test_until_the_first_account_exists_profiles_open_as_before(store, database, data_dir):
    learner = LearningRecord(database).add_learner("Made before accounts", "en")
    installation = load_installation(data_dir)
    assert not installation.kiosk and store.profiles_open(installation)
    assert store.open_profile(learner.id, installation).learner_id == learner.id
    store.create_first_administrator("Founder", "founder-password")
    assert not store.profiles_open(installation)
    with pytest.raises(NotAllowed):
        store.open_profile(learner.id, installation)


def test_a_profile_made_before_accounts_is_linked_and_keeps_its_record(store, database, people):
    record = LearningRecord(database)
    old = record.add_learner("Choi", "vi")
    admin = people["admin"]
    assert store.unlinked_learners(admin) == [(old.id, "Choi")]
    store.create_account(admin, "choi", LEARNER, "choi-password", learner_id=old.id)
    assert store.unlinked_learners(admin) == []
    signed = store.sign_in("Choi", "choi-password")
    assert signed.learner_id == old.id and record.learner(old.id).locale == "vi"
    with pytest.raises(AccountError):  # one account per profile
        store.create_account(admin, "choi two", LEARNER, "choi-password", learner_id=old.id)
    with pytest.raises(AccountError, match="no learner profile"):
        store.create_account(admin, "ghost", LEARNER, "ghost-password", learner_id="no-such-id")
    assert [a.name for a in store.accounts(admin)].count("choi two") == 0


@pytest.mark.parametrize("text, line, fragment", [
    ('{"kiosk": true,\n "kiosk_typo": 1}\n', 2, "unknown setting 'kiosk_typo'"),
    ('{\n  "kiosk": "yes"\n}\n', 2, "must be true or false"),
    ('{\n  "kiosk": true,\n}\n', 3, "not valid JSON"),
    ('[true]', 1, "one JSON object"),
])
def test_a_mistake_in_installation_json_is_reported_and_asks_for_passwords(data_dir, text, line, fragment):
    installation_path(data_dir).write_text(text, encoding="utf-8")
    installation = load_installation(data_dir)
    [problem] = installation.problems
    assert (problem.file, problem.line) == (str(installation_path(data_dir)), line)
    assert fragment in problem.message
    assert installation.kiosk is (fragment.startswith("unknown"))  # a valid kiosk key still counts


def test_installation_json_written_by_notepad_reads(data_dir):
    installation_path(data_dir).write_bytes('\ufeff{"kiosk": true}'.encode("utf-8"))
    assert load_installation(data_dir).kiosk
    installation_path(data_dir).unlink()
    assert load_installation(data_dir).kiosk is False


# -- the commands IT runs

def run(data_dir, *args, stdin=""):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), "account", *args],
                          input=stdin, capture_output=True, text=True, timeout=120)


def test_it_creates_the_first_administrator_lists_resets_and_unlocks(data_dir):
    created = run(data_dir, "create-admin", "--name", "Admin Park", stdin="Install-Secret-1\n")
    assert created.returncode == 0, created.stderr
    assert "Administrator Admin Park created" in created.stdout
    assert run(data_dir, "create-admin", "--name", "Other", stdin="short\n").returncode == 1
    taken = run(data_dir, "create-admin", "--name", "ADMIN PARK", stdin="Another-Secret-1\n")
    assert taken.returncode == 1 and "already an account" in taken.stderr
    assert run(data_dir, "create-admin", "--name", "Nobody").returncode == 1  # no password given
    database = open_database(data_dir)
    try:
        store = Accounts(database)
        assert store.sign_in("admin park", "Install-Secret-1").role == ADMIN
        for _ in range(MAX_FAILURES):
            with pytest.raises(SignInFailed):
                store.sign_in("Admin Park", "guess")
    finally:
        database.dispose()
    listed = run(data_dir, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data["kiosk"] is False and data["profiles_open"] is False
    assert [(a["name"], a["role"], a["locked"]) for a in data["accounts"]] == [("Admin Park", "admin", True)]
    assert run(data_dir, "unlock", "admin park").returncode == 0
    reset = run(data_dir, "reset", "Admin Park", stdin="Reset-Secret-2\n")
    assert reset.returncode == 0, reset.stderr
    missing = run(data_dir, "reset", "Nobody", stdin="Reset-Secret-2\n")
    assert missing.returncode == 1 and "no account named Nobody" in missing.stderr
    text = run(data_dir, "list")
    assert "Kiosk mode: off" in text.stdout and "must change password" in text.stdout
    assert "locked" not in text.stdout
    database = open_database(data_dir)
    try:
        assert Accounts(database).sign_in("Admin Park", "Reset-Secret-2").must_change_password
    finally:
        database.dispose()
    for done in (created, listed, reset, text):
        assert "Secret" not in done.stdout + done.stderr


def test_list_reports_a_broken_installation_file(data_dir):
    installation_path(data_dir).write_text('{"kiosk": "on"}', encoding="utf-8")
    done = run(data_dir, "list", "--json")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert data["kiosk"] is False and data["problems"][0]["line"] == 1
    assert "installation.json:1:" in done.stderr
