"""Tokens: issued for username and password, stored hashed, expiring, revocable; sessions work."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken

pytestmark = pytest.mark.django_db


def _login(client, username="auditor", password="correct-horse-battery"):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_it_issues_a_working_token_and_stores_only_its_hash(world, auditor):
    client = APIClient()
    response = _login(client)
    assert response.status_code == 201
    key = response.json()["token"]
    stored = ApiToken.objects.get(user=auditor)
    assert key not in (stored.key_hash, stored.prefix) and stored.prefix == key[:8]
    assert stored.expires_at > timezone.now()
    contracts = client.get("/api/v1/contracts/", HTTP_AUTHORIZATION=f"Token {key}")
    assert contracts.status_code == 200 and len(contracts.json()["results"]) == 2


def test_wrong_password_is_401(world):
    assert _login(APIClient(), password="nope").status_code == 401


def test_expired_token_is_refused(world, auditor):
    token, key = ApiToken.issue(auditor)
    past = timezone.now() - dt.timedelta(days=1)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=past - dt.timedelta(days=90), expires_at=past
    )
    response = APIClient().get("/api/v1/contracts/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_revoked_token_is_refused(world, auditor):
    client = APIClient()
    key = _login(client).json()["token"]
    header = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.delete("/api/v1/auth/token/", **header).status_code == 204
    assert client.get("/api/v1/contracts/", **header).status_code == 401


def test_login_is_throttled(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": "3/minute",
        },
    }
    client = APIClient()
    codes = [_login(client, password="guess").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_browser_session_works_and_needs_csrf_for_writes(world, regulator):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(regulator)
    assert client.get("/api/v1/contracts/").status_code == 200
    response = client.patch(
        f"/api/v1/companies/{world.company.pk}/",
        {"website": "https://x.example.org"},
        format="json",
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_issue_and_revocation_are_in_the_audit_log_without_the_key(world, auditor):
    from registry.audit.models import AuditEntry

    client = APIClient()
    key = _login(client).json()["token"]
    client.delete("/api/v1/auth/token/", HTTP_AUTHORIZATION=f"Token {key}")
    rows = AuditEntry.objects.filter(object_type="api.apitoken").order_by("seq")
    assert [e.action for e in rows] == ["create", "update"]
    assert rows[0].changes["key_hash"][1] == "[masked]" and rows[0].channel == "api"
    assert rows[1].changes["revoked_at"][0] is None and rows[1].actor == auditor
    assert key[8:] not in str(list(rows.values()))
