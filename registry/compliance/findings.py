"""Keep the findings: run_compliance() checks companies against the catalogue and stores what
the rules find, then writes the standing the findings come to.

Idempotent by construction: a finding is identified by (rule code, subject key). A run creates
the findings that are new, touches last_seen of those still present (open or waived alike), and
resolves those whose cause has gone. A resolved finding is history; a recurrence opens a new row.
"""

import contextlib
import datetime as dt
import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connections, router, transaction
from django.db.models import F, Value
from django.db.models.constants import OnConflict
from django.db.models.functions import Greatest
from django.utils import timezone

from registry.audit import recorder as audit
from registry.audit.chain import lock_chain
from registry.audit.transactions import retried
from registry.choices import FindingState, Severity, Standing
from registry.models import Company, Finding

from .base import Hit, Rule, chunks
from .evaluation import every_hit, standing_results
from .facts import BATCH_SIZE, load_batch
from .standing_cache import write_standing


def run_compliance(
    company_ids: Iterable[int] | None = None,
    on: dt.date | None = None,
    progress: Callable[[int, int], object] | None = None,
    batch_size: int = BATCH_SIZE,
    cause: str | None = None,
) -> dict[str, Any]:
    """Check every company (or the given ones) against the catalogue and keep the findings.

    `progress(done, total)` is called after each batch. `cause` names what the run is for in the
    standing history (e.g. "daily run 2026-12-01"); by default the audit context says.
    Returns a summary dict.
    """
    on = on or timezone.localdate()
    companies = Company.objects.order_by("id")
    if company_ids is not None:
        companies = companies.filter(id__in=list(company_ids))
    ids = list(companies.values_list("id", flat=True))
    summary: Counter[str] = Counter()
    standings: Counter[str] = Counter()
    done = 0
    for batch in chunks(ids, batch_size):
        # Each batch is one transaction, retried whole after a deadlock; it counts into
        # `summary` and `standings` only once it has committed.
        batch_summary, batch_standings = retried(_locked_batch, batch, on, cause)
        summary.update(batch_summary)
        standings.update(batch_standings)
        done += len(batch)
        if progress:
            progress(done, len(ids))
    return {
        "companies": len(ids),
        "opened": summary["opened"],
        "still_open": summary["still_open"],
        "waived": summary["waived"],
        "resolved": summary["resolved"],
        "open_blockers": summary["open_blockers"],
        "standing": {s: standings[s] for s in Standing.values},
    }


def _locked_batch(
    batch: Sequence[int], on: dt.date, cause: str | None
) -> tuple[Counter[str], Counter[str]]:
    """One batch in its own transaction. The chain lock comes first and `now` after it: every
    write that committed before (a licence transition re-checking its company, say) is older, so
    the batch never stamps a finding as last seen before it was first seen."""
    summary: Counter[str] = Counter()
    standings: Counter[str] = Counter()
    with _collector_paused(), transaction.atomic():
        lock_chain()
        _run_batch(batch, on, timezone.now(), summary, standings, cause)
    return summary, standings


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a batch. The batch allocates a few hundred
    thousand objects that live until it ends (facts, findings, audit entries), which the
    collector would walk again and again: a third of a first run's time. Reference counting
    still frees them when the batch ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run_batch(
    batch: Sequence[int],
    on: dt.date,
    now: dt.datetime,
    summary: Counter[str],
    standings: Counter[str],
    cause: str | None,
) -> None:
    facts = load_batch(batch, on)
    desired: dict[tuple[str, str], tuple[Rule, Hit, int]] = {}
    for cid, f in facts.items():
        for rule, hit in every_hit(f, on):
            desired.setdefault((rule.code, hit.key), (rule, hit, cid))
    live = {(x.rule_code, x.subject_key): x for f in facts.values() for x in f.live_findings}

    new, changed = [], []
    for key, (rule, hit, cid) in desired.items():
        finding = live.get(key)
        if finding is None:
            new.append(
                Finding(
                    rule_code=rule.code,
                    severity=rule.severity,
                    subject_key=hit.key,
                    company_id=cid,
                    contract_id=hit.contract_id,
                    person_id=hit.person_id,
                    message=hit.message,
                    first_seen=now,
                    last_seen=now,
                )
            )
            if rule.severity == Severity.BLOCKER:
                summary["open_blockers"] += 1
            continue
        if finding.state == FindingState.WAIVED:
            summary["waived"] += 1
        else:
            summary["still_open"] += 1
            summary["open_blockers"] += rule.severity == Severity.BLOCKER
        if (finding.message, finding.severity) != (hit.message, rule.severity):
            before = {"message": finding.message, "severity": finding.severity}
            finding.message, finding.severity = hit.message, rule.severity
            changed.append((finding, before))
    gone = [f for key, f in live.items() if key not in desired]

    for chunk in chunks(gone, 1000):
        Finding.objects.filter(id__in=[f.pk for f in chunk]).update(
            state=FindingState.RESOLVED, resolved_at=now
        )
    # Greatest: never before first_seen (or the last sighting), whatever the clocks did.
    # Before the insert, so the new rows are written once.
    Finding.objects.filter(company_id__in=batch).exclude(state=FindingState.RESOLVED).update(
        last_seen=Greatest(F("last_seen"), Value(now))
    )
    new = insert_new(new)
    if changed:
        Finding.objects.bulk_update(
            [f for f, _ in changed], ["message", "severity"], batch_size=500
        )
    _audit_batch(now, new, gone, changed)
    summary["opened"] += len(new)
    summary["resolved"] += len(gone)

    # Standing from the findings as they now stand: one source of truth with the admin.
    for f in facts.values():
        f.live_findings = [x for x in f.live_findings if (x.rule_code, x.subject_key) in desired]
    for finding in new:
        facts[finding.company_id].live_findings.append(finding)
    results = {cid: standing_results(f, on) for cid, f in facts.items()}
    standings.update(write_standing(results, on, now, cause).values())


def insert_new(findings: list[Finding]) -> list[Finding]:
    """Insert the findings, one statement per chunk, and return those inserted with their ids.

    A finding whose key is already live (under another company: two companies' people on one
    contract share a subject key) is skipped, as ON CONFLICT DO NOTHING skips it; RETURNING
    names the rows that went in. bulk_create(ignore_conflicts=True) returns no ids, hence the
    queryset's own _insert().
    """
    if not findings:
        return []
    opts = Finding._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    returning = [opts.pk, opts.get_field("rule_code"), opts.get_field("subject_key")]
    connection = connections[router.db_for_write(Finding)]
    size = connection.ops.bulk_batch_size(fields, findings) or len(findings)
    by_key = {(f.rule_code, f.subject_key): f for f in findings}
    inserted = []
    for chunk in chunks(findings, size):
        rows = Finding.objects.all()._insert(  # type: ignore[attr-defined]  # not in the stubs
            list(chunk), fields, returning_fields=returning, on_conflict=OnConflict.IGNORE
        )
        for pk, rule_code, subject_key in rows:
            finding = by_key[(rule_code, subject_key)]
            finding.pk = pk
            finding._state.adding, finding._state.db = False, connection.alias
            inserted.append(finding)
    return inserted


def _audit_batch(
    now: dt.datetime,
    new: list[Finding],
    gone: list[Finding],
    changed: list[tuple[Finding, dict[str, str]]],
) -> None:
    """Record what the run changed in one bulk write. Bumping last_seen is not recorded: it is
    bookkeeping of every run, and the opening and resolving entries already date each finding."""
    audit.record_bulk(
        [audit.created(f, company_id=f.company_id) for f in new]
        + [
            audit.updated(
                Finding,
                f.pk,
                {"state": f.state, "resolved_at": None},
                {"state": FindingState.RESOLVED, "resolved_at": now},
                company_id=f.company_id,
            )
            for f in gone
        ]
        + [
            audit.updated(
                Finding,
                f.pk,
                before,
                {"message": f.message, "severity": f.severity},
                company_id=f.company_id,
            )
            for f, before in changed
        ]
    )
