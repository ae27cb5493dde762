"""No door shows a role what the API hides from it.

A world holds marked secrets (a guard's name behind a DDR finding, the text of an open inquiry,
another mission's contract value, vetting notes, a sanctioned person). For each role every API
list, status and detail answer is read, then every web page, export and admin page the role can
open: a secret found on a page or in the admin must also be in what the API gives that role.
"""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse
from rest_framework.test import APIClient

from registry.choices import Role
from registry.compliance import run_compliance
from registry.services.hiring import run_hiring_check

from . import factories as f

pytestmark = pytest.mark.django_db

SECRETS = {
    "guard": "Samwel Hiddenname",
    "inquiry": "Inquiry text 7Q2X about a roadblock",
    "value": "987654",
    "vetting": "Vetting note K4P9",
    "sanctioned": "Rosa Sanctionedperson",
}
API_LISTS = [
    "companies",
    "licences",
    "adherences",
    "certifications",
    "missions",
    "clients",
    "contracts",
    "coordination",
    "incidents",
    "sanctions",
    "findings",
    "personnel",
    "vetting",
    "hiring-checks",
]


@pytest.fixture
def secret_world(mission, authority):
    company = f.compliant_company(registering_authority=authority)
    other_mission = f.MissionFactory(acronym="OTHERMIS")
    ours = f.ContractFactory(company=company, client=f.ClientFactory(mission=mission))
    theirs = f.ContractFactory(
        company=company, client=f.ClientFactory(mission=other_mission), value=SECRETS["value"]
    )
    guard = f.EmploymentFactory(contract=ours, armed=True, person__full_name=SECRETS["guard"])
    f.VettingFactory(
        person=guard.person, company=company, ddr_participant=True, notes=SECRETS["vetting"]
    )
    f.IncidentFactory(company=company, status="under_investigation", summary=SECRETS["inquiry"])
    f.SanctionFactory(
        company=company,
        kind="fine",
        person=f.PersonFactory(full_name=SECRETS["sanctioned"]),
        end=f.TODAY() + dt.timedelta(days=30),
    )
    run_compliance()
    return {"company": company, "contracts": [ours, theirs], "mission": mission}


@pytest.fixture
def readers(regulator, mission_officer, auditor, mission, secret_world):
    other_regulator = f.ProfileFactory(
        role=Role.REGULATOR, authority=f.AuthorityFactory(), user__username="elsewhere"
    ).user
    check = run_hiring_check(
        company=secret_world["company"],
        mission=mission,
        countries=["KE"],
        services=["unarmed_guarding"],
        armed=False,
        start=f.TODAY(),
        end=f.TODAY(),
        asked_by=mission_officer,
    )
    secret_world["check"] = check
    users = {
        "public": None,
        "mission_staff": mission_officer,
        "other_regulator": other_regulator,
        "regulator": regulator,
        "auditor": auditor,
    }
    for user in users.values():
        if user is not None:
            user.is_staff = True
            user.save()
    return users


def api_text(user, world) -> str:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    company = world["company"].pk
    urls = [f"/api/v1/{name}/?page_size=500" for name in API_LISTS]
    urls += [
        f"/api/v1/companies/{company}/",
        f"/api/v1/companies/{company}/status/",
        f"/api/v1/hiring-checks/{world['check'].pk}/",
    ]
    urls += [f"/api/v1/contracts/{c.pk}/" for c in world["contracts"]]
    return "\n".join(client.get(url).content.decode() for url in urls)


def page_text(client, user, world) -> str:
    client.logout()
    if user is not None:
        client.force_login(user)
    company = world["company"].pk
    urls = [
        reverse("web:search") + "?q=Sentinel",
        reverse("web:company", args=[company]),
        reverse("web:dashboard"),
        reverse("web:queue"),
        reverse("web:contracts"),
        reverse("web:contracts_csv"),
        reverse("web:hiring_result", args=[world["check"].pk]),
        reverse("web:history", args=["company", company]),
    ]
    urls += [reverse("web:contract", args=[c.pk]) for c in world["contracts"]]
    return "\n".join(_body(client.get(url)) for url in urls)


def admin_text(client, user) -> str:
    if user is None:
        return ""
    client.force_login(user)
    out = []
    for model in admin.site._registry:
        if model._meta.app_label != "registry":
            continue
        prefix = f"admin:registry_{model._meta.model_name}"
        out.append(_body(client.get(reverse(f"{prefix}_changelist"))))
        for pk in model.objects.values_list("pk", flat=True)[:50]:
            out.append(_body(client.get(reverse(f"{prefix}_change", args=[pk]))))
            out.append(_body(client.get(reverse(f"{prefix}_history", args=[pk]))))
    return "\n".join(out)


def _body(response) -> str:
    if response.status_code != 200:
        return ""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize(
    "role", ["public", "mission_staff", "other_regulator", "regulator", "auditor"]
)
def test_pages_and_admin_show_no_more_than_the_api(role, readers, secret_world, client):
    user = readers[role]
    api = api_text(user, secret_world)
    shown = page_text(client, user, secret_world) + admin_text(client, user)
    leaks = [name for name, secret in SECRETS.items() if secret in shown and secret not in api]
    assert leaks == []
    if role == "auditor":  # the crawl reads what it should: auditors see every secret
        assert all(secret in api for secret in SECRETS.values())
