"""The daily run: what changes with the date alone, recorded once a day.

Licences whose validity has ended are expired (with their LicenceEvent), then every company is
re-checked as of that date: licences entering their expiry warning window, insurance,
certificates and codes of conduct ending, sanctions starting or ending, and findings ageing out
all change a standing without any write. run_compliance is batched and set-based, so checking
every company is the simple correct choice. Running it twice for the same date changes nothing
(but for a second signed checkpoint of the audit chain head, taken last).
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from registry.access import Actor
from registry.audit.actors import SystemActor
from registry.audit.checkpoints import create_checkpoint
from registry.cache import cull_caches
from registry.compliance import run_compliance
from registry.security import delete_old_failures

from . import idempotency
from .licensing import expire_licences


def run_daily(
    on: dt.date | None = None,
    progress: Callable[[int, int], object] | None = None,
    actor: Actor = None,
) -> dict[str, Any]:
    """Expire lapsed licences and re-check every company as of `on` (default: today).

    Deletes failed-login rows older than LOGIN_FAILURE_LOG_DAYS, the API's expired
    idempotency keys and the database cache's expired entries (registry.cache), then signs a checkpoint of the audit chain head (docs/audit.md). Returns
    the run_compliance summary plus "expired_companies": the ids of the companies whose licences
    were expired, "idempotency_keys_deleted" and "cache_entries_deleted": how many, and "checkpoint": the Checkpoint."""
    on = on or timezone.localdate()
    cause = f"daily run {on.isoformat()}"
    expired = expire_licences(on, actor=actor or SystemActor("command:daily"), cause=cause)
    summary = run_compliance(on=on, progress=progress, cause=cause)
    delete_old_failures()
    keys_deleted = idempotency.delete_expired()
    cache_entries_deleted = cull_caches()
    checkpoint = create_checkpoint()
    return {
        **summary,
        "expired_companies": expired,
        "idempotency_keys_deleted": keys_deleted,
        "cache_entries_deleted": cache_entries_deleted,
        "checkpoint": checkpoint,
    }
