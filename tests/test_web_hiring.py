import pytest
from django.urls import reverse  # noqa: E402

from registry.models import HiringCheck  # noqa: E402

from . import factories as f  # noqa: E402

pytestmark = pytest.mark.django_db


def _post(company, mission, **overrides):
    data = {
        "company": company.pk,
        "mission": mission.pk,
        "countries": ["KE"],
        "services": ["armed_escort"],
        "armed": "on",
        "personnel_international": "2",
        "personnel_third_country": "0",
        "personnel_local": "10",
        "armed_personnel": "6",
        "start": "2026-02-01",
        "end": "2026-06-30",
    }
    data.update(overrides)
    return data


def test_unlicensed_company_is_refused_with_its_reasons(client, mission_officer, mission):
    company = f.CompanyFactory(legal_name="Unlicensed Guards Ltd")
    client.force_login(mission_officer)
    response = client.post(reverse("web:hiring_check"), _post(company, mission), follow=True)
    check = HiringCheck.objects.get()
    assert check.verdict == "refused" and check.asked_by == mission_officer
    text = response.text
    assert "Refused" in text and "LIC-NONE" in text
    assert "Coordination" in text


def test_service_validation_errors_show_on_the_form(client, mission_officer, mission):
    company = f.CompanyFactory()
    client.force_login(mission_officer)
    response = client.post(
        reverse("web:hiring_check"), _post(company, mission, start="2026-06-30", end="2026-01-01")
    )
    assert response.status_code == 200
    assert 'value="2026-06-30"' in response.text
    assert "errorlist" in response.text
    assert not HiringCheck.objects.exists()


def test_result_page_is_the_officers_and_not_other_missions(client, mission_officer, mission):
    company = f.CompanyFactory()
    client.force_login(mission_officer)
    client.post(reverse("web:hiring_check"), _post(company, mission))
    check = HiringCheck.objects.get()
    assert client.get(reverse("web:hiring_result", args=[check.pk])).status_code == 200
    other = f.ProfileFactory(role="mission_staff", missions=[f.MissionFactory()]).user
    client.force_login(other)
    assert client.get(reverse("web:hiring_result", args=[check.pk])).status_code == 404
