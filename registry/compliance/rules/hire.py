"""Rules about a proposed hire or a current contract (subject: hire).

A stored contract is checked like a hire from the later of its start and today, so a contract
that began under an earlier licence is judged on the period still ahead of it.
"""

import datetime as dt
from collections.abc import Iterable, Iterator

from registry.choices import EXCLUDING_SANCTIONS, SanctionScope
from registry.choices import Severity as S
from registry.models import Licence, Sanction

from ..base import HIRE, Audience, Hit, Reads, rule
from ..facts import Engagement, LicenceFacts
from .company import SAN_DEBARRED, sanction_label


def _pairs(h: Engagement) -> list[tuple[str, str]]:
    return [(c, s) for c in h.countries for s in h.services]


def _covered(h: Engagement, on: dt.date) -> list[tuple[str, str, list[LicenceFacts]]]:
    """(country, service, covering licences) for every pair some usable licence covers."""
    return [(c, s, lvs) for c, s in _pairs(h) if (lvs := h.covering(on, c, s))]


def _for_services(h: Engagement, on: dt.date, country: str) -> list[LicenceFacts]:
    """Usable licences covering `country` and at least one requested service."""
    return [lv for lv in h.covering(on, country) if lv.services & set(h.services)]


def _gaps(pairs: Iterable[tuple[str, str | None]]) -> str:
    return ", ".join(f"{s} in {c}" for c, s in pairs)


LIC_COUNTRY = rule(
    "LIC-COUNTRY",
    severity=S.BLOCKER,
    subject=HIRE,
    reads=(Reads.CONTRACTS, Reads.LICENCES),
    audience=Audience.OVERSIGHT,
    title="No licence for the country",
    source="Montreux Document GP 57",
    explanation="No active licence covers a country where the work is to be performed.",
)


@LIC_COUNTRY.check(HIRE)
def _lic_country(h: Engagement, on: dt.date) -> Iterator[Hit]:
    missing = [c for c in h.countries if not h.covering(on, c)]
    if missing:
        yield Hit(
            h.key,
            f"No active licence of {h.company_name} covers {', '.join(missing)}.",
            h.contract_id,
        )


LIC_SERVICE = rule(
    "LIC-SERVICE",
    severity=S.BLOCKER,
    subject=HIRE,
    reads=(Reads.CONTRACTS, Reads.LICENCES),
    audience=Audience.OVERSIGHT,
    title="Service not licensed",
    source="Montreux Document GP 57",
    explanation=(
        "The company is licensed in the country, but no active licence there covers a requested"
        " service."
    ),
)


@LIC_SERVICE.check(HIRE)
def _lic_service(h: Engagement, on: dt.date) -> Iterator[Hit]:
    gaps = [(c, s) for c, s in _pairs(h) if h.covering(on, c) and not h.covering(on, c, s)]
    if gaps:
        yield Hit(h.key, f"No active licence covers {_gaps(gaps)}.", h.contract_id)


LIC_PERIOD = rule(
    "LIC-PERIOD",
    severity=S.BLOCKER,
    subject=HIRE,
    reads=(Reads.CONTRACTS, Reads.LICENCES),
    audience=Audience.OVERSIGHT,
    title="Start outside licence validity",
    source="Montreux Document GP 9",
    explanation="The work starts on a date outside the validity of the licence that covers it.",
)


@LIC_PERIOD.check(HIRE)
def _lic_period(h: Engagement, on: dt.date) -> Iterator[Hit]:
    gaps: list[tuple[str, str | None]] = []
    spans: set[str] = set()
    for c, s, lvs in _covered(h, on):
        if not any(lv.licence.valid_from <= h.start <= lv.licence.valid_until for lv in lvs):
            gaps.append((c, s))
            spans.update(
                f"{lv.licence.number}: {lv.licence.valid_from} to {lv.licence.valid_until}"
                for lv in lvs
            )
    if gaps:
        yield Hit(
            h.key,
            f"Start {h.start} is outside the licence validity ({'; '.join(sorted(spans))})"
            f" for {_gaps(gaps)}.",
            h.contract_id,
        )


LIC_RENEWAL = rule(
    "LIC-RENEWAL",
    severity=S.WARNING,
    subject=HIRE,
    reads=(Reads.CONTRACTS, Reads.LICENCES),
    audience=Audience.OVERSIGHT,
    title="Licence ends before the work",
    source="National registers' expiry practice",
    explanation="The work ends after the covering licence expires: it must be renewed in time.",
)


@LIC_RENEWAL.check(HIRE)
def _lic_renewal(h: Engagement, on: dt.date) -> Iterator[Hit]:
    gaps: list[tuple[str, str | None]] = []
    expiries: set[str] = set()
    for c, s, lvs in _covered(h, on):
        started = [lv for lv in lvs if lv.licence.valid_from <= h.start <= lv.licence.valid_until]
        if started and not any(lv.licence.valid_until >= h.end for lv in started):
            gaps.append((c, s))
            expiries.update(f"{lv.licence.number} on {lv.licence.valid_until}" for lv in started)
    if gaps:
        yield Hit(
            h.key,
            f"End {h.end} is after the licence expires ({'; '.join(sorted(expiries))})"
            f" for {_gaps(gaps)}.",
            h.contract_id,
        )


ARM_NOT_AUTHORISED = rule(
    "ARM-NOT-AUTHORISED",
    severity=S.BLOCKER,
    subject=HIRE,
    reads=(Reads.CONTRACTS, Reads.LICENCES),
    audience=Audience.OVERSIGHT,
    title="Weapons not authorised",
    source="Montreux Document GP 9; ICoC (weapons)",
    explanation=(
        "Armed service is requested but the licence covering it does not authorise weapons."
    ),
)


@ARM_NOT_AUTHORISED.check(HIRE)
def _arm_not_authorised(h: Engagement, on: dt.date) -> Iterator[Hit]:
    if not h.armed:
        return
    unarmed = [
        c
        for c in h.countries
        if (lvs := _for_services(h, on, c)) and not any(lv.licence.weapons_authorised for lv in lvs)
    ]
    if unarmed:
        yield Hit(
            h.key,
            f"Armed service requested, but no licence authorises weapons in {', '.join(unarmed)}.",
            h.contract_id,
        )


ARM_CAP = rule(
    "ARM-CAP",
    severity=S.BLOCKER,
    subject=HIRE,
    reads=(Reads.CONTRACTS, Reads.LICENCES),
    audience=Audience.OVERSIGHT,
    title="Too many armed personnel",
    source="Licence conditions",
    explanation=(
        "The planned armed personnel, counted with those of the company's other planned or active"
        " contracts under the same licence at the same time (for any mission or client), exceed"
        " the maximum the licence allows."
    ),
)


def _concurrent_armed(h: Engagement, lv: LicenceFacts) -> tuple[int, list[Engagement]]:
    """The armed personnel of the company's other current contracts in a country of licence
    `lv` at the busiest day of the hire's period, and those contracts.

    `h.others` never holds `h` itself, and holds only planned or active contracts not ended
    (load_contracts), so terminated and completed contracts do not count.
    """
    spans = []
    for o in h.others:
        if o.armed and o.armed_personnel and lv.countries.intersection(o.countries):
            start, end = max(o.stored.start, h.start), min(o.end, h.end)
            if start <= end:
                spans.append((start, end, o))
    # Sweep the days where the count changes: a contract counts from its start to its end,
    # both included, so it leaves the day after its end (leaving sorts before arriving).
    events = sorted(
        [(s, 1, o.armed_personnel) for s, _, o in spans]
        + [(e + dt.timedelta(days=1), 0, -o.armed_personnel) for _, e, o in spans]
    )
    peak, peak_day, running = 0, None, 0
    for day, _, delta in events:
        running += delta
        if running > peak:
            peak, peak_day = running, day
    at_peak = [o for s, e, o in spans if peak_day is not None and s <= peak_day <= e]
    return peak, sorted(at_peak, key=lambda o: o.stored.reference)


@ARM_CAP.check(HIRE)
def _arm_cap(h: Engagement, on: dt.date) -> Iterator[Hit]:
    """Over the cap when, in a country of the hire, even the covering licence with the most room
    cannot take the hire's armed personnel beside those of the company's concurrent contracts
    in that licence's countries. A licence without a cap covering the country leaves it
    uncapped.

    Two stored contracts that only together exceed the cap both get the finding: neither is
    over alone, and either may be the one to reduce, so the rule does not pick one by date.
    """
    if not (h.armed and h.armed_personnel):
        return
    # licence pk -> (licence, concurrent armed, those contracts, countries over the cap)
    over: dict[int, tuple[Licence, int, list[Engagement], list[str]]] = {}
    for c in h.countries:
        armed = [lv for lv in _for_services(h, on, c) if lv.licence.weapons_authorised]
        caps = {lv.licence.pk: lv.licence.max_armed_personnel for lv in armed}
        if not armed or None in caps.values():
            continue
        loads = [(lv, *_concurrent_armed(h, lv)) for lv in armed]
        # The licence with the most room left is the one the hire would rely on.
        lv, n, with_ = min(
            loads, key=lambda x: (x[1] - (caps[x[0].licence.pk] or 0), x[0].licence.pk)
        )
        if h.armed_personnel + n > (caps[lv.licence.pk] or 0):
            over.setdefault(lv.licence.pk, (lv.licence, n, with_, []))[3].append(c)
    parts = []
    for lic, n, with_, countries in over.values():
        limit = (
            f"licence {lic.number} allows in {', '.join(countries)}"
            f" (at most {lic.max_armed_personnel})"
        )
        if with_:
            named = ", ".join(
                f"{o.stored.reference} for {o.stored.mission or o.stored.client}"
                f" ({o.armed_personnel} armed)"
                for o in with_
            )
            parts.append(
                f"{h.armed_personnel} armed personnel planned and {n} at the same time on the"
                f" company's contracts {named}: {h.armed_personnel + n} in all, more than {limit}."
            )
        else:
            parts.append(f"{h.armed_personnel} armed personnel planned, more than {limit}.")
    if parts:
        yield Hit(h.key, " ".join(parts), h.contract_id)


def sanctions_in_scope(h: Engagement, *, include_global: bool = True) -> Iterator[Sanction]:
    """Exclusions (debarment, suspension) of the company in force during the hire, in its scope."""
    for s in h.sanctions:
        if s.kind not in EXCLUDING_SANCTIONS or s.person_id is not None or s.lifted_on:
            continue
        if s.start > h.end or (s.end is not None and s.end < h.start):
            continue
        if (
            (s.scope == SanctionScope.GLOBAL and include_global)
            or (s.scope == SanctionScope.COUNTRY and s.scope_country_id in h.countries)
            or (s.scope == SanctionScope.MISSION and s.scope_mission_id == h.mission_id)
        ):
            yield s


@SAN_DEBARRED.check(HIRE)
def _san_debarred_hire(h: Engagement, on: dt.date) -> Iterator[Hit]:
    # A global exclusion of a stored contract's company is already a company finding.
    for s in sanctions_in_scope(h, include_global=h.contract is None):
        yield Hit(f"{h.key}:sanction:{s.pk}", sanction_label(s) + ".", h.contract_id)


CTR_SIGNED_UNLICENSED = rule(
    "CTR-SIGNED-UNLICENSED",
    severity=S.WARNING,
    subject=HIRE,
    reads=(Reads.CONTRACTS, Reads.LICENCES),
    audience=Audience.OVERSIGHT,
    title="Contract signed without a licence",
    source="Oversight red flag",
    explanation=(
        "The contract was signed on a day no licence covering its countries and services was"
        " active."
    ),
)


@CTR_SIGNED_UNLICENSED.check(HIRE)
def _ctr_signed_unlicensed(h: Engagement, on: dt.date) -> Iterator[Hit]:
    if h.signed_on is None:
        return
    gaps = [
        (c, s)
        for c, s in _pairs(h)
        if not any(
            c in lv.countries and s in lv.services and lv.was_active_on(h.signed_on)
            for lv in h.licences
        )
    ]
    if gaps:
        yield Hit(
            h.key,
            f"Signed on {h.signed_on} when no licence covered {_gaps(gaps)}.",
            h.contract_id,
        )


SUB_UNLICENSED = rule(
    "SUB-UNLICENSED",
    severity=S.BLOCKER,
    subject=HIRE,
    reads=(Reads.CONTRACTS, Reads.LICENCES),
    audience=Audience.OVERSIGHT,
    title="Unlicensed subcontractor",
    source="Montreux Document GP 31; UK Approved Contractor Scheme",
    explanation="A subcontractor lacks an active licence covering the work subcontracted to it.",
)


@SUB_UNLICENSED.check(HIRE)
def _sub_unlicensed(h: Engagement, on: dt.date) -> Iterator[Hit]:
    for sub in h.subcontracts:
        gaps = [(c, s) for c, s in _pairs(sub) if not sub.covering(on, c, s)]
        if gaps:
            yield Hit(
                f"{h.key}:subcontract:{sub.contract_id}",
                f"Subcontractor {sub.company_name} ({sub.label}) has no active licence for"
                f" {_gaps(gaps)}.",
                h.contract_id,
            )


COORD_OVERLAP = rule(
    "COORD-OVERLAP",
    severity=S.INFO,
    subject=HIRE,
    reads=(Reads.CONTRACTS,),
    audience=Audience.OVERSIGHT,
    title="Also contracted by others",
    source="Source report, para. 26 (coordination between missions and clients)",
    explanation=(
        "Another mission or client contracts the company in the same country in overlapping dates."
    ),
)


def overlapping(h: Engagement) -> list[Engagement]:
    """The company's other current contracts, for another client or mission, sharing a country
    and overlapping in dates."""
    found = []
    for o in h.others:
        other_party = o.client_id != h.client_id and (
            h.mission_id is None or o.mission_id != h.mission_id
        )
        if (
            other_party
            and set(o.countries) & set(h.countries)
            and o.stored.start <= h.end
            and o.end >= h.start
        ):
            found.append(o)
    return found


# The message names the first few overlapping contracts and counts the rest, so a finding's size
# does not grow with the company's contracts (one finding per contract naming all the others
# would grow with their square); the coordination list shows them all.
OVERLAPS_NAMED = 3


@COORD_OVERLAP.check(HIRE)
def _coord_overlap(h: Engagement, on: dt.date) -> Iterator[Hit]:
    others = sorted(overlapping(h), key=lambda o: (o.stored.start, o.stored.reference))
    if others:
        parts = [
            f"{o.stored.reference} for {o.stored.mission or o.stored.client}"
            f" in {', '.join(sorted(set(o.countries) & set(h.countries)))}"
            f" ({o.stored.start} to {o.end})"
            for o in others[:OVERLAPS_NAMED]
        ]
        if len(others) > OVERLAPS_NAMED:
            parts.append(f"and {len(others) - OVERLAPS_NAMED} more")
        yield Hit(h.key, "Also contracted: " + "; ".join(parts) + ".", h.contract_id)
