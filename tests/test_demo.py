import datetime as dt
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from registry import models as m
from registry.choices import ContractStatus, LicenceState, Role, Standing, Verdict
from registry.demo import DEMO_USERS, FIXTURE_PATH
from registry.demo.build import build
from registry.demo.load import load_demo
from registry.demo.values import ANCHOR
from registry.services.hiring import run_hiring_check
from registry.services.standing import company_standing

from .factories import LicenceFactory

pytestmark = pytest.mark.django_db
FIXTURE = settings.BASE_DIR / FIXTURE_PATH
TODAY = dt.date(2030, 3, 1)


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the tests that only read it, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(FIXTURE, today=TODAY)
        yield
        transaction.set_rollback(True)


def company(name):
    return m.Company.objects.get(legal_name=name)


def test_committed_fixture_is_what_the_generator_builds():
    assert json.loads(FIXTURE.read_text()) == json.loads(json.dumps(build()))


@pytest.mark.usefixtures("demo")
class TestLoadedDemo:
    def test_demo_has_the_promised_breadth(self):
        assert m.LicensingAuthority.objects.values("country").distinct().count() >= 3
        assert m.Company.objects.count() >= 25
        assert m.Company.objects.filter(parent__isnull=False).count() >= 4
        assert m.Company.objects.filter(lei__isnull=False).count() >= 5
        assert m.CompanyAlias.objects.exists()
        assert set(m.Licence.objects.values_list("state", flat=True)) == set(LicenceState.values)
        assert m.LicenceEvent.objects.count() >= m.Licence.objects.exclude(state="applied").count()
        assert {"icoc", "psc1", "iso18788"} <= set(
            m.ConductStandard.objects.values_list("code", flat=True)
        )
        assert m.Mission.objects.values("organisation").distinct().count() >= 3
        assert m.Mission.objects.count() >= 4 and m.Client.objects.count() >= 8
        contracts = m.Contract.objects
        assert contracts.count() >= 80
        assert contracts.filter(status=ContractStatus.TERMINATED_CAUSE).count() >= 2
        assert contracts.filter(parent__isnull=False).count() >= 3
        assert contracts.dates("start", "year").count() >= 4
        assert m.Sanction.objects.filter(kind="debarment").in_force_on(TODAY).exists()
        assert m.Vetting.objects.filter(ddr_participant=True).exists()
        assert m.Vetting.objects.filter(serving_security_forces=True).exists()
        assert m.Training.objects.exists() and m.Incident.objects.exists()
        for model in (m.Company, m.Licence, m.Contract, m.Person):
            model.objects.first().full_clean()

    def test_dates_are_moved_to_the_day_of_loading(self):
        shift = TODAY - ANCHOR
        kestrel = m.Licence.objects.get(number="SSLB/PSC/2021/0158")
        assert kestrel.valid_until == ANCHOR + dt.timedelta(days=45) + shift
        event = m.LicenceEvent.objects.filter(licence=kestrel).get()
        assert event.at.date() == ANCHOR - dt.timedelta(days=1500) + shift

    def test_scenarios_show_every_standing(self):
        expected = {
            "Harbourline Security Kenya Ltd": (Standing.GOOD, []),
            "Kestrel Ridge Protection Ltd": (
                Standing.RESTRICTED,
                ["LIC-EXPIRING", "INC-OPEN-SERIOUS"],
            ),
            "Baobab Guarding Services Ltd": (Standing.RESTRICTED, ["CERT-EXPIRED"]),
            "Tamarind Risk Services (Pty) Ltd": (Standing.NOT_CLEARED, ["LIC-NONE"]),
            "Savanna Shield Security Ltd": (Standing.NOT_CLEARED, ["LIC-NONE"]),
            "Marula Protective Services Ltd": (Standing.NOT_CLEARED, ["LIC-NONE", "INS-EXPIRED"]),
            "Lakeshore Demining Trust SA": (Standing.RESTRICTED, ["COC-NONE"]),
            "Cobalt Crest Risk Advisory Ltd": (Standing.GOOD, []),
            "Kilima Guard Services Ltd": (
                Standing.NOT_CLEARED,
                ["PER-DDR", "PER-SERVING-FORCES", "PER-VETTING"],
            ),
            "Ironwood Escort Solutions (Pty) Ltd": (
                Standing.NOT_CLEARED,
                ["LIC-NONE", "SAN-DEBARRED"],
            ),
            "Ember Rock Protection Ltd": (Standing.NOT_CLEARED, ["LIC-NONE"]),
            "Highveld Sentinel Security (Pty) Ltd": (Standing.NOT_CLEARED, ["LIC-NONE"]),
        }
        for name, (standing, codes) in expected.items():
            result = company_standing(company(name), on=TODAY)
            found = [r.code for r in result.reasons]
            assert result.standing == standing and set(codes) <= set(found), (name, found)

    def test_people_are_stored_by_keyed_hash_only(self):
        person = m.Person.objects.get(full_name="Hodan Ali Warsame")
        assert person.identity_hash == m.identity_hash("SO", "SO-P0061402")
        assert "P0061402" not in json.dumps(list(m.Person.objects.values()), default=str)

    def test_demo_users_have_their_roles_and_passwords(self):
        for username, password in DEMO_USERS.items():
            user = User.objects.get(username=username)
            assert user.check_password(password) and user.is_staff
        regulator = User.objects.get(username="regulator")
        assert (
            regulator.profile.role == Role.REGULATOR
            and regulator.profile.authority.acronym == "SSLB"
        )
        assert regulator.groups.get().name == "Regulators"
        mission = User.objects.get(username="mission").profile
        assert set(mission.missions.values_list("acronym", flat=True)) == {"UNISOM", "AUTSM"}
        assert User.objects.get(username="admin").is_superuser

    def test_demo_users_of_two_factor_roles_have_the_documented_authenticators(self):
        from base64 import b32encode

        from django_otp.plugins.otp_totp.models import TOTPDevice

        from registry.audit.models import AuditEntry
        from registry.demo import DEMO_TOTP_SECRETS

        devices = TOTPDevice.objects.filter(confirmed=True).select_related("user")
        assert {d.user.username: b32encode(d.bin_key).decode() for d in devices} == (
            DEMO_TOTP_SECRETS
        )
        assert set(DEMO_TOTP_SECRETS) == {"regulator", "auditor", "admin"}  # not mission staff
        # Their enrolment is audited, with the secret masked.
        enrolled = AuditEntry.objects.filter(object_type="otp_totp.totpdevice", action="create")
        assert enrolled.count() == 3
        assert {e.changes["key"][1] for e in enrolled} == {"[masked]"}
        trail = str(list(AuditEntry.objects.values_list("changes", flat=True)))
        assert not any(d.key in trail for d in devices)


def test_demo_totp_prints_the_code_an_authenticator_app_shows(capsys):
    from registry import twofactor

    load_demo(FIXTURE, today=TODAY)
    call_command("demo_totp", "auditor")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    assert twofactor.verify(User.objects.get(username="auditor"), code) is not None
    with pytest.raises(CommandError):
        call_command("demo_totp", "mission")


def test_demo_totp_refuses_an_authenticator_that_is_not_the_demo_one():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    load_demo(FIXTURE, today=TODAY)
    TOTPDevice.objects.filter(user__username="admin").update(key="00" * 20)
    with pytest.raises(CommandError, match="not the demo one"):
        call_command("demo_totp", "admin")


def test_load_demo_command_only_into_an_empty_database(capsys):
    call_command("load_demo", "--if-empty")
    assert "Loaded" in capsys.readouterr().out
    counts = m.Contract.objects.count(), User.objects.count()

    call_command("load_demo", "--if-empty")
    assert "demo not loaded" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already holds data"):
        call_command("load_demo")
    assert (m.Contract.objects.count(), User.objects.count()) == counts
    # Sequences moved past the demo's explicit keys: new records can be added.
    LicenceFactory(company__registering_authority=m.LicensingAuthority.objects.first())
    User.objects.create_user("newcomer")


def test_load_demo_is_in_the_audit_log_in_bulk():
    from registry.audit.chain import verify_chain
    from registry.audit.models import AuditEntry

    call_command("load_demo")
    contracts = AuditEntry.objects.filter(object_type="registry.contract", channel="command")
    assert contracts.filter(action="create").count() == m.Contract.objects.count()
    assert contracts.filter(action="update", changes__has_key="countries").exists()
    assert {e.actor_label for e in contracts[:5]} == {f"command:load_demo (os:{_os_user()})"}
    user = AuditEntry.objects.filter(object_type="auth.user", action="create").first()
    assert user.changes["password"][1] == "[masked]"
    assert verify_chain() == (True, None)


def _os_user():
    from registry.audit.context import os_user

    return os_user()


def test_load_demo_refuses_when_any_demo_table_has_rows():
    User.objects.create_user("someone")
    with pytest.raises(CommandError, match="auth.User"):
        call_command("load_demo")
    assert not m.Company.objects.exists()


def test_build_demo_fixture_command_is_deterministic(tmp_path, capsys):
    out = tmp_path / "demo.json"
    call_command("build_demo_fixture", "--output", str(out))
    assert out.read_text() == FIXTURE.read_text()
    assert "demo records" in capsys.readouterr().out


def test_hiring_checks_give_the_verdicts_the_readme_promises():
    """README's demo table: armed escort in Somalia (or the company's own ground) from day 10."""
    today = timezone.localdate()
    load_demo(FIXTURE, today=today)
    start, end = today + dt.timedelta(days=10), today + dt.timedelta(days=150)
    unisom, autsm = (m.Mission.objects.get(acronym=a) for a in ("UNISOM", "AUTSM"))
    cases = [
        ("Harbourline Security Kenya Ltd", unisom, "SO", "armed_escort", Verdict.CLEARED, set()),
        ("Kestrel Ridge Protection Ltd", unisom, "KE", "armed_static_guarding",
         Verdict.CLEARED_WITH_WARNINGS, {"LIC-RENEWAL"}),
        ("Cobalt Crest Risk Advisory Ltd", unisom, "SO", "armed_escort", Verdict.REFUSED,
         {"LIC-SERVICE"}),
        ("Cobalt Crest Risk Advisory Ltd", unisom, "SO", "training_advising", Verdict.REFUSED,
         {"ARM-NOT-AUTHORISED"}),
("Kilima Guard Services Ltd", unisom, "SO", "armed_static_guarding", Verdict.REFUSED,
         {"PER-DDR", "PER-SERVING-FORCES", "PER-VETTING"}),
                ("Tamarind Risk Services (Pty) Ltd", autsm, "SS", "armed_escort", Verdict.REFUSED, set()),
        ("Ironwood Escort Solutions (Pty) Ltd", unisom, "SO", "armed_escort", Verdict.REFUSED,
         {"SAN-DEBARRED"}),
    ]  # fmt: skip
    for name, mission, country, service, verdict, codes in cases:
        check = run_hiring_check(
            company=company(name), mission=mission, countries=[country], services=[service],
            armed=True, personnel_local=10, armed_personnel=6, start=start, end=end,
        )  # fmt: skip
        found = {x["rule"] for x in check.findings}
        assert check.verdict == verdict and codes <= found, (name, check.verdict, found)
