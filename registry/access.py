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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db.models import Model, Q, QuerySet

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
from registry.models.contracts import ContractQuerySet
from registry.models.oversight import SanctionQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from registry.services.standing import Reason

PUBLIC = "public"
# Incidents in these states are investigation material: regulators, auditors and admins only.
OPEN_INVESTIGATION = (IncidentStatus.REPORTED, IncidentStatus.UNDER_INVESTIGATION)
# A licence in these states puts its holder in the issuing authority's jurisdiction.
JURISDICTION_LICENCE_STATES = (LicenceState.ACTIVE, LicenceState.SUSPENDED)


@dataclass
class Viewer:
    """The caller as the access rules see it. Build it with viewer(user)."""

    user: "User | AnonymousUser | None"
    role: str
    authority_id: int | None = None
    mission_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_public(self) -> bool:
        return self.role == PUBLIC

    @property
    def scope(self) -> str:
        """What the access rules read of the caller, as text: two callers of the same scope see
        the same records and fields everywhere (a regulator's jurisdiction follows from its
        authority)."""
        missions = ",".join(str(i) for i in sorted(self.mission_ids))
        return f"{self.role}:{self.authority_id or ''}:{missions}"

    @property
    def reads_everything(self) -> bool:
        return self.role in (Role.AUDITOR, Role.ADMIN)

    @property
    def can_write_register(self) -> bool:
        """May create and change companies, licences, oversight and personnel records."""
        return self.role in (Role.REGULATOR, Role.ADMIN)

    @cached_property
    def regulated_company_ids(self) -> "QuerySet[Company, dict[str, Any]]":
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


# Who makes a request or a change: a request's user (a User, or the AnonymousUser), a
# SystemActor (a management command or a scheduled job), or None (no request, e.g. a shell).
Actor: TypeAlias = "User | AnonymousUser | SystemActor | None"

# Who an access function is asked about: a user or a Viewer. That is an Actor, or the Viewer
# already built from one with viewer(). Every function below taking `who` accepts either
# (_as_viewer() builds the Viewer when given an Actor).
Who: TypeAlias = "Actor | Viewer"

# The attribute of the user object that caches its Viewer for the request.
_VIEWER_CACHE = "_registry_viewer"


def viewer(user: Actor) -> Viewer:
    """The Viewer for a request's user, cached on the user object for the request."""
    if isinstance(user, SystemActor):
        # A management command or a scheduled job, run by the operator of the installation.
        return Viewer(user=None, role=Role.ADMIN)
    if user is None or not user.is_authenticated or not user.is_active:
        return Viewer(user=user, role=PUBLIC)
    cached: Viewer | None = getattr(user, _VIEWER_CACHE, None)
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
    setattr(user, _VIEWER_CACHE, result)
    return result


def _as_viewer(who: Who) -> Viewer:
    return who if isinstance(who, Viewer) else viewer(who)


# --- The public register -------------------------------------------------------------------


def companies(who: Who) -> QuerySet[Company]:
    return Company.objects.all()


def licences(who: Who) -> QuerySet[Licence]:
    return Licence.objects.all()


def adherences(who: Who) -> QuerySet[Adherence]:
    return Adherence.objects.all()


def certifications(who: Who) -> QuerySet[Certification]:
    return Certification.objects.all()


# --- Contracts ------------------------------------------------------------------------------


def contracts(who: Who) -> ContractQuerySet:
    """Contracts the caller may read in full (values, personnel numbers, everything)."""
    v = _as_viewer(who)
    if v.reads_everything:
        return Contract.objects.all()
    if v.role == Role.REGULATOR:
        return Contract.objects.filter(company_id__in=v.regulated_company_ids)
    if v.role == Role.MISSION_STAFF:
        return Contract.objects.filter(mission_id__in=v.mission_ids)
    return Contract.objects.none()


def coordination_contracts(who: Who) -> ContractQuerySet:
    """Contracts the caller may see as a coordination summary (who, where, what, when, status)."""
    v = _as_viewer(who)
    if v.is_public:
        return Contract.objects.none()
    return Contract.objects.all()


def can_write_contract(
    who: Who, contract: Contract | None = None, mission_id: int | None = None
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


def hiring_checks(who: Who) -> QuerySet[HiringCheck]:
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


def sanctions(who: Who) -> SanctionQuerySet:
    v = _as_viewer(who)
    return Sanction.objects.none() if v.is_public else Sanction.objects.all()


def incidents(who: Who) -> QuerySet[Incident]:
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


def findings(who: Who) -> QuerySet[Finding]:
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


def people(who: Who) -> QuerySet[Person]:
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


def employments(who: Who) -> QuerySet[Employment]:
    v = _as_viewer(who)
    if v.reads_everything:
        return Employment.objects.all()
    if v.role == Role.REGULATOR:
        return Employment.objects.filter(company_id__in=v.regulated_company_ids)
    return Employment.objects.none()


def vettings(who: Who) -> QuerySet[Vetting]:
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


def trainings(who: Who) -> QuerySet[Training]:
    v = _as_viewer(who)
    if v.reads_everything:
        return Training.objects.all()
    if v.role == Role.REGULATOR:
        return Training.objects.filter(person__in=people(v))
    return Training.objects.none()


def audiences_read_in_full(who: Who) -> tuple[Audience, ...]:
    """The audiences whose findings the caller reads as written about a company it does not
    regulate; it reads the others as their rule's explanation."""
    v = _as_viewer(who)
    if v.reads_everything:
        return tuple(Audience)
    if v.is_public:
        return (Audience.PUBLIC,)
    return (Audience.PUBLIC, Audience.OVERSIGHT)


def standing_reasons(
    who: Who, company_id: int, reasons: "list[Reason]", regulated: bool | None = None
) -> "list[Reason]":
    """A company's standing reasons as the caller may read them.

    Reasons of rules written for a narrower audience than the caller (people and their vetting,
    incidents under investigation; for the public also contracts, sanctions, incidents and
    insurance) keep their rule code and severity, so the standing stays explained, but their
    message becomes the rule's general explanation. `regulated`: regulates(who, company_id), if
    the caller knows it.
    """
    out: list[Reason] = []
    for r in reasons:
        message = reason_message(who, company_id, r.code, r.message, regulated)
        r = replace(r, message=message) if message != r.message else r
        if r not in out:
            out.append(r)
    return out


def hiring_findings(who: Who, check: HiringCheck) -> list[dict[str, Any]]:
    """The findings stored on a hiring check, their messages as the caller may read them."""
    regulated = regulates(who, check.company_id)
    return [
        {**x, "message": reason_message(who, check.company_id, x["rule"], x["message"], regulated)}
        for x in check.findings
    ]


def reason_message(
    who: Who, company_id: int, code: str, message: str, regulated: bool | None = None
) -> str:
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


def regulates(who: Who, company_id: int) -> bool:
    """May the caller write records about this company (licences, incidents, personnel …)?"""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role == Role.REGULATOR:
        return company_id in v.regulated_company_id_set
    return False


def sees_personnel(who: Who) -> bool:
    """May the caller see that a record names a person at all (e.g. on a sanction)?"""
    return _as_viewer(who).role in (Role.REGULATOR, Role.AUDITOR, Role.ADMIN)


# --- Fields ---------------------------------------------------------------------------------
# Fields of a readable record that some readers may not see. Every door renders through
# hidden_fields(): the API answers them as null, the admin leaves them out of its forms and
# lists, the pages do not show them.
PERSON_LINKS: dict[type[Model], tuple[str, ...]] = {Sanction: ("person",), Finding: ("person",)}


def hidden_fields(who: Who, model: type[Model], obj: Model | None = None) -> frozenset[str]:
    """Names of `model`'s fields the caller may not read (of the record `obj`, if given).
    A regulator sees the person a record names only on records of companies it regulates."""
    links = frozenset(PERSON_LINKS.get(model, ()))
    if not links:
        return links
    v = _as_viewer(who)
    if not sees_personnel(v):
        return links
    if (
        v.role == Role.REGULATOR
        and isinstance(obj, Sanction | Finding)
        and not regulates(v, obj.company_id)
    ):
        return links
    return frozenset()


def person_link_visible(who: Who, model: type[Model]) -> Q:
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


def _id(data: Mapping[str, Any] | None, name: str) -> Any:
    """data[name] as an id: a record's pk, else the value itself (None when absent)."""
    if not data or data.get(name) is None:
        return None
    value = data[name]
    return getattr(value, "pk", value)


def admin_writes(who: Who, obj: Model | None = None, data: Mapping[str, Any] | None = None) -> bool:
    return _as_viewer(who).role == Role.ADMIN


def can_write_company(
    who: Who, obj: Company | None = None, data: Mapping[str, Any] | None = None
) -> bool:
    """Regulators register companies for their own authority and change those they regulate."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role != Role.REGULATOR:
        return False
    if obj is not None and not regulates(v, obj.pk):
        return False
    authority_id: int | None = _id(data, "registering_authority")
    if authority_id is not None and (obj is None or authority_id != obj.registering_authority_id):
        return authority_id == v.authority_id
    return True


LICENCE_WRITE_REFUSAL = "Only a regulator of the authority that issued a licence may change it."


def can_write_licence(
    who: Who, obj: Licence | None = None, data: Mapping[str, Any] | None = None
) -> bool:
    """Regulators issue and change licences in their own authority's name only."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role != Role.REGULATOR:
        return False
    if obj is not None and obj.authority_id != v.authority_id:
        return False
    authority_id: int | None = _id(data, "authority")
    return authority_id is None or authority_id == v.authority_id


# The records can_write_company_record() decides on: each is about a company (a vetting may
# name none).
CompanyRecord: TypeAlias = (
    Adherence | Certification | CompanyAlias | Employment | Incident | Sanction | Vetting
)


def can_write_company_record(
    who: Who, obj: CompanyRecord | None = None, data: Mapping[str, Any] | None = None
) -> bool:
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


def can_write_person(
    who: Who, obj: Person | None = None, data: Mapping[str, Any] | None = None
) -> bool:
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


def can_write_contract_record(
    who: Who, obj: Contract | None = None, data: Mapping[str, Any] | None = None
) -> bool:
    """Mission staff write their missions' contracts (and may not move one to another mission);
    regulators change contracts of the companies they regulate."""
    v = _as_viewer(who)
    if obj is not None and not can_write_contract(v, contract=obj):
        return False
    if data is None:
        return obj is not None or v.role == Role.ADMIN
    if v.role == Role.MISSION_STAFF:
        if "mission" in data:
            mission_id: int | None = _id(data, "mission")
        else:  # the values without a mission: the stored one (none when creating)
            mission_id = obj.mission_id if obj is not None else None
        return can_write_contract(v, mission_id=mission_id)
    if v.role == Role.REGULATOR:
        return obj is not None and (
            _id(data, "company") is None or regulates(v, _id(data, "company"))
        )
    return v.role == Role.ADMIN


def can_write_client(
    who: Who, obj: Client | None = None, data: Mapping[str, Any] | None = None
) -> bool:
    """Mission staff keep the clients of their own missions; admins every client."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    if v.role != Role.MISSION_STAFF:
        return False
    if obj is not None and obj.mission_id not in v.mission_ids:
        return False
    return data is None or _id(data, "mission") in v.mission_ids


def can_write_vetting(
    who: Who, obj: Vetting | None = None, data: Mapping[str, Any] | None = None
) -> bool:
    """A vetting made for a company belongs to that company's regulator; one made for no company,
    to the regulators who may change the person."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    targets: list[tuple[int | None, int | None]] = []  # (company, person) of obj, then of data
    if obj is not None:
        targets.append((obj.company_id, obj.person_id))
    if data is not None:
        targets.append((_id(data, "company"), _id(data, "person")))
    for company_id, person_id in targets:
        if company_id is not None:
            if not can_write_company_record(v, data={"company": company_id}):
                return False
        elif not _writes_person(v, person_id):
            return False
    return v.role == Role.REGULATOR


def can_write_training(
    who: Who, obj: Training | None = None, data: Mapping[str, Any] | None = None
) -> bool:
    """Trainings of the people a regulator may change."""
    v = _as_viewer(who)
    if v.role == Role.ADMIN:
        return True
    person_ids = {getattr(obj, "person_id", None), _id(data, "person")} - {None}
    return v.role == Role.REGULATOR and all(_writes_person(v, p) for p in person_ids)


def _writes_person(v: Viewer, person_id: int | None) -> bool:
    return person_id is not None and people(v).filter(pk=person_id).exists()


# A write rule: (who, the record as stored or None, the new values or None) -> allowed. Each
# rule's obj is of the one record kind it is registered for below.
WriteRule: TypeAlias = Callable[[Who, Any, Mapping[str, Any] | None], bool]

# The one write rule per record kind, used by every channel (API, pages, admin, commands)
# through registry.services.records. Records missing here are written only by a domain
# service of their own (findings by the compliance engine and waivers, hiring checks by the
# hiring check, licence events by the licence transitions).
WRITE_RULES: dict[type[Model], WriteRule] = {
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


def may_write(
    who: Who,
    model: type[Model],
    obj: Model | None = None,
    data: Mapping[str, Any] | None = None,
) -> bool:
    """May the caller make this change? obj: the record as stored (None when creating); data:
    the new values (None when only the stored record is asked about, e.g. a delete)."""
    rule = WRITE_RULES.get(model)
    return rule is not None and rule(_as_viewer(who), obj, data)


def can_run_hiring_check(
    who: Who, mission: Mission | None = None, client: Client | None = None
) -> bool:
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


def audit_entries(who: Who) -> QuerySet[AuditEntry]:
    """The change history: auditors and admins only (entries hold names and vetting fields)."""
    v = _as_viewer(who)
    return AuditEntry.objects.all() if v.reads_everything else AuditEntry.objects.none()
