"""Evaluate the rules on loaded facts: the results a standing or a hiring check rests on.

A result is a rule's hit as it counts now: a hit that matches a waived finding keeps its rule but
no longer blocks or warns.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from registry.choices import FindingState, Severity
from registry.models import Finding

from .base import COMPANY, HIRE, PERSONNEL, Hit, Rule, catalogue, get_rule, rules_for
from .facts import CompanyFacts, Engagement


@dataclass(frozen=True)
class Result:
    rule: Rule
    hit: Hit
    waived_by: str | None = None

    @property
    def severity(self) -> str:
        return Severity.INFO if self.waived_by else self.rule.severity

    @property
    def message(self) -> str:
        if self.waived_by:
            return f"Waived: {self.hit.message}"
        return self.hit.message


def _waivers(facts: CompanyFacts) -> dict[tuple[str, str], str]:
    """Who waived each waived finding, by (rule code, subject key)."""
    return {
        (f.rule_code, f.subject_key): str(f.waived_by) if f.waived_by_id else "?"
        for f in facts.live_findings
        if f.state == FindingState.WAIVED
    }


def company_results(facts: CompanyFacts, on: dt.date) -> list[Result]:
    waived = _waivers(facts)
    return [
        Result(rule, hit, waived.get((rule.code, hit.key)))
        for rule in rules_for(COMPANY)
        for hit in rule.evaluate(COMPANY, facts, on)
    ]


def hire_results(facts: CompanyFacts, hire: Engagement, on: dt.date) -> list[Result]:
    """Hire rules on the engagement, the company rules that have no hire form of their own, and
    the open blockers stored about the company's contracts and people."""
    waived = _waivers(facts)
    results = []
    for rule in catalogue():
        if HIRE in rule.checks:
            results += [Result(rule, hit) for hit in rule.evaluate(HIRE, hire, on)]
        elif COMPANY in rule.checks:
            results += [
                Result(rule, hit, waived.get((rule.code, hit.key)))
                for hit in rule.evaluate(COMPANY, facts, on)
            ]
    # What makes the company not cleared (e.g. a DDR participant on another contract) refuses
    # the hire too: the company page and the hiring check must not disagree.
    return results + stored_blockers(facts)


def every_hit(facts: CompanyFacts, on: dt.date) -> Iterator[tuple[Rule, Hit]]:
    """(rule, hit) for the company, each of its current contracts and each crew."""
    for rule in rules_for(COMPANY):
        for hit in rule.evaluate(COMPANY, facts, on):
            yield rule, hit
    for hire in facts.contracts:
        for rule in rules_for(HIRE):
            for hit in rule.evaluate(HIRE, hire, on):
                yield rule, hit
    for crew in facts.crews:
        for rule in rules_for(PERSONNEL):
            for hit in rule.evaluate(PERSONNEL, crew, on):
                yield rule, hit


def standing_results(facts: CompanyFacts, on: dt.date) -> list[Result]:
    """The company rules evaluated now, plus open blocker findings about its contracts and
    people (stored by the last run). Sanctions count through SAN-DEBARRED and SAN-OTHER."""
    return company_results(facts, on) + stored_blockers(facts)


def stored_blockers(facts: CompanyFacts) -> list[Result]:
    """Open blocker findings the last run stored about the company's contracts and people."""
    return [
        Result(get_rule(f.rule_code), Hit(f.subject_key, f.message))
        for f in facts.live_findings
        if f.state == FindingState.OPEN
        and f.severity == Severity.BLOCKER
        and not _from_company_check(f)
    ]


def _from_company_check(finding: Finding) -> bool:
    """Found by a company check, which standing_results evaluates afresh."""
    rule = get_rule(finding.rule_code)
    if not (rule.checks.keys() - {COMPANY}):
        return True
    key = finding.subject_key
    return COMPANY in rule.checks and key.startswith("company:") and ":person:" not in key
