"""Hiring checks (api/views/checks.py) and the change history (api/views/audit.py).

Running a hiring check (POST) has its own tests: tests/api/test_hiring_checks_api.py."""

from registry.audit.models import AuditEntry

from ... import factories as f
from ..resource_cases import AUDITORS, NOBODY, SIGNED_IN, ReadCases


class TestHiringChecks(ReadCases):
    basename = "hiringcheck"
    read_roles = SIGNED_IN
    write_roles = frozenset({"mission_staff", "admin"})
    make = staticmethod(lambda s: f.HiringCheckFactory(company=s.company, mission=s.mission))


def _audit_entry(scene):
    f.AuthorityFactory()  # a write: the audit trail records it
    return AuditEntry.objects.latest("seq")


class TestAuditEntries(ReadCases):
    basename = "audit"
    read_roles = AUDITORS
    write_roles = NOBODY
    make = staticmethod(_audit_entry)
