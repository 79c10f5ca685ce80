"""`python main.py certificate issuer create|export`, `certificate trust FILE` and `certificate verify FILE
[--json]` (app/certificate_cli.py): two data folders stand in for the institution and a ministry; the
passphrase comes from standard input, never the command line; exit 0 only for a valid credential."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from app.cli import run_command
from app.core.accounts.passwords import ScryptCost
from app.core.accounts.roles import installation_principal
from app.core.certificates import sealing
from app.core.certificates.batch import issue_batch
from app.core.certificates.credential import Completion
from app.core.certificates.issuer import issuer_key_path, unlock_issuer
from app.core.tasks import TaskState
from tests.conftest import ROOT

PASSPHRASE = "correct horse battery"
COMPLETION = Completion("inst-a/l-1", "김민준", "ai-foundations", "AI 기초", "1.2.0", "2026-11-20T09:30:00Z", "ko")


@pytest.fixture(autouse=True)
def quick_sealing(monkeypatch):
    monkeypatch.setattr(sealing, "DEFAULT_COST", ScryptCost(log2_n=10, r=8, p=1))


def run(capsys, monkeypatch, folder, *args, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = run_command(["--data-dir", str(folder), "certificate", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def offices(tmp_path):
    institution, ministry = tmp_path / "institution", tmp_path / "ministry"
    institution.mkdir()
    ministry.mkdir()
    return institution, ministry


def _issue(institution, out):
    signer = unlock_issuer(installation_principal(), institution, PASSPHRASE)
    return issue_batch(installation_principal(), signer, [COMPLETION], out, TaskState())[0].path


def test_create_export_trust_verify(capsys, monkeypatch, tmp_path, offices):
    institution, ministry = offices
    code, out, err = run(capsys, monkeypatch, institution, "issuer", "create", "--name", "Ministry of the Interior",
                         stdin=PASSPHRASE + "\n")
    assert code == 0, err
    assert "Ministry of the Interior" in out and "fingerprint" in out.lower()
    assert PASSPHRASE.encode() not in issuer_key_path(institution).read_bytes()
    public = tmp_path / "ministry-key.json"
    code, out, err = run(capsys, monkeypatch, institution, "issuer", "export", "--out", public)
    assert code == 0, err
    assert json.loads(public.read_text(encoding="utf-8"))["type"] == "Multikey"
    credential = _issue(institution, tmp_path / "certificates")

    # On the institution's own machine its certificates verify at once (its key was trusted at creation).
    code, out, err = run(capsys, monkeypatch, institution, "verify", credential)
    assert code == 0 and "Valid" in out, err
    # At the ministry: unknown until the public key file is imported.
    code, out, err = run(capsys, monkeypatch, ministry, "verify", credential, "--json")
    report = json.loads(out)
    assert code == 1 and report["status"] == "unknown-issuer" and report["valid"] is False
    code, out, err = run(capsys, monkeypatch, ministry, "trust", public)
    assert code == 0 and "now trusted" in out, err
    code, out, err = run(capsys, monkeypatch, ministry, "trust", public, "--json")
    assert code == 0 and json.loads(out)["outcome"] == "unchanged"
    code, out, err = run(capsys, monkeypatch, ministry, "verify", credential, "--json")
    report = json.loads(out)
    assert code == 0 and report["status"] == "valid"
    assert (report["learner"], report["course"], report["issuer"]["name"]) == ("김민준", "AI 기초",
                                                                              "Ministry of the Interior")

    tampered = tmp_path / "tampered.json"
    tampered.write_text(credential.read_text(encoding="utf-8").replace("김민준", "김민순"), encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, ministry, "verify", tampered)
    assert code == 1 and out == "" and "Altered" in err and str(tampered) in err


def test_verify_says_what_is_wrong_and_where(capsys, monkeypatch, tmp_path, offices):
    _institution, ministry = offices
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "@context": [\n', encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, ministry, "verify", broken)
    assert code == 1 and f"{broken}:3: Not a credential: this is not JSON" in err
    missing = tmp_path / "nowhere.json"
    code, out, err = run(capsys, monkeypatch, ministry, "verify", missing, "--json")
    assert code == 1 and json.loads(out)["status"] == "unreadable"
    assert "Traceback" not in err


def test_create_needs_a_passphrase_and_refuses_a_second_key(capsys, monkeypatch, offices):
    institution, _ministry = offices
    code, _out, err = run(capsys, monkeypatch, institution, "issuer", "create", "--name", "Ministry")
    assert code == 1 and "No password" in err and not issuer_key_path(institution).exists()
    code, _out, err = run(capsys, monkeypatch, institution, "issuer", "create", "--name", "Ministry", stdin="short\n")
    assert code == 1 and "too short" in err and not issuer_key_path(institution).exists()
    assert run(capsys, monkeypatch, institution, "issuer", "create", "--name", "Ministry",
               stdin=PASSPHRASE + "\n")[0] == 0
    code, _out, err = run(capsys, monkeypatch, institution, "issuer", "create", "--name", "Other",
                          stdin=PASSPHRASE + "\n")
    assert code == 1 and "already has an issuing key" in err


def test_export_without_a_key_and_trust_of_a_bad_file(capsys, monkeypatch, tmp_path, offices):
    institution, ministry = offices
    code, _out, err = run(capsys, monkeypatch, institution, "issuer", "export", "--out", tmp_path / "k.json")
    assert code == 1 and "no issuing key" in err and not (tmp_path / "k.json").exists()
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "Multikey", "name": "Somebody"}', encoding="utf-8")
    code, _out, err = run(capsys, monkeypatch, ministry, "trust", bad)
    assert code == 1 and f"{bad}: field publicKeyMultibase" in err


def test_the_command_runs_from_main_py(tmp_path):
    """The launcher knows the command word; the passphrase comes from standard input (full scrypt cost here)."""
    folder = tmp_path / "data"
    created = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(folder), "certificate",
                              "issuer", "create", "--name", "Training Centre"], input=PASSPHRASE + "\n",
                             capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert created.returncode == 0, created.stderr
    not_json = tmp_path / "note.json"
    not_json.write_text("[]", encoding="utf-8")
    checked = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(folder), "certificate",
                              "verify", str(not_json)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert checked.returncode == 1 and "Not a credential" in checked.stderr and "Traceback" not in checked.stderr
