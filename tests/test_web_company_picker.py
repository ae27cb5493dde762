import pytest
from django.urls import reverse

from registry.models import HiringCheck
from registry.web.picker import LIMIT

from . import factories as f
from .test_web_hiring import _post
from .webutil import assert_fixed_queries

pytestmark = pytest.mark.django_db


def _companies(n, prefix="Sentinel Picker"):
    return [f.CompanyFactory(legal_name=f"{prefix} {i:03d} Ltd") for i in range(n)]


def test_the_form_lists_a_bounded_number_of_companies(client, mission_officer):
    _companies(LIMIT + 5)
    client.force_login(mission_officer)
    text = client.get(reverse("web:hiring_check")).text
    assert text.count("Sentinel Picker") == LIMIT
    assert "More companies match: type more of the name" in text
    assert 'form="company-search"' in text and 'id="company-search"' in text


def test_without_javascript_a_search_reloads_the_form_with_the_matches(client, mission_officer):
    _companies(LIMIT + 5)
    kestrel = f.CompanyFactory(legal_name="Kestrel Perimeter Security Ltd")
    client.force_login(mission_officer)
    for url in (reverse("web:hiring_check"), reverse("web:contract_new")):
        text = client.get(url + "?company_q=kestrel").text
        assert f'<option value="{kestrel.pk}">Kestrel Perimeter Security Ltd</option>' in text
        assert "Sentinel Picker" not in text
        assert 'value="kestrel"' in text


def test_the_options_endpoint_filters_and_keeps_the_choice(client, mission_officer):
    chosen, *_ = _companies(3)
    kestrel = f.CompanyFactory(legal_name="Kestrel Perimeter Security Ltd")
    client.force_login(mission_officer)
    url = reverse("web:company_options")
    text = client.get(url, {"company_q": "Kestrel", "company": chosen.pk}).text
    assert f'<option value="{chosen.pk}" selected>' in text
    assert f'<option value="{kestrel.pk}">' in text
    assert "Sentinel Picker 001" not in text
    assert "No company matches" in client.get(url, {"company_q": "Nothing Such"}).text


def test_the_options_endpoint_is_for_mission_staff(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("web:company_options")).status_code == 403


def test_validation_still_accepts_any_visible_company(client, mission_officer, mission):
    *_, last = _companies(LIMIT + 5)  # not among the options first shown
    client.force_login(mission_officer)
    response = client.post(reverse("web:hiring_check"), _post(last, mission))
    assert response.status_code == 302
    assert HiringCheck.objects.get().company == last
    data = _post(last, mission)
    data["company"] = "999999"
    bad = client.post(reverse("web:hiring_check"), data)
    assert "Select a valid choice" in bad.text


def test_form_and_options_run_a_fixed_number_of_queries(
    client, mission_officer, django_assert_max_num_queries
):
    _companies(3)
    client.force_login(mission_officer)
    for url in (reverse("web:hiring_check"), reverse("web:company_options") + "?company_q=Sen"):
        assert_fixed_queries(
            client, url, lambda: _companies(LIMIT, "Sentry"), 12, django_assert_max_num_queries
        )
