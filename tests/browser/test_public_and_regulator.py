import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registry.choices import LicenceState, Role
from registry.compliance import catalogue
from tests import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def kestrel():
    company = f.CompanyFactory(
        legal_name="Kestrel Perimeter Security Ltd",
        insurer="Harbour Mutual",
        insurance_valid_until=f.TODAY().replace(year=f.TODAY().year + 2),
    )
    company.aliases.create(name="Kestrel Guards")
    f.LicenceFactory(company=company, number="PSRA-2024-0042")
    f.AdherenceFactory(company=company)
    f.CertificationFactory(company=company)
    return company


def test_public_search_and_company_page(page, kestrel, screenshot):
    f.CompanyFactory(legal_name="Other Security Ltd")
    page.goto("/")
    page.get_by_label("Company name or number").fill("Kestrel Guards")
    results = page.locator("#results")
    expect(results).to_contain_text("1 company matching")
    expect(results).not_to_contain_text("Other Security Ltd")
    assert "q=Kestrel" in page.url  # the live search keeps the address linkable
    results.get_by_role("link", name="Kestrel Perimeter Security Ltd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kestrel Perimeter Security Ltd")
    expect(page.locator("#standing .badge")).to_have_text("✓ Good standing")
    expect(page.locator("#licence-" + str(kestrel.licences.get().pk))).to_contain_text("Active")
    screenshot("company-page.png")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_pages_fit_a_phone(page, login, kestrel):
    f.ContractFactory(company=kestrel, countries=["KE", "SO"])
    login(f.ProfileFactory(role=Role.AUDITOR).user)
    page.set_viewport_size({"width": 375, "height": 740})
    paths = ["/", "/contracts/", "/dashboard/", f"/history/company/{kestrel.pk}/"]
    for path in [f"/companies/{kestrel.pk}/", *paths]:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
    page.goto("/?q=Kestrel")
    badge = page.locator("#results .badge").first.bounding_box()
    assert badge["x"] + badge["width"] <= 375  # the standing shows without scrolling sideways
    page.goto(f"/companies/{kestrel.pk}/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()


def test_regulator_pages_fit_a_phone(page, login, kestrel):
    """Action links carry visually-hidden text; it must not widen the page beyond its table."""
    f.LicenceFactory(company=kestrel, number="PSRA-2025-0001", state=LicenceState.APPLIED)
    login(f.ProfileFactory(role=Role.REGULATOR, authority=kestrel.registering_authority).user)
    page.set_viewport_size({"width": 375, "height": 740})
    for path in [f"/companies/{kestrel.pk}/", "/queue/"]:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path


def test_regulator_suspends_a_licence_and_the_badge_changes(page, login, kestrel):
    regulator = f.ProfileFactory(role=Role.REGULATOR, authority=kestrel.registering_authority).user
    login(regulator)
    page.goto(f"/companies/{kestrel.pk}/")
    expect(page.locator("#standing .badge")).to_have_text("✓ Good standing")
    page.get_by_role("link", name="Grant, suspend, renew… licence PSRA-2024-0042").click()
    # htmx opens the form in a panel of the company page and moves focus to it.
    panel = page.locator("#licence-action-panel")
    expect(panel.get_by_role("heading")).to_be_focused()
    assert page.url.endswith(f"/companies/{kestrel.pk}/")
    page.get_by_label("Action").select_option("suspend")
    page.get_by_label("Reason").fill("Inspection found unregistered weapons.")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status")).to_contain_text("Licence PSRA-2024-0042 is now suspended.")
    expect(page.locator("#standing .badge")).to_have_text("✕ Not cleared")
    expect(page.locator("#standing")).to_contain_text("LIC-NONE")
    assert kestrel.licences.get().state == LicenceState.SUSPENDED


def test_wrong_role_gets_a_clear_denied_page(page, login, live_server):
    login(f.ProfileFactory(role=Role.MISSION_STAFF).user)
    response = page.goto("/queue/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Access denied")
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("Work queue")


def test_dashboard_draws_its_charts(page, login, kestrel, screenshot):
    mission = f.MissionFactory(acronym="UNMIX")
    for year in (2024, 2025, 2026):
        f.ContractFactory(
            company=kestrel,
            client=f.ClientFactory(mission=mission),
            start=f.TODAY().replace(year=year, month=1, day=5),
            value=100000 * (year - 2023),
        )
    now = timezone.now()
    rules = catalogue()[:16]  # as many rules as the demo has findings for
    for rule in rules:
        kestrel.findings.create(
            rule_code=rule.code,
            severity=rule.severity,
            subject_key=f"company:{kestrel.pk}",
            message=rule.title,
            first_seen=now,
            last_seen=now,
        )
    for days in (20, 50, 51, 140):
        f.LicenceFactory(valid_until=f.TODAY() + dt.timedelta(days=days))
    login(f.ProfileFactory(role=Role.AUDITOR).user)
    page.emulate_media(reduced_motion="reduce")  # charts drawn at once, not mid-animation
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas')).map(c => !!Chart.getChart(c))"
    )
    assert drawn == [True] * 7  # two per contract dimension (count, value), three more
    # Every rule of the findings chart keeps its label (no skipped ticks).
    labels = page.evaluate("Chart.getChart('chart-findings').scales.y.ticks.length")
    assert labels == len(rules)
    screenshot("dashboard.png")
