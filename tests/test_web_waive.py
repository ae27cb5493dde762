import pytest

pytest.importorskip("registry.compliance")

from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from registry.choices import FindingState, Severity  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(company):
    now = timezone.now()
    return company.findings.create(
        rule_code="INS-EXPIRED",
        severity=Severity.WARNING,
        subject_key=f"company:{company.pk}",
        message="No liability insurance is on record.",
        first_seen=now,
        last_seen=now,
    )


def test_regulator_waives_a_finding_with_a_justification(client, regulator, finding):
    client.force_login(regulator)
    response = client.post(
        reverse("web:finding_waive", args=[finding.pk]),
        {"justification": "Cover confirmed by the insurer's letter of 3 May."},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == FindingState.WAIVED and finding.waived_by == regulator


def test_a_blank_justification_is_refused_and_nothing_changes(client, regulator, finding):
    client.force_login(regulator)
    response = client.post(reverse("web:finding_waive", args=[finding.pk]), {"justification": " "})
    assert response.status_code == 200 and "This field is required." in response.text
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN


def test_mission_staff_cannot_waive(client, mission_officer, finding):
    client.force_login(mission_officer)
    assert client.get(reverse("web:finding_waive", args=[finding.pk])).status_code == 403
