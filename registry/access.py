"""Who may see and change what: the sharing thresholds, applied once, in the queryset layer.

Every reader (API, pages, exports, counts, dashboards) gets its rows through these functions, so a
record above a caller's threshold cannot leak through a filter, a count or an export.

Thresholds:
- public (anonymous): the register: companies, licences, codes and certifications, standing.
- mission_staff: the register; their own missions' contracts and hiring checks in full; other
  contracts only as a coordination summary; sanctions; incidents once no longer under
  investigation; company-level findings. Never personnel or vetting.
- regulator: everything about the companies their authority registers or licenses; the register
  and coordination summaries for the rest.
- auditor: reads everything; writes nothing.
- admin: everything.

Findings and standing reasons are shown by the audience their rule declares
(registry.compliance.Audience), never by rule code.
"""

from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db.models import Q, QuerySet

from registry.audit.actors import SystemActor
from registry.audit.models import AuditEntry
from registry.choices import IncidentStatus, LicenceState, Role
from registry.compliance import Audience, get_rule, rule_codes
from registry.models import (
    Adherence,
    Certification,
    Client,
    Company,
    CompanyAlias,
    ConductStandard,
    Contract,
    Employment,
    Finding,
    HiringCheck,
    Incident,
    Licence,
    LicensingAuthority,
    Mission,
    Person,
    Sanction,
    Training,
    Vetting,
)

PUBLIC = "public"
# Incidents in these states are investigation material: regulators, auditors and admins only.
OPEN_INVESTIGATION = (IncidentStatus.REPORTED, IncidentStatus.UNDER_INVESTIGATION)
# A licence in these states puts its holder in the issuing authority's jurisdiction.
JURISDICTION_LICENCE_STATES = (LicenceState.ACTIVE, LicenceState.SUSPENDED)


@dataclass
class Viewer:
    """The caller as the access rules see it. Build it with viewer(user)."""

    user: object
    role: str
    authority_id: int | None = None
    mission_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_public(self) -> bool:
        return self.role == PUBLIC

    @property
    def reads_everything(self) -> bool:
        return self.role in (Role.AUDITOR, Role.ADMIN)

    @property
    def can_write_register(self) -> bool:
        """May create and change companies, licences, oversight and personnel records."""
        return self.role in (Role.REGULATOR, Role.ADMIN)

    @cached_property
    def regulated_company_ids(self) -> QuerySet:
        """Companies in the regulator's jurisdiction (a subquery, not a list): those its
        authority registers, or holds a licence of its authority that a decision granted
        (active or suspended). An application gives none: a regulator could otherwise give
        itself jurisdiction by recording one."""
        return (
            Company.objects.filter(
                Q(registering_authority_id=self.authority_id)
                | Q(
                    licences__authority_id=self.authority_id,
                    licences__state__in=JURISDICTION_LICENCE_STATES,
                )
            )
            .values("id")
            .distinct()
        )

    @cached_property
    def regulated_company_id_set(self) -> frozenset[int]:
        """The same companies as ids in memory: one query per request, however many rows ask."""
        return frozenset(self.regulated_company_ids.values_list("id", flat=True))


def viewer(user) -> Viewer:
    """The Viewer for a request's user, cached on the user object for the request."""
    if isinstance(user, SystemActor):
        # A management command or a scheduled job, run by the operator of the installation.
        return Viewer(user=None, role=Role.ADMIN)
    if user is None or not user.is_authenticated or not user.is_active:
        return Viewer(user=user, role=PUBLIC)
    cached = getattr(user, "_registry_viewer", None)
    if cached is not None:
        return cached
    profile = getattr(user, "profile", None)
    if user.is_superuser:
        result = Viewer(user=user, role=Role.ADMIN)
    elif profile is None:
        # A login without a registry role sees what the public sees.
        result = Viewer(user=user, role=PUBLIC)
    else:
        result = Viewer(
            user=user,
            role=profile.role,
            authority_id=profile.authority_id,
            mission_ids=frozenset(profile.missions.values_list("id", flat=True))
            if profile.role == Role.MISSION_STAFF
            else frozenset(),
        )
    user._registry_viewer = result
    return result


def _as_viewer(who) -> Viewer:
    return who if isinstance(who, Viewer) else viewer(who)


# --- The public register -------------------------------------------------------------------


def companies(who) -> QuerySet:
    return Company.objects.all()


def licences(who) -> QuerySet:
    return Licence.objects.all()


def adherences(who) -> QuerySet:
    return Adherence.objects.all()


def certifications(who) -> QuerySet:
    return Certification.objects.all()


# --- Contracts ------------------------------------------------------------------------------


def contracts(who) -> QuerySet:
    """Contracts the caller may read in full (values, personnel numbers, everything)."""
    v = _as_viewer(who)
    if v.reads_everything:
        return Contract.objects.all()
    if v.role == Role.REGULATOR:
        return Contract.objects.filter(company_id__in=v.regulated_company_ids)
    if v.role == Role.MISSION_STAFF:
        return Contract.objects.filter(mission_id__in=v.mission_ids)
    return Contract.objects.none()


def coordination_contracts(who) -> QuerySet:
    """Contracts the caller may see as a coordination summary (who, where, what, when, status)."""
    v = _as_viewer(who)
    if v.is_public:
        return Contract.objects.none()
    return Contract.objects.all()


def can_write_contract(
    who, contract: Contract | None = None, mission_id: int | None = None
) -> bool:
    """Mission staff write their own missions' contracts; regulators those of their companies."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role == Role.MISSION_STAFF:
        target = mission_id if mission_id is not None else getattr(contract, "mission_id", None)
        return target in v.mission_ids
    if v.role == Role.REGULATOR and contract is not None:
        return contracts(v).filter(pk=contract.pk).exists()
    return False


def hiring_checks(who) -> QuerySet:
    v = _as_viewer(who)
    if v.reads_everything:
        return HiringCheck.objects.all()
    if v.role == Role.MISSION_STAFF:
        return HiringCheck.objects.filter(
            Q(mission_id__in=v.mission_ids)
            | Q(client__mission_id__in=v.mission_ids)
            | Q(asked_by=v.user)
        )
    if v.role == Role.REGULATOR:
        return HiringCheck.objects.filter(company_id__in=v.regulated_company_ids)
    return HiringCheck.objects.none()


# --- Oversight ------------------------------------------------------------------------------


def sanctions(who) -> QuerySet:
    v = _as_viewer(who)
    return Sanction.objects.none() if v.is_public else Sanction.objects.all()


def incidents(who) -> QuerySet:
    v = _as_viewer(who)
    if v.reads_everything:
        return Incident.objects.all()
    if v.role == Role.REGULATOR:
        return Incident.objects.filter(
            Q(company_id__in=v.regulated_company_ids) | ~Q(status__in=OPEN_INVESTIGATION)
        )
    if v.role == Role.MISSION_STAFF:
        return Incident.objects.exclude(status__in=OPEN_INVESTIGATION)
    return Incident.objects.none()


def findings(who) -> QuerySet:
    v = _as_viewer(who)
    if v.reads_everything:
        return Finding.objects.all()
    if v.role == Role.REGULATOR:
        return Finding.objects.filter(company_id__in=v.regulated_company_ids)
    if v.role == Role.MISSION_STAFF:
        # Company- and contract-level findings; never one naming a person or one of a rule
        # written for investigators, and those of personnel rules (shares of ex-forces,
        # affiliations) only about their own missions' contracts.
        return (
            Finding.objects.filter(person__isnull=True)
            .exclude(rule_code__in=rule_codes(Audience.INVESTIGATION))
            .filter(
                ~Q(rule_code__in=rule_codes(Audience.PERSONNEL))
                | Q(contract__mission_id__in=v.mission_ids)
            )
        )
    return Finding.objects.none()


# --- Personnel (most sensitive) -------------------------------------------------------------


def people(who) -> QuerySet:
    v = _as_viewer(who)
    if v.reads_everything:
        return Person.objects.all()
    if v.role == Role.REGULATOR:
        return Person.objects.filter(
            Q(employments__company_id__in=v.regulated_company_ids)
            | Q(vettings__company_id__in=v.regulated_company_ids)
            | Q(sanctions__company_id__in=v.regulated_company_ids)
        ).distinct()
    return Person.objects.none()


def employments(who) -> QuerySet:
    v = _as_viewer(who)
    if v.reads_everything:
        return Employment.objects.all()
    if v.role == Role.REGULATOR:
        return Employment.objects.filter(company_id__in=v.regulated_company_ids)
    return Employment.objects.none()


def vettings(who) -> QuerySet:
    v = _as_viewer(who)
    if v.reads_everything:
        return Vetting.objects.all()
    if v.role == Role.REGULATOR:
        # A vetting belongs to the company that had it made: another authority's companies'
        # vettings stay with that authority, even about a person this regulator can see.
        return Vetting.objects.filter(
            Q(company_id__in=v.regulated_company_ids)
            | Q(company__isnull=True, person__in=people(v))
        )
    return Vetting.objects.none()


def trainings(who) -> QuerySet:
    v = _as_viewer(who)
    if v.reads_everything:
        return Training.objects.all()
    if v.role == Role.REGULATOR:
        return Training.objects.filter(person__in=people(v))
    return Training.objects.none()


def audiences_read_in_full(who) -> tuple[Audience, ...]:
    """The audiences whose findings the caller reads as written about a company it does not
    regulate; it reads the others as their rule's explanation."""
    v = _as_viewer(who)
    if v.reads_everything:
        return tuple(Audience)
    if v.is_public:
        return (Audience.PUBLIC,)
    return (Audience.PUBLIC, Audience.OVERSIGHT)


def standing_reasons(who, company_id: int, reasons: list, regulated: bool | None = None) -> list:
    """A company's standing reasons as the caller may read them.

    Reasons of rules written for a narrower audience than the caller (people and their vetting,
    incidents under investigation; for the public also contracts, sanctions, incidents and
    insurance) keep their rule code and severity, so the standing stays explained, but their
    message becomes the rule's general explanation. `regulated`: regulates(who, company_id), if
    the caller knows it.
    """
    out = []
    for r in reasons:
        message = reason_message(who, company_id, r.code, r.message, regulated)
        r = replace(r, message=message) if message != r.message else r
        if r not in out:
            out.append(r)
    return out


def hiring_findings(who, check) -> list[dict]:
    """The findings stored on a hiring check, their messages as the caller may read them."""
    regulated = regulates(who, check.company_id)
    return [
        {**x, "message": reason_message(who, check.company_id, x["rule"], x["message"], regulated)}
        for x in check.findings
    ]


def reason_message(who, company_id, code: str, message: str, regulated=None) -> str:
    v = _as_viewer(who)
    if v.reads_everything:
        return message
    if regulated is None:
        regulated = regulates(v, company_id)
    if regulated:
        return message
    try:
        rule = get_rule(code)
    except KeyError:  # a reason kept in the standing history from a rule since withdrawn
        return RETIRED_RULE_EXPLANATION
    return message if rule.audience in audiences_read_in_full(v) else rule.explanation


RETIRED_RULE_EXPLANATION = "A check the registry no longer runs found a problem."


def regulates(who, company_id: int) -> bool:
    """May the caller write records about this company (licences, incidents, personnel …)?"""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role == Role.REGULATOR:
        return company_id in v.regulated_company_id_set
    return False


def sees_personnel(who) -> bool:
    """May the caller see that a record names a person at all (e.g. on a sanction)?"""
    return _as_viewer(who).role in (Role.REGULATOR, Role.AUDITOR, Role.ADMIN)


# --- Fields ---------------------------------------------------------------------------------
# Fields of a readable record that some readers may not see. Every door renders through
# hidden_fields(): the API answers them as null, the admin leaves them out of its forms and
# lists, the pages do not show them.
PERSON_LINKS = {Sanction: ("person",), Finding: ("person",)}


def hidden_fields(who, model, obj=None) -> frozenset[str]:
    """Names of `model`'s fields the caller may not read (of the record `obj`, if given).
    A regulator sees the person a record names only on records of companies it regulates."""
    links = frozenset(PERSON_LINKS.get(model, ()))
    if not links:
        return links
    v = _as_viewer(who)
    if not sees_personnel(v):
        return links
    if v.role == Role.REGULATOR and obj is not None and not regulates(v, obj.company_id):
        return links
    return frozenset()


def person_link_visible(who, model) -> Q:
    """hidden_fields() as a row condition for filters: the rows of `model` (a PERSON_LINKS
    model) on which the caller may read the person the record names."""
    if "person" not in PERSON_LINKS.get(model, ()):
        return Q()
    v = _as_viewer(who)
    if not sees_personnel(v):
        return Q(pk__in=[])
    if v.role == Role.REGULATOR:
        return Q(company_id__in=v.regulated_company_ids)
    return Q()


# --- Writes ---------------------------------------------------------------------------------
# Each rule takes (who, obj, data): obj is the record as stored (None when creating), data the
# validated new values (None when only the stored record is checked). Readers' querysets have
# already hidden what the caller may not see; these decide what they may change.


def _id(data, name):
    if not data or data.get(name) is None:
        return None
    value = data[name]
    return getattr(value, "pk", value)


def admin_writes(who, obj=None, data=None) -> bool:
    return _as_viewer(who).role == Role.ADMIN


def can_write_company(who, obj=None, data=None) -> bool:
    """Regulators register companies for their own authority and change those they regulate."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role != Role.REGULATOR:
        return False
    if obj is not None and not regulates(v, obj.pk):
        return False
    authority_id = _id(data, "registering_authority")
    if authority_id is not None and (obj is None or authority_id != obj.registering_authority_id):
        return authority_id == v.authority_id
    return True


LICENCE_WRITE_REFUSAL = "Only a regulator of the authority that issued a licence may change it."


def can_write_licence(who, obj=None, data=None) -> bool:
    """Regulators issue and change licences in their own authority's name only."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role != Role.REGULATOR:
        return False
    if obj is not None and obj.authority_id != v.authority_id:
        return False
    authority_id = _id(data, "authority")
    return authority_id is None or authority_id == v.authority_id


def can_write_company_record(who, obj=None, data=None) -> bool:
    """Adherences, certifications, incidents, sanctions, vetting, findings: about a company the
    regulator's authority regulates."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role != Role.REGULATOR:
        return False
    if obj is not None and obj.company_id is not None and not regulates(v, obj.company_id):
        return False
    company_id = _id(data, "company")
    return company_id is None or regulates(v, company_id)


def can_write_person(who, obj=None, data=None) -> bool:
    """Regulators register people employed by a company they regulate, and change those they see."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role != Role.REGULATOR:
        return False
    if obj is not None:
        return people(v).filter(pk=obj.pk).exists()
    company_id = _id((data or {}).get("employment"), "company")
    return company_id is not None and regulates(v, company_id)


def can_write_contract_record(who, obj=None, data=None) -> bool:
    """Mission staff write their missions' contracts (and may not move one to another mission);
    regulators change contracts of the companies they regulate."""
    v = _as_viewer(who)
    if obj is not None and not can_write_contract(v, contract=obj):
        return False
    if data is None:
        return obj is not None or v.role == Role.ADMIN
    if v.role == Role.MISSION_STAFF:
        mission_id = _id(data, "mission") if "mission" in data else obj.mission_id
        return can_write_contract(v, mission_id=mission_id)
    if v.role == Role.REGULATOR:
        return obj is not None and (
            _id(data, "company") is None or regulates(v, _id(data, "company"))
        )
    return v.role == Role.ADMIN


def can_write_client(who, obj=None, data=None) -> bool:
    """Mission staff keep the clients of their own missions; admins every client."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role != Role.MISSION_STAFF:
        return False
    if obj is not None and obj.mission_id not in v.mission_ids:
        return False
    return data is None or _id(data, "mission") in v.mission_ids


def can_write_vetting(who, obj=None, data=None) -> bool:
    """A vetting made for a company belongs to that company's regulator; one made for no company,
    to the regulators who may change the person."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    for record in (obj, data):
        if record is None:
            continue
        company_id = record.company_id if record is obj else _id(data, "company")
        person_id = record.person_id if record is obj else _id(data, "person")
        if company_id is not None:
            if not can_write_company_record(v, data={"company": company_id}):
                return False
        elif not _writes_person(v, person_id):
            return False
    return v.role == Role.REGULATOR


def can_write_training(who, obj=None, data=None) -> bool:
    """Trainings of the people a regulator may change."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    person_ids = {getattr(obj, "person_id", None), _id(data, "person")} - {None}
    return v.role == Role.REGULATOR and all(_writes_person(v, p) for p in person_ids)


def _writes_person(v, person_id) -> bool:
    return person_id is not None and people(v).filter(pk=person_id).exists()


# The one write rule per record kind, used by every channel (API, pages, admin, commands)
# through registry.services.records. Records missing here are written only by a domain
# service of their own (findings by the compliance engine and waivers, hiring checks by the
# hiring check, licence events by the licence transitions).
WRITE_RULES = {
    LicensingAuthority: admin_writes,
    ConductStandard: admin_writes,
    Mission: admin_writes,
    Client: can_write_client,
    Company: can_write_company,
    CompanyAlias: can_write_company_record,
    Licence: can_write_licence,
    Adherence: can_write_company_record,
    Certification: can_write_company_record,
    Contract: can_write_contract_record,
    Incident: can_write_company_record,
    Sanction: can_write_company_record,
    Person: can_write_person,
    Employment: can_write_company_record,
    Vetting: can_write_vetting,
    Training: can_write_training,
}


def may_write(who, model, obj=None, data=None) -> bool:
    """May the caller make this change? obj: the record as stored (None when creating); data:
    the new values (None when only the stored record is asked about, e.g. a delete)."""
    rule = WRITE_RULES.get(model)
    return rule is not None and rule(_as_viewer(who), obj, data)


def can_run_hiring_check(who, mission=None, client=None) -> bool:
    """Mission staff check hires for their own missions (or their missions' clients)."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role != Role.MISSION_STAFF:
        return False
    missions = {m.pk for m in (mission, getattr(client, "mission", None)) if m is not None}
    if not missions:
        return False
    return missions <= v.mission_ids


def audit_entries(who) -> QuerySet:
    """The change history: auditors and admins only (entries hold names and vetting fields)."""
    v = _as_viewer(who)
    return AuditEntry.objects.all() if v.reads_everything else AuditEntry.objects.none()
