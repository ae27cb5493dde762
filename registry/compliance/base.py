"""The rule unit and the catalogue of rules.

A rule is one `rule(...)` declaration: a stable code, its severity, the records it reads, the
audience its findings are written for, where it comes from, and its checks (one per subject).
Declaring a rule registers it; registry.compliance imports every rule module right after this
one, so the catalogue is complete as soon as the package is imported.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

T = TypeVar("T")

COMPANY, HIRE, PERSONNEL = "company", "hire", "personnel"
SUBJECTS = (COMPANY, HIRE, PERSONNEL)


class Audience(StrEnum):
    """Who a rule's findings are written for, from the widest audience to the narrowest.
    registry.access shows the others the rule's explanation instead of the message."""

    # The message only repeats the public register (licences, codes, certifications).
    PUBLIC = "public"
    # Contracts, sanctions, incidents past investigation, insurance: every signed-in role.
    OVERSIGHT = "oversight"
    # People and their vetting and training: the company's regulators; mission staff see such a
    # finding only about their own missions' contracts, and never its message.
    PERSONNEL = "personnel"
    # Incidents under investigation: the company's regulators only.
    INVESTIGATION = "investigation"

    def wider_than(self, other: "Audience") -> bool:
        order = list(Audience)
        return order.index(self) < order.index(other)


class Reads(StrEnum):
    """The records a rule reads."""

    LICENCES = "licences"
    CODES = "codes"  # adherences to codes of conduct
    CERTIFICATIONS = "certifications"
    INSURANCE = "insurance"
    SANCTIONS = "sanctions"
    INCIDENTS = "incidents"
    CONTRACTS = "contracts"  # the hire, the company's contracts and their subcontracts
    PERSONNEL = "personnel"  # employments, vettings, trainings


# The widest audience a rule may have when it reads these records.
WIDEST_AUDIENCE = {
    Reads.LICENCES: Audience.PUBLIC,
    Reads.CODES: Audience.PUBLIC,
    Reads.CERTIFICATIONS: Audience.PUBLIC,
    Reads.INSURANCE: Audience.OVERSIGHT,
    Reads.SANCTIONS: Audience.OVERSIGHT,
    Reads.INCIDENTS: Audience.OVERSIGHT,
    Reads.CONTRACTS: Audience.OVERSIGHT,
    Reads.PERSONNEL: Audience.PERSONNEL,
}


@dataclass(frozen=True)
class Hit:
    """One thing a rule found. `key` names the subject, e.g. company:12 or contract:40:person:7."""

    key: str
    message: str
    contract_id: int | None = None
    person_id: int | None = None


# A rule's check for one kind of subject: (company facts, an engagement or a crew; the day)
# to the hits.
Check = Callable[[Any, dt.date], Iterable[Hit]]


@dataclass(eq=False)
class Rule:
    code: str
    severity: str
    subject: str
    reads: frozenset[Reads]
    audience: Audience
    title: str
    source: str
    explanation: str
    checks: dict[str, Check] = field(default_factory=dict, repr=False)

    def check(self, subject: str) -> Callable[[Check], Check]:
        """Register the evaluation of this rule for one kind of subject (decorator)."""
        if subject not in SUBJECTS:
            raise ValueError(f"Unknown subject {subject!r}")

        def register(fn: Check) -> Check:
            self.checks[subject] = fn
            _by_subject.clear()
            return fn

        return register

    def evaluate(self, subject: str, target: object, on: dt.date) -> list[Hit]:
        fn = self.checks.get(subject)
        return list(fn(target, on)) if fn else []


_rules: dict[str, Rule] = {}
_by_subject: dict[str, list[Rule]] = {}


def rule(
    code: str,
    *,
    severity: str,
    subject: str,
    reads: Iterable[Reads],
    audience: Audience,
    title: str,
    source: str,
    explanation: str,
) -> Rule:
    """Declare a rule and add it to the catalogue. Its checks are added with @rule.check()."""
    if code in _rules:
        raise ValueError(f"Rule {code} is defined twice")
    if subject not in SUBJECTS:
        raise ValueError(f"Rule {code}: unknown subject {subject!r}")
    reads = frozenset(Reads(r) for r in reads)
    audience = Audience(audience)
    if not reads:
        raise ValueError(f"Rule {code} must say which records it reads")
    for record in reads:
        if audience.wider_than(WIDEST_AUDIENCE[record]):
            raise ValueError(
                f"Rule {code} reads {record}: its audience cannot be wider than"
                f" {WIDEST_AUDIENCE[record]}, not {audience}"
            )
    new = Rule(code, severity, subject, reads, audience, title, source, explanation)
    _rules[code] = new
    _by_subject.clear()
    return new


def withdraw_rule(code: str) -> None:
    """Take a rule out of the catalogue (for rules declared by tests)."""
    del _rules[code]
    _by_subject.clear()


def catalogue() -> list[Rule]:
    """Every rule, in the order they are declared."""
    return list(_rules.values())


def get_rule(code: str) -> Rule:
    return _rules[code]


def rules_for(subject: str) -> list[Rule]:
    """The rules with a check for `subject` (cached: called once per contract and crew)."""
    if subject not in _by_subject:
        _by_subject[subject] = [r for r in _rules.values() if subject in r.checks]
    return _by_subject[subject]


def rule_codes(audience: Audience) -> list[str]:
    """The codes of the rules written for `audience`."""
    return [r.code for r in _rules.values() if r.audience == audience]


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
