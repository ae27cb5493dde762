import pytest
from playwright.sync_api import expect

from registry.choices import Role
from tests import factories as f

pytestmark = pytest.mark.browser

VALUE_LABEL = "Chart.getChart('chart-by-mission-value').data.datasets.map(d => d.label)"


def test_contract_value_is_charted_one_currency_at_a_time(page, login, screenshot):
    mission = f.MissionFactory(acronym="UNMIX")
    for value, currency in [(90_000_000, "KES"), (60_000_000, "KES"), (400_000, "USD")]:
        f.ContractFactory(client=f.ClientFactory(mission=mission), value=value, currency=currency)
    login(f.ProfileFactory(role=Role.AUDITOR).user)
    page.emulate_media(reduced_motion="reduce")
    page.goto("/dashboard/")
    picker = page.get_by_label("Currency").first
    expect(picker).to_be_visible()
    assert page.evaluate(VALUE_LABEL) == ["Value (KES)"]  # the most used currency first
    picker.select_option(label="USD (1 contract)")
    assert page.evaluate(VALUE_LABEL) == ["Value (USD)"]
    page.set_viewport_size({"width": 375, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot("dashboard-phone.png")
