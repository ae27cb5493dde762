"""On the demo: a licence granted, then a global debarment recorded through the API; every door
says the same thing at once, and the standing history says why and when."""

import json

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from registry.choices import FindingState, Standing
from registry.demo import FIXTURE_PATH
from registry.demo.load import load_demo
from registry.models import Company, Finding, Licence, StandingChange

from . import factories as f

pytestmark = pytest.mark.django_db


def _dashboard_counts(response) -> dict:
    text = response.content.decode()
    start = text.index('<script id="dashboard-data" type="application/json">')
    charts = json.loads(text[text.index(">", start) + 1 : text.index("</script>", start)])
    return dict(zip(charts["standing"]["codes"], charts["standing"]["counts"], strict=True))


def test_a_debarment_through_the_api_is_seen_by_every_door(client):
    load_demo(settings.BASE_DIR / FIXTURE_PATH)
    from django.contrib.auth.models import User

    regulator, auditor = (
        User.objects.get(username="regulator"),
        User.objects.get(username="auditor"),
    )
    api = APIClient()
    api.force_authenticate(regulator)
    licence = Licence.objects.get(number="SSLB/PSC/2025/0907")
    company = licence.company
    granted = api.post(f"/api/v1/licences/{licence.pk}/grant/", {"reason": "Inspected."})
    assert granted.status_code == 200, granted.content
    assert api.get(f"/api/v1/companies/{company.pk}/").json()["standing"] == Standing.GOOD
    good_count = _dashboard_counts(_as(client, auditor).get(reverse("web:dashboard")))[
        Standing.GOOD
    ]

    response = api.post(
        "/api/v1/sanctions/",
        {
            "company": company.pk,
            "imposed_by_authority": licence.authority_id,
            "kind": "debarment",
            "scope": "global",
            "start": f.TODAY().isoformat(),
            "reason": "Armed guards deployed without licences.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    sanction = response.json()["id"]

    detail = api.get(f"/api/v1/companies/{company.pk}/").json()
    assert detail["standing"] == Standing.NOT_CLEARED
    good = api.get("/api/v1/companies/", {"standing": "good", "page_size": 500}).json()
    assert company.pk not in {row["id"] for row in good["results"]}
    status = api.get("/api/v1/status/", {"licence_number": licence.number}).json()
    assert status["standing"] == Standing.NOT_CLEARED
    public = client.get(reverse("web:company", args=[company.pk]))
    assert b"Not cleared" in public.content
    after = _dashboard_counts(_as(client, auditor).get(reverse("web:dashboard")))
    assert after[Standing.GOOD] == good_count - 1
    queue = _as(client, regulator).get(reverse("web:queue"))
    assert b"SAN-DEBARRED" in queue.content
    assert Finding.objects.filter(
        company=company, rule_code="SAN-DEBARRED", state=FindingState.OPEN
    ).exists()

    change = StandingChange.objects.filter(company=company).latest("at", "id")
    assert (change.from_standing, change.to_standing) == (Standing.GOOD, Standing.NOT_CLEARED)
    assert f"registry.sanction {sanction} create" in change.cause
    assert change.on == f.TODAY()
    history = client.get(f"/api/v1/companies/{company.pk}/standing-history/").json()
    latest = history["standing_history"][0]
    assert (latest["from_standing"], latest["to_standing"]) == ("good", "not_cleared")
    assert Company.objects.get(pk=company.pk).standing_since is not None


def _as(client, user):
    client.force_login(user)
    return client
