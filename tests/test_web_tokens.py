"""The "API tokens" page: a signed-in user's own tokens, each revocable with a CSRF-checked POST."""

import pytest
from django.test import Client
from django.urls import reverse

from registry.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_menu_links_to_the_page_for_signed_in_users_only(client, auditor):
    assert reverse("web:tokens") not in client.get("/").text
    client.force_login(auditor)
    assert f'href="{reverse("web:tokens")}"' in client.get("/").text


def test_anonymous_callers_are_sent_to_the_login_page(client):
    response = client.get(reverse("web:tokens"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_page_lists_own_tokens_without_any_part_of_the_key(client, auditor, regulator):
    mine, key = ApiToken.issue(auditor)
    revoked, revoked_key = ApiToken.issue(auditor)
    revoked.revoke()
    theirs, _ = ApiToken.issue(regulator)
    client.force_login(auditor)
    page = client.get(reverse("web:tokens")).text
    assert reverse("web:token_revoke", args=[mine.pk]) in page
    assert reverse("web:token_revoke", args=[revoked.pk]) not in page  # already revoked
    assert reverse("web:token_revoke", args=[theirs.pk]) not in page
    assert "active" in page and "revoked" in page
    for secret in (key, revoked_key):
        assert not any(secret[i : i + 8] in page for i in range(len(secret) - 7))


def test_revoke_revokes_the_token(client, auditor):
    token, key = ApiToken.issue(auditor)
    client.force_login(auditor)
    response = client.post(reverse("web:token_revoke", args=[token.pk]), follow=True)
    assert f"API token {token.pk} is revoked." in response.text
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = client.get("/api/v1/contracts/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 401


def test_another_users_token_is_404(client, auditor, regulator):
    theirs, _ = ApiToken.issue(regulator)
    client.force_login(auditor)
    assert client.post(reverse("web:token_revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoke_needs_post_and_csrf(auditor):
    token, _ = ApiToken.issue(auditor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(auditor)
    url = reverse("web:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403  # no CSRF token
    token.refresh_from_db()
    assert token.revoked_at is None
