"""Who may open which page: anonymous callers log in, wrong roles get a clear 403."""

import pytest
from django.urls import reverse

from registry.choices import Role

from . import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "mission_officer", "regulator", "auditor", "admin_user"]
# page -> roles that get 200 (anonymous gets a login redirect for every other page)
PAGES = {
    "web:search": ROLES,
    "web:dashboard": ROLES[1:],
    "web:hiring_check": ["mission_officer", "admin_user"],
    "web:contracts": ROLES[1:],
    "web:contract_new": ["mission_officer", "admin_user"],
    "web:queue": ["regulator", "admin_user"],
}


@pytest.fixture
def as_role(request, client):
    def login(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_access_by_role(as_role, page, role):
    response = as_role(role).get(reverse(page))
    if role in PAGES[page]:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 403
        assert "Access denied" in response.text
        assert "does not give access" in response.text


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("anonymous", ["Public register", "Log in"], ["Dashboard", "Work queue", "Hiring check"]),
        ("mission_officer", ["Hiring check", "Contracts", "Log out"], ["Work queue"]),
        ("regulator", ["Work queue", "Contracts"], ["Hiring check"]),
        ("auditor", ["Contracts", "Dashboard"], ["Work queue", "Hiring check"]),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(as_role, role, visible, hidden):
    text = as_role(role).get(reverse("web:search")).text
    nav = text[text.index('<nav aria-label="Main">') : text.index("</header>")]
    for label in visible:
        assert label in nav
    for label in hidden:
        assert label not in nav


def test_login_and_logout(client, regulator):
    device = f.totp_device(regulator)
    response = client.post(
        reverse("login"),
        {"username": "regulator", "password": "correct-horse-battery", "next": "/queue/"},
    )
    # A regulator gives a second factor after the password (tests/test_twofactor.py).
    assert response.status_code == 302 and response["Location"].startswith("/login/verify/")
    response = client.post(response["Location"], {"code": f.totp_code(device), "next": "/queue/"})
    assert response.status_code == 302 and response["Location"] == "/queue/"
    assert client.get("/queue/").status_code == 200
    client.post(reverse("logout"))
    assert client.get("/queue/").status_code == 302


def test_wrong_password_keeps_the_username_and_says_why(client, regulator):
    response = client.post(reverse("login"), {"username": "regulator", "password": "wrong"})
    assert response.status_code == 200
    assert 'value="regulator"' in response.text
    assert "Please enter a correct username and password" in response.text


def test_a_login_without_a_registry_role_is_treated_as_public(client):
    client.force_login(f.UserFactory())
    assert client.get(reverse("web:dashboard")).status_code == 403


def test_a_regulator_cannot_act_on_another_authoritys_company(client, regulator):
    other = f.LicenceFactory()  # licensed and registered by another authority
    client.force_login(regulator)
    assert client.get(reverse("web:licence_action", args=[other.pk])).status_code == 403
    assert client.get(reverse("web:incident_new", args=[other.company_id])).status_code == 403
    assert client.get(reverse("web:sanction_new", args=[other.company_id])).status_code == 403


def test_mission_staff_do_not_see_other_missions_contracts(client, mission_officer):
    other = f.ContractFactory(reference="OTHER-1")
    client.force_login(mission_officer)
    assert "OTHER-1" not in client.get(reverse("web:contracts")).text
    assert client.get(reverse("web:contract", args=[other.pk])).status_code == 404


def test_role_fixture_sanity(mission_officer):
    assert mission_officer.profile.role == Role.MISSION_STAFF
