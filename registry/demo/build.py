"""Deterministic generator of fixtures/demo.json (`manage.py build_demo_fixture`).

Every record is fictional. Dates are written relative to ANCHOR; the loader shifts them to today.
The named scenario companies (see README.md, "Demo scenarios") are written by hand in
scenarios.py; filler companies and the bulk of contracts come from a seeded random generator.
"""

import json
import random
from base64 import b32decode

from registry.choices import ContractStatus, LicenceState
from registry.services.licensing import TRANSITIONS

from . import DEMO_TOTP_SECRETS, DEMO_USERS
from .filler import add_filler
from .scenarios import add_scenarios
from .values import ANCHOR, ARMED_SERVICES, at, day

SEED = 20260115
_LOU_PREFIXES = ["5493", "2138", "9845", "6354"]


class Builder:
    """Collects fixture rows with explicit, stable primary keys."""

    def __init__(self):
        self.rows: list[dict] = []
        self._next: dict[str, int] = {}
        self.rng = random.Random(SEED)
        self.users: dict[str, int] = {}
        self.authorities: dict[str, int] = {}
        self.missions: dict[str, dict] = {}
        self.clients: dict[str, dict] = {}
        self.standards: dict[str, int] = {}
        self.companies: dict[str, dict] = {}
        self.licences: list[dict] = []
        self.contracts: list[dict] = []

    def add(self, model: str, fields: dict, pk=None, **extra) -> int:
        if pk is None:
            pk = self._next.get(model, 1)
            self._next[model] = pk + 1
        self.rows.append({"model": model, "pk": pk, "fields": fields, **extra})
        return pk

    # --- helpers used by the scenarios and the filler -------------------------------------

    def user(self, username, first, last, *, superuser=False):
        pk = self.add(
            "auth.user",
            {
                "username": username,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.pmsc-registry.example",
                "is_staff": True,
                "is_superuser": superuser,
                "is_active": True,
            },
            demo_password=DEMO_USERS[username],
        )
        self.users[username] = pk
        if username in DEMO_TOTP_SECRETS:
            # The demo user's authenticator (django-otp stores the secret in hex).
            key = b32decode(DEMO_TOTP_SECRETS[username]).hex()
            self.add(
                "otp_totp.totpdevice",
                {"user": pk, "name": "authenticator app (demo)", "confirmed": True, "key": key},
            )
        return pk

    def company(self, key, name, country, authority, reg, services, **fields):
        aliases = fields.pop("aliases", [])
        parent = fields.pop("parent", None)
        pk = self.add(
            "registry.company",
            {
                "legal_name": name,
                "home_country": country,
                "registering_authority": self.authorities[authority],
                "registration_number": reg,
                "parent": self.companies[parent]["pk"] if parent else None,
                "services": sorted(services),
                "lei": fields.pop("lei", None),
                "address": fields.pop("address", ""),
                "website": fields.pop("website", ""),
                **fields,
            },
        )
        for alias in aliases:
            self.add("registry.companyalias", {"company": pk, "name": alias})
        self.companies[key] = {
            "pk": pk,
            "name": name,
            "authority": authority,
            "services": set(services),
        }
        return pk

    def insurance(self, insurer, cover, currency, until_offset):
        return {
            "insurer": insurer,
            "insurance_cover": f"{cover:.2f}",
            "insurance_currency": currency,
            "insurance_valid_until": day(until_offset) if until_offset is not None else None,
        }

    def licence(
        self, company, number, *, services, countries, start, end, history, armed_cap=None, **kw
    ):
        """A licence and its event history. `history` is [(action, day offset, reason), ...]
        starting from `applied`; the final state follows from it."""
        authority = self.companies[company]["authority"]
        state: str = LicenceState.APPLIED
        events = []
        for action, offset, reason, *new_until in history:
            sources, target = TRANSITIONS[action]
            assert state in sources, (number, state, action)
            events.append((action, state, target, offset, reason, *new_until))
            state = target
        renewed_until = [e[5] for e in events if len(e) > 5]
        pk = self.add(
            "registry.licence",
            {
                "authority": self.authorities[authority],
                "number": number,
                "company": self.companies[company]["pk"],
                "services": sorted(services),
                "countries": sorted(countries),
                "subdivisions": kw.pop("subdivisions", []),
                "weapons_authorised": armed_cap is not None,
                "max_armed_personnel": armed_cap,
                "conditions": kw.pop("conditions", ""),
                "valid_from": day(start),
                "valid_until": day(renewed_until[-1] if renewed_until else end),
                "state": state,
                "state_changed_at": at(events[-1][3]) if events else None,
            },
        )
        actor = self.users["regulator"] if authority == "SSLB" else None
        for action, src, dst, offset, reason, *new_until in events:
            self.add(
                "registry.licenceevent",
                {
                    "licence": pk,
                    "action": action,
                    "from_state": src,
                    "to_state": dst,
                    "actor": actor,
                    "actor_label": "regulator" if actor else f"{authority.lower()}:casework",
                    "at": at(offset),
                    "reason": reason,
                    "valid_until": day(new_until[0]) if new_until else None,
                },
            )
        self.licences.append(
            {
                "company": company,
                "state": state,
                "services": set(services),
                "countries": set(countries),
                "start": start,
                "end": renewed_until[-1] if renewed_until else end,
                "active_until": (renewed_until[-1] if renewed_until else end)
                if state == LicenceState.ACTIVE
                else events[-1][3]
                if events
                else None,
                "cap": armed_cap,
            }
        )
        return pk

    def contract(self, reference, client, company, *, services, countries, start, end, **kw):
        client_row = self.clients[client]
        armed = bool(set(services) & ARMED_SERVICES)
        status = kw.pop("status", None) or _status_for(start, end)
        local = kw.pop("local", 10)
        intl = kw.pop("international", 2)
        third = kw.pop("third_country", 0)
        armed_personnel = kw.pop("armed_personnel", (local + intl + third) // 2 if armed else 0)
        pk = self.add(
            "registry.contract",
            {
                "reference": reference,
                "client": client_row["pk"],
                "company": self.companies[company]["pk"],
                "mission": kw.pop("mission", client_row["mission"]),
                "parent": kw.pop("parent", None),
                "title": kw.pop("title", ""),
                "services": sorted(services),
                "countries": sorted(countries),
                "armed": armed,
                "personnel_international": intl,
                "personnel_third_country": third,
                "personnel_local": local,
                "armed_personnel": armed_personnel,
                "value": f"{kw.pop('value', 250000):.2f}",
                "currency": kw.pop("currency", "USD"),
                "signed_on": day(start - kw.pop("signed_before", 21)),
                "start": day(start),
                "end": day(end),
                "status": status,
                "termination_reason": kw.pop("termination_reason", ""),
            },
        )
        assert not kw, kw
        self.contracts.append({"pk": pk, "company": company, "start": start, "end": end})
        return pk

    def fixture(self) -> dict:
        return {
            "anchor": ANCHOR.isoformat(),
            "note": "Fictional demo data for PMSC Registry. Load with `manage.py load_demo`, which"
            " shifts every date by the days between the anchor and today.",
            "objects": self.rows,
        }


def _status_for(start: int, end: int) -> str:
    if end < 0:
        return ContractStatus.COMPLETED
    if start > 0:
        return ContractStatus.PLANNED
    return ContractStatus.ACTIVE


def build() -> dict:
    b = Builder()
    add_scenarios(b)
    add_filler(b)
    return b.fixture()


def write(path) -> int:
    data = build()
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, ensure_ascii=False, sort_keys=False)
        fh.write("\n")
    return len(data["objects"])
