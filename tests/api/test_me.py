"""GET /api/v1/me/: who the caller is to the registry, and what its role may write."""

import pytest
from rest_framework.test import APIClient

from registry.models import ApiToken

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def token_client(user) -> tuple[APIClient, ApiToken]:
    token, key = ApiToken.issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, token


def test_anonymous_callers_are_told_to_authenticate():
    response = APIClient().get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_mission_staff_see_their_missions_and_the_token_in_use(mission_officer, mission):
    client, token = token_client(mission_officer)
    body = client.get(ME).json()
    assert (body["username"], body["role"], body["authority"]) == ("officer", "mission_staff", None)
    assert body["missions"] == [{"id": mission.id, "acronym": "UNMIX", "name": mission.name}]
    assert body["token"]["id"] == token.id
    assert body["token"]["expires_at"].startswith(token.expires_at.strftime("%Y-%m-%dT%H:%M"))
    assert "key" not in str(body["token"]) and "hash" not in str(body["token"])
    assert {"contracts", "hiring-checks"} <= set(body["writes"])
    assert "licences" not in body["writes"] and "companies" not in body["writes"]


def test_a_regulator_sees_its_authority_and_writes_the_register(regulator, authority):
    body = token_client(regulator)[0].get(ME).json()
    assert body["role"] == "regulator" and body["missions"] == []
    assert body["authority"]["id"] == authority.id
    assert body["authority"]["name"] == authority.name
    assert {"companies", "licences", "sanctions"} <= set(body["writes"])


def test_a_session_has_no_token(client_for):
    body = client_for("auditor").get(ME).json()
    assert body["role"] == "auditor" and body["token"] is None
    assert not {"audit", "contracts", "licences"} & set(body["writes"])


@pytest.mark.parametrize("role", ["mission_officer", "regulator", "auditor", "admin_user"])
def test_writes_are_what_the_api_root_says_the_role_may_write(request, role):
    client = token_client(request.getfixturevalue(role))[0]
    root = client.get("/api/v1/").json()["resources"]
    assert client.get(ME).json()["writes"] == [n for n, r in root.items() if r["write"]]


def test_me_costs_a_fixed_number_of_queries(mission_officer, django_assert_max_num_queries):
    client = token_client(mission_officer)[0]
    client.get(ME)
    with django_assert_max_num_queries(6):
        assert client.get(ME).status_code == 200
