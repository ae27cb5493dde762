"""Writers at once on PostgreSQL: licence transitions, contract PATCHes and creates through the
API, and a compliance run. One lock order (the audit chain first) and the retry on deadlock
mean no 5xx, no failed run, one intact chain and nothing half-written."""

import threading
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from rest_framework.test import APIClient

from registry.audit.actors import SystemActor
from registry.audit.chain import verify
from registry.audit.models import AuditEntry
from registry.choices import LicenceAction, LicenceState, Role
from registry.compliance import run_compliance
from registry.models import Contract, Finding, Licence, LicenceEvent
from registry.reference_data import sync_reference_data
from registry.services.licensing import transition

from . import factories as f

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]

COMPANIES = 3
ROUNDS = 3


@pytest.fixture
def reference_data():
    """Countries and services: a transactional test may follow another that flushed them."""
    sync_reference_data()


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # throttle counters
    yield
    cache.clear()


def test_writers_at_once_neither_deadlock_nor_half_write(reference_data, fast_passwords):
    authority = f.AuthorityFactory()
    admin = f.ProfileFactory(role=Role.ADMIN, user__username="admin", user__is_staff=True).user
    regulator = f.ProfileFactory(role=Role.REGULATOR, authority=authority).user
    companies = [f.CompanyFactory(registering_authority=authority) for _ in range(COMPANIES)]
    licences = [f.LicenceFactory(company=c) for c in companies]
    mission = f.MissionFactory(acronym="UNCONC")
    client = f.ClientFactory(mission=mission)
    # Armed contracts: a suspended licence makes findings about each of them (rows that
    # reference the contracts a PATCH locks).
    contracts = [
        f.ContractFactory(company=c, client=client, mission=mission, armed=True)
        for c in companies
        for _ in range(2)
    ]
    patched = contracts[::2]  # one per company
    run_compliance()
    template = {
        "client": client.pk,
        "company": companies[0].pk,
        "mission": mission.pk,
        "countries": ["KE"],
        "services": ["unarmed_guarding"],
        "armed": False,
        "personnel_local": 5,
        "value": "1000.00",
        "currency": "USD",
        "signed_on": (contracts[0].signed_on).isoformat(),
        "start": contracts[0].start.isoformat(),
        "end": contracts[0].end.isoformat(),
        "status": "active",
    }
    before = {
        "entries": AuditEntry.objects.count(),
        "events": LicenceEvent.objects.count(),
        "contracts": Contract.objects.count(),
    }

    workers = 6
    barrier = threading.Barrier(workers, timeout=30)
    statuses: Counter = Counter()
    errors: list = []
    created: list = []
    lock = threading.Lock()

    def api(user):
        api_client = APIClient()
        api_client.force_authenticate(user)
        return api_client

    def answered(response, what):
        with lock:
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                errors.append((what, response.status_code, response.content[:300]))

    def licence_flipper(licence):
        """Suspend and reinstate through the API: each re-runs the company's compliance."""
        api_client = api(regulator)
        for _ in range(ROUNDS):
            for action in ("suspend", "reinstate"):
                response = api_client.post(
                    f"/api/v1/licences/{licence.pk}/{action}/", {"reason": "Load"}, format="json"
                )
                answered(response, action)

    def service_flipper(licence):
        """The service straight, as a command or the shell calls it: no retry around it."""
        for _ in range(ROUNDS):
            for action in (LicenceAction.SUSPEND, LicenceAction.REINSTATE):
                transition(licence, action, actor=SystemActor("test"), reason="Load")

    def patcher():
        api_client = api(admin)
        for round_ in range(ROUNDS):
            for contract in patched:
                response = api_client.patch(
                    f"/api/v1/contracts/{contract.pk}/",
                    {"value": f"{2000 + round_}.00"},
                    format="json",
                )
                answered(response, "patch")

    def creator(n):
        api_client = api(admin)
        for i in range(ROUNDS):
            reference = f"DUP-{i}"  # every creator asks for the same references: one wins
            response = api_client.post(
                "/api/v1/contracts/", {**template, "reference": reference}, format="json"
            )
            answered(response, "create")
            if response.status_code == 201:
                with lock:
                    created.append(reference)

    def compliance():
        for _ in range(ROUNDS):
            run_compliance(batch_size=2)

    def run(job, *args):
        try:
            barrier.wait()
            job(*args)
        except Exception as exc:  # reported by the assertions below
            with lock:
                errors.append((job.__name__, repr(exc)))
        finally:
            connection.close()

    jobs = [
        (licence_flipper, licences[0]),
        (licence_flipper, licences[1]),
        (service_flipper, licences[2]),
        (patcher,),
        (creator, 0),
        (compliance,),
    ]
    assert len(jobs) == workers
    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"

    assert errors == [], "\n".join(map(str, errors))
    assert all(status < 500 for status in statuses), statuses
    # Each reference created once, the rest refused as duplicates.
    assert sorted(created) == [f"DUP-{i}" for i in range(ROUNDS)]
    # One intact chain, and every change in it: each transition's event and audit entries,
    # each created contract's entry.
    assert verify() == (True, None, AuditEntry.objects.count())
    flips = 2 * ROUNDS * len(licences)
    assert LicenceEvent.objects.count() - before["events"] == flips
    assert AuditEntry.objects.filter(
        event__in=["licence.suspend", "licence.reinstate"]
    ).count() == (flips)
    assert Contract.objects.count() - before["contracts"] == ROUNDS
    new_contracts = Contract.objects.filter(reference__startswith="DUP-")
    assert (
        AuditEntry.objects.filter(
            object_type="registry.contract",
            action="create",
            object_id__in=[str(pk) for pk in new_contracts.values_list("pk", flat=True)],
        ).count()
        == ROUNDS
    )
    for licence in Licence.objects.filter(pk__in=[x.pk for x in licences]):
        assert licence.state == LicenceState.ACTIVE
        last = LicenceEvent.objects.filter(licence=licence).order_by("-at", "-id").first()
        assert last.to_state == licence.state
    # Every PATCH answered 200 and the last one stands.
    assert statuses[200] >= ROUNDS * len(patched)
    for contract in Contract.objects.filter(pk__in=[c.pk for c in patched]):
        assert contract.value == 2000 + ROUNDS - 1
    assert not Finding.objects.filter(last_seen__lt=F("first_seen")).exists()
