"""Findings drawn from personnel records reach mission staff only for their own contracts."""

import pytest

from registry.choices import FindingState

from .. import factories as f

pytestmark = pytest.mark.django_db

SHARE = "2 of 6 local hires on {} left the national forces in the last 12 months."


def _per_finding(contract):
    return f.FindingFactory(
        company=contract.company,
        contract=contract,
        rule_code="PER-FORMER-FORCES-SHARE",
        subject_key=f"contract:{contract.pk}",
        message=SHARE.format(contract.reference),
    )


def test_mission_staff_never_see_other_missions_personnel_findings(world, client_for):
    ours, theirs = _per_finding(world.contract), _per_finding(world.other_contract)
    client = client_for("mission_staff")
    listed = {row["id"] for row in client.get("/api/v1/findings/").json()["results"]}
    assert ours.pk in listed and theirs.pk not in listed
    assert client.get(f"/api/v1/findings/{theirs.pk}/").status_code == 404
    # Nor through a filter or the text search over messages.
    for query in ({"rule": "PER-FORMER-FORCES-SHARE"}, {"q": "national forces"}):
        rows = client.get("/api/v1/findings/", query).json()["results"]
        assert [row["id"] for row in rows] == [ours.pk]
    status = client.get(f"/api/v1/companies/{world.other_company.pk}/status/").json()
    assert theirs.pk not in {row["id"] for row in status["open_findings"]}
    assert theirs.state == FindingState.OPEN
    # Regulators of the company and auditors still read it.
    assert client_for("auditor").get(f"/api/v1/findings/{theirs.pk}/").status_code == 200
