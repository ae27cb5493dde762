"""Basic accessibility checks in the real browser: names for every control, one h1, landmarks."""

import pytest

from registry.choices import Role
from tests import factories as f

pytestmark = pytest.mark.browser

UNNAMED_CONTROLS = """
() => Array.from(document.querySelectorAll('main input, main select, main textarea, main button'))
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.name || el.id || el.outerHTML.slice(0, 60))
"""


def _check(page):
    assert page.evaluate(UNNAMED_CONTROLS) == []
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("lang") == "en"
    for landmark in ["header", "nav", "main"]:
        assert page.locator(landmark).count() >= 1


def test_every_control_has_a_name(page, login):
    mission = f.MissionFactory()
    users = {
        None: None,
        "mission": f.ProfileFactory(role=Role.MISSION_STAFF, missions=[mission]).user,
        "regulator": f.ProfileFactory(role=Role.REGULATOR, authority=f.AuthorityFactory()).user,
        "auditor": f.ProfileFactory(role=Role.AUDITOR).user,
    }
    pages = {
        None: ["/", "/login/"],
        "mission": ["/hiring-check/", "/contracts/new/", "/contracts/"],
        "regulator": ["/queue/"],
        "auditor": ["/dashboard/"],
    }
    for role, paths in pages.items():
        page.context.clear_cookies()
        if users[role]:
            login(users[role])
        for path in paths:
            page.goto(path)
            _check(page)


def test_the_search_works_from_the_keyboard(page):
    f.CompanyFactory(legal_name="Kestrel Perimeter Security Ltd")
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")  # skips the header and navigation
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("Kestrel")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=Kestrel")
    assert "Kestrel Perimeter Security Ltd" in page.locator("#results").inner_text()
