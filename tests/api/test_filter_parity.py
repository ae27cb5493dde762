"""The same answer through every door: a filter selects the same rows on the web page, in its
CSV download, in the API list and in the API's CSV (one definition, registry.filters)."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from registry.choices import ContractStatus

from .. import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 1)


def _csv_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content).decode()
    return {int(row["id"]) for row in csv.DictReader(io.StringIO(body))}


def _section(html: str, start: str) -> str:
    i = html.index(start)
    return html[i : html.index("</section>", i)]


def contract_doors(client, query: str) -> dict[str, set[int]]:
    """Contract ids each door answers for one query string."""
    page = client.get(f"{reverse('web:contracts')}?{query}")
    assert page.status_code == 200
    rows = _section(page.text, '<section id="contract-results"')
    # The page's form sends blank fields; the API refuses an empty date filter (a 400), so the
    # API doors are asked without the blanks, which mean "no filter" on the page.
    query_api = "&".join(part for part in query.split("&") if not part.endswith("="))
    api = client.get(f"/api/v1/contracts/?page_size=500&{query_api}")
    assert api.status_code == 200, api.json()
    return {
        "web list": {int(pk) for pk in re.findall(r'href="/contracts/(\d+)/"', rows)},
        "web csv": _csv_ids(client.get(f"{reverse('web:contracts_csv')}?{query}")),
        "api list": {row["id"] for row in api.json()["results"]},
        "api csv": _csv_ids(client.get(f"/api/v1/contracts/?format=csv&{query_api}")),
    }


@pytest.fixture
def contracts(mission):
    own = f.ClientFactory(mission=mission)
    other = f.ClientFactory()
    make = f.ContractFactory
    return {
        "ke_active": make(
            client=own,
            countries=["KE"],
            start=DAY - dt.timedelta(days=30),
            end=DAY + dt.timedelta(days=30),
            signed_on=dt.date(2025, 12, 1),
            value=250_000,
            title="Static guarding of the logistics base",
        ),
        "so_armed_planned": make(
            client=own,
            countries=["SO"],
            services=["armed_escort"],
            armed=True,
            armed_personnel=4,
            status=ContractStatus.PLANNED,
            start=DAY,
            end=DAY + dt.timedelta(days=90),
            signed_on=dt.date(2026, 2, 1),
            value=900_000,
        ),
        # Covers the day by its dates, but is completed: not active on it.
        "ke_so_completed": make(
            client=other,
            countries=["KE", "SO"],
            services=["close_protection", "unarmed_guarding"],
            status=ContractStatus.COMPLETED,
            start=DAY - dt.timedelta(days=300),
            end=DAY,
            signed_on=None,
            value=None,
            currency="",
        ),
        # Covers the day by its dates, but was terminated: not active on it.
        "ss_terminated": make(
            client=other,
            countries=["SS"],
            status=ContractStatus.TERMINATED_CAUSE,
            termination_reason="Guards abandoned their posts.",
            start=DAY - dt.timedelta(days=10),
            end=DAY + dt.timedelta(days=10),
            signed_on=dt.date(2025, 6, 1),
            value=40_000,
        ),
        "ke_later": make(
            client=other,
            countries=["KE"],
            start=DAY + dt.timedelta(days=1),
            end=DAY + dt.timedelta(days=400),
            signed_on=dt.date(2026, 2, 28),
            value=300_000,
            reference="LATER-ESCORT-7",
        ),
    }


EMPTY_FORM = "q=&mission=&status=&country=&service=&armed=&active_on=&signed_after=&signed_before="

QUERIES = [
    "",
    f"active_on={DAY}",
    f"active_on={DAY + dt.timedelta(days=1)}",
    "country=KE",
    "country=so",
    "country=KE,SS",
    "service=armed_escort",
    "service=close_protection,armed_escort",
    "armed=true",
    "armed=0",
    "status=completed",
    "status=planned&status=terminated_cause",
    "signed_after=2026-01-01",
    "signed_before=2026-01-31",
    "signed_after=2025-01-01&signed_before=2026-02-01",
    "value_min=300000",
    "value_max=300000",
    "value_min=100000&value_max=500000",
    "q=later-escort",
    "q=logistics",
    "q=%20%20Static%20",
    f"country=KE&active_on={DAY}&armed=false",
    f"{EMPTY_FORM}&value_min=&value_max=&country=SO",  # the page's form, sent with one choice
]


@pytest.mark.parametrize("query", QUERIES)
def test_contract_filters_answer_the_same_through_every_door(client, auditor, contracts, query):
    client.force_login(auditor)
    answers = contract_doors(client, query)
    assert len({frozenset(ids) for ids in answers.values()}) == 1, answers


def test_mission_staff_get_the_same_answer_through_every_door(
    client, mission_officer, mission, contracts
):
    client.force_login(mission_officer)
    own = {contracts["ke_active"].pk, contracts["so_armed_planned"].pk}
    mission_query = f"mission={mission.pk}"
    for query in ["", "country=KE,SO", mission_query, f"active_on={DAY}", "armed=true"]:
        answers = contract_doors(client, query)
        assert len({frozenset(ids) for ids in answers.values()}) == 1, (query, answers)
        assert answers["api list"] <= own


def test_active_on_means_planned_or_active_on_that_day(client, auditor, contracts):
    client.force_login(auditor)
    answers = contract_doors(client, f"active_on={DAY}")
    expected = {contracts["ke_active"].pk, contracts["so_armed_planned"].pk}
    assert answers["web list"] == expected  # not the completed, terminated or later ones


def test_each_filter_narrows(client, auditor, contracts):
    """The parity above is not the trivial one (every door ignoring a filter)."""
    client.force_login(auditor)
    everything = contract_doors(client, "")["api list"]
    assert everything == {c.pk for c in contracts.values()}
    assert contract_doors(client, f"{EMPTY_FORM}&value_min=&value_max=")["api csv"] == everything
    for query in QUERIES[1:]:
        assert contract_doors(client, query)["web csv"] < everything, query


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("armed=maybe", "armed"),
        ("value_min=lots", "value_min"),
        ("active_on=not-a-date", "active_on"),
        ("status=nonsense", "status"),
        ("mission=a", "mission"),
        ("signed_after=2026-13-01", "signed_after"),
    ],
)
def test_a_bad_filter_is_an_error_at_every_door(client, auditor, contracts, query, field):
    client.force_login(auditor)
    page = client.get(f"{reverse('web:contracts')}?{query}")
    assert page.status_code == 200
    form = page.context["filter"].form
    assert field in form.errors
    assert re.findall(r'href="/contracts/(\d+)/"', page.text) == []  # not the unfiltered list
    assert 'aria-invalid="true"' in page.text
    web_csv = client.get(f"{reverse('web:contracts_csv')}?{query}")
    assert web_csv.status_code == 400 and field in web_csv.content.decode()
    for fmt in ["json", "csv"]:
        api = client.get(f"/api/v1/contracts/?format={fmt}&{query}")
        assert api.status_code == 400 and field in api.json()["fields"]


# --- Companies: the public register's search and the API's ?q= -------------------------------


@pytest.fixture
def companies():
    kestrel = f.CompanyFactory(
        legal_name="Kestrel Perimeter Security Ltd", registration_number="KE-778"
    )
    kestrel.aliases.create(name="Blue Falcon Guards")
    f.LicenceFactory(company=kestrel, number="PSRA-2024-0042")
    harbour = f.CompanyFactory(legal_name="Harbourline Maritime Ltd", lei="5493001KJTIIGC8Y1R12")
    harbour.aliases.create(name="Kestrel Marine")  # an alias matching another's name
    f.CompanyFactory(legal_name="Tamarind Risk Advisory")
    return {"kestrel": kestrel, "harbour": harbour}


def company_doors(client, query: str) -> dict[str, set[int]]:
    page = client.get(f"{reverse('web:search')}?{query}")
    assert page.status_code == 200
    rows = _section(page.text, '<section id="results"')
    api = client.get(f"/api/v1/companies/?page_size=500&{query}")
    assert api.status_code == 200, api.json()
    return {
        "web search": {int(pk) for pk in re.findall(r'href="/companies/(\d+)/"', rows)},
        "api list": {row["id"] for row in api.json()["results"]},
    }


@pytest.mark.parametrize("role", ["public", "auditor"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=kestrel",
        "q=falcon",
        "q=ke-778",
        "q=psra-2024-0042",
        "q=5493001kjtiigc8y1r12",
        "q=%20Harbourline%20",
        "q=ltd",
        "q=nobody",
        "q=KE-77",  # registration numbers match exactly, not in part
    ],
)
def test_company_search_answers_the_same_on_the_register_and_in_the_api(
    client, auditor, companies, role, query
):
    if role == "auditor":
        client.force_login(auditor)
    answers = company_doors(client, query)
    assert answers["web search"] == answers["api list"], answers


def test_company_search_finds_what_it_says(client, companies):
    found = company_doors(client, "q=kestrel")["web search"]
    assert found == {companies["kestrel"].pk, companies["harbour"].pk}
    assert company_doors(client, "q=KE-77")["api list"] == set()
