import pytest
from playwright.sync_api import expect

from registry.choices import Role
from tests import factories as f

pytestmark = pytest.mark.browser


def test_officer_filters_contracts_in_place(page, login):
    mission = f.MissionFactory(acronym="UNMIX")
    client = f.ClientFactory(mission=mission)
    f.ContractFactory(client=client, reference="UNMIX-ACTIVE", status="active")
    f.ContractFactory(client=client, reference="UNMIX-DONE", status="completed")
    f.ContractFactory(reference="OTHER-MISSION")
    login(f.ProfileFactory(role=Role.MISSION_STAFF, missions=[mission]).user)
    page.goto("/contracts/")
    results = page.locator("#contract-results")
    expect(results).to_contain_text("2 contracts")
    expect(results).not_to_contain_text("OTHER-MISSION")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Status").select_option("completed")
    expect(results).to_contain_text("1 contract")
    expect(results).to_contain_text("UNMIX-DONE")
    assert page.evaluate("window.notReloaded") is True  # htmx swapped the list, no reload
    assert "status=completed" in page.url
