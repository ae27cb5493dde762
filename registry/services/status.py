"""The status read model: a company's standing as every door shows it (API status, web page).

standing_since and the histories of standing and of licence states are read here once, at the
caller's threshold (registry.access), so the API and the pages cannot disagree.
"""

from dataclasses import dataclass, field

from registry import access
from registry import models as m
from registry.choices import LicenceAction, LicenceState

from .standing import Reason, StandingResult

HISTORY_LIMIT = 20


@dataclass
class StandingHistoryRow:
    from_standing: str | None
    to_standing: str
    at: object
    on: object
    reasons: list[Reason] = field(default_factory=list)
    cause: str | None = None  # None for the public: it may name staff


@dataclass
class LicenceHistoryRow:
    licence: int
    licence_number: str
    action: str
    from_state: str
    to_state: str
    at: object
    actor_label: str | None = None  # None for the public
    reason: str | None = None  # None for the public

    @property
    def action_label(self) -> str:
        return LicenceAction(self.action).label

    @property
    def from_label(self) -> str:
        return LicenceState(self.from_state).label

    @property
    def to_label(self) -> str:
        return LicenceState(self.to_state).label


def standing_since(company: m.Company, result: StandingResult):
    """When the standing shown took effect: the cached column's date, when the live standing is
    the cached one (else None: it changed by a write not yet recorded)."""
    return company.standing_since if company.standing == result.standing else None


def standing_history(v, company: m.Company, regulated=None, limit=HISTORY_LIMIT) -> list:
    """The latest changes of the company's standing, newest first, in one query. Reasons read as
    the caller may (people and open investigations masked below the threshold)."""
    if regulated is None:
        regulated = access.regulates(v, company.pk)
    rows = m.StandingChange.objects.filter(company_id=company.pk).order_by("-at", "-id")[:limit]
    return [
        StandingHistoryRow(
            from_standing=row.from_standing,
            to_standing=row.to_standing,
            at=row.at,
            on=row.on,
            reasons=access.standing_reasons(
                v,
                company.pk,
                [Reason(r["code"], r["severity"], r.get("message", "")) for r in row.reasons],
                regulated=regulated,
            ),
            cause=None if v.is_public else row.cause,
        )
        for row in rows
    ]


def licence_history(v, company: m.Company, limit=HISTORY_LIMIT) -> list:
    """The latest state changes of the company's licences, newest first, in one query."""
    events = (
        m.LicenceEvent.objects.filter(
            licence__in=access.licences(v).filter(company_id=company.pk).values("id")
        )
        .select_related("licence")
        .order_by("-at", "-id")[:limit]
    )
    return [
        LicenceHistoryRow(
            licence=e.licence_id,
            licence_number=e.licence.number,
            action=e.action,
            from_state=e.from_state,
            to_state=e.to_state,
            at=e.at,
            actor_label=None if v.is_public else e.actor_label,
            reason=None if v.is_public else e.reason,
        )
        for e in events
    ]
