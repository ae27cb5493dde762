"""A rule's declared audience is all registry.access needs to redact its findings: a new rule,
declared here and nowhere else, is redacted like the catalogue's personnel rules."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from registry import access
from registry.choices import Role, Severity
from registry.compliance import PERSONNEL, Audience, Hit, Reads, rule, run_compliance
from registry.compliance.base import withdraw_rule
from registry.models import Finding

from . import factories as f
from .compliance_helpers import hire

pytestmark = pytest.mark.django_db

CODE = "TEST-CREW-ROSTER"
SECRET = "Roster names Hodan Fictional Warsame"
EXPLANATION = "The crew roster of a contract shows what only its regulator may read."


@pytest.fixture
def crew_rule():
    declared = rule(
        CODE,
        severity=Severity.BLOCKER,
        subject=PERSONNEL,
        reads=(Reads.PERSONNEL,),
        audience=Audience.PERSONNEL,
        title="Crew roster flagged",
        source="This test",
        explanation=EXPLANATION,
    )

    @declared.check(PERSONNEL)
    def _roster(crew, on):
        if crew.contract_id is not None:
            yield Hit(
                f"contract:{crew.contract_id}", f"{SECRET} on {crew.reference}.", crew.contract_id
            )

    yield declared
    withdraw_rule(CODE)


@pytest.fixture
def flagged(crew_rule, company):
    """A compliant company with one crew on a contract for a mission other than the officer's."""
    company = f.compliant_company(registering_authority=company.registering_authority)
    f.EmploymentFactory(contract=f.ContractFactory(company=company))
    run_compliance([company.pk])
    assert Finding.objects.get(rule_code=CODE).message.startswith(SECRET)
    return company


def test_the_rule_is_in_the_catalogue_only_while_declared(crew_rule):
    from registry.compliance import catalogue, rule_codes

    assert crew_rule in catalogue() and CODE in rule_codes(Audience.PERSONNEL)


def test_a_rule_cannot_promise_a_wider_audience_than_its_records_allow(crew_rule):
    with pytest.raises(ValueError, match="reads personnel"):
        rule(
            "TEST-TOO-OPEN",
            severity=Severity.WARNING,
            subject=PERSONNEL,
            reads=(Reads.PERSONNEL,),
            audience=Audience.OVERSIGHT,
            title="Too open",
            source="This test",
            explanation="Never declared.",
        )


def test_access_redacts_by_the_audience(flagged, mission_officer, regulator, auditor):
    public = access.viewer(None)
    assert not access.findings(public).filter(rule_code=CODE).exists()
    assert not access.findings(mission_officer).filter(rule_code=CODE).exists()
    assert access.findings(regulator).filter(rule_code=CODE).exists()

    contract = Finding.objects.get(rule_code=CODE).contract
    own_staff = f.ProfileFactory(role=Role.MISSION_STAFF, missions=[contract.mission]).user
    # Personnel findings about their own missions' contracts, as the catalogue's PER- rules.
    assert access.findings(own_staff).filter(rule_code=CODE).exists()

    for who, expected in [
        (public, EXPLANATION),
        (mission_officer, EXPLANATION),
        (own_staff, EXPLANATION),
        (regulator, SECRET),
        (auditor, SECRET),
    ]:
        message = access.reason_message(who, flagged.pk, CODE, f"{SECRET}.")
        assert message.startswith(expected), who


def test_api_lists_and_status_redact_by_the_audience(flagged, mission_officer, regulator):
    api = APIClient()
    findings, status = reverse("api:finding-list"), reverse("api:company-status", args=[flagged.pk])
    history = reverse("api:company-standing-history", args=[flagged.pk])

    body = api.get(history).content.decode()  # the public
    assert CODE in body and EXPLANATION in body and SECRET not in body

    api.force_authenticate(mission_officer)
    listed = api.get(findings, {"page_size": 200}).json()["results"]
    assert CODE not in {x["rule_code"] for x in listed}
    body = api.get(status).content.decode()
    assert CODE in body and EXPLANATION in body and SECRET not in body

    api.force_authenticate(regulator)
    assert CODE in {x["rule_code"] for x in api.get(findings, {"page_size": 200}).json()["results"]}
    assert SECRET in api.get(status).content.decode()


def test_pages_redact_by_the_audience(client, flagged, mission, mission_officer, regulator):
    page = reverse("web:company", args=[flagged.pk])
    text = client.get(page).text  # the public
    assert CODE in text and EXPLANATION in text and SECRET not in text

    client.force_login(mission_officer)
    text = client.get(page).text
    assert f'id="finding-{Finding.objects.get(rule_code=CODE).pk}"' not in text
    assert CODE in text and EXPLANATION in text and SECRET not in text

    check = hire(flagged, mission=mission, client=None, asked_by=mission_officer)
    assert CODE in {x["rule"] for x in check.findings}
    text = client.get(reverse("web:hiring_result", args=[check.pk])).text
    assert CODE in text and SECRET not in text

    client.force_login(regulator)
    assert SECRET in client.get(page).text


def test_the_catalogue_audiences_are_those_access_used_to_infer_from_codes():
    from registry.compliance import catalogue

    register = {"LIC-NONE", "LIC-EXPIRING", "COC-NONE", "CERT-EXPIRED"}
    for declared in catalogue():
        if declared.code.startswith("PER-"):
            expected = Audience.PERSONNEL
        elif declared.code == "INC-OPEN-SERIOUS":
            expected = Audience.INVESTIGATION
        elif declared.code in register:
            expected = Audience.PUBLIC
        else:
            expected = Audience.OVERSIGHT
        assert declared.audience == expected, declared.code


def test_a_reason_of_a_withdrawn_rule_is_explained_without_its_message(
    mission_officer, regulator, company
):
    kept = "Guard J. Doe failed vetting"
    assert (
        access.reason_message(None, company.pk, "GONE-1", kept) == access.RETIRED_RULE_EXPLANATION
    )
    assert access.reason_message(mission_officer, company.pk, "GONE-1", kept) != kept
    assert access.reason_message(regulator, company.pk, "GONE-1", kept) == kept
