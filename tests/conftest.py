import pytest
from django.contrib.auth.models import User
from django.test import Client

from registry import twofactor
from registry.choices import Role

from . import factories as f
from .write_guard import writes_only_through_services  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle and lockout counts and stored answers live in caches: each test starts with
    none."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(monkeypatch):
    """client.force_login(user) (and client.login) stands for a complete sign-in: for the roles
    that need a second factor the session is also marked verified, with an authenticator made
    for the user if they have none. Tests of the sign-in steps themselves post to /login/."""
    password_only = Client._login

    def _login(self, user, backend=None):
        password_only(self, user, backend)
        fresh = User.objects.select_related("profile").get(pk=user.pk)  # no cached viewer
        if twofactor.needs_otp(fresh):
            f.mark_session_verified(self, fresh)

    monkeypatch.setattr(Client, "_login", _login)


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
