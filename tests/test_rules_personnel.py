"""Personnel rules: vetting, training and local-hiring red flags on a contract's crew."""

import datetime as dt

import pytest
from django.utils import timezone

from registry.models import Finding

from . import factories as f
from .compliance_helpers import open_codes

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def contract(db):
    return f.ContractFactory(company=f.compliant_company(), personnel_local=20)


def hire_person(contract, vetting=None, trainings=(), **employment):
    emp = f.EmploymentFactory(contract=contract, **employment)
    if vetting is not None:
        f.VettingFactory(person=emp.person, **vetting)
    for kind in trainings:
        f.TrainingFactory(person=emp.person, kind=kind)
    return emp


TRAINED = ("use_of_force", "human_rights")


def test_per_vetting_fires_for_armed_without_cleared_vetting(contract):
    emp = hire_person(contract, {"outcome": "pending"}, TRAINED, armed=True)
    hire_person(contract, None, TRAINED, armed=True)
    assert "PER-VETTING" in open_codes(contract.company)
    keys = set(
        Finding.objects.filter(rule_code="PER-VETTING").values_list("subject_key", flat=True)
    )
    assert f"contract:{contract.pk}:person:{emp.person_id}" in keys and len(keys) == 2


def test_per_vetting_quiet_for_cleared_or_unarmed(contract):
    hire_person(contract, {"outcome": "cleared"}, TRAINED, armed=True)
    hire_person(contract, None, armed=False)
    assert "PER-VETTING" not in open_codes(contract.company)


def test_per_vetting_uses_latest_vetting(contract):
    emp = hire_person(
        contract, {"outcome": "cleared", "vetted_on": TODAY - 400 * DAY}, TRAINED, armed=True
    )
    f.VettingFactory(person=emp.person, outcome="refused")
    assert "PER-VETTING" in open_codes(contract.company)


def test_per_training_fires_without_human_rights_training(contract):
    hire_person(contract, {}, ["use_of_force"], armed=True)
    assert "PER-TRAINING" in open_codes(contract.company)


def test_per_training_fires_when_training_expired(contract):
    emp = hire_person(contract, {}, ["use_of_force"], armed=True)
    f.TrainingFactory(person=emp.person, kind="human_rights", expires_on=TODAY - DAY)
    assert "PER-TRAINING" in open_codes(contract.company)


def test_per_training_quiet_when_trained(contract):
    hire_person(contract, {}, TRAINED, armed=True)
    assert "PER-TRAINING" not in open_codes(contract.company)


def test_per_ddr_fires_for_local_ddr_participant(contract):
    hire_person(contract, {"ddr_participant": True})
    assert "PER-DDR" in open_codes(contract.company)


def test_per_ddr_quiet_for_international_or_non_participant(contract):
    hire_person(contract, {"ddr_participant": True}, origin="international")
    hire_person(contract, {"ddr_participant": False})
    assert "PER-DDR" not in open_codes(contract.company)


def test_per_serving_forces_fires_for_local_serving_member(contract):
    hire_person(contract, {"serving_security_forces": True})
    assert "PER-SERVING-FORCES" in open_codes(contract.company)


def test_per_serving_forces_quiet_for_third_country_national(contract):
    hire_person(contract, {"serving_security_forces": True}, origin="third_country")
    assert "PER-SERVING-FORCES" not in open_codes(contract.company)


def _leaver(days_ago):
    return {"former_security_forces": True, "left_security_forces_on": TODAY - days_ago * DAY}


def test_per_former_forces_share_fires_above_20_percent(contract):
    hire_person(contract, _leaver(100))
    for _ in range(3):
        hire_person(contract, {})
    assert "PER-FORMER-FORCES-SHARE" in open_codes(contract.company)  # 1 of 4 = 25%


def test_per_former_forces_share_quiet_at_20_percent_or_old_leavers(contract):
    hire_person(contract, _leaver(100))
    hire_person(contract, _leaver(500))
    for _ in range(3):
        hire_person(contract, {})
    assert "PER-FORMER-FORCES-SHARE" not in open_codes(contract.company)  # 1 recent of 5


def test_per_affiliation_fires_above_half_with_one_party(contract):
    hire_person(contract, {"conflict_affiliation": "Northern Alliance Front"})
    hire_person(contract, {"conflict_affiliation": "northern alliance front"})
    hire_person(contract, {})
    assert "PER-AFFILIATION" in open_codes(contract.company)


def test_per_affiliation_quiet_at_half_or_split(contract):
    hire_person(contract, {"conflict_affiliation": "Northern Alliance Front"})
    hire_person(contract, {"conflict_affiliation": "Coastal Militia"})
    assert "PER-AFFILIATION" not in open_codes(contract.company)


def test_per_misconduct_fires_on_dismissal_recorded_by_another_company(contract):
    emp = hire_person(contract, {})
    f.VettingFactory(
        person=emp.person,
        company=f.CompanyFactory(),
        vetted_on=TODAY - 900 * DAY,
        dismissed_for_misconduct=True,
    )
    assert "PER-MISCONDUCT" in open_codes(contract.company)


def test_per_misconduct_quiet_without_dismissal(contract):
    hire_person(contract, {})
    assert "PER-MISCONDUCT" not in open_codes(contract.company)


def test_past_employments_are_not_checked(contract):
    hire_person(contract, {"ddr_participant": True}, start=TODAY - 90 * DAY, end=TODAY - DAY)
    assert "PER-DDR" not in open_codes(contract.company)
