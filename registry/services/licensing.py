"""Licence lifecycle: the only code that changes a licence's state.

Every transition runs in a transaction, locks the licence row, checks the move is allowed,
records a LicenceEvent with actor and reason, and saves. An illegal move raises
IllegalTransition and changes nothing. Locks come in the one order of every writing transaction
(registry/audit/transactions.py): the audit chain first, then licence rows by id.
"""

import datetime as dt

from django.utils import timezone

from registry.access import Actor
from registry.audit import recorder as audit
from registry.audit.actors import SystemActor, actor_fields
from registry.audit.transactions import retrying, write_transaction
from registry.choices import LicenceAction as A
from registry.choices import LicenceState as S
from registry.compliance import run_compliance
from registry.errors import DomainError, IllegalTransition
from registry.models import Licence, LicenceEvent

from .standing import refresh_standing

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    A.GRANT: (frozenset({S.APPLIED}), S.ACTIVE),
    A.REFUSE: (frozenset({S.APPLIED}), S.REFUSED),
    A.SUSPEND: (frozenset({S.ACTIVE}), S.SUSPENDED),
    A.REINSTATE: (frozenset({S.SUSPENDED}), S.ACTIVE),
    A.REVOKE: (frozenset({S.ACTIVE, S.SUSPENDED}), S.REVOKED),
    A.SURRENDER: (frozenset({S.ACTIVE, S.SUSPENDED}), S.SURRENDERED),
    A.RENEW: (frozenset({S.ACTIVE}), S.ACTIVE),
    A.EXPIRE: (frozenset({S.ACTIVE, S.SUSPENDED}), S.EXPIRED),
}
# Actions a person may ask for; expiry happens by date (expire_licences).
USER_ACTIONS = [a for a in A.values if a != A.EXPIRE]


def allowed_actions(licence: Licence) -> list[str]:
    return [a for a in USER_ACTIONS if licence.state in TRANSITIONS[a][0]]


def transition(
    licence: Licence,
    action: str,
    *,
    actor: Actor,
    reason: str,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> LicenceEvent:
    """Apply `action` to `licence`. `valid_from`/`valid_until` are the new dates for a renewal."""
    if action not in TRANSITIONS:
        raise DomainError(f"Unknown licence action {action!r}.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("A reason is required for every licence state change.")
    sources, target = TRANSITIONS[action]
    with write_transaction():
        locked = Licence.objects.select_for_update().get(pk=licence.pk)
        if locked.state not in sources:
            raise IllegalTransition(
                f"Cannot {action} licence {locked.number}: it is {locked.get_state_display().lower()}"
                f" (allowed from {', '.join(sorted(sources))})."
            )
        today = timezone.localdate()
        if action in (A.GRANT, A.REINSTATE) and locked.valid_until < today:
            raise DomainError(
                f"Cannot {action} licence {locked.number}: its validity ended on {locked.valid_until}."
            )
        event_dates: dict[str, dt.date] = {}
        if action == A.RENEW:
            if valid_until is None:
                raise DomainError("A renewal needs the new end date (valid_until).")
            new_from = valid_from or locked.valid_from
            if valid_until <= locked.valid_until:
                raise DomainError(f"A renewal must extend the licence beyond {locked.valid_until}.")
            if new_from > valid_until:
                raise DomainError("A licence cannot end before it starts.")
            locked.valid_from, locked.valid_until = new_from, valid_until
            event_dates = {"valid_from": new_from, "valid_until": valid_until}
        now = timezone.now()
        event = LicenceEvent.objects.create(
            licence=locked,
            action=action,
            from_state=locked.state,
            to_state=target,
            at=now,
            reason=reason,
            **event_dates,
            **actor_fields(actor),
        )
        locked.state = target
        locked.state_changed_at = now
        locked.save(
            update_fields=["state", "state_changed_at", "valid_from", "valid_until", "updated_at"]
        )
        audit.record_event(locked, f"licence.{action}", reason=reason, actor=actor)
        run_compliance([locked.company_id], cause=f"licence.{action} {locked.number}")
    # Keep the caller's instance in step with the row.
    licence.state, licence.state_changed_at = locked.state, locked.state_changed_at
    licence.valid_from, licence.valid_until = locked.valid_from, locked.valid_until
    return event


# The whole transaction again after a deadlock, when no outer transaction holds it.
@retrying
def expire_licences(
    today: dt.date | None = None, actor: Actor = None, cause: str | None = None
) -> list[int]:
    """Expire every active or suspended licence whose end date has passed, set-based.

    Refreshes the cached standing of the companies concerned and returns their ids, so their
    compliance can be re-checked (the daily command re-checks every company). `cause` names the
    run in the standing history (default "licence.expire").
    """
    today = today or timezone.localdate()
    actor = actor or SystemActor("command:expire_licences")
    with write_transaction():
        now = timezone.now()
        due = list(
            Licence.objects.select_for_update()
            .lapsed_by(today)
            .order_by("id")
            .values_list("id", "state", "company_id", "valid_until", "state_changed_at")
        )
        if not due:
            return []
        events = LicenceEvent.objects.bulk_create(
            LicenceEvent(
                licence_id=licence_id,
                action=A.EXPIRE,
                from_state=state,
                to_state=S.EXPIRED,
                at=now,
                reason=f"Validity ended on {valid_until.isoformat()}.",
                **actor_fields(actor),
            )
            for licence_id, state, _company, valid_until, _changed in due
        )
        Licence.objects.filter(id__in=[row[0] for row in due]).update(
            state=S.EXPIRED, state_changed_at=now, updated_at=now
        )
        company_of = {row[0]: row[2] for row in due}
        audit.record_bulk(
            [audit.created(e, company_id=company_of[e.licence_id]) for e in events]
            + [
                audit.updated(
                    Licence,
                    licence_id,
                    {"state": state, "state_changed_at": changed},
                    {"state": S.EXPIRED, "state_changed_at": now},
                    company_id=company,
                )
                for licence_id, state, company, _until, changed in due
            ]
            + [
                audit.event(
                    Licence, e.licence_id, "licence.expire", e.reason, company_of[e.licence_id]
                )
                for e in events
            ]
        )
        companies = sorted({row[2] for row in due})
        refresh_standing(companies, on=today, cause=cause or "licence.expire")
    return companies
