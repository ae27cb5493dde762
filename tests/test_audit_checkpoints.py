"""Signed checkpoints: taken on demand and by the daily run, written as files to keep, verified
with their own public key; the signing key's settings."""

import base64
import json
import subprocess

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command

from registry.audit import signing
from registry.audit.checkpoints import check, create_checkpoint, parse_expect, read_document
from registry.audit.models import AuditEntry, Checkpoint
from registry.services.daily import run_daily

from . import factories as f
from .test_audit_chain import tamper

pytestmark = pytest.mark.django_db


def new_key() -> str:
    return base64.b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode()


def test_the_daily_run_signs_a_checkpoint_of_the_head(capsys):
    f.CompanyFactory()
    call_command("daily")
    checkpoint = Checkpoint.objects.get()
    head = AuditEntry.objects.order_by("-seq").first()
    assert (checkpoint.seq, checkpoint.hash) == (head.seq, head.hash)
    assert f"Signed audit checkpoint {head.seq}:{head.hash}." in capsys.readouterr().out
    assert run_daily()["checkpoint"].seq == AuditEntry.objects.count()
    assert check()["checkpoints_checked"] == 2


def test_a_checkpoint_file_verifies_and_a_doctored_one_does_not(tmp_path, capsys):
    f.CompanyFactory()
    call_command("audit_checkpoint", "--out", "-")
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"type", "v", "seq", "hash", "at", "key_id", "signature", "public_key"}
    assert read_document(json.dumps(doc))[2] == []
    assert read_document(json.dumps(doc | {"seq": doc["seq"] - 1}))[2] == [
        "checkpoint file: the signature does not verify"
    ]
    other = Ed25519PrivateKey.generate()
    public = base64.b64encode(signing.public_bytes(other.public_key())).decode()
    kid = signing.key_id(other.public_key())
    message = signing.checkpoint_message(doc["seq"], doc["hash"], doc["at"], kid)
    foreign = doc | {"public_key": public, "key_id": kid}
    foreign["signature"] = base64.b64encode(other.sign(message)).decode()
    assert read_document(json.dumps(foreign))[2] == [
        f"checkpoint file: signed by key {kid}, not a key of this registry"
    ]
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(foreign))
    with pytest.raises(CommandError, match="not a key of this registry"):
        call_command("verify_audit", "--checkpoint", str(path))
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not a checkpoint file"):
        call_command("verify_audit", "--checkpoint", str(path))
    with pytest.raises(CommandError, match="SEQ:HASH"):
        call_command("verify_audit", "--expect", "7")
    with pytest.raises(CommandError, match="No such file"):
        call_command("verify_audit", "--checkpoint", str(tmp_path / "missing.json"))


def test_expect_values():
    assert parse_expect("12:" + "AB" * 32) == (12, "ab" * 32)
    for bad in ["", "12", "-1:" + "a" * 64, "1:" + "g" * 64, "1:" + "a" * 65]:
        with pytest.raises(ValueError):
            parse_expect(bad)


def test_unsigned_entries_pass_only_as_a_prefix_covered_by_a_checkpoint():
    f.CompanyFactory()
    first, *_, last = AuditEntry.objects.order_by("seq")
    tamper("UPDATE audit_auditentry SET signature = '' WHERE seq <= %s", [first.seq + 1])
    result = check()
    assert result["unsigned_entries"] == 2 and result["ok"] is False
    assert "entries 1 to 2 carry no signature" in result["problems"][0]
    create_checkpoint()
    assert check()["ok"] is True
    tamper("UPDATE audit_auditentry SET signature = '' WHERE seq = %s", [last.seq])
    assert check()["first_broken_seq"] == last.seq


def test_after_a_key_rotation_the_old_signatures_still_verify(settings):
    f.CompanyFactory()
    create_checkpoint()
    old = signing.public_key()
    settings.AUDIT_SIGNING_KEY = new_key()
    assert check()["ok"] is False
    settings.AUDIT_PREVIOUS_PUBLIC_KEYS = [base64.b64encode(signing.public_bytes(old)).decode()]
    f.CompanyFactory()
    create_checkpoint()
    result = check()
    assert result["ok"] is True and result["checkpoints_checked"] == 2


def test_the_key_comes_as_base64_or_pem():
    key = Ed25519PrivateKey.generate()
    raw = base64.b64encode(key.private_bytes_raw()).decode()
    pem = subprocess.run(
        ["openssl", "genpkey", "-algorithm", "ed25519"], capture_output=True, text=True
    ).stdout
    assert signing.parse_private_key(f"  {raw}\n") == raw
    if pem:
        assert len(base64.b64decode(signing.parse_private_key(pem))) == 32
    for bad in ["not base64!", base64.b64encode(b"short").decode()]:
        with pytest.raises(ValueError):
            signing.parse_private_key(bad)
