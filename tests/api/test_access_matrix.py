"""Role x endpoint x method: who reads which rows, who may write what (issue 4 acceptance)."""

import pytest

from registry.choices import IncidentStatus

from .conftest import ROLES, ids

pytestmark = pytest.mark.django_db

DENIED = {"public": 401}  # anonymous callers are asked for credentials; roles get 403
ALL = set(ROLES)
SIGNED_IN = ALL - {"public"}
OVERSIGHT = {"regulator", "auditor", "admin"}
EVERYTHING = {"auditor", "admin"}

# resource -> (roles that may list it, {role: names of world records visible} for row checks)
READS = {
    "authorities": (ALL, {}),
    "companies": (ALL, {r: {"company", "other_company"} for r in ROLES}),
    "licences": (ALL, {r: {"licence", "other_licence"} for r in ROLES}),
    "codes": (ALL, {}),
    "adherences": (ALL, {r: {"adherence"} for r in ROLES}),
    "certifications": (ALL, {r: {"certification"} for r in ROLES}),
    "service-categories": (ALL, {}),
    "missions": (SIGNED_IN, {}),
    "clients": (SIGNED_IN, {}),
    "contracts": (
        SIGNED_IN,
        {
            "mission_staff": {"contract"},
            "regulator": {"contract"},
            **{r: {"contract", "other_contract"} for r in EVERYTHING},
        },
    ),
    "coordination": (SIGNED_IN, {r: {"contract", "other_contract"} for r in SIGNED_IN}),
    "incidents": (
        SIGNED_IN,
        {
            "mission_staff": {"other_incident_closed"},
            "regulator": {"incident_open", "other_incident_closed"},
            **{
                r: {"incident_open", "other_incident_open", "other_incident_closed"}
                for r in EVERYTHING
            },
        },
    ),
    "sanctions": (SIGNED_IN, {r: {"sanction"} for r in SIGNED_IN}),
    "findings": (
        SIGNED_IN,
        {
            "mission_staff": {"finding"},
            "regulator": {"finding"},
            **{r: {"finding", "other_finding"} for r in EVERYTHING},
        },
    ),
    "personnel": (
        OVERSIGHT,
        {"regulator": {"person"}, **{r: {"person", "other_person"} for r in EVERYTHING}},
    ),
    "vetting": (
        OVERSIGHT,
        {"regulator": {"vetting"}, **{r: {"vetting", "other_vetting"} for r in EVERYTHING}},
    ),
    "hiring-checks": (
        SIGNED_IN,
        {
            "mission_staff": {"check"},
            "regulator": {"check"},
            **{r: {"check", "other_check"} for r in EVERYTHING},
        },
    ),
}
ROW_CHECKS = [
    pytest.param(path, role, names, id=f"{path}-{role}")
    for path, (_, rows) in READS.items()
    for role, names in sorted(rows.items())
]
ALL_NAMES = {
    path: set().union(*rows.values()) if rows else set() for path, (_, rows) in READS.items()
}


def _denied(role):
    return DENIED.get(role, 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", READS)
def test_list_access(world, client_for, path, role):
    response = client_for(role).get(f"/api/v1/{path}/")
    assert response.status_code == (200 if role in READS[path][0] else _denied(role))


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


def _payloads(w, authority_id):
    today = w.contract.start.isoformat()
    return {
        "authorities": ({"name": "Maritime Security Board", "country": "SO"}, None),
        "companies": (
            {
                "legal_name": "Ironbark Protective Group",
                "home_country": "KE",
                "registering_authority": authority_id,
                "registration_number": "NEW-1",
            },
            {
                "legal_name": "Elsewhere Guards",
                "home_country": "KE",
                "registering_authority": w.other_company.registering_authority_id,
                "registration_number": "NEW-2",
            },
        ),
        "licences": (
            {
                "number": "NEW-L-1",
                "authority": authority_id,
                "company": w.company.pk,
                "countries": ["KE"],
                "services": ["unarmed_guarding"],
                "valid_from": "2026-01-01",
                "valid_until": "2027-12-31",
            },
            {
                "number": "NEW-L-2",
                "authority": w.other_licence.authority_id,
                "company": w.other_company.pk,
                "countries": ["KE"],
                "services": ["unarmed_guarding"],
                "valid_from": "2026-01-01",
                "valid_until": "2027-12-31",
            },
        ),
        "codes": (
            {"code": "national-code", "name": "National code", "kind": "national_code"},
            None,
        ),
        "adherences": (
            {"company": w.company.pk, "standard": w.adherence.standard_id, "signed_on": today},
            {
                "company": w.other_company.pk,
                "standard": w.adherence.standard_id,
                "signed_on": today,
            },
        ),
        "certifications": (
            {
                "company": w.company.pk,
                "standard": w.certification.standard_id,
                "certifying_body": "Meridian",
                "issued_on": "2026-01-01",
                "expires_on": "2028-01-01",
            },
            {
                "company": w.other_company.pk,
                "standard": w.certification.standard_id,
                "certifying_body": "Meridian",
                "issued_on": "2026-01-01",
                "expires_on": "2028-01-01",
            },
        ),
        "missions": (
            {
                "organisation": "AU",
                "name": "Transition Mission",
                "acronym": "ATMX",
                "countries": ["SO"],
                "start": "2026-01-01",
            },
            None,
        ),
        "clients": ({"name": "Relief agency", "kind": "un_agency"}, None),
        "contracts": (
            {
                "reference": "NEW-C-1",
                "client": w.client.pk,
                "mission": w.mission.pk,
                "company": w.company.pk,
                "countries": ["KE"],
                "services": ["unarmed_guarding"],
                "start": today,
                "end": w.contract.end.isoformat(),
            },
            {
                "reference": "NEW-C-2",
                "client": w.other_client.pk,
                "mission": w.other_mission.pk,
                "company": w.company.pk,
                "countries": ["KE"],
                "services": ["unarmed_guarding"],
                "start": today,
                "end": w.contract.end.isoformat(),
            },
        ),
        "incidents": (
            {
                "company": w.company.pk,
                "occurred_on": today,
                "country": "KE",
                "category": "misconduct",
                "severity": "minor",
                "summary": "Guard asleep on duty.",
            },
            {
                "company": w.other_company.pk,
                "occurred_on": today,
                "country": "KE",
                "category": "misconduct",
                "severity": "minor",
                "summary": "Guard asleep on duty.",
            },
        ),
        "sanctions": (
            {
                "company": w.company.pk,
                "imposed_by_authority": authority_id,
                "kind": "warning",
                "start": today,
                "reason": "Late report.",
            },
            {
                "company": w.other_company.pk,
                "imposed_by_authority": authority_id,
                "kind": "warning",
                "start": today,
                "reason": "Late report.",
            },
        ),
        "personnel": (
            {
                "full_name": "Amina Example",
                "nationality": "KE",
                "document_country": "KE",
                "document_number": "A 1234567",
                "employment": {
                    "company": w.company.pk,
                    "role": "Guard",
                    "origin": "local",
                    "start": today,
                },
            },
            {
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
        ),
        "vetting": (
            {
                "person": w.person.pk,
                "company": w.company.pk,
                "vetted_on": today,
                "vetted_by": "Unit",
                "outcome": "cleared",
            },
            {
                "person": w.other_person.pk,
                "company": w.other_company.pk,
                "vetted_on": today,
                "vetted_by": "Unit",
                "outcome": "cleared",
            },
        ),
    }


# resource -> roles whose create of an "own" record succeeds; everyone else is denied
CREATORS = {
    "authorities": {"admin"},
    "companies": {"regulator", "admin"},
    "licences": {"regulator", "admin"},
    "codes": {"admin"},
    "adherences": {"regulator", "admin"},
    "certifications": {"regulator", "admin"},
    "missions": {"admin"},
    "clients": {"admin"},
    "contracts": {"mission_staff", "admin"},
    "incidents": {"regulator", "admin"},
    "sanctions": {"regulator", "admin"},
    "personnel": {"regulator", "admin"},
    "vetting": {"regulator", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", CREATORS)
def test_create(world, client_for, authority, path, role):
    own, _ = _payloads(world, authority.pk)[path]
    response = client_for(role).post(f"/api/v1/{path}/", own, format="json")
    expected = 201 if role in CREATORS[path] else _denied(role)
    assert response.status_code == expected, response.content


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
    _, other = _payloads(world, authority.pk)[path]
    before = client_for("admin").get(f"/api/v1/{path}/", {"page_size": 500}).json()
    response = client_for(role).post(f"/api/v1/{path}/", other, format="json")
    assert response.status_code == expected, response.content
    after = client_for("admin").get(f"/api/v1/{path}/", {"page_size": 500}).json()
    assert ids_of(after) == ids_of(before)


def ids_of(body):
    return {row["id"] for row in (body["results"] if isinstance(body, dict) else body)}


# resource, attribute of the own record, attribute of the other side's record, a harmless change
UPDATES = {
    "companies": ("company", "other_company", {"website": "https://example.org"}),
    "licences": ("licence", "other_licence", {"conditions": "No night convoys."}),
    "adherences": ("adherence", None, {"notes": "Confirmed."}),
    "contracts": ("contract", "other_contract", {"title": "Perimeter guarding"}),
    "incidents": ("incident_open", "other_incident_closed", {"outcome": "Retrained."}),
    "sanctions": (None, "sanction", {"reason": "Late incident report (amended)."}),
    "personnel": ("person", "other_person", {"full_name": "Renamed Person"}),
    "vetting": ("vetting", "other_vetting", {"notes": "Rechecked."}),
}
# role -> resources whose own record it may change
UPDATERS = {
    "public": set(),
    "auditor": set(),
    "mission_staff": {"contracts"},
    "regulator": {
        "companies",
        "licences",
        "adherences",
        "contracts",
        "incidents",
        "personnel",
        "vetting",
    },
    "admin": set(UPDATES),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", UPDATES)
def test_patch(world, client_for, path, role):
    own, other, change = UPDATES[path]
    client = client_for(role)
    if own:
        response = client.patch(f"/api/v1/{path}/{getattr(world, own).pk}/", change, format="json")
        if path in UPDATERS[role]:
            assert response.status_code == 200, response.content
        else:
            assert response.status_code in (_denied(role), 404), response.content
    if other and role != "admin":
        response = client.patch(
            f"/api/v1/{path}/{getattr(world, other).pk}/", change, format="json"
        )
        assert response.status_code in (_denied(role), 404), response.content


@pytest.mark.parametrize("role", ROLES)
def test_nothing_is_deleted_through_the_api(world, client_for, role):
    response = client_for(role).delete(f"/api/v1/companies/{world.company.pk}/")
    assert response.status_code == 405


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
