"""No part of a token key in any audit entry, audit export or log line (ASVS 7.1.1, 8.3.4)."""

import logging

import pytest
from rest_framework.test import APIClient

from registry.audit.models import AuditEntry
from registry.audit.recorder import MASK
from registry.models import ApiToken

from .. import factories as f

pytestmark = pytest.mark.django_db


def _slices(key, n=8):
    return {key[i : i + n] for i in range(len(key) - n + 1)}


def _leaks(key, text: str) -> set[str]:
    return {piece for piece in _slices(key) if piece in text}


def test_no_slice_of_the_key_in_the_audit_trail_exports_or_logs(world, auditor, caplog):
    caplog.set_level(logging.DEBUG)
    client = APIClient()
    code = f.totp_code(f.totp_device(auditor))  # auditors sign in with a second factor
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "auditor", "password": "correct-horse-battery", "otp": code},
        format="json",
    )
    assert response.status_code == 201
    key = response.json()["token"]
    header = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/contracts/", **header).status_code == 200
    assert client.get("/api/v1/auth/tokens/", **header).status_code == 200
    other, other_key = ApiToken.issue(auditor)
    assert client.delete(f"/api/v1/auth/tokens/{other.pk}/", **header).status_code == 204
    assert client.get("/api/v1/nowhere/", **header).status_code == 404  # a logged 4xx

    entries = list(AuditEntry.objects.filter(object_type="api.apitoken").values())
    assert {e["action"] for e in entries} == {"create", "update"}
    trail = str(list(AuditEntry.objects.values()))
    csv = client.get("/api/v1/audit/?format=csv", **header)
    assert csv.status_code == 200
    csv_text = b"".join(csv.streaming_content).decode()
    assert "api.apitoken" in csv_text
    ndjson = client.get("/api/v1/audit/?format=ndjson", **header)
    ndjson_text = b"".join(ndjson.streaming_content).decode()
    logs = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (key, other_key):
        assert not _leaks(secret, trail)
        assert not _leaks(secret, csv_text)
        assert not _leaks(secret, ndjson_text)
        assert not _leaks(secret, logs)


def test_the_audit_shows_only_owner_and_times_of_a_token(auditor):
    token, _ = ApiToken.issue(auditor)
    entry = AuditEntry.objects.get(object_type="api.apitoken", action="create")
    assert entry.object_id == str(token.pk)
    clear = {"user", "created_at", "expires_at", "revoked_at", "last_used_at"}
    for name, (_old, new) in entry.changes.items():
        if name not in clear and new is not None:
            assert new == MASK, name
    assert entry.changes["key_hash"][1] == MASK
    assert entry.changes["user"][1] == auditor.pk


def test_any_token_field_but_owner_and_times_is_masked():
    from registry.audit.recorder import _masked

    for name in ("key_hash", "prefix", "key_prefix", "name", "label"):
        assert _masked(name, ApiToken), name
    for name in ("user", "created_at", "expires_at", "revoked_at", "last_used_at"):
        assert not _masked(name, ApiToken), name
    assert not _masked("reason")  # other models keep their ordinary rule
