"""What the rules read, loaded for a batch of companies in a fixed number of queries.

Every loader filters by `company_id IN (batch)` and joins through the many-to-many tables, so
the number of queries depends on the number of loaders, never on the number of rows.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from registry.choices import (
    SERIOUS_SEVERITIES,
    ContractStatus,
    FindingState,
    LicenceState,
)
from registry.models import (
    Adherence,
    Certification,
    Company,
    Contract,
    Employment,
    Finding,
    Incident,
    Licence,
    Sanction,
    Training,
    Vetting,
)

CURRENT_STATUSES = (ContractStatus.PLANNED, ContractStatus.ACTIVE)


@dataclass
class LicenceView:
    licence: Licence
    countries: frozenset[str]
    services: frozenset[str]

    def usable(self, on: dt.date) -> bool:
        """Granted and not lapsed: may cover work from `on` onwards."""
        return self.licence.state == LicenceState.ACTIVE and self.licence.valid_until >= on

    def was_active_on(self, day: dt.date) -> bool:
        """Best knowledge of whether the licence was in force on a past day."""
        lic = self.licence
        if lic.state in (LicenceState.APPLIED, LicenceState.REFUSED):
            return False
        if not lic.valid_from <= day <= lic.valid_until:
            return False
        if lic.state in (LicenceState.ACTIVE, LicenceState.EXPIRED):
            return True
        # Suspended, revoked or surrendered: in force only before that change.
        return lic.state_changed_at is not None and day < lic.state_changed_at.date()


@dataclass
class Hire:
    """A proposed hire or a stored current contract, as the hire rules see it."""

    company_id: int
    company_name: str
    countries: tuple[str, ...]
    services: tuple[str, ...]
    armed: bool
    armed_personnel: int
    start: dt.date  # for a stored contract: the later of its start and the day of the check
    end: dt.date
    client_id: int | None
    mission_id: int | None
    licences: list[LicenceView]
    sanctions: list[Sanction] = field(default_factory=list)
    contract: Contract | None = None
    signed_on: dt.date | None = None
    others: list["Hire"] = field(default_factory=list)  # the company's other current contracts
    subcontracts: list["Hire"] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"contract:{self.contract.pk}" if self.contract else f"company:{self.company_id}"

    @property
    def contract_id(self) -> int | None:
        return self.contract.pk if self.contract else None

    @property
    def label(self) -> str:
        return f"contract {self.contract.reference}" if self.contract else "the proposed hire"

    def covering(self, on, country: str, service: str | None = None) -> list[LicenceView]:
        return [
            lv
            for lv in self.licences
            if lv.usable(on)
            and country in lv.countries
            and (service is None or service in lv.services)
        ]


@dataclass
class EmploymentView:
    employment: Employment
    vettings: list[Vetting]  # newest first
    trainings: list[Training]

    @property
    def latest_vetting(self) -> Vetting | None:
        return self.vettings[0] if self.vettings else None

    def key(self) -> str:
        e = self.employment
        if e.contract_id:
            return f"contract:{e.contract_id}:person:{e.person_id}"
        return f"company:{e.company_id}:person:{e.person_id}"


@dataclass
class Crew:
    """The people currently employed on one contract (or by the company, off contract)."""

    company_id: int
    contract_id: int | None
    reference: str
    members: list[EmploymentView]

    @property
    def local(self) -> list[EmploymentView]:
        return [m for m in self.members if m.employment.origin == "local"]


@dataclass
class CompanyFacts:
    company: Company
    licences: list[LicenceView] = field(default_factory=list)
    adherences: list[Adherence] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    serious_incidents: list[Incident] = field(default_factory=list)
    terminated_for_cause: list[Contract] = field(default_factory=list)
    live_findings: list[Finding] = field(default_factory=list)
    contracts: list[Hire] = field(default_factory=list)
    crews: list[Crew] = field(default_factory=list)


def _group(rows, key):
    out = defaultdict(list)
    for row in rows:
        out[key(row)].append(row)
    return out


def _pairs(through, owner: str, target: str, **filters) -> dict[int, set[str]]:
    out = defaultdict(set)
    for owner_id, target_id in through.objects.filter(**filters).values_list(owner, target):
        out[owner_id].add(target_id)
    return out


def load_licences(company_filter: dict) -> dict[int, list[LicenceView]]:
    """Licences (3 queries) of the companies matched by `company_filter` on Licence."""
    licences = Licence.objects.filter(**company_filter).select_related("authority__country")
    lic_filter = {f"licence__{k}": v for k, v in company_filter.items()}
    countries = _pairs(Licence.countries.through, "licence_id", "country_id", **lic_filter)
    services = _pairs(Licence.services.through, "licence_id", "servicecategory_id", **lic_filter)
    return _group(
        (
            LicenceView(lic, frozenset(countries[lic.pk]), frozenset(services[lic.pk]))
            for lic in licences
        ),
        lambda lv: lv.licence.company_id,
    )


def load_company_facts(company_ids, on: dt.date) -> dict[int, CompanyFacts]:
    """Everything the company rules read, for the given companies (10 queries)."""
    ids = list(company_ids)
    facts = {c.pk: CompanyFacts(c) for c in Company.objects.filter(id__in=ids)}
    by = {"company_id__in": ids}
    for cid, views in load_licences(by).items():
        facts[cid].licences = views
    loaders = {
        "adherences": Adherence.objects.filter(**by).select_related("standard"),
        "certifications": Certification.objects.filter(**by).select_related("standard"),
        "sanctions": Sanction.objects.filter(**by).select_related(
            "imposed_by_authority__country",
            "imposed_by_mission",
            "imposed_by_client",
            "scope_mission",
        ),
        "serious_incidents": Incident.objects.filter(**by, severity__in=SERIOUS_SEVERITIES),
        "terminated_for_cause": Contract.objects.filter(
            **by, status=ContractStatus.TERMINATED_CAUSE
        ).select_related("client", "mission"),
        "live_findings": Finding.objects.filter(**by)
        .exclude(state=FindingState.RESOLVED)
        .select_related("waived_by"),
    }
    for attr, queryset in loaders.items():
        for row in queryset:
            getattr(facts[row.company_id], attr).append(row)
    return facts


def load_contracts(company_filter: dict, on: dt.date, licences, sanctions) -> dict[int, list[Hire]]:
    """Current (planned or active, not ended) contracts as Hires, with their subcontracts."""
    current = {"status__in": CURRENT_STATUSES, "end__gte": on}
    contracts = list(
        Contract.objects.filter(**company_filter, **current).select_related(
            "company", "client", "mission"
        )
    )
    through = {f"contract__{k}": v for k, v in {**company_filter, **current}.items()}
    countries = _pairs(Contract.countries.through, "contract_id", "country_id", **through)
    services = _pairs(Contract.services.through, "contract_id", "servicecategory_id", **through)

    parent_current = {f"parent__{k}": v for k, v in {**company_filter, **current}.items()}
    subs = list(Contract.objects.filter(**parent_current, **current).select_related("company"))
    sub_through = {f"contract__{k}": v for k, v in {**parent_current, **current}.items()}
    sub_countries = _pairs(Contract.countries.through, "contract_id", "country_id", **sub_through)
    sub_services = _pairs(
        Contract.services.through, "contract_id", "servicecategory_id", **sub_through
    )
    sub_licences = load_licences({"company_id__in": sorted({s.company_id for s in subs})})

    def as_hire(c, country_map, service_map, lic_map, sanction_map):
        return Hire(
            company_id=c.company_id,
            company_name=c.company.legal_name,
            countries=tuple(sorted(country_map[c.pk])),
            services=tuple(sorted(service_map[c.pk])),
            armed=c.armed,
            armed_personnel=c.armed_personnel,
            start=max(c.start, on),
            end=c.end,
            client_id=c.client_id,
            mission_id=c.mission_id,
            licences=lic_map.get(c.company_id, []),
            sanctions=sanction_map.get(c.company_id, []),
            contract=c,
            signed_on=c.signed_on,
        )

    sub_hires = _group(
        (as_hire(s, sub_countries, sub_services, sub_licences, {}) for s in subs),
        lambda h: h.contract.parent_id,
    )
    hires = [as_hire(c, countries, services, licences, sanctions) for c in contracts]
    by_company = _group(hires, lambda h: h.company_id)
    for group in by_company.values():
        for hire in group:
            hire.others = [h for h in group if h is not hire]
            hire.subcontracts = sub_hires.get(hire.contract.pk, [])
    return by_company


def load_crews(company_ids, on: dt.date) -> dict[int, list[Crew]]:
    """People currently employed by the companies, grouped by contract (3 queries)."""
    current = {"company_id__in": list(company_ids), "start__lte": on}
    employments = list(
        Employment.objects.filter(**current)
        .exclude(end__lt=on)
        .select_related("person", "contract")
        .order_by("contract_id", "id")
    )
    people = Employment.objects.filter(**current).exclude(end__lt=on).values("person_id")
    vettings = _group(
        Vetting.objects.filter(person_id__in=people).order_by("-vetted_on", "-id"),
        lambda v: v.person_id,
    )
    trainings = _group(Training.objects.filter(person_id__in=people), lambda t: t.person_id)
    crews: dict[tuple, Crew] = {}
    for e in employments:
        crew = crews.get((e.company_id, e.contract_id))
        if crew is None:
            reference = e.contract.reference if e.contract else "no contract"
            crew = crews[(e.company_id, e.contract_id)] = Crew(
                e.company_id, e.contract_id, reference, []
            )
        crew.members.append(
            EmploymentView(e, vettings.get(e.person_id, []), trainings.get(e.person_id, []))
        )
    return _group(crews.values(), lambda c: c.company_id)


def load_batch(company_ids, on: dt.date) -> dict[int, CompanyFacts]:
    """Company facts plus current contracts and crews: what run_compliance checks."""
    facts = load_company_facts(company_ids, on)
    licences = {cid: f.licences for cid, f in facts.items()}
    sanctions = {cid: f.sanctions for cid, f in facts.items()}
    for cid, hires in load_contracts(
        {"company_id__in": list(facts)}, on, licences, sanctions
    ).items():
        facts[cid].contracts = hires
    for cid, crews in load_crews(list(facts), on).items():
        facts[cid].crews = crews
    return facts
