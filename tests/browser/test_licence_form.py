import pytest
from playwright.sync_api import expect

from registry.choices import Role
from tests import factories as f

pytestmark = pytest.mark.browser


def test_renewal_dates_show_only_for_a_renewal(page, login, screenshot):
    licence = f.LicenceFactory(number="PSRA-2024-0077")
    regulator = f.ProfileFactory(
        role=Role.REGULATOR, authority=licence.company.registering_authority
    )
    login(regulator.user)
    page.goto(f"/companies/{licence.company_id}/")
    page.get_by_role("link", name="Grant, suspend, renew… licence PSRA-2024-0077").click()
    panel = page.locator("#licence-action-panel")
    expect(panel.get_by_role("heading")).to_be_focused()
    until = panel.get_by_label("Valid until")
    panel.get_by_label("Action").select_option("suspend")
    expect(until).to_be_hidden()
    panel.get_by_label("Action").select_option("renew")
    expect(until).to_be_visible()
    screenshot("licence-renewal-form.png")
    panel.get_by_role("button", name="Apply").click()  # no end date: the error keeps the fields
    expect(page.get_by_label("Valid until")).to_be_visible()
    expect(page.locator("#id_valid_until_errors")).to_contain_text(
        "A renewal needs the new end date."
    )
