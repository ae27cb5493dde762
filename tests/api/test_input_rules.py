"""Input rules of the API (ASVS 5.1): bounded JSON, strict ids, numbers, lists, dates and
paging, no control characters; every refusal a 400/413 in the error shape, never a 500."""

import json
import logging

import pytest
from django.db import connection
from django.test import override_settings

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
    body = json.dumps({"username": "[" * 100, "password": '{"' * 200})
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


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=None)
def test_no_django_limit_still_bounds_the_api(world, client_for):
    body = json.dumps({"username": "x" * 3_000_000, "password": "y"})
    response = client_for("public").generic(
        "POST", "/api/v1/auth/token/", body, content_type="application/json"
    )
    _error(response, 413)


# --- 2. strict ids, dates, numbers and paging ---------------------------------------------------

BIG = str(2**63)  # one past the 64-bit signed range: SQLite overflowed on it


@pytest.mark.parametrize(
    ("url", "param"),
    [
        (f"/api/v1/contracts/?id={BIG}", "id"),
        (f"/api/v1/contracts/?company={BIG}", "company"),
        (f"/api/v1/licences/?company=3,{BIG}", "company"),
        (f"/api/v1/licences/?id={BIG}", "id"),
        (f"/api/v1/companies/?registering_authority={BIG}", "registering_authority"),
        (f"/api/v1/audit/?company={BIG}", "company"),
        (f"/api/v1/audit/?actor={BIG}", "actor"),
        ("/api/v1/contracts/?company=²", "company"),
        ("/api/v1/contracts/?company=①", "company"),
        ("/api/v1/contracts/?company=١٢", "company"),
        ("/api/v1/contracts/?value_min=١٢", "value_min"),
        ("/api/v1/contracts/?active_on=", "active_on"),
        ("/api/v1/contracts/?active_on=2026-13-01", "active_on"),
        ("/api/v1/contracts/?active_on=٢٠٢٦-٠٥-٠١", "active_on"),
        ("/api/v1/licences/?expires_before=", "expires_before"),
        ("/api/v1/audit/?since=", "since"),
        ("/api/v1/hiring-checks/?asked_after=yesterday", "asked_after"),
        ("/api/v1/contracts/?armed=yes", "armed"),
        ("/api/v1/companies/?page_size=abc", "page_size"),
        ("/api/v1/companies/?page_size=0", "page_size"),
        ("/api/v1/companies/?page_size=²", "page_size"),
        ("/api/v1/contracts/?page_size=-5", "page_size"),
        ("/api/v1/companies/?page=abc", "page"),
        ("/api/v1/companies/?page=①", "page"),
        ("/api/v1/contracts/?cursor=garbage", "cursor"),
        ("/api/v1/audit/?cursor=cD1hYmM%3D", "cursor"),  # p=abc: not a sequence number
    ],
)
def test_malformed_parameters_are_a_400_naming_them(world, client_for, url, param):
    _error(client_for("admin").get(url), 400, param)


@pytest.mark.parametrize("value", ["²", "①", "١٢"])
def test_unicode_digits_in_status_authority_are_not_an_id(world, client_for, value):
    number = world.licence.number
    response = client_for("regulator").get(
        "/api/v1/status/", {"licence_number": number, "authority": value}
    )
    _error(response, 404)  # an acronym no authority has


def test_status_authority_beyond_64_bits_is_a_400(world, client_for):
    response = client_for("regulator").get(
        "/api/v1/status/", {"licence_number": world.licence.number, "authority": BIG}
    )
    _error(response, 400, "authority")


def test_status_authority_id_still_works(world, client_for):
    licence = world.licence
    response = client_for("regulator").get(
        "/api/v1/status/",
        {"licence_number": licence.number, "authority": str(licence.authority_id)},
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("value", ["²", "①", "١٢"])
def test_unicode_digits_in_audit_actor_are_a_label(world, client_for, value):
    response = client_for("auditor").get("/api/v1/audit/", {"actor": value})
    assert response.status_code == 200 and response.json()["results"] == []


def test_audit_actor_id_still_works(world, client_for, admin_user):
    response = client_for("auditor").get("/api/v1/audit/", {"actor": str(admin_user.pk)})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/companies/{BIG}/",
        "/api/v1/companies/١/",
        "/api/v1/audit/١/",
        "/api/v1/licences/²/",
    ],
)
def test_path_ids_must_be_ascii_and_in_range(world, client_for, url):
    _error(client_for("admin").get(url), 404)


def test_a_valid_page_size_and_cursor_still_page(world, client_for):
    client = client_for("auditor")
    first = client.get("/api/v1/audit/?page_size=2")
    assert first.status_code == 200 and len(first.json()["results"]) == 2
    second = client.get(first.json()["next"])
    assert second.status_code == 200, second.content
    assert client.get("/api/v1/companies/?page_size=100000").status_code == 200  # capped
    assert client.get("/api/v1/companies/?page=last").status_code == 200


# --- 2. strict JSON types in bodies -------------------------------------------------------------


def _contract(world, **change):
    body = {
        "reference": "R-STRICT-1",
        "client": world.client.pk,
        "company": world.company.pk,
        "countries": ["KE"],
        "services": ["unarmed_guarding"],
        "start": "2026-05-01",
        "end": "2026-06-01",
    }
    return {**body, **change}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"countries": {}}, "countries"),
        ({"countries": {"KE": 1}}, "countries"),
        ({"services": "unarmed_guarding"}, "services"),
        ({"client": "1"}, "client"),
        ({"client": True}, "client"),
        ({"company": 2**63}, "company"),
        ({"armed": "true"}, "armed"),
        ({"title": "Guarding\x00"}, "title"),
    ],
)
def test_contract_body_types_are_strict_and_nothing_is_saved(world, client_for, change, field):
    from registry.models import Contract

    before = Contract.objects.count()
    response = client_for("admin").post(
        "/api/v1/contracts/", _contract(world, **change), format="json"
    )
    _error(response, 400, field)
    assert Contract.objects.count() == before


def _hiring(world, **change):
    body = {
        "company": world.company.pk,
        "mission": world.mission.pk,
        "countries": ["KE"],
        "services": ["armed_escort"],
        "armed": True,
        "personnel": {"local": 5},
        "start": "2026-05-01",
        "end": "2026-06-01",
    }
    return {**body, **change}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"countries": {}}, "countries"),
        ({"personnel": {"local": "5"}}, "personnel.local"),
        ({"personnel": {"local": 10**30}}, "personnel.local"),
        ({"armed": "yes"}, "armed"),
        ({"armed": 1}, "armed"),
        ({"company": "7"}, "company"),
    ],
)
def test_hiring_check_body_types_are_strict(world, client_for, change, field):
    response = client_for("mission_staff").post(
        "/api/v1/hiring-checks/", _hiring(world, **change), format="json"
    )
    _error(response, 400, field)


def test_a_well_typed_hiring_check_still_passes(world, client_for):
    response = client_for("mission_staff").post(
        "/api/v1/hiring-checks/", _hiring(world), format="json"
    )
    assert response.status_code == 201, response.content


# --- 3. control characters -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["L-1\x00", "L-\x01", "L\x7f", "L\x85"])
def test_control_characters_in_status_query_are_a_400(world, client_for, value):
    response = client_for("regulator").get("/api/v1/status/", {"licence_number": value})
    _error(response, 400, "licence_number")


def test_nul_in_licence_number_is_a_400_not_a_500(world, client_for):
    """On PostgreSQL a NUL reached the database and answered a 500 (runs on both)."""
    response = client_for("regulator").get(
        "/api/v1/status/", {"licence_number": "L-00000\x00", "authority": "1"}
    )
    _error(response, 400, "licence_number")


@pytest.mark.parametrize("url", ["/api/v1/companies/?q=a\x00b", "/api/v1/audit/?object_id=1\x00"])
def test_nul_in_any_query_parameter_is_a_400(world, client_for, url):
    _error(client_for("admin").get(url), 400)


def test_nul_in_a_licence_number_body_is_a_400_and_saves_nothing(world, client_for):
    url = f"/api/v1/licences/{world.licence.pk}/"
    response = client_for("regulator").patch(url, {"number": "L-9\x00"}, format="json")
    _error(response, 400, "number")
    world.licence.refresh_from_db()
    assert "\x00" not in world.licence.number


def test_line_breaks_are_allowed_in_multi_line_text(world, client_for):
    url = f"/api/v1/licences/{world.licence.pk}/"
    response = client_for("regulator").patch(url, {"conditions": "One.\n\tTwo.\r\n"}, format="json")
    assert response.status_code == 200, response.content
    response = client_for("regulator").patch(url, {"conditions": "One.\x1b[31m"}, format="json")
    _error(response, 400, "conditions")


def test_the_model_refuses_control_characters_for_every_door(world):
    from django.core.exceptions import ValidationError

    company = world.company
    company.legal_name = "Sentinel\x00 Ltd"
    with pytest.raises(ValidationError) as caught:
        company.full_clean()
    assert "legal_name" in caught.value.message_dict
    company.legal_name = "Sentinel\tLtd"  # a tab in a one-line field
    with pytest.raises(ValidationError):
        company.full_clean()


@postgres_only
def test_nul_on_postgresql_never_reaches_the_database(world, client_for):
    for url in ["/api/v1/status/?licence_number=L%00", "/api/v1/licences/?number=L%00"]:
        _error(client_for("admin").get(url), 400)


def test_a_date_time_with_any_iso_offset_filters_instead_of_failing(client_for, world):
    # PostgreSQL refuses offsets beyond ±15:59 in a literal; the filter reads it in UTC.
    response = client_for("auditor").get("/api/v1/audit/", {"until": "0791-08-05T00:59:03-17:25"})
    assert response.status_code == 200
    assert response.json()["results"] == []
