"""Rules about the people a company deploys (subject: personnel), per contract crew.

Flags come from each person's latest vetting; misconduct from any vetting by any company, since
the keyed identity hash lets one person be matched across employers.
"""

import datetime as dt
from collections.abc import Iterator

from registry.choices import Severity as S
from registry.choices import TrainingKind, VettingOutcome

from ..base import PERSONNEL, Audience, Hit, Reads, rule, years_before
from ..facts import Crew, EmploymentView

REQUIRED_TRAINING = (TrainingKind.USE_OF_FORCE, TrainingKind.HUMAN_RIGHTS)


def _hit(member: EmploymentView, text: str) -> Hit:
    e = member.employment
    return Hit(member.key(), f"{e.person} ({e.role}): {text}", e.contract_id, e.person_id)


PER_VETTING = rule(
    "PER-VETTING",
    severity=S.BLOCKER,
    subject=PERSONNEL,
    reads=(Reads.PERSONNEL,),
    audience=Audience.PERSONNEL,
    title="Armed personnel not vetted",
    source="ICoC (vetting); UN policy on armed private security (2012)",
    explanation="Armed personnel must have a cleared vetting result.",
)


@PER_VETTING.check(PERSONNEL)
def _per_vetting(crew: Crew, on: dt.date) -> Iterator[Hit]:
    for m in crew.members:
        if not m.employment.armed:
            continue
        latest = m.latest_vetting
        if latest is None:
            yield _hit(m, "armed, never vetted.")
        elif latest.outcome != VettingOutcome.CLEARED:
            yield _hit(m, f"armed, latest vetting ({latest.vetted_on}) is {latest.outcome}.")


PER_TRAINING = rule(
    "PER-TRAINING",
    severity=S.WARNING,
    subject=PERSONNEL,
    reads=(Reads.PERSONNEL,),
    audience=Audience.PERSONNEL,
    title="Armed personnel not trained",
    source="UN policy on armed private security (2012); ICoC (training)",
    explanation="Armed personnel need current use-of-force and human-rights training.",
)


@PER_TRAINING.check(PERSONNEL)
def _per_training(crew: Crew, on: dt.date) -> Iterator[Hit]:
    for m in crew.members:
        if not m.employment.armed:
            continue
        current = {
            t.kind
            for t in m.trainings
            if t.completed_on <= on and (t.expires_on is None or t.expires_on >= on)
        }
        missing = [TrainingKind(k).label.lower() for k in REQUIRED_TRAINING if k not in current]
        if missing:
            yield _hit(m, f"armed, no current training in {' and '.join(missing)}.")


PER_DDR = rule(
    "PER-DDR",
    severity=S.BLOCKER,
    subject=PERSONNEL,
    reads=(Reads.PERSONNEL,),
    audience=Audience.PERSONNEL,
    title="DDR participant hired locally",
    source="Source report, para. 26 (DDR)",
    explanation=(
        "A local hire is a current participant in a disarmament, demobilisation and reintegration"
        " programme."
    ),
)


@PER_DDR.check(PERSONNEL)
def _per_ddr(crew: Crew, on: dt.date) -> Iterator[Hit]:
    for m in crew.local:
        if m.latest_vetting and m.latest_vetting.ddr_participant:
            yield _hit(m, "local hire in a DDR programme.")


PER_SERVING_FORCES = rule(
    "PER-SERVING-FORCES",
    severity=S.BLOCKER,
    subject=PERSONNEL,
    reads=(Reads.PERSONNEL,),
    audience=Audience.PERSONNEL,
    title="Serving security forces hired locally",
    source="Source report, para. 26 (SSR)",
    explanation="A local hire is a serving member of the national security forces.",
)


@PER_SERVING_FORCES.check(PERSONNEL)
def _per_serving(crew: Crew, on: dt.date) -> Iterator[Hit]:
    for m in crew.local:
        if m.latest_vetting and m.latest_vetting.serving_security_forces:
            yield _hit(m, "local hire serving in the national security forces.")


PER_FORMER_FORCES_SHARE = rule(
    "PER-FORMER-FORCES-SHARE",
    severity=S.WARNING,
    subject=PERSONNEL,
    reads=(Reads.PERSONNEL, Reads.CONTRACTS),
    audience=Audience.PERSONNEL,
    title="Many recent leavers of national forces",
    source="Source report, para. 26 (SSR)",
    explanation=(
        "Over 20% of a contract's local hires left the national forces in the last 12 months."
    ),
)


@PER_FORMER_FORCES_SHARE.check(PERSONNEL)
def _per_former_share(crew: Crew, on: dt.date) -> Iterator[Hit]:
    local = crew.local
    if crew.contract_id is None or not local:
        return
    since = years_before(on, 1)
    recent = [
        m
        for m in local
        if (v := m.latest_vetting)
        and v.former_security_forces
        and v.left_security_forces_on
        and since <= v.left_security_forces_on <= on
    ]
    if len(recent) * 5 > len(local):
        yield Hit(
            f"contract:{crew.contract_id}",
            f"{len(recent)} of {len(local)} local hires on {crew.reference} left the national"
            " forces in the last 12 months.",
            crew.contract_id,
        )


PER_AFFILIATION = rule(
    "PER-AFFILIATION",
    severity=S.WARNING,
    subject=PERSONNEL,
    reads=(Reads.PERSONNEL, Reads.CONTRACTS),
    audience=Audience.PERSONNEL,
    title="Local hires affiliated with one party",
    source="Source report, para. 26",
    explanation=(
        "Over 50% of a contract's local hires are affiliated with one party to the conflict."
    ),
)


@PER_AFFILIATION.check(PERSONNEL)
def _per_affiliation(crew: Crew, on: dt.date) -> Iterator[Hit]:
    local = crew.local
    if crew.contract_id is None or not local:
        return
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for m in local:
        party = (m.latest_vetting.conflict_affiliation if m.latest_vetting else "").strip()
        if party:
            counts[party.casefold()] = counts.get(party.casefold(), 0) + 1
            names.setdefault(party.casefold(), party)
    for key, n in counts.items():
        if n * 2 > len(local):
            yield Hit(
                f"contract:{crew.contract_id}",
                f"{n} of {len(local)} local hires on {crew.reference} are affiliated with"
                f" {names[key]}.",
                crew.contract_id,
            )


PER_MISCONDUCT = rule(
    "PER-MISCONDUCT",
    severity=S.WARNING,
    subject=PERSONNEL,
    reads=(Reads.PERSONNEL,),
    audience=Audience.PERSONNEL,
    title="Dismissed for misconduct before",
    source="ICoC (vetting); Montreux Document GP 6",
    explanation="A person was dismissed for misconduct by an earlier employer (any company).",
)


@PER_MISCONDUCT.check(PERSONNEL)
def _per_misconduct(crew: Crew, on: dt.date) -> Iterator[Hit]:
    for m in crew.members:
        flagged = [v for v in m.vettings if v.dismissed_for_misconduct]
        if flagged:
            yield _hit(
                m,
                f"dismissed for misconduct by an earlier employer (vetting {flagged[0].vetted_on}).",
            )
