"""GET /api/v1/ lists, for the caller's role, the resources it may use and with which methods;
what it promises is what the resources then answer."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from api.urls import OTHER_ENDPOINTS, router

from .conftest import ROLES

pytestmark = pytest.mark.django_db

ALL_RESOURCES = {prefix for prefix, _, _ in router.registry} | {
    route.rstrip("/") for route, *_ in OTHER_ENDPOINTS
}
# Resources whose POST is only an action on a record (a finding's waiver, for one).
POST_ON_RECORDS_ONLY = {
    prefix for prefix, viewset, _ in router.registry if not hasattr(viewset, "create")
}


def _root(client_for, role):
    response = client_for(role).get("/api/v1/")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("role", ROLES)
def test_the_root_answers_every_role_with_absolute_urls(client_for, role):
    body = _root(client_for, role)
    assert body["role"] == role
    assert set(body["resources"]) <= ALL_RESOURCES
    for name, resource in body["resources"].items():
        assert resource["url"] == f"http://testserver/api/v1/{name}/"
        assert resource["methods"], name
        assert resource["read"] == ("GET" in resource["methods"])
        writes = {"POST", "PUT", "PATCH", "DELETE"}  # DELETE: revoking one of your own tokens
        assert resource["write"] == bool(writes & set(resource["methods"]))


EXPECTED = {
    "public": {
        "read": {"companies", "licences", "authorities", "service-categories", "rules", "codes"},
        "not read": {"contracts", "coordination", "personnel", "audit", "status", "incidents"},
        "write": {"auth/token"},
        "not write": {"companies", "licences", "contracts"},
    },
    "mission_staff": {
        "read": {"contracts", "coordination", "companies", "hiring-checks", "status"},
        "not read": {"personnel", "audit", "audit/verify"},
        "write": {"contracts", "hiring-checks"},
        "not write": {"companies", "licences", "missions"},
    },
    "regulator": {
        "read": {"contracts", "coordination", "personnel", "incidents", "status"},
        "not read": {"audit", "audit/verify"},
        "write": {"companies", "licences", "incidents", "sanctions", "contracts"},
        "not write": {"missions", "hiring-checks"},
    },
    "auditor": {
        "read": {"contracts", "personnel", "audit", "audit/verify", "findings"},
        "not read": set(),
        "write": set(),
        "not write": {"companies", "licences", "contracts", "missions"},
    },
    "admin": {
        "read": ALL_RESOURCES - {"auth/token"},
        "not read": set(),
        "write": {"companies", "licences", "contracts", "missions", "clients", "hiring-checks"},
        "not write": {"audit", "rules", "service-categories", "coordination"},
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_the_root_names_what_each_role_may_use(client_for, role):
    resources = _root(client_for, role)["resources"]
    reads = {name for name, r in resources.items() if r["read"]}
    writes = {name for name, r in resources.items() if r["write"]}
    expected = EXPECTED[role]
    assert expected["read"] <= reads
    assert not expected["not read"] & reads
    assert expected["write"] <= writes
    assert not expected["not write"] & writes
    if role != "public":
        assert "auth/token" in resources  # signing out
        assert resources["auth/token"]["methods"] == ["POST", "DELETE"]
    else:
        assert resources["auth/token"]["methods"] == ["POST"]


@pytest.mark.parametrize("role", ROLES)
def test_the_root_promises_what_the_resources_answer(client_for, role):
    """Each resource answers a read (GET) and a create (POST) the way the root says it may."""
    client = client_for(role)
    resources = _root(client_for, role)["resources"]
    for name in sorted(ALL_RESOURCES):
        url = f"/api/v1/{name}/"
        methods = resources.get(name, {}).get("methods", [])
        got = client.get(url).status_code
        if "GET" in methods:
            # The status lookup needs its parameters: a 400 is an answer, not a refusal.
            assert got in (200, 400), (name, got)
        else:
            assert got in (401, 403, 405), (name, got)
        if name in POST_ON_RECORDS_ONLY:
            continue
        posted = client.post(url, {}, format="json").status_code
        if "POST" in methods:
            assert posted == 400, (name, posted)  # refused for its (empty) content only
        else:
            assert posted in (401, 403, 405), (name, posted)


def test_the_root_is_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert {"role", "resources"} <= set(component["properties"])
