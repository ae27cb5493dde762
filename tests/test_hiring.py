"""The hiring check: verdicts with their rule codes, coordination, storage, bad input."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.choices import LicenceState, Verdict
from registry.compliance import run_compliance, waive_finding
from registry.models import Finding, HiringCheck
from registry.services.hiring import run_hiring_check

from . import factories as f
from .compliance_helpers import codes, hire

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def company(db):
    return f.compliant_company()


def test_cleared_when_nothing_is_wrong(company, mission_officer):
    check = hire(company, asked_by=mission_officer)
    assert check.verdict == Verdict.CLEARED and check.findings == []
    stored = HiringCheck.objects.get()
    assert stored.asked_by == mission_officer and stored.countries == ["KE"]
    assert stored.services == ["armed_escort"] and stored.armed_personnel == 5


@pytest.mark.parametrize(
    ("setup", "request_", "code"),
    [
        ("none", {}, "LIC-COUNTRY"),
        ("ok", {"countries": ["SO"]}, "LIC-COUNTRY"),
        ("ok", {"services": ["maritime_security"]}, "LIC-SERVICE"),
        ("unarmed_licence", {}, "ARM-NOT-AUTHORISED"),
        ("ok", {"start": TODAY + 400 * DAY, "end": TODAY + 420 * DAY}, "LIC-PERIOD"),
        ("debarred", {}, "SAN-DEBARRED"),
        ("ok", {"personnel_local": 80, "armed_personnel": 80}, "ARM-CAP"),
    ],
)
def test_refused_with_rule_code(setup, request_, code):
    company = f.CompanyFactory() if setup == "none" else f.compliant_company()
    if setup == "unarmed_licence":
        company.licences.update(weapons_authorised=False, max_armed_personnel=None)
    if setup == "debarred":
        f.SanctionFactory(company=company)
    check = hire(company, **request_)
    assert check.verdict == Verdict.REFUSED
    blockers = {x["rule"] for x in check.findings if x["severity"] == "blocker"}
    assert code in blockers


def test_refused_when_licence_suspended(company):
    company.licences.update(state=LicenceState.SUSPENDED)
    check = hire(company)
    assert check.verdict == Verdict.REFUSED
    assert {"LIC-NONE", "LIC-COUNTRY"} <= codes(check)


def test_cleared_with_warnings_for_warnings_only(company):
    f.IncidentFactory(company=company, status="under_investigation")
    check = hire(company, end=TODAY + 400 * DAY)
    assert check.verdict == Verdict.CLEARED_WITH_WARNINGS
    assert codes(check) == {"INC-OPEN-SERIOUS", "LIC-RENEWAL"}
    assert {x["severity"] for x in check.findings} == {"warning"}


def test_a_reason_on_a_stored_contract_and_on_the_hire_is_given_once(company):
    f.ContractFactory(company=company, countries=["SO"], services=["armed_escort"], armed=True)
    run_compliance([company.pk])
    check = hire(company, countries=["SO"])
    reasons = [(x["rule"], x["message"]) for x in check.findings]
    assert ("LIC-COUNTRY" in {rule for rule, _ in reasons}) and len(reasons) == len(set(reasons))


def test_findings_carry_rule_title_and_message(company):
    check = hire(company, countries=["SO"])
    [finding] = [x for x in check.findings if x["rule"] == "LIC-COUNTRY"]
    assert set(finding) == {"rule", "severity", "title", "message"}
    assert "SO" in finding["message"]


def test_coordination_section(company, mission):
    other = f.ContractFactory(company=company)
    ended = f.ContractFactory(
        company=company,
        status="terminated_cause",
        termination_reason="Unlawful detention of a driver.",
        start=TODAY - 400 * DAY,
        end=TODAY - 200 * DAY,
    )
    sanction = f.SanctionFactory(company=company, kind="warning", scope="global")
    check = hire(company, mission=mission, client=None)
    coordination = check.coordination
    assert [r["contract"] for r in coordination["overlapping_contracts"]] == [other.pk]
    assert coordination["terminated_for_cause"][0]["contract"] == ended.pk
    assert coordination["terminated_for_cause"][0]["end"] == ended.end.isoformat()
    assert coordination["sanctions"][0]["sanction"] == sanction.pk
    json.dumps(coordination)  # JSON-ready
    assert "value" not in json.dumps(coordination)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"end": TODAY}, "end"),
        ({"countries": ["XX"]}, "countries"),
        ({"services": ["mercenaries"]}, "services"),
        ({"client": None}, "client"),
        ({"armed": False}, "armed_personnel"),
    ],
)
def test_bad_input_raises_and_stores_nothing(company, bad, field):
    args = {"start": TODAY + 30 * DAY, **bad}
    with pytest.raises(ValidationError) as exc:
        run_hiring_check(
            **{
                "company": company,
                "client": f.ClientFactory(),
                "countries": ["KE"],
                "services": ["armed_escort"],
                "armed": True,
                "personnel_local": 10,
                "armed_personnel": 5,
                "end": TODAY + 200 * DAY,
                **args,
            }
        )
    assert field in exc.value.message_dict
    assert not HiringCheck.objects.exists()


def test_waived_company_finding_does_not_refuse(company, admin_user):
    company.licences.update(state=LicenceState.SUSPENDED)
    run_compliance([company.pk])
    waive_finding(Finding.objects.get(rule_code="LIC-NONE"), user=admin_user, justification="Test.")
    check = hire(company, services=["unarmed_guarding"], armed=False, armed_personnel=0)
    lic_none = [x for x in check.findings if x["rule"] == "LIC-NONE"]
    assert lic_none[0]["severity"] == "info" and "Waived" in lic_none[0]["message"]


def test_blockers_about_the_companys_people_refuse_the_hire_as_they_block_its_standing():
    company = f.compliant_company()
    emp = f.EmploymentFactory(contract=f.ContractFactory(company=company))
    f.VettingFactory(person=emp.person, ddr_participant=True)
    run_compliance([company.pk])
    check = hire(company)
    assert check.verdict == Verdict.REFUSED and "PER-DDR" in codes(check)


@pytest.mark.parametrize(("armed", "verdict"), [(25, Verdict.REFUSED), (10, Verdict.CLEARED)])
def test_armed_personnel_of_the_company_s_current_contracts_count_against_the_cap(
    company, mission, armed, verdict
):
    """Licence: at most 30 armed for armed static guarding in KE; an active contract of another
    mission there holds 20 of them for the whole period."""
    licence = company.licences.get()
    licence.max_armed_personnel = 30
    licence.save()
    licence.services.add(f.service("armed_static_guarding"))
    other = f.ContractFactory(
        company=company,
        armed=True,
        personnel_local=20,
        armed_personnel=20,
        services=["armed_static_guarding"],
    )
    run_compliance([company.pk])  # the contract alone is within the cap: no stored blocker
    check = run_hiring_check(
        company=company,
        mission=mission,
        countries=["KE"],
        services=["armed_static_guarding"],
        armed=True,
        personnel_local=armed,
        armed_personnel=armed,
        start=TODAY + 30 * DAY,
        end=TODAY + 200 * DAY,
    )
    assert check.verdict == verdict
    blockers = [x for x in check.findings if x["severity"] == "blocker"]
    if verdict == Verdict.REFUSED:
        [blocker] = blockers
        assert blocker["rule"] == "ARM-CAP"
        assert other.reference in blocker["message"] and str(other.mission) in blocker["message"]
        assert str(other.value) not in blocker["message"]
    else:
        assert blockers == []
