"""A small world seen from every role: records of 'our' side (the regulator's authority, the
officer's mission) and of 'their' side, so each test can say who sees which."""

from functools import cached_property
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from registry.choices import FindingState, IncidentStatus

from .. import factories as f

ROLES = ["public", "mission_staff", "regulator", "auditor", "admin"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2 at full strength costs most of a second per user on a small machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # throttle history lives in the cache
    yield
    cache.clear()


@pytest.fixture
def users(regulator, mission_officer, auditor, admin_user):
    return {
        "public": None,
        "mission_staff": mission_officer,
        "regulator": regulator,
        "auditor": auditor,
        "admin": admin_user,
    }


@pytest.fixture
def client_for(users):
    def make(role):
        client = APIClient()
        if users[role] is not None:
            client.force_authenticate(users[role])
        return client

    return make


@pytest.fixture
def world(db, company, mission):
    """ours: the regulator's company and the officer's mission; theirs: everybody else's."""
    other_company = f.CompanyFactory()
    other_mission = f.MissionFactory(acronym="OTHERMIS")
    w = SimpleNamespace(company=company, other_company=other_company, mission=mission)
    w.other_mission = other_mission
    w.licence = f.LicenceFactory(company=company)
    w.other_licence = f.LicenceFactory(company=other_company)
    w.client = f.ClientFactory(mission=mission)
    w.other_client = f.ClientFactory(mission=other_mission)
    w.contract = f.ContractFactory(company=company, client=w.client, value=250000)
    w.other_contract = f.ContractFactory(company=other_company, client=w.other_client, value=900000)
    w.adherence = f.AdherenceFactory(company=company)
    w.certification = f.CertificationFactory(company=other_company)
    w.incident_open = f.IncidentFactory(company=company, status=IncidentStatus.REPORTED)
    w.other_incident_open = f.IncidentFactory(
        company=other_company, status=IncidentStatus.UNDER_INVESTIGATION
    )
    w.other_incident_closed = f.IncidentFactory(company=other_company, status=IncidentStatus.CLOSED)
    w.sanction = f.SanctionFactory(company=other_company, kind="fine")
    w.person = f.EmploymentFactory(company=company, contract=None).person
    w.other_person = f.EmploymentFactory(company=other_company, contract=None).person
    w.vetting = f.VettingFactory(person=w.person, company=company)
    w.other_vetting = f.VettingFactory(person=w.other_person, company=other_company)
    w.finding = f.FindingFactory(company=company)
    w.other_finding = f.FindingFactory(
        company=other_company,
        person=w.other_person,
        rule_code="PER-VETTING",
        subject_key=f"contract:{w.other_contract.pk}:person:{w.other_person.pk}",
        state=FindingState.OPEN,
    )
    w.check = f.HiringCheckFactory(company=company, mission=mission)
    w.other_check = f.HiringCheckFactory(company=other_company, mission=other_mission)
    return w


def ids(response) -> set:
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row.get("id", row.get("code")) for row in rows}


class Scene:
    """What a resource's `make` and `create_body` draw on: the regulator's company and the
    officer's mission (from tests/conftest.py), and the rest made when first asked for."""

    def __init__(self, company, mission):
        self.company = company
        self.mission = mission
        self.authority = company.registering_authority

    @cached_property
    def client(self):
        return f.ClientFactory(mission=self.mission)

    @cached_property
    def person(self):
        return f.EmploymentFactory(company=self.company, contract=None).person


@pytest.fixture
def scene(company, mission, users):
    """The little the generic resource cases need (tests/api/resource_cases.py)."""
    return Scene(company, mission)
