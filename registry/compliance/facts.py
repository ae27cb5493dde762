"""What the rules read, loaded for a batch of companies in a fixed number of queries.

Every loader filters by `company_id IN (batch)`, and reads a many-to-many table with a subquery
of the rows it links, so the number of queries depends on the number of loaders, never on the
number of rows.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import QuerySet

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
BATCH_SIZE = 500  # companies loaded and checked together


@dataclass
class LicenceFacts:
    """A licence with the countries and services it covers, as the rules read it."""

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
class Engagement:
    """What the hire rules check: one engagement of a company, either the proposed hire of a
    hiring check (`contract` is None) or one of its stored current contracts."""

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
    licences: list[LicenceFacts]
    sanctions: list[Sanction] = field(default_factory=list)
    contract: Contract | None = None
    signed_on: dt.date | None = None
    others: list["Engagement"] = field(
        default_factory=list
    )  # the company's other current contracts
    subcontracts: list["Engagement"] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"contract:{self.contract.pk}" if self.contract else f"company:{self.company_id}"

    @property
    def stored(self) -> Contract:
        """The contract of an engagement loaded from the database (the company's other
        contracts, subcontracts): only the proposed hire of a hiring check has none."""
        if self.contract is None:
            raise ValueError("a proposed hire has no stored contract")
        return self.contract

    @property
    def contract_id(self) -> int | None:
        return self.contract.pk if self.contract else None

    @property
    def label(self) -> str:
        return f"contract {self.contract.reference}" if self.contract else "the proposed hire"

    def covering(self, on: dt.date, country: str, service: str | None = None) -> list[LicenceFacts]:
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
    licences: list[LicenceFacts] = field(default_factory=list)
    adherences: list[Adherence] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    serious_incidents: list[Incident] = field(default_factory=list)
    terminated_for_cause: list[Contract] = field(default_factory=list)
    live_findings: list[Finding] = field(default_factory=list)
    contracts: list[Engagement] = field(default_factory=list)
    crews: list[Crew] = field(default_factory=list)


R = TypeVar("R")


def _by(rows: Iterable[R], key: Callable[[R], int]) -> defaultdict[int, list[R]]:
    grouped: defaultdict[int, list[R]] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def _by_company(rows: Iterable[R]) -> defaultdict[int, list[R]]:
    return _by(rows, lambda row: row.company_id)  # type: ignore[attr-defined]  # every R has one


def _linked_ids(pairs: Iterable[tuple[int, Any]]) -> defaultdict[int, set[Any]]:
    """{owner id: target ids} from the (owner id, target id) rows of a many-to-many table."""
    linked: defaultdict[int, set[Any]] = defaultdict(set)
    for owner_id, target_id in pairs:
        linked[owner_id].add(target_id)
    return linked


def load_licences(company_ids: list[int]) -> dict[int, list[LicenceFacts]]:
    """The companies' licences with their countries and services (3 queries)."""
    licences = Licence.objects.filter(company_id__in=company_ids)
    countries = _linked_ids(
        Licence.countries.through.objects.filter(licence__in=licences).values_list(
            "licence_id", "country_id"
        )
    )
    services = _linked_ids(
        Licence.services.through.objects.filter(licence__in=licences).values_list(
            "licence_id", "servicecategory_id"
        )
    )
    return _by(
        (
            LicenceFacts(lic, frozenset(countries[lic.pk]), frozenset(services[lic.pk]))
            for lic in licences.select_related("authority__country")
        ),
        lambda lv: lv.licence.company_id,
    )


def load_company_facts(company_ids: Iterable[int], on: dt.date) -> dict[int, CompanyFacts]:
    """Everything the company rules read, for the given companies (10 queries)."""
    ids = list(company_ids)
    companies = Company.objects.filter(id__in=ids)
    licences = load_licences(ids)
    adherences = _by_company(
        Adherence.objects.filter(company_id__in=ids).select_related("standard")
    )
    certifications = _by_company(
        Certification.objects.filter(company_id__in=ids).select_related("standard")
    )
    sanctions = _by_company(
        Sanction.objects.filter(company_id__in=ids).select_related(
            "imposed_by_authority__country",
            "imposed_by_mission",
            "imposed_by_client",
            "scope_mission",
        )
    )
    serious_incidents = _by_company(
        Incident.objects.filter(company_id__in=ids, severity__in=SERIOUS_SEVERITIES)
    )
    terminated_for_cause = _by_company(
        Contract.objects.filter(
            company_id__in=ids, status=ContractStatus.TERMINATED_CAUSE
        ).select_related("client", "mission")
    )
    live_findings = _by_company(
        Finding.objects.filter(company_id__in=ids)
        .exclude(state=FindingState.RESOLVED)
        .select_related("waived_by")
    )
    return {
        c.pk: CompanyFacts(
            company=c,
            licences=licences[c.pk],
            adherences=adherences[c.pk],
            certifications=certifications[c.pk],
            sanctions=sanctions[c.pk],
            serious_incidents=serious_incidents[c.pk],
            terminated_for_cause=terminated_for_cause[c.pk],
            live_findings=live_findings[c.pk],
        )
        for c in companies
    }


def _current_contracts(on: dt.date, **filters: Any) -> QuerySet[Contract]:
    """Planned or active contracts not ended on `on`, matched by `filters`."""
    return Contract.objects.filter(status__in=CURRENT_STATUSES, end__gte=on, **filters)


def _countries_and_services(
    contracts: QuerySet[Contract],
) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """The countries and the services of these contracts, by contract id (2 queries)."""
    countries = Contract.countries.through.objects.filter(contract__in=contracts)
    services = Contract.services.through.objects.filter(contract__in=contracts)
    return (
        _linked_ids(countries.values_list("contract_id", "country_id")),
        _linked_ids(services.values_list("contract_id", "servicecategory_id")),
    )


def _as_engagement(
    contract: Contract,
    on: dt.date,
    countries: dict[int, set[str]],
    services: dict[int, set[str]],
    licences: dict[int, list[LicenceFacts]],
    sanctions: dict[int, list[Sanction]],
) -> Engagement:
    return Engagement(
        company_id=contract.company_id,
        company_name=contract.company.legal_name,
        countries=tuple(sorted(countries[contract.pk])),
        services=tuple(sorted(services[contract.pk])),
        armed=contract.armed,
        armed_personnel=contract.armed_personnel,
        start=max(contract.start, on),
        end=contract.end,
        client_id=contract.client_id,
        mission_id=contract.mission_id,
        licences=licences.get(contract.company_id, []),
        sanctions=sanctions.get(contract.company_id, []),
        contract=contract,
        signed_on=contract.signed_on,
    )


def load_contracts(
    companies: dict[int, Company],
    on: dt.date,
    licences: dict[int, list[LicenceFacts]] | None = None,
    sanctions: dict[int, list[Sanction]] | None = None,
) -> dict[int, list[Engagement]]:
    """The companies' current (planned or active, not ended) contracts as Hires, with their
    current subcontracts (9 queries). `companies`: the loaded companies by id, which their
    contracts share (not a copy per contract); `licences` and `sanctions`: by company id, for
    the hire rules; the subcontractors' licences are loaded here."""
    contracts = _current_contracts(on, company_id__in=list(companies))
    subcontracts = _current_contracts(on, parent__in=contracts)
    countries, services = _countries_and_services(contracts)
    sub_countries, sub_services = _countries_and_services(subcontracts)
    subs = list(subcontracts.select_related("company"))
    sub_licences = load_licences(sorted({s.company_id for s in subs}))

    sub_hires = _by(
        (_as_engagement(s, on, sub_countries, sub_services, sub_licences, {}) for s in subs),
        lambda h: h.stored.parent_id or 0,  # subcontracts all have a parent
    )
    hires = []
    for c in contracts.select_related("client", "mission"):
        c.company = companies[c.company_id]
        hires.append(_as_engagement(c, on, countries, services, licences or {}, sanctions or {}))
    by_company = _by_company(hires)
    for group in by_company.values():
        for hire in group:
            hire.others = [h for h in group if h is not hire]
            hire.subcontracts = sub_hires.get(hire.stored.pk, [])
    return by_company


def load_crews(company_ids: Iterable[int], on: dt.date) -> dict[int, list[Crew]]:
    """People currently employed by the companies, grouped by contract (3 queries)."""
    employed = Employment.objects.filter(company_id__in=list(company_ids), start__lte=on).exclude(
        end__lt=on
    )
    people = employed.values("person_id")
    vettings = _by(
        Vetting.objects.filter(person_id__in=people).order_by("-vetted_on", "-id"),
        lambda v: v.person_id,
    )
    trainings = _by(Training.objects.filter(person_id__in=people), lambda t: t.person_id)
    crews: dict[tuple[int, int | None], Crew] = {}
    for e in employed.select_related("person", "contract").order_by("contract_id", "id"):
        crew = crews.get((e.company_id, e.contract_id))
        if crew is None:
            reference = e.contract.reference if e.contract else "no contract"
            crew = crews[(e.company_id, e.contract_id)] = Crew(
                e.company_id, e.contract_id, reference, []
            )
        crew.members.append(EmploymentView(e, vettings[e.person_id], trainings[e.person_id]))
    return _by_company(crews.values())


def load_batch(company_ids: Iterable[int], on: dt.date) -> dict[int, CompanyFacts]:
    """Company facts plus current contracts and crews: what run_compliance checks."""
    facts = load_company_facts(company_ids, on)
    ids = list(facts)
    licences = {cid: f.licences for cid, f in facts.items()}
    sanctions = {cid: f.sanctions for cid, f in facts.items()}
    companies = {cid: f.company for cid, f in facts.items()}
    for cid, hires in load_contracts(companies, on, licences, sanctions).items():
        facts[cid].contracts = hires
    for cid, crews in load_crews(ids, on).items():
        facts[cid].crews = crews
    return facts
