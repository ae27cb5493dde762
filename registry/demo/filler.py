"""Seeded filler: more companies (two more corporate groups) and years of ordinary contracts."""

from registry.choices import ContractStatus, LicenceAction, LicenceState

from .values import ARMED_SERVICES, day, lei

FILLER_COMPANIES = [
    # key, legal name, country, authority, services, parent key, trading name, lei seed
    ("thornbush", "Thornbush Security Services Ltd", "KE", "SSLB", ["unarmed_guarding", "armed_static_guarding"], None, "Thornbush Guards", "5493THORNBSH"),
    ("riftvalley", "Rift Valley Protective Services Ltd", "KE", "SSLB", ["close_protection", "armed_escort"], None, None, None),
    ("coastline", "Coastline Guarding Company Ltd", "KE", "SSLB", ["unarmed_guarding", "logistics_support"], None, "Coastline Guards", None),
    ("jacaranda", "Jacaranda Risk Management (Pty) Ltd", "ZA", "PSOC", ["risk_analysis", "crisis_response"], None, None, "9845JACARANDA"),
    ("karoo", "Karoo Convoy Services (Pty) Ltd", "ZA", "PSOC", ["armed_escort", "logistics_support"], "jacaranda", "Karoo Convoy", None),
    ("protea", "Protea Close Protection (Pty) Ltd", "ZA", "PSOC", ["close_protection"], "jacaranda", None, None),
    ("springbok", "Springbok Perimeter Solutions (Pty) Ltd", "ZA", "PSOC", ["armed_static_guarding", "detention_support"], None, None, None),
    ("pennine", "Pennine Risk Consultants Ltd", "GB", "SCLO", ["risk_analysis", "training_advising"], None, "Pennine Risk", "2138PENNINER"),
    ("solent", "Solent Maritime Security Ltd", "GB", "SCLO", ["maritime_security"], None, None, None),
    ("cairnhill", "Cairnhill Training Associates Ltd", "GB", "SCLO", ["training_advising"], None, None, None),
    ("alpenwacht", "Alpenwacht Sicherheitsdienste AG", "CH", "FOPS", ["close_protection", "risk_analysis"], None, "Alpenwacht", None),
    ("leman", "Léman Logistique et Sécurité SA", "CH", "FOPS", ["logistics_support", "unarmed_guarding"], "alpenwacht", "LLS", None),
]  # fmt: skip
FILLER_KEYS = {row[0] for row in FILLER_COMPANIES}
OPERATING_COUNTRIES = ["SO", "SS", "ML", "NE", "CF", "GW", "KE"]
INSURERS = {
    "KE": "Acacia General Insurance",
    "ZA": "Fynbos Assurance",
    "GB": "Lantern Mutual Insurance",
    "CH": "Alpina Re",
}
CURRENCY = {"KE": "USD", "ZA": "ZAR", "GB": "GBP", "CH": "CHF"}
CAUSES = [
    "Repeated failure to staff the guard posts agreed in the contract.",
    "Falsified training records for armed personnel.",
]


def add_filler(b) -> None:
    rng = b.rng
    for key, name, country, authority, services, parent, alias, lei_seed in FILLER_COMPANIES:
        insured_until = rng.choice([-20, 90, 200, 365, 500])
        b.company(
            key,
            name,
            country,
            authority,
            f"{authority}-{rng.randint(10000, 99999)}",
            services,
            parent=parent,
            aliases=[alias] if alias else [],
            lei=lei(lei_seed) if lei_seed else None,
            **b.insurance(INSURERS[country], rng.randint(5, 80) * 100_000, CURRENCY[country], insured_until),
        )  # fmt: skip
        countries = sorted({country, *rng.sample(OPERATING_COUNTRIES, 3)})
        start = -rng.randint(900, 2100)
        armed = bool(set(services) & ARMED_SERVICES)
        cap = rng.choice([20, 40, 80, 120]) if armed else None
        number = f"{authority}-{rng.randint(1000, 9999)}-{key[:3].upper()}"
        if key == "springbok":
            b.licence(key, number + "-A", services=services, countries=countries, start=start - 1100,
                      end=start - 1, armed_cap=cap, history=[(LicenceAction.GRANT, start - 1100, "Approved."),
                                                            (LicenceAction.EXPIRE, start, "Validity ended.")])  # fmt: skip
        b.licence(key, number, services=services, countries=countries, start=start,
                  end=rng.randint(150, 1400), armed_cap=cap,
                  history=[(LicenceAction.GRANT, start, "Application approved after inspection.")])  # fmt: skip
        if key != "cairnhill":
            withdrawn = -rng.randint(10, 200) if key == "solent" else None
            b.add("registry.adherence", {
                "company": b.companies[key]["pk"], "standard": b.standards["icoc"],
                "signed_on": day(start + 30), "withdrawn_on": day(withdrawn) if withdrawn else None,
            })  # fmt: skip
        if rng.random() < 0.6:
            issued = start + rng.randint(60, 400)
            code = "iso28007" if key == "solent" else rng.choice(["psc1", "iso18788"])
            b.add("registry.certification", {
                "company": b.companies[key]["pk"], "standard": b.standards[code],
                "certifying_body": rng.choice(["Meridian Certification Bureau", "Oceanic Assurance Services"]),
                "certificate_number": f"{code.upper()}-{b.companies[key]['pk']:03d}", "scope": "",
                "issued_on": day(issued), "expires_on": day(issued + 1095),
            })  # fmt: skip
    _filler_contracts(b, target=74)


def _filler_contracts(b, target):
    rng = b.rng
    usable = [
        lic
        for lic in b.licences
        if lic["state"] != LicenceState.APPLIED and lic["state"] != LicenceState.REFUSED
    ]
    causes = list(CAUSES)
    made = 0
    while made < target:
        lic = rng.choice(usable)
        last_start = min(lic["active_until"] - 90, 150)
        if last_start <= lic["start"]:
            continue
        start = rng.randint(lic["start"], last_start)
        clients = [
            (key, c)
            for key, c in b.clients.items()
            if c["country"] in lic["countries"]
            and key != "HBL-PRIME"
            and _mission_open(b, key, start)
        ]
        if not clients:
            continue
        client_key, client = rng.choice(clients)
        end = start + rng.randint(90, 730)
        if lic["state"] != LicenceState.ACTIVE:
            end = min(end, lic["active_until"])
        services = rng.sample(sorted(lic["services"]), min(len(lic["services"]), rng.randint(1, 2)))
        armed = bool(set(services) & ARMED_SERVICES)
        local, intl, third = rng.randint(0, 60), rng.randint(0, 8), rng.randint(0, 10)
        if local + intl + third == 0:
            intl = 1
        armed_personnel = min(lic["cap"] or 0, rng.randint(1, local + intl + third)) if armed else 0
        status, reason = None, ""
        if end < 0 and rng.random() < 0.08:
            status, reason = ContractStatus.TERMINATED_CONVENIENCE, "Requirement ended early."
        elif end < 0 and causes and rng.random() < 0.1 and lic["company"] in FILLER_KEYS:
            # Only filler companies: a termination for cause would change a scenario's standing.
            status, reason = ContractStatus.TERMINATED_CAUSE, causes.pop()
        client["seq"] += 1
        b.contract(
            f"{client_key}/{client['seq'] + 200:04d}",
            client_key,
            lic["company"],
            services=services,
            countries=[client["country"]],
            start=start,
            end=end,
            status=status,
            termination_reason=reason,
            local=local,
            international=intl,
            third_country=third,
            armed_personnel=armed_personnel,
            value=rng.randint(40, 6000) * 1000,
            currency={"KE-ROADS": "KES", "EUSTM": "EUR"}.get(client_key, "USD"),
        )
        made += 1


def _mission_open(b, client_key, start) -> bool:
    mission = b.missions.get(client_key)
    if mission is None:
        return True
    return mission["start"] <= start and (mission["end"] is None or start <= mission["end"] - 60)
