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
