"""A password change (any door) or a deactivation revokes the user's API tokens and ends their
other sessions; a self-service password change keeps the session it was made in."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from registry.audit.models import AuditEntry
from registry.models import ApiToken

from . import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-new-long-passphrase-91"


def _signed_in(user, n=2):
    clients = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def _sessions_of(user):
    return {
        s.session_key
        for s in Session.objects.all()
        if s.get_decoded().get(SESSION_KEY) == str(user.pk)
    }


def _usable(user):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


def test_set_password_and_save_revokes_tokens_and_ends_every_session(auditor, regulator):
    ApiToken.issue(auditor), ApiToken.issue(auditor)
    ApiToken.issue(regulator)
    _signed_in(auditor)
    _signed_in(regulator, 1)
    auditor.set_password(NEW_PASSWORD)
    auditor.save()
    assert _usable(auditor) == 0 and _sessions_of(auditor) == set()
    # somebody else's credentials are untouched
    assert _usable(regulator) == 1 and len(_sessions_of(regulator)) == 1


def test_the_revoked_token_is_refused_and_the_old_session_is_signed_out(auditor):
    _token, key = ApiToken.issue(auditor)
    (browser,) = _signed_in(auditor, 1)
    auditor.set_password(NEW_PASSWORD)
    auditor.save()
    api = Client().get("/api/v1/contracts/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 401
    assert browser.get("/dashboard/").status_code == 302


def test_revocations_are_audited(auditor):
    token, _ = ApiToken.issue(auditor)
    auditor.set_password(NEW_PASSWORD)
    auditor.save()
    entry = AuditEntry.objects.filter(object_type="api.apitoken", action="update").get()
    assert entry.object_id == str(token.pk) and entry.changes["revoked_at"][0] is None


def test_other_saves_change_nothing(auditor):
    ApiToken.issue(auditor)
    _signed_in(auditor)
    auditor.email = "auditor@example.org"
    auditor.save()
    auditor.save(update_fields=["last_login"])
    assert _usable(auditor) == 1 and len(_sessions_of(auditor)) == 2


def test_deactivation_revokes_tokens_and_ends_every_session(auditor):
    ApiToken.issue(auditor)
    _signed_in(auditor)
    auditor.is_active = False
    auditor.save(update_fields=["is_active"])
    assert _usable(auditor) == 0 and _sessions_of(auditor) == set()


def test_admin_password_form_for_another_user(client, admin_user, auditor):
    ApiToken.issue(auditor)
    _signed_in(auditor)
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[auditor.pk])
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert _usable(auditor) == 0 and _sessions_of(auditor) == set()
    assert client.get("/admin/").status_code == 200  # the admin's own session is not touched


def test_admin_deactivating_a_user(client, admin_user, auditor):
    ApiToken.issue(auditor)
    _signed_in(auditor)
    client.force_login(admin_user)
    page = client.get(reverse("admin:auth_user_change", args=[auditor.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "groups", "user_permissions")
    }
    data.update(is_active="", date_joined_0="2026-01-01", date_joined_1="00:00:00")
    data.pop("date_joined", None), data.pop("last_login", None)
    data.update({"profile-TOTAL_FORMS": 1, "profile-INITIAL_FORMS": 1})
    profile = auditor.profile
    data.update({"profile-0-id": profile.pk, "profile-0-user": auditor.pk})
    data.update({"profile-0-role": profile.role})
    response = client.post(reverse("admin:auth_user_change", args=[auditor.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    auditor.refresh_from_db()
    assert not auditor.is_active
    assert _usable(auditor) == 0 and _sessions_of(auditor) == set()


def test_self_service_password_change_keeps_the_current_session_only(admin_user):
    ApiToken.issue(admin_user)
    current, other = _signed_in(admin_user)
    response = current.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _usable(admin_user) == 0
    assert len(_sessions_of(admin_user)) == 1  # the current one (its key cycled by Django)
    assert current.get("/admin/").status_code == 200
    assert other.get("/admin/").status_code == 302


def test_a_user_without_sessions_or_tokens_changes_password_quietly(db):
    user = f.UserFactory()
    user.set_password(NEW_PASSWORD)
    user.save()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
