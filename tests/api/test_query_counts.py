"""List endpoints run the same number of queries for 1 row as for 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.choices import IncidentStatus

from .. import factories as f

pytestmark = pytest.mark.django_db

FACTORIES = {
    "companies": lambda w: f.LicenceFactory(
        company=f.CompanyFactory(registering_authority=w.company.registering_authority)
    ),
    "licences": lambda w: f.LicenceFactory(company=w.company),
    "adherences": lambda w: f.AdherenceFactory(company=f.CompanyFactory()),
    "certifications": lambda w: f.CertificationFactory(company=w.company),
    "missions": lambda w: f.MissionFactory(),
    "clients": lambda w: f.ClientFactory(mission=w.mission),
    "contracts": lambda w: f.ContractFactory(client=w.client, company=w.company),
    "coordination": lambda w: f.ContractFactory(client=w.other_client, company=w.company),
    "incidents": lambda w: f.IncidentFactory(company=w.company, status=IncidentStatus.CLOSED),
    "sanctions": lambda w: f.SanctionFactory(company=w.company, kind="fine"),
    "findings": lambda w: f.FindingFactory(
        company=w.company, rule_code=f"R-{f.AuthorityFactory().pk}"
    ),
    "personnel": lambda w: f.EmploymentFactory(company=w.company, contract=None),
    "vetting": lambda w: f.VettingFactory(company=w.company),
    "hiring-checks": lambda w: f.HiringCheckFactory(company=w.company, mission=w.mission),
    "authorities": lambda w: f.AuthorityFactory(),
    "codes": lambda w: f.StandardFactory(code=f"code-{f.AuthorityFactory().pk}"),
}


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{path}/", {"page_size": 200})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("role", ["regulator", "mission_staff", "auditor"])
@pytest.mark.parametrize("path", FACTORIES)
def test_list_queries_do_not_grow_with_rows(
    world, client_for, path, role, django_assert_max_num_queries
):
    client = client_for(role)
    if client.get(f"/api/v1/{path}/").status_code != 200:
        pytest.skip(f"{role} may not list {path}")
    small, rows_before = _count(client, path)
    for _ in range(100):
        FACTORIES[path](world)
    with django_assert_max_num_queries(small):
        large, rows_after = _count(client, path)
    assert rows_after >= rows_before + 100
