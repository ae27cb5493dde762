"""Security headers: a strict Content-Security-Policy everywhere; Cache-Control: no-store on
every answer to a signed-in or token request and on personnel answers; public register pages
stay cacheable; the older security headers are still sent."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from registry.models import ApiToken

from . import factories as f

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _policy(response) -> dict:
    header = response["Content-Security-Policy"]
    parts = (p.strip().split(" ", 1) for p in header.split(";") if p.strip())
    return {name: value for name, value in parts}


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/login/", "/api/v1/", "/api/docs/", "/api/schema/"])
def test_every_page_has_the_strict_policy_and_the_other_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert _policy(response) == POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_errors_have_the_policy_too(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and _policy(response) == POLICY


def test_public_register_pages_stay_cacheable(client, company):
    for path in ("/", f"/companies/{company.pk}/", "/api/v1/companies/"):
        assert not _no_store(client.get(path)), path


def test_signed_in_pages_are_not_stored(client, company, auditor):
    client.force_login(auditor)
    for path in ("/", f"/companies/{company.pk}/", "/contracts/", "/api/v1/companies/", "/admin/"):
        response = client.get(path, follow=False)
        assert _no_store(response), path
        assert "private" in response["Cache-Control"]


def test_token_requests_are_not_stored_even_when_refused(company, auditor):
    _, key = ApiToken.issue(auditor)
    api = APIClient()
    ok = api.get("/api/v1/companies/", HTTP_AUTHORIZATION=f"Token {key}")
    assert ok.status_code == 200 and _no_store(ok)
    bad = api.get("/api/v1/companies/", HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.status_code == 401 and _no_store(bad)


def test_personnel_answers_are_never_stored(client, auditor, company):
    f.EmploymentFactory(company=company, contract=None)
    for path in ("/api/v1/personnel/", "/api/v1/vetting/", "/api/v1/hiring-checks/"):
        assert _no_store(client.get(path)), path  # refused, and still not stored
    api = APIClient()
    api.force_authenticate(auditor)
    assert _no_store(api.get("/api/v1/personnel/"))
    assert _no_store(Client().get("/hiring-check/"))


def test_token_post_answer_is_not_stored(auditor):
    code = f.totp_code(f.totp_device(auditor))  # auditors sign in with a second factor
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "auditor", "password": "correct-horse-battery", "otp": code},
        format="json",
    )
    assert response.status_code == 201 and _no_store(response)
