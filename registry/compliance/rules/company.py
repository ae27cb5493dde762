"""Rules about a company as a whole (subject: company)."""

import datetime as dt
from collections.abc import Iterator

from django.conf import settings

from registry.choices import (
    EXCLUDING_SANCTIONS,
    IncidentStatus,
    LicenceState,
    SanctionScope,
)
from registry.choices import Severity as S
from registry.models import Certification, Sanction

from ..base import COMPANY, Audience, Hit, Reads, rule, years_before
from ..facts import CompanyFacts

LIC_NONE = rule(
    "LIC-NONE",
    severity=S.BLOCKER,
    subject=COMPANY,
    reads=(Reads.LICENCES,),
    audience=Audience.PUBLIC,
    title="No active licence",
    source="Montreux Document GP 57-59, GP 9",
    explanation=(
        "The company holds no licence in force from any authority, so no state has authorised it."
    ),
)


@LIC_NONE.check(COMPANY)
def _lic_none(facts: CompanyFacts, on: dt.date) -> Iterator[Hit]:
    licences = [lv.licence for lv in facts.licences]
    if any(lic.is_active_on(on) for lic in licences):
        return
    if not licences:
        text = "No licence from any authority is on record."
    else:
        states = sorted(
            f"{lic.number}: {LicenceState(lic.effective_state(on)).label.lower()}"
            for lic in licences
        )
        text = "No active licence from any authority (" + "; ".join(states) + ")."
    yield Hit(f"company:{facts.company.pk}", text)


LIC_EXPIRING = rule(
    "LIC-EXPIRING",
    severity=S.WARNING,
    subject=COMPANY,
    reads=(Reads.LICENCES,),
    audience=Audience.PUBLIC,
    title="Licence expiring soon",
    source="National registers' expiry practice",
    explanation=(
        "An active licence ends within the warning period (90 days by default): plan the renewal."
    ),
)


@LIC_EXPIRING.check(COMPANY)
def _lic_expiring(facts: CompanyFacts, on: dt.date) -> Iterator[Hit]:
    horizon = on + dt.timedelta(days=settings.LICENCE_EXPIRY_WARNING_DAYS)
    for lv in facts.licences:
        lic = lv.licence
        if lic.is_active_on(on) and lic.valid_until <= horizon:
            yield Hit(
                f"company:{facts.company.pk}:licence:{lic.pk}",
                f"Licence {lic.number} ({lic.authority}) expires on {lic.valid_until}.",
            )


INS_EXPIRED = rule(
    "INS-EXPIRED",
    severity=S.WARNING,
    subject=COMPANY,
    reads=(Reads.INSURANCE,),
    audience=Audience.OVERSIGHT,
    title="No liability insurance in force",
    source="Montreux Document GP 5-13 (financial capacity)",
    explanation=(
        "Clients should contract only companies able to meet their liabilities, shown by insurance."
    ),
)


@INS_EXPIRED.check(COMPANY)
def _ins_expired(facts: CompanyFacts, on: dt.date) -> Iterator[Hit]:
    company = facts.company
    if company.insurance_in_force(on):
        return
    if company.insurance_valid_until:
        text = f"Liability insurance ended on {company.insurance_valid_until}."
    else:
        text = "No liability insurance is on record."
    yield Hit(f"company:{company.pk}", text)


COC_NONE = rule(
    "COC-NONE",
    severity=S.WARNING,
    subject=COMPANY,
    reads=(Reads.CODES,),
    audience=Audience.PUBLIC,
    title="No code of conduct in force",
    source="UN policy on armed private security (2012)",
    explanation=(
        "UN contractors must comply with the ICoC or an equivalent code; none is signed and in"
        " force."
    ),
)


@COC_NONE.check(COMPANY)
def _coc_none(facts: CompanyFacts, on: dt.date) -> Iterator[Hit]:
    if not any(a.in_force_on(on) for a in facts.adherences):
        yield Hit(f"company:{facts.company.pk}", "No code of conduct is signed and in force.")


CERT_EXPIRED = rule(
    "CERT-EXPIRED",
    severity=S.WARNING,
    subject=COMPANY,
    reads=(Reads.CERTIFICATIONS,),
    audience=Audience.PUBLIC,
    title="Certification expired",
    source="ICoCA certification",
    explanation=(
        "A recorded third-party certificate (PSC.1, ISO 18788, ICoCA) expired and was not renewed."
    ),
)


@CERT_EXPIRED.check(COMPANY)
def _cert_expired(facts: CompanyFacts, on: dt.date) -> Iterator[Hit]:
    renewed = {c.standard_id for c in facts.certifications if c.expires_on >= on}
    lapsed: dict[int, Certification] = {}
    for cert in facts.certifications:
        if cert.expires_on < on and cert.standard_id not in renewed:
            newest = lapsed.get(cert.standard_id)
            if newest is None or cert.expires_on > newest.expires_on:
                lapsed[cert.standard_id] = cert
    for cert in lapsed.values():
        yield Hit(
            f"company:{facts.company.pk}:certification:{cert.pk}",
            f"{cert.standard.name} certificate from {cert.certifying_body} expired on"
            f" {cert.expires_on}.",
        )


SAN_DEBARRED = rule(
    "SAN-DEBARRED",
    severity=S.BLOCKER,
    subject=COMPANY,
    reads=(Reads.SANCTIONS, Reads.CONTRACTS),
    audience=Audience.OVERSIGHT,
    title="Debarred or suspended from contracting",
    source="Montreux Document GP 48; SAM exclusions",
    explanation=(
        "A debarment or suspension from contracting is in force. For the company as a whole only"
        " a global one counts; one limited to a country or a mission refuses hires in that scope."
    ),
)


def sanction_label(s: Sanction) -> str:
    scope = s.get_scope_display().lower()
    if s.scope == SanctionScope.COUNTRY:
        scope = f"in {s.scope_country_id}"
    elif s.scope == SanctionScope.MISSION:
        scope = f"for mission {s.scope_mission}"
    until = f"until {s.end}" if s.end else "open-ended"
    return f"{s.get_kind_display()} ({scope}) by {s.imposed_by}, from {s.start}, {until}"


@SAN_DEBARRED.check(COMPANY)
def _san_debarred_company(facts: CompanyFacts, on: dt.date) -> Iterator[Hit]:
    for s in facts.sanctions:
        if (
            s.kind in EXCLUDING_SANCTIONS
            and s.person_id is None
            and s.scope == SanctionScope.GLOBAL
            and s.in_force_on(on)
        ):
            yield Hit(f"company:{facts.company.pk}:sanction:{s.pk}", sanction_label(s) + ".")


SAN_OTHER = rule(
    "SAN-OTHER",
    severity=S.WARNING,
    subject=COMPANY,
    reads=(Reads.SANCTIONS,),
    audience=Audience.OVERSIGHT,
    title="Recent sanction",
    source="Montreux Document GP 48",
    explanation=(
        "Another sanction (warning, fine, a scoped exclusion or one on a named person) was"
        " imposed in the last 12 months."
    ),
)


@SAN_OTHER.check(COMPANY)
def _san_other(facts: CompanyFacts, on: dt.date) -> Iterator[Hit]:
    since = years_before(on, 1)
    debarred = {h.key for h in _san_debarred_company(facts, on)}
    for s in facts.sanctions:
        key = f"company:{facts.company.pk}:sanction:{s.pk}"
        if since <= s.start <= on and key not in debarred:
            yield Hit(key, sanction_label(s) + f": {s.reason}")


INC_OPEN_SERIOUS = rule(
    "INC-OPEN-SERIOUS",
    severity=S.WARNING,
    subject=COMPANY,
    reads=(Reads.INCIDENTS,),
    audience=Audience.INVESTIGATION,
    title="Serious incident open",
    source="ICoC incident reporting; Montreux Document GP 46",
    explanation="A serious or critical incident is reported or under investigation.",
)


@INC_OPEN_SERIOUS.check(COMPANY)
def _inc_open(facts: CompanyFacts, on: dt.date) -> Iterator[Hit]:
    for inc in facts.serious_incidents:
        if inc.status in (IncidentStatus.REPORTED, IncidentStatus.UNDER_INVESTIGATION):
            yield Hit(
                f"company:{facts.company.pk}:incident:{inc.pk}",
                f"{inc.get_severity_display()} incident ({inc.get_category_display().lower()})"
                f" in {inc.country_id} on {inc.occurred_on} is {inc.get_status_display().lower()}.",
                contract_id=inc.contract_id,
            )


INC_SUBSTANTIATED = rule(
    "INC-SUBSTANTIATED",
    severity=S.WARNING,
    subject=COMPANY,
    reads=(Reads.INCIDENTS,),
    audience=Audience.OVERSIGHT,
    title="Serious incident substantiated",
    source="Montreux Document GP 6 (past conduct)",
    explanation="A serious or critical incident was substantiated in the last 3 years.",
)


@INC_SUBSTANTIATED.check(COMPANY)
def _inc_substantiated(facts: CompanyFacts, on: dt.date) -> Iterator[Hit]:
    since = years_before(on, 3)
    for inc in facts.serious_incidents:
        if inc.status == IncidentStatus.SUBSTANTIATED and since <= inc.occurred_on <= on:
            yield Hit(
                f"company:{facts.company.pk}:incident:{inc.pk}",
                f"{inc.get_severity_display()} incident ({inc.get_category_display().lower()})"
                f" in {inc.country_id} on {inc.occurred_on} was substantiated.",
                contract_id=inc.contract_id,
            )


CTR_TERMINATED_CAUSE = rule(
    "CTR-TERMINATED-CAUSE",
    severity=S.WARNING,
    subject=COMPANY,
    reads=(Reads.CONTRACTS,),
    audience=Audience.OVERSIGHT,
    title="Contract terminated for cause",
    source="Montreux Document GP 6 (past conduct)",
    explanation="A client terminated a contract with the company for cause in the last 3 years.",
)


@CTR_TERMINATED_CAUSE.check(COMPANY)
def _ctr_terminated(facts: CompanyFacts, on: dt.date) -> Iterator[Hit]:
    since = years_before(on, 3)
    for c in facts.terminated_for_cause:
        if since <= c.end:
            yield Hit(
                f"contract:{c.pk}",
                f"{c.client} terminated contract {c.reference} for cause (ended {c.end}):"
                f" {c.termination_reason}",
                contract_id=c.pk,
            )
