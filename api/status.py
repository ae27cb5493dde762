"""The status answer for one company: what mission staff need, read through registry.access."""

from itertools import groupby

from django.db.models import Prefetch
from django.utils import timezone

from registry import access
from registry import models as m
from registry.choices import FindingState
from registry.services.standing import STANDING_PREFETCH, company_standing
from registry.services.status import licence_history, standing_history, standing_since


def company_status(company: m.Company, who, on=None) -> dict:
    on = on or timezone.localdate()
    v = access.viewer(who) if not isinstance(who, access.Viewer) else who
    company = (
        access.companies(v)
        .prefetch_related(
            *STANDING_PREFETCH,
            Prefetch("sanctions", queryset=access.sanctions(v).in_force_on(on)),
        )
        .get(pk=company.pk)
    )
    result = company_standing(company, on)
    regulated = access.regulates(v, company.pk)
    adherences = [a for a in company.adherences.all() if a.in_force_on(on)]
    contracts = (
        access.coordination_contracts(v)
        .filter(company=company)
        .active_on(on)
        .select_related("company", "client", "mission")
        .prefetch_related("countries", "services")
        .order_by("mission__acronym", "start", "id")
    )
    groups = [
        {
            "mission": key[0],
            "mission_acronym": key[1],
            "contracts": list(rows),
        }
        for key, rows in groupby(
            contracts, key=lambda c: (c.mission_id, c.mission.acronym if c.mission else None)
        )
    ]
    return {
        "company": company.pk,
        "legal_name": company.legal_name,
        "registration_number": company.registration_number,
        "registering_authority": company.registering_authority_id,
        "on": on,
        "standing": result.standing,
        "standing_since": standing_since(company, result),
        "reasons": [
            vars(r) for r in access.standing_reasons(v, company.pk, result.reasons, regulated)
        ],
        "standing_history": standing_history(v, company, regulated),
        "licence_history": licence_history(v, company),
        "licences": [lic for lic in company.licences.all() if lic.is_active_on(on)],
        "codes": [
            {
                "standard": a.standard,
                "since": a.signed_on,
                "expires_on": a.withdrawn_on,
                "certifying_body": None,
            }
            for a in adherences
        ],
        "certifications": [
            {
                "standard": c.standard,
                "since": c.issued_on,
                "expires_on": c.expires_on,
                "certifying_body": c.certifying_body,
            }
            for c in company.certifications.all()
            if c.issued_on <= on <= c.expires_on
        ],
        "sanctions": list(company.sanctions.all()),
        "open_findings": list(access.findings(v).filter(company=company, state=FindingState.OPEN)),
        "contracts_by_mission": groups,
    }
