import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.choices import IncidentStatus, LicenceState, SanctionKind
from registry.models import Incident, LicenceEvent, Sanction

from . import factories as f
from .webutil import assert_fixed_queries

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def licence(company):
    f.AdherenceFactory(company=company)
    company.insurer, company.insurance_valid_until = "Harbour Mutual", TODAY() + dt.timedelta(400)
    company.save()
    return f.LicenceFactory(company=company, number="PSRA-7")


@pytest.fixture
def reg_client(client, regulator):
    client.force_login(regulator)
    return client


def test_suspending_a_licence_changes_its_state_and_the_standing(reg_client, licence):
    page = reverse("web:company", args=[licence.company_id])
    assert "Good standing" in reg_client.get(page).text
    response = reg_client.post(
        reverse("web:licence_action", args=[licence.pk]),
        {"action": "suspend", "reason": "Inspection found unregistered weapons."},
        follow=True,
    )
    licence.refresh_from_db()
    assert licence.state == LicenceState.SUSPENDED
    event = LicenceEvent.objects.get(licence=licence)
    assert event.reason == "Inspection found unregistered weapons."
    assert event.actor.username == "regulator"
    assert "Licence PSRA-7 is now suspended." in response.text
    assert "Not cleared" in response.text and "LIC-NONE" in response.text


def test_a_renewal_without_an_end_date_keeps_the_input_and_changes_nothing(reg_client, licence):
    response = reg_client.post(
        reverse("web:licence_action", args=[licence.pk]),
        {"action": "renew", "reason": "Annual renewal"},
    )
    assert response.status_code == 200
    assert "A renewal needs the new end date." in response.text
    assert "Annual renewal" in response.text
    assert 'aria-invalid="true"' in response.text
    licence.refresh_from_db()
    assert licence.state == LicenceState.ACTIVE and not LicenceEvent.objects.exists()


def test_a_domain_refusal_is_shown_on_the_form(reg_client, licence):
    response = reg_client.post(
        reverse("web:licence_action", args=[licence.pk]),
        {
            "action": "renew",
            "reason": "Renewal",
            "valid_until": (licence.valid_until - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert "A renewal must extend the licence" in response.text
    assert not LicenceEvent.objects.exists()


def test_an_action_not_allowed_from_the_state_is_not_offered(reg_client, licence):
    response = reg_client.post(
        reverse("web:licence_action", args=[licence.pk]),
        {"action": "grant", "reason": "Again"},
    )
    assert "Select a valid choice" in response.text
    assert not LicenceEvent.objects.exists()


def test_recording_an_incident(reg_client, company):
    response = reg_client.post(
        reverse("web:incident_new", args=[company.pk]),
        {
            "occurred_on": "2026-03-04",
            "country": "KE",
            "category": "use_of_force",
            "severity": "serious",
            "status": "reported",
            "summary": "Guard fired warning shots at a checkpoint.",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.company, incident.severity) == (company, "serious")


def test_incident_errors_keep_the_entered_values(reg_client, company):
    response = reg_client.post(
        reverse("web:incident_new", args=[company.pk]),
        {"occurred_on": "not a date", "country": "KE", "summary": "Checkpoint shooting"},
    )
    assert response.status_code == 200
    assert "Enter a valid date." in response.text
    assert "Checkpoint shooting" in response.text
    assert not Incident.objects.exists()


def test_updating_an_incident_under_investigation(reg_client, company):
    incident = Incident.objects.create(
        company=company,
        occurred_on=TODAY(),
        country_id="KE",
        category="misconduct",
        severity="moderate",
        summary="Complaint",
    )
    response = reg_client.post(
        reverse("web:incident_edit", args=[incident.pk]),
        {
            "occurred_on": TODAY().isoformat(),
            "country": "KE",
            "category": "misconduct",
            "severity": "moderate",
            "status": "substantiated",
            "summary": "Complaint",
            "outcome": "Guard dismissed.",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.SUBSTANTIATED


def test_recording_a_sanction_in_the_regulators_name(reg_client, company, authority):
    response = reg_client.post(
        reverse("web:sanction_new", args=[company.pk]),
        {"kind": "fine", "scope": "global", "start": "2026-01-10", "reason": "Late reporting"},
    )
    assert response.status_code == 302
    sanction = Sanction.objects.get()
    assert sanction.imposed_by_authority == authority and sanction.kind == SanctionKind.FINE


def test_a_sanction_breaking_a_model_rule_shows_its_message(reg_client, company):
    response = reg_client.post(
        reverse("web:sanction_new", args=[company.pk]),
        {
            "kind": "debarment",
            "scope": "country",
            "start": "2026-01-10",
            "end": "2025-01-10",
            "reason": "Fraud",
        },
    )
    assert response.status_code == 200
    assert "A country scope names a country" in response.text
    assert "A sanction cannot end before it starts." in response.text
    assert "Fraud" in response.text
    assert not Sanction.objects.exists()


def test_queue_lists_what_needs_a_decision(reg_client, company):
    f.LicenceFactory(company=company, number="APP-1", state=LicenceState.APPLIED)
    f.LicenceFactory(company=company, number="EXP-1", valid_until=TODAY() + dt.timedelta(30))
    f.LicenceFactory(company=company, number="LATER-1")
    Incident.objects.create(
        company=company,
        occurred_on=TODAY(),
        country_id="KE",
        category="use_of_force",
        severity="serious",
        status=IncidentStatus.UNDER_INVESTIGATION,
        summary="Shots fired",
    )
    f.LicenceFactory(number="FOREIGN-APP", state=LicenceState.APPLIED)  # another authority
    text = reg_client.get(reverse("web:queue")).text
    assert "APP-1" in text and "EXP-1" in text and "Shots fired" not in text
    assert "Use of force" in text
    assert "LATER-1" not in text and "FOREIGN-APP" not in text


def test_queue_runs_a_fixed_number_of_queries(reg_client, company, django_assert_max_num_queries):
    f.LicenceFactory(company=company, state=LicenceState.APPLIED)

    def grow():
        for _ in range(15):
            f.LicenceFactory(company=company, state=LicenceState.APPLIED)
            f.LicenceFactory(company=company, valid_until=TODAY() + dt.timedelta(10))

    assert_fixed_queries(reg_client, reverse("web:queue"), grow, 14, django_assert_max_num_queries)


def test_company_page_for_a_regulator_runs_a_fixed_number_of_queries(
    reg_client, company, django_assert_max_num_queries
):
    def add_rows(n):
        for _ in range(n):
            f.LicenceFactory(company=company)
            f.ContractFactory(company=company, countries=["KE", "SO"])
            Sanction.objects.create(
                company=company,
                imposed_by_mission=f.MissionFactory(),
                kind="warning",
                start=TODAY(),
                reason="Late report",
            )

    add_rows(1)
    grow = lambda: add_rows(10)  # noqa: E731

    url = reverse("web:company", args=[company.pk])
    # 28 + 2: the standing history and the licence history (one query each, last 20 rows);
    # + 1: the session's second-factor device (django-otp).
    assert_fixed_queries(reg_client, url, grow, 31, django_assert_max_num_queries)


def test_an_admin_names_the_imposing_authority(client, admin_user, company, authority):
    client.force_login(admin_user)
    url = reverse("web:sanction_new", args=[company.pk])
    data = {"kind": "warning", "scope": "global", "start": "2026-01-10", "reason": "Late"}
    response = client.post(url, data)
    assert "This field is required." in response.text and not Sanction.objects.exists()
    response = client.post(url, {**data, "imposed_by_authority": authority.pk})
    assert response.status_code == 302
    assert Sanction.objects.get().imposed_by_authority == authority
