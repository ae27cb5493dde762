"""Jurisdiction comes only from registration or a granted licence, and every door masks the same
fields: the API, the pages and the admin."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from registry import access
from registry.choices import LicenceState
from registry.compliance import run_compliance, waive_finding
from registry.models import Licence

from . import factories as f

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def staff(user):
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def foreign_company(db):
    """A company registered by another authority, with what only its regulator may read."""
    company = f.CompanyFactory()
    f.LicenceFactory(company=company)
    f.IncidentFactory(company=company, status="under_investigation")
    employment = f.EmploymentFactory(contract=f.ContractFactory(company=company))
    f.VettingFactory(person=employment.person, company=company, ddr_participant=True)
    run_compliance([company.pk])
    return company


@pytest.mark.parametrize("state", [LicenceState.APPLIED, LicenceState.REFUSED])
def test_an_application_or_refusal_gives_no_jurisdiction(regulator, foreign_company, state):
    authority = regulator.profile.authority
    f.LicenceFactory(company=foreign_company, authority=authority, state=state)
    v = access.viewer(regulator)
    assert not access.regulates(v, foreign_company.pk)
    client = api(regulator)
    company = foreign_company.pk
    assert client.get("/api/v1/incidents/", {"company": company}).json()["results"] == []
    assert client.get("/api/v1/personnel/").json()["results"] == []
    assert client.get("/api/v1/vetting/").json()["results"] == []
    assert client.get("/api/v1/contracts/", {"company": company}).json()["results"] == []
    assert client.get("/api/v1/findings/", {"company": company}).json()["results"] == []
    refused = client.patch(f"/api/v1/companies/{company}/", {"address": "1 Elsewhere Road"})
    assert refused.status_code == 403
    page = client.get(reverse("web:company", args=[company]))
    assert reverse("web:incident_new", args=[company]).encode() not in page.content


@pytest.mark.parametrize("state", [LicenceState.ACTIVE, LicenceState.SUSPENDED])
def test_a_granted_licence_gives_jurisdiction(regulator, foreign_company, state):
    f.LicenceFactory(company=foreign_company, authority=regulator.profile.authority, state=state)
    assert access.regulates(regulator, foreign_company.pk)


def test_a_regulator_sees_only_vettings_made_for_its_companies(regulator, company):
    person = f.EmploymentFactory(contract=f.ContractFactory(company=company)).person
    ours = f.VettingFactory(person=person, company=company)
    f.VettingFactory(person=person, company=f.CompanyFactory(), notes="Elsewhere")
    ids = [row["id"] for row in api(regulator).get("/api/v1/vetting/").json()["results"]]
    assert ids == [ours.pk]


@pytest.fixture
def foreign_licence(regulator, company):
    """A licence another authority issued to a company the regulator's authority registers."""
    return f.LicenceFactory(company=company, authority=f.AuthorityFactory())


def test_api_refuses_another_authoritys_licence(regulator, foreign_licence):
    response = api(regulator).post(
        f"/api/v1/licences/{foreign_licence.pk}/suspend/", {"reason": "Inspection"}, format="json"
    )
    assert response.status_code == 403
    foreign_licence.refresh_from_db()
    assert foreign_licence.state == LicenceState.ACTIVE


def test_web_page_refuses_another_authoritys_licence(client, regulator, foreign_licence):
    client.force_login(regulator)
    url = reverse("web:licence_action", args=[foreign_licence.pk])
    response = client.post(url, {"action": "suspend", "reason": "Inspection"})
    assert response.status_code == 403
    assert b"Only a regulator of the authority that issued a licence" in response.content
    foreign_licence.refresh_from_db()
    assert foreign_licence.state == LicenceState.ACTIVE
    page = client.get(reverse("web:company", args=[foreign_licence.company_id]))
    assert url.encode() not in page.content


def test_admin_refuses_another_authoritys_licence(client, regulator, foreign_licence):
    client.force_login(staff(regulator))
    url = reverse("admin:registry_licence_transition", args=[foreign_licence.pk])
    response = client.post(url, {"action": "suspend", "reason": "Inspection"})
    assert response.status_code == 403
    change = client.post(
        reverse("admin:registry_licence_change", args=[foreign_licence.pk]), {"number": "X-1"}
    )
    assert change.status_code == 403
    foreign_licence.refresh_from_db()
    assert foreign_licence.state == LicenceState.ACTIVE and foreign_licence.number != "X-1"


def test_own_licence_still_changes_in_the_admin(client, regulator, company):
    licence = f.LicenceFactory(company=company, authority=regulator.profile.authority)
    client.force_login(staff(regulator))
    url = reverse("admin:registry_licence_transition", args=[licence.pk])
    client.post(url, {"action": "suspend", "reason": "Inspection"})
    assert Licence.objects.get(pk=licence.pk).state == LicenceState.SUSPENDED


# --- The admin masks what the API masks ---------------------------------------------------


@pytest.fixture
def refused_check(mission_officer, mission):
    """A hiring check of a company whose guard is a DDR participant."""
    company = f.compliant_company()
    contract = f.ContractFactory(company=company)
    person = f.EmploymentFactory(contract=contract, armed=True, person__full_name="Sam Secret")
    f.VettingFactory(person=person.person, company=company, ddr_participant=True)
    run_compliance([company.pk])
    from registry.services.hiring import run_hiring_check

    return run_hiring_check(
        company=company,
        mission=mission,
        countries=["KE"],
        services=["unarmed_guarding"],
        armed=False,
        start=f.TODAY(),
        end=f.TODAY(),
        asked_by=mission_officer,
    )


def test_admin_hiring_check_shows_mission_staff_what_the_api_shows(
    client, mission_officer, refused_check
):
    stored = " ".join(x["message"] for x in refused_check.findings)
    assert "Sam Secret" in stored  # the engine's message names the guard
    api_findings = (
        api(mission_officer).get(f"/api/v1/hiring-checks/{refused_check.pk}/").json()["findings"]
    )
    assert "Sam Secret" not in str(api_findings)
    client.force_login(staff(mission_officer))
    page = client.get(reverse("admin:registry_hiringcheck_change", args=[refused_check.pk]))
    assert page.status_code == 200
    assert b"Sam Secret" not in page.content
    for finding in api_findings:
        assert finding["message"].encode() in page.content.replace(b"&quot;", b'"')


def test_admin_sanction_names_no_person_below_the_threshold(client, mission_officer, auditor):
    person = f.PersonFactory(full_name="Robin Hidden")
    sanction = f.SanctionFactory(person=person)
    assert api(mission_officer).get(f"/api/v1/sanctions/{sanction.pk}/").json()["person"] is None
    client.force_login(staff(mission_officer))
    change = client.get(reverse("admin:registry_sanction_change", args=[sanction.pk]))
    assert change.status_code == 200 and b"Robin Hidden" not in change.content
    listing = client.get(reverse("admin:registry_sanction_changelist"), {"q": "Robin"})
    assert b"Robin Hidden" not in listing.content
    client.force_login(staff(auditor))
    change = client.get(reverse("admin:registry_sanction_change", args=[sanction.pk]))
    assert b"Robin Hidden" in change.content


# --- Names and links ------------------------------------------------------------------------


def test_public_page_names_no_staff_user(client, regulator, company):
    finding = f.FindingFactory(company=company)
    waive_finding(finding, user=regulator, justification="Signed last week, paper on file.")
    page = client.get(reverse("web:company", args=[company.pk]))
    assert page.status_code == 200
    assert b"Waived" in page.content and regulator.username.encode() not in page.content


def test_a_contract_client_belongs_to_the_contracts_mission(mission_officer, mission, company):
    other = f.ClientFactory(mission=f.MissionFactory(acronym="ELSEWHERE"))
    payload = {
        "reference": "UNMIX/PSS/0001",
        "client": other.pk,
        "company": company.pk,
        "mission": mission.pk,
        "services": ["unarmed_guarding"],
        "countries": ["KE"],
        "start": "2027-01-01",
        "end": "2027-06-30",
    }
    response = api(mission_officer).post("/api/v1/contracts/", payload, format="json")
    assert response.status_code == 400
    assert "client" in response.json()["fields"]
