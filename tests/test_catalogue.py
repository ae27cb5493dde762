"""The rule catalogue: codes, severities, subjects, sources."""

import pytest

from registry.compliance import COMPANY, HIRE, PERSONNEL, catalogue, get_rule

# code -> (subject, default severity).
EXPECTED = {
    "LIC-NONE": (COMPANY, "blocker"),
    "LIC-EXPIRING": (COMPANY, "warning"),
    "LIC-COUNTRY": (HIRE, "blocker"),
    "LIC-SERVICE": (HIRE, "blocker"),
    "LIC-PERIOD": (HIRE, "blocker"),
    "LIC-RENEWAL": (HIRE, "warning"),
    "ARM-NOT-AUTHORISED": (HIRE, "blocker"),
    "ARM-CAP": (HIRE, "blocker"),
    "INS-EXPIRED": (COMPANY, "warning"),
    "COC-NONE": (COMPANY, "warning"),
    "CERT-EXPIRED": (COMPANY, "warning"),
    "SAN-DEBARRED": (COMPANY, "blocker"),
    "SAN-OTHER": (COMPANY, "warning"),
    "INC-OPEN-SERIOUS": (COMPANY, "warning"),
    "INC-SUBSTANTIATED": (COMPANY, "warning"),
    "CTR-TERMINATED-CAUSE": (COMPANY, "warning"),
    "CTR-SIGNED-UNLICENSED": (HIRE, "warning"),
    "SUB-UNLICENSED": (HIRE, "blocker"),
    "COORD-OVERLAP": (HIRE, "info"),
    "PER-VETTING": (PERSONNEL, "blocker"),
    "PER-TRAINING": (PERSONNEL, "warning"),
    "PER-DDR": (PERSONNEL, "blocker"),
    "PER-SERVING-FORCES": (PERSONNEL, "blocker"),
    "PER-FORMER-FORCES-SHARE": (PERSONNEL, "warning"),
    "PER-AFFILIATION": (PERSONNEL, "warning"),
    "PER-MISCONDUCT": (PERSONNEL, "warning"),
}


def test_catalogue_has_every_domain_rule_once():
    assert sorted(r.code for r in catalogue()) == sorted(EXPECTED)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_rule_metadata(code):
    rule = get_rule(code)
    assert (rule.subject, rule.severity) == EXPECTED[code]
    assert rule.title and rule.source and rule.explanation
    assert rule.subject in rule.checks


def test_debarment_is_checked_for_company_and_hire():
    assert set(get_rule("SAN-DEBARRED").checks) == {COMPANY, HIRE}
