import datetime as dt
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from registry import models as m
from registry.choices import ContractStatus, LicenceState, Role, Standing
from registry.demo import DEMO_USERS, FIXTURE_PATH
from registry.demo.build import ANCHOR, build
from registry.demo.load import load_demo
from registry.services.standing import company_standing

from .factories import LicenceFactory

pytestmark = pytest.mark.django_db
FIXTURE = settings.BASE_DIR / FIXTURE_PATH
TODAY = dt.date(2030, 3, 1)


@pytest.fixture
def demo():
    load_demo(FIXTURE, today=TODAY)


def company(name):
    return m.Company.objects.get(legal_name=name)


def test_committed_fixture_is_what_the_generator_builds():
    assert json.loads(FIXTURE.read_text()) == json.loads(json.dumps(build()))


def test_demo_has_the_promised_breadth(demo):
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


def test_dates_are_moved_to_the_day_of_loading(demo):
    shift = TODAY - ANCHOR
    kestrel = m.Licence.objects.get(number="SSLB/PSC/2021/0158")
    assert kestrel.valid_until == ANCHOR + dt.timedelta(days=45) + shift
    event = m.LicenceEvent.objects.filter(licence=kestrel).get()
    assert event.at.date() == ANCHOR - dt.timedelta(days=1500) + shift


def test_scenarios_show_every_standing(demo):
    expected = {
        "Harbourline Security Kenya Ltd": (Standing.GOOD, []),
        "Kestrel Ridge Protection Ltd": (Standing.RESTRICTED, ["LIC-EXPIRING"]),
        "Baobab Guarding Services Ltd": (Standing.RESTRICTED, ["CERT-EXPIRED"]),
        "Tamarind Risk Services (Pty) Ltd": (Standing.NOT_CLEARED, ["LIC-NONE"]),
        "Savanna Shield Security Ltd": (Standing.NOT_CLEARED, ["LIC-NONE"]),
        "Marula Protective Services Ltd": (Standing.NOT_CLEARED, ["LIC-NONE", "INS-EXPIRED"]),
    }
    for name, (standing, codes) in expected.items():
        result = company_standing(company(name), on=TODAY)
        assert (result.standing, [r.code for r in result.reasons]) == (standing, codes), name


def test_people_are_stored_by_keyed_hash_only(demo):
    person = m.Person.objects.get(full_name="Hodan Ali Warsame")
    assert person.identity_hash == m.identity_hash("SO", "SO-P0061402")
    assert "P0061402" not in json.dumps(list(m.Person.objects.values()), default=str)


def test_demo_users_have_their_roles_and_passwords(demo):
    for username, password in DEMO_USERS.items():
        user = User.objects.get(username=username)
        assert user.check_password(password) and user.is_staff
    regulator = User.objects.get(username="regulator")
    assert (
        regulator.profile.role == Role.REGULATOR and regulator.profile.authority.acronym == "SSLB"
    )
    assert regulator.groups.get().name == "Regulators"
    mission = User.objects.get(username="mission").profile
    assert set(mission.missions.values_list("acronym", flat=True)) == {"UNISOM", "AUTSM"}
    assert User.objects.get(username="admin").is_superuser


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
