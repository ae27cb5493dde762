"""Re-authentication: licence transitions and waivers (web pages and admin) ask for the password
again when it was last entered more than REAUTH_MINUTES ago; a wrong one changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from registry.choices import FindingState, LicenceState
from registry.models import ApiToken, Finding, LicenceEvent
from registry.sessions import PASSWORD_AT, REAUTH_FIELD

from . import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # tests/factories.py


def _password_entered_minutes_ago(client, minutes):
    session = client.session
    session[PASSWORD_AT] = (timezone.now() - dt.timedelta(minutes=minutes)).timestamp()
    session.save()


@pytest.fixture
def licence(company):
    return f.LicenceFactory(company=company, number="PSRA-9")


@pytest.fixture
def finding(company):
    return f.FindingFactory(company=company, state=FindingState.OPEN)


@pytest.fixture
def stale_regulator(client, regulator):
    regulator.is_staff = True
    regulator.save()
    client.force_login(regulator)
    _password_entered_minutes_ago(client, 6)
    return client


# --- web: licence action -----------------------------------------------------------------------


def test_a_fresh_login_needs_no_password_again(client, regulator, licence):
    client.force_login(regulator)
    url = reverse("web:licence_action", args=[licence.pk])
    assert REAUTH_FIELD not in client.get(url).text
    response = client.post(url, {"action": "suspend", "reason": "Inspection."})
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.state == LicenceState.SUSPENDED


def test_licence_action_asks_for_the_password_after_reauth_minutes(stale_regulator, licence):
    url = reverse("web:licence_action", args=[licence.pk])
    page = stale_regulator.get(url)
    assert f'name="{REAUTH_FIELD}"' in page.text and 'type="password"' in page.text
    missing = stale_regulator.post(url, {"action": "suspend", "reason": "Inspection."})
    assert missing.status_code == 200 and "This field is required" in missing.text
    wrong = stale_regulator.post(
        url, {"action": "suspend", "reason": "Inspection.", REAUTH_FIELD: "not-it"}
    )
    assert wrong.status_code == 200 and "That is not your password." in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    licence.refresh_from_db()
    assert licence.state == LicenceState.ACTIVE and not LicenceEvent.objects.exists()
    right = stale_regulator.post(
        url, {"action": "suspend", "reason": "Inspection.", REAUTH_FIELD: PASSWORD}
    )
    assert right.status_code == 302
    licence.refresh_from_db()
    assert licence.state == LicenceState.SUSPENDED
    # the password was just entered: the next change does not ask again
    assert REAUTH_FIELD not in stale_regulator.get(url).text


def test_reauth_minutes_comes_from_settings(stale_regulator, licence, settings):
    settings.REAUTH_MINUTES = 10  # the password was entered 6 minutes ago
    page = stale_regulator.get(reverse("web:licence_action", args=[licence.pk]))
    assert REAUTH_FIELD not in page.text


# --- web: waiver -------------------------------------------------------------------------------


def test_waiver_asks_for_the_password_and_a_wrong_one_changes_nothing(stale_regulator, finding):
    url = reverse("web:finding_waive", args=[finding.pk])
    assert f'name="{REAUTH_FIELD}"' in stale_regulator.get(url).text
    data = {"justification": "Renewal filed with the authority."}
    wrong = stale_regulator.post(url, {**data, REAUTH_FIELD: "guess"})
    assert wrong.status_code == 200 and "That is not your password." in wrong.text
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN
    right = stale_regulator.post(url, {**data, REAUTH_FIELD: PASSWORD})
    assert right.status_code == 302
    finding.refresh_from_db()
    assert finding.state == FindingState.WAIVED


# --- admin: licence transition and waive action ---------------------------------------------------


def test_admin_transition_asks_for_the_password(stale_regulator, licence):
    url = reverse("admin:registry_licence_transition", args=[licence.pk])
    assert f'name="{REAUTH_FIELD}"' in stale_regulator.get(url).text
    wrong = stale_regulator.post(url, {"action": "suspend", "reason": "x", REAUTH_FIELD: "no"})
    assert wrong.status_code == 200 and "That is not your password." in wrong.text
    licence.refresh_from_db()
    assert licence.state == LicenceState.ACTIVE
    right = stale_regulator.post(url, {"action": "suspend", "reason": "x", REAUTH_FIELD: PASSWORD})
    assert right.status_code == 302
    licence.refresh_from_db()
    assert licence.state == LicenceState.SUSPENDED


def test_admin_waive_action_asks_for_the_password(stale_regulator, finding):
    url = reverse("admin:registry_finding_changelist")
    data = {"action": "waive", "_selected_action": [finding.pk], "apply": "Waive"}
    data["justification"] = "Renewal filed."
    wrong = stale_regulator.post(url, {**data, REAUTH_FIELD: "no"})
    assert wrong.status_code == 200 and "That is not your password." in wrong.content.decode()
    assert Finding.objects.get(pk=finding.pk).state == FindingState.OPEN
    right = stale_regulator.post(url, {**data, REAUTH_FIELD: PASSWORD})
    assert right.status_code == 302
    assert Finding.objects.get(pk=finding.pk).state == FindingState.WAIVED


# --- API tokens: issued after a full login, not affected ------------------------------------------


def test_token_authenticated_transitions_do_not_ask_again(regulator, licence):
    _token, key = ApiToken.issue(regulator)
    response = APIClient().post(
        f"/api/v1/licences/{licence.pk}/suspend/",
        {"reason": "Inspection."},
        format="json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 200


def test_api_session_auth_follows_the_web_rule(client, regulator, licence, finding):
    api = APIClient()
    api.force_login(regulator)
    _password_entered_minutes_ago(api, 6)
    response = api.post(f"/api/v1/licences/{licence.pk}/suspend/", {"reason": "x"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "reauth_required"
    waive = api.post(f"/api/v1/findings/{finding.pk}/waive/", {"justification": "y"}, format="json")
    assert waive.status_code == 403
    licence.refresh_from_db()
    assert licence.state == LicenceState.ACTIVE
    assert Finding.objects.get(pk=finding.pk).state == FindingState.OPEN
    _password_entered_minutes_ago(api, 1)
    response = api.post(f"/api/v1/licences/{licence.pk}/suspend/", {"reason": "x"}, format="json")
    assert response.status_code == 200


def test_a_wrong_reauth_password_is_a_failed_login(stale_regulator, licence):
    from django.contrib.auth.signals import user_login_failed

    failures = []

    def failed(sender, credentials, request, **kwargs):
        failures.append(credentials["username"])

    user_login_failed.connect(failed)
    try:
        stale_regulator.post(
            reverse("web:licence_action", args=[licence.pk]),
            {"action": "suspend", "reason": "x", REAUTH_FIELD: "guess"},
        )
    finally:
        user_login_failed.disconnect(failed)
    assert failures == ["regulator"]
