"""The cached Company.standing column and its history (StandingChange): the one writer.

Lists and counts read the cached column, and status reads for the day it was computed for read
its reasons too (Company.standing_reasons, standing_on); refresh_standing() recomputes them
after a change that does not go through run_compliance() (a waiver, say), run_compliance()
after each batch, and the daily run for every company as of the new day.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from registry.audit import context as audit_context
from registry.audit import recorder as audit
from registry.choices import Severity
from registry.models import Company, StandingChange

from .base import chunks
from .evaluation import Result, standing_results
from .facts import BATCH_SIZE, load_company_facts
from .outcomes import GRAVEST_FIRST, standing_of


def standing_cause(cause: str | None = None) -> str:
    """What caused a standing write: the caller's words, else the audit context (channel, actor)."""
    if cause:
        return cause[:200]
    ctx = audit_context.current()
    _actor_id, label = ctx.resolve_actor()
    where = ""
    if ctx.request is not None:
        where = f": {ctx.request.method} {ctx.request.path}"
    return f"{ctx.channel} by {label}{where}"[:200]


def write_standing(
    results: dict[int, list[Result]],
    on: dt.date,
    now: dt.datetime | None = None,
    cause: str | None = None,
) -> dict[int, str]:
    """Write the standing the results come to, set-based.

    For every company whose standing changes (or is computed for the first time) it records a
    StandingChange with the reasons of the moment and what caused it, and an audit entry per
    row. A fixed number of queries whatever the batch size. Returns {company id: standing}.
    """
    standings: dict[int, str] = {
        cid: standing_of(r.severity for r in rs) for cid, rs in results.items()
    }
    if not standings:
        return standings
    now = now or timezone.now()
    cause = standing_cause(cause)
    request_id = audit_context.current().request_id[:64]
    rows = {cid: reason_rows(rs) for cid, rs in results.items()}
    with transaction.atomic():
        cached = {
            cid: (value, since, reasons, computed_on)
            for cid, value, since, reasons, computed_on in Company.objects.select_for_update()
            .filter(id__in=list(standings))
            .order_by("id")
            .values_list("id", "standing", "standing_since", "standing_reasons", "standing_on")
        }
        changes = [
            StandingChange(
                company_id=cid,
                from_standing=cached[cid][0] if cached[cid][1] is not None else None,
                to_standing=value,
                reasons=rows[cid],
                at=now,
                on=on,
                cause=cause,
                request_id=request_id,
            )
            for cid, value in sorted(standings.items())
            if cid in cached and (cached[cid][1] is None or cached[cid][0] != value)
        ]
        by_value: dict[str, list[int]] = {}
        for change in changes:
            by_value.setdefault(change.to_standing, []).append(change.company_id)
        for value, ids in by_value.items():
            Company.objects.filter(id__in=ids).update(standing=value, standing_since=now)
        # The reasons and the day they hold for, where either moved: what status reads serve.
        moved = [
            Company(id=cid, standing_reasons=rows[cid], standing_on=on)
            for cid in sorted(standings)
            if cid in cached and (cached[cid][2] != rows[cid] or cached[cid][3] != on)
        ]
        Company.objects.bulk_update(moved, ["standing_reasons", "standing_on"])
        if changes:
            StandingChange.objects.bulk_create(changes)
            audit.record_bulk(audit.created(c, company_id=c.company_id) for c in changes)
    return standings


def reason_rows(results: list[Result]) -> list[dict[str, str]]:
    """The reasons of a standing as stored and shown: each once, the gravest first, then in
    the order of the rule catalogue."""
    rows: list[dict[str, str]] = []
    for r in results:
        row = {"code": r.rule.code, "severity": r.severity, "message": r.message}
        if row not in rows:
            rows.append(row)
    return sorted(rows, key=lambda row: GRAVEST_FIRST.index(Severity(row["severity"])))


def refresh_standing(
    company_ids: Iterable[int], on: dt.date | None = None, cause: str | None = None
) -> dict[int, str]:
    """Recompute the cached Company.standing of these companies, a batch at a time.

    `cause` names what changed (e.g. "licence.suspend"); by default the audit context says."""
    on = on or timezone.localdate()
    standings = {}
    for batch in chunks(sorted(set(company_ids)), BATCH_SIZE):
        facts = load_company_facts(batch, on)
        results = {cid: standing_results(f, on) for cid, f in facts.items()}
        standings.update(write_standing(results, on, cause=cause))
    return standings
