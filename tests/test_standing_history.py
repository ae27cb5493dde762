"""Standing history: every change of the cached Company.standing is recorded, set-based, with
its reasons and cause, and audited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.audit.context import audit_context
from registry.audit.models import AuditEntry, Channel
from registry.choices import LicenceAction, Severity, Standing
from registry.compliance import run_compliance
from registry.models import Company, StandingChange
from registry.services.licensing import transition
from registry.services.standing import refresh_standing

from . import factories as f

pytestmark = pytest.mark.django_db


def history(company):
    return list(StandingChange.objects.filter(company=company).order_by("at", "id"))


def test_first_standing_is_recorded_from_nothing():
    company = f.compliant_company()
    assert Company.objects.get(pk=company.pk).standing_since is None
    refresh_standing([company.pk], cause="first check")
    [change] = history(company)
    assert (change.from_standing, change.to_standing) == (None, Standing.GOOD)
    assert change.cause == "first check" and change.reasons == []
    assert Company.objects.get(pk=company.pk).standing_since == change.at


def test_recomputing_without_change_records_nothing():
    company = f.compliant_company()
    refresh_standing([company.pk])
    since = Company.objects.get(pk=company.pk).standing_since
    refresh_standing([company.pk])
    run_compliance([company.pk])
    assert len(history(company)) == 1
    assert Company.objects.get(pk=company.pk).standing_since == since


def test_a_change_records_from_to_reasons_and_cause(regulator):
    company = f.compliant_company()
    refresh_standing([company.pk])
    licence = company.licences.get()
    transition(licence, LicenceAction.SUSPEND, actor=regulator, reason="Audit.")
    first, change = history(company)
    assert (change.from_standing, change.to_standing) == (Standing.GOOD, Standing.NOT_CLEARED)
    assert change.cause == f"licence.suspend {licence.number}"
    assert ("LIC-NONE", Severity.BLOCKER) in {(r["code"], r["severity"]) for r in change.reasons}
    assert all(set(r) == {"code", "severity", "message"} for r in change.reasons)
    assert Company.objects.get(pk=company.pk).standing_since == change.at > first.at


def test_cause_defaults_to_the_audit_context_with_its_request_id():
    company = f.compliant_company()
    with audit_context(actor="importer", channel=Channel.IMPORT, request_id="req-42"):
        refresh_standing([company.pk])
    [change] = history(company)
    assert change.cause == "import by importer"
    assert change.request_id == "req-42"


def test_run_compliance_takes_a_cause():
    company = f.compliant_company()
    f.SanctionFactory(company=company, kind="fine")
    run_compliance([company.pk], cause="daily run 2026-12-01")
    [change] = history(company)
    assert change.to_standing == Standing.RESTRICTED
    assert change.cause == "daily run 2026-12-01"
    assert [r["code"] for r in change.reasons] == ["SAN-OTHER"]


def test_each_change_has_one_audit_entry():
    companies = [f.compliant_company() for _ in range(3)]
    refresh_standing([c.pk for c in companies])
    changes = StandingChange.objects.all()
    entries = AuditEntry.objects.filter(object_type="registry.standingchange")
    assert sorted(e.object_id for e in entries) == sorted(str(c.pk) for c in changes)
    assert {e.company_id for e in entries} == {c.pk for c in companies}


def test_writing_standing_takes_a_fixed_number_of_queries(django_assert_num_queries):
    few = [f.compliant_company() for _ in range(2)]
    many = [f.compliant_company() for _ in range(7)]
    with CaptureQueriesContext(connection) as small:
        refresh_standing([c.pk for c in few])
    with django_assert_num_queries(len(small.captured_queries)):
        refresh_standing([c.pk for c in many])
    assert StandingChange.objects.count() == 9


def test_run_compliance_batches_take_a_fixed_number_of_queries():
    def fined(n):
        companies = [f.compliant_company() for _ in range(n)]
        for company in companies:
            f.SanctionFactory(company=company, kind="fine")
        return [c.pk for c in companies]

    two, six = fined(2), fined(6)
    with CaptureQueriesContext(connection) as small:
        run_compliance(two)
    with CaptureQueriesContext(connection) as big:
        run_compliance(six)
    assert len(big.captured_queries) == len(small.captured_queries)
    assert StandingChange.objects.filter(to_standing=Standing.RESTRICTED).count() == 8


def test_a_web_write_names_the_request_in_the_cause(client, regulator):
    from django.urls import reverse

    company = f.compliant_company(registering_authority=regulator.profile.authority)
    refresh_standing([company.pk])
    client.force_login(regulator)
    url = reverse("web:sanction_new", args=[company.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data = {
        name: (field.initial if field.initial is not None else "")
        for name, field in form.fields.items()
    }
    data.update(kind="fine", scope="global", start=str(company.created_at.date()), reason="Late.")
    client.post(url, data)
    change = StandingChange.objects.filter(company=company).latest("at", "id")
    assert change.to_standing == Standing.RESTRICTED
    sanction = company.sanctions.get()
    assert change.cause == f"registry.sanction {sanction.pk} create (web by regulator: POST {url})"
    assert change.request_id
