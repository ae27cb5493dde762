"""factory_boy factories for every registry model. Fictional data only."""

import datetime as dt

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from registry import models as m
from registry.choices import (
    ClientKind,
    ContractStatus,
    LicenceState,
    Organisation,
    Role,
    StandardKind,
)

TODAY = timezone.localdate


def country(code):
    return m.Country.objects.get(code=code)


def service(code):
    return m.ServiceCategory.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    """A category beyond the fixed catalogue (which the migrations load), for list tests."""

    class Meta:
        model = m.ServiceCategory

    code = factory.Sequence(lambda n: f"test_service_{n}")
    name = factory.Sequence(lambda n: f"Test service {n}")
    armed = False
    description = "A fictional service."


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.LicensingAuthority

    name = factory.Sequence(lambda n: f"Private Security Regulatory Authority {n}")
    acronym = factory.Sequence(lambda n: f"PSRA{n}")
    country = factory.LazyFunction(lambda: country("KE"))


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Profile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    role = Role.AUDITOR

    @factory.post_generation
    def missions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.missions.set(extracted)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Company
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Sentinel Shield Services {n} Ltd")
    home_country = factory.LazyFunction(lambda: country("KE"))
    registering_authority = factory.SubFactory(AuthorityFactory)
    registration_number = factory.Sequence(lambda n: f"REG-{n:05d}")

    @factory.post_generation
    def services(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.services.set(service(c) if isinstance(c, str) else c for c in extracted)


class LicenceFactory(factory.django.DjangoModelFactory):
    """An active licence valid from a year ago to a year ahead, for armed escort in Kenya."""

    class Meta:
        model = m.Licence
        skip_postgeneration_save = True

    authority = factory.LazyAttribute(lambda o: o.company.registering_authority)
    company = factory.SubFactory(CompanyFactory)
    number = factory.Sequence(lambda n: f"L-{n:05d}")
    valid_from = factory.LazyFunction(lambda: TODAY() - dt.timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: TODAY() + dt.timedelta(days=365))
    weapons_authorised = True
    max_armed_personnel = 50
    state = LicenceState.ACTIVE

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        if create:
            obj.countries.set(country(c) for c in (extracted or ["KE"]))

    @factory.post_generation
    def services(obj, create, extracted, **kwargs):
        if create:
            obj.services.set(
                service(c) for c in (extracted or ["armed_escort", "unarmed_guarding"])
            )


class ConductStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ConductStandard
        django_get_or_create = ["code"]

    code = "icoc"
    name = "International Code of Conduct for Private Security Service Providers"
    kind = StandardKind.CODE_OF_CONDUCT


class AdherenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Adherence

    company = factory.SubFactory(CompanyFactory)
    standard = factory.SubFactory(ConductStandardFactory)
    signed_on = factory.LazyFunction(lambda: TODAY() - dt.timedelta(days=400))


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Certification

    company = factory.SubFactory(CompanyFactory)
    standard = factory.SubFactory(
        ConductStandardFactory,
        code="psc1",
        name="ANSI/ASIS PSC.1",
        kind=StandardKind.MANAGEMENT_STANDARD,
    )
    certifying_body = "Meridian Certification Bureau"
    issued_on = factory.LazyFunction(lambda: TODAY() - dt.timedelta(days=300))
    expires_on = factory.LazyFunction(lambda: TODAY() + dt.timedelta(days=700))


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Mission
        skip_postgeneration_save = True

    organisation = Organisation.UN
    name = factory.Sequence(lambda n: f"Stabilisation Mission {n}")
    acronym = factory.Sequence(lambda n: f"MISSION{n}")
    start = dt.date(2015, 1, 1)

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        if create:
            obj.countries.set(country(c) for c in (extracted or ["KE"]))


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Client

    name = factory.Sequence(lambda n: f"Client organisation {n}")
    kind = ClientKind.MISSION
    mission = factory.SubFactory(MissionFactory)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Contract
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"C-{n:06d}")
    client = factory.SubFactory(ClientFactory)
    mission = factory.LazyAttribute(lambda o: o.client.mission)
    company = factory.SubFactory(CompanyFactory)
    armed = False
    personnel_local = 10
    value = 100000
    currency = "USD"
    signed_on = factory.LazyFunction(lambda: TODAY() - dt.timedelta(days=30))
    start = factory.LazyFunction(lambda: TODAY() - dt.timedelta(days=20))
    end = factory.LazyFunction(lambda: TODAY() + dt.timedelta(days=200))
    status = ContractStatus.ACTIVE

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        if create:
            obj.countries.set(country(c) for c in (extracted or ["KE"]))

    @factory.post_generation
    def services(obj, create, extracted, **kwargs):
        if create:
            obj.services.set(service(c) for c in (extracted or ["unarmed_guarding"]))


# --- Oversight and personnel (compliance engine) -------------------------------------------


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Incident

    company = factory.SubFactory(CompanyFactory)
    occurred_on = factory.LazyFunction(lambda: TODAY() - dt.timedelta(days=60))
    country = factory.LazyFunction(lambda: country("KE"))
    category = "use_of_force"
    severity = "serious"
    status = "reported"
    summary = "Guards fired warning shots at a checkpoint; one bystander injured."


class SanctionFactory(factory.django.DjangoModelFactory):
    """A global debarment in force since a month ago, imposed by the company's authority."""

    class Meta:
        model = m.Sanction

    company = factory.SubFactory(CompanyFactory)
    imposed_by_authority = factory.LazyAttribute(lambda o: o.company.registering_authority)
    kind = "debarment"
    scope = "global"
    start = factory.LazyFunction(lambda: TODAY() - dt.timedelta(days=30))
    reason = "Repeated failure to report incidents."


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Person

    full_name = factory.Sequence(lambda n: f"Alex Fictional {n}")
    date_of_birth = dt.date(1985, 5, 17)
    nationality = factory.LazyFunction(lambda: country("KE"))
    identity_hash = factory.Sequence(lambda n: m.identity_hash("KE", f"TEST{n:08d}"))


class EmploymentFactory(factory.django.DjangoModelFactory):
    """A current local, unarmed employment on a contract of the same company."""

    class Meta:
        model = m.Employment

    person = factory.SubFactory(PersonFactory)
    contract = factory.SubFactory(ContractFactory)
    company = factory.LazyAttribute(lambda o: o.contract.company if o.contract else None)
    role = "Guard"
    armed = False
    origin = "local"
    start = factory.LazyFunction(lambda: TODAY() - dt.timedelta(days=10))


class VettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Vetting

    person = factory.SubFactory(PersonFactory)
    vetted_on = factory.LazyFunction(lambda: TODAY() - dt.timedelta(days=20))
    vetted_by = "Mission Security Section"
    outcome = "cleared"


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Training

    person = factory.SubFactory(PersonFactory)
    kind = "use_of_force"
    completed_on = factory.LazyFunction(lambda: TODAY() - dt.timedelta(days=100))
    provider = "Fictional Training Academy"


def compliant_company(**kwargs):
    """A company that passes every company rule: licence, code, certificate, insurance."""
    company = CompanyFactory(
        insurer="Harbour Mutual",
        insurance_cover=1_000_000,
        insurance_currency="USD",
        insurance_valid_until=TODAY() + dt.timedelta(days=365),
        **kwargs,
    )
    LicenceFactory(company=company)
    AdherenceFactory(company=company)
    CertificationFactory(company=company)
    return company


# --- Compliance records (API tests) ------------------------------------------------------


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Finding

    rule_code = "COC-NONE"
    severity = "warning"
    company = factory.SubFactory(CompanyFactory)
    subject_key = factory.LazyAttribute(lambda o: f"company:{o.company.pk}")
    message = "No code of conduct is signed and in force."
    first_seen = factory.LazyFunction(timezone.now)
    last_seen = factory.LazyAttribute(lambda o: o.first_seen)


class HiringCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.HiringCheck

    asked_at = factory.LazyFunction(timezone.now)
    company = factory.SubFactory(CompanyFactory)
    mission = factory.SubFactory(MissionFactory)
    countries = ["KE"]
    services = ["unarmed_guarding"]
    armed = False
    start = factory.LazyFunction(TODAY)
    end = factory.LazyFunction(lambda: TODAY() + dt.timedelta(days=90))
    verdict = "cleared"


# --- Two-factor authentication (registry.twofactor) ---------------------------------------


def totp_device(user, key=None):
    """A confirmed authenticator (TOTP device) for `user`; `key` is hex (a random one if None)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    extra = {"key": key} if key else {}
    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True, **extra)


def totp_code(device, steps=0) -> str:
    """The device's current 6-digit code (`steps` time steps ahead: a code is accepted once, so
    a second sign-in within the same 30 seconds needs the next one; one step ahead is allowed)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def mark_session_verified(client, user):
    """Make a signed-in test client's session verified with the user's authenticator, as the
    second sign-in step does (django-otp keeps the device's id in the session)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from registry import twofactor

    device = twofactor.authenticator(user) or totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
