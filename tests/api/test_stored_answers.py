"""Stored status answers (api/answers.py) are never stale: any change that an answer shows moves
its version, whatever door made it; callers of different scopes, or on another day, never get
each other's answer."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.answers import ANSWER_CACHE
from registry.audit.actors import SystemActor
from registry.compliance.findings import run_compliance
from registry.services import records
from registry.services.licensing import transition
from registry.services.standing import refresh_standing
from tests import factories as f

SYSTEM = SystemActor("tests")


def status_url(world) -> str:
    return f"/api/v1/companies/{world.company.pk}/status/"


def fresh(client, url: str) -> dict:
    """The answer built now, not read from the cache."""
    caches[ANSWER_CACHE].clear()
    return client.get(url).json()


def suspend_licence(world):
    transition(world.licence, "suspend", actor=SYSTEM, reason="Inspection found no insurance.")


def sign_contract(world):
    f.ContractFactory(company=world.company, client=world.client, title="Convoy escort, north")


def impose_sanction(world):
    f.SanctionFactory(company=world.company)
    refresh_standing([world.company.pk])


def rename_client(world):
    # A shared record: its entry names no company, yet the company's answer shows the name.
    world.client.name = "Renamed Relief Agency"
    records.save(world.client, actor=SYSTEM)


def rename_authority(world):
    authority = world.licence.authority
    authority.name = "Renamed Licensing Office"
    records.save(authority, actor=SYSTEM)


def run_compliance_after_an_incident(world):
    f.IncidentFactory(company=world.company, severity="critical")
    run_compliance(company_ids=[world.company.pk])


def resolve_finding(world):
    world.finding.delete()
    refresh_standing([world.company.pk])


WRITES = [
    suspend_licence,
    sign_contract,
    impose_sanction,
    rename_client,
    rename_authority,
    run_compliance_after_an_incident,
    resolve_finding,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
def test_a_change_the_answer_shows_is_served_at_once(world, client_for, write):
    auditor = client_for("auditor")
    url = status_url(world)
    before = auditor.get(url).json()
    assert auditor.get(url).json() == before  # now served from the cache
    write(world)
    after = auditor.get(url).json()
    assert after != before
    assert after == fresh(auditor, url)


def test_the_standing_history_answer_follows_a_licence_change(world, client_for):
    auditor = client_for("auditor")
    url = f"/api/v1/companies/{world.company.pk}/standing-history/"
    before = auditor.get(url).json()
    suspend_licence(world)
    after = auditor.get(url).json()
    assert after["licence_history"] != before["licence_history"]
    assert after == fresh(auditor, url)


def test_callers_of_another_scope_get_their_own_answer(world, client_for):
    url = status_url(world)
    auditor, staff = client_for("auditor"), client_for("mission_staff")
    for_auditor = auditor.get(url).json()
    for_staff = staff.get(url).json()
    assert for_staff == fresh(staff, url)
    assert for_auditor == fresh(auditor, url)
    assert for_staff != for_auditor  # staff read the findings' people masked, for one


def test_a_new_day_builds_a_new_answer(world, client_for, monkeypatch):
    auditor = client_for("auditor")
    url = status_url(world)
    today = timezone.localdate()
    assert auditor.get(url).json()["on"] == today.isoformat()
    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    assert auditor.get(url).json()["on"] == tomorrow.isoformat()


def test_a_stored_answer_costs_one_query_and_keeps_its_etag(world, client_for):
    auditor = client_for("auditor")
    url = status_url(world)
    first = auditor.get(url)
    with CaptureQueriesContext(connection) as ctx:
        second = auditor.get(url)
    assert len(ctx) == 1
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == "application/json"


def test_if_none_match_answers_304_until_the_answer_changes(world, client_for):
    auditor = client_for("auditor")
    url = status_url(world)
    etag = auditor.get(url)["ETag"]
    unchanged = auditor.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == etag
    suspend_licence(world)
    changed = auditor.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_company_nobody_may_see_is_404_without_building_an_answer(world, client_for):
    response = client_for("auditor").get("/api/v1/companies/999999/status/")
    assert response.status_code == 404
    assert response.json()["status"] == 404


@pytest.mark.parametrize("extra", [0, 25])
def test_the_status_lookup_finds_and_versions_in_one_query(world, client_for, extra):
    for _ in range(extra):
        f.ContractFactory(company=world.company, client=world.client)
        f.LicenceFactory(company=world.company)
    company = world.company
    auditor = client_for("auditor")
    url = (
        f"/api/v1/status/?registration_number={company.registration_number}"
        f"&authority={company.registering_authority_id}"
    )
    first = auditor.get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        again = auditor.get(url)
    assert len(ctx) == 1
    assert again.json() == first.json() == fresh(auditor, url)
    assert first.json() == auditor.get(status_url(world)).json()
