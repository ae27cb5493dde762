import pytest
from playwright.sync_api import expect

from registry.choices import Role
from registry.web.picker import LIMIT
from tests import factories as f

pytestmark = pytest.mark.browser


def test_typing_narrows_the_company_select(page, login, screenshot):
    for i in range(LIMIT + 5):
        f.CompanyFactory(legal_name=f"Sentinel Picker {i:03d} Ltd")
    kestrel = f.CompanyFactory(legal_name="Kestrel Perimeter Security Ltd")
    login(f.ProfileFactory(role=Role.MISSION_STAFF, missions=[f.MissionFactory()]).user)
    page.goto("/hiring-check/")
    select = page.get_by_label("Company (required)")
    expect(select.locator("option")).to_have_count(LIMIT + 2)  # the prompt and "more match"
    search = page.get_by_label("Find by name, trading name or registration number")
    search.press_sequentially("kestrel")
    expect(select.locator("option")).to_have_count(2)
    assert page.url.endswith("/hiring-check/")  # refilled in place, the form kept
    select.select_option(label="Kestrel Perimeter Security Ltd")
    search.press("Enter")  # searching again keeps the choice and does not submit the check
    expect(select).to_have_value(str(kestrel.pk))
    page.set_viewport_size({"width": 375, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot("company-picker-phone.png")
