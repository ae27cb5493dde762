"""Personnel and vetting (api/views/personnel.py)."""

from ... import factories as f
from ..resource_cases import OVERSIGHT, REGULATORS, WriteCases


class TestPersonnel(WriteCases):
    basename = "person"
    read_roles = OVERSIGHT
    write_roles = REGULATORS
    make = staticmethod(lambda s: f.EmploymentFactory(company=s.company, contract=None).person)
    create_body = staticmethod(
        lambda s: {
            "full_name": "Amina Example",
            "nationality": "KE",
            "document_country": "KE",
            "document_number": "A 1234567",
            "employment": {
                "company": s.company.pk,
                "role": "Guard",
                "origin": "local",
                "start": "2026-01-01",
            },
        }
    )
    update_body = {"full_name": "Renamed Person"}


class TestVetting(WriteCases):
    basename = "vetting"
    read_roles = OVERSIGHT
    write_roles = REGULATORS
    make = staticmethod(lambda s: f.VettingFactory(person=s.person, company=s.company))
    create_body = staticmethod(
        lambda s: {
            "person": s.person.pk,
            "company": s.company.pk,
            "vetted_on": "2026-01-01",
            "vetted_by": "Unit",
            "outcome": "cleared",
        }
    )
    update_body = {"notes": "Rechecked."}
