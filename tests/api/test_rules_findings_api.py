"""Rules catalogue and finding waivers through HTTP.

Needs registry.compliance (the compliance engineer's branch); skipped until it is merged.
"""

import pytest

from registry.choices import FindingState  # noqa: E402

pytestmark = pytest.mark.django_db


def test_rules_catalogue_is_public(client):
    response = client.get("/api/v1/rules/")
    assert response.status_code == 200
    codes = {rule["code"] for rule in response.json()}
    assert {"LIC-NONE", "COORD-OVERLAP", "PER-DDR"} <= codes
    one = client.get("/api/v1/rules/LIC-NONE/").json()
    assert one["severity"] == "blocker" and one["subject"] == "company"
    assert client.get("/api/v1/rules/NOPE/").status_code == 404


def test_regulator_waives_a_finding_with_justification(world, client_for):
    url = f"/api/v1/findings/{world.finding.pk}/waive/"
    response = client_for("regulator").post(
        url, {"justification": "Signed on paper."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == FindingState.WAIVED


def test_blank_justification_is_400(world, client_for):
    url = f"/api/v1/findings/{world.finding.pk}/waive/"
    response = client_for("regulator").post(url, {"justification": " "}, format="json")
    assert response.status_code == 400
    world.finding.refresh_from_db()
    assert world.finding.state == FindingState.OPEN


@pytest.mark.parametrize(
    ("role", "status"), [("public", 401), ("auditor", 403), ("mission_staff", 403)]
)
def test_who_may_waive(world, client_for, role, status):
    url = f"/api/v1/findings/{world.finding.pk}/waive/"
    response = client_for(role).post(url, {"justification": "x"}, format="json")
    assert response.status_code == status
