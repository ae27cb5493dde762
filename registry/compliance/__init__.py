"""The compliance engine: a catalogue of rules, the findings they keep, and waivers."""

from .base import (
    COMPANY,
    HIRE,
    PERSONNEL,
    Audience,
    Hit,
    Reads,
    Rule,
    catalogue,
    get_rule,
    rule,
    rule_codes,
)
from .findings import run_compliance
from .standing_cache import refresh_standing
from .waivers import waive_finding

# Importing the rule modules registers every rule in .base's catalogue: the catalogue is
# complete once the package is imported, as Django's system checks are.
from . import rules  # noqa: F401  isort: skip

__all__ = [
    "COMPANY",
    "HIRE",
    "PERSONNEL",
    "Audience",
    "Hit",
    "Reads",
    "Rule",
    "catalogue",
    "get_rule",
    "refresh_standing",
    "rule",
    "rule_codes",
    "run_compliance",
    "waive_finding",
]
