import pytest

from registry.choices import Role

from . import factories as f
from .write_guard import writes_only_through_services  # noqa: F401


@pytest.fixture
def authority(db):
    return f.AuthorityFactory()


@pytest.fixture
def company(authority):
    return f.CompanyFactory(registering_authority=authority)


@pytest.fixture
def mission(db):
    return f.MissionFactory(acronym="UNMIX", countries=["KE", "SO"])


@pytest.fixture
def regulator(authority):
    return f.ProfileFactory(
        role=Role.REGULATOR, authority=authority, user__username="regulator"
    ).user


@pytest.fixture
def mission_officer(mission):
    return f.ProfileFactory(
        role=Role.MISSION_STAFF, missions=[mission], user__username="officer"
    ).user


@pytest.fixture
def auditor(db):
    return f.ProfileFactory(role=Role.AUDITOR, user__username="auditor").user


@pytest.fixture
def admin_user(db):
    user = f.UserFactory(username="admin", is_staff=True, is_superuser=True)
    f.ProfileFactory(user=user, role=Role.ADMIN)
    return user


def pytest_configure(config):
    from django.conf import settings

    from registry.audit.maintenance import allow_flush

    # Transactional tests end with a flush: one TRUNCATE, which the audit tables' trigger refuses
    # unless the owner (here the test database's) asks for maintenance (docs/audit.md).
    allow_flush()

    # The production hasher is slow by design; tests create users by the dozen.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
