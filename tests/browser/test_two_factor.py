"""A regulator signs in with password and TOTP code in the browser; a new one enrols first."""

from base64 import b32decode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from registry.choices import Role
from registry.demo import DEMO_TOTP_SECRETS, DEMO_USERS
from tests import factories as f

pytestmark = pytest.mark.browser


def image_loaded(page, image):
    """Wait until the <img> has loaded a picture (the QR code's SVG is a separate request)."""
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def sign_in(page, username, password):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_the_demo_regulator_signs_in_with_a_code_and_reaches_the_work_queue(page):
    regulator = f.ProfileFactory(
        role=Role.REGULATOR, authority=f.AuthorityFactory(), user__username="regulator"
    ).user
    regulator.set_password(DEMO_USERS["regulator"])
    regulator.save()
    device = f.totp_device(regulator, key=b32decode(DEMO_TOTP_SECRETS["regulator"]).hex())

    page.goto("/queue/")
    expect(page).to_have_url("/login/?next=/queue/", ignore_case=True)
    sign_in(page, "regulator", DEMO_USERS["regulator"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor verification")
    page.get_by_label("Code").fill("000000" if f.totp_code(device) != "000000" else "111111")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That code is wrong or has expired.")).to_be_visible()
    page.wait_for_timeout(1100)  # django-otp refuses every code for a second after a wrong one
    page.get_by_label("Code").fill(f.totp_code(device))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Work queue")
    assert page.url.endswith("/queue/")


def test_a_new_regulator_enrols_with_the_qr_code_and_keeps_recovery_codes(page, screenshot):
    user = f.ProfileFactory(
        role=Role.REGULATOR, authority=f.AuthorityFactory(), user__username="newreg"
    ).user
    page.goto("/login/?next=/queue/")
    sign_in(page, "newreg", "correct-horse-battery")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    qr = page.get_by_role("img", name="QR code of your two-factor secret")
    expect(qr).to_be_visible()
    image_loaded(page, qr)
    screenshot("two-factor-enrol.png")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code").fill(f.totp_code(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Work queue")


def test_a_regulator_who_lost_the_phone_signs_in_with_a_recovery_code_and_replaces_it(
    page, screenshot
):
    from registry import twofactor

    user = f.ProfileFactory(
        role=Role.REGULATOR, authority=f.AuthorityFactory(), user__username="lostphone"
    ).user
    old = f.totp_device(user)
    codes = twofactor.new_recovery_codes(user)
    page.goto("/login/?next=/queue/")
    sign_in(page, "lostphone", "correct-horse-battery")
    expect(page.get_by_text("Lost your authenticator app?")).to_be_visible()
    page.get_by_label("Code").fill(twofactor.display_code(codes[0]))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("You signed in with a recovery code")).to_be_visible()

    page.get_by_role("link", name="Two-factor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    expect(page.get_by_text("You have 9 unused recovery codes.")).to_be_visible()
    screenshot("two-factor-page.png")
    page.get_by_role("link", name="Set up a new authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a new authenticator app")
    qr = page.get_by_role("img", name="QR code of your two-factor secret")
    image_loaded(page, qr)
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code").fill(f.totp_code(new))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("the old one no longer works")).to_be_visible()
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
