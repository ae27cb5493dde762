"""One write through the API, with its compliance re-check, costs a fixed number of queries,
however many contracts, people and findings the company has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from registry.compliance import run_compliance

from .. import factories as f

pytestmark = pytest.mark.django_db

# Measured on SQLite and PostgreSQL (the same count on both); see benchmarks/write_cost.py.
BUDGETS = {"sanction": 75, "incident": 50, "contract_patch": 105}


def _company(authority, contracts):
    company = f.compliant_company(registering_authority=authority)
    for _ in range(contracts):
        contract = f.ContractFactory(company=company)
        f.EmploymentFactory(contract=contract, armed=True)  # unvetted armed guard: findings
    run_compliance([company.pk])
    return company


def _writes(company, regulator):
    contract = company.contracts.first()
    return {
        "sanction": (
            "post",
            "/api/v1/sanctions/",
            {
                "company": company.pk,
                "imposed_by_authority": company.registering_authority_id,
                "kind": "fine",
                "scope": "global",
                "start": f.TODAY().isoformat(),
                "reason": "Late incident report.",
            },
        ),
        "incident": (
            "post",
            "/api/v1/incidents/",
            {
                "company": company.pk,
                "occurred_on": f.TODAY().isoformat(),
                "country": "KE",
                "category": "use_of_force",
                "severity": "serious",
                "status": "reported",
                "summary": "Warning shots.",
            },
        ),
        "contract_patch": ("patch", f"/api/v1/contracts/{contract.pk}/", {"title": "Renamed"}),
    }


def _queries(regulator, company, kind) -> int:
    client = APIClient()
    # A fresh user object, as each real request has (the access rules cache on it).
    client.force_authenticate(type(regulator).objects.get(pk=regulator.pk))
    method, url, body = _writes(company, regulator)[kind]
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, body, format="json")
    assert response.status_code in (200, 201), response.content
    return len(ctx)


@pytest.mark.parametrize("kind", sorted(BUDGETS))
def test_a_write_costs_a_fixed_number_of_queries(kind, regulator, authority):
    small = _queries(regulator, _company(authority, 1), kind)
    large = _queries(regulator, _company(authority, 12), kind)
    print(f"\n{kind}: {small} queries (1 contract), {large} (12 contracts)")
    assert small == large
    assert large <= BUDGETS[kind]
