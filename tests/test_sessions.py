"""Session timeouts: absolute (SESSION_ABSOLUTE_HOURS) and idle (SESSION_IDLE_MINUTES)."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone
from rest_framework.test import APIClient

from registry import sessions
from registry.choices import Role

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


def _travel(minutes):
    """Patch timezone.now `minutes` into the future (the session code reads it)."""
    later = timezone.now() + dt.timedelta(minutes=minutes)
    return mock.patch("django.utils.timezone.now", return_value=later)


def _set(client, **values):
    session = client.session
    session.update(values)
    session.save()


def test_login_stores_the_login_time_and_the_last_activity(auditor_client):
    session = auditor_client.session
    now = timezone.now().timestamp()
    assert abs(session[sessions.LOGIN_AT] - now) < 5
    assert abs(session[sessions.SEEN_AT] - now) < 5


def test_an_active_session_stays_signed_in(auditor_client):
    for minutes in (10, 20, 29):
        with _travel(minutes):
            assert auditor_client.get("/dashboard/").status_code == 200
    # each request moved the last activity on: 29 + 25 minutes is not idle
    with _travel(54):
        assert auditor_client.get("/dashboard/").status_code == 200


def test_an_idle_session_is_logged_out_and_sent_to_the_login_page(auditor_client):
    with _travel(31):
        response = auditor_client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/dashboard/")
    assert SESSION_KEY not in auditor_client.session
    page = auditor_client.get(response["Location"])
    assert "Your session ended after 30 minutes without activity" in page.text
    # signed out for good: the next request is anonymous
    assert auditor_client.get("/dashboard/").status_code == 302


def test_the_idle_limit_comes_from_settings(auditor_client, settings):
    settings.SESSION_IDLE_MINUTES = 5
    with _travel(6):
        response = auditor_client.get("/dashboard/", follow=True)
    assert "Your session ended after 5 minutes without activity" in response.text


def test_the_absolute_limit_ends_even_an_active_session(auditor_client):
    now = timezone.now().timestamp()
    # logged in 12 hours ago, active a minute ago
    _set(auditor_client, **{sessions.LOGIN_AT: now - 12 * 3600, sessions.SEEN_AT: now - 60})
    response = auditor_client.get("/dashboard/", follow=True)
    assert response.redirect_chain[0][0].startswith("/login/")
    assert "12 hours after you logged in" in response.text
    assert SESSION_KEY not in auditor_client.session


def test_the_absolute_limit_comes_from_settings(auditor_client, settings):
    settings.SESSION_ABSOLUTE_HOURS = 1
    now = timezone.now().timestamp()
    _set(auditor_client, **{sessions.LOGIN_AT: now - 3601, sessions.SEEN_AT: now})
    assert auditor_client.get("/dashboard/").status_code == 302


def test_a_post_in_an_expired_session_changes_nothing(client, regulator, company):
    licence = f.LicenceFactory(company=company)
    client.force_login(regulator)
    with _travel(45):
        response = client.post(
            f"/licences/{licence.pk}/action/", {"action": "suspend", "reason": "Inspection."}
        )
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    licence.refresh_from_db()
    assert licence.state == "active"


def test_api_session_auth_answers_401_after_the_idle_limit(auditor):
    client = APIClient()
    client.force_login(auditor)
    assert client.get("/api/v1/contracts/").status_code == 200
    with _travel(31):
        response = client.get("/api/v1/contracts/")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"
    assert "30 minutes without activity" in response.json()["detail"]
    assert client.get("/api/v1/contracts/").status_code == 401  # logged out


def test_api_session_auth_answers_401_after_the_absolute_limit(auditor):
    client = APIClient()
    client.force_login(auditor)
    now = timezone.now().timestamp()
    _set(client, **{sessions.LOGIN_AT: now - 13 * 3600, sessions.SEEN_AT: now})
    assert client.get("/api/v1/companies/").status_code == 401


def test_a_token_request_is_not_affected_by_an_expired_session_cookie(auditor):
    from registry.models import ApiToken

    _token, key = ApiToken.issue(auditor)
    client = APIClient()
    client.force_login(auditor)
    with _travel(31):
        response = client.get("/api/v1/contracts/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_a_session_from_before_the_limits_starts_counting_now(client):
    user = f.ProfileFactory(role=Role.AUDITOR).user
    client.force_login(user)
    session = client.session
    del session[sessions.LOGIN_AT], session[sessions.SEEN_AT]
    session.save()
    assert client.get("/dashboard/").status_code == 200
    assert sessions.LOGIN_AT in client.session and sessions.SEEN_AT in client.session


def test_anonymous_requests_are_untouched(client, db):
    assert client.get("/").status_code == 200
    assert sessions.SEEN_AT not in client.session


def test_an_htmx_request_in_an_expired_session_loads_the_login_page(auditor_client):
    with _travel(31):
        response = auditor_client.get("/companies/options/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/login/?next=/companies/options/")
