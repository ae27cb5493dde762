"""Admin screens for oversight, personnel and compliance; waiving from the admin."""

import pytest
from django.urls import reverse

from registry.choices import FindingState
from registry.compliance import run_compliance
from registry.models import Finding

from . import factories as f

pytestmark = pytest.mark.django_db

MODELS = [
    "incident",
    "sanction",
    "person",
    "employment",
    "vetting",
    "training",
    "finding",
    "hiringcheck",
]


@pytest.fixture
def records(db):
    company = f.CompanyFactory()
    f.IncidentFactory(company=company)
    f.SanctionFactory(company=company)
    emp = f.EmploymentFactory(contract=f.ContractFactory(company=company), armed=True)
    f.VettingFactory(person=emp.person)
    f.TrainingFactory(person=emp.person)
    run_compliance([company.pk])
    return company


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_change_pages_load(client, admin_user, records, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:registry_{model}_changelist")).status_code == 200
    from django.apps import apps

    obj = apps.get_model("registry", model).objects.first()
    if obj is not None:
        page = client.get(reverse(f"admin:registry_{model}_change", args=[obj.pk]))
        assert page.status_code == 200


def test_waive_action_asks_for_justification_then_waives(client, admin_user, records):
    client.force_login(admin_user)
    finding = Finding.objects.get(rule_code="LIC-NONE")
    url = reverse("admin:registry_finding_changelist")
    data = {"action": "waive", "_selected_action": [finding.pk]}
    page = client.post(url, data)
    assert page.status_code == 200 and b"justification" in page.content
    blank = client.post(url, {**data, "apply": "Waive", "justification": " "})
    assert blank.status_code == 200
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN
    done = client.post(url, {**data, "apply": "Waive", "justification": "Licence renewal filed."})
    assert done.status_code == 302
    finding.refresh_from_db()
    assert finding.state == FindingState.WAIVED and finding.waived_by == admin_user


def test_hiring_checks_are_read_only(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:registry_hiringcheck_add")).status_code == 403


def test_company_pages_show_standing_from_the_engine(client, admin_user, records):
    client.force_login(admin_user)
    listing = client.get(reverse("admin:registry_company_changelist"), {"standing": "not_cleared"})
    assert listing.status_code == 200 and records.legal_name in listing.content.decode()
    page = client.get(reverse("admin:registry_company_change", args=[records.pk]))
    assert "SAN-DEBARRED" in page.content.decode() and "LIC-NONE" in page.content.decode()


def test_regulators_see_and_waive_only_their_companies_findings(client, regulator, records):
    """The admin's findings come from access.findings, like the web pages."""
    regulator.is_staff = True
    regulator.save()
    own = f.CompanyFactory(registering_authority=regulator.profile.authority)
    run_compliance([own.pk])
    client.force_login(regulator)
    url = reverse("admin:registry_finding_changelist")
    listing = client.get(url).content.decode()
    assert own.legal_name in listing and records.legal_name not in listing
    finding = Finding.objects.get(company=own, rule_code="LIC-NONE")
    data = {"action": "waive", "_selected_action": [finding.pk], "apply": "Waive"}
    client.post(url, {**data, "justification": "Application under review."})
    finding.refresh_from_db()
    assert finding.state == FindingState.WAIVED
    other = Finding.objects.get(company=records, rule_code="LIC-NONE")
    client.post(url, {**data, "_selected_action": [other.pk], "justification": "Not mine."})
    other.refresh_from_db()
    assert other.state == FindingState.OPEN
