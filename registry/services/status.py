"""The status read model: a company's standing as every door shows it.

company_status() is the one answer the API status calls (companies/{id}/status/, status/?…) and
the web company page render: the company's record as the caller may see it, its standing with
the reasons at the caller's threshold (registry.access), the date the standing took effect, and
the histories of standing and of licence states. Being one object, the doors cannot disagree.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Prefetch, Q
from django.utils import timezone

from registry import access
from registry import models as m
from registry.audit.models import AuditEntry
from registry.choices import FindingState, LicenceAction, LicenceState

from .standing import Reason, StandingResult, stored_standing

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


def standing_since(company: m.Company, result: StandingResult) -> dt.datetime | None:
    """When the standing shown took effect: the cached column's date, when the live standing is
    the cached one (else None: it changed by a write not yet recorded)."""
    return company.standing_since if company.standing == result.standing else None


def standing_history(
    v: access.Viewer,
    company: m.Company,
    regulated: bool | None = None,
    limit: int = HISTORY_LIMIT,
) -> list[StandingHistoryRow]:
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


def licence_history(
    v: access.Viewer, company: m.Company, limit: int = HISTORY_LIMIT
) -> list[LicenceHistoryRow]:
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


@dataclass
class CompanyStatus:
    """A company's status as one caller sees it on one date. Lists the API answer alone needs
    (in-force sanctions, open findings, active contracts) are read only when asked for."""

    company: m.Company
    viewer: access.Viewer
    on: dt.date
    regulated: bool  # the caller regulates the company (may write its records)
    standing: StandingResult  # reasons as the caller may read them
    standing_since: dt.datetime | None
    standing_history: list[StandingHistoryRow]
    licence_history: list[LicenceHistoryRow]

    @property
    def licences(self) -> list[m.Licence]:
        return list(self.company.licences.all())

    @property
    def active_licences(self) -> list[m.Licence]:
        return [lic for lic in self.licences if lic.is_active_on(self.on)]

    @property
    def adherences(self) -> list[m.Adherence]:
        return list(self.company.adherences.all())

    @property
    def certifications(self) -> list[m.Certification]:
        return list(self.company.certifications.all())

    @cached_property
    def sanctions_in_force(self) -> list[m.Sanction]:
        return list(access.sanctions(self.viewer).filter(company=self.company).in_force_on(self.on))

    @cached_property
    def open_findings(self) -> list[m.Finding]:
        return list(
            access.findings(self.viewer).filter(company=self.company, state=FindingState.OPEN)
        )

    @cached_property
    def contracts_by_mission(self) -> list[dict[str, Any]]:
        contracts = (
            access.coordination_contracts(self.viewer)
            .filter(company=self.company)
            .active_on(self.on)
            .select_related("company", "client", "mission")
            .prefetch_related("countries", "services")
            .order_by("mission__acronym", "start", "id")
        )
        return [
            {"mission": key[0], "mission_acronym": key[1], "contracts": list(rows)}
            for key, rows in groupby(
                contracts, key=lambda c: (c.mission_id, c.mission.acronym if c.mission else None)
            )
        ]

    def history_answer(self) -> dict[str, Any]:
        """The API standing-history answer (api.serializers.checks.StandingHistorySerializer)."""
        return {
            "company": self.company.pk,
            "standing": self.standing.standing,
            "standing_since": self.standing_since,
            "standing_history": self.standing_history,
            "licence_history": self.licence_history,
        }

    def answer(self) -> dict[str, Any]:
        """The API status answer (api.serializers.checks.StatusSerializer)."""
        company, on = self.company, self.on
        return {
            "company": company.pk,
            "legal_name": company.legal_name,
            "registration_number": company.registration_number,
            "registering_authority": company.registering_authority_id,
            "on": on,
            "standing": self.standing.standing,
            "standing_since": self.standing_since,
            "reasons": [vars(r) for r in self.standing.reasons],
            "standing_history": self.standing_history,
            "licence_history": self.licence_history,
            "licences": self.active_licences,
            "codes": [
                {
                    "standard": a.standard,
                    "since": a.signed_on,
                    "expires_on": a.withdrawn_on,
                    "certifying_body": None,
                }
                for a in self.adherences
                if a.in_force_on(on)
            ],
            "certifications": [
                {
                    "standard": c.standard,
                    "since": c.issued_on,
                    "expires_on": c.expires_on,
                    "certifying_body": c.certifying_body,
                }
                for c in self.certifications
                if c.issued_on <= on <= c.expires_on
            ],
            "sanctions": self.sanctions_in_force,
            "open_findings": self.open_findings,
            "contracts_by_mission": self.contracts_by_mission,
        }


def company_status(
    company: m.Company | int,
    who: access.Who,
    on: dt.date | None = None,
    *,
    profile: bool = False,
) -> CompanyStatus:
    """The status of `company` (a Company or its id) as `who` may see it on `on` (default
    today); with `profile`, also the company's trading names and services (the web page shows
    them, the API status answer does not). Raises Company.DoesNotExist when the caller may not
    see the company."""
    on = on or timezone.localdate()
    v = who if isinstance(who, access.Viewer) else access.viewer(who)
    pk = company.pk if isinstance(company, m.Company) else company
    company = (
        access.companies(v)
        .select_related("home_country", "registering_authority__country", "parent")
        .prefetch_related(
            *(("aliases", "services") if profile else ()),
            Prefetch("licences", queryset=access.licences(v).select_related("authority__country")),
            "licences__countries",
            "licences__services",
            Prefetch("adherences", queryset=access.adherences(v).select_related("standard")),
            Prefetch(
                "certifications", queryset=access.certifications(v).select_related("standard")
            ),
        )
        .get(pk=pk)
    )
    regulated = access.regulates(v, company.pk)
    result = stored_standing(company, on)
    result.reasons = access.standing_reasons(v, company.pk, result.reasons, regulated=regulated)
    return CompanyStatus(
        company=company,
        viewer=v,
        on=on,
        regulated=regulated,
        standing=result,
        standing_since=standing_since(company, result),
        standing_history=standing_history(v, company, regulated),
        licence_history=licence_history(v, company),
    )


def answer_versions(who: access.Who, where: Q, limit: int = 2) -> list[tuple[int, str]]:
    """(id, version) of at most `limit` companies that match `where` and that the caller may
    see, in one query. A version is a text that changes whenever anything a status answer about
    the company shows may have changed.

    Every change to registry data writes an audit entry in the same transaction, naming the
    company its record belongs to, or none for shared records (clients, missions, authorities,
    people, accounts). So the hashes of the company's latest entry and of the latest shared one
    move with every change the answer could show; with the date (what is in force today) and
    the caller's scope they key a stored answer that can never be stale. Read it before the
    answer, so an answer built across a concurrent change is stored under the older version."""
    v = who if isinstance(who, access.Viewer) else access.viewer(who)
    visible = access.companies(v).filter(where).order_by("id").values("id")[:limit]
    try:
        sql, params = visible.query.sql_with_params()
    except EmptyResultSet:
        return []
    entries = connections[visible.db].ops.quote_name(AuditEntry._meta.db_table)
    # Plain SQL: the ORM's compiler costs more here than the query does.
    latest = f"SELECT hash FROM {entries} WHERE company_id {{}} ORDER BY seq DESC LIMIT 1"
    with connections[visible.db].cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, ({latest.format('= c.id')}), ({latest.format('IS NULL')})"
            f" FROM ({sql}) AS c",
            params,
        )
        rows = cursor.fetchall()
    day, scope = timezone.localdate().isoformat(), v.scope
    return [(pk, f"{day}:{scope}:{own or '-'}:{shared or '-'}") for pk, own, shared in rows]
