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
    assert stored.key_hash != key and not hasattr(stored, "prefix")
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


# --- the owner's list of tokens -------------------------------------------------------------------


def test_the_owner_lists_their_tokens_without_any_part_of_the_key(world, auditor, regulator):
    client = APIClient()
    key = _login(client).json()["token"]
    older, older_key = ApiToken.issue(auditor)
    older.revoke()
    ApiToken.issue(regulator)  # somebody else's
    response = client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 2
    assert set(rows[0]) == {
        "id",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "active",
    }
    by_id = {row["id"]: row for row in rows}
    assert by_id[older.pk]["active"] is False and by_id[older.pk]["revoked_at"]
    current = next(row for row in rows if row["id"] != older.pk)
    assert current["active"] is True and current["last_used_at"]  # this very request used it
    for secret in (key, older_key):
        for i in range(len(secret) - 7):
            assert secret[i : i + 8] not in response.content.decode()


def test_the_owner_revokes_one_token_and_the_others_keep_working(world, auditor):
    client = APIClient()
    key = _login(client).json()["token"]
    other, other_key = ApiToken.issue(auditor)
    header = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.delete(f"/api/v1/auth/tokens/{other.pk}/", **header).status_code == 204
    other.refresh_from_db()
    assert other.revoked_at is not None
    refused = client.get("/api/v1/contracts/", HTTP_AUTHORIZATION=f"Token {other_key}")
    assert refused.status_code == 401
    assert client.get("/api/v1/contracts/", **header).status_code == 200


def test_another_users_token_is_404_and_stays_usable(world, auditor, regulator):
    theirs, their_key = ApiToken.issue(regulator)
    client = APIClient()
    key = _login(client).json()["token"]
    response = client.delete(f"/api/v1/auth/tokens/{theirs.pk}/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_token_list_needs_a_signed_in_caller(world):
    assert APIClient().get("/api/v1/auth/tokens/").status_code == 401
    assert APIClient().delete("/api/v1/auth/tokens/1/").status_code == 401


def test_the_token_list_works_with_a_browser_session(world, auditor):
    ApiToken.issue(auditor)
    client = APIClient()
    client.force_login(auditor)
    assert len(client.get("/api/v1/auth/tokens/").json()["results"]) == 1


def test_last_use_is_written_at_most_every_five_minutes(world, auditor):
    token, key = ApiToken.issue(auditor)
    header = {"HTTP_AUTHORIZATION": f"Token {key}"}
    APIClient().get("/api/v1/contracts/", **header)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    APIClient().get("/api/v1/contracts/", **header)
    token.refresh_from_db()
    assert token.last_used_at == first


def test_the_token_list_and_revocation_are_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "get" in paths["/api/v1/auth/tokens/"]
    assert "delete" in paths["/api/v1/auth/tokens/{id}/"]
    assert "get" not in paths["/api/v1/auth/tokens/{id}/"]
