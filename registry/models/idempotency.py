"""Idempotency keys of the API: the first answer to a create or a licence transition sent with
an `Idempotency-Key` header, kept for IDEMPOTENCY_KEY_HOURS and replayed to the same caller's
retries (api/idempotency.py).

Transport, not registry data: not audited (registry.audit.recorder.UNAUDITED_MODELS), written
only by registry/services/idempotency.py, and deleted by the daily run once expired. The request
itself is not kept, only a keyed hash of it; the answer is the one the caller was given."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class IdempotencyKey(models.Model):
    # No index of its own: the unique (user, key) index starts with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(
        max_length=64, help_text="Keyed hash (HMAC-SHA256) of the method, path and body."
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    # The answer; no status while the first request is still running. The body is the JSON text
    # as it was sent (PostgreSQL's jsonb would reorder its keys).
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="idempotency_key_unique_per_user",
                violation_error_message="You already used this idempotency key.",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="idempotency_key_expires_after_created",
                violation_error_message="An idempotency key must expire after it is created.",
            ),
        ]

    def __str__(self):
        return f"Idempotency key {self.pk} of user {self.user_id}"
