import datetime as dt
import itertools

import pytest
from django.utils import timezone

from registry.audit.actors import SystemActor
from registry.choices import LicenceAction as A
from registry.choices import LicenceState as S
from registry.errors import DomainError, IllegalTransition
from registry.models import LicenceEvent
from registry.services.licensing import TRANSITIONS, USER_ACTIONS, expire_licences, transition

from .factories import LicenceFactory

pytestmark = pytest.mark.django_db

ALLOWED = [(src, action) for action, (sources, _) in TRANSITIONS.items() for src in sorted(sources)]
FORBIDDEN = [
    (src, action)
    for src, action in itertools.product(S.values, A.values)
    if src not in TRANSITIONS[action][0]
]


def _kwargs(action, licence):
    if action == A.RENEW:
        return {"valid_until": licence.valid_until + dt.timedelta(days=365)}
    return {}


@pytest.mark.parametrize(("state", "action"), ALLOWED)
def test_allowed_transition_changes_state_and_records_event(state, action, regulator):
    licence = LicenceFactory(state=state)
    event = transition(
        licence, action, actor=regulator, reason="Inspection report 12", **_kwargs(action, licence)
    )
    licence.refresh_from_db()
    assert licence.state == TRANSITIONS[action][1]
    assert (event.from_state, event.to_state, event.action) == (state, licence.state, action)
    assert event.actor == regulator and event.actor_label == "regulator"
    assert event.reason == "Inspection report 12"
    assert licence.state_changed_at == event.at


@pytest.mark.parametrize(("state", "action"), FORBIDDEN)
def test_forbidden_transition_changes_nothing(state, action, regulator):
    licence = LicenceFactory(state=state)
    before = (licence.state, licence.valid_from, licence.valid_until, licence.updated_at)
    with pytest.raises(IllegalTransition):
        transition(licence, action, actor=regulator, reason="Attempt", **_kwargs(action, licence))
    licence.refresh_from_db()
    assert (licence.state, licence.valid_from, licence.valid_until, licence.updated_at) == before
    assert not LicenceEvent.objects.exists()


def test_reason_is_required(regulator):
    licence = LicenceFactory(state=S.ACTIVE)
    with pytest.raises(DomainError, match="reason"):
        transition(licence, A.SUSPEND, actor=regulator, reason="  ")
    licence.refresh_from_db()
    assert licence.state == S.ACTIVE
    assert not LicenceEvent.objects.exists()


def test_renewal_sets_new_dates_and_records_them(regulator):
    licence = LicenceFactory(state=S.ACTIVE)
    new_until = licence.valid_until + dt.timedelta(days=730)
    event = transition(licence, A.RENEW, actor=regulator, reason="Renewal", valid_until=new_until)
    licence.refresh_from_db()
    assert licence.state == S.ACTIVE and licence.valid_until == new_until
    assert event.valid_until == new_until


def test_renewal_must_extend_validity(regulator):
    licence = LicenceFactory(state=S.ACTIVE)
    with pytest.raises(DomainError, match="extend"):
        transition(
            licence, A.RENEW, actor=regulator, reason="Renewal", valid_until=licence.valid_until
        )
    licence.refresh_from_db()
    assert not LicenceEvent.objects.exists()


def test_grant_refused_when_validity_already_ended(regulator):
    today = timezone.localdate()
    licence = LicenceFactory(
        state=S.APPLIED,
        valid_from=today - dt.timedelta(days=60),
        valid_until=today - dt.timedelta(days=1),
    )
    with pytest.raises(DomainError, match="ended"):
        transition(licence, A.GRANT, actor=regulator, reason="Approved")
    licence.refresh_from_db()
    assert licence.state == S.APPLIED


def test_expire_is_not_a_user_action():
    assert A.EXPIRE not in USER_ACTIONS


def test_expire_licences_by_date():
    today = timezone.localdate()
    lapsed = LicenceFactory(state=S.ACTIVE, valid_until=today - dt.timedelta(days=1))
    lapsed_suspended = LicenceFactory(state=S.SUSPENDED, valid_until=today - dt.timedelta(days=3))
    current = LicenceFactory(state=S.ACTIVE, valid_until=today)
    refused = LicenceFactory(state=S.REFUSED, valid_until=today - dt.timedelta(days=10))

    companies = expire_licences(today)

    assert companies == sorted([lapsed.company_id, lapsed_suspended.company_id])
    for licence, state in [
        (lapsed, S.EXPIRED),
        (lapsed_suspended, S.EXPIRED),
        (current, S.ACTIVE),
        (refused, S.REFUSED),
    ]:
        licence.refresh_from_db()
        assert licence.state == state
    event = LicenceEvent.objects.get(licence=lapsed)
    assert (event.action, event.from_state, event.actor_label) == (
        A.EXPIRE,
        S.ACTIVE,
        "command:expire_licences",
    )
    assert expire_licences(today) == []  # idempotent


def test_effective_state_treats_past_end_date_as_expired():
    today = timezone.localdate()
    licence = LicenceFactory(state=S.ACTIVE, valid_until=today - dt.timedelta(days=1))
    assert licence.effective_state(today) == S.EXPIRED
    assert not licence.is_active_on(today)


def test_expire_command(capsys):
    from django.core.management import call_command

    LicenceFactory(state=S.ACTIVE, valid_until=timezone.localdate() - dt.timedelta(days=1))
    call_command("expire_licences")
    assert "Expired licences of 1 companies." in capsys.readouterr().out


def test_system_actor_label(regulator):
    licence = LicenceFactory(state=S.ACTIVE)
    event = transition(licence, A.SUSPEND, actor=SystemActor("command:import"), reason="Bulk")
    assert event.actor is None and event.actor_label == "command:import"
