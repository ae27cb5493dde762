"""Hire rules, on a proposed hire (hiring check) and on stored contracts (run_compliance)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


# ARM-CAP across contracts: the licence caps the company's armed personnel at any one time.


@pytest.fixture
def capped(db):
    """Licensed (KE only) for armed static guarding, at most 30 armed."""
    company = f.compliant_company()
    licence = company.licences.get()
    licence.max_armed_personnel = 30
    licence.save()
    licence.services.add(f.service("armed_static_guarding"))
    return company


def armed_contract(company, armed=20, **kwargs):
    return f.ContractFactory(
        company=company,
        armed=True,
        personnel_local=armed,
        armed_personnel=armed,
        services=["armed_static_guarding"],
        **kwargs,
    )


def guarding(company, armed, **kwargs):
    """A hiring check for armed static guarding in KE, from day 30 to day 200."""
    return hire(
        company,
        services=["armed_static_guarding"],
        personnel_local=armed,
        armed_personnel=armed,
        **kwargs,
    )


def arm_cap_message(check):
    [message] = [x["message"] for x in check.findings if x["rule"] == "ARM-CAP"]
    return message


def test_arm_cap_counts_the_company_s_concurrent_contract_for_another_client(capped):
    other = armed_contract(capped, 20)  # another client's mission, in KE, ongoing
    message = arm_cap_message(guarding(capped, 25))
    assert other.reference in message and str(other.mission) in message
    assert "45 in all" in message and "at most 30" in message
    assert str(other.value) not in message and "value" not in message


def test_arm_cap_counts_a_concurrent_contract_for_the_same_client_too(capped):
    other = armed_contract(capped, 20)
    assert other.reference in arm_cap_message(guarding(capped, 25, client=other.client))


def test_arm_cap_names_the_client_when_the_contract_has_no_mission(capped):
    client = f.ClientFactory(kind="government", mission=None)
    other = armed_contract(capped, 20, client=client)
    message = arm_cap_message(guarding(capped, 25))
    assert other.reference in message and client.name in message


def test_arm_cap_allows_up_to_the_cap_with_concurrent_contracts(capped):
    armed_contract(capped, 20)
    assert "ARM-CAP" not in codes(guarding(capped, 10))  # 20 + 10 = 30


@pytest.mark.parametrize(("ends", "fires"), [(29, False), (30, True)])
def test_arm_cap_counts_only_contracts_overlapping_the_hire(capped, ends, fires):
    """The hire runs from day 30; a contract ending on day 30 still overlaps it."""
    armed_contract(capped, 20, end=TODAY + ends * DAY)
    assert ("ARM-CAP" in codes(guarding(capped, 25))) is fires


def test_arm_cap_counts_contracts_starting_later_within_the_hire(capped):
    armed_contract(capped, 20, status="planned", start=TODAY + 150 * DAY, end=TODAY + 300 * DAY)
    assert "ARM-CAP" in codes(guarding(capped, 25))


@pytest.mark.parametrize("status", ["completed", "terminated_convenience", "terminated_cause"])
def test_arm_cap_ignores_contracts_no_longer_current(capped, status):
    """Even with their end date still ahead, as when terminated early."""
    reason = "Ended early by the client." if status.startswith("terminated") else ""
    armed_contract(capped, 20, status=status, termination_reason=reason)
    assert "ARM-CAP" not in codes(guarding(capped, 25))


def test_arm_cap_counts_the_busiest_day_not_the_sum_of_the_period(capped):
    """Two contracts of 20 armed, one after the other, are never 40 at once."""
    armed_contract(capped, 20, end=TODAY + 100 * DAY)
    armed_contract(capped, 20, status="planned", start=TODAY + 101 * DAY, end=TODAY + 300 * DAY)
    assert "ARM-CAP" not in codes(guarding(capped, 10))
    assert "ARM-CAP" in codes(guarding(capped, 11))


def test_arm_cap_counts_contracts_in_another_country_of_the_same_licence(capped):
    capped.licences.get().countries.add(f.country("SO"))
    other = armed_contract(capped, 20, countries=["SO"])
    assert other.reference in arm_cap_message(guarding(capped, 25))


def test_arm_cap_ignores_contracts_under_another_licence(capped):
    f.LicenceFactory(company=capped, countries=["SO"], services=["armed_static_guarding"])
    armed_contract(capped, 20, countries=["SO"])
    assert "ARM-CAP" not in codes(guarding(capped, 25))


def test_arm_cap_relies_on_the_covering_licence_with_room_left(capped):
    f.LicenceFactory(company=capped, max_armed_personnel=60, services=["armed_static_guarding"])
    armed_contract(capped, 20)
    assert "ARM-CAP" not in codes(guarding(capped, 25))  # 45 <= 60 under the second licence


def test_arm_cap_costs_no_query_per_concurrent_contract(capped):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            check = guarding(capped, 25)
        assert "ARM-CAP" in codes(check)
        return len(ctx.captured_queries)

    armed_contract(capped, 20)
    one = queries()
    for _ in range(4):
        armed_contract(capped, 2, client=f.ClientFactory(kind="government", mission=None))
    assert queries() == one


def test_arm_cap_stored_contract_does_not_count_itself(capped):
    armed_contract(capped, 30)
    assert "ARM-CAP" not in open_codes(capped)


def test_arm_cap_stored_contracts_together_over_the_cap_both_get_the_finding(capped):
    first = armed_contract(capped, 20)
    second = armed_contract(capped, 15, status="planned", start=TODAY + 10 * DAY)
    assert "ARM-CAP" in open_codes(capped)
    findings = {x.contract: x.message for x in Finding.objects.filter(rule_code="ARM-CAP")}
    assert set(findings) == {first, second}
    assert second.reference in findings[first] and first.reference in findings[second]
    assert all("35 in all" in message for message in findings.values())


def test_arm_cap_stored_finding_resolves_when_the_other_contract_ends(capped):
    first = armed_contract(capped, 20)
    second = armed_contract(capped, 15)
    assert "ARM-CAP" in open_codes(capped)
    second.status = "completed"
    second.save()
    assert "ARM-CAP" not in open_codes(capped)
    assert Finding.objects.get(contract=first, rule_code="ARM-CAP").state == "resolved"


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


def test_coord_overlap_names_three_contracts_and_counts_the_rest(company):
    others = [f.ContractFactory(company=company) for _ in range(5)]  # five other clients
    check = hire(company, client=None)
    [message] = [x["message"] for x in check.findings if x["rule"] == "COORD-OVERLAP"]
    named = sorted(others, key=lambda c: (c.start, c.reference))[:3]
    assert all(c.reference in message for c in named)
    assert message.endswith("; and 2 more.")
    # The coordination list, not the message, holds them all.
    assert len(check.coordination["overlapping_contracts"]) == 5
