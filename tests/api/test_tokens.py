"""Tokens: issued for username and password (and a second factor for the roles that need one),
stored hashed, expiring, revocable; sessions work."""

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from registry.models import ApiToken

from .. import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def auditor_device(auditor):
    return f.totp_device(auditor)


def _login(client, username="auditor", password="correct-horse-battery", otp=None):
    """A token request; the auditor's current code is sent unless `otp` says otherwise."""
    if otp is None and username == "auditor":
        otp = f.totp_code(TOTPDevice.objects.get(user__username="auditor"))
    body = {"username": username, "password": password}
    if otp:
        body["otp"] = otp
    return client.post("/api/v1/auth/token/", body, format="json")


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


# --- The second factor -----------------------------------------------------------------------


def _otp_error(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == 400 and set(body["fields"]) == {"otp"}
    return body["fields"]["otp"][0]


def test_a_role_with_two_factor_gets_no_token_without_a_code(world, auditor):
    assert "needs a two-factor code" in _otp_error(_login(APIClient(), otp=""))
    assert not ApiToken.objects.exists()


def test_a_wrong_code_is_refused_and_issues_no_token(world, auditor, auditor_device):
    right = f.totp_code(auditor_device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert "wrong or has expired" in _otp_error(_login(APIClient(), otp=wrong))
    assert "wrong or has expired" in _otp_error(_login(APIClient(), otp="not-a-code"))
    assert not ApiToken.objects.exists()


def test_a_code_is_accepted_once(world, auditor, auditor_device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    code = f.totp_code(auditor_device)
    assert _login(APIClient(), otp=code).status_code == 201
    assert "wrong or has expired" in _otp_error(_login(APIClient(), otp=code))
    assert ApiToken.objects.count() == 1


def test_wrong_codes_slow_the_device_down(world, auditor, auditor_device):
    _login(APIClient(), otp="000000" if f.totp_code(auditor_device) != "000000" else "111111")
    # The right code within the delay that follows a wrong one is refused too.
    assert "Too many wrong codes" in _otp_error(_login(APIClient()))


def test_a_recovery_code_works_once(world, auditor):
    from registry import twofactor

    codes = twofactor.new_recovery_codes(auditor)
    assert len(codes) == 10 and len(set(codes)) == 10
    shown = twofactor.display_code(codes[0]).upper()  # as typed: dashes, capitals
    assert _login(APIClient(), otp=shown).status_code == 201
    assert "wrong or has expired" in _otp_error(_login(APIClient(), otp=codes[0]))
    assert twofactor.recovery_codes_left(auditor) == 9


def test_without_an_enrolled_authenticator_no_token(world, regulator):
    response = _login(APIClient(), username="regulator", otp="123456")
    assert "not set up" in _otp_error(response)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", ["regulator", "admin"])
def test_regulators_and_admins_need_a_code_too(world, users, role):
    device = f.totp_device(users[role])
    assert "needs a two-factor code" in _otp_error(_login(APIClient(), username=role, otp=""))
    response = _login(APIClient(), username=role, otp=f.totp_code(device))
    assert response.status_code == 201


def test_mission_staff_sign_in_with_a_password_only(world, mission_officer):
    response = _login(APIClient(), username="officer")
    assert response.status_code == 201


def test_wrong_password_is_401_whatever_the_code(world, auditor_device):
    response = _login(APIClient(), password="nope", otp=f.totp_code(auditor_device))
    assert response.status_code == 401


def test_a_session_without_its_second_factor_is_anonymous_to_the_api(world, regulator):
    client = APIClient()
    f.totp_device(regulator)
    credentials = {"username": "regulator", "password": "correct-horse-battery"}
    login = client.post("/login/", credentials, format="multipart")
    assert login.status_code == 302 and login.url.startswith("/login/verify/")
    response = client.get("/api/v1/contracts/")
    assert response.status_code == 401
    assert client.get(f"/api/v1/companies/{world.company.pk}/").status_code == 200  # public


def test_the_schema_documents_the_otp_field():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    request = schema["components"]["schemas"]["CredentialsRequest"]
    assert "otp" in request["properties"] and "otp" not in request["required"]
    assert "recovery" in request["properties"]["otp"]["description"]
    post = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert "otp" in post["description"] and "400" in post["responses"]
    assert "cookieAuth" in schema["components"]["securitySchemes"]
