"""Waivers: a person accepts an open finding, in writing; it no longer blocks or warns."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from registry.audit import recorder as audit
from registry.audit.chain import lock_chain
from registry.choices import FindingState
from registry.errors import DomainError
from registry.models import Finding

from .standing_cache import refresh_standing


def waive_finding(finding: Finding, *, user: User, justification: str) -> Finding:
    """Waive an open finding, naming who and why. A waived finding no longer blocks or warns."""
    justification = (justification or "").strip()
    if not justification:
        raise DomainError("A waiver needs a written justification.")
    with transaction.atomic():
        lock_chain()  # the audit chain first, then the row (registry/audit/transactions.py)
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if locked.state != FindingState.OPEN:
            raise DomainError(
                f"Only an open finding can be waived; this one is {locked.get_state_display().lower()}."
            )
        locked.state = FindingState.WAIVED
        locked.waived_by = user
        locked.waived_at = timezone.now()
        locked.waiver_justification = justification
        locked.save(update_fields=["state", "waived_by", "waived_at", "waiver_justification"])
        audit.record_event(locked, "finding.waive", reason=justification, actor=user)
        refresh_standing([locked.company_id], cause=f"finding.waive {locked.pk}")
    return locked
