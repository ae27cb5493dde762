"""Idempotency keys: the storage behind the API's `Idempotency-Key` header (api/idempotency.py).

A key is claimed by inserting its row first, in a savepoint of the request's transaction; the
unique constraint on (user, key) decides which request owns it, on SQLite and PostgreSQL alike.
The owner runs the write, then stores its answer (finish) or gives the key up (release) in the
same transaction, so the row commits with the write's records or not at all. Another request
with the key that finds the row gets it back instead: with an answer, to replay it; without one,
the first request is still in flight.

These rows are transport, not registry data: they are not audited and write no audit entry.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from registry.models import IdempotencyKey

_SALT = "registry.services.idempotency"


def lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)


def fingerprint(method: str, path: str, body: bytes) -> str:
    """A keyed hash (HMAC-SHA256) of the request: it tells a retry from another request without
    keeping the request, whose body may hold what must not be stored (an identity document)."""
    message = method.upper().encode() + b"\0" + path.encode() + b"\0" + body
    return salted_hmac(_SALT, message, algorithm="sha256").hexdigest()


def claim(
    user_id: int, key: str, fingerprint: str, now: dt.datetime | None = None
) -> tuple[IdempotencyKey, bool]:
    """(row, True) when this request now owns the key; (the existing row, False) when another
    request already used it and it has not expired. An expired row is deleted and claimed anew."""
    now = now or timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user_id=user_id,
                    key=key,
                    fingerprint=fingerprint,
                    created_at=now,
                    expires_at=now + lifetime(),
                )
            return row, True
        except IntegrityError:
            found = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
            if found is None:
                continue  # deleted in between (the daily run): claim it again
            if found.expires_at > now:
                return found, False
            IdempotencyKey.objects.filter(pk=found.pk).delete()
    raise AssertionError("unreachable")  # pragma: no cover - the second insert has no rival


def finish(row: IdempotencyKey, status: int, body: str, headers: dict[str, str]) -> None:
    """Store the answer of the request that owns `row`: from now on its retries replay it."""
    row.status, row.body, row.headers = status, body, headers
    IdempotencyKey.objects.filter(pk=row.pk).update(status=status, body=body, headers=headers)


def release(row: IdempotencyKey) -> None:
    """Give the key up without an answer (a server error, a conflict, a throttle): a retry
    with it runs again."""
    IdempotencyKey.objects.filter(pk=row.pk).delete()


def delete_expired(now: dt.datetime | None = None) -> int:
    """Keys past their IDEMPOTENCY_KEY_HOURS (the daily run calls this)."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
