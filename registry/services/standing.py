"""Company standing: good / restricted / not_cleared, derived from the record, with reasons.

One function, company_standing(), used by the admin, the API and the pages alike. It reads only
related managers (`.all()`), so callers listing many companies prefetch with STANDING_PREFETCH.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from registry.choices import LicenceState, Severity, Standing


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


STANDING_PREFETCH = (
    "licences__authority",
    "licences__countries",
    "licences__services",
    "adherences__standard",
    "certifications__standard",
)


def standing_from_reasons(reasons: list[Reason]) -> str:
    severities = {r.severity for r in reasons}
    if Severity.BLOCKER in severities:
        return Standing.NOT_CLEARED
    if Severity.WARNING in severities:
        return Standing.RESTRICTED
    return Standing.GOOD


def licence_reasons(company, on: dt.date) -> list[Reason]:
    licences = list(company.licences.all())
    active = [lic for lic in licences if lic.is_active_on(on)]
    reasons = []
    if not active:
        reasons.append(Reason("LIC-NONE", Severity.BLOCKER, _no_licence_message(licences, on)))
    horizon = on + dt.timedelta(days=settings.LICENCE_EXPIRY_WARNING_DAYS)
    for lic in active:
        if lic.valid_until <= horizon:
            reasons.append(
                Reason(
                    "LIC-EXPIRING",
                    Severity.WARNING,
                    f"Licence {lic.number} ({lic.authority}) expires on {lic.valid_until}.",
                )
            )
    return reasons


def _no_licence_message(licences, on) -> str:
    if not licences:
        return "No licence from any authority is on record."
    states = sorted(
        {f"{lic.number}: {LicenceState(lic.effective_state(on)).label.lower()}" for lic in licences}
    )
    return "No active licence from any authority (" + "; ".join(states) + ")."


def conduct_reasons(company, on: dt.date) -> list[Reason]:
    reasons = []
    if not any(a.in_force_on(on) for a in company.adherences.all()):
        reasons.append(
            Reason("COC-NONE", Severity.WARNING, "No code of conduct is signed and in force.")
        )
    certifications = list(company.certifications.all())
    for cert in certifications:
        renewed = any(
            other.standard_id == cert.standard_id and other.expires_on >= on and other is not cert
            for other in certifications
        )
        if cert.expires_on < on and not renewed:
            reasons.append(
                Reason(
                    "CERT-EXPIRED",
                    Severity.WARNING,
                    f"{cert.standard.name} certificate from {cert.certifying_body} expired on"
                    f" {cert.expires_on}.",
                )
            )
    return reasons


def insurance_reasons(company, on: dt.date) -> list[Reason]:
    if company.insurance_in_force(on):
        return []
    if company.insurance_valid_until:
        text = f"Liability insurance ended on {company.insurance_valid_until}."
    else:
        text = "No liability insurance is on record."
    return [Reason("INS-EXPIRED", Severity.WARNING, text)]


def company_standing(company, on: dt.date | None = None) -> StandingResult:
    on = on or timezone.localdate()
    reasons = (
        licence_reasons(company, on) + conduct_reasons(company, on) + insurance_reasons(company, on)
    )
    return StandingResult(standing_from_reasons(reasons), reasons)
