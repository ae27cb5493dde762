import datetime as dt

import pytest
from django.utils import timezone

from registry.choices import LicenceState, Standing
from registry.services.standing import company_standing

from . import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def today():
    return timezone.localdate()


def compliant_company(**licence):
    """Licensed, signed up to the ICoC and insured: nothing to report."""
    company = f.CompanyFactory(
        insurer="Lantern Mutual",
        insurance_cover=1_000_000,
        insurance_currency="USD",
        insurance_valid_until=today() + 300 * DAY,
    )
    f.AdherenceFactory(company=company)
    f.LicenceFactory(company=company, **licence)
    return company


def codes(result):
    return [r.code for r in result.reasons]


def test_company_without_licence_is_not_cleared():
    company = f.CompanyFactory()
    result = company_standing(company)
    assert result.standing == Standing.NOT_CLEARED
    assert sorted(codes(result)) == ["COC-NONE", "INS-EXPIRED", "LIC-NONE"]
    assert result.reasons[0].message == "No licence from any authority is on record."
    assert result.label == "Not cleared"


def test_company_with_active_licence_is_in_good_standing():
    result = company_standing(compliant_company())
    assert (result.standing, result.reasons) == (Standing.GOOD, [])


def test_suspended_licence_means_not_cleared_and_says_so():
    company = compliant_company(state=LicenceState.SUSPENDED, number="SSLB/7")
    result = company_standing(company)
    assert result.standing == Standing.NOT_CLEARED
    assert codes(result) == ["LIC-NONE"]
    assert "SSLB/7: suspended" in result.reasons[0].message


def test_active_licence_past_its_end_date_counts_as_expired():
    company = compliant_company(valid_until=today() - DAY, number="L-9")
    result = company_standing(company)
    assert result.standing == Standing.NOT_CLEARED
    assert "L-9: expired" in result.reasons[0].message


def test_expired_certification_restricts():
    company = compliant_company()
    f.CertificationFactory(company=company, issued_on=today() - 800 * DAY, expires_on=today() - DAY)
    result = company_standing(company)
    assert result.standing == Standing.RESTRICTED
    assert codes(result) == ["CERT-EXPIRED"]
    assert "expired on" in result.reasons[0].message


def test_renewed_certification_clears_the_expired_one():
    company = compliant_company()
    f.CertificationFactory(company=company, issued_on=today() - 800 * DAY, expires_on=today() - DAY)
    f.CertificationFactory(company=company)
    assert company_standing(company).standing == Standing.GOOD


def test_licence_expiring_soon_restricts():
    company = compliant_company(valid_until=today() + 30 * DAY, number="L-30")
    result = company_standing(company)
    assert result.standing == Standing.RESTRICTED
    assert codes(result) == ["LIC-EXPIRING"]
    assert "L-30" in result.reasons[0].message


def test_withdrawn_code_and_lapsed_insurance_restrict():
    company = compliant_company()
    company.adherences.update(withdrawn_on=today() - DAY)
    company.insurance_valid_until = today() - DAY
    company.save()
    assert sorted(codes(company_standing(company))) == ["COC-NONE", "INS-EXPIRED"]


def test_standing_on_a_given_day():
    company = compliant_company(valid_from=today() - 10 * DAY)
    assert company_standing(company, on=today() - 20 * DAY).standing == Standing.NOT_CLEARED
