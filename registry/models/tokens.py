"""API tokens: only a hash is stored, so a leaked database does not leak working credentials.

No part of the key is kept, shown, logged or audited: tokens are told apart by id and times.

A credential of the account, like its password: the API authenticates with it, the account
pages list and revoke it, a password change revokes it (registry.credentials), so it lives with
the models. Its table, migrations and audit label stay the api app's (api.apitoken)."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A bearer token for `Authorization: Token <key>`. The key is shown once, at issue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Bookkeeping, written by a queryset update (not audited) at most every LAST_USED_RESOLUTION.
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        app_label = "api"
        ordering = ["-created_at", "id"]
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_created",
                violation_error_message="A token must expire after it is created.",
            )
        ]

    def __str__(self):
        return f"API token {self.pk} of {self.user}"

    @classmethod
    def issue(cls, user, lifetime: dt.timedelta | None = None) -> tuple["ApiToken", str]:
        """Create a token for `user`; returns (token, key). Only the hash of the key is stored."""
        key = secrets.token_urlsafe(32)
        lifetime = lifetime or dt.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
        now = timezone.now()
        token = cls.objects.create(
            user=user,
            key_hash=hash_key(key),
            created_at=now,
            expires_at=now + lifetime,
        )
        return token, key

    def touch(self, now=None) -> None:
        """Note a use of the token, at most once per LAST_USED_RESOLUTION (one UPDATE)."""
        now = now or timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
