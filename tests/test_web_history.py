import pytest
from django.urls import reverse  # noqa: E402

from . import factories as f  # noqa: E402
from .webutil import assert_fixed_queries  # noqa: E402

pytestmark = pytest.mark.django_db


def test_auditor_reads_a_licences_history_after_a_web_suspension(
    client, regulator, auditor, company
):
    licence = f.LicenceFactory(company=company, number="PSRA-9")
    client.force_login(regulator)
    client.post(
        reverse("web:licence_action", args=[licence.pk]),
        {"action": "suspend", "reason": "Weapons audit failed"},
    )
    client.force_login(auditor)
    text = client.get(reverse("web:history", args=["licence", licence.pk])).text
    assert "Weapons audit failed" in text
    assert "regulator" in text
    company_text = client.get(reverse("web:history", args=["company", company.pk])).text
    assert f"Licence #{licence.pk}" in company_text


@pytest.mark.parametrize("role", ["regulator", "mission_officer"])
def test_only_auditors_and_admins_read_history(client, request, role, company):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("web:history", args=["company", company.pk])).status_code == 403


def test_unknown_kind_or_object_is_404(client, auditor, company):
    client.force_login(auditor)
    assert client.get(reverse("web:history", args=["person", 1])).status_code == 404
    assert client.get(reverse("web:history", args=["company", 999999])).status_code == 404


def test_history_runs_a_fixed_number_of_queries(
    client, auditor, company, django_assert_max_num_queries
):
    f.LicenceFactory(company=company)
    client.force_login(auditor)

    def grow():
        for _ in range(10):
            f.LicenceFactory(company=company)

    url = reverse("web:history", args=["company", company.pk])
    assert_fixed_queries(client, url, grow, 8, django_assert_max_num_queries)
