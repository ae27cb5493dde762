"""POST /licences/{id}/{action}/ runs the domain transition, for the licence's own authority."""

import datetime as dt

import pytest

from registry.choices import LicenceState
from registry.models import LicenceEvent

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_suspend_then_reinstate(world, client_for, regulator):
    client = client_for("regulator")
    url = f"/api/v1/licences/{world.licence.pk}/"
    response = client.post(url + "suspend/", {"reason": "Inspection found gaps."}, format="json")
    assert response.status_code == 200 and response.json()["state"] == LicenceState.SUSPENDED
    assert response.json()["allowed_actions"] == ["reinstate", "revoke", "surrender"]
    event = LicenceEvent.objects.get()
    assert (event.actor, event.reason) == (regulator, "Inspection found gaps.")
    assert (
        client.post(url + "reinstate/", {"reason": "Fixed."}, format="json").json()["state"]
        == "active"
    )


def test_renew_takes_new_dates(world, client_for):
    new_until = world.licence.valid_until + dt.timedelta(days=365)
    response = client_for("regulator").post(
        f"/api/v1/licences/{world.licence.pk}/renew/",
        {"reason": "Renewal", "valid_until": new_until.isoformat()},
        format="json",
    )
    assert response.status_code == 200 and response.json()["valid_until"] == new_until.isoformat()


def test_grant_an_application(world, client_for):
    applied = f.LicenceFactory(company=world.company, state=LicenceState.APPLIED)
    response = client_for("admin").post(
        f"/api/v1/licences/{applied.pk}/grant/", {"reason": "Complete file."}, format="json"
    )
    assert response.json()["state"] == LicenceState.ACTIVE


@pytest.mark.parametrize(
    ("role", "status"), [("public", 401), ("auditor", 403), ("mission_staff", 403)]
)
def test_roles_that_may_not_transition(world, client_for, role, status):
    response = client_for(role).post(
        f"/api/v1/licences/{world.licence.pk}/suspend/", {"reason": "x"}, format="json"
    )
    assert response.status_code == status


def test_regulator_of_another_authority_is_refused(world, client_for):
    response = client_for("regulator").post(
        f"/api/v1/licences/{world.other_licence.pk}/suspend/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
    world.other_licence.refresh_from_db()
    assert world.other_licence.state == LicenceState.ACTIVE


def test_reason_is_required(world, client_for):
    response = client_for("regulator").post(
        f"/api/v1/licences/{world.licence.pk}/suspend/", {}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()["fields"]


def test_a_decided_licence_changes_dates_and_holder_only_by_transition(world, client_for):
    """As in the admin: once granted, a PATCH cannot extend or move the licence silently."""
    client = client_for("regulator")
    url = f"/api/v1/licences/{world.licence.pk}/"
    before = world.licence.valid_until
    later = (before + dt.timedelta(days=3650)).isoformat()
    other = f.CompanyFactory(registering_authority=world.licence.authority)
    for change in ({"valid_until": later}, {"company": other.pk}, {"number": "X-1"}):
        response = client.patch(url, change, format="json")
        assert response.status_code == 400, change
        assert set(response.json()["fields"]) == set(change)
    world.licence.refresh_from_db()
    assert (world.licence.valid_until, world.licence.company) == (before, world.company)
    assert not LicenceEvent.objects.exists()
    # Unchanged values and other fields still save; an application's dates are still editable.
    same = {"valid_until": before.isoformat(), "conditions": "Night patrols only."}
    assert client.patch(url, same, format="json").status_code == 200
    applied = f.LicenceFactory(company=world.company, state=LicenceState.APPLIED)
    response = client.patch(
        f"/api/v1/licences/{applied.pk}/", {"valid_until": later}, format="json"
    )
    assert response.status_code == 200 and response.json()["valid_until"] == later


def test_transition_with_a_stale_if_match_is_a_412_and_changes_nothing(world, client_for):
    client = client_for("regulator")
    url = f"/api/v1/licences/{world.licence.pk}/"
    stale = client.get(url)["ETag"]
    client.patch(url, {"conditions": "Inspected."}, format="json")  # the licence changes
    response = client.post(url + "suspend/", {"reason": "x"}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412 and response.json()["code"] == "precondition_failed"
    world.licence.refresh_from_db()
    assert world.licence.state == LicenceState.ACTIVE
    assert not LicenceEvent.objects.exists()


def test_transition_with_the_current_if_match_or_none_proceeds(world, client_for):
    client = client_for("regulator")
    url = f"/api/v1/licences/{world.licence.pk}/"
    current = client.get(url)["ETag"]
    response = client.post(url + "suspend/", {"reason": "x"}, format="json", HTTP_IF_MATCH=current)
    assert response.status_code == 200 and response.json()["state"] == LicenceState.SUSPENDED
    assert response["ETag"] == client.get(url)["ETag"]
    response = client.post(url + "reinstate/", {"reason": "y"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == LicenceState.ACTIVE


def test_every_action_a_person_takes_has_its_endpoint():
    from api.views.register import LicenceViewSet
    from registry.services.licensing import USER_ACTIONS

    routes = {a.url_path for a in LicenceViewSet.get_extra_actions()}
    assert routes == set(USER_ACTIONS)
