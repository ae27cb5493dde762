"""The compliance engine's writes reach the audit trail: findings opened and resolved in bulk,
waivers and hiring checks as domain events with their reasons."""

import datetime as dt

import pytest
from django.utils import timezone

from registry.audit.chain import verify_chain
from registry.audit.models import AuditEntry
from registry.compliance import run_compliance, waive_finding
from registry.models import Finding, StandingChange
from registry.services.hiring import run_hiring_check

from . import factories as f

pytestmark = pytest.mark.django_db


def finding_entries(**kwargs):
    return AuditEntry.objects.filter(object_type="registry.finding", **kwargs)


def test_run_compliance_records_opened_and_resolved_findings():
    company = f.CompanyFactory()
    run_compliance([company.pk])
    opened = finding_entries(action="create")
    assert opened.count() == Finding.objects.count() == 3
    assert {e.company_id for e in opened} == {company.pk}

    run_compliance([company.pk])  # nothing changed: nothing recorded
    assert finding_entries().count() == 3

    f.AdherenceFactory(company=company)
    run_compliance([company.pk])
    resolved = finding_entries(action="update").get()
    assert resolved.changes["state"] == ["open", "resolved"]
    assert verify_chain() == (True, None)


def test_waiver_is_an_event_with_its_justification(admin_user):
    company = f.CompanyFactory()
    run_compliance([company.pk])
    finding = Finding.objects.get(rule_code="COC-NONE")
    waive_finding(finding, user=admin_user, justification="Mission code signed on site.")
    entry = finding_entries(action="event").get()
    assert (entry.event, entry.reason, entry.actor) == (
        "finding.waive",
        "Mission code signed on site.",
        admin_user,
    )


def test_hiring_check_is_recorded_as_asked(mission_officer, mission):
    company = f.compliant_company()
    today = timezone.localdate()
    check = run_hiring_check(
        company=company,
        mission=mission,
        countries=["KE"],
        services=["unarmed_guarding"],
        armed=False,
        personnel_local=5,
        start=today,
        end=today + dt.timedelta(days=90),
        asked_by=mission_officer,
    )
    entry = AuditEntry.objects.get(object_type="registry.hiringcheck", action="event")
    assert entry.event == "hiring_check.asked" and check.verdict in entry.reason


def test_a_run_records_each_finding_and_standing_change_once_and_a_rerun_nothing():
    companies = [f.CompanyFactory() for _ in range(5)]
    for company in companies[:3]:
        f.EmploymentFactory(contract=f.ContractFactory(company=company), armed=True)
    ids = [c.pk for c in companies]
    before = AuditEntry.objects.count()
    summary = run_compliance(ids, batch_size=2)
    findings = Finding.objects.filter(company_id__in=ids)
    opened = finding_entries(action="create")
    assert summary["opened"] == findings.count() == opened.count()
    assert sorted(int(e.object_id) for e in opened) == sorted(x.pk for x in findings)
    for entry in opened:
        finding = findings.get(pk=entry.object_id)
        assert entry.changes["rule_code"] == [None, finding.rule_code]
        assert entry.changes["message"] == [None, finding.message]
        assert entry.changes["last_seen"] == [None, finding.last_seen.isoformat()]
        assert entry.company_id == finding.company_id
    standing = AuditEntry.objects.filter(object_type="registry.standingchange")
    assert standing.count() == StandingChange.objects.count() == len(companies)
    assert AuditEntry.objects.count() - before == opened.count() + standing.count()
    assert verify_chain() == (True, None)

    after = AuditEntry.objects.count()
    run_compliance(ids, batch_size=2)
    assert AuditEntry.objects.count() == after
    assert verify_chain() == (True, None)


def test_a_subject_key_live_under_another_company_is_left_to_it():
    """Two companies' people on one contract share a subject key: the batch of the second
    company opens nothing for it, and records nothing."""
    prime, other = f.CompanyFactory(), f.CompanyFactory()
    contract = f.ContractFactory(company=prime)
    person = f.PersonFactory()
    f.EmploymentFactory(contract=contract, company=prime, person=person, armed=True)
    f.EmploymentFactory(contract=contract, company=other, person=person, armed=True)
    run_compliance([prime.pk, other.pk], batch_size=1)
    key = f"contract:{contract.pk}:person:{person.pk}"
    shared = Finding.objects.filter(subject_key=key)
    assert shared.exists() and {x.company_id for x in shared} == {prime.pk}
    assert finding_entries(action="create").count() == Finding.objects.count()
    assert verify_chain() == (True, None)
