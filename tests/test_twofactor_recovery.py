"""Recovery codes kept as digests only, a lost authenticator replaced by its owner or reset by an
administrator, and every enrolment, replacement, used code and reset in the audit trail (with no
secret in it)."""

import json
import re
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from registry import twofactor
from registry.audit.models import AuditEntry
from registry.models import RecoveryCodes

from . import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
CODE_IN_PAGE = re.compile(rb"<li><code>([a-z2-7-]+)</code></li>")


@pytest.fixture(autouse=True)
def _no_wrong_code_delay(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_RECOVERY_THROTTLE_FACTOR = 0


def signed_in_with(username, code):
    """A client signed in with the password and then `code` (TOTP or recovery)."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    verified = client.post(response.url, {"code": code})
    assert verified.status_code == 302, verified.content
    return client


def entries(object_type):
    return list(AuditEntry.objects.filter(object_type=object_type).order_by("seq"))


def test_recovery_codes_have_120_random_bits_and_only_their_digests_are_kept(auditor):
    codes = twofactor.new_recovery_codes(auditor)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-7]{24}", code) for code in codes)  # 24 × 5 bits
    stored = RecoveryCodes.objects.get(user=auditor)
    assert sorted(stored.digests) == sorted(RecoveryCodes.digest(c) for c in codes)
    row = json.dumps(list(RecoveryCodes.objects.values()), default=str)
    assert not any(code in row for code in codes)


def test_new_recovery_codes_replace_the_old_ones(auditor):
    old = twofactor.new_recovery_codes(auditor)
    new = twofactor.new_recovery_codes(auditor)
    assert RecoveryCodes.objects.filter(user=auditor).count() == 1
    assert twofactor.verify(auditor, old[0]) is None
    assert twofactor.is_recovery(twofactor.verify(auditor, new[0]))
    assert twofactor.recovery_codes_left(auditor) == 9


def test_wrong_recovery_codes_slow_the_codes_down(auditor, settings):
    settings.OTP_RECOVERY_THROTTLE_FACTOR = 60
    codes = twofactor.new_recovery_codes(auditor)
    assert twofactor.check(auditor, "a" * 24) == (None, twofactor.WRONG_CODE)
    assert twofactor.check(auditor, codes[0]) == (None, twofactor.THROTTLED)
    assert twofactor.recovery_codes_left(auditor) == 10


def test_a_recovery_code_gets_an_api_token(auditor):
    f.totp_device(auditor)
    code = twofactor.new_recovery_codes(auditor)[0]
    body = {"username": "auditor", "password": PASSWORD, "otp": twofactor.display_code(code)}
    response = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 201
    again = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert again.status_code == 400 and "otp" in again.json()["fields"]


def test_enrolment_and_codes_are_audited_without_any_secret(regulator):
    client = Client()
    response = client.post(reverse("login"), {"username": "regulator", "password": PASSWORD})
    client.get(response.url)  # the enrolment page makes the unconfirmed authenticator
    device = TOTPDevice.objects.get(user=regulator)
    page = client.post(response.url, {"code": f.totp_code(device)})
    codes = [c.decode().replace("-", "") for c in CODE_IN_PAGE.findall(page.content)]

    totp = entries("otp_totp.totpdevice")
    assert [(e.action, e.object_id) for e in totp] == [
        ("create", str(device.pk)),
        ("update", str(device.pk)),
    ]
    assert totp[0].changes["user"] == [None, regulator.pk]
    assert totp[0].changes["key"] == [None, "[masked]"]
    assert totp[1].changes == {"confirmed": [False, True]}
    (issued,) = entries("registry.recoverycodes")
    assert issued.action == "create" and issued.changes["digests"] == [None, "[masked]"]

    trail = json.dumps([e.changes for e in AuditEntry.objects.all()])
    assert device.key not in trail and twofactor.display_secret(device) not in trail
    assert not any(code in trail for code in codes)
    assert not any(RecoveryCodes.digest(code) in trail for code in codes)


def test_signing_in_with_the_authenticator_writes_no_entry_but_a_used_code_does(regulator):
    device = f.totp_device(regulator)
    codes = twofactor.new_recovery_codes(regulator)
    before = AuditEntry.objects.count()
    signed_in_with("regulator", f.totp_code(device))
    assert AuditEntry.objects.count() == before
    signed_in_with("regulator", codes[0])
    (used,) = AuditEntry.objects.filter(seq__gt=before, object_type="registry.recoverycodes")
    assert used.action == "update" and used.changes == {"digests": ["[masked]", "[masked]"]}


def test_a_lost_authenticator_is_replaced_after_signing_in_with_a_recovery_code(regulator):
    old = f.totp_device(regulator)
    old_codes = twofactor.new_recovery_codes(regulator)
    client = signed_in_with("regulator", old_codes[0])
    page = client.get(reverse("web:two_factor"))
    assert page.status_code == 200 and b"<strong>9</strong> unused recovery codes" in page.content
    assert b'href="/account/two-factor/"' in page.content  # in the account menu

    replace = client.get(reverse("web:two_factor_replace"))
    new = TOTPDevice.objects.get(user=regulator, confirmed=False)
    assert twofactor.display_secret(new).encode() in replace.content
    assert client.get("/login/enrol/qr.svg").status_code == 200
    assert twofactor.verify(regulator, f.totp_code(old)) == old  # still works until confirmed

    done = client.post(reverse("web:two_factor_replace"), {"code": f.totp_code(new)})
    assert done.status_code == 200 and b"the old one no longer works" in done.content
    new_codes = [c.decode() for c in CODE_IN_PAGE.findall(done.content)]
    assert len(new_codes) == 10
    assert list(TOTPDevice.objects.filter(user=regulator)) == [new]
    assert client.get("/queue/").status_code == 200  # the session is verified with the new one
    (removed,) = [e for e in entries("otp_totp.totpdevice") if e.action == "delete"]
    assert removed.object_id == str(old.pk) and removed.actor_label == "regulator"

    assert twofactor.verify(regulator, old_codes[1]) is None
    later = Client()
    response = later.post(reverse("login"), {"username": "regulator", "password": PASSWORD})
    assert later.post(response.url, {"code": f.totp_code(old, steps=1)}).status_code == 200
    signed_in_with("regulator", new_codes[0])


def test_a_wrong_code_replaces_nothing(regulator):
    old = f.totp_device(regulator)
    client = Client()
    client.force_login(regulator)
    client.get(reverse("web:two_factor_replace"))
    new = TOTPDevice.objects.get(user=regulator, confirmed=False)
    wrong = "000000" if f.totp_code(new) != "000000" else "000001"
    refused = client.post(reverse("web:two_factor_replace"), {"code": wrong})
    assert refused.status_code == 200 and b"wrong or has expired" in refused.content
    assert set(TOTPDevice.objects.filter(user=regulator, confirmed=True)) == {old}


def test_replacing_and_renewing_ask_for_a_password_entered_long_ago(regulator, settings):
    f.totp_device(regulator)
    client = Client()
    client.force_login(regulator)
    session = client.session
    session["_session_password_at"] -= settings.REAUTH_MINUTES * 60 + 1
    session.save()
    client.get(reverse("web:two_factor_replace"))
    new = TOTPDevice.objects.get(user=regulator, confirmed=False)
    refused = client.post(reverse("web:two_factor_replace"), {"code": f.totp_code(new)})
    assert refused.status_code == 200 and b"reauth_password" in refused.content
    assert not TOTPDevice.objects.get(pk=new.pk).confirmed
    renew = client.post(reverse("web:two_factor"), {"reauth_password": "wrong"})
    assert b"That is not your password" in renew.content
    assert twofactor.recovery_codes_left(regulator) == 0
    renewed = client.post(reverse("web:two_factor"), {"reauth_password": PASSWORD})
    assert len(CODE_IN_PAGE.findall(renewed.content)) == 10
    assert twofactor.recovery_codes_left(regulator) == 10


def test_mission_staff_have_no_two_factor_page(client, mission_officer):
    client.force_login(mission_officer)
    assert client.get(reverse("web:two_factor")).status_code == 404
    assert client.get(reverse("web:two_factor_replace")).status_code == 404
    assert b'href="/account/two-factor/"' not in client.get("/").content
    assert not TOTPDevice.objects.exists()


def test_an_administrator_resets_a_lost_second_factor(client, admin_user, regulator):
    f.totp_device(regulator)
    twofactor.new_recovery_codes(regulator)
    victim = Client()
    victim.force_login(regulator)
    assert victim.get("/queue/").status_code == 200

    client.force_login(admin_user)
    changelist = reverse("admin:auth_user_changelist")
    response = client.post(
        changelist,
        {"action": "reset_second_factor", "_selected_action": [regulator.pk]},
        follow=True,
    )
    assert response.status_code == 200 and b"Second factor reset for 1 user" in response.content
    assert not TOTPDevice.objects.filter(user=regulator).exists()
    assert not RecoveryCodes.objects.filter(user=regulator).exists()
    assert victim.get("/queue/").status_code == 302  # their sessions are ended
    assert Session.objects.count() == 1  # the administrator's own
    (event,) = AuditEntry.objects.filter(event="second_factor.reset")
    assert event.object_id == str(regulator.pk) and event.actor_label == "admin"
    assert event.reason == "reset in the admin by admin"
    assert {e.action for e in entries("otp_totp.totpdevice")} >= {"delete"}

    # At the next sign-in they set up a new authenticator.
    fresh = Client()
    response = fresh.post(reverse("login"), {"username": "regulator", "password": PASSWORD})
    assert response.url.startswith("/login/enrol/")


def test_the_admin_does_not_edit_second_factor_devices(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/registry/recoverycodes/").status_code == 404


def test_plain_recovery_codes_of_an_earlier_release_are_hashed_by_the_migration(auditor):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("registry.migrations.0005_recovery_codes")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE otp_static_staticdevice (id integer PRIMARY KEY, user_id integer,"
            " confirmed boolean)"
        )
        cursor.execute(
            "CREATE TABLE otp_static_statictoken (id integer PRIMARY KEY, device_id integer,"
            " token varchar(16))"
        )
        cursor.execute("INSERT INTO otp_static_staticdevice VALUES (1, %s, %s)", [auditor.pk, True])
        cursor.execute("INSERT INTO otp_static_statictoken VALUES (1, 1, 'abcdefghijklmnop')")
        cursor.execute("INSERT INTO otp_static_statictoken VALUES (2, 1, 'qrstuvwxyz234567')")
    try:
        # The function reads only schema_editor.connection.
        migration.hash_plain_recovery_codes(apps, SimpleNamespace(connection=connection))
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM otp_static_statictoken")
            assert cursor.fetchone() == (0,)
        assert twofactor.recovery_codes_left(auditor) == 2
        assert twofactor.is_recovery(twofactor.verify(auditor, "abcd-efgh-ijkl-mnop"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE otp_static_statictoken")
            cursor.execute("DROP TABLE otp_static_staticdevice")
