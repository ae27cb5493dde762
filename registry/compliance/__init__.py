"""The compliance engine: a catalogue of rules, the findings they keep, and waivers."""

from .base import COMPANY, HIRE, PERSONNEL, Hit, Rule, catalogue, get_rule
from .engine import refresh_standing, run_compliance, waive_finding

__all__ = [
    "COMPANY",
    "HIRE",
    "PERSONNEL",
    "Hit",
    "Rule",
    "catalogue",
    "get_rule",
    "refresh_standing",
    "run_compliance",
    "waive_finding",
]
