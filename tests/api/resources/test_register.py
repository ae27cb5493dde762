"""The public register's resources (api/views/register.py), through the shared cases."""

from ... import factories as f
from ..resource_cases import ADMINS, ALL, NOBODY, REGULATORS, ReadCases, WriteCases, unique


class TestServiceCategories(ReadCases):
    basename = "servicecategory"
    read_roles = ALL
    write_roles = NOBODY
    make = staticmethod(lambda s: f.ServiceCategoryFactory())


class TestAuthorities(WriteCases):
    basename = "authority"
    read_roles = ALL
    write_roles = ADMINS
    make = staticmethod(lambda s: f.AuthorityFactory())
    create_body = staticmethod(lambda s: {"name": "Maritime Security Board", "country": "SO"})
    update_body = {"acronym": "MSB"}


class TestCompanies(WriteCases):
    basename = "company"
    read_roles = ALL
    write_roles = REGULATORS
    # With a licence, so that the list's prefetches have rows to fetch.
    make = staticmethod(
        lambda s: (
            f.LicenceFactory(company=f.CompanyFactory(registering_authority=s.authority)).company
        )
    )
    create_body = staticmethod(
        lambda s: {
            "legal_name": "Ironbark Protective Group",
            "home_country": "KE",
            "registering_authority": s.authority.pk,
            "registration_number": "NEW-1",
        }
    )
    update_body = {"website": "https://example.org"}


class TestLicences(WriteCases):
    basename = "licence"
    read_roles = ALL
    write_roles = REGULATORS
    make = staticmethod(lambda s: f.LicenceFactory(company=s.company))
    create_body = staticmethod(
        lambda s: {
            "number": "NEW-L-1",
            "authority": s.authority.pk,
            "company": s.company.pk,
            "countries": ["KE"],
            "services": ["unarmed_guarding"],
            "valid_from": "2026-01-01",
            "valid_until": "2027-12-31",
        }
    )
    update_body = {"conditions": "No night convoys."}


class TestCodes(WriteCases):
    basename = "code"
    read_roles = ALL
    write_roles = ADMINS
    make = staticmethod(lambda s: f.ConductStandardFactory(code=f"code-{unique()}"))
    create_body = staticmethod(
        lambda s: {"code": "national-code", "name": "National code", "kind": "national_code"}
    )
    update_body = {"name": "National code of conduct"}


class TestAdherences(WriteCases):
    basename = "adherence"
    read_roles = ALL
    write_roles = REGULATORS
    make = staticmethod(
        lambda s: f.AdherenceFactory(company=f.CompanyFactory(registering_authority=s.authority))
    )
    create_body = staticmethod(
        lambda s: {
            "company": s.company.pk,
            "standard": f.ConductStandardFactory().pk,
            "signed_on": "2026-01-01",
        }
    )
    update_body = {"notes": "Confirmed."}


class TestCertifications(WriteCases):
    basename = "certification"
    read_roles = ALL
    write_roles = REGULATORS
    make = staticmethod(lambda s: f.CertificationFactory(company=s.company))
    create_body = staticmethod(
        lambda s: {
            "company": s.company.pk,
            "standard": f.ConductStandardFactory(code="psc1", kind="management_standard").pk,
            "certifying_body": "Meridian",
            "issued_on": "2026-01-01",
            "expires_on": "2028-01-01",
        }
    )
    update_body = {"certificate_number": "PSC1-0042"}
