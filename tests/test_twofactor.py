"""Two-factor sign-in on the web and the admin: regulators, auditors and administrators give a
TOTP code (or a one-time recovery code) after their password; mission staff do not."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry import twofactor

from . import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _no_wrong_code_delay(settings):
    # django-otp's delay after a wrong code is tested on its own below.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_RECOVERY_THROTTLE_FACTOR = 0


def password_login(username, next_url=""):
    """A client that has given only its password on /login/, and the login response."""
    client = Client()
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client, client.post(reverse("login"), data)


def test_a_regulator_gives_a_code_after_the_password(regulator):
    device = f.totp_device(regulator)
    client, response = password_login("regulator", "/queue/")
    assert response.status_code == 302
    assert response.url == "/login/verify/?next=%2Fqueue%2F"
    # Until then the regulator's pages send them back to the second step.
    page = client.get("/queue/")
    assert page.status_code == 302 and page.url.startswith("/login/verify/")
    form = client.get(response.url)
    assert form.status_code == 200 and b'autocomplete="one-time-code"' in form.content
    assert b">Work queue<" not in form.content  # the menu is the public one until verified
    before = client.session.session_key
    done = client.post(response.url, {"code": f.totp_code(device), "next": "/queue/"})
    assert done.status_code == 302 and done.url == "/queue/"
    assert client.session.session_key != before  # a new session key once verified
    assert b">Work queue<" in client.get("/queue/").content


def test_a_wrong_code_is_refused(regulator):
    device = f.totp_device(regulator)
    client, response = password_login("regulator")
    right = f.totp_code(device)
    for wrong in [f"{(int(right) + 1) % 1_000_000:06d}", "12345", "abcdefgh", " "]:
        refused = client.post(response.url, {"code": wrong})
        assert refused.status_code == 200, wrong
        assert client.get("/queue/").status_code == 302
    assert b"wrong or has expired" in client.post(response.url, {"code": "000001"}).content


def test_a_code_is_not_accepted_twice(regulator):
    device = f.totp_device(regulator)
    code = f.totp_code(device)
    first, response = password_login("regulator")
    assert first.post(response.url, {"code": code}).status_code == 302
    second, response = password_login("regulator")
    assert second.post(response.url, {"code": code}).status_code == 200
    assert second.get("/queue/").status_code == 302


def test_wrong_codes_slow_the_device_down(regulator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = f.totp_device(regulator)
    client, response = password_login("regulator")
    right = f.totp_code(device)
    client.post(response.url, {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    refused = client.post(response.url, {"code": right})
    assert refused.status_code == 200 and b"Too many wrong codes" in refused.content
    assert client.get("/queue/").status_code == 302


def test_a_recovery_code_works_once(auditor):
    f.totp_device(auditor)
    codes = twofactor.new_recovery_codes(auditor)
    typed = twofactor.display_code(codes[3]).upper()
    client, response = password_login("auditor", "/contracts/")
    used = client.post(response.url, {"code": typed, "next": "/contracts/"}, follow=True)
    assert used.redirect_chain[-1][0] == "/contracts/" and used.status_code == 200
    assert b"recovery code" in used.content and b"9 left" in used.content
    again, response = password_login("auditor")
    assert again.post(response.url, {"code": codes[3]}).status_code == 200
    assert again.get("/contracts/").status_code == 302
    assert twofactor.recovery_codes_left(auditor) == 9


def test_enrolment_shows_the_secret_and_qr_code_then_recovery_codes_once(regulator):
    client, response = password_login("regulator", "/queue/")
    assert response.url == "/login/enrol/?next=%2Fqueue%2F"
    assert client.get("/login/verify/").url.startswith("/login/enrol/")  # nothing to verify yet
    page = client.get(response.url)
    device = TOTPDevice.objects.get(user=regulator, confirmed=False)
    secret = twofactor.display_secret(device)
    assert page.status_code == 200 and secret.encode() in page.content
    assert b'<img src="/login/enrol/qr.svg"' in page.content and b"<script>" not in page.content
    qr = client.get("/login/enrol/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and qr.content.lstrip().startswith(b"<")
    assert "no-store" in qr["Cache-Control"]
    # The same secret on every visit until it is confirmed.
    assert client.get(response.url).content.count(secret.encode()) == 1
    assert TOTPDevice.objects.filter(user=regulator).count() == 1

    wrong = client.post(
        response.url, {"code": "000000" if f.totp_code(device) != "000000" else "1"}
    )
    assert wrong.status_code == 200 and b"wrong or has expired" in wrong.content
    assert client.get("/queue/").status_code == 302

    done = client.post(response.url, {"code": f.totp_code(device), "next": "/queue/"})
    assert done.status_code == 200
    shown = re.findall(rb"<li><code>([a-z2-7-]+)</code></li>", done.content)
    assert len(shown) == 10 and len(set(shown)) == 10
    assert b'href="/queue/"' in done.content
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/queue/").status_code == 200
    # Shown once: the enrolment page now sends a verified user on, and the QR code is gone.
    assert client.get(response.url).status_code == 302
    assert client.get("/login/enrol/qr.svg").status_code == 404

    # Next sign-in: the code step (not enrolment); a recovery code from the page works.
    later, response = password_login("regulator")
    assert response.url.startswith("/login/verify/")
    assert later.post(response.url, {"code": shown[0].decode()}).status_code == 302
    assert later.get("/queue/").status_code == 200


def test_the_qr_code_is_only_for_a_user_enrolling(regulator, mission_officer):
    assert Client().get("/login/enrol/qr.svg").status_code == 404
    client, _ = password_login("officer")
    assert client.get("/login/enrol/qr.svg").status_code == 404
    assert client.get("/login/enrol/").status_code == 302


def test_mission_staff_keep_password_only_sign_in(mission_officer):
    client, response = password_login("officer", "/hiring-check/")
    assert response.status_code == 302 and response.url == "/hiring-check/"
    assert client.get("/hiring-check/").status_code == 200
    assert not TOTPDevice.objects.exists()


def test_the_next_address_stays_on_this_site(regulator):
    device = f.totp_device(regulator)
    client, response = password_login("regulator")
    done = client.post(response.url, {"code": f.totp_code(device), "next": "https://evil.example/"})
    assert done.status_code == 302 and done.url == "/"


def test_an_htmx_request_is_sent_to_the_second_step_whole(regulator):
    f.totp_device(regulator)
    client, _ = password_login("regulator")
    response = client.get("/queue/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/login/verify/")


def test_logging_in_again_while_unverified_goes_to_the_second_step(regulator):
    f.totp_device(regulator)
    client, _ = password_login("regulator")
    response = client.get("/login/?next=/queue/")
    assert response.status_code == 302 and response.url == "/login/verify/?next=%2Fqueue%2F"
    assert client.post("/logout/").status_code == 302
    assert client.get("/queue/").url.startswith("/login/?")


def test_the_admin_needs_the_second_factor(admin_user):
    device = f.totp_device(admin_user)
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    index = client.get("/admin/")
    assert index.status_code == 302 and index.url == "/login/verify/?next=%2Fadmin%2F"
    assert client.get("/admin/registry/company/").status_code == 302
    verified = client.post(index.url, {"code": f.totp_code(device), "next": "/admin/"})
    assert verified.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_itself_refuses_an_unverified_session(admin_user, regulator):
    from django.contrib import admin

    for user, verified in [(admin_user, False), (admin_user, True), (regulator, False)]:
        request = RequestFactory().get("/admin/")
        user.is_staff = True
        user.otp_device = object() if verified else None
        user.is_verified = lambda u=user: u.otp_device is not None
        request.user = user
        assert admin.site.has_permission(request) is verified


def test_wrong_codes_slow_enrolment_down_too(regulator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client, response = password_login("regulator")
    client.get(response.url)
    device = TOTPDevice.objects.get(user=regulator, confirmed=False)
    right = f.totp_code(device)
    client.post(response.url, {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    refused = client.post(response.url, {"code": right})
    assert refused.status_code == 200 and b"Too many wrong codes" in refused.content
    device.refresh_from_db()
    assert not device.confirmed
