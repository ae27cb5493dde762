"""The status answers (API status, web company page) carry standing_since and the history of
standing and of licence states, read at the caller's threshold."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from rest_framework.test import APIClient

from registry.choices import LicenceAction, Standing
from registry.compliance import run_compliance
from registry.models import Company, StandingChange
from registry.services.licensing import transition
from registry.services.standing import refresh_standing

from . import factories as f

pytestmark = pytest.mark.django_db

PERSON = "Hodan Fictional Warsame"


@pytest.fixture
def suspended(company, regulator):
    """A compliant company of the regulator's authority whose licence the regulator suspended."""
    company = f.compliant_company(registering_authority=company.registering_authority)
    refresh_standing([company.pk], cause="first check")
    transition(company.licences.get(), LicenceAction.SUSPEND, actor=regulator, reason="Audit due.")
    return company


@pytest.fixture
def flagged(company):
    """A company made not cleared by a serving police officer on one of its contracts."""
    company = f.compliant_company(registering_authority=company.registering_authority)
    emp = f.EmploymentFactory(contract=f.ContractFactory(company=company), person__full_name=PERSON)
    f.VettingFactory(person=emp.person, serving_security_forces=True)
    run_compliance([company.pk])
    return company


def status(user, company):
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(reverse("api:company-status", args=[company.pk]))
    assert response.status_code == 200
    return response.json()


def page(client, company, user=None):
    if user:
        client.force_login(user)
    response = client.get(reverse("web:company", args=[company.pk]))
    assert response.status_code == 200
    return response.text


def test_status_carries_standing_since_and_both_histories(suspended, mission_officer):
    body = status(mission_officer, suspended)
    latest = StandingChange.objects.filter(company=suspended).latest("at", "id")
    assert body["standing"] == Standing.NOT_CLEARED
    assert body["standing_since"] is not None
    assert body["standing_since"][:19] == latest.at.isoformat()[:19]
    changes = [(h["from_standing"], h["to_standing"]) for h in body["standing_history"]]
    assert changes == [(Standing.GOOD, Standing.NOT_CLEARED), (None, Standing.GOOD)]
    number = suspended.licences.get().number
    assert body["standing_history"][0]["cause"] == f"licence.suspend {number}"
    assert "LIC-NONE" in {r["code"] for r in body["standing_history"][0]["reasons"]}
    [event] = body["licence_history"]
    assert (event["licence_number"], event["action"]) == (number, "suspend")
    assert (event["from_state"], event["to_state"]) == ("active", "suspended")


def test_standing_since_is_null_when_the_live_standing_was_not_recorded(suspended, auditor):
    # A cache computed for another day is not served: the standing is computed afresh, and
    # its start is unknown when it differs from the cached one.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Company.objects.filter(pk=suspended.pk).update(standing=Standing.GOOD, standing_on=yesterday)
    answer = status(auditor, suspended)
    assert answer["standing"] != Standing.GOOD and answer["standing_since"] is None


def test_a_status_read_serves_what_the_write_path_stored(suspended, auditor):
    # Written around the service (never done by the registry's doors): the stored answer for
    # today is what a status read serves, without evaluating the rules again.
    Company.objects.filter(pk=suspended.pk).update(standing=Standing.GOOD)
    assert status(auditor, suspended)["standing"] == Standing.GOOD


def test_history_reasons_hide_people_from_mission_staff(flagged, mission_officer, auditor):
    officer = status(mission_officer, flagged)
    [change] = officer["standing_history"]
    assert change["to_standing"] == Standing.NOT_CLEARED
    assert "PER-SERVING-FORCES" in {r["code"] for r in change["reasons"]}
    assert PERSON not in str(officer)
    assert PERSON in str(status(auditor, flagged)["standing_history"])


def test_public_page_shows_history_without_people_staff_or_causes(client, suspended, flagged):
    text = page(client, suspended)
    assert 'id="standing-since"' in text and 'id="standing-history"' in text
    assert "Suspended" in text and "Audit due." not in text
    assert "regulator" not in text  # the staff username, and the cause naming it
    assert "licence.suspend" not in text
    flagged_text = page(client, flagged)
    assert "PER-SERVING-FORCES" in flagged_text and PERSON not in flagged_text


def test_signed_in_page_shows_causes_and_who_changed_the_licence(client, suspended, auditor):
    text = page(client, suspended, auditor)
    assert "licence.suspend" in text and "Audit due." in text and "regulator" in text


def test_page_and_status_agree_on_the_history(client, suspended, auditor):
    body = status(auditor, suspended)
    text = page(client, suspended, auditor)
    for h in body["standing_history"]:
        assert h["cause"] in text
    assert body["standing_since"][:10] in text


def test_history_keeps_the_query_counts_fixed(client, suspended, regulator, auditor):
    def counts():
        with CaptureQueriesContext(connection) as api:
            status(auditor, suspended)
        client.force_login(auditor)
        with CaptureQueriesContext(connection) as web:
            client.get(reverse("web:company", args=[suspended.pk]))
        return len(api), len(web)

    before = counts()
    licence = suspended.licences.get()
    for _ in range(15):
        transition(licence, LicenceAction.REINSTATE, actor=regulator, reason="Audit passed.")
        transition(licence, LicenceAction.SUSPEND, actor=regulator, reason="Audit due.")
    assert StandingChange.objects.filter(company=suspended).count() > 20
    assert counts() == before
    body = status(auditor, suspended)
    assert len(body["standing_history"]) == len(body["licence_history"]) == 20


@pytest.mark.parametrize("who", ["mission_officer", "regulator", "auditor"])
def test_page_and_status_show_the_same_standing_and_reasons(client, flagged, who, request):
    user = request.getfixturevalue(who)
    body = status(user, flagged)
    text = page(client, flagged, user)
    assert body["standing"] == Standing.NOT_CLEARED and "Not cleared" in text
    for r in body["reasons"] + [r for h in body["standing_history"] for r in h["reasons"]]:
        assert r["code"] in text
        assert escape(r["message"]) in text


def test_an_unknown_company_is_a_404_through_both_doors(client, auditor):
    assert client.get(reverse("web:company", args=[999999])).status_code == 404
    api = APIClient()
    api.force_authenticate(auditor)
    assert api.get(reverse("api:company-status", args=[999999])).status_code == 404


def test_standing_history_endpoint_is_open_to_the_public_without_staff_details(suspended, flagged):
    api = APIClient()
    body = api.get(reverse("api:company-standing-history", args=[suspended.pk])).json()
    assert [h["to_standing"] for h in body["standing_history"]] == [
        Standing.NOT_CLEARED,
        Standing.GOOD,
    ]
    assert body["standing"] == Standing.NOT_CLEARED and body["standing_since"]
    assert all(h["cause"] is None for h in body["standing_history"])
    [event] = body["licence_history"]
    assert event["action"] == "suspend" and event["actor_label"] is None and event["reason"] is None
    flagged_body = api.get(reverse("api:company-standing-history", args=[flagged.pk])).content
    assert b"PER-SERVING-FORCES" in flagged_body and PERSON.encode() not in flagged_body
    assert api.get(reverse("api:company-standing-history", args=[999999])).status_code == 404
