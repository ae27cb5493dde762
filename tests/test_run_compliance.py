"""run_compliance: idempotent findings, automatic resolution, waivers, batched queries."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry import models as m
from registry.choices import FindingState, LicenceState, Standing
from registry.compliance import run_compliance, waive_finding
from registry.errors import DomainError
from registry.models import Company, Finding

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def live(company, code):
    return Finding.objects.filter(company=company, rule_code=code).exclude(state="resolved")


def test_running_twice_creates_no_duplicates():
    company = f.CompanyFactory()
    first = run_compliance([company.pk])
    rows = set(Finding.objects.values_list("id", "rule_code", "first_seen"))
    second = run_compliance([company.pk])
    assert set(Finding.objects.values_list("id", "rule_code", "first_seen")) == rows
    assert first["opened"] == 3 and second["opened"] == 0 and second["still_open"] == 3
    assert {code for _, code, _ in rows} == {"LIC-NONE", "INS-EXPIRED", "COC-NONE"}


def test_removing_the_cause_resolves_the_finding():
    company = f.CompanyFactory()
    run_compliance([company.pk])
    f.LicenceFactory(company=company)
    summary = run_compliance([company.pk])
    finding = Finding.objects.get(rule_code="LIC-NONE")
    assert finding.state == FindingState.RESOLVED and finding.resolved_at is not None
    assert summary["resolved"] == 1


def test_recurrence_after_resolution_opens_a_new_row():
    company = f.CompanyFactory()
    run_compliance([company.pk])
    licence = f.LicenceFactory(company=company)
    run_compliance([company.pk])
    licence.state = LicenceState.REVOKED
    licence.save()
    run_compliance([company.pk])
    states = sorted(Finding.objects.filter(rule_code="LIC-NONE").values_list("state", flat=True))
    assert states == ["open", "resolved"]


def test_waived_finding_stays_waived_and_does_not_block(admin_user):
    company = f.compliant_company()
    company.licences.update(state=LicenceState.SUSPENDED)
    run_compliance([company.pk])
    company.refresh_from_db()
    assert company.standing == Standing.NOT_CLEARED
    waived = waive_finding(
        live(company, "LIC-NONE").get(), user=admin_user, justification="Renewal filed."
    )
    assert waived.waived_by == admin_user and waived.waiver_justification == "Renewal filed."
    summary = run_compliance([company.pk])
    assert live(company, "LIC-NONE").get().state == FindingState.WAIVED
    assert summary["waived"] == 1 and summary["open_blockers"] == 0
    company.refresh_from_db()
    assert company.standing == Standing.GOOD


def test_waiver_needs_justification_and_an_open_finding(admin_user):
    company = f.CompanyFactory()
    run_compliance([company.pk])
    finding = live(company, "LIC-NONE").get()
    with pytest.raises(DomainError, match="justification"):
        waive_finding(finding, user=admin_user, justification="  ")
    waive_finding(finding, user=admin_user, justification="Accepted risk.")
    with pytest.raises(DomainError, match="open"):
        waive_finding(finding, user=admin_user, justification="Again.")


def test_one_company_only():
    checked, other = f.CompanyFactory(), f.CompanyFactory()
    run_compliance([checked.pk])
    assert not Finding.objects.filter(company=other).exists()


def test_command_prints_progress_and_summary(capsys):
    company = f.CompanyFactory()
    call_command("run_compliance", "--company", str(company.pk), "--date", TODAY.isoformat())
    out, err = capsys.readouterr()
    assert "1/1 companies" in err
    assert "Checked 1 companies: 3 new findings" in out and "not_cleared 1" in out


def test_command_rejects_bad_input():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("run_compliance", "--date", "tomorrow")
    with pytest.raises(CommandError):
        call_command("run_compliance", "--company", "999999")


def test_expire_licences_command_runs_compliance_for_affected_companies(capsys):
    licence = f.LicenceFactory(valid_until=TODAY - DAY)
    call_command("expire_licences")
    assert "Checked 1 companies" in capsys.readouterr().out
    assert live(licence.company, "LIC-NONE").exists()
    licence.company.refresh_from_db()
    assert licence.company.standing == Standing.NOT_CLEARED


# --- Query budget ---------------------------------------------------------------------------


def generate(n):
    """n companies, each with an active licence, a contract and an armed, unvetted guard."""
    authority = f.AuthorityFactory()
    client = f.ClientFactory()
    tag = m.Company.objects.count()
    companies = Company.objects.bulk_create(
        Company(
            legal_name=f"Generated Guarding {tag + i}",
            home_country_id="KE",
            registering_authority=authority,
            registration_number=f"GEN-{tag + i}",
        )
        for i in range(n)
    )
    licences = m.Licence.objects.bulk_create(
        m.Licence(
            authority=authority,
            company=c,
            number=f"GEN-L-{c.pk}",
            valid_from=TODAY - 100 * DAY,
            valid_until=TODAY + 60 * DAY,
            state=LicenceState.ACTIVE,
        )
        for c in companies
    )
    m.Licence.countries.through.objects.bulk_create(
        m.Licence.countries.through(licence=lic, country_id="KE") for lic in licences
    )
    m.Licence.services.through.objects.bulk_create(
        m.Licence.services.through(licence=lic, servicecategory_id="unarmed_guarding")
        for lic in licences
    )
    contracts = m.Contract.objects.bulk_create(
        m.Contract(
            reference=f"GEN-C-{c.pk}",
            client=client,
            mission=client.mission,
            company=c,
            personnel_local=1,
            start=TODAY - 10 * DAY,
            end=TODAY + 100 * DAY,
            status="active",
        )
        for c in companies
    )
    m.Contract.countries.through.objects.bulk_create(
        m.Contract.countries.through(contract=c, country_id="KE") for c in contracts
    )
    m.Contract.services.through.objects.bulk_create(
        m.Contract.services.through(contract=c, servicecategory_id="unarmed_guarding")
        for c in contracts
    )
    people = m.Person.objects.bulk_create(
        m.Person(
            full_name=f"Generated Guard {c.pk}",
            nationality_id="KE",
            identity_hash=m.identity_hash("KE", f"GEN{c.pk}"),
        )
        for c in contracts
    )
    m.Employment.objects.bulk_create(
        m.Employment(
            person=p,
            company_id=c.company_id,
            contract=c,
            role="Guard",
            armed=True,
            origin="local",
            start=TODAY - 10 * DAY,
        )
        for p, c in zip(people, contracts, strict=True)
    )
    return [c.pk for c in companies]


def measure(ids):
    with CaptureQueriesContext(connection) as ctx:
        summary = run_compliance(ids)
    # Bulk inserts and bulk updates: SQLite splits them by its parameter limit.
    split = sum(1 for q in ctx.captured_queries if _is_bulk(q["sql"]))
    return len(ctx.captured_queries), split, summary


def _is_bulk(sql: str) -> bool:
    sql = sql.lstrip().upper()
    return sql.startswith("INSERT") or (sql.startswith("UPDATE") and " CASE WHEN " in sql)


def test_query_count_does_not_grow_with_companies(django_assert_max_num_queries):
    small, large = generate(50), generate(500)
    first_small, ins_small, summary = measure(small)
    first_large, ins_large, _ = measure(large)
    # Every generated company has 6 findings: no code of conduct, no insurance, an expiring
    # licence that ends before its contract, an armed guard never vetted and never trained.
    assert summary["opened"] == 50 * 6
    # Apart from the bulk inserts and updates (SQLite splits them by its parameter limit,
    # PostgreSQL does not), the first run costs the same for 50 and 500 companies.
    assert first_small - ins_small == first_large - ins_large
    if connection.vendor == "postgresql":
        assert first_small == first_large
    with django_assert_max_num_queries(first_small - ins_small):
        _, again_ins, again = measure(large)
    assert again_ins == 0 and again["opened"] == 0 and again["still_open"] == 500 * 6
    print(
        f"\nrun_compliance queries: first run 50={first_small} 500={first_large}"
        f" (inserts {ins_small}/{ins_large}); re-run 500 <= {first_small - ins_small}"
    )


def test_queries_grow_per_batch_not_per_company():
    ids = generate(200)
    run_compliance(ids)
    counts = []
    for batch_size in (200, 100, 50):
        with CaptureQueriesContext(connection) as ctx:
            run_compliance(ids, batch_size=batch_size)
        counts.append(len(ctx.captured_queries))
    one_batch = counts[0] - 1  # one query lists the company ids
    assert counts == [1 + one_batch, 1 + 2 * one_batch, 1 + 4 * one_batch]
