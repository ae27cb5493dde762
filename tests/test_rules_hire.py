"""Hire rules, on a proposed hire (hiring check) and on stored contracts (run_compliance)."""

import datetime as dt

import pytest
from django.utils import timezone

from registry.models import Finding

from . import factories as f
from .compliance_helpers import codes, hire, open_codes

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def company(db):
    return f.compliant_company()


def test_lic_country_fires_outside_licensed_countries(company):
    assert "LIC-COUNTRY" in codes(hire(company, countries=["SO"]))


def test_lic_country_quiet_in_licensed_country(company):
    assert "LIC-COUNTRY" not in codes(hire(company))


def test_lic_service_fires_for_unlicensed_service(company):
    check = hire(company, services=["close_protection"])
    assert "LIC-SERVICE" in codes(check) and "LIC-COUNTRY" not in codes(check)


def test_lic_service_quiet_for_licensed_service(company):
    assert "LIC-SERVICE" not in codes(
        hire(company, services=["unarmed_guarding"], armed=False, armed_personnel=0)
    )


def test_lic_period_fires_when_start_after_licence_ends(company):
    check = hire(company, start=TODAY + 400 * DAY, end=TODAY + 500 * DAY)
    assert "LIC-PERIOD" in codes(check)


def test_lic_period_fires_when_licence_not_yet_valid():
    company = f.CompanyFactory()
    f.LicenceFactory(company=company, valid_from=TODAY + 100 * DAY)
    assert "LIC-PERIOD" in codes(hire(company))


def test_lic_period_quiet_within_validity(company):
    assert "LIC-PERIOD" not in codes(hire(company))


def test_lic_renewal_fires_when_work_outlasts_licence(company):
    check = hire(company, end=TODAY + 400 * DAY)
    assert "LIC-RENEWAL" in codes(check) and "LIC-PERIOD" not in codes(check)


def test_lic_renewal_quiet_when_licence_outlasts_work(company):
    assert "LIC-RENEWAL" not in codes(hire(company))


def test_arm_not_authorised_fires_without_weapons_authorisation():
    company = f.CompanyFactory()
    f.LicenceFactory(company=company, weapons_authorised=False, max_armed_personnel=None)
    assert "ARM-NOT-AUTHORISED" in codes(hire(company))


def test_arm_not_authorised_quiet_when_authorised_or_unarmed(company):
    assert "ARM-NOT-AUTHORISED" not in codes(hire(company))
    unarmed = f.CompanyFactory()
    f.LicenceFactory(company=unarmed, weapons_authorised=False, max_armed_personnel=None)
    check = hire(unarmed, services=["unarmed_guarding"], armed=False, armed_personnel=0)
    assert "ARM-NOT-AUTHORISED" not in codes(check)


def test_arm_cap_fires_above_licence_maximum(company):
    assert "ARM-CAP" in codes(hire(company, personnel_local=60, armed_personnel=51))


def test_arm_cap_quiet_at_maximum_or_without_cap(company):
    assert "ARM-CAP" not in codes(hire(company, personnel_local=60, armed_personnel=50))
    uncapped = f.CompanyFactory()
    f.LicenceFactory(company=uncapped, max_armed_personnel=None)
    assert "ARM-CAP" not in codes(hire(uncapped, personnel_local=90, armed_personnel=90))


@pytest.mark.parametrize(
    ("scope", "hire_country", "fires"),
    [("global", "KE", True), ("country", "KE", True), ("country", "SO", False)],
)
def test_san_debarred_in_hire_scope(company, scope, hire_country, fires):
    kwargs = {"scope_country": f.country("KE")} if scope == "country" else {}
    f.SanctionFactory(company=company, scope=scope, **kwargs)
    f.LicenceFactory(company=company, countries=["SO"])
    assert ("SAN-DEBARRED" in codes(hire(company, countries=[hire_country]))) is fires


def test_san_debarred_mission_scope(company, mission):
    f.SanctionFactory(company=company, scope="mission", scope_mission=mission)
    assert "SAN-DEBARRED" in codes(hire(company, mission=mission))
    assert "SAN-DEBARRED" not in codes(hire(company, mission=f.MissionFactory()))


def test_san_debarred_quiet_when_it_ends_before_the_hire(company):
    f.SanctionFactory(company=company, end=TODAY + 10 * DAY)
    assert "SAN-DEBARRED" not in codes(hire(company, start=TODAY + 30 * DAY))


def test_ctr_signed_unlicensed_fires_on_contract_signed_before_licence():
    company = f.CompanyFactory()
    f.LicenceFactory(company=company, valid_from=TODAY - 10 * DAY)
    contract = f.ContractFactory(company=company, signed_on=TODAY - 30 * DAY)
    assert "CTR-SIGNED-UNLICENSED" in open_codes(company)
    finding = Finding.objects.get(rule_code="CTR-SIGNED-UNLICENSED")
    assert finding.contract == contract and finding.subject_key == f"contract:{contract.pk}"


def test_ctr_signed_unlicensed_quiet_when_signed_under_licence(company):
    f.ContractFactory(company=company)
    assert "CTR-SIGNED-UNLICENSED" not in open_codes(company)


def test_sub_unlicensed_fires_on_prime_for_unlicensed_subcontractor(company):
    prime = f.ContractFactory(company=company)
    sub = f.ContractFactory(company=f.CompanyFactory(), parent=prime)
    assert "SUB-UNLICENSED" in open_codes(company)
    finding = Finding.objects.get(rule_code="SUB-UNLICENSED")
    assert finding.company == company and finding.contract == prime
    assert sub.company.legal_name in finding.message


def test_sub_unlicensed_quiet_for_licensed_subcontractor(company):
    prime = f.ContractFactory(company=company)
    f.ContractFactory(company=f.LicenceFactory().company, parent=prime)
    assert "SUB-UNLICENSED" not in open_codes(company)


def test_coord_overlap_is_info_and_listed_in_coordination(company, mission):
    other = f.ContractFactory(company=company)  # another mission's client, in KE, ongoing
    check = hire(company, mission=mission, client=None)
    assert "COORD-OVERLAP" in codes(check) and check.verdict == "cleared"
    [row] = check.coordination["overlapping_contracts"]
    assert row["contract"] == other.pk and row["countries"] == ["KE"]
    assert "value" not in row


@pytest.mark.parametrize("case", ["same_client", "other_country", "later"])
def test_coord_overlap_quiet(company, case):
    contract = f.ContractFactory(company=company)
    kwargs = {"client": contract.client}
    if case == "other_country":
        f.LicenceFactory(company=company, countries=["SO"])
        kwargs = {"countries": ["SO"]}
    elif case == "later":
        kwargs = {"start": contract.end + DAY, "end": contract.end + 30 * DAY}
    assert "COORD-OVERLAP" not in codes(hire(company, **kwargs))


def test_coord_overlap_between_stored_contracts(company):
    f.ContractFactory(company=company)
    f.ContractFactory(company=company)
    assert "COORD-OVERLAP" in open_codes(company)


def test_stored_contract_outside_licence_gets_a_finding_that_resolves_once_licensed(company):
    contract = f.ContractFactory(company=company, countries=["SO"])
    assert "LIC-COUNTRY" in open_codes(company)
    finding = Finding.objects.get(rule_code="LIC-COUNTRY")
    assert finding.contract == contract and finding.severity == "blocker"
    f.LicenceFactory(company=company, countries=["SO"])
    assert "LIC-COUNTRY" not in open_codes(company)
    finding.refresh_from_db()
    assert finding.state == "resolved"


def test_completed_contracts_are_not_checked(company):
    f.ContractFactory(
        company=company,
        countries=["SO"],
        status="completed",
        start=TODAY - 300 * DAY,
        end=TODAY - 10 * DAY,
    )
    assert "LIC-COUNTRY" not in open_codes(company)
