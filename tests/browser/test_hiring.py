import re

import pytest
from playwright.sync_api import expect  # noqa: E402

from registry.choices import Role  # noqa: E402
from tests import factories as f  # noqa: E402

pytestmark = pytest.mark.browser


def test_mission_officer_hiring_check_is_refused_with_reasons(page, login):
    mission = f.MissionFactory(acronym="UNMIX", countries=["KE"])
    company = f.CompanyFactory(legal_name="Unlicensed Guards Ltd")
    login(f.ProfileFactory(role=Role.MISSION_STAFF, missions=[mission]).user)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Hiring check").click()
    page.get_by_label("Company").select_option(label=company.legal_name)
    page.get_by_label("Countries").select_option("KE")
    page.get_by_label("Armed escort and convoy protection").check()
    page.get_by_label("Armed services requested").check()
    page.get_by_label(re.compile(r"^Local")).fill("10")
    page.get_by_label(re.compile(r"^Armed \(required\)")).fill("4")
    page.get_by_label("Start").fill("2026-03-01")
    page.get_by_label("End").fill("2026-09-30")
    page.get_by_role("button", name="Run the check").click()
    expect(page.locator("#verdict-heading")).to_contain_text("Refused")
    expect(page.locator(".reasons")).to_contain_text("LIC-NONE")
    expect(
        page.get_by_role("heading", name="Coordination: who else contracts this company")
    ).to_be_visible()
