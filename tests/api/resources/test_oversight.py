"""Incidents, sanctions and findings (api/views/oversight.py)."""

from registry.choices import IncidentStatus

from ... import factories as f
from ..resource_cases import REGULATORS, SIGNED_IN, ReadCases, WriteCases, unique


class TestIncidents(WriteCases):
    basename = "incident"
    read_roles = SIGNED_IN
    write_roles = REGULATORS
    # Closed: mission staff do not see incidents under investigation.
    make = staticmethod(
        lambda s: f.IncidentFactory(company=s.company, status=IncidentStatus.CLOSED)
    )
    create_body = staticmethod(
        lambda s: {
            "company": s.company.pk,
            "occurred_on": "2026-01-01",
            "country": "KE",
            "category": "misconduct",
            "severity": "minor",
            "summary": "Guard asleep on duty.",
        }
    )
    update_body = {"outcome": "Retrained."}


class TestSanctions(WriteCases):
    basename = "sanction"
    read_roles = SIGNED_IN
    write_roles = REGULATORS
    make = staticmethod(lambda s: f.SanctionFactory(company=s.company, kind="fine"))
    create_body = staticmethod(
        lambda s: {
            "company": s.company.pk,
            "imposed_by_authority": s.authority.pk,
            "kind": "warning",
            "start": "2026-01-01",
            "reason": "Late report.",
        }
    )
    update_body = {"reason": "Late incident report (amended)."}


class TestFindings(ReadCases):
    """Written by the compliance engine; regulators may only waive them (POST …/waive/)."""

    basename = "finding"
    read_roles = SIGNED_IN
    write_roles = REGULATORS
    make = staticmethod(lambda s: f.FindingFactory(company=s.company, rule_code=f"R-{unique()}"))
