"""Synthetic registry data, loaded fast with PostgreSQL COPY (psycopg 3 `cursor.copy()`).

    DATABASE_URL=postgres://…/bench_20k DJANGO_SETTINGS_MODULE=benchmarks.settings \\
        .venv/bin/python -m benchmarks.data --migrate --contracts 20000 \\
        --out var/bench-work/bench_20k.json [--audit-contracts 100000]

Run on an empty database (benchmarks/run.py creates one per size); --migrate runs `migrate` and
`createcachetable` first. Every name is fictional; countries and service categories are the
reference rows the migrations created. Proportions follow the number of contracts N:

| records | how many |
|---|---|
| companies | N / 100 (at least 10), each with 2 to 4 services and 2 to 4 regular clients |
| licences | one per company (mostly active), an older expired one for a third of them |
| licence countries / services | 1 to 3 countries of the operating pool / the company's services |
| adherences, certifications | 70 % sign the code of conduct; 40 % are certified (some expired) |
| missions | N / 20,000 (at least 3), one client of their own each |
| clients | N / 200 (at least 20) |
| contracts | N over ten years (about a tenth current), 5 % subcontracts |
| contract countries / services | 1 to 2 of each, 99 in 100 within the company's licence |
| incidents | N / 50, on a contract of the company |
| sanctions | companies / 25 |
| people, employments, vettings | N / 20, each employed once (mostly on a contract), vetted |
| trainings | 1 to 2 per person |

Then: an audit entry "created" for every company and licence and for the first contracts (up
to --audit-contracts, 100,000 by default; the recorder takes about a millisecond an entry): what
importing them through the registry would have written, so the audit export has rows to stream
(the compliance run adds one per finding it opens). And the users the benchmark acts as (an
auditor, mission staff of the first mission) with API tokens. The loaded rows skip the write services on purpose: the standing cache is filled afterwards by the
registry's own compliance run (benchmarks/measure.py), as production would.

Writes a JSON file with the counts, the timings, the tokens and the probes (the company the
status and hiring checks ask about, request bodies) that the other steps read.
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

SEED = 12
OPERATING_COUNTRIES = (
    "SO", "SS", "ML", "CF", "CD", "KE", "NG", "LY", "AF", "IQ",
    "YE", "HT", "MZ", "SD", "CM", "NE", "BF", "ET", "UG", "TD",
)  # fmt: skip
AUTHORITY_COUNTRIES = ("KE", "ZA", "GB", "CH", "UG", "GH", "SN", "AE")
ADJECTIVES = (
    "Amber", "Ashgrove", "Basalt", "Blackthorn", "Cedar", "Cinder", "Copper", "Dune", "Ember",
    "Fenwick", "Granite", "Harrow", "Indigo", "Juniper", "Kestrel", "Larch", "Marram", "Nettle",
    "Obsidian", "Pinewood", "Quarry", "Rowan", "Saltmarsh", "Thistle", "Umber", "Vale",
    "Wrenfield", "Yarrow",
)  # fmt: skip
NOUNS = (
    "Shield", "Sentinel", "Watch", "Guard", "Bastion", "Harbour", "Ridge", "Beacon", "Compass",
    "Keystone", "Lantern", "Meridian", "Outpost", "Rampart", "Summit", "Tower",
)  # fmt: skip
TRADES = ("Security", "Protection", "Risk Services", "Guarding", "Logistics", "Escort Services")
SUFFIXES = ("Ltd", "plc", "SA", "GmbH", "(Pty) Ltd", "LLC", "SARL")
TITLES = (
    "Static guarding of field offices",
    "Convoy protection between logistics hubs",
    "Close protection of visiting officials",
    "Risk assessment of new deployment sites",
    "Access control at the main compound",
    "Maritime protection of supply vessels",
    "Training of local guard force",
    "Explosive ordnance clearance of access roads",
)
CLIENT_KINDS = ("un_agency", "government", "ngo", "company", "international_org")
ORGANISATIONS = ("UN", "AU", "EU", "ECOWAS", "OSCE")
INCIDENT_CATEGORIES = (
    "use_of_force", "weapons_discharge", "injury_or_death", "human_rights", "misconduct", "other",
)  # fmt: skip
TRAINING_KINDS = ("use_of_force", "human_rights", "code_of_conduct", "firearms")
BATCH_AUDIT = 2000
AUDITED_CONTRACTS = 100_000  # contracts given a "created" audit entry (all of them up to this)


def weighted(rng: random.Random, table: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def sizes(contracts: int) -> dict[str, int]:
    """How many of each record for `contracts` contracts (see the module doc)."""
    return {
        "contracts": contracts,
        "companies": max(10, contracts // 100),
        "missions": max(3, contracts // 20_000),
        "clients": max(20, contracts // 200),
        "incidents": contracts // 50,
        "people": contracts // 20,
    }


class Generator:
    """Rows of every table, as tuples in the column order of COLUMNS, from one seeded random
    generator: the same N gives the same database. The methods run in the order of load()'s
    steps, since later tables read what earlier ones chose (a contract reads its company's
    licence scope and regular clients, an incident its contract's dates)."""

    def __init__(self, contracts: int, today: dt.date, seed: int = SEED):
        self.n = sizes(contracts)
        self.today = today
        self.now = dt.datetime.combine(today, dt.time(6), tzinfo=dt.UTC)
        self.rng = random.Random(seed)
        self.services = []  # (code, armed) of the catalogue, filled by load()
        self.company_services: list[list[str]] = [[]]  # by company id (index 0 unused)
        self.company_authority: list[int] = [0]
        self.company_clients: list[list[int]] = [[]]
        self.licence_scope: list[tuple[list[str], list[str], bool, int]] = [([], [], False, 0)]
        self.licence_states: list[str] = [""]
        self.client_mission: list[int | None] = [None]
        self.contract_company: list[int] = [0]
        self.contract_span: list[tuple[dt.date, dt.date, str]] = [(today, today, "")]
        self.contract_codes: list[tuple[list[str], list[str]]] = [([], [])]
        self.company_contracts: list[list[int]] = []
        self.person_company: list[int] = [0]

    # --- reference records -------------------------------------------------------------------

    def authorities(self) -> Iterator[tuple]:
        for i, country in enumerate(AUTHORITY_COUNTRIES, start=1):
            yield (i, self.now, self.now, f"Office for Private Security Licensing {i}",
                   f"OPSL-{country}", country, "")  # fmt: skip

    def standards(self) -> Iterator[tuple]:
        yield (1, self.now, self.now, "bench-code", "Bench Code of Conduct for Security Providers",
               "code_of_conduct", "Bench Standards Association", "", "")  # fmt: skip
        yield (2, self.now, self.now, "bench-ms", "Bench Security Operations Management Standard",
               "management_standard", "Bench Standards Association", "", "")  # fmt: skip

    def missions(self) -> Iterator[tuple]:
        for i in range(1, self.n["missions"] + 1):
            start = self.today - dt.timedelta(days=self.rng.randint(400, 4000))
            yield (i, self.now, self.now, ORGANISATIONS[i % len(ORGANISATIONS)],
                   f"Bench Stabilisation Mission {i}", f"BSM-{i:03d}", start, None)  # fmt: skip

    def mission_countries(self) -> Iterator[tuple]:
        row = 0
        for i in range(1, self.n["missions"] + 1):
            for code in self.rng.sample(OPERATING_COUNTRIES, 2):
                row += 1
                yield (row, i, code)

    def clients(self) -> Iterator[tuple]:
        missions = self.n["missions"]
        for i in range(1, self.n["clients"] + 1):
            if i <= missions:  # the missions' own administrations first
                self.client_mission.append(i)
                yield (i, self.now, self.now, f"Bench Stabilisation Mission {i} administration",
                       "mission", None, i)  # fmt: skip
            else:
                self.client_mission.append(None)
                kind = CLIENT_KINDS[i % len(CLIENT_KINDS)]
                yield (i, self.now, self.now, f"Bench Client Organisation {i:05d}", kind,
                       self.rng.choice(OPERATING_COUNTRIES), None)  # fmt: skip

    # --- companies and what they hold --------------------------------------------------------

    def companies(self) -> Iterator[tuple]:
        rng, codes = self.rng, [code for code, _ in self.services]
        for i in range(1, self.n["companies"] + 1):
            authority = rng.randint(1, len(AUTHORITY_COUNTRIES))
            self.company_authority.append(authority)
            self.company_services.append(rng.sample(codes, rng.randint(2, 4)))
            self.company_clients.append(
                [rng.randint(1, self.n["clients"]) for _ in range(rng.randint(2, 4))]
            )
            name = (
                f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(TRADES)}"
                f" {i:05d} {rng.choice(SUFFIXES)}"
            )
            insured = rng.random() < 0.85
            until = self.today + dt.timedelta(days=rng.randint(-60, 700)) if insured else None
            parent = rng.randint(1, i - 1) if i > 20 and rng.random() < 0.05 else None
            yield (i, self.now, self.now, name, f"REG-{i:07d}", None, f"{i} Bench Road", "",
                   "Bench Mutual Assurance" if insured else "",
                   Decimal("1000000.00") if insured else None, "USD" if insured else "", until,
                   parent, AUTHORITY_COUNTRIES[authority - 1], authority, "not_cleared", None,
                   None, "[]")  # fmt: skip

    def company_service_links(self) -> Iterator[tuple]:
        row = 0
        for company, codes in enumerate(self.company_services[1:], start=1):
            for code in codes:
                row += 1
                yield (row, company, code)

    def aliases(self) -> Iterator[tuple]:
        row = 0
        for company in range(1, self.n["companies"] + 1):
            if self.rng.random() < 0.2:
                row += 1
                yield (row, f"{self.rng.choice(NOUNS)} Group Trading {company:05d}", company)

    def licences(self) -> Iterator[tuple]:
        """The current licence of each company, then an older expired one for a third."""
        rng, armed = self.rng, {code for code, is_armed in self.services if is_armed}
        row = 0
        states = (("active", 82), ("suspended", 6), ("applied", 4), ("expired", 4),
                  ("revoked", 2), ("refused", 2))  # fmt: skip
        for company in range(1, self.n["companies"] + 1):
            row += 1
            services = self.company_services[company]
            countries = rng.sample(OPERATING_COUNTRIES, rng.randint(1, 3))
            weapons = bool(armed & set(services))
            cap = rng.randint(300, 1000) if weapons else 0
            self.licence_scope.append((countries, services, weapons, cap))
            state = weighted(rng, states)
            self.licence_states.append(state)
            start = self.today - dt.timedelta(days=rng.randint(800, 1400))
            end = start + dt.timedelta(days=5 * 365)
            if state == "active" and rng.random() < 0.1:  # expiring within the warning window
                end = self.today + dt.timedelta(days=rng.randint(5, 85))
            if state == "expired":
                end = self.today - dt.timedelta(days=rng.randint(1, 200))
            acronym = f"OPSL-{AUTHORITY_COUNTRIES[self.company_authority[company] - 1]}"
            changed = None if state == "applied" else dt.datetime.combine(start, dt.time(9), dt.UTC)
            yield (row, self.now, self.now, f"{acronym}/{company:06d}/A", "[]", weapons,
                   cap or None, "", start, end, state, changed, company,
                   self.company_authority[company])  # fmt: skip
        for company in range(1, self.n["companies"] + 1):
            if rng.random() < 0.33:
                row += 1
                countries, services, weapons, cap = self.licence_scope[company]
                self.licence_scope.append((countries, services, weapons, cap))
                self.licence_states.append("expired")
                start = self.today - dt.timedelta(days=rng.randint(1400, 2400))
                end = start + dt.timedelta(days=3 * 365)
                acronym = f"OPSL-{AUTHORITY_COUNTRIES[self.company_authority[company] - 1]}"
                yield (row, self.now, self.now, f"{acronym}/{company:06d}/B", "[]", weapons,
                       cap or None, "", start, end, "expired",
                       dt.datetime.combine(end, dt.time(2), dt.UTC), company,
                       self.company_authority[company])  # fmt: skip

    def licence_links(self, which: int) -> Iterator[tuple]:
        """(id, licence, code) rows: which=0 countries, which=1 services."""
        row = 0
        for licence, scope in enumerate(self.licence_scope[1:], start=1):
            for code in scope[which]:
                row += 1
                yield (row, licence, code)

    def licence_events(self) -> Iterator[tuple]:
        """The grant of every licence that was granted (the status page lists them)."""
        row = 0
        for licence, state in enumerate(self.licence_states[1:], start=1):
            if state in ("applied", "refused"):
                continue
            row += 1
            at = self.now - dt.timedelta(days=self.rng.randint(30, 1000))
            yield (row, "grant", "applied", "active", "bench loader", at, "Granted (bench data).",
                   None, None, None, licence)  # fmt: skip

    def adherences(self) -> Iterator[tuple]:
        row = 0
        for company in range(1, self.n["companies"] + 1):
            if self.rng.random() < 0.7:
                row += 1
                signed = self.today - dt.timedelta(days=self.rng.randint(100, 3000))
                withdrawn = signed + dt.timedelta(days=90) if self.rng.random() < 0.05 else None
                yield (row, self.now, self.now, signed, withdrawn, "", company, 1)

    def certifications(self) -> Iterator[tuple]:
        row = 0
        for company in range(1, self.n["companies"] + 1):
            if self.rng.random() < 0.4:
                row += 1
                issued = self.today - dt.timedelta(days=self.rng.randint(100, 1500))
                expires = issued + dt.timedelta(days=3 * 365)
                yield (row, self.now, self.now, "Bench Certification Body", f"BCB-{company:06d}",
                       "", issued, expires, company, 2)  # fmt: skip

    # --- contracts ---------------------------------------------------------------------------

    def contracts(self) -> Iterator[tuple]:
        rng, today = self.rng, self.today
        companies = self.n["companies"]
        armed_codes = {code for code, is_armed in self.services if is_armed}
        self.company_contracts = [[] for _ in range(companies + 1)]
        for i in range(1, self.n["contracts"] + 1):
            company = rng.randint(1, companies)
            self.contract_company.append(company)
            self.company_contracts[company].append(i)
            client = rng.choice(self.company_clients[company])
            mission = self.client_mission[client]
            if mission is None and rng.random() < 0.2:
                mission = rng.randint(1, self.n["missions"])
            lic_countries, lic_services, weapons, cap = self.licence_scope[company]
            if rng.random() < 0.99:  # within the licence, as nearly all contracts are
                countries = rng.sample(lic_countries, min(len(lic_countries), rng.randint(1, 2)))
                services = rng.sample(lic_services, rng.randint(1, 2))
            else:
                countries = rng.sample(OPERATING_COUNTRIES, rng.randint(1, 2))
                services = rng.sample([c for c, _ in self.services], rng.randint(1, 2))
            self.contract_codes.append((countries, services))
            armed = bool(armed_codes & set(services)) and weapons and rng.random() < 0.5
            local, intl, third = rng.randint(5, 200), rng.randint(0, 20), rng.randint(0, 50)
            armed_personnel = min(rng.randint(1, 40), local + intl + third, cap) if armed else 0
            start = today + dt.timedelta(days=rng.randint(-3650, 90))
            end = start + dt.timedelta(days=rng.randint(90, 730))
            status, reason = self._status(start, end)
            self.contract_span.append((start, end, countries[0]))
            parent = rng.randint(1, i - 1) if i > 100 and rng.random() < 0.05 else None
            valued = rng.random() < 0.9
            yield (i, self.now, self.now, f"BX-{i:07d}", rng.choice(TITLES), armed, intl, third,
                   local, armed_personnel,
                   Decimal(rng.randint(20_000, 5_000_000)) if valued else None,
                   rng.choice(("USD", "EUR")) if valued else "",
                   start - dt.timedelta(days=rng.randint(7, 60)), start, end, status, reason,
                   client, company, parent, mission)  # fmt: skip

    def _status(self, start: dt.date, end: dt.date) -> tuple[str, str]:
        draw = self.rng.random()
        if end < self.today:
            if draw < 0.03:
                return "terminated_cause", "Terminated for repeated breaches (bench data)."
            if draw < 0.10:
                return "terminated_convenience", "Requirement ended early (bench data)."
            return "completed", ""
        if start > self.today:
            return "planned", ""
        if draw < 0.03:
            return "terminated_convenience", "Requirement ended early (bench data)."
        return "active", ""

    def contract_links(self, which: int) -> Iterator[tuple]:
        """(id, contract, code) rows: which=0 countries, which=1 services."""
        row = 0
        for contract, codes in enumerate(self.contract_codes[1:], start=1):
            for code in codes[which]:
                row += 1
                yield (row, contract, code)

    # --- oversight and personnel -------------------------------------------------------------

    def incidents(self) -> Iterator[tuple]:
        rng = self.rng
        severities = (("minor", 50), ("moderate", 30), ("serious", 15), ("critical", 5))
        statuses = (("closed", 50), ("unsubstantiated", 15), ("substantiated", 15),
                    ("reported", 10), ("under_investigation", 10))  # fmt: skip
        for i in range(1, self.n["incidents"] + 1):
            contract = rng.randint(1, self.n["contracts"])
            start, end, country = self.contract_span[contract]
            span = max(0, (min(end, self.today) - start).days)
            occurred = min(start + dt.timedelta(days=rng.randint(0, span)), self.today)
            yield (i, self.now, self.now, occurred, rng.choice(INCIDENT_CATEGORIES),
                   weighted(rng, severities), weighted(rng, statuses),
                   f"Bench incident report {i}.", "", self.contract_company[contract], contract,
                   country)  # fmt: skip

    def sanctions(self) -> Iterator[tuple]:
        rng = self.rng
        kinds = (("warning", 40), ("fine", 35), ("contracting_suspension", 15), ("debarment", 10))
        for i in range(1, self.n["companies"] // 25 + 1):
            company = rng.randint(1, self.n["companies"])
            start = self.today - dt.timedelta(days=rng.randint(10, 1500))
            end = start + dt.timedelta(days=rng.randint(30, 730)) if rng.random() < 0.7 else None
            yield (i, self.now, self.now, weighted(rng, kinds), "global", start, end,
                   "Sanctioned for late incident reporting (bench data).", None, "", company,
                   self.company_authority[company], None, None, None, None, None)  # fmt: skip

    def people(self, hash_key: bytes) -> Iterator[tuple]:
        for i in range(1, self.n["people"] + 1):
            digest = hashlib.sha256(hash_key + f"bench-person-{i}".encode()).hexdigest()
            born = dt.date(1960, 1, 1) + dt.timedelta(days=self.rng.randint(0, 15000))
            yield (i, self.now, self.now, f"Bench Person {i:06d}", born, digest,
                   self.rng.choice(OPERATING_COUNTRIES))  # fmt: skip

    def employments(self) -> Iterator[tuple]:
        rng, companies = self.rng, self.n["companies"]
        for i in range(1, self.n["people"] + 1):
            company = rng.randint(1, companies)
            self.person_company.append(company)
            contracts = self.company_contracts[company]
            contract = rng.choice(contracts) if contracts and rng.random() < 0.6 else None
            if contract is not None:
                start, end, _ = self.contract_span[contract]
            else:
                start, end = self.today - dt.timedelta(days=rng.randint(30, 2000)), None
            origin = weighted(rng, (("local", 60), ("international", 25), ("third_country", 15)))
            yield (i, self.now, self.now, "Guard", rng.random() < 0.4, origin, start, end,
                   company, contract, i)  # fmt: skip

    def vettings(self) -> Iterator[tuple]:
        rng = self.rng
        outcomes = (("cleared", 97), ("pending", 2), ("refused", 1))
        for i in range(1, self.n["people"] + 1):
            vetted = self.today - dt.timedelta(days=rng.randint(30, 2000))
            former = rng.random() < 0.2
            yield (i, self.now, self.now, vetted, "Bench Vetting Service", weighted(rng, outcomes),
                   False, former, None, False, False, False, "", "", self.person_company[i], i)  # fmt: skip

    def trainings(self) -> Iterator[tuple]:
        row = 0
        for person in range(1, self.n["people"] + 1):
            for kind in self.rng.sample(TRAINING_KINDS, self.rng.randint(1, 2)):
                row += 1
                done = self.today - dt.timedelta(days=self.rng.randint(30, 1000))
                yield (row, self.now, self.now, kind, done, "Bench Training Centre", None, person)


# The columns each generator yields, by model field attname (checked against the model).
COLUMNS = {
    "LicensingAuthority": "id created_at updated_at name acronym country_id website",
    "ConductStandard": "id created_at updated_at code name kind issuer url description",
    "Mission": "id created_at updated_at organisation name acronym start end",
    "Client": "id created_at updated_at name kind country_id mission_id",
    "Company": "id created_at updated_at legal_name registration_number lei address website"
    " insurer insurance_cover insurance_currency insurance_valid_until parent_id"
    " home_country_id registering_authority_id standing standing_since standing_on"
    " standing_reasons",
    "CompanyAlias": "id name company_id",
    "Licence": "id created_at updated_at number subdivisions weapons_authorised"
    " max_armed_personnel conditions valid_from valid_until state state_changed_at company_id"
    " authority_id",
    "LicenceEvent": "id action from_state to_state actor_label at reason valid_from valid_until"
    " actor_id licence_id",
    "Adherence": "id created_at updated_at signed_on withdrawn_on notes company_id standard_id",
    "Certification": "id created_at updated_at certifying_body certificate_number scope"
    " issued_on expires_on company_id standard_id",
    "Contract": "id created_at updated_at reference title armed personnel_international"
    " personnel_third_country personnel_local armed_personnel value currency signed_on start"
    " end status termination_reason client_id company_id parent_id mission_id",
    "Incident": "id created_at updated_at occurred_on category severity status summary outcome"
    " company_id contract_id country_id",
    "Sanction": "id created_at updated_at kind scope start end reason lifted_on lifted_reason"
    " company_id imposed_by_authority_id imposed_by_client_id imposed_by_mission_id"
    " person_id scope_country_id scope_mission_id",
    "Person": "id created_at updated_at full_name date_of_birth identity_hash nationality_id",
    "Employment": "id created_at updated_at role armed origin start end company_id contract_id"
    " person_id",
    "Vetting": "id created_at updated_at vetted_on vetted_by outcome serving_security_forces"
    " former_security_forces left_security_forces_on ddr_participant dismissed_for_misconduct"
    " human_rights_concern conflict_affiliation notes company_id person_id",
    "Training": "id created_at updated_at kind completed_on provider expires_on person_id",
}


def copy_rows(cursor, model, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """COPY `rows` into the model's table; `columns` are attnames, mapped to column names."""
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    missing = [c for c in columns if c not in by_attname]
    if missing:
        raise ValueError(f"{model.__name__} has no field {missing}")
    names = ", ".join(f'"{by_attname[c]}"' for c in columns)
    count = 0
    with cursor.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def drop_secondary_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the tables' indexes that back no constraint (primary keys, unique constraints stay)
    and return their definitions: COPY into unindexed tables and one build per index afterwards
    is several times faster than updating a dozen indexes row by row."""
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index AS i"
        " WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)",
        [tables],
    )
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def load(contracts: int) -> dict:
    """Generate and COPY every table; returns the row counts and the seconds each took."""
    from django.conf import settings
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from registry import models as m

    gen = Generator(contracts, dt.date.today())
    gen.services = list(m.ServiceCategory.objects.order_by("code").values_list("code", "armed"))
    key = settings.IDENTITY_HASH_KEY.encode()
    link = {  # the many-to-many tables, by the model they hang off
        "company_services": (m.Company.services.through, "id company_id servicecategory_id"),
        "licence_countries": (m.Licence.countries.through, "id licence_id country_id"),
        "licence_services": (m.Licence.services.through, "id licence_id servicecategory_id"),
        "mission_countries": (m.Mission.countries.through, "id mission_id country_id"),
        "contract_countries": (m.Contract.countries.through, "id contract_id country_id"),
        "contract_services": (m.Contract.services.through, "id contract_id servicecategory_id"),
    }
    # In order of foreign keys: (label, model, columns, rows).
    steps = [
        ("authorities", m.LicensingAuthority, COLUMNS["LicensingAuthority"], gen.authorities),
        ("standards", m.ConductStandard, COLUMNS["ConductStandard"], gen.standards),
        ("missions", m.Mission, COLUMNS["Mission"], gen.missions),
        ("mission_countries", *link["mission_countries"], gen.mission_countries),
        ("clients", m.Client, COLUMNS["Client"], gen.clients),
        ("companies", m.Company, COLUMNS["Company"], gen.companies),
        ("company_services", *link["company_services"], gen.company_service_links),
        ("aliases", m.CompanyAlias, COLUMNS["CompanyAlias"], gen.aliases),
        ("licences", m.Licence, COLUMNS["Licence"], gen.licences),
        ("licence_countries", *link["licence_countries"], lambda: gen.licence_links(0)),
        ("licence_services", *link["licence_services"], lambda: gen.licence_links(1)),
        ("licence_events", m.LicenceEvent, COLUMNS["LicenceEvent"], gen.licence_events),
        ("adherences", m.Adherence, COLUMNS["Adherence"], gen.adherences),
        ("certifications", m.Certification, COLUMNS["Certification"], gen.certifications),
        ("contracts", m.Contract, COLUMNS["Contract"], gen.contracts),
        ("contract_countries", *link["contract_countries"], lambda: gen.contract_links(0)),
        ("contract_services", *link["contract_services"], lambda: gen.contract_links(1)),
        ("incidents", m.Incident, COLUMNS["Incident"], gen.incidents),
        ("sanctions", m.Sanction, COLUMNS["Sanction"], gen.sanctions),
        ("people", m.Person, COLUMNS["Person"], lambda: gen.people(key)),
        ("employments", m.Employment, COLUMNS["Employment"], gen.employments),
        ("vettings", m.Vetting, COLUMNS["Vetting"], gen.vettings),
        ("trainings", m.Training, COLUMNS["Training"], gen.trainings),
    ]
    counts, seconds = {}, {}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys checked row by row, not queued to the commit (Django declares them
        # deferred): no queue of millions of events, and CREATE INDEX refuses pending ones.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        t = time.perf_counter()
        indexes = drop_secondary_indexes(cursor, [step[1]._meta.db_table for step in steps])
        seconds["drop_indexes"] = round(time.perf_counter() - t, 2)
        for label, model, columns, rows in steps:
            t = time.perf_counter()
            counts[label] = copy_rows(cursor, model, columns.split(), rows())
            seconds[label] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        for definition in indexes:
            cursor.execute(definition)
        seconds["create_indexes"] = round(time.perf_counter() - t, 2)
        for sql in connection.ops.sequence_reset_sql(no_style(), [step[1] for step in steps]):
            cursor.execute(sql)
        t = time.perf_counter()
    seconds["commit"] = round(time.perf_counter() - t, 2)
    seconds["copy_total"] = round(time.perf_counter() - started, 2)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds["analyze"] = round(time.perf_counter() - t, 2)
    return {"counts": counts, "seconds": seconds, "generator": gen}


def audit_loaded_rows(contract_cap: int) -> tuple[int, float]:
    """An audit entry 'created' for every company and licence and for the first `contract_cap`
    contracts, in chunks, through the registry's own recorder (hash chain and signatures): what
    an import would have written. The recorder takes about a millisecond an entry, hence the
    cap on contracts."""
    from registry import models as m
    from registry.audit import recorder
    from registry.audit.actors import SystemActor
    from registry.audit.context import audit_context

    started, total = time.perf_counter(), 0
    with audit_context(actor=SystemActor("command:bench_data"), channel="import"):
        for model in (m.Company, m.Licence, m.Contract):
            last = model.objects.order_by("-id").values_list("id", flat=True).first() or 0
            if model is m.Contract:
                last = min(last, contract_cap)
            for low in range(1, last + 1, BATCH_AUDIT):
                rows = model.objects.filter(id__gte=low, id__lt=low + BATCH_AUDIT).order_by("id")
                entries = recorder.record_bulk(recorder.created(obj) for obj in rows)
                total += len(entries)
    return total, round(time.perf_counter() - started, 2)


def create_users(gen: Generator) -> dict:
    """The benchmark's callers: an auditor (with an authenticator, for a verified web session)
    and mission staff of mission 1, each with an API token issued directly (an auditor asking
    for one through the API would need a second factor)."""
    import secrets

    from django.contrib.auth.models import User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from registry.audit.actors import SystemActor
    from registry.audit.context import audit_context
    from registry.models import ApiToken, Profile

    with audit_context(actor=SystemActor("command:bench_data"), channel="command"):
        auditor = User.objects.create_user("bench-auditor", password=secrets.token_urlsafe(24))
        Profile.objects.create(user=auditor, role="auditor")
        TOTPDevice.objects.create(user=auditor, name="authenticator app", confirmed=True)
        staff = User.objects.create_user("bench-mission", password=secrets.token_urlsafe(24))
        profile = Profile.objects.create(user=staff, role="mission_staff")
        profile.missions.set([1])
        _, auditor_key = ApiToken.issue(auditor)
        _, staff_key = ApiToken.issue(staff)
    return {
        "auditor": {"id": auditor.pk, "token": auditor_key},
        "mission_staff": {"id": staff.pk, "token": staff_key, "mission": 1, "client": 1},
    }


def probes(gen: Generator) -> dict:
    """The company every status and hiring check asks about: one in the middle of the table,
    with an active licence and about the average number of contracts; and the request bodies."""
    from registry.models import Company, Licence

    middle = gen.n["companies"] // 2
    licence = (
        Licence.objects.filter(company_id__gte=middle, state="active", valid_until__gt=gen.today)
        .order_by("company_id")
        .first()
    )
    company = Company.objects.select_related("registering_authority").get(
        pk=licence.company_id if licence else middle
    )
    countries, services, _, _ = gen.licence_scope[company.pk]
    start = gen.today + dt.timedelta(days=14)
    end = start + dt.timedelta(days=180)
    return {
        "company": {
            "id": company.pk,
            "registration_number": company.registration_number,
            "authority": company.registering_authority.acronym,
            "contracts": len(gen.company_contracts[company.pk]),
        },
        "hiring_check": {
            "company": company.pk,
            "mission": 1,
            "countries": countries[:1],
            "services": services[:1],
            "armed": False,
            "personnel": {"international": 2, "local": 20},
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
        "contract": {
            "client": 1,
            "company": company.pk,
            "mission": 1,
            "title": "Static guarding of field offices",
            "countries": countries[:1],
            "services": services[:1],
            "armed": False,
            "personnel_local": 25,
            "value": "150000.00",
            "currency": "USD",
            "start": start.isoformat(),
            "end": end.isoformat(),
            "status": "planned",
        },
        "contracts_min_id": 1,
        "contracts_max_id": gen.n["contracts"],
    }


def migrate() -> float:
    """`manage.py migrate` and `createcachetable` (the database cache production uses), in this
    process to spare two Django start-ups; the seconds they took."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--contracts", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    parser.add_argument(
        "--audit-contracts",
        type=int,
        default=AUDITED_CONTRACTS,
        help="contracts given a 'created' audit entry (0: no audit entries for loaded rows)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from registry.models import Contract

    migrated = migrate() if args.migrate else 0.0
    if Contract.objects.exists():
        sys.exit("benchmarks.data: the database already has contracts; use a fresh one")
    loaded = load(args.contracts)
    gen = loaded.pop("generator")
    audit_rows, audit_seconds = audit_loaded_rows(args.audit_contracts)
    loaded["counts"]["audit_entries"] = audit_rows
    loaded["seconds"].update(migrate=migrated, audit=audit_seconds)
    info = {**loaded, "users": create_users(gen), "probes": probes(gen)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(info, indent=2, default=str))
    print(json.dumps({"counts": info["counts"], "seconds": info["seconds"]}))


if __name__ == "__main__":
    main()
