"""Every error class answers in the one documented shape, and bad input never gets a 500."""

import datetime as dt

import pytest
from django.test import override_settings

from registry.choices import LicenceState
from registry.models import LicenceEvent

from .. import factories as f

pytestmark = pytest.mark.django_db


def _shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == status and body["code"] and body["detail"]
    return body


def test_400_has_field_messages(world, client_for):
    body = _shape(
        client_for("admin").post(
            "/api/v1/contracts/",
            {
                "reference": "X",
                "client": world.client.pk,
                "company": world.company.pk,
                "countries": ["ZZ"],
                "services": ["unarmed_guarding"],
                "start": "2026-05-01",
                "end": "2026-04-01",
            },
            format="json",
        ),
        400,
    )
    assert set(body["fields"]) >= {"countries"}
    assert all(
        isinstance(messages, list) and all(isinstance(m, str) for m in messages)
        for messages in body["fields"].values()
    )


def test_nested_errors_are_flat_dotted_paths(world, client_for):
    body = _shape(
        client_for("mission_staff").post(
            "/api/v1/hiring-checks/",
            {
                "company": world.company.pk,
                "mission": world.mission.pk,
                "countries": ["KE", 7],
                "services": ["armed_escort"],
                "armed": True,
                "personnel": {"local": -1},
                "start": "2026-05-01",
                "end": "2026-06-01",
            },
            format="json",
        ),
        400,
    )
    assert "personnel.local" in body["fields"]
    assert all(isinstance(m, list) for m in body["fields"].values())


def test_400_model_validation_runs_once_in_the_model(world, client_for):
    body = _shape(
        client_for("admin").post(
            "/api/v1/contracts/",
            {
                "reference": "X",
                "client": world.client.pk,
                "company": world.company.pk,
                "countries": ["KE"],
                "services": ["unarmed_guarding"],
                "start": "2026-05-01",
                "end": "2026-04-01",
                "value": "10",
            },
            format="json",
        ),
        400,
    )
    messages = str(body["fields"])
    assert "cannot end before it starts" in messages and "needs its currency" in messages


@pytest.mark.parametrize(
    "query",
    [
        {"active_on": "not-a-date"},
        {"value_min": "lots"},
        {"status": "nonsense"},
        {"company": "a,b"},
        {"bogus": "1"},
        {"ordering": "value"},
        {"armed": "maybe"},
        {"ordering": "start,-nonsense"},
    ],
)
def test_400_on_bad_filters(world, client_for, query):
    assert "fields" in _shape(client_for("auditor").get("/api/v1/contracts/", query), 400)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/contracts/abc/",
        "/api/v1/companies/?page=999",
        "/api/v1/companies/99999999/",
        "/api/v1/service-categories/nope/",
    ],
)
def test_404_never_500(world, client_for, url):
    _shape(client_for("auditor").get(url), 404)


def test_401_without_credentials(world, client):
    response = client.get("/api/v1/contracts/")
    _shape(response, 401)
    assert response["WWW-Authenticate"] == "Token"


def test_401_with_a_bad_token(world, client):
    _shape(client.get("/api/v1/companies/", HTTP_AUTHORIZATION="Token wrong"), 401)


def test_403_when_the_role_forbids(world, client_for):
    _shape(client_for("mission_staff").get("/api/v1/personnel/"), 403)


def test_405_method_not_allowed(world, client_for):
    _shape(client_for("admin").delete(f"/api/v1/licences/{world.licence.pk}/"), 405)
    _shape(client_for("admin").post("/api/v1/service-categories/", {}, format="json"), 405)


def test_415_unsupported_media_type(world, client_for):
    response = client_for("admin").post(
        "/api/v1/codes/", "code=x", content_type="application/x-www-form-urlencoded"
    )
    _shape(response, 415)


def test_400_on_malformed_json(world, client_for):
    response = client_for("admin").post(
        "/api/v1/codes/", "{not json", content_type="application/json"
    )
    _shape(response, 400)


def test_409_on_illegal_licence_transition(world, client_for):
    url = f"/api/v1/licences/{world.licence.pk}/grant/"
    body = _shape(client_for("regulator").post(url, {"reason": "Approved"}, format="json"), 409)
    assert "Cannot grant" in body["detail"]
    world.licence.refresh_from_db()
    assert world.licence.state == LicenceState.ACTIVE and not LicenceEvent.objects.exists()


def test_400_when_the_domain_refuses(world, client_for):
    url = f"/api/v1/licences/{world.licence.pk}/renew/"
    body = _shape(client_for("regulator").post(url, {"reason": "Renewal"}, format="json"), 400)
    assert "end date" in str(body["fields"])


def test_412_on_stale_if_match_changes_nothing(world, client_for):
    client = client_for("regulator")
    url = f"/api/v1/companies/{world.company.pk}/"
    etag = client.get(url)["ETag"]
    assert (
        client.patch(
            url, {"website": "https://a.example.org"}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )
    _shape(
        client.patch(url, {"website": "https://b.example.org"}, format="json", HTTP_IF_MATCH=etag),
        412,
    )
    world.company.refresh_from_db()
    assert world.company.website == "https://a.example.org"


def test_current_if_match_and_if_none_match(world, client_for):
    client = client_for("regulator")
    url = f"/api/v1/licences/{world.licence.pk}/"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    response = client.put(
        url,
        {**client.get(url).json(), "conditions": "Daylight only."},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200 and response["ETag"] != etag


def test_429_with_retry_after(world, client):
    rates = {"anon": "2/minute", "user": "2/minute", "login": "2/minute"}
    from django.conf import settings

    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        for _ in range(2):
            assert client.get("/api/v1/companies/").status_code == 200
        response = client.get("/api/v1/companies/")
    _shape(response, 429)
    assert int(response["Retry-After"]) > 0


def test_409_on_duplicate_names_the_field(world, client_for):
    payload = {"code": "icoc", "name": "Duplicate", "kind": "code_of_conduct"}
    body = _shape(client_for("admin").post("/api/v1/codes/", payload, format="json"), 409)
    assert body["code"] == "conflict" and "code" in body["fields"]


def test_export_error_is_json(world, client_for):
    response = client_for("auditor").get(
        "/api/v1/contracts/", {"format": "csv", "start_after": "x"}
    )
    _shape(response, 400)
    assert response["Content-Type"].startswith("application/json")


def test_dates_are_iso(world, client_for):
    row = client_for("auditor").get(f"/api/v1/contracts/{world.contract.pk}/").json()
    assert dt.date.fromisoformat(row["start"]) == world.contract.start


@pytest.mark.parametrize("path", ["/api/v1/contracts/", "/api/v1/audit/"])
def test_an_unknown_export_format_is_a_json_error_not_a_500(world, client_for, path):
    client = client_for("auditor")
    response = client.get(path, {"format": "xml"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    response = client.get(path, HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"


def test_ordering_by_an_offered_field_still_sorts(world, client_for):
    client = client_for("auditor")
    rows = client.get("/api/v1/contracts/", {"ordering": "-start,id"}).json()["results"]
    assert [r["start"] for r in rows] == sorted((r["start"] for r in rows), reverse=True)
    body = _shape(client.get("/api/v1/companies/", {"ordering": "standing"}), 400)
    assert "legal_name" in body["fields"]["ordering"][0]


def test_unknown_api_paths_answer_in_the_error_shape(world, client_for):
    client = client_for("regulator")
    for path in ("/api/v1/nope/", f"/api/v1/licences/{world.licence.pk}/frobnicate/"):
        _shape(client.get(path), 404)
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_boolean_filters_take_true_or_false_and_refuse_anything_else(world, client_for):
    client = client_for("auditor")
    armed = f.ContractFactory(company=world.company, client=world.client, armed=True)
    for value, expected in (("true", True), ("False", False), ("1", True)):
        rows = client.get("/api/v1/contracts/", {"armed": value}).json()["results"]
        assert rows and {r["armed"] for r in rows} == {expected}
    assert armed.pk in {
        r["id"] for r in client.get("/api/v1/contracts/?armed=true").json()["results"]
    }
    # Filters generated from model fields too (licences' weapons_authorised, vetting flags).
    _shape(client.get("/api/v1/licences/", {"weapons_authorised": "perhaps"}), 400)
    _shape(client.get("/api/v1/vetting/", {"ddr_participant": "yes please"}), 400)
