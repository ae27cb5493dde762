"""The hiring-check form itself; the verdicts are in test_web_hiring.py (needs the hiring service)."""

import pytest
from django.urls import reverse

from registry.models import HiringCheck

from . import factories as f
from .webutil import assert_fixed_queries

pytestmark = pytest.mark.django_db


def test_form_offers_only_the_officers_missions_and_preselects_a_single_one(
    client, mission_officer, mission
):
    f.MissionFactory(acronym="ELSEWHERE")
    client.force_login(mission_officer)
    text = client.get(reverse("web:hiring_check")).text
    assert f'<option value="{mission.pk}" selected>UNMIX</option>' in text
    assert "ELSEWHERE" not in text
    assert '<label for="id_start">Start' in text


def test_missing_fields_are_reported_and_entered_values_kept(client, mission_officer, mission):
    client.force_login(mission_officer)
    response = client.post(
        reverse("web:hiring_check"),
        {
            "mission": mission.pk,
            "countries": ["KE"],
            "personnel_local": "12",
            "start": "2026-02-01",
        },
    )
    assert response.status_code == 200
    text = response.text
    assert "This field is required." in text
    assert 'value="12"' in text and 'value="2026-02-01"' in text
    assert '<option value="KE" selected>' in text
    assert not HiringCheck.objects.exists()


def test_form_pages_run_a_fixed_number_of_queries(
    client, mission_officer, mission, django_assert_max_num_queries
):
    f.ContractFactory(client=f.ClientFactory(mission=mission))
    client.force_login(mission_officer)

    def grow():
        for _ in range(20):
            f.ContractFactory(client=f.ClientFactory(mission=mission))

    for url in [reverse("web:hiring_check"), reverse("web:contract_new")]:
        assert_fixed_queries(client, url, grow, 12, django_assert_max_num_queries)
