"""POST/GET /hiring-checks/ through HTTP return exactly what the compliance engine decided.

Needs registry.services.hiring (the compliance engineer's branch); skipped until it is merged.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.choices import SanctionKind, Verdict  # noqa: E402
from registry.models import HiringCheck  # noqa: E402

from .. import factories as f  # noqa: E402
from .payloads import hiring_request

pytestmark = pytest.mark.django_db

# The company, mission and codes; the company's facts (licences and their codes, codes of
# conduct, certificates, sanctions, incidents, contracts, findings); the overlapping contracts;
# the record's validation, its insert and two audit entries; savepoints. Fixed, whatever the data.
HIRING_CHECK_QUERIES = 37


def _insure(company):
    company.insurer = "Harbour Mutual"
    company.insurance_valid_until = dt.date.today() + dt.timedelta(days=800)
    company.save()


def _check(client_for, payload):
    response = client_for("mission_staff").post("/api/v1/hiring-checks/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    stored = HiringCheck.objects.get(pk=body["id"])
    assert body["verdict"] == stored.verdict
    # Same findings as stored; messages about open investigations read as the rule's explanation.
    assert [(x["rule"], x["severity"]) for x in body["findings"]] == [
        (x["rule"], x["severity"]) for x in stored.findings
    ]
    assert body["coordination"] == stored.coordination
    return body


def test_cleared(world, client_for):
    _insure(world.company)
    world.finding.delete()
    world.incident_open.delete()  # a serious incident under investigation is a warning
    body = _check(client_for, hiring_request(world))
    assert body["verdict"] == Verdict.CLEARED


def test_cleared_with_warnings(world, client_for):
    body = _check(client_for, hiring_request(world))  # no insurance: a warning
    assert body["verdict"] == Verdict.CLEARED_WITH_WARNINGS
    assert any(x["severity"] == "warning" for x in body["findings"])


def test_refused_and_coordination_shows_others(world, client_for):
    f.SanctionFactory(company=world.other_company, kind=SanctionKind.DEBARMENT)
    payload = hiring_request(world, company=world.other_company.pk, countries=["SO"])
    body = _check(client_for, payload)
    assert body["verdict"] == Verdict.REFUSED
    assert {"rule", "severity", "message"} <= set(body["findings"][0])
    assert set(body["coordination"]) == {
        "overlapping_contracts",
        "terminated_for_cause",
        "sanctions",
    }
    assert "900000" not in str(body["coordination"])


def test_bad_input_is_400_and_stores_nothing(world, client_for):
    before = HiringCheck.objects.count()
    payload = hiring_request(world, end="2000-01-01", countries=["ZZ"])
    response = client_for("mission_staff").post("/api/v1/hiring-checks/", payload, format="json")
    assert response.status_code == 400 and response.json()["fields"]
    assert HiringCheck.objects.count() == before


@pytest.mark.parametrize(
    ("role", "status"), [("public", 401), ("auditor", 403), ("regulator", 403)]
)
def test_who_may_run_checks(world, client_for, role, status):
    response = client_for(role).post("/api/v1/hiring-checks/", hiring_request(world), format="json")
    assert response.status_code == status


def test_officer_cannot_check_for_another_mission(world, client_for):
    payload = hiring_request(world, mission=world.other_mission.pk)
    response = client_for("mission_staff").post("/api/v1/hiring-checks/", payload, format="json")
    assert response.status_code == 403


def test_past_checks_are_listed(world, client_for):
    body = _check(client_for, hiring_request(world))
    listed = client_for("mission_staff").get("/api/v1/hiring-checks/").json()["results"]
    assert body["id"] in {row["id"] for row in listed}


def test_refused_when_the_company_s_current_contracts_fill_the_armed_cap(world, client_for):
    world.licence.max_armed_personnel = 30
    world.licence.save()
    other = f.ContractFactory(
        company=world.company,
        client=world.other_client,
        armed=True,
        personnel_local=20,
        armed_personnel=20,
        services=["armed_escort"],
        value=750000,
    )
    personnel = {"international": 0, "third_country": 0, "local": 25, "armed": 25}
    payload = hiring_request(world, services=["armed_escort"], armed=True, personnel=personnel)
    body = _check(client_for, payload)
    assert body["verdict"] == Verdict.REFUSED
    [arm_cap] = [x for x in body["findings"] if x["rule"] == "ARM-CAP"]
    assert arm_cap["severity"] == "blocker"
    assert other.reference in arm_cap["message"] and "OTHERMIS" in arm_cap["message"]
    assert "750000" not in str(body)


def test_a_check_stored_without_coordination_answers_the_documented_empty_lists(world, client_for):
    check = f.HiringCheckFactory(company=world.company, mission=world.mission, coordination={})
    body = client_for("auditor").get(f"/api/v1/hiring-checks/{check.pk}/").json()
    assert body["coordination"] == {
        "overlapping_contracts": [],
        "terminated_for_cause": [],
        "sanctions": [],
    }


@pytest.mark.parametrize("extra", [0, 30])
def test_a_hiring_check_costs_the_same_queries_whatever_the_data(world, client_for, extra):
    for _ in range(extra):
        f.ContractFactory(company=world.company, client=world.other_client, countries=["KE"])
        f.LicenceFactory(company=world.company)
        f.IncidentFactory(company=world.company)
        f.SanctionFactory(company=world.company)
    client = client_for("mission_staff")
    client.post("/api/v1/hiring-checks/", hiring_request(world), format="json")  # warm caches
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/hiring-checks/", hiring_request(world), format="json")
    assert response.status_code == 201
    assert len(queries) == HIRING_CHECK_QUERIES
