"""Company rules: each fires on its cause and stays quiet without it."""

import datetime as dt

import pytest
from django.utils import timezone

from registry.choices import LicenceState

from . import factories as f
from .compliance_helpers import company_hits

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def test_lic_none_fires_without_active_licence():
    company = f.CompanyFactory()
    f.LicenceFactory(company=company, state=LicenceState.SUSPENDED)
    [hit] = company_hits(company, "LIC-NONE")
    assert "suspended" in hit.message


def test_lic_none_quiet_with_active_licence():
    assert company_hits(f.LicenceFactory().company, "LIC-NONE") == []


def test_lic_expiring_fires_within_90_days():
    lic = f.LicenceFactory(valid_until=TODAY + 30 * DAY)
    [hit] = company_hits(lic.company, "LIC-EXPIRING")
    assert lic.number in hit.message


def test_lic_expiring_quiet_beyond_90_days():
    assert (
        company_hits(f.LicenceFactory(valid_until=TODAY + 91 * DAY).company, "LIC-EXPIRING") == []
    )


def test_ins_expired_fires_when_insurance_lapsed():
    company = f.CompanyFactory(insurer="Harbour Mutual", insurance_valid_until=TODAY - DAY)
    [hit] = company_hits(company, "INS-EXPIRED")
    assert "ended" in hit.message


def test_ins_expired_quiet_when_insured():
    assert company_hits(f.compliant_company(), "INS-EXPIRED") == []


def test_coc_none_fires_when_code_withdrawn():
    adherence = f.AdherenceFactory(withdrawn_on=TODAY - DAY)
    assert len(company_hits(adherence.company, "COC-NONE")) == 1


def test_coc_none_quiet_when_code_in_force():
    assert company_hits(f.AdherenceFactory().company, "COC-NONE") == []


def test_cert_expired_fires_for_lapsed_certificate():
    cert = f.CertificationFactory(issued_on=TODAY - 800 * DAY, expires_on=TODAY - DAY)
    [hit] = company_hits(cert.company, "CERT-EXPIRED")
    assert "PSC.1" in hit.message


def test_cert_expired_quiet_when_renewed():
    cert = f.CertificationFactory(issued_on=TODAY - 800 * DAY, expires_on=TODAY - DAY)
    f.CertificationFactory(company=cert.company)
    assert company_hits(cert.company, "CERT-EXPIRED") == []


def test_san_debarred_fires_for_global_debarment_in_force():
    sanction = f.SanctionFactory()
    [hit] = company_hits(sanction.company, "SAN-DEBARRED")
    assert "Debarment" in hit.message


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "fine"},
        {"end": TODAY - DAY},
        {"lifted_on": TODAY - DAY, "lifted_reason": "Appeal upheld."},
        {"scope": "country", "scope_country": None},  # filled below
    ],
)
def test_san_debarred_quiet_when_not_a_global_exclusion_in_force(kwargs):
    if kwargs.get("scope") == "country":
        kwargs = {"scope": "country", "scope_country": f.country("SO")}
    sanction = f.SanctionFactory(start=TODAY - 60 * DAY, **kwargs)
    assert company_hits(sanction.company, "SAN-DEBARRED") == []


def test_san_other_fires_for_recent_fine():
    sanction = f.SanctionFactory(kind="fine", start=TODAY - 100 * DAY)
    [hit] = company_hits(sanction.company, "SAN-OTHER")
    assert "Fine" in hit.message


def test_san_other_quiet_for_old_fine_and_for_global_debarment():
    old = f.SanctionFactory(kind="fine", start=TODAY - 400 * DAY)
    assert company_hits(old.company, "SAN-OTHER") == []
    assert company_hits(f.SanctionFactory().company, "SAN-OTHER") == []


def test_inc_open_serious_fires_for_serious_incident_under_investigation():
    incident = f.IncidentFactory(status="under_investigation")
    assert len(company_hits(incident.company, "INC-OPEN-SERIOUS")) == 1


@pytest.mark.parametrize(("severity", "status"), [("minor", "reported"), ("serious", "closed")])
def test_inc_open_serious_quiet_for_minor_or_closed(severity, status):
    incident = f.IncidentFactory(severity=severity, status=status)
    assert company_hits(incident.company, "INC-OPEN-SERIOUS") == []


def test_inc_substantiated_fires_within_3_years():
    incident = f.IncidentFactory(status="substantiated", severity="critical")
    assert len(company_hits(incident.company, "INC-SUBSTANTIATED")) == 1


def test_inc_substantiated_quiet_after_3_years():
    incident = f.IncidentFactory(status="substantiated", occurred_on=TODAY - 4 * 365 * DAY)
    assert company_hits(incident.company, "INC-SUBSTANTIATED") == []


def test_ctr_terminated_cause_fires_within_3_years():
    contract = f.ContractFactory(
        status="terminated_cause",
        termination_reason="Abandoned post.",
        start=TODAY - 300 * DAY,
        end=TODAY - 100 * DAY,
    )
    [hit] = company_hits(contract.company, "CTR-TERMINATED-CAUSE")
    assert hit.contract_id == contract.pk and "Abandoned post." in hit.message


def test_ctr_terminated_cause_quiet_for_convenience_or_old():
    recent = f.ContractFactory(
        status="terminated_convenience",
        termination_reason="Budget cut.",
        start=TODAY - 300 * DAY,
        end=TODAY - DAY,
    )
    assert company_hits(recent.company, "CTR-TERMINATED-CAUSE") == []
    old = f.ContractFactory(
        status="terminated_cause",
        termination_reason="Abandoned post.",
        start=TODAY - 2000 * DAY,
        end=TODAY - 1500 * DAY,
    )
    assert company_hits(old.company, "CTR-TERMINATED-CAUSE") == []
