"""Company standing: good / restricted / not_cleared, derived from the record, with reasons.

It rests on the compliance engine: the company rules evaluated now (licences, insurance, codes
and certifications, sanctions, incidents, past terminations), minus waived findings, plus open
blocker findings the last compliance run stored about the company's contracts and people.
company_standing() is for one company (detail pages, the status call); lists and counts read the
cached Company.standing column, which refresh_standing() and run_compliance() keep fresh.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from registry.choices import Standing
from registry.compliance.evaluation import standing_results
from registry.compliance.facts import load_company_facts
from registry.compliance.outcomes import standing_of
from registry.compliance.standing_cache import reason_rows, refresh_standing
from registry.models import Company

__all__ = [
    "STANDING_PREFETCH",
    "Reason",
    "StandingResult",
    "company_standing",
    "company_standings",
    "refresh_standing",
    "stored_standing",
]


@dataclass(frozen=True)
class Reason:
    code: str
    severity: str
    message: str


@dataclass
class StandingResult:
    standing: str
    reasons: list[Reason] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Standing(self.standing).label


# Related objects a company page shows next to its standing (licences, codes, certificates).
STANDING_PREFETCH = (
    "licences__authority",
    "licences__countries",
    "licences__services",
    "adherences__standard",
    "certifications__standard",
)


def company_standings(
    companies: Iterable[Company | int], on: dt.date | None = None
) -> dict[int, StandingResult]:
    """Standing with reasons for several companies in a fixed number of queries."""
    on = on or timezone.localdate()
    facts = load_company_facts([c.pk if hasattr(c, "pk") else c for c in companies], on)
    out: dict[int, StandingResult] = {}
    for cid, f in facts.items():
        results = standing_results(f, on)
        reasons = [Reason(**row) for row in reason_rows(results)]
        out[cid] = StandingResult(standing_of(r.severity for r in results), reasons)
    return out


def company_standing(company: Company, on: dt.date | None = None) -> StandingResult:
    """The standing computed now from all the company's facts."""
    return company_standings([company.pk], on)[company.pk]


def stored_standing(company: Company, on: dt.date | None = None) -> StandingResult:
    """The standing the write path stored, when it was computed for `on` (default today); else
    computed now. What status reads serve: the same answer, without loading every fact."""
    on = on or timezone.localdate()
    if company.standing_on == on and company.standing_since is not None:
        return StandingResult(company.standing, [Reason(**row) for row in company.standing_reasons])
    return company_standing(company, on)
