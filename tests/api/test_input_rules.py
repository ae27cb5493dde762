"""Input rules of the API (ASVS 5.1): bounded JSON, strict ids, numbers, lists, dates and
paging, no control characters; every refusal a 400/413 in the error shape, never a 500."""

import json
import logging

import pytest
from django.db import connection
from django.test import override_settings

from .. import factories as f

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="NUL characters only fail on PostgreSQL"
)


def _error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == status and body["code"] and body["detail"]
    if field is not None:
        assert field in body.get("fields", {}), body
    return body


# --- 1. JSON depth and size -----------------------------------------------------------------


DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize(
    "url", ["/api/v1/auth/token/", "/api/v1/contracts/", "/api/v1/hiring-checks/"]
)
def test_json_nested_1000_deep_is_a_400_without_traceback(world, client_for, url, caplog):
    with caplog.at_level(logging.WARNING):
        response = client_for("admin").generic("POST", url, DEEP, content_type="application/json")
    body = _error(response, 400)
    assert "deeper" in body["detail"]
    assert not any(record.exc_info for record in caplog.records)


def test_deep_object_in_a_field_is_a_400(world, client_for):
    nested = '{"a":' * 100 + "1" + "}" * 100
    body = '{"username": "x", "password": ' + nested + "}"
    response = client_for("public").generic(
        "POST", "/api/v1/auth/token/", body, content_type="application/json"
    )
    _error(response, 400)


def test_brackets_inside_strings_do_not_count_as_depth(world, client_for):
    body = json.dumps({"username": "[" * 100, "password": "{\"" * 200})
    response = client_for("public").generic(
        "POST", "/api/v1/auth/token/", body, content_type="application/json"
    )
    _error(response, 401)


def test_oversized_body_is_a_json_413(world, client_for, caplog):
    body = json.dumps({"username": "x" * 3_000_000, "password": "y"})
    with caplog.at_level(logging.WARNING):
        response = client_for("public").generic(
            "POST", "/api/v1/auth/token/", body, content_type="application/json"
        )
    assert response["Content-Type"] == "application/json"
    _error(response, 413)
    assert not any(record.exc_info for record in caplog.records)


@override_settings(API_MAX_BODY_BYTES=1000)
def test_api_body_limit_setting(world, client_for):
    response = client_for("admin").post("/api/v1/contracts/", {"title": "x" * 2000}, format="json")
    _error(response, 413)
