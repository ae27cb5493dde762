"""The hand-written demo scenarios: who shows which standing and which hiring-check verdict.

Day offsets are relative to the anchor (0 = the day the demo is loaded). README.md lists the
scenarios; keep both in step.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from registry.choices import (
    ClientKind,
    ContractStatus,
    IncidentCategory,
    IncidentSeverity,
    IncidentStatus,
    Organisation,
    PersonnelOrigin,
    Role,
    SanctionKind,
    SanctionScope,
    StandardKind,
    TrainingKind,
    VettingOutcome,
)
from registry.choices import LicenceAction as A

from .values import day, lei

ARMED_ESCORT, STATIC, UNARMED = "armed_escort", "armed_static_guarding", "unarmed_guarding"
CLOSE, MARITIME, RISK = "close_protection", "maritime_security", "risk_analysis"
TRAINING, LOGISTICS, DEMINING = "training_advising", "logistics_support", "demining_eod"


def add_scenarios(b) -> None:
    _reference(b)
    _companies(b)
    _contracts(b)
    _oversight(b)
    _people(b)


def _reference(b):
    for acronym, name, country in [
        ("SSLB", "Security Services Licensing Board", "KE"),
        ("PSOC", "Private Security Oversight Council", "ZA"),
        ("SCLO", "Security Contractors Licensing Office", "GB"),
        ("FOPS", "Federal Office for Private Security Services", "CH"),
    ]:
        b.authorities[acronym] = b.add(
            "registry.licensingauthority", {"name": name, "acronym": acronym, "country": country}
        )
    for acronym, org, name, countries, start, end in [
        ("UNISOM", Organisation.UN, "United Nations Integrated Stabilisation Mission in Somalia", ["SO"], -2200, None),
        ("AUTSM", Organisation.AU, "African Union Transition Support Mission in South Sudan", ["SS"], -1500, None),
        ("EUSTM", Organisation.EU, "European Union Security Training Mission in the Sahel", ["ML", "NE"], -2000, -150),
        ("UNVMCA", Organisation.UN, "United Nations Verification Mission in the Central African Republic", ["CF"], -1000, None),
        ("ESSM", Organisation.ECOWAS, "ECOWAS Stabilisation Support Mission", ["GW"], -900, None),
    ]:  # fmt: skip
        pk = b.add(
            "registry.mission",
            {
                "organisation": org,
                "name": name,
                "acronym": acronym,
                "countries": countries,
                "start": day(start),
                "end": day(end) if end is not None else None,
            },
        )
        b.missions[acronym] = {"pk": pk, "countries": countries, "start": start, "end": end}
    for key, name, kind, mission, country in [
        ("UNISOM", "UNISOM Mission Support Division", ClientKind.MISSION, "UNISOM", "SO"),
        ("AUTSM", "AUTSM Mission Support Office", ClientKind.MISSION, "AUTSM", "SS"),
        ("EUSTM", "EUSTM Administration", ClientKind.MISSION, "EUSTM", "ML"),
        ("UNVMCA", "UNVMCA Mission Support", ClientKind.MISSION, "UNVMCA", "CF"),
        ("ESSM", "ESSM Headquarters Logistics", ClientKind.MISSION, "ESSM", "GW"),
        ("UNDP-SO", "UNDP Somalia Country Office", ClientKind.UN_AGENCY, None, "SO"),
        ("KE-ROADS", "Kenya National Roads Programme", ClientKind.GOVERNMENT, None, "KE"),
        ("SAHEL-RELIEF", "Sahel Relief Alliance", ClientKind.NGO, None, "ML"),
        ("MERIDIAN", "Meridian Offshore Energy Ltd", ClientKind.COMPANY, None, "KE"),
    ]:
        mission_pk = b.missions[mission]["pk"] if mission else None
        pk = b.add(
            "registry.client",
            {"name": name, "kind": kind, "mission": mission_pk, "country": country},
        )
        b.clients[key] = {"pk": pk, "mission": mission_pk, "country": country, "seq": 0}
    for code, name, standard_kind, issuer in [
        ("icoc", "International Code of Conduct for Private Security Service Providers", StandardKind.CODE_OF_CONDUCT, "ICoCA"),
        ("psc1", "ANSI/ASIS PSC.1 Management System for Quality of Private Security Company Operations", StandardKind.MANAGEMENT_STANDARD, "ASIS International / ANSI"),
        ("iso18788", "ISO 18788 Management system for private security operations", StandardKind.MANAGEMENT_STANDARD, "ISO"),
        ("iso28007", "ISO 28007 Private maritime security companies providing armed guards on board ships", StandardKind.MANAGEMENT_STANDARD, "ISO"),
    ]:  # fmt: skip
        b.standards[code] = b.add(
            "registry.conductstandard",
            {"code": code, "name": name, "kind": standard_kind, "issuer": issuer},
        )
    b.user("regulator", "Wanjiru", "Kamau")
    b.user("mission", "Amara", "Diallo")
    b.user("auditor", "Lena", "Brandt")
    b.user("admin", "Demo", "Administrator", superuser=True)
    b.add("registry.profile", {"user": b.users["regulator"], "role": Role.REGULATOR,
          "authority": b.authorities["SSLB"], "missions": []})  # fmt: skip
    b.add("registry.profile", {"user": b.users["mission"], "role": Role.MISSION_STAFF,
          "authority": None, "missions": [b.missions["UNISOM"]["pk"], b.missions["AUTSM"]["pk"]]})  # fmt: skip
    b.add("registry.profile", {"user": b.users["auditor"], "role": Role.AUDITOR, "authority": None, "missions": []})  # fmt: skip
    b.add("registry.profile", {"user": b.users["admin"], "role": Role.ADMIN, "authority": None, "missions": []})  # fmt: skip


def _adhere(b, company, code, signed, withdrawn=None):
    b.add(
        "registry.adherence",
        {
            "company": b.companies[company]["pk"],
            "standard": b.standards[code],
            "signed_on": day(signed),
            "withdrawn_on": day(withdrawn) if withdrawn is not None else None,
        },
    )


def _certify(b, company, code, issued, expires, body="Meridian Certification Bureau"):
    b.add(
        "registry.certification",
        {
            "company": b.companies[company]["pk"],
            "standard": b.standards[code],
            "certifying_body": body,
            "certificate_number": f"{code.upper()}-{b.companies[company]['pk']:03d}-{issued % 1000:03d}",
            "scope": "Security operations in the licensed countries.",
            "issued_on": day(issued),
            "expires_on": day(expires),
        },
    )


def _companies(b):
    ins = b.insurance
    b.company("harbourline", "Harbourline Security Group plc", "GB", "SCLO", "GB-SC-004211",
              [RISK, CLOSE, TRAINING], lei=lei("213800HBLGRP"), website="https://harbourline.example",
              address="14 Quayside Row, Bristol", **ins("Lantern Mutual Insurance", 25_000_000, "GBP", 300))  # fmt: skip
    b.company("harbourline_ke", "Harbourline Security Kenya Ltd", "KE", "SSLB", "PVT-2011-0482",
              [STATIC, ARMED_ESCORT, UNARMED, CLOSE], parent="harbourline", lei=lei("5493HBLKENYA"),
              aliases=["Harbourline East Africa", "HSK Guarding"], address="Mombasa Road, Nairobi",
              **ins("Lantern Mutual Insurance", 10_000_000, "USD", 240))  # fmt: skip
    b.company("harbourline_maritime", "Harbourline Maritime Services Ltd", "GB", "SCLO", "GB-SC-007730",
              [MARITIME], parent="harbourline", aliases=["HMS Marine Guard"],
              **ins("Lantern Mutual Insurance", 15_000_000, "USD", 180))  # fmt: skip
    b.company("kestrel", "Kestrel Ridge Protection Ltd", "KE", "SSLB", "PVT-2014-1170",
              [STATIC, UNARMED], aliases=["Kestrel Guards"], **ins("Acacia General Insurance", 2_000_000, "KES", 200))  # fmt: skip
    b.company("baobab", "Baobab Guarding Services Ltd", "KE", "SSLB", "PVT-2009-0215",
              [UNARMED, LOGISTICS], lei=lei("5493BAOBABGS"), **ins("Acacia General Insurance", 1_500_000, "USD", 150))  # fmt: skip
    b.company("tamarind", "Tamarind Risk Services (Pty) Ltd", "ZA", "PSOC", "2012/104455/07",
              [ARMED_ESCORT, CLOSE, RISK], aliases=["Tamarind Risk"], **ins("Fynbos Assurance", 5_000_000, "ZAR", 120))  # fmt: skip
    b.company("ironwood", "Ironwood Escort Solutions (Pty) Ltd", "ZA", "PSOC", "2008/009871/07",
              [ARMED_ESCORT, STATIC], aliases=["Ironwood Convoy", "IES Africa"],
              **ins("Fynbos Assurance", 3_000_000, "USD", 60))  # fmt: skip
    b.company("savanna", "Savanna Shield Security Ltd", "KE", "SSLB", "PVT-2024-3381",
              [STATIC, UNARMED], **ins("Acacia General Insurance", 1_000_000, "USD", 360))  # fmt: skip
    b.company("ember", "Ember Rock Protection Ltd", "KE", "SSLB", "PVT-2023-2904", [STATIC])  # fmt: skip
    b.company("highveld", "Highveld Sentinel Security (Pty) Ltd", "ZA", "PSOC", "2010/221904/07",
              [STATIC, UNARMED], **ins("Fynbos Assurance", 2_500_000, "ZAR", -100))  # fmt: skip
    b.company("marula", "Marula Protective Services Ltd", "KE", "SSLB", "PVT-2016-1903",
              [UNARMED, STATIC], **ins("Acacia General Insurance", 800_000, "USD", -40))  # fmt: skip
    b.company("cobalt", "Cobalt Crest Risk Advisory Ltd", "GB", "SCLO", "GB-SC-009112",
              [RISK, TRAINING], lei=lei("2138COBALTCR"), aliases=["Cobalt Crest"],
              **ins("Lantern Mutual Insurance", 5_000_000, "GBP", 280))  # fmt: skip
    b.company("kilima", "Kilima Guard Services Ltd", "KE", "SSLB", "PVT-2015-0660",
              [STATIC, UNARMED], **ins("Acacia General Insurance", 3_000_000, "USD", 210))  # fmt: skip
    b.company("lakeshore", "Lakeshore Demining Trust SA", "CH", "FOPS", "CHE-114.902.377",
              [DEMINING, LOGISTICS], lei=lei("5067LAKESHORE"), **ins("Alpina Re", 8_000_000, "CHF", 330))  # fmt: skip

    b.licence("harbourline", "SCLO-2021-0117", services=[RISK, CLOSE, TRAINING], countries=["GB", "KE", "SO"],
              start=-1700, end=500, armed_cap=20, history=[(A.GRANT, -1700, "Application approved after inspection.")])  # fmt: skip
    b.licence("harbourline_ke", "SSLB/PSC/2019/0042", services=[STATIC, ARMED_ESCORT, UNARMED], countries=["KE", "SO"],
              start=-2400, end=-1300, armed_cap=100,
              history=[(A.GRANT, -2400, "First licence after fit-and-proper review."),
                       (A.EXPIRE, -1299, "Validity ended.")])  # fmt: skip
    b.licence("harbourline_ke", "SSLB/PSC/2022/0311", services=[STATIC, ARMED_ESCORT, UNARMED, CLOSE], countries=["KE", "SO"],
              start=-1290, end=-200, armed_cap=150, subdivisions=["KE-30", "KE-28"],
              conditions="Firearms register to be filed quarterly.",
              history=[(A.GRANT, -1290, "Renewal application approved; new licence number."),
                       (A.RENEW, -230, "Annual inspection passed; three-year renewal.", 800)])  # fmt: skip
    b.licence("harbourline_maritime", "SCLO-2023-0402", services=[MARITIME], countries=["GB", "KE", "SO", "TZ"],
              start=-900, end=900, armed_cap=40, history=[(A.GRANT, -900, "Maritime licence granted.")])  # fmt: skip
    b.licence("kestrel", "SSLB/PSC/2021/0158", services=[STATIC, UNARMED], countries=["KE"],
              start=-1500, end=45, armed_cap=30, history=[(A.GRANT, -1500, "Approved.")])  # fmt: skip
    b.licence("baobab", "SSLB/PSC/2023/0520", services=[UNARMED, LOGISTICS], countries=["KE", "SO"],
              start=-700, end=700, history=[(A.GRANT, -700, "Approved for unarmed services only.")])  # fmt: skip
    b.licence("tamarind", "PSOC-L-2020-7781", services=[ARMED_ESCORT, CLOSE, RISK], countries=["ZA", "SS", "SO"],
              start=-1800, end=500, armed_cap=60,
              history=[(A.GRANT, -1800, "Approved."),
                       (A.SUSPEND, -60, "Firearms register not produced at inspection; suspended pending audit.")])  # fmt: skip
    b.licence("ironwood", "PSOC-L-2018-3305", services=[ARMED_ESCORT, STATIC], countries=["ZA", "SO", "SS"],
              start=-2500, end=-1400, armed_cap=200,
              history=[(A.GRANT, -2500, "Approved."),
                       (A.RENEW, -1420, "Renewed for three years.", 400),
                       (A.SUSPEND, -410, "Fatal shooting at a checkpoint under investigation."),
                       (A.REVOKE, -300, "Unlawful use of force substantiated; licence revoked.")])  # fmt: skip
    b.licence("savanna", "SSLB/PSC/2025/0907", services=[STATIC, UNARMED], countries=["KE"],
              start=0, end=1095, armed_cap=25, history=[])  # fmt: skip
    b.licence("ember", "SSLB/PSC/2025/0611", services=[STATIC], countries=["KE"], start=-200, end=900,
              armed_cap=10, history=[(A.REFUSE, -150, "Directors failed the fit-and-proper test.")])  # fmt: skip
    b.licence("highveld", "PSOC-L-2019-5120", services=[STATIC, UNARMED], countries=["ZA"], start=-1600,
              end=200, armed_cap=40, history=[(A.GRANT, -1600, "Approved."),
                                              (A.SURRENDER, -90, "Company ceased trading; licence handed back.")])  # fmt: skip
    b.licence("marula", "SSLB/PSC/2022/0777", services=[UNARMED, STATIC], countries=["KE"], start=-1100,
              end=-5, armed_cap=12, history=[(A.GRANT, -1100, "Approved.")])  # fmt: skip
    b.licence("cobalt", "SCLO-2022-0230", services=[RISK, TRAINING], countries=["GB", "KE", "SO", "ML", "NE"],
              start=-1200, end=600, history=[(A.GRANT, -1200, "Approved; no weapons.")])  # fmt: skip
    b.licence("kilima", "SSLB/PSC/2024/0098", services=[STATIC, UNARMED], countries=["KE", "SO"],
              start=-600, end=900, armed_cap=60, history=[(A.GRANT, -600, "Approved.")])  # fmt: skip
    b.licence("lakeshore", "FOPS-2023-017", services=[DEMINING, LOGISTICS], countries=["CH", "SS", "CF", "ML"],
              start=-800, end=1000, history=[(A.GRANT, -800, "Declaration accepted.")])  # fmt: skip

    for key, signed in [("harbourline", -2000), ("harbourline_ke", -1900), ("harbourline_maritime", -800),
                        ("kestrel", -1200), ("baobab", -1500), ("tamarind", -1600), ("savanna", -30),
                        ("cobalt", -1100), ("kilima", -500), ("marula", -900)]:  # fmt: skip
        _adhere(b, key, "icoc", signed)
    _adhere(b, "ironwood", "icoc", -2300, withdrawn=-320)
    _certify(b, "harbourline", "iso18788", -500, 595)
    _certify(b, "harbourline_ke", "psc1", -1400, -305)
    _certify(b, "harbourline_ke", "psc1", -310, 785)
    _certify(b, "harbourline_maritime", "iso28007", -400, 695, body="Oceanic Assurance Services")
    _certify(b, "baobab", "psc1", -1125, -30)
    _certify(b, "tamarind", "iso18788", -900, 195, body="Oceanic Assurance Services")
    _certify(b, "ironwood", "psc1", -1500, -400)


def _contracts(b):
    b.contract("UNISOM/PSS/0101", "UNISOM", "harbourline_ke", services=[ARMED_ESCORT, STATIC], countries=["SO"],
               start=-300, end=400, international=4, third_country=6, local=30, armed_personnel=24,
               value=4_800_000, title="Convoy escort and compound security, Mogadishu and Baidoa")  # fmt: skip
    b.contract("UNDP-SO/SEC/044", "UNDP-SO", "harbourline_ke", services=[STATIC], countries=["SO"],
               start=-100, end=265, local=18, international=1, value=900_000,
               title="Static guarding of programme offices")  # fmt: skip
    b.contract("UNISOM/PSS/0117", "UNISOM", "kilima", services=[STATIC, UNARMED], countries=["SO"],
               start=-60, end=300, international=1, local=12, armed_personnel=6, value=1_100_000,
               title="Perimeter security, Kismayo logistics base")  # fmt: skip
    b.contract("UNISOM/PSS/0088", "UNISOM", "ironwood", services=[ARMED_ESCORT], countries=["SO"],
               start=-800, end=-380, status=ContractStatus.TERMINATED_CAUSE, international=6, local=20,
               value=3_200_000, termination_reason="Unlawful use of force at a checkpoint (incident substantiated).")  # fmt: skip
    b.contract("AUTSM/SEC/0012", "AUTSM", "tamarind", services=[ARMED_ESCORT, CLOSE], countries=["SS"],
               start=-200, end=160, international=8, third_country=4, local=10, value=2_600_000)  # fmt: skip
    b.contract("KNRP/2024/17", "KE-ROADS", "kestrel", services=[STATIC], countries=["KE"],
               start=-150, end=120, local=40, armed_personnel=20, currency="KES", value=48_000_000)  # fmt: skip
    b.contract("MOE/SEC/003", "MERIDIAN", "harbourline_maritime", services=[MARITIME], countries=["KE", "TZ"],
               start=-365, end=365, international=12, armed_personnel=12, local=0, value=2_100_000)  # fmt: skip
    b.contract("UNVMCA/EOD/0004", "UNVMCA", "lakeshore", services=[DEMINING], countries=["CF"],
               start=-400, end=330, international=10, local=35, currency="EUR", value=5_400_000)  # fmt: skip
    # Harbourline Kenya as prime contractor subcontracts part of its UNISOM work.
    prime = b.contracts[0]["pk"]
    b.clients["HBL-PRIME"] = {
        "pk": b.add("registry.client", {"name": "Harbourline Security Kenya Ltd (prime contractor)",
                                        "kind": ClientKind.COMPANY, "mission": None, "country": "KE"}),
        "mission": b.missions["UNISOM"]["pk"], "country": "SO", "seq": 0,
    }  # fmt: skip
    b.contract("HSK/SUB/001", "HBL-PRIME", "kilima", services=[UNARMED], countries=["SO"], parent=prime,
               start=-280, end=380, local=15, international=0, value=320_000)  # fmt: skip
    b.contract("HSK/SUB/002", "HBL-PRIME", "cobalt", services=[RISK], countries=["SO"], parent=prime,
               start=-290, end=-10, local=0, international=2, value=140_000, currency="GBP")  # fmt: skip
    b.contract("HSK/SUB/003", "HBL-PRIME", "baobab", services=[LOGISTICS], countries=["SO"], parent=prime,
               start=-250, end=400, local=20, international=0, value=410_000)  # fmt: skip


def _oversight(b):
    terminated = next(c["pk"] for c in b.contracts if c["company"] == "ironwood")
    for company, contract, offset, country, category, severity, status, summary in [
        ("ironwood", terminated, -420, "SO", IncidentCategory.USE_OF_FORCE, IncidentSeverity.CRITICAL,
         IncidentStatus.SUBSTANTIATED, "Escort team opened fire at a checkpoint; one civilian killed."),
        ("kestrel", None, -20, "KE", IncidentCategory.WEAPONS_DISCHARGE, IncidentSeverity.SERIOUS,
         IncidentStatus.UNDER_INVESTIGATION, "Guard discharged a firearm during a dispute at a site gate."),
        ("harbourline_ke", b.contracts[0]["pk"], -200, "SO", IncidentCategory.MISCONDUCT, IncidentSeverity.MINOR,
         IncidentStatus.CLOSED, "Guard found asleep on duty; disciplined."),
        ("baobab", None, -800, "KE", IncidentCategory.HUMAN_RIGHTS, IncidentSeverity.MODERATE,
         IncidentStatus.UNSUBSTANTIATED, "Complaint of rough treatment at a warehouse gate."),
        ("tamarind", None, -75, "SS", IncidentCategory.INJURY_OR_DEATH, IncidentSeverity.SERIOUS,
         IncidentStatus.SUBSTANTIATED, "Convoy vehicle accident with an unlicensed driver; two injured."),
    ]:  # fmt: skip
        b.add("registry.incident", {
            "company": b.companies[company]["pk"], "contract": contract, "occurred_on": day(offset),
            "country": country, "category": category, "severity": severity, "status": status,
            "summary": summary,
        })  # fmt: skip
    for company, imposer, kind, scope, start, end, reason, lifted in [
        ("ironwood", ("imposed_by_mission", b.missions["UNISOM"]["pk"]), SanctionKind.DEBARMENT,
         (SanctionScope.GLOBAL, None), -350, None, "Debarred after the substantiated checkpoint shooting.", None),
        ("tamarind", ("imposed_by_authority", b.authorities["PSOC"]), SanctionKind.FINE,
         (SanctionScope.COUNTRY, "ZA"), -60, -60, "Fine for failing to keep a firearms register.", None),
        ("baobab", ("imposed_by_client", b.clients["UNDP-SO"]["pk"]), SanctionKind.CONTRACTING_SUSPENSION,
         (SanctionScope.COUNTRY, "SO"), -1300, None, "Suspended pending review of invoicing.", -1100),
        ("kestrel", ("imposed_by_authority", b.authorities["SSLB"]), SanctionKind.WARNING,
         (SanctionScope.GLOBAL, None), -500, -500, "Late filing of the annual return.", None),
    ]:  # fmt: skip
        b.add("registry.sanction", {
            "company": b.companies[company]["pk"], imposer[0]: imposer[1], "kind": kind,
            "scope": scope[0], "scope_country": scope[1], "start": day(start),
            "end": day(end) if end is not None else None, "reason": reason,
            "lifted_on": day(lifted) if lifted is not None else None,
            "lifted_reason": "Review closed without findings." if lifted is not None else "",
        })  # fmt: skip


def _people(b):
    """Personnel on the two UNISOM guarding contracts: clean at Harbourline, red flags at Kilima."""
    hsk, kilima = b.contracts[0]["pk"], b.contracts[2]["pk"]
    clean = {"outcome": VettingOutcome.CLEARED}
    both = [TrainingKind.USE_OF_FORCE, TrainingKind.HUMAN_RIGHTS]
    # (name, nationality, document, company, contract, role, armed, origin, vetting flags or None, trainings)
    people: list[
        tuple[str, str, str, str, int, str, bool, str, Mapping[str, Any] | None, Sequence[str]]
    ] = [
        ("Thomas Ashworth", "GB", "GB-533104877", "harbourline_ke", hsk, "Team leader", True, PersonnelOrigin.INTERNATIONAL, clean, both),
        ("Fiona McLeish", "GB", "GB-540092214", "harbourline_ke", hsk, "Operations manager", False, PersonnelOrigin.INTERNATIONAL, clean, both),
        ("Joseph Okello", "UG", "UG-B1220934", "harbourline_ke", hsk, "Escort driver", True, PersonnelOrigin.THIRD_COUNTRY, clean, both),
        ("Faduma Hassan Nur", "SO", "SO-P0033817", "harbourline_ke", hsk, "Guard", True, PersonnelOrigin.LOCAL, clean, both),
        ("Abdullahi Warsame Ali", "SO", "SO-P0041290", "harbourline_ke", hsk, "Guard", True, PersonnelOrigin.LOCAL, clean, both),
        ("Ilhan Mohamed Yusuf", "SO", "SO-P0052018", "harbourline_ke", hsk, "Radio operator", False, PersonnelOrigin.LOCAL, clean, []),
        ("Daniel Kiprono Ruto", "KE", "KE-30221876", "kilima", kilima, "Site supervisor", True, PersonnelOrigin.INTERNATIONAL, clean, both),
        ("Abdirahman Yusuf Farah", "SO", "SO-P0060771", "kilima", kilima, "Guard", True, PersonnelOrigin.LOCAL,
         {"outcome": VettingOutcome.CLEARED, "ddr_participant": True, "former_security_forces": True,
          "notes": "Enrolled in the national DDR programme."}, both),
        ("Hodan Ali Warsame", "SO", "SO-P0061402", "kilima", kilima, "Guard", True, PersonnelOrigin.LOCAL,
         {"outcome": VettingOutcome.CLEARED, "serving_security_forces": True, "notes": "Serving police constable."}, both),
        ("Mohamed Osman Jama", "SO", "SO-P0063355", "kilima", kilima, "Guard", True, PersonnelOrigin.LOCAL, None, []),
        ("Said Abdi Hirsi", "SO", "SO-P0064120", "kilima", kilima, "Guard", True, PersonnelOrigin.LOCAL,
         {"outcome": VettingOutcome.CLEARED, "former_security_forces": True, "left_security_forces_on": -100}, [TrainingKind.USE_OF_FORCE]),
        ("Peter Otieno Mwangi", "KE", "KE-28760112", "kilima", kilima, "Guard", True, PersonnelOrigin.THIRD_COUNTRY,
         {"outcome": VettingOutcome.CLEARED, "dismissed_for_misconduct": True,
          "notes": "Dismissed by Ironwood Escort Solutions after the checkpoint incident."}, both),
        ("Amina Sheikh Omar", "SO", "SO-P0065009", "kilima", kilima, "Access control", False, PersonnelOrigin.LOCAL, clean, []),
        ("Yusuf Ahmed Gedi", "SO", "SO-P0066781", "kilima", kilima, "Guard", False, PersonnelOrigin.LOCAL,
         {"outcome": VettingOutcome.CLEARED, "former_security_forces": True, "left_security_forces_on": -200}, []),
    ]  # fmt: skip
    for i, (
        name,
        nationality,
        document,
        company,
        contract,
        role,
        armed,
        origin,
        vetting,
        trainings,
    ) in enumerate(people):
        birth = -365 * (24 + (i * 7) % 22) - i * 31
        person = b.add(
            "registry.person",
            {"full_name": name, "date_of_birth": day(birth), "nationality": nationality},
            identity_document=[nationality, document],
        )
        if name == "Peter Otieno Mwangi":
            b.add("registry.employment", {
                "person": person, "company": b.companies["ironwood"]["pk"], "contract": b.contracts[3]["pk"],
                "role": "Escort guard", "armed": True, "origin": PersonnelOrigin.THIRD_COUNTRY,
                "start": day(-790), "end": day(-400),
            })  # fmt: skip
        b.add("registry.employment", {
            "person": person, "company": b.companies[company]["pk"], "contract": contract, "role": role,
            "armed": armed, "origin": origin, "start": day(-280 if contract == hsk else -55), "end": None,
        })  # fmt: skip
        if vetting is not None:
            flags = dict(vetting)
            if "left_security_forces_on" in flags:
                flags["left_security_forces_on"] = day(flags["left_security_forces_on"])
            b.add("registry.vetting", {
                "person": person, "company": b.companies[company]["pk"], "vetted_on": day(-300 if contract == hsk else -70),
                "vetted_by": "Harbourline HR vetting cell" if contract == hsk else "Kilima recruitment office", **flags,
            })  # fmt: skip
        for kind in trainings:
            b.add("registry.training", {
                "person": person, "kind": kind, "completed_on": day(-320 if contract == hsk else -65),
                "provider": "East Africa Security Training Centre", "expires_on": day(400),
            })  # fmt: skip
