"""The rule unit: a stable code, a default severity, where it comes from, and its checks."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

COMPANY, HIRE, PERSONNEL = "company", "hire", "personnel"
SUBJECTS = (COMPANY, HIRE, PERSONNEL)


@dataclass(frozen=True)
class Hit:
    """One thing a rule found. `key` names the subject, e.g. company:12 or contract:40:person:7."""

    key: str
    message: str
    contract_id: int | None = None
    person_id: int | None = None


@dataclass(eq=False)
class Rule:
    code: str
    severity: str
    title: str
    source: str
    explanation: str
    subject: str
    checks: dict[str, Callable[..., Iterable[Hit]]] = field(default_factory=dict, repr=False)

    def check(self, subject: str):
        """Register the evaluation of this rule for one kind of subject (decorator)."""
        if subject not in SUBJECTS:
            raise ValueError(f"Unknown subject {subject!r}")

        def register(fn):
            self.checks[subject] = fn
            return fn

        return register

    def evaluate(self, subject: str, target, on) -> list[Hit]:
        fn = self.checks.get(subject)
        return list(fn(target, on)) if fn else []


_RULES: dict[str, Rule] = {}


def rule(code, severity, title, source, explanation, subject) -> Rule:
    if code in _RULES:
        raise ValueError(f"Rule {code} is defined twice")
    _RULES[code] = new = Rule(code, severity, title, source, explanation, subject)
    return new


def catalogue() -> list[Rule]:
    """Every rule, in the order of DOMAIN.md's catalogue."""
    from . import rules  # noqa: F401  (importing the modules registers the rules)

    return list(_RULES.values())


def get_rule(code: str) -> Rule:
    if not _RULES:
        catalogue()
    return _RULES[code]


_BY_SUBJECT: dict[str, list[Rule]] = {}


def rules_for(subject: str) -> list[Rule]:
    """The rules with a check for `subject` (cached: called once per contract and crew)."""
    if subject not in _BY_SUBJECT:
        _BY_SUBJECT[subject] = [r for r in catalogue() if subject in r.checks]
    return _BY_SUBJECT[subject]


def years_before(day, years: int):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
