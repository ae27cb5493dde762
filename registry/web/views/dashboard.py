"""The dashboard: a few aggregate queries drawn as charts, each over the caller's own rows."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.shortcuts import render
from django.utils import timezone

from registry import access
from registry.choices import FindingState, LicenceState, Severity, Standing
from registry.replica import on_replica
from registry.services.tallies import ContractGroup, contract_groups

from ..permissions import SIGNED_IN, role_required
from ..standing import standing_counts

EXPIRY_MONTHS = 12


@role_required(*SIGNED_IN)
def dashboard(request):
    v = access.viewer(request.user)
    today = timezone.localdate()
    # Aggregates that may lag the primary by a moment: the read replica, when there is one.
    groups = contract_groups(v)
    by_mission = _count_and_value(groups, "mission", "No mission")
    by_year = _count_and_value(groups, "year", "—")

    standings = standing_counts(on_replica(access.companies(v)))
    findings = (
        on_replica(access.findings(v))
        .filter(state=FindingState.OPEN)
        .order_by()
        .values("rule_code", "severity")
        .annotate(n=Count("*"))  # COUNT(*): an index-only scan of finding_open_rule_idx
    )
    rules = sorted({row["rule_code"] for row in findings})
    per_rule = {sev: dict.fromkeys(rules, 0) for sev in Severity.values}
    for row in findings:
        per_rule[row["severity"]][row["rule_code"]] = row["n"]

    horizon = _add_months(today.replace(day=1), EXPIRY_MONTHS)
    expiring = (
        on_replica(access.licences(v))
        .filter(state=LicenceState.ACTIVE, valid_until__gte=today, valid_until__lt=horizon)
        .order_by()
        .annotate(month=TruncMonth("valid_until"))
        .values("month")
        .annotate(n=Count("id"))
    )
    months = [_add_months(today.replace(day=1), i) for i in range(EXPIRY_MONTHS)]
    per_month = dict.fromkeys(months, 0)
    for row in expiring:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        per_month[month] = row["n"]

    standing_rows = list(
        zip([Standing(c).label for c in standings], standings.values(), strict=True)
    )
    finding_rows = [(rule, [per_rule[sev][rule] for sev in Severity.values]) for rule in rules]
    expiring_rows = [(m.strftime("%b %Y"), n) for m, n in per_month.items()]
    tables = {"standing": standing_rows, "findings": finding_rows, "expiring": expiring_rows}
    charts = {
        "by_mission": by_mission,
        "by_year": by_year,
        "standing": {
            "labels": [Standing(code).label for code in standings],
            "codes": list(standings),
            "counts": list(standings.values()),
        },
        "findings": {
            "labels": rules,
            "series": [
                {"label": Severity(sev).label, "code": sev, "data": list(per_rule[sev].values())}
                for sev in Severity.values
            ],
        },
        "expiring": {
            "labels": [m.strftime("%b %Y") for m in months],
            "counts": list(per_month.values()),
        },
    }
    return render(request, "registry/dashboard.html", {"charts": charts, "tables": tables})


def _count_and_value(groups: list[ContractGroup], key: str, empty_label: str) -> dict:
    """Contracts and their value per `key` (an attribute of ContractGroup); values summed per
    currency, never across currencies.

    Currencies come most used first (by number of contracts with a value): the page charts one
    currency at a time and starts with that one.
    """
    # Labels are the values of `key` (or `empty_label`); values are {currency: {label: sum}}.
    counts: defaultdict[Any, int] = defaultdict(int)
    values: defaultdict[str, defaultdict[Any, float]] = defaultdict(lambda: defaultdict(float))
    used: defaultdict[str, int] = defaultdict(int)
    for group in groups:
        label = getattr(group, key)
        label = label if label is not None else empty_label
        counts[label] += group.contracts
        if group.value is not None and group.currency:
            values[group.currency][label] += float(group.value)
            used[group.currency] += group.contracts
    labels = sorted(counts, key=str)
    currencies = sorted(values, key=lambda cur: (-used[cur], cur))
    return {
        "rows": [
            (label, counts[label], [values[cur].get(label) for cur in currencies])
            for label in labels
        ],
        "labels": [str(label) for label in labels],
        "counts": [counts[label] for label in labels],
        "values": [
            {
                "currency": cur,
                "contracts": used[cur],
                "data": [values[cur].get(label, 0) for label in labels],
            }
            for cur in currencies
        ],
    }


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)
