"""Company standing rests on the engine: company rules, sanctions, open blocker findings."""

import pytest

from registry.choices import LicenceAction, Standing
from registry.compliance import run_compliance
from registry.models import Company
from registry.services.licensing import transition
from registry.services.standing import company_standing, company_standings, refresh_standing

from . import factories as f

pytestmark = pytest.mark.django_db


def cached(company):
    return Company.objects.get(pk=company.pk).standing


def test_good_standing_for_compliant_company():
    company = f.compliant_company()
    result = company_standing(company)
    assert result.standing == Standing.GOOD and result.reasons == []


def test_global_debarment_means_not_cleared():
    company = f.compliant_company()
    f.SanctionFactory(company=company)
    result = company_standing(company)
    assert result.standing == Standing.NOT_CLEARED
    assert [r.code for r in result.reasons] == ["SAN-DEBARRED"]


def test_recent_fine_restricts():
    company = f.compliant_company()
    f.SanctionFactory(company=company, kind="fine")
    assert company_standing(company).standing == Standing.RESTRICTED


def test_open_blocker_finding_on_a_contract_means_not_cleared():
    company = f.compliant_company()
    contract = f.ContractFactory(company=company)
    f.EmploymentFactory(contract=contract, armed=True)  # never vetted: PER-VETTING
    assert company_standing(company).standing == Standing.GOOD  # not yet checked
    run_compliance([company.pk])
    result = company_standing(company)
    assert result.standing == Standing.NOT_CLEARED
    assert "PER-VETTING" in {r.code for r in result.reasons}
    assert cached(company) == Standing.NOT_CLEARED


def test_refresh_standing_updates_the_column():
    company = f.compliant_company()
    assert cached(company) == Standing.NOT_CLEARED  # the default before any check
    assert refresh_standing([company.pk]) == {company.pk: Standing.GOOD}
    assert cached(company) == Standing.GOOD


def test_licence_transition_refreshes_standing(regulator):
    company = f.compliant_company()
    refresh_standing([company.pk])
    transition(company.licences.get(), LicenceAction.SUSPEND, actor=regulator, reason="Audit.")
    assert cached(company) == Standing.NOT_CLEARED


def test_standings_for_many_companies_in_fixed_queries(django_assert_max_num_queries):
    companies = [f.compliant_company() for _ in range(3)]
    with django_assert_max_num_queries(10) as ctx:
        company_standings(companies)
    few = len(ctx.captured_queries)
    companies += [f.compliant_company() for _ in range(5)]
    with django_assert_max_num_queries(few):
        results = company_standings(companies)
    assert {r.standing for r in results.values()} == {Standing.GOOD}
