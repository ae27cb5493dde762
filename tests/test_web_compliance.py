import pytest
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from registry.choices import FindingState, LicenceState, Severity, Standing  # noqa: E402
from registry.compliance import run_compliance  # noqa: E402
from registry.services.licensing import transition  # noqa: E402

from . import factories as f  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(company):
    now = timezone.now()
    return company.findings.create(
        rule_code="INS-EXPIRED",
        severity=Severity.WARNING,
        subject_key=f"company:{company.pk}",
        message="No liability insurance is on record.",
        first_seen=now,
        last_seen=now,
    )


def test_regulator_waives_a_finding_with_a_justification(client, regulator, finding):
    client.force_login(regulator)
    response = client.post(
        reverse("web:finding_waive", args=[finding.pk]),
        {"justification": "Cover confirmed by the insurer's letter of 3 May."},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == FindingState.WAIVED and finding.waived_by == regulator


def test_a_blank_justification_is_refused_and_nothing_changes(client, regulator, finding):
    client.force_login(regulator)
    response = client.post(reverse("web:finding_waive", args=[finding.pk]), {"justification": " "})
    assert response.status_code == 200 and "This field is required." in response.text
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN


def test_mission_staff_cannot_waive(client, mission_officer, finding):
    client.force_login(mission_officer)
    assert client.get(reverse("web:finding_waive", args=[finding.pk])).status_code == 403


def test_a_debarment_recorded_on_the_web_refreshes_the_cached_standing(client, regulator, company):
    from registry.services.standing import refresh_standing

    f.LicenceFactory(company=company)
    refresh_standing([company.pk])
    company.refresh_from_db()
    assert company.standing != Standing.NOT_CLEARED
    client.force_login(regulator)
    response = client.post(
        reverse("web:sanction_new", args=[company.pk]),
        {"kind": "debarment", "scope": "global", "start": "2026-01-10", "reason": "Fraud"},
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.standing == Standing.NOT_CLEARED
    search = client.get(reverse("web:search"), {"q": company.legal_name}).text
    assert "Not cleared" in search


def test_granting_a_licence_resolves_the_finding_it_answers(client, regulator, company):
    """The work queue and the company page must not keep an open LIC-NONE after a grant."""
    licence = f.LicenceFactory(company=company, state=LicenceState.APPLIED)
    run_compliance([company.pk])
    finding = company.findings.get(rule_code="LIC-NONE")
    transition(licence, "grant", actor=regulator, reason="Inspection passed.")
    finding.refresh_from_db()
    assert finding.state == FindingState.RESOLVED
    client.force_login(regulator)
    assert "LIC-NONE" not in client.get(reverse("web:queue")).text


def test_company_page_names_the_contract_a_finding_is_about(client, regulator, company):
    contract = f.ContractFactory(company=company, reference="UNMIX/SEC/0042")
    now = timezone.now()
    company.findings.create(
        rule_code="COORD-OVERLAP",
        severity=Severity.INFO,
        subject_key=f"contract:{contract.pk}",
        contract=contract,
        message="Also contracted elsewhere.",
        first_seen=now,
        last_seen=now,
    )
    client.force_login(regulator)
    text = client.get(reverse("web:company", args=[company.pk])).text
    assert "Contract UNMIX/SEC/0042" in text
