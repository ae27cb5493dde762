"""Role x endpoint x method: who reads which rows, who may write what (issue 4 acceptance)."""

import pytest

from registry.choices import IncidentStatus

from .conftest import ROLES, ids

pytestmark = pytest.mark.django_db

DENIED = {"public": 401}  # anonymous callers are asked for credentials; roles get 403
SIGNED_IN = set(ROLES) - {"public"}
EVERYTHING = {"auditor", "admin"}

# resource -> {role: names of the world's records it sees}. Who may list a resource at all is
# declared with the resource, in tests/api/resources/ (the cases of resource_cases.py).
ROWS = {
    "companies": {r: {"company", "other_company"} for r in ROLES},
    "licences": {r: {"licence", "other_licence"} for r in ROLES},
    "adherences": {r: {"adherence"} for r in ROLES},
    "certifications": {r: {"certification"} for r in ROLES},
    "contracts": {
        "mission_staff": {"contract"},
        "regulator": {"contract"},
        **{r: {"contract", "other_contract"} for r in EVERYTHING},
    },
    "coordination": {r: {"contract", "other_contract"} for r in SIGNED_IN},
    "incidents": {
        "mission_staff": {"other_incident_closed"},
        "regulator": {"incident_open", "other_incident_closed"},
        **{
            r: {"incident_open", "other_incident_open", "other_incident_closed"} for r in EVERYTHING
        },
    },
    "sanctions": {r: {"sanction"} for r in SIGNED_IN},
    "findings": {
        "mission_staff": {"finding"},
        "regulator": {"finding"},
        **{r: {"finding", "other_finding"} for r in EVERYTHING},
    },
    "personnel": {"regulator": {"person"}, **{r: {"person", "other_person"} for r in EVERYTHING}},
    "vetting": {"regulator": {"vetting"}, **{r: {"vetting", "other_vetting"} for r in EVERYTHING}},
    "hiring-checks": {
        "mission_staff": {"check"},
        "regulator": {"check"},
        **{r: {"check", "other_check"} for r in EVERYTHING},
    },
}
ROW_CHECKS = [
    pytest.param(path, role, names, id=f"{path}-{role}")
    for path, rows in ROWS.items()
    for role, names in sorted(rows.items())
]
ALL_NAMES = {path: set().union(*rows.values()) for path, rows in ROWS.items()}


def _denied(role):
    return DENIED.get(role, 403)


@pytest.mark.parametrize(("path", "role", "names"), ROW_CHECKS)
def test_rows_visible_in_list_and_detail(world, client_for, path, role, names):
    client = client_for(role)
    expected = {getattr(world, n).pk for n in names}
    listed = ids(client.get(f"/api/v1/{path}/", {"page_size": 500}))
    assert listed & {getattr(world, n).pk for n in ALL_NAMES[path]} == expected
    for name in ALL_NAMES[path]:
        pk = getattr(world, name).pk
        detail = client.get(f"/api/v1/{path}/{pk}/")
        assert detail.status_code == (200 if name in names else 404), name


@pytest.mark.parametrize("role", ["public", "mission_staff"])
@pytest.mark.parametrize("path", ["personnel", "vetting"])
def test_sensitive_detail_denied(world, client_for, path, role):
    pk = world.person.pk if path == "personnel" else world.vetting.pk
    assert client_for(role).get(f"/api/v1/{path}/{pk}/").status_code == _denied(role)


def test_coordination_summary_has_no_values_or_personnel(world, client_for):
    row = client_for("mission_staff").get(f"/api/v1/coordination/{world.other_contract.pk}/")
    assert row.status_code == 200
    body = row.json()
    assert body["company"] == world.other_company.pk and body["mission"] == world.other_mission.pk
    leaked = {"value", "currency", "personnel_local", "armed_personnel", "title"} & set(body)
    assert not leaked


def test_sanction_hides_named_person_below_personnel_threshold(world, client_for):
    world.sanction.person = world.other_person
    world.sanction.save()
    as_officer = client_for("mission_staff").get(f"/api/v1/sanctions/{world.sanction.pk}/")
    as_auditor = client_for("auditor").get(f"/api/v1/sanctions/{world.sanction.pk}/")
    assert as_officer.json()["person"] is None
    assert as_auditor.json()["person"] == world.other_person.pk


# --- Writes --------------------------------------------------------------------------------
# Who may create and change a record of their own side, and that nobody deletes through the
# API: tests/api/resources/ (the cases of resource_cases.py). Here: the other side's records.


def _outside_payloads(w, authority_id):
    """For each resource, a valid body for a record outside the caller's own scope."""
    today = w.contract.start.isoformat()
    return {
        "companies": {
            "legal_name": "Elsewhere Guards",
            "home_country": "KE",
            "registering_authority": w.other_company.registering_authority_id,
            "registration_number": "NEW-2",
        },
        "licences": {
            "number": "NEW-L-2",
            "authority": w.other_licence.authority_id,
            "company": w.other_company.pk,
            "countries": ["KE"],
            "services": ["unarmed_guarding"],
            "valid_from": "2026-01-01",
            "valid_until": "2027-12-31",
        },
        "adherences": {
            "company": w.other_company.pk,
            "standard": w.adherence.standard_id,
            "signed_on": today,
        },
        "certifications": {
            "company": w.other_company.pk,
            "standard": w.certification.standard_id,
            "certifying_body": "Meridian",
            "issued_on": "2026-01-01",
            "expires_on": "2028-01-01",
        },
        "contracts": {
            "reference": "NEW-C-2",
            "client": w.other_client.pk,
            "mission": w.other_mission.pk,
            "company": w.company.pk,
            "countries": ["KE"],
            "services": ["unarmed_guarding"],
            "start": today,
            "end": w.contract.end.isoformat(),
        },
        "incidents": {
            "company": w.other_company.pk,
            "occurred_on": today,
            "country": "KE",
            "category": "misconduct",
            "severity": "minor",
            "summary": "Guard asleep on duty.",
        },
        "sanctions": {
            "company": w.other_company.pk,
            "imposed_by_authority": authority_id,
            "kind": "warning",
            "start": today,
            "reason": "Late report.",
        },
        "personnel": {
            "full_name": "Omar Example",
            "nationality": "KE",
            "document_country": "KE",
            "document_number": "B 7654321",
            "employment": {
                "company": w.other_company.pk,
                "role": "Guard",
                "origin": "local",
                "start": today,
            },
        },
        "vetting": {
            "person": w.other_person.pk,
            "company": w.other_company.pk,
            "vetted_on": today,
            "vetted_by": "Unit",
            "outcome": "cleared",
        },
    }


@pytest.mark.parametrize(
    ("path", "role", "expected"),
    [
        ("companies", "regulator", 403),
        ("licences", "regulator", 403),
        ("adherences", "regulator", 403),
        ("certifications", "regulator", 403),
        ("contracts", "mission_staff", 403),
        ("incidents", "regulator", 403),
        ("sanctions", "regulator", 403),
        ("personnel", "regulator", 403),
        ("vetting", "regulator", 400),  # the other company's person is not known to them
    ],
)
def test_create_outside_own_scope_is_refused(world, client_for, authority, path, role, expected):
    other = _outside_payloads(world, authority.pk)[path]
    before = client_for("admin").get(f"/api/v1/{path}/", {"page_size": 500}).json()
    response = client_for(role).post(f"/api/v1/{path}/", other, format="json")
    assert response.status_code == expected, response.content
    after = client_for("admin").get(f"/api/v1/{path}/", {"page_size": 500}).json()
    assert ids_of(after) == ids_of(before)


def ids_of(body):
    return {row["id"] for row in (body["results"] if isinstance(body, dict) else body)}


# resource -> the other side's record, a harmless change
OUTSIDE_UPDATES = {
    "companies": ("other_company", {"website": "https://example.org"}),
    "licences": ("other_licence", {"conditions": "No night convoys."}),
    "contracts": ("other_contract", {"title": "Perimeter guarding"}),
    "incidents": ("other_incident_closed", {"outcome": "Retrained."}),
    "sanctions": ("sanction", {"reason": "Late incident report (amended)."}),
    "personnel": ("other_person", {"full_name": "Renamed Person"}),
    "vetting": ("other_vetting", {"notes": "Rechecked."}),
}


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"admin"}))
@pytest.mark.parametrize("path", OUTSIDE_UPDATES)
def test_patch_outside_own_scope_is_refused(world, client_for, path, role):
    other, change = OUTSIDE_UPDATES[path]
    url = f"/api/v1/{path}/{getattr(world, other).pk}/"
    response = client_for(role).patch(url, change, format="json")
    assert response.status_code in (_denied(role), 404), response.content


@pytest.mark.parametrize("role", ROLES)
def test_an_open_incident_is_changed_by_its_regulator(world, client_for, role):
    """Under investigation, so hidden from mission staff (the generic cases change a closed one,
    which every signed-in role reads)."""
    url = f"/api/v1/incidents/{world.incident_open.pk}/"
    response = client_for(role).patch(url, {"outcome": "Retrained."}, format="json")
    expected = 200 if role in ("regulator", "admin") else _denied(role)
    assert response.status_code == expected, response.content


# --- Filters and exports never widen what a role sees -----------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"value_min": 1},
        {"mission": "OTHER"},
        {"company": "OTHER_COMPANY"},
        {"q": "C-"},
        {"active_on": "TODAY"},
        {"status": "active"},
        {"country": "KE"},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "csv", "ndjson"])
def test_officer_filters_and_exports_only_reach_own_contracts(world, client_for, query, fmt):
    values = {
        "OTHER": world.other_mission.pk,
        "OTHER_COMPANY": world.other_company.pk,
        "TODAY": world.contract.start.isoformat(),
    }
    params = {k: values.get(v, v) if isinstance(v, str) else v for k, v in query.items()}
    response = client_for("mission_staff").get("/api/v1/contracts/", {**params, "format": fmt})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if fmt != "json" else response.content
    assert world.other_contract.reference.encode() not in body
    assert b"900000" not in body


def test_coordination_refuses_value_filters(world, client_for):
    response = client_for("mission_staff").get("/api/v1/coordination/", {"value_min": 1})
    assert response.status_code == 400
    assert "value_min" in response.json()["fields"]


def test_incident_filters_do_not_reveal_investigations(world, client_for):
    response = client_for("mission_staff").get(
        "/api/v1/incidents/", {"status": IncidentStatus.UNDER_INVESTIGATION}
    )
    assert response.status_code == 200 and response.json()["results"] == []


def test_personnel_filters_do_not_reveal_other_companies(world, client_for):
    response = client_for("regulator").get(
        "/api/v1/personnel/", {"company": world.other_company.pk}
    )
    assert response.json()["results"] == []
