"""Admin smoke tests: logins, the company page's standing, and licence transitions."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from registry.choices import LicenceState, Role
from registry.demo import DEMO_USERS, FIXTURE_PATH
from registry.demo.load import load_demo
from registry.models import LicenceEvent
from registry.roles import ROLE_GROUP_NAMES

from . import factories as f

pytestmark = pytest.mark.django_db


def test_login_page_answers(client):
    assert client.get(reverse("admin:login")).status_code == 200


def test_demo_regulator_can_log_in(client):
    load_demo(settings.BASE_DIR / FIXTURE_PATH)
    response = client.post(
        reverse("admin:login"),
        {"username": "regulator", "password": DEMO_USERS["regulator"], "next": "/admin/"},
    )
    assert response.status_code == 302 and response.url == "/admin/"
    # Then the second factor: the demo regulator's authenticator (README, "Demo logins").
    step = client.get("/admin/")
    assert step.status_code == 302 and step.url == "/login/verify/?next=%2Fadmin%2F"
    code = io.StringIO()
    call_command("demo_totp", "regulator", stdout=code)
    assert (
        client.post(step.url, {"code": code.getvalue().strip(), "next": "/admin/"}).url == "/admin/"
    )
    index = client.get("/admin/")
    assert index.status_code == 200
    assert b"Licences" in index.content and b"Contracts" in index.content


@pytest.fixture
def staff_regulator(regulator):
    regulator.is_staff = True
    regulator.save()
    return regulator


def test_company_page_shows_standing_and_reasons(client, staff_regulator, company):
    client.force_login(staff_regulator)
    response = client.get(reverse("admin:registry_company_change", args=[company.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not cleared" in html and "LIC-NONE" in html
    assert "No licence from any authority is on record." in html


def transition_url(licence):
    return reverse("admin:registry_licence_transition", args=[licence.pk])


def test_legal_transition_is_applied(client, staff_regulator, company):
    licence = f.LicenceFactory(company=company, state=LicenceState.APPLIED)
    client.force_login(staff_regulator)
    assert client.get(transition_url(licence)).status_code == 200
    response = client.post(transition_url(licence), {"action": "grant", "reason": "Inspected."})
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.state == LicenceState.ACTIVE
    event = LicenceEvent.objects.get(licence=licence)
    assert (event.actor, event.reason) == (staff_regulator, "Inspected.")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"action": "grant", "reason": "Again"}, "Select a valid choice"),
        ({"action": "renew", "reason": "Renewal", "valid_until": "2000-01-01"}, "must extend"),
        ({"action": "suspend", "reason": ""}, "This field is required"),
    ],
)
def test_illegal_transition_shows_error_and_changes_nothing(
    client, staff_regulator, company, data, error
):
    licence = f.LicenceFactory(company=company, state=LicenceState.ACTIVE)
    client.force_login(staff_regulator)
    response = client.post(transition_url(licence), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    licence.refresh_from_db()
    assert licence.state == LicenceState.ACTIVE
    assert not LicenceEvent.objects.exists()


def test_regulator_cannot_change_another_authoritys_licence(client, staff_regulator):
    licence = f.LicenceFactory(state=LicenceState.ACTIVE)  # another authority's company
    client.force_login(staff_regulator)
    response = client.post(transition_url(licence), {"action": "suspend", "reason": "x"})
    assert response.status_code == 403
    licence.refresh_from_db()
    assert licence.state == LicenceState.ACTIVE


def test_auditor_reads_but_cannot_change(client, auditor):
    auditor.is_staff = True
    auditor.save()
    licence = f.LicenceFactory()
    client.force_login(auditor)
    assert (
        client.get(reverse("admin:registry_licence_change", args=[licence.pk])).status_code == 200
    )
    assert client.get(reverse("admin:registry_company_add")).status_code == 403
    assert (
        client.post(transition_url(licence), {"action": "suspend", "reason": "x"}).status_code
        == 403
    )


def test_mission_staff_see_only_their_missions_contracts(client, mission_officer, mission):
    mission_officer.is_staff = True
    mission_officer.save()
    own = f.ContractFactory(client=f.ClientFactory(mission=mission), reference="OWN-1")
    other = f.ContractFactory(reference="OTHER-1")
    client.force_login(mission_officer)
    html = client.get(reverse("admin:registry_contract_changelist")).content.decode()
    assert own.reference in html and other.reference not in html
    url = reverse("admin:registry_contract_change", args=[other.pk])
    assert client.get(url).status_code == 302  # not visible: the admin redirects with a message


@pytest.mark.parametrize("role", [Role.REGULATOR, Role.MISSION_STAFF, Role.AUDITOR])
def test_role_groups_follow_the_profile(role, authority):
    profile = f.ProfileFactory(role=role, authority=authority if role == Role.REGULATOR else None)
    assert list(profile.user.groups.values_list("name", flat=True)) == [ROLE_GROUP_NAMES[role]]


def test_auditor_group_only_views():
    codenames = Group.objects.get(name="Auditors").permissions.values_list("codename", flat=True)
    assert codenames and all(c.startswith("view_") for c in codenames)


def test_company_changelist_query_count(client, admin_user, django_assert_max_num_queries):
    for _ in range(5):
        f.LicenceFactory()
    client.force_login(admin_user)
    with django_assert_max_num_queries(15 + 1):  # + the session's second-factor device
        assert client.get(reverse("admin:registry_company_changelist")).status_code == 200


def test_person_added_in_admin_keeps_only_the_document_hash(client, admin_user):
    from registry.models import Person, identity_hash

    client.force_login(admin_user)
    data = {
        "full_name": "Grace Achieng",
        "nationality": "KE",
        "identity_document_country": "KE",
        "identity_document_number": "A 1234567",
    }
    for prefix in ("employments", "vettings", "trainings"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(reverse("admin:registry_person_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get()
    assert person.identity_hash == identity_hash("KE", "A1234567")
    # A known document joins the existing record; nothing says it was known.
    again = client.post(reverse("admin:registry_person_add"), {**data, "full_name": "G. Achieng"})
    assert again.status_code == 302
    assert Person.objects.get().full_name == "Grace Achieng"
