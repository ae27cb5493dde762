"""Evaluate the rules and keep the findings: run_compliance(), refresh_standing(), waivers.

Idempotent by construction: a finding is identified by (rule code, subject key). A run creates
the findings that are new, touches last_seen of those still present (open or waived alike), and
resolves those whose cause has gone. A resolved finding is history; a recurrence opens a new row.
"""

import datetime as dt
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from registry.audit import context as audit_context
from registry.audit import recorder as audit
from registry.audit.chain import lock_chain
from registry.audit.transactions import retried
from registry.choices import FindingState, Severity, Standing
from registry.errors import DomainError
from registry.models import Company, Finding, StandingChange

from .base import COMPANY, HIRE, PERSONNEL, Hit, Rule, catalogue, get_rule, rules_for
from .facts import CompanyFacts, Hire, load_batch, load_company_facts

BATCH_SIZE = 500


@dataclass(frozen=True)
class Result:
    """A hit as it counts: a waived hit keeps its rule but no longer blocks or warns."""

    rule: Rule
    hit: Hit
    waived_by: str | None = None

    @property
    def severity(self) -> str:
        return Severity.INFO if self.waived_by else self.rule.severity

    @property
    def message(self) -> str:
        if self.waived_by:
            return f"Waived: {self.hit.message}"
        return self.hit.message


def _waivers(facts: CompanyFacts) -> dict[tuple[str, str], str]:
    return {
        (f.rule_code, f.subject_key): str(f.waived_by) if f.waived_by_id else "?"
        for f in facts.live_findings
        if f.state == FindingState.WAIVED
    }


def company_results(facts: CompanyFacts, on: dt.date) -> list[Result]:
    waived = _waivers(facts)
    return [
        Result(rule, hit, waived.get((rule.code, hit.key)))
        for rule in rules_for(COMPANY)
        for hit in rule.evaluate(COMPANY, facts, on)
    ]


def hire_results(facts: CompanyFacts, hire: Hire, on: dt.date) -> list[Result]:
    """Hire rules on the hire, the company rules that have no hire form of their own, and the
    open blockers stored about the company's contracts and people."""
    waived = _waivers(facts)
    results = []
    for rule in catalogue():
        if HIRE in rule.checks:
            results += [Result(rule, hit) for hit in rule.evaluate(HIRE, hire, on)]
        elif COMPANY in rule.checks:
            results += [
                Result(rule, hit, waived.get((rule.code, hit.key)))
                for hit in rule.evaluate(COMPANY, facts, on)
            ]
    # What makes the company not cleared (e.g. a DDR participant on another contract) refuses
    # the hire too: the company page and the hiring check must not disagree.
    return results + stored_blockers(facts)


def _all_hits(facts: CompanyFacts, on: dt.date):
    for rule in rules_for(COMPANY):
        for hit in rule.evaluate(COMPANY, facts, on):
            yield rule, hit
    for hire in facts.contracts:
        for rule in rules_for(HIRE):
            for hit in rule.evaluate(HIRE, hire, on):
                yield rule, hit
    for crew in facts.crews:
        for rule in rules_for(PERSONNEL):
            for hit in rule.evaluate(PERSONNEL, crew, on):
                yield rule, hit


def _from_company_check(finding: Finding) -> bool:
    rule = get_rule(finding.rule_code)
    if not (rule.checks.keys() - {COMPANY}):
        return True
    key = finding.subject_key
    return COMPANY in rule.checks and key.startswith("company:") and ":person:" not in key


def standing_results(facts: CompanyFacts, on: dt.date, results=None) -> list[Result]:
    """The company rules evaluated now, plus open blocker findings about its contracts and
    people (stored by the last run). Sanctions count through SAN-DEBARRED and SAN-OTHER."""
    results = list(results if results is not None else company_results(facts, on))
    return results + stored_blockers(facts)


def stored_blockers(facts: CompanyFacts) -> list[Result]:
    """Open blocker findings the last run stored about the company's contracts and people."""
    return [
        Result(get_rule(f.rule_code), Hit(f.subject_key, f.message))
        for f in facts.live_findings
        if f.state == FindingState.OPEN
        and f.severity == Severity.BLOCKER
        and not _from_company_check(f)
    ]


def standing_of(severities) -> str:
    severities = set(severities)
    if Severity.BLOCKER in severities:
        return Standing.NOT_CLEARED
    if Severity.WARNING in severities:
        return Standing.RESTRICTED
    return Standing.GOOD


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


_cause: ContextVar[str | None] = ContextVar("standing_cause", default=None)


def _write_standing(
    results: dict[int, list[Result]], on: dt.date, now=None, cause: str | None = None
) -> dict[int, str]:
    """The one writer of the cached Company.standing (and standing_since), set-based.

    For every company whose standing changes (or is computed for the first time) it records a
    StandingChange with the reasons of the moment and what caused it, and an audit entry per
    row. A fixed number of queries whatever the batch size. Returns {company id: standing}.
    """
    standings = {cid: standing_of(r.severity for r in rs) for cid, rs in results.items()}
    if not standings:
        return standings
    now = now or timezone.now()
    cause = standing_cause(cause or _cause.get())
    request_id = audit_context.current().request_id[:64]
    with transaction.atomic():
        cached = {
            cid: (value, since)
            for cid, value, since in Company.objects.select_for_update()
            .filter(id__in=list(standings))
            .order_by("id")
            .values_list("id", "standing", "standing_since")
        }
        changes = [
            StandingChange(
                company_id=cid,
                from_standing=cached[cid][0] if cached[cid][1] is not None else None,
                to_standing=value,
                reasons=_reason_rows(results[cid]),
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
        if changes:
            StandingChange.objects.bulk_create(changes)
            audit.record_bulk(audit.created(c, company_id=c.company_id) for c in changes)
    return standings


def _reason_rows(results: list[Result]) -> list[dict]:
    rows = []
    for r in results:
        row = {"code": r.rule.code, "severity": r.severity, "message": r.message}
        if row not in rows:
            rows.append(row)
    return sorted(rows, key=lambda x: (x["code"], x["message"]))


def _chunks(ids: list, size: int):
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def refresh_standing(company_ids, on: dt.date | None = None, cause: str | None = None) -> dict:
    """Recompute the cached Company.standing of these companies, a batch at a time.

    `cause` names what changed (e.g. "licence.suspend"); by default the audit context says."""
    on = on or timezone.localdate()
    standings = {}
    for batch in _chunks(sorted(set(company_ids)), BATCH_SIZE):
        facts = load_company_facts(batch, on)
        results = {cid: standing_results(f, on) for cid, f in facts.items()}
        standings.update(_write_standing(results, on, cause=cause))
    return standings


def run_compliance(
    company_ids=None, on=None, progress=None, batch_size=BATCH_SIZE, cause=None
) -> dict:
    """Check every company (or the given ones) against the catalogue and keep the findings.

    `progress(done, total)` is called after each batch. `cause` names what the run is for in the
    standing history (e.g. "daily run 2026-12-01"); by default the audit context says.
    Returns a summary dict.
    """
    token = _cause.set(cause)
    try:
        return _run_compliance(company_ids, on, progress, batch_size)
    finally:
        _cause.reset(token)


def _run_compliance(company_ids, on, progress, batch_size) -> dict:
    on = on or timezone.localdate()
    companies = Company.objects.order_by("id")
    if company_ids is not None:
        companies = companies.filter(id__in=list(company_ids))
    ids = list(companies.values_list("id", flat=True))
    summary = Counter()
    standings = Counter()
    done = 0
    for batch in _chunks(ids, batch_size):
        # Each batch is one transaction, retried whole after a deadlock; it counts into
        # `summary` and `standings` only once it has committed.
        batch_summary, batch_standings = retried(_locked_batch, batch, on)
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


def _locked_batch(batch, on) -> tuple[Counter, Counter]:
    """One batch in its own transaction. The chain lock comes first and `now` after it: every
    write that committed before (a licence transition re-checking its company, say) is older, so
    the batch never stamps a finding as last seen before it was first seen."""
    summary, standings = Counter(), Counter()
    with transaction.atomic():
        lock_chain()
        _run_batch(batch, on, timezone.now(), summary, standings)
    return summary, standings


def _run_batch(batch, on, now, summary, standings) -> None:
    facts = load_batch(batch, on)
    desired: dict[tuple[str, str], tuple[Rule, Hit, int]] = {}
    for cid, f in facts.items():
        for rule, hit in _all_hits(f, on):
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

    for chunk in _chunks(gone, 1000):
        Finding.objects.filter(id__in=[f.pk for f in chunk]).update(
            state=FindingState.RESOLVED, resolved_at=now
        )
    # ignore_conflicts: a concurrent run may have opened the same finding first.
    Finding.objects.bulk_create(new, ignore_conflicts=True)
    # Greatest: never before first_seen (or the last sighting), whatever the clocks did.
    Finding.objects.filter(company_id__in=batch).exclude(state=FindingState.RESOLVED).update(
        last_seen=Greatest(F("last_seen"), Value(now))
    )
    if changed:
        Finding.objects.bulk_update(
            [f for f, _ in changed], ["message", "severity"], batch_size=500
        )
    _audit_batch(batch, now, new, gone, changed)
    summary["opened"] += len(new)
    summary["resolved"] += len(gone)

    # Standing from the findings as they now stand: one source of truth with the admin.
    for f in facts.values():
        f.live_findings = [x for x in f.live_findings if (x.rule_code, x.subject_key) in desired]
    for finding in new:
        facts[finding.company_id].live_findings.append(finding)
    results = {cid: standing_results(f, on) for cid, f in facts.items()}
    standings.update(_write_standing(results, on, now).values())


def _audit_batch(batch, now, new, gone, changed) -> None:
    """Record what the run changed in one bulk write. Bumping last_seen is not recorded: it is
    bookkeeping of every run, and the opening and resolving entries already date each finding."""
    # ignore_conflicts leaves primary keys unset on PostgreSQL: read the rows this run opened.
    opened = list(Finding.objects.filter(company_id__in=batch, first_seen=now)) if new else []
    audit.record_bulk(
        [audit.created(f, company_id=f.company_id) for f in opened]
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


def waive_finding(finding: Finding, *, user, justification: str) -> Finding:
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
