"""Contracts counted per mission, start year and currency, as the dashboard charts them.

For a caller who reads every contract, or the contracts of their missions, the groups come from
the contract tally the database keeps (registry.models.ContractTally): a few thousand rows
whatever the number of contracts. A regulator reads the contracts of the companies they
regulate, which the tally does not split by, so theirs are aggregated from those contracts
(through the company index). Either way the groups are those of access.contracts().
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractYear

from registry import access
from registry.choices import Role
from registry.models import Contract, ContractTally, Mission
from registry.replica import on_replica


@dataclass(frozen=True)
class ContractGroup:
    mission: str | None  # the mission's acronym
    year: int
    currency: str
    contracts: int
    value: Decimal | None  # None when none of them has a value


def contract_groups(who: access.Who) -> list[ContractGroup]:
    """The caller's contracts (access.contracts) per mission, start year and currency.

    Read from the replica when there is one: aggregates may lag the primary by a moment."""
    v = access.viewer(who) if not isinstance(who, access.Viewer) else who
    if v.role == Role.REGULATOR and not v.reads_everything:
        return _aggregated(on_replica(access.contracts(v)))
    if not v.reads_everything and v.role != Role.MISSION_STAFF:
        return []
    tally = on_replica(ContractTally.objects.filter(contracts__gt=0))
    if not v.reads_everything:
        tally = tally.filter(mission_key__in=v.mission_ids)
    rows = list(
        tally.values_list("mission_key", "year", "currency", "contracts", "valued", "value")
    )
    keys = {row[0] for row in rows} - {0}
    acronyms = dict(on_replica(Mission.objects.filter(id__in=keys)).values_list("id", "acronym"))
    return [
        ContractGroup(acronyms.get(key), year, currency, n, value if valued else None)
        for key, year, currency, n, valued, value in rows
    ]


def _aggregated(contracts: QuerySet[Contract]) -> list[ContractGroup]:
    rows = (
        contracts.order_by()
        .annotate(year=ExtractYear("start"))
        .values("mission__acronym", "year", "currency")
        .annotate(n=Count("id"), total=Sum("value"))
    )
    return [
        ContractGroup(r["mission__acronym"], r["year"], r["currency"], r["n"], r["total"])
        for r in rows
    ]


def aggregated_groups(who: access.Who) -> list[ContractGroup]:
    """The same groups counted from the contracts themselves (what the tally must equal)."""
    return _aggregated(access.contracts(who))
