"""The hiring check: may this client or mission hire this company for this work, now?

Answers with a verdict (refused / cleared_with_warnings / cleared), the findings that explain
it, each tied to a rule code, and a coordination section (who else contracts the company there
and then, past terminations for cause, sanctions). Every check asked is stored as a HiringCheck.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.audit import recorder as audit
from registry.audit.transactions import write_transaction
from registry.choices import SERVICE_CODES
from registry.compliance.base import years_before
from registry.compliance.evaluation import Result, hire_results
from registry.compliance.facts import (
    CompanyFacts,
    Engagement,
    load_company_facts,
    load_contracts,
)
from registry.compliance.outcomes import GRAVEST_FIRST, verdict_of
from registry.compliance.rules.hire import overlapping
from registry.models import Client, Company, Country, HiringCheck, Mission

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PERSONNEL_FIELDS = (
    "personnel_international",
    "personnel_third_country",
    "personnel_local",
    "armed_personnel",
)


def _validate(
    client: Client | None,
    mission: Mission | None,
    countries: list[str],
    services: list[str],
    armed: bool,
    start: dt.date,
    end: dt.date,
    numbers: Mapping[str, int],
) -> None:
    errors: dict[str, str] = {}
    if client is None and mission is None:
        errors["client"] = "Name the client or the mission that hires."
    if not countries:
        errors["countries"] = "Name at least one country of performance."
    else:
        known = set(Country.objects.filter(code__in=countries).values_list("code", flat=True))
        unknown = sorted(set(countries) - known)
        if unknown:
            errors["countries"] = f"Unknown country code(s): {', '.join(unknown)}."
    if not services:
        errors["services"] = "Name at least one service category."
    elif unknown := sorted(set(services) - SERVICE_CODES):
        errors["services"] = f"Unknown service code(s): {', '.join(unknown)}."
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        errors["start"] = "Start and end must be dates."
    elif end < start:
        errors["end"] = "The end date cannot be before the start date."
    for name, value in numbers.items():
        if not isinstance(value, int) or value < 0:
            errors[name] = "Must be a whole number, zero or more."
    if not errors:
        total = sum(numbers[n] for n in PERSONNEL_FIELDS[:3])
        if numbers["armed_personnel"] > total:
            errors["armed_personnel"] = "Armed personnel cannot exceed the planned personnel."
        elif numbers["armed_personnel"] and not armed:
            errors["armed_personnel"] = "An unarmed hire cannot plan armed personnel."
    if errors:
        raise ValidationError(errors)


def _findings(results: Iterable[Result]) -> list[dict[str, Any]]:
    """Most severe first; a reason found both on a stored contract and on the proposed hire
    (the same rule, the same message) is given once."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for r in sorted(results, key=lambda r: GRAVEST_FIRST.index(r.severity)):
        if (r.rule.code, r.message) in seen:
            continue
        seen.add((r.rule.code, r.message))
        out.append(
            {
                "rule": r.rule.code,
                "severity": str(r.severity),
                "title": r.rule.title,
                "message": r.message,
            }
        )
    return out


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _coordination(hire: Engagement, facts: CompanyFacts, on: dt.date) -> dict[str, Any]:
    since = years_before(on, 3)
    return {
        "overlapping_contracts": [
            {
                "contract": o.stored.pk,
                "reference": o.stored.reference,
                "company": o.company_name,
                "client": str(o.stored.client),
                "mission": str(o.stored.mission) if o.stored.mission_id else None,
                "countries": list(o.countries),
                "services": list(o.services),
                "start": _iso(o.stored.start),
                "end": _iso(o.end),
                "status": o.stored.status,
            }
            for o in overlapping(hire)
        ],
        "terminated_for_cause": [
            {
                "contract": c.pk,
                "reference": c.reference,
                "client": str(c.client),
                "mission": str(c.mission) if c.mission_id else None,
                "end": _iso(c.end),
                "termination_reason": c.termination_reason,
            }
            for c in facts.terminated_for_cause
            if c.end >= since
        ],
        "sanctions": [
            {
                "sanction": s.pk,
                "kind": s.kind,
                "scope": s.scope,
                "scope_target": s.scope_country_id
                or (str(s.scope_mission) if s.scope_mission_id else None),
                "imposed_by": str(s.imposed_by),
                "start": _iso(s.start),
                "end": _iso(s.end),
                "reason": s.reason,
            }
            for s in facts.sanctions
            if not s.lifted_on and (s.end is None or s.end >= min(on, hire.start))
        ],
    }


def run_hiring_check(
    *,
    company: Company,
    client: Client | None = None,
    mission: Mission | None = None,
    countries: list[str],
    services: list[str],
    armed: bool,
    personnel_international: int = 0,
    personnel_third_country: int = 0,
    personnel_local: int = 0,
    armed_personnel: int = 0,
    start: dt.date,
    end: dt.date,
    asked_by: "User | None" = None,
) -> HiringCheck:
    """Check a proposed hire against the catalogue and store the check (see module doc)."""
    countries = sorted({(c or "").strip().upper() for c in countries or []})
    services = sorted(set(services or []))
    numbers = dict(
        zip(
            PERSONNEL_FIELDS,
            (personnel_international, personnel_third_country, personnel_local, armed_personnel),
            strict=True,
        )
    )
    _validate(client, mission, countries, services, armed, start, end, numbers)

    on = timezone.localdate()
    facts = load_company_facts([company.pk], on)[company.pk]
    others = load_contracts({company.pk: facts.company}, on).get(company.pk, [])
    hire = Engagement(
        company_id=company.pk,
        company_name=company.legal_name,
        countries=tuple(countries),
        services=tuple(services),
        armed=bool(armed),
        armed_personnel=armed_personnel,
        start=start,
        end=end,
        client_id=client.pk if client else None,
        mission_id=mission.pk if mission else getattr(client, "mission_id", None),
        licences=facts.licences,
        sanctions=facts.sanctions,
        others=others,
    )
    results = hire_results(facts, hire, on)
    check = HiringCheck(
        asked_by=asked_by,
        asked_at=timezone.now(),
        company=company,
        client=client,
        mission=mission,
        countries=countries,
        services=services,
        armed=bool(armed),
        start=start,
        end=end,
        verdict=verdict_of(r.severity for r in results),
        findings=_findings(results),
        coordination=_coordination(hire, facts, on),
        **numbers,
    )
    with write_transaction():
        check.full_clean(exclude=["findings", "coordination"])
        check.save()
        audit.record_event(check, "hiring_check.asked", reason=f"Verdict: {check.verdict}.")
    return check
