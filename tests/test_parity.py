"""The same write through every door leaves the same result.

Each case runs one write through the API, the web page (where there is one) and the admin, each
inside a transaction rolled back afterwards, on the same world. The rows, the audit entries
(channel and request aside), the findings and the standing it leaves must be equal; a forbidden
write must be refused by every door and change nothing.
"""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from registry.audit.models import AuditEntry
from registry.choices import Standing
from registry.compliance import run_compliance
from registry.models import Company, Finding, StandingChange

from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = f.TODAY()
VOLATILE = {
    *("id", "created_at", "updated_at", "first_seen", "last_seen", "resolved_at", "at"),
    *("standing_since", "cause", "request_id"),  # when and through which door, by design
}


class _Rollback(Exception):
    pass


class FormValues(HTMLParser):
    """The values a browser would post back from a rendered form."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") in ("checkbox", "radio") else ""
            self.values.setdefault(name, []).append(a.get("value") or default)
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += (
                data.lstrip("\n") if not self.values[self._textarea][0] else data
            )


def form_values(client, url) -> dict:
    page = client.get(url)
    assert page.status_code == 200, url
    parser = FormValues()
    parser.feed(page.content.decode())
    values = {k: (v if len(v) != 1 else v[0]) for k, v in parser.values.items()}
    values.pop("csrfmiddlewaretoken", None)
    return values


# --- The state a write leaves -------------------------------------------------------------


def _new_ids(before: dict) -> dict:
    from django.apps import apps

    out = {}
    for model in apps.get_app_config("registry").get_models():
        label = model._meta.label_lower
        out[label] = set(model.objects.values_list("pk", flat=True)) - before.get(label, set())
    return out


def _existing_ids() -> dict:
    from django.apps import apps

    return {
        m._meta.label_lower: set(m.objects.values_list("pk", flat=True))
        for m in apps.get_app_config("registry").get_models()
    }


def _norm(value, new, key=None):
    """`value` with the ids of rows the write created replaced by NEW (sequences differ between
    doors on PostgreSQL, where a rolled-back insert still uses up its id)."""
    if isinstance(value, str):
        return re.sub(
            r"([a-z]+):(\d+)",
            lambda x: f"{x[1]}:NEW" if int(x[2]) in new.get(f"registry.{x[1]}", ()) else x[0],
            value,
        )
    if isinstance(value, int) and key and value in new.get(f"registry.{key}", ()):
        return "NEW"
    if isinstance(value, list):
        return [_norm(v, new, key) for v in value]
    if isinstance(value, dict):
        return {k: _norm(v, new, k) for k, v in value.items() if k not in VOLATILE}
    return value


def snapshot(model, company_ids, since_seq, before) -> dict:
    new = _new_ids(before)
    label = model._meta.label_lower
    rows = sorted(
        repr(sorted((k, str(v)) for k, v in row.items() if k not in VOLATILE))
        for row in model.objects.filter(pk__in=new[label]).values()
    )
    changed = sorted(
        repr(sorted((k, str(v)) for k, v in row.items() if k not in VOLATILE))
        for row in model.objects.filter(pk__in=before.get(label, set())).values()
    )
    audit = sorted(
        repr(
            (
                e.object_type,
                "NEW" if int(e.object_id) in new.get(e.object_type, ()) else e.object_id,
                e.action,
                e.event,
                sorted(_norm(e.changes, new).items()),
            )
        )
        for e in AuditEntry.objects.filter(seq__gt=since_seq)
        if e.object_type.startswith("registry.")
    )
    findings = sorted(
        repr((x.rule_code, x.severity, x.state, _norm(x.subject_key, new), x.message))
        for x in Finding.objects.filter(company_id__in=company_ids)
    )
    standing = dict(Company.objects.filter(pk__in=company_ids).values_list("pk", "standing"))
    history = sorted(
        repr((x.company_id, x.from_standing, x.to_standing, x.reasons))
        for x in StandingChange.objects.filter(pk__in=new["registry.standingchange"])
    )
    return {
        "history": history,
        "rows": rows,
        "changed": changed,
        "audit": audit,
        "findings": findings,
        "standing": standing,
    }


def run_rolled_back(write, model, company_ids):
    """Run `write()` and snapshot what it left, then undo it. Returns (response, snapshot)."""
    since = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    before = _existing_ids()
    result = {}
    try:
        with transaction.atomic():
            result["response"] = write()
            result["snapshot"] = snapshot(model, company_ids, since, before)
            raise _Rollback
    except _Rollback:
        pass
    return result["response"], result["snapshot"]


# --- The world and the doors ----------------------------------------------------------------


@pytest.fixture
def world(regulator, mission_officer, mission, company):
    """A company in good standing regulated by the regulator, contracted by the officer's
    mission; another authority's company."""
    f.LicenceFactory(company=company, countries=["KE"])
    f.AdherenceFactory(company=company)
    f.CertificationFactory(company=company)
    company.insurer, company.insurance_cover, company.insurance_currency = "Mutual", 10**6, "USD"
    company.insurance_valid_until = TODAY + dt.timedelta(days=300)
    company.save()
    client = f.ClientFactory(mission=mission)
    contract = f.ContractFactory(company=company, client=client, countries=["KE"])
    foreign = f.compliant_company()
    run_compliance()
    for user in (regulator, mission_officer):
        user.is_staff = True
        user.save()
    company.refresh_from_db()
    assert company.standing == Standing.GOOD
    return {
        "company": company,
        "client": client,
        "contract": contract,
        "foreign": foreign,
        "mission": mission,
        "regulator": regulator,
        "officer": mission_officer,
    }


def api_call(user, method, url, data):
    client = APIClient()
    client.force_authenticate(user)
    return getattr(client, method)(url, data, format="json")


def page_post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


def admin_post(client, user, url, overrides):
    client.force_login(user)
    data = {**form_values(client, url), **overrides}
    data.setdefault("_save", "Save")
    return client.post(url, data)


# --- Allowed writes ---------------------------------------------------------------------------


def sanction_case(w, client):
    c = w["company"]
    start = (TODAY - dt.timedelta(days=1)).isoformat()
    reason = "Falsified vetting records."
    authority = c.registering_authority_id
    return (
        "registry.sanction",
        w["regulator"],
        [c.pk],
        {
            "api": lambda: api_call(
                w["regulator"],
                "post",
                "/api/v1/sanctions/",
                {
                    "company": c.pk,
                    "imposed_by_authority": authority,
                    "kind": "debarment",
                    "scope": "global",
                    "start": start,
                    "reason": reason,
                },
            ),
            "web": lambda: page_post(
                client,
                w["regulator"],
                reverse("web:sanction_new", args=[c.pk]),
                {"kind": "debarment", "scope": "global", "start": start, "reason": reason},
            ),
            "admin": lambda: admin_post(
                client,
                w["regulator"],
                reverse("admin:registry_sanction_add"),
                {
                    "company": c.pk,
                    "imposed_by_authority": authority,
                    "kind": "debarment",
                    "scope": "global",
                    "start": start,
                    "reason": reason,
                },
            ),
        },
    )


def incident_case(w, client):
    c = w["company"]
    fields = {
        "occurred_on": (TODAY - dt.timedelta(days=3)).isoformat(),
        "country": "KE",
        "category": "use_of_force",
        "severity": "serious",
        "status": "under_investigation",
        "summary": "Shots fired at a roadblock.",
    }
    return (
        "registry.incident",
        w["regulator"],
        [c.pk],
        {
            "api": lambda: api_call(
                w["regulator"], "post", "/api/v1/incidents/", {**fields, "company": c.pk}
            ),
            "web": lambda: page_post(
                client, w["regulator"], reverse("web:incident_new", args=[c.pk]), fields
            ),
            "admin": lambda: admin_post(
                client,
                w["regulator"],
                reverse("admin:registry_incident_add"),
                {**fields, "company": c.pk},
            ),
        },
    )


def contract_case(w, client):
    c = w["company"]
    fields = {
        "reference": "UNMIX/PSS/0777",
        "client": w["client"].pk,
        "company": c.pk,
        "mission": w["mission"].pk,
        "armed": True,
        "personnel_local": 30,
        "armed_personnel": 20,
        "value": "50000.00",
        "currency": "USD",
        "start": TODAY.isoformat(),
        "end": (TODAY + dt.timedelta(days=90)).isoformat(),
        "status": "planned",
    }
    # Somalia is not licensed for this company: LIC-COUNTRY on the contract.
    api_fields = {**fields, "countries": ["SO"], "services": ["armed_escort"]}
    form_fields = {
        **fields,
        "countries": ["SO"],
        "services": ["armed_escort"],
        "armed": "on",
        "personnel_international": 0,
        "personnel_third_country": 0,
    }
    return (
        "registry.contract",
        w["officer"],
        [c.pk],
        {
            "api": lambda: api_call(w["officer"], "post", "/api/v1/contracts/", api_fields),
            "web": lambda: page_post(
                client, w["officer"], reverse("web:contract_new"), form_fields
            ),
            "admin": lambda: admin_post(
                client, w["officer"], reverse("admin:registry_contract_add"), form_fields
            ),
        },
    )


def contract_update_case(w, client):
    k = w["contract"]
    reason = "Guards abandoned their posts."
    change = {"status": "terminated_cause", "termination_reason": reason}
    return (
        "registry.contract",
        w["officer"],
        [k.company_id],
        {
            "api": lambda: api_call(w["officer"], "patch", f"/api/v1/contracts/{k.pk}/", change),
            "web": lambda: page_post(
                client,
                w["officer"],
                reverse("web:contract_edit", args=[k.pk]),
                {**_logged_in_values(client, w["officer"], "web:contract_edit", k.pk), **change},
            ),
            "admin": lambda: admin_post(
                client, w["officer"], reverse("admin:registry_contract_change", args=[k.pk]), change
            ),
        },
    )


def _logged_in_values(client, user, name, pk):
    client.force_login(user)
    return form_values(client, reverse(name, args=[pk]))


def company_update_case(w, client):
    c = w["company"]
    lapsed = (TODAY - dt.timedelta(days=2)).isoformat()
    return (
        "registry.company",
        w["regulator"],
        [c.pk],
        {
            "api": lambda: api_call(
                w["regulator"],
                "patch",
                f"/api/v1/companies/{c.pk}/",
                {"insurance_valid_until": lapsed},
            ),
            "admin": lambda: admin_post(
                client,
                w["regulator"],
                reverse("admin:registry_company_change", args=[c.pk]),
                {"insurance_valid_until": lapsed},
            ),
        },
    )


def adherence_case(w, client):
    c = w["company"]
    standard = f.ConductStandardFactory()
    fields = {"company": c.pk, "standard": standard.pk, "signed_on": TODAY.isoformat()}
    return (
        "registry.adherence",
        w["regulator"],
        [c.pk],
        {
            "api": lambda: api_call(w["regulator"], "post", "/api/v1/adherences/", fields),
            "admin": lambda: admin_post(
                client, w["regulator"], reverse("admin:registry_adherence_add"), fields
            ),
        },
    )


def licence_application_case(w, client):
    c = w["company"]
    fields = {
        "number": "PSRA/APP/2027/0042",
        "authority": c.registering_authority_id,
        "company": c.pk,
        "countries": ["SO"],
        "services": ["armed_escort"],
        "weapons_authorised": True,
        "max_armed_personnel": 40,
        "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY + dt.timedelta(days=730)).isoformat(),
    }
    form_fields = {**fields, "weapons_authorised": "on", "subdivisions": "[]"}
    return (
        "registry.licence",
        w["regulator"],
        [c.pk],
        {
            "api": lambda: api_call(w["regulator"], "post", "/api/v1/licences/", fields),
            "admin": lambda: admin_post(
                client, w["regulator"], reverse("admin:registry_licence_add"), form_fields
            ),
        },
    )


def vetting_case(w, client):
    c = w["company"]
    person = f.EmploymentFactory(contract=w["contract"], armed=True).person
    run_compliance([c.pk])  # an unvetted armed guard: PER-VETTING, not cleared
    fields = {
        "person": person.pk,
        "company": c.pk,
        "vetted_on": TODAY.isoformat(),
        "vetted_by": "Mission Security Section",
        "outcome": "cleared",
    }
    return (
        "registry.vetting",
        w["regulator"],
        [c.pk],
        {
            "api": lambda: api_call(w["regulator"], "post", "/api/v1/vetting/", fields),
            "admin": lambda: admin_post(
                client, w["regulator"], reverse("admin:registry_vetting_add"), fields
            ),
        },
    )


def certification_case(w, client):
    c = w["company"]
    standard = f.ConductStandardFactory(code="iso18788", name="ISO 18788")
    fields = {
        "company": c.pk,
        "standard": standard.pk,
        "certifying_body": "Meridian Certification Bureau",
        "certificate_number": "MCB-2027-117",
        "issued_on": (TODAY - dt.timedelta(days=400)).isoformat(),
        "expires_on": (TODAY - dt.timedelta(days=5)).isoformat(),  # lapsed: CERT-EXPIRED
    }
    return (
        "registry.certification",
        w["regulator"],
        [c.pk],
        {
            "api": lambda: api_call(w["regulator"], "post", "/api/v1/certifications/", fields),
            "admin": lambda: admin_post(
                client, w["regulator"], reverse("admin:registry_certification_add"), fields
            ),
        },
    )


ALLOWED = [
    sanction_case,
    incident_case,
    contract_case,
    contract_update_case,
    company_update_case,
    adherence_case,
    licence_application_case,
    vetting_case,
    certification_case,
]


@pytest.mark.parametrize("case", ALLOWED, ids=lambda c: c.__name__.removesuffix("_case"))
def test_an_allowed_write_leaves_the_same_result_through_every_door(
    case, world, client, writes_only_through_services
):
    label, _user, company_ids, doors = case(world, client)
    offenders = writes_only_through_services
    offenders.clear()
    from django.apps import apps

    model = apps.get_model(label)
    results = {}
    for door, write in doors.items():
        response, snap = run_rolled_back(write, model, company_ids)
        assert response.status_code in (200, 201, 302), (door, response.content[:2000])
        if door in ("web", "admin"):
            assert response.status_code == 302, (door, _errors(response))
        results[door] = snap
    assert offenders == [], "registry rows written outside registry/services"
    reference = results.pop("api")
    assert reference["rows"] or reference["changed"]
    assert reference["audit"], "the write is in the audit trail"
    for door, snap in results.items():
        for part in ("rows", "changed", "findings", "standing", "history", "audit"):
            assert snap[part] == reference[part], (door, part)


def test_a_global_debarment_makes_the_company_not_cleared_through_every_door(world, client):
    _label, _user, company_ids, doors = sanction_case(world, client)
    for write in doors.values():
        _response, snap = run_rolled_back(write, Finding, company_ids)
        assert snap["standing"] == {company_ids[0]: Standing.NOT_CLEARED}
        assert any("'good', 'not_cleared'" in x for x in snap["history"])
        assert any("SAN-DEBARRED" in x and "'open'" in x for x in snap["findings"])


# --- Forbidden writes -----------------------------------------------------------------------


def foreign_sanction_case(w, client):
    c = w["foreign"]
    fields = {
        "company": c.pk,
        "imposed_by_authority": w["regulator"].profile.authority_id,
        "kind": "debarment",
        "scope": "global",
        "start": TODAY.isoformat(),
        "reason": "Not ours to impose.",
    }
    return (
        "registry.sanction",
        [c.pk],
        {
            "api": lambda: api_call(w["regulator"], "post", "/api/v1/sanctions/", fields),
            "web": lambda: page_post(
                client, w["regulator"], reverse("web:sanction_new", args=[c.pk]), fields
            ),
            "admin": lambda: admin_post(
                client, w["regulator"], reverse("admin:registry_sanction_add"), fields
            ),
        },
    )


def other_mission_contract_case(w, client):
    other = f.ClientFactory(mission=f.MissionFactory(acronym="ELSEWHERE"))
    fields = {
        "reference": "ELSEWHERE/0001",
        "client": other.pk,
        "company": w["company"].pk,
        "mission": other.mission_id,
        "personnel_local": 5,
        "start": TODAY.isoformat(),
        "end": (TODAY + dt.timedelta(days=30)).isoformat(),
        "status": "planned",
    }
    api_fields = {**fields, "countries": ["KE"], "services": ["unarmed_guarding"]}
    form_fields = {
        **fields,
        "countries": ["KE"],
        "services": ["unarmed_guarding"],
        "personnel_international": 0,
        "personnel_third_country": 0,
        "armed_personnel": 0,
    }
    return (
        "registry.contract",
        [w["company"].pk],
        {
            "api": lambda: api_call(w["officer"], "post", "/api/v1/contracts/", api_fields),
            "web": lambda: page_post(
                client, w["officer"], reverse("web:contract_new"), form_fields
            ),
            "admin": lambda: admin_post(
                client, w["officer"], reverse("admin:registry_contract_add"), form_fields
            ),
        },
    )


def foreign_licence_case(w, client):
    licence = f.LicenceFactory(company=w["company"], authority=f.AuthorityFactory())
    change = {"conditions": "Changed by the wrong authority."}
    return (
        "registry.licence",
        [w["company"].pk],
        {
            "api": lambda: api_call(
                w["regulator"], "patch", f"/api/v1/licences/{licence.pk}/", change
            ),
            "admin": lambda: page_post(
                client,
                w["regulator"],
                reverse("admin:registry_licence_change", args=[licence.pk]),
                change,
            ),
        },
    )


FORBIDDEN = [foreign_sanction_case, other_mission_contract_case, foreign_licence_case]


def _errors(response) -> str:
    """The error messages of a form page shown again, for an assertion's message."""
    return " | ".join(
        re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    )


def _refused(response) -> bool:
    if response.status_code in (400, 403, 404):
        return True
    # A page that shows the form again with its errors.
    return response.status_code == 200 and b"error" in response.content


@pytest.mark.parametrize("case", FORBIDDEN, ids=lambda c: c.__name__.removesuffix("_case"))
def test_a_forbidden_write_is_refused_by_every_door_and_changes_nothing(case, world, client):
    label, company_ids, doors = case(world, client)
    from django.apps import apps

    model = apps.get_model(label)
    for door, write in doors.items():
        response, snap = run_rolled_back(write, model, company_ids)
        assert _refused(response), (door, response.status_code, response.content[:1500])
        assert snap["rows"] == [] and snap["audit"] == [], door
