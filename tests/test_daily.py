"""The daily run: standings that change with the date alone are cached and recorded."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from registry import models as m
from registry.choices import LicenceState, Standing
from registry.demo import FIXTURE_PATH
from registry.demo.load import load_demo
from registry.services.daily import run_daily
from registry.services.standing import company_standing, refresh_standing

from . import factories as f

pytestmark = pytest.mark.django_db
FIXTURE = settings.BASE_DIR / FIXTURE_PATH


def today():
    return timezone.localdate()


def test_demo_after_100_days_cached_standing_is_the_live_one(capsys):
    load_demo(FIXTURE, today=today())
    on = today() + dt.timedelta(days=100)
    before = dict(m.Company.objects.values_list("id", "standing"))
    call_command("daily", "--date", on.isoformat())
    assert "Checked" in capsys.readouterr().out
    companies = list(m.Company.objects.all())
    mismatched = {
        c.legal_name: (c.standing, company_standing(c, on=on).standing)
        for c in companies
        if c.standing != company_standing(c, on=on).standing
    }
    assert mismatched == {}
    # Time alone changed some standings, and each change is in the history with its cause.
    changed = {c.pk for c in companies if c.standing != before[c.pk]}
    assert changed
    daily = m.StandingChange.objects.filter(cause=f"daily run {on.isoformat()}")
    assert set(daily.values_list("company_id", flat=True)) == changed
    assert not m.Licence.objects.lapsed_by(on).exists()  # expiries recorded too
    assert m.LicenceEvent.objects.filter(action="expire").exists()


def test_running_twice_changes_nothing():
    company = f.compliant_company()
    licence = company.licences.get()
    licence.valid_until = today() + dt.timedelta(days=5)
    licence.save()
    refresh_standing([company.pk])
    on = today() + dt.timedelta(days=10)
    run_daily(on)
    counts = (m.StandingChange.objects.count(), m.LicenceEvent.objects.count())
    standing = m.Company.objects.get(pk=company.pk).standing
    assert standing == Standing.NOT_CLEARED
    assert m.Licence.objects.get(pk=licence.pk).state == LicenceState.EXPIRED
    summary = run_daily(on)
    assert (m.StandingChange.objects.count(), m.LicenceEvent.objects.count()) == counts
    assert summary["expired_companies"] == []
    assert m.Company.objects.get(pk=company.pk).standing == standing


def test_entering_the_licence_warning_window_is_recorded_as_the_daily_run():
    company = f.compliant_company()
    licence = company.licences.get()
    licence.valid_until = today() + dt.timedelta(days=settings.LICENCE_EXPIRY_WARNING_DAYS + 5)
    licence.save()
    refresh_standing([company.pk])
    assert m.Company.objects.get(pk=company.pk).standing == Standing.GOOD
    on = today() + dt.timedelta(days=10)
    call_command("daily", "--date", on.isoformat())
    change = m.StandingChange.objects.filter(company=company).latest("at", "id")
    assert (change.from_standing, change.to_standing) == (Standing.GOOD, Standing.RESTRICTED)
    assert change.cause == f"daily run {on.isoformat()}" and change.on == on
    assert [r["code"] for r in change.reasons] == ["LIC-EXPIRING"]


def test_daily_rejects_a_bad_date():
    with pytest.raises(CommandError, match="ISO date"):
        call_command("daily", "--date", "01/12/2026")


def _ends_in_ten_days(what):
    company = f.compliant_company()
    soon = today() + dt.timedelta(days=10)
    if what == "LIC-EXPIRING":
        m.Licence.objects.filter(company=company).update(valid_until=soon + dt.timedelta(days=91))
    elif what == "INS-EXPIRED":
        m.Company.objects.filter(pk=company.pk).update(insurance_valid_until=soon)
    elif what == "CERT-EXPIRED":
        m.Certification.objects.filter(company=company).update(expires_on=soon)
    elif what == "COC-NONE":
        m.Adherence.objects.filter(company=company).update(withdrawn_on=soon)
    return company


@pytest.mark.parametrize("code", ["LIC-EXPIRING", "INS-EXPIRED", "CERT-EXPIRED", "COC-NONE"])
def test_live_standing_on_a_date_uses_that_date(code):
    company = _ends_in_ten_days(code)
    assert company_standing(company).standing == Standing.GOOD
    later = company_standing(company, on=today() + dt.timedelta(days=20))
    assert code in {r.code for r in later.reasons}


def test_a_debarment_ending_lifts_not_cleared_on_that_date():
    company = f.compliant_company()
    f.SanctionFactory(company=company, end=today() + dt.timedelta(days=10))
    assert company_standing(company).standing == Standing.NOT_CLEARED
    later = company_standing(company, on=today() + dt.timedelta(days=20))
    assert "SAN-DEBARRED" not in {r.code for r in later.reasons}
