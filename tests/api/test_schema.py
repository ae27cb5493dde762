"""The OpenAPI schema is served, validates, describes errors; the docs page needs no internet."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

RESOURCES = [
    "authorities",
    "companies",
    "licences",
    "codes",
    "adherences",
    "certifications",
    "missions",
    "clients",
    "contracts",
    "incidents",
    "sanctions",
    "personnel",
    "vetting",
    "findings",
    "service-categories",
    "rules",
    "hiring-checks",
]


def test_schema_is_served_and_validates(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    paths = schema["paths"]
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths, resource
    for action in ["grant", "refuse", "suspend", "reinstate", "revoke", "surrender", "renew"]:
        assert f"/api/v1/licences/{{id}}/{action}/" in paths
    assert {"/api/v1/status/", "/api/v1/companies/{id}/status/", "/api/v1/auth/token/"} <= set(
        paths
    )


def test_schema_documents_errors_and_filters():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    contracts = schema["paths"]["/api/v1/contracts/"]["get"]
    params = {p["name"] for p in contracts["parameters"]}
    assert {
        "company",
        "client",
        "mission",
        "country",
        "service",
        "armed",
        "status",
        "active_on",
        "signed_after",
        "value_min",
        "value_max",
        "q",
        "cursor",
        "format",
    } <= params
    assert {"400", "401", "429"} <= set(contracts["responses"])
    patch = schema["paths"]["/api/v1/companies/{id}/"]["patch"]["responses"]
    assert {"400", "403", "404", "412", "415"} <= set(patch)
    assert "Error" in schema["components"]["schemas"]
    companies = {p["name"] for p in schema["paths"]["/api/v1/companies/"]["get"]["parameters"]}
    assert {"country", "service", "licensed_in", "q"} <= companies
    licences = {p["name"] for p in schema["paths"]["/api/v1/licences/"]["get"]["parameters"]}
    assert {"state", "authority", "country", "service", "expires_before"} <= licences


def test_schema_has_no_examples_of_sensitive_records():
    text = str(SchemaGenerator().get_schema(request=None, public=True))
    assert "example" not in text.lower() or "identity_hash" not in text


def test_docs_render_offline(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html.lower()
    external = [u for u in re.findall(r"""(?:src|href)=["']([^"']+)""", html) if "//" in u]
    assert external == []
    for asset in re.findall(r"""src=["']([^"']+\.js)""", html):
        assert client.get(asset).status_code == 200, asset


def test_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


ERROR_REF = "#/components/schemas/Error"


def test_every_operation_documents_its_error_answers_in_the_error_shape(schema):
    for path, method, op in _operations(schema):
        responses = op["responses"]
        where = f"{method} {path}"
        assert {"401", "429"} <= set(responses), where
        if "{" in path:
            assert "404" in responses, where
        if method in ("POST", "PUT", "PATCH") and path != "/api/v1/auth/token/":
            assert {"400", "403", "409", "415"} <= set(responses), where
        if method in ("PUT", "PATCH"):
            assert "412" in responses, where
        for code, response in responses.items():
            if code.startswith(("4", "5")):
                assert response["content"]["application/json"]["schema"]["$ref"] == ERROR_REF


def test_403_is_documented_exactly_where_a_signed_in_role_can_be_refused(schema):
    paths = schema["paths"]
    assert "403" in paths["/api/v1/audit/"]["get"]["responses"]  # auditors and admins only
    assert "403" in paths["/api/v1/audit/verify/"]["get"]["responses"]
    assert "403" not in paths["/api/v1/companies/"]["get"]["responses"]  # everyone reads
    assert "403" not in paths["/api/v1/auth/token/"]["post"]["responses"]
    assert "409" not in paths["/api/v1/auth/token/"]["delete"]["responses"]


def test_security_says_which_operations_need_no_credentials(schema):
    token = schema["paths"]["/api/v1/auth/token/"]
    assert token["post"]["security"] == [{}]
    assert {} not in token["delete"]["security"]
    for path in ("/api/v1/companies/", "/api/v1/companies/{id}/", "/api/v1/licences/"):
        security = schema["paths"][path]["get"]["security"]
        assert {} in security and {"tokenAuth": []} in security, path
    for path in ("/api/v1/contracts/", "/api/v1/personnel/", "/api/v1/audit/"):
        assert {} not in schema["paths"][path]["get"]["security"], path
    for path, method, op in _operations(schema):
        if method != "GET":
            assert path == "/api/v1/auth/token/" or {} not in op.get("security", []), path


def test_security_matches_what_an_anonymous_caller_gets(schema, world):
    from rest_framework.test import APIClient

    anonymous = APIClient()
    for path, method, op in _operations(schema):
        if method != "GET" or "{" in path:
            continue
        status = anonymous.get(path).status_code
        if {} in op["security"]:
            assert status == 200, path
        else:
            assert status == 401, path


def test_foreign_keys_are_integers(schema):
    numbers = []
    for path, _method, op in _operations(schema):
        for parameter in op.get("parameters", []):
            s = parameter["schema"]
            if "number" in (s.get("type"), s.get("items", {}).get("type")):
                numbers.append((path, parameter["name"]))
            if parameter["in"] == "path" and parameter["name"] in ("id", "seq"):
                assert s["type"] == "integer", (path, parameter)
    # Amounts are decimals; every id filter (company, client, mission, parent, …) is an integer.
    assert {name for _, name in numbers} <= {"value_min", "value_max"}, numbers
    contracts = {p["name"]: p for p in schema["paths"]["/api/v1/contracts/"]["get"]["parameters"]}
    assert contracts["company"]["schema"]["items"]["type"] == "integer"
    assert contracts["company"]["schema"]["items"]["maximum"] == 2**63 - 1
    for name, component in schema["components"]["schemas"].items():
        for field, prop in component.get("properties", {}).items():
            if field.endswith("_id") or field in ("company", "client", "mission", "parent"):
                assert prop.get("type") != "number", (name, field)
