"""Standing reasons never show people, vetting flags or open investigations above the threshold."""

import pytest
from django.urls import reverse

from registry.compliance import run_compliance

from . import factories as f

pytestmark = pytest.mark.django_db

PERSON = "Hodan Fictional Warsame"
INCIDENT = "Serious incident (use of force)"


@pytest.fixture
def flagged(company):
    """A licensed company with a serving police officer hired locally and an open incident."""
    company = f.compliant_company(registering_authority=company.registering_authority)
    emp = f.EmploymentFactory(contract=f.ContractFactory(company=company), person__full_name=PERSON)
    f.VettingFactory(person=emp.person, serving_security_forces=True)
    f.IncidentFactory(company=company, status="under_investigation")
    run_compliance([company.pk])
    return company


def company_page(client, company):
    return client.get(reverse("web:company", args=[company.pk])).text


@pytest.mark.parametrize("who", [None, "mission_officer"])
def test_public_and_mission_staff_read_the_rule_not_the_person(client, flagged, who, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    text = company_page(client, flagged)
    assert "Not cleared" in text and "PER-SERVING-FORCES" in text and "INC-OPEN-SERIOUS" in text
    assert "serving member of the national security forces" in text
    assert PERSON not in text
    assert INCIDENT not in text


def test_regulator_of_the_company_and_auditor_read_the_details(client, flagged, regulator, auditor):
    for user in (regulator, auditor):
        client.force_login(user)
        text = company_page(client, flagged)
        assert PERSON in text and INCIDENT in text


def test_admin_company_page_hides_people_from_mission_staff(client, flagged, mission_officer):
    mission_officer.is_staff = True
    mission_officer.save()
    client.force_login(mission_officer)
    response = client.get(reverse("admin:registry_company_change", args=[flagged.pk]))
    assert response.status_code == 200
    assert "PER-SERVING-FORCES" in response.text and PERSON not in response.text


def test_hiring_result_hides_open_investigations_from_mission_staff(
    client, flagged, mission, mission_officer, auditor
):
    from .compliance_helpers import hire

    check = hire(flagged, mission=mission, client=None, countries=["KE"], asked_by=mission_officer)
    url = reverse("web:hiring_result", args=[check.pk])
    client.force_login(mission_officer)
    text = client.get(url).text
    assert "INC-OPEN-SERIOUS" in text and INCIDENT not in text
    client.force_login(auditor)
    assert INCIDENT in client.get(url).text


def test_api_status_reasons_hide_people_from_mission_staff(flagged, mission_officer, auditor):
    from rest_framework.test import APIClient

    api = APIClient()
    url = reverse("api:company-status", args=[flagged.pk])
    api.force_authenticate(mission_officer)
    body = api.get(url).content.decode()
    assert "PER-SERVING-FORCES" in body and PERSON not in body and INCIDENT not in body
    api.force_authenticate(auditor)
    body = api.get(url).content.decode()
    assert PERSON in body and INCIDENT in body


def test_api_hiring_check_hides_open_investigations_from_mission_staff(
    flagged, mission, mission_officer, auditor
):
    from rest_framework.test import APIClient

    from .compliance_helpers import hire

    check = hire(flagged, mission=mission, client=None, countries=["KE"], asked_by=mission_officer)
    api = APIClient()
    url = reverse("api:hiringcheck-detail", args=[check.pk])
    api.force_authenticate(mission_officer)
    body = api.get(url).content.decode()
    assert "INC-OPEN-SERIOUS" in body and INCIDENT not in body
    api.force_authenticate(auditor)
    assert INCIDENT in api.get(url).content.decode()
