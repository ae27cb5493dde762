"""What the severities of a set of findings come to: a company's standing, a hire's verdict."""

from collections.abc import Iterable

from registry.choices import Severity, Standing, Verdict

GRAVEST_FIRST = (Severity.BLOCKER, Severity.WARNING, Severity.INFO)

STANDING_BY_SEVERITY = {
    Severity.BLOCKER: Standing.NOT_CLEARED,
    Severity.WARNING: Standing.RESTRICTED,
    Severity.INFO: Standing.GOOD,
}
VERDICT_BY_SEVERITY = {
    Severity.BLOCKER: Verdict.REFUSED,
    Severity.WARNING: Verdict.CLEARED_WITH_WARNINGS,
    Severity.INFO: Verdict.CLEARED,
}


def gravest(severities: Iterable[str]) -> Severity:
    """The gravest of the severities; info when there are none."""
    present = set(severities)
    return next((s for s in GRAVEST_FIRST if s in present), Severity.INFO)


def standing_of(severities: Iterable[str]) -> Standing:
    return STANDING_BY_SEVERITY[gravest(severities)]


def verdict_of(severities: Iterable[str]) -> Verdict:
    return VERDICT_BY_SEVERITY[gravest(severities)]
