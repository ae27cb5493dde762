"""GET /companies/{id}/status/ and /status/?…: standing, reasons and the record, by role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.choices import FindingState, LicenceState
from registry.services.standing import company_standing, refresh_standing

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_status_returns_the_domain_standing_and_record(world, client_for):
    f.CertificationFactory(company=world.company)
    response = client_for("mission_staff").get(f"/api/v1/companies/{world.company.pk}/status/")
    assert response.status_code == 200
    body = response.json()
    expected = company_standing(world.company)
    assert body["standing"] == expected.standing
    assert [r["code"] for r in body["reasons"]] == [r.code for r in expected.reasons]
    assert [lic["number"] for lic in body["licences"]] == [world.licence.number]
    assert body["licences"][0]["countries"] == ["KE"]
    assert [c["standard"] for c in body["codes"]] == ["icoc"]
    assert [c["standard"] for c in body["certifications"]] == ["psc1"]
    assert [x["id"] for x in body["open_findings"]] == [world.finding.pk]
    groups = body["contracts_by_mission"]
    assert [g["mission_acronym"] for g in groups] == [world.mission.acronym]
    assert "value" not in groups[0]["contracts"][0]


@pytest.mark.parametrize(
    ("make", "standing"),
    [
        (lambda w: None, "restricted"),  # no insurance on record: a warning
        (
            lambda w: w.licence.__class__.objects.filter(pk=w.licence.pk).update(
                state=LicenceState.SUSPENDED
            ),
            "not_cleared",
        ),
    ],
)
def test_status_standing_follows_the_domain(world, client_for, make, standing):
    make(world)
    body = client_for("regulator").get(f"/api/v1/companies/{world.company.pk}/status/").json()
    assert body["standing"] == standing == company_standing(world.company).standing


def test_good_standing(world, client_for):
    import datetime as dt

    world.incident_open.delete()
    world.finding.delete()
    world.company.insurer = "Harbour Mutual"
    world.company.insurance_valid_until = world.licence.valid_until + dt.timedelta(days=1)
    world.company.save()
    body = client_for("auditor").get(f"/api/v1/companies/{world.company.pk}/status/").json()
    assert body["standing"] == "good" and body["reasons"] == []


def test_lookup_by_registration_number_and_authority(world, client_for, authority):
    client = client_for("mission_staff")
    by_id = client.get(
        "/api/v1/status/",
        {"registration_number": world.company.registration_number, "authority": authority.pk},
    )
    by_acronym = client.get(
        "/api/v1/status/",
        {
            "registration_number": world.company.registration_number.lower(),
            "authority": authority.acronym,
        },
    )
    assert by_id.status_code == by_acronym.status_code == 200
    assert by_id.json()["company"] == by_acronym.json()["company"] == world.company.pk


def test_lookup_by_licence_number(world, client_for):
    response = client_for("mission_staff").get(
        "/api/v1/status/", {"licence_number": world.other_licence.number}
    )
    assert response.json()["company"] == world.other_company.pk


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({}, 400),
        ({"registration_number": "X"}, 400),
        ({"licence_number": "NOPE"}, 404),
        ({"registration_number": "X", "licence_number": "Y"}, 400),
    ],
)
def test_lookup_errors(world, client_for, query, status):
    assert client_for("mission_staff").get("/api/v1/status/", query).status_code == status


def test_status_needs_a_role(world, client_for):
    assert (
        client_for("public").get(f"/api/v1/companies/{world.company.pk}/status/").status_code == 401
    )
    assert client_for("public").get("/api/v1/status/", {"licence_number": "x"}).status_code == 401


def test_status_hides_findings_about_people_from_mission_staff(world, client_for):
    f.FindingFactory(
        company=world.company,
        person=world.person,
        rule_code="PER-VETTING",
        subject_key=f"person:{world.person.pk}",
        state=FindingState.OPEN,
    )
    officer = client_for("mission_staff").get(f"/api/v1/companies/{world.company.pk}/status/")
    auditor = client_for("auditor").get(f"/api/v1/companies/{world.company.pk}/status/")
    assert len(officer.json()["open_findings"]) == 1 and len(auditor.json()["open_findings"]) == 2


def test_status_query_count_is_fixed(world, client_for, django_assert_max_num_queries):
    client = client_for("mission_staff")
    url = f"/api/v1/companies/{world.company.pk}/status/"
    with CaptureQueriesContext(connection) as baseline:
        client.get(url)
    for _ in range(20):
        f.ContractFactory(company=world.company, client=world.other_client)
        f.LicenceFactory(company=world.company)
    with django_assert_max_num_queries(len(baseline)):
        assert len(client.get(url).json()["licences"]) == 21


STATUS_QUERIES = 13  # company, licences (+2 codes), codes, certificates, 2 histories,
# sanctions, findings, contracts (+2 codes): the same for any amount of data
VERSION_QUERIES = 1  # the answer's version (api/answers.py), read before it is built or served


@pytest.mark.parametrize("extra", [0, 25])
def test_status_serves_the_stored_standing_in_a_fixed_number_of_queries(world, client_for, extra):
    for _ in range(extra):
        f.ContractFactory(company=world.company, client=world.other_client)
        f.LicenceFactory(company=world.company)
        f.IncidentFactory(company=world.company)
    refresh_standing([world.company.pk])  # as every write through the services does
    client = client_for("auditor")  # reads every reason unredacted
    url = f"/api/v1/companies/{world.company.pk}/status/"
    with CaptureQueriesContext(connection) as read:
        answer = client.get(url).json()
    assert len(read) == VERSION_QUERIES + STATUS_QUERIES
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).json() == answer
    assert len(again) == VERSION_QUERIES  # the stored answer
    # The rules are not evaluated again: no query reads the incidents they weigh.
    assert not any("registry_incident" in q["sql"] for q in read.captured_queries)
    assert answer["standing"] == company_standing(world.company).standing
    assert answer["reasons"] == [vars(r) for r in company_standing(world.company).reasons]
