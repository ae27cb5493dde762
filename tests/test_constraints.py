"""Every database constraint rejects a bad row, on SQLite and PostgreSQL alike."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CheckConstraint
from django.utils import timezone

from registry import models as m
from registry.choices import ClientKind, ContractStatus, FindingState, Role, SanctionScope
from registry.demo.values import lei

from . import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
NOW = timezone.now


def update(obj, **values):
    type(obj).objects.filter(pk=obj.pk).update(**values)


def person(**kw):
    p = m.Person(full_name="Test Person", nationality=f.country("KE"), **kw)
    p.set_identity_document("KE", f"DOC-{m.Person.objects.count()}")
    p.save()
    return p


def finding(**kw):
    company = kw.pop("company", None) or f.CompanyFactory()
    now = NOW()
    values = {"rule_code": "LIC-NONE", "severity": "blocker", "subject_key": f"company:{company.pk}",
              "message": "No licence", "first_seen": now, "last_seen": now, **kw}  # fmt: skip
    return m.Finding.objects.create(company=company, **values)


def hiring_check(**kw):
    values = {"asked_at": NOW(), "company": f.CompanyFactory(), "countries": ["KE"],
              "services": ["unarmed_guarding"], "armed": False, "start": dt.date(2026, 1, 1),
              "end": dt.date(2026, 6, 1), "verdict": "cleared", **kw}  # fmt: skip
    return m.HiringCheck.objects.create(**values)


def sanction(**kw):
    values = {"company": f.CompanyFactory(), "imposed_by_authority": f.AuthorityFactory(),
              "kind": "fine", "start": dt.date(2025, 1, 1), "reason": "Late return", **kw}  # fmt: skip
    return m.Sanction.objects.create(**values)


def _alias_twice():
    company = f.CompanyFactory()
    m.CompanyAlias.objects.create(company=company, name="Shield")
    m.CompanyAlias.objects.create(company=company, name="Shield")


def _duplicate(factory, *fields):
    def make():
        first = factory()
        factory(**{name: getattr(first, name) for name in fields})

    return make


def _event_without_reason():
    m.LicenceEvent.objects.create(licence=f.LicenceFactory(), action="suspend", from_state="active",
                                  to_state="suspended", actor_label="x", at=NOW(), reason="")  # fmt: skip


def _finding_twice():
    company = f.CompanyFactory()
    finding(company=company)
    finding(company=company)


def idempotency_key(user=None, **kw):
    now = NOW()
    values = {"user": user or f.UserFactory(), "key": "retry-1", "fingerprint": "0" * 64,
              "created_at": now, "expires_at": now + dt.timedelta(hours=24), **kw}  # fmt: skip
    return m.IdempotencyKey.objects.create(**values)


def _second_tally_row():
    contract = f.ContractFactory()  # its trigger writes the first
    m.ContractTally.objects.create(
        mission_key=contract.mission_id, year=contract.start.year, currency=contract.currency
    )


def _contract(**values):
    return lambda: update(f.ContractFactory(), **values)


CASES = {
    "authority_unique_name_per_country": _duplicate(f.AuthorityFactory, "name", "country"),
    "company_unique_registration_per_authority": _duplicate(
        f.CompanyFactory, "registering_authority", "registration_number"
    ),
    "company_insurance_cover_not_negative": lambda: update(
        f.CompanyFactory(), insurance_cover=-1, insurance_currency="USD"
    ),
    "company_insurance_cover_has_currency": lambda: update(f.CompanyFactory(), insurance_cover=10),
    "company_not_own_parent": lambda: (c := f.CompanyFactory()) and update(c, parent_id=c.pk),
    "alias_unique_per_company": _alias_twice,
    "finding_one_live_per_rule_subject": _finding_twice,
    "finding_waiver_named_and_justified": lambda: finding(state=FindingState.WAIVED),
    "finding_last_seen_after_first": lambda: finding(last_seen=NOW() - dt.timedelta(hours=1)),
    "hiring_check_end_after_start": lambda: hiring_check(
        client=f.ClientFactory(), end=dt.date(2025, 12, 31)
    ),
    "hiring_check_names_client_or_mission": lambda: hiring_check(),
    "adherence_withdrawn_after_signed": lambda: (
        (a := f.AdherenceFactory()) and update(a, withdrawn_on=a.signed_on - DAY)
    ),
    "adherence_unique_signature": _duplicate(
        f.AdherenceFactory, "company", "standard", "signed_on"
    ),
    "certification_expires_after_issued": lambda: (
        (c := f.CertificationFactory()) and update(c, expires_on=c.issued_on - DAY)
    ),
    "contract_unique_reference_per_client": _duplicate(f.ContractFactory, "client", "reference"),
    "contract_end_after_start": lambda: (c := f.ContractFactory()) and update(c, end=c.start - DAY),
    "contract_value_not_negative": _contract(value=-1),
    "contract_value_has_currency": _contract(currency=""),
    "contract_armed_within_personnel": _contract(armed=True, armed_personnel=11),
    "contract_unarmed_has_no_armed_personnel": _contract(armed=False, armed_personnel=1),
    "contract_termination_has_reason": _contract(status=ContractStatus.TERMINATED_CAUSE),
    "contract_not_own_parent": lambda: (c := f.ContractFactory()) and update(c, parent_id=c.pk),
    "licence_unique_number_per_authority": _duplicate(f.LicenceFactory, "authority", "number"),
    "licence_valid_until_after_from": lambda: (
        (lic := f.LicenceFactory()) and update(lic, valid_until=lic.valid_from - DAY)
    ),
    "licence_armed_cap_needs_weapons": lambda: update(
        f.LicenceFactory(), weapons_authorised=False, max_armed_personnel=5
    ),
    "licence_state_valid": lambda: update(f.LicenceFactory(), state="dormant"),
    "licence_event_has_reason": _event_without_reason,
    "idempotency_key_unique_per_user": lambda: idempotency_key(idempotency_key().user),
    "idempotency_key_expires_after_created": lambda: idempotency_key(expires_at=NOW() - DAY),
    "contract_tally_key": _second_tally_row,
    "mission_end_after_start": lambda: update(f.MissionFactory(), end=dt.date(2014, 12, 31)),
    "client_mission_kind_names_mission": lambda: f.ClientFactory(
        kind=ClientKind.MISSION, mission=None
    ),
    "profile_regulator_has_authority": lambda: f.ProfileFactory(role=Role.REGULATOR),
    "profile_only_regulator_has_authority": lambda: f.ProfileFactory(
        role=Role.AUDITOR, authority=f.AuthorityFactory()
    ),
    "sanction_one_imposer": lambda: sanction(imposed_by_mission=f.MissionFactory()),
    "sanction_scope_matches_target": lambda: sanction(scope=SanctionScope.COUNTRY),
    "sanction_end_after_start": lambda: sanction(end=dt.date(2024, 12, 31)),
    "sanction_lifted_has_reason": lambda: sanction(lifted_on=dt.date(2025, 2, 1)),
    "employment_end_after_start": lambda: m.Employment.objects.create(
        person=person(),
        company=f.CompanyFactory(),
        role="Guard",
        origin="local",
        start=dt.date(2025, 1, 2),
        end=dt.date(2025, 1, 1),
    ),  # fmt: skip
    "vetting_left_forces_means_former": lambda: m.Vetting.objects.create(
        person=person(),
        vetted_on=dt.date(2025, 1, 1),
        vetted_by="HR",
        outcome="cleared",
        left_security_forces_on=dt.date(2024, 6, 1),
    ),  # fmt: skip
    "training_expires_after_completed": lambda: m.Training.objects.create(
        person=person(),
        kind="human_rights",
        completed_on=dt.date(2025, 1, 2),
        expires_on=dt.date(2025, 1, 1),
    ),  # fmt: skip
    # Unique fields and non-negative counts (no constraint name of their own).
    "company.lei unique": lambda: (
        (c := f.CompanyFactory(lei=lei("5493TESTLEI01"))) and f.CompanyFactory(lei=c.lei)
    ),
    "mission.acronym unique": _duplicate(f.MissionFactory, "acronym"),
    "client.name unique": _duplicate(f.ClientFactory, "name"),
    "person.identity_hash unique": lambda: [
        person(),
        m.Person.objects.create(
            full_name="Twin",
            nationality=f.country("KE"),
            identity_hash=m.Person.objects.get().identity_hash,
        ),
    ],  # fmt: skip
    "contract personnel not negative": _contract(personnel_local=-1),
    "licence max armed personnel not negative": lambda: update(
        f.LicenceFactory(), max_armed_personnel=-1
    ),
}


def named_constraints():
    return {
        constraint.name: constraint
        for model in apps.get_app_config("registry").get_models()
        for constraint in model._meta.constraints
    }


@pytest.mark.parametrize("case", CASES)
def test_database_rejects_bad_row(case):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        CASES[case]()
    constraint = named_constraints().get(case)
    # PostgreSQL names every violated constraint; SQLite names only CHECK constraints.
    if constraint and (
        connection.vendor == "postgresql" or isinstance(constraint, CheckConstraint)
    ):
        assert case in str(error.value)


def test_every_named_constraint_has_a_case():
    assert set(named_constraints()) - set(CASES) == set()


def test_model_validation_gives_the_constraint_message():
    contract = f.ContractFactory()
    contract.end = contract.start - DAY
    with pytest.raises(ValidationError, match="A contract cannot end before it starts"):
        contract.full_clean()


def test_full_clean_reports_every_broken_check_at_once_from_one_query():
    from django.test.utils import CaptureQueriesContext

    contract = f.ContractFactory()
    contract.end = contract.start - DAY
    contract.value, contract.currency = -5, ""
    with CaptureQueriesContext(connection) as ctx, pytest.raises(ValidationError) as error:
        contract.validate_constraints()
    messages = error.value.messages
    assert "A contract cannot end before it starts." in messages
    assert "A contract value cannot be negative." in messages
    assert "A contract value needs its currency." in messages
    checks = [q for q in ctx.captured_queries if "_check_" in q["sql"]]
    assert len(checks) == 1


def test_a_check_naming_an_excluded_field_is_skipped_and_null_passes():
    contract = f.ContractFactory()
    contract.end = contract.start - DAY
    contract.validate_constraints(exclude={"end"})  # the end-after-start check is not asked
    contract.end = None  # NULL passes a check, as in SQL
    contract.validate_constraints()
