import datetime as dt
import re

import pytest
from django.urls import reverse

from registry.models import Contract
from registry.web import paging
from registry.web.views import contracts as contract_views

from . import factories as f
from .webutil import assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, mission_officer):
    client.force_login(mission_officer)
    return client


@pytest.fixture
def own_client_org(mission):
    return f.ClientFactory(name="UNMIX Procurement", mission=mission)


def _contract_post(company, client_org, mission, **overrides):
    data = {
        "reference": "UNMIX-2026-01",
        "title": "Static guarding of the logistics base",
        "mission": mission.pk,
        "client": client_org.pk,
        "company": company.pk,
        "countries": ["KE"],
        "services": ["unarmed_guarding"],
        "personnel_international": 2,
        "personnel_third_country": 0,
        "personnel_local": 40,
        "armed_personnel": 0,
        "value": "250000",
        "currency": "USD",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "status": "planned",
    }
    data.update(overrides)
    return data


def test_officer_sees_own_missions_contracts_with_filters(officer_client, own_client_org):
    f.ContractFactory(client=own_client_org, reference="OWN-KE", countries=["KE"])
    f.ContractFactory(
        client=own_client_org, reference="OWN-SO", countries=["SO"], status="completed"
    )
    f.ContractFactory(reference="FOREIGN-KE")
    url = reverse("web:contracts")
    text = officer_client.get(url).text
    assert "OWN-KE" in text and "OWN-SO" in text and "FOREIGN-KE" not in text
    text = officer_client.get(url, {"country": "SO"}).text
    assert "OWN-SO" in text and "OWN-KE" not in text
    text = officer_client.get(url, {"status": "completed"}).text
    assert "OWN-SO" in text and "OWN-KE" not in text
    text = officer_client.get(url, {"q": "own-ke"}).text
    assert "OWN-KE" in text and "OWN-SO" not in text


def test_filters_keep_their_values(officer_client):
    text = officer_client.get(
        reverse("web:contracts"), {"q": "escort", "active_on": "2026-05-01"}
    ).text
    assert 'value="escort"' in text and 'value="2026-05-01"' in text


def test_filters_show_what_they_filter_by(officer_client, mission):
    text = officer_client.get(
        reverse("web:contracts"),
        {"country": "so", "status": "completed", "armed": "false", "mission": mission.pk},
    ).text
    assert '<option value="SO" selected>' in text
    assert '<option value="completed" selected>' in text
    assert '<option value="false" selected>' in text
    assert f'<option value="{mission.pk}" selected>' in text


def test_registering_a_contract(officer_client, own_client_org, mission):
    company = f.LicenceFactory().company
    response = officer_client.post(
        reverse("web:contract_new"), _contract_post(company, own_client_org, mission)
    )
    contract = Contract.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/contracts/{contract.pk}/"
    assert contract.mission == mission and contract.personnel_local == 40
    assert list(contract.countries.values_list("code", flat=True)) == ["KE"]


def test_model_rules_show_as_form_errors_and_keep_values(officer_client, own_client_org, mission):
    company = f.CompanyFactory()
    data = _contract_post(
        company,
        own_client_org,
        mission,
        end="2025-01-01",
        armed_personnel=5,
        value="10",
        currency="",
    )
    response = officer_client.post(reverse("web:contract_new"), data)
    assert response.status_code == 200
    text = response.text
    assert "A contract cannot end before it starts." in text
    assert "An unarmed contract cannot plan armed personnel." in text
    assert "A contract value needs its currency." in text
    assert 'value="UNMIX-2026-01"' in text and "Static guarding of the logistics base" in text
    assert not Contract.objects.exists()


def test_an_officer_cannot_register_for_another_mission(officer_client, own_client_org):
    other = f.MissionFactory()
    data = _contract_post(f.CompanyFactory(), own_client_org, other)
    response = officer_client.post(reverse("web:contract_new"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Contract.objects.exists()


def test_contract_page(officer_client, own_client_org):
    contract = f.ContractFactory(client=own_client_org, reference="OWN-1", value=125000)
    text = officer_client.get(reverse("web:contract", args=[contract.pk])).text
    assert "OWN-1" in text and "125,000.00 USD" in text


def test_contract_list_runs_a_fixed_number_of_queries(
    officer_client, own_client_org, django_assert_max_num_queries
):
    f.ContractFactory(client=own_client_org)

    def grow():
        for _ in range(30):
            f.ContractFactory(
                client=own_client_org, countries=["KE", "SO"], services=["armed_escort"]
            )

    url = reverse("web:contracts") + "?country=KE"
    assert_fixed_queries(officer_client, url, grow, 12, django_assert_max_num_queries)


def test_auditor_browses_every_contract(client, auditor):
    f.ContractFactory(reference="ANY-1")
    f.ContractFactory(reference="ANY-2")
    client.force_login(auditor)
    text = client.get(reverse("web:contracts")).text
    assert "ANY-1" in text and "ANY-2" in text and "Register a contract" not in text


def test_officer_edits_own_contract_but_not_another_missions(officer_client, own_client_org):
    own = f.ContractFactory(client=own_client_org, reference="OWN-9", status="active")
    foreign = f.ContractFactory(reference="FOREIGN-9")
    page = officer_client.get(reverse("web:contract", args=[own.pk])).text
    assert reverse("web:contract_edit", args=[own.pk]) in page
    form = officer_client.get(reverse("web:contract_edit", args=[own.pk])).text
    assert 'value="OWN-9"' in form
    data = _contract_post(own.company, own_client_org, own.mission, reference="OWN-9")
    data.update(status="terminated_cause", termination_reason="")
    response = officer_client.post(reverse("web:contract_edit", args=[own.pk]), data)
    assert "A terminated contract needs the reason for termination." in response.text
    data["termination_reason"] = "Guards abandoned their posts."
    response = officer_client.post(reverse("web:contract_edit", args=[own.pk]), data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "terminated_cause"
    assert officer_client.get(reverse("web:contract_edit", args=[foreign.pk])).status_code == 404


def test_auditor_cannot_edit(client, auditor):
    contract = f.ContractFactory()
    client.force_login(auditor)
    assert client.get(reverse("web:contract_edit", args=[contract.pk])).status_code == 403


def _references(response) -> list[str]:
    return re.findall(r'<a href="/contracts/\d+/">([^<]+)</a>', response.text)


def test_contract_list_pages_by_keyset_forward_and_back(client, auditor, monkeypatch):
    monkeypatch.setattr(contract_views, "PAGE_SIZE", 2)
    day = dt.date(2026, 1, 1)
    for n in range(5):  # two share a start day: the id breaks the tie
        f.ContractFactory(reference=f"K-{n}", start=day - dt.timedelta(days=n // 2 * 10))
    client.force_login(auditor)
    url = reverse("web:contracts")
    first = client.get(url)
    assert _references(first) == ["K-0", "K-1"] and "5 contracts" in first.text
    seen = _references(first)
    page = first
    while 'rel="next"' in page.text:
        after = re.search(r'href="\?after=([^"&]+)" rel="next"', page.text).group(1)
        page = client.get(url, {"after": after})
        seen += _references(page)
    assert seen == ["K-0", "K-1", "K-2", "K-3", "K-4"]
    before = re.search(r'href="\?before=([^"&]+)" rel="prev"', page.text).group(1)
    assert _references(client.get(url, {"before": before})) == ["K-2", "K-3"]
    # A key that is not one (typed, stale) is the first page, never an error.
    assert _references(client.get(url, {"after": "soon.x"})) == ["K-0", "K-1"]


def test_contract_list_count_is_capped(client, auditor, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    for n in range(5):
        f.ContractFactory(reference=f"C-{n}")
    client.force_login(auditor)
    assert "More than 3 contracts" in client.get(reverse("web:contracts")).text
