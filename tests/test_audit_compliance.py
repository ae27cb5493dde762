"""The compliance engine's writes reach the audit trail: findings opened and resolved in bulk,
waivers and hiring checks as domain events with their reasons."""

import datetime as dt

import pytest
from django.utils import timezone

from registry.audit.chain import verify_chain
from registry.audit.models import AuditEntry
from registry.compliance import run_compliance, waive_finding
from registry.models import Finding
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
