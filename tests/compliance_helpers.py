"""Small helpers shared by the compliance tests."""

import datetime as dt

from django.utils import timezone

from registry.choices import FindingState
from registry.compliance import run_compliance
from registry.models import Finding
from registry.services.hiring import run_hiring_check

from . import factories as f


def open_codes(*companies, on=None) -> set[str]:
    """Run the compliance for the companies; the rule codes of their open findings."""
    run_compliance([c.pk for c in companies], on=on)
    return set(
        Finding.objects.filter(company__in=companies, state=FindingState.OPEN).values_list(
            "rule_code", flat=True
        )
    )


def hire(company, **overrides):
    today = timezone.localdate()
    args = {
        "company": company,
        "client": overrides.pop("client", None) or f.ClientFactory(),
        "countries": ["KE"],
        "services": ["armed_escort"],
        "armed": True,
        "personnel_local": 10,
        "armed_personnel": 5,
        "start": today + dt.timedelta(days=30),
        "end": today + dt.timedelta(days=200),
    }
    args.update(overrides)
    return run_hiring_check(**args)


def codes(check) -> set[str]:
    return {x["rule"] for x in check.findings}


def company_hits(company, code, on=None):
    """Evaluate one company rule directly."""
    from registry.compliance import COMPANY, get_rule
    from registry.compliance.facts import load_company_facts

    on = on or timezone.localdate()
    facts = load_company_facts([company.pk], on)[company.pk]
    return get_rule(code).evaluate(COMPANY, facts, on)
