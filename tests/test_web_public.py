import pytest
from django.urls import reverse

from registry.choices import LicenceState

from . import factories as f
from .webutil import assert_fixed_queries

pytestmark = pytest.mark.django_db


def test_it_finds_companies_by_name_alias_registration_and_licence_number(client):
    company = f.CompanyFactory(
        legal_name="Kestrel Perimeter Security Ltd", registration_number="KE-778"
    )
    company.aliases.create(name="Kestrel Guards")
    f.LicenceFactory(company=company, number="PSRA-2024-0042")
    f.CompanyFactory(legal_name="Other Company")
    url = reverse("web:search")
    for q in ["kestrel perimeter", "Kestrel Guards", "KE-778", "psra-2024-0042"]:
        response = client.get(url, {"q": q})
        assert response.status_code == 200
        assert "Kestrel Perimeter Security Ltd" in response.text, q
        assert "Other Company" not in response.text, q


def test_htmx_search_returns_only_the_results(client):
    f.CompanyFactory(legal_name="Kestrel Perimeter Security Ltd")
    response = client.get(reverse("web:search"), {"q": "kestrel"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="results"')
    assert "Kestrel Perimeter Security Ltd" in response.text
    assert "HX-Request" in response["Vary"]
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get(reverse("web:search"), {"q": "kestrel"}, headers=restore)
    assert "<html" in response.text  # a history restore needs the whole page


def test_search_shows_the_standing_badge(client):
    f.CompanyFactory(legal_name="Unlicensed Guards Ltd")
    response = client.get(reverse("web:search"), {"q": "Unlicensed"})
    assert "Not cleared" in response.text


def test_company_page_shows_standing_reasons_licences_codes_and_certifications(client):
    company = f.CompanyFactory(legal_name="Kestrel Perimeter Security Ltd")
    f.LicenceFactory(company=company, number="PSRA-2024-0042")
    f.LicenceFactory(company=company, number="PSRA-2019-0007", state=LicenceState.REVOKED)
    f.AdherenceFactory(company=company)
    f.CertificationFactory(company=company, certifying_body="Meridian Certification Bureau")
    response = client.get(reverse("web:company", args=[company.pk]))
    text = response.text
    assert response.status_code == 200
    assert "PSRA-2024-0042" in text and "PSRA-2019-0007" in text
    assert "Revoked" in text and "Active" in text
    assert "Armed escort and convoy protection" in text  # licence scope
    assert "International Code of Conduct" in text
    assert "Meridian Certification Bureau" in text
    # No insurance on record: a warning, so the company is restricted, with the reason shown.
    assert "Restricted" in text and "INS-EXPIRED" in text
    assert "data-print" in text  # printable: a print button, and print CSS in site.css


def test_company_page_hides_oversight_from_the_public(client):
    company = f.LicenceFactory().company
    response = client.get(reverse("web:company", args=[company.pk]))
    assert "Sanctions" not in response.text
    assert "Incidents" not in response.text
    assert "Grant, suspend" not in response.text


def test_unknown_company_is_a_clear_404(client):
    response = client.get(reverse("web:company", args=[999999]))
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_search_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    f.LicenceFactory(company__legal_name="Sentinel A")

    def grow():
        for _ in range(30):
            company = f.LicenceFactory().company
            company.aliases.create(name=f"Alias of {company.pk}")

    url = reverse("web:search") + "?q=Sentinel"
    assert_fixed_queries(client, url, grow, 12, django_assert_max_num_queries)


def test_company_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    company = f.CompanyFactory()
    f.LicenceFactory(company=company)

    def grow():
        for _ in range(10):
            f.LicenceFactory(company=company, countries=["KE", "SO"])
            f.CertificationFactory(company=company)
        company.aliases.create(name="Second name")

    url = reverse("web:company", args=[company.pk])
    # 18 + 2: the standing history and the licence history (one query each, last 20 rows).
    assert_fixed_queries(client, url, grow, 20, django_assert_max_num_queries)


def test_pages_name_their_icon_so_browsers_do_not_ask_for_favicon_ico(client):
    text = client.get(reverse("web:search")).text
    assert 'rel="icon"' in text and "registry/favicon.svg" in text
