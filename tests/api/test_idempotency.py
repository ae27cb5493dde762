"""Idempotency-Key on the API's creates and licence transitions (api/idempotency.py): a retry
replays the first answer and writes nothing; a reused key is refused; keys are per user, expire
and are deleted by the daily run."""

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from registry.audit import recorder
from registry.audit.models import AuditEntry
from registry.choices import LicenceState, Role
from registry.models import Contract, HiringCheck, IdempotencyKey, Licence, LicenceEvent
from registry.reference_data import sync_reference_data
from registry.services import idempotency
from registry.services.daily import run_daily

from .. import factories as f
from .payloads import hiring_request

pytestmark = pytest.mark.django_db

KEY = "7b0e2c56-retry-of-one-request"
CONTRACTS = "/api/v1/contracts/"


def _contract(world, reference="IDEM-C-1", **changes):
    return {
        "reference": reference,
        "client": world.client.pk,
        "mission": world.mission.pk,
        "company": world.company.pk,
        "countries": ["KE"],
        "services": ["unarmed_guarding"],
        "start": "2026-01-01",
        "end": "2026-12-31",
        **changes,
    }


def _post(client, url, body, key=KEY, **extra):
    if key is not None:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(url, body, format="json", **extra)


def _written():
    return (
        Contract.objects.count(),
        HiringCheck.objects.count(),
        LicenceEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert (body["status"], body["code"]) == (status, code) and body["detail"]
    return body


# --- replays ------------------------------------------------------------------------------------


def test_a_retried_create_gets_the_first_answer_and_writes_nothing(world, client_for):
    client = client_for("mission_staff")
    written = _written()
    with transaction.atomic():  # the same create without a key, undone: what it writes
        without = _post(client, CONTRACTS, _contract(world), key=None)
        assert without.status_code == 201 and "Idempotent-Replayed" not in without
        entries_of_the_create = AuditEntry.objects.count() - written[3]
        transaction.set_rollback(True)

    first = _post(client, CONTRACTS, _contract(world))
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    # The key is not audited: the create writes the entries it writes without one.
    assert AuditEntry.objects.count() - written[3] == entries_of_the_create
    assert Contract.objects.count() == written[0] + 1
    written = _written()

    retry = _post(client, CONTRACTS, _contract(world))
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert retry["Idempotent-Replayed"] == "true"
    assert retry["ETag"] == first["ETag"]
    assert retry.content == first.content  # the same JSON text, key order included
    assert _written() == written
    assert Contract.objects.filter(reference="IDEM-C-1").count() == 1


def test_a_hiring_check_is_replayed_not_run_again(world, client_for):
    client = client_for("mission_staff")
    first = _post(client, "/api/v1/hiring-checks/", hiring_request(world))
    assert first.status_code == 201, first.content
    written = _written()
    retry = _post(client, "/api/v1/hiring-checks/", hiring_request(world))
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert retry["Idempotent-Replayed"] == "true"
    assert _written() == written


def test_a_replayed_suspend_adds_no_second_licence_event(world, client_for):
    client = client_for("regulator")
    url = f"/api/v1/licences/{world.licence.pk}/suspend/"
    first = _post(client, url, {"reason": "Inspection found gaps."})
    assert first.status_code == 200 and first.json()["state"] == LicenceState.SUSPENDED
    written = _written()
    retry = _post(client, url, {"reason": "Inspection found gaps."})
    # Run again, the suspension of a suspended licence would be a 409.
    assert (retry.status_code, retry.json()) == (200, first.json())
    assert retry["Idempotent-Replayed"] == "true" and retry["ETag"] == first["ETag"]
    assert _written() == written
    assert LicenceEvent.objects.filter(licence=world.licence).count() == 1


def test_a_refusal_is_kept_and_replayed_too(world, client_for):
    client = client_for("mission_staff")
    bad = _contract(world, end="2025-01-01")  # ends before it starts
    first = _post(client, CONTRACTS, bad)
    assert first.status_code == 400
    retry = _post(client, CONTRACTS, bad)
    assert (retry.status_code, retry.json()) == (400, first.json())
    assert retry["Idempotent-Replayed"] == "true"


def test_a_conflict_is_not_kept_so_the_key_may_be_retried(world, client_for):
    client = client_for("regulator")
    url = f"/api/v1/licences/{world.licence.pk}/reinstate/"
    refused = _post(client, url, {"reason": "Not suspended."})  # an active licence
    _error(refused, 409, "illegal_transition")
    assert not IdempotencyKey.objects.exists()
    Licence.objects.filter(pk=world.licence.pk).update(state=LicenceState.SUSPENDED)
    retry = _post(client, url, {"reason": "Not suspended."})
    assert retry.status_code == 200 and "Idempotent-Replayed" not in retry


def test_a_server_error_is_not_kept_so_the_key_may_be_retried(world, client_for, monkeypatch):
    client = client_for("regulator")
    client.raise_request_exception = False
    url = f"/api/v1/licences/{world.licence.pk}/suspend/"

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("api.views.register.transition", broken)
    assert _post(client, url, {"reason": "Gaps."}).status_code == 500
    assert not IdempotencyKey.objects.exists()
    monkeypatch.undo()
    retry = _post(client, url, {"reason": "Gaps."})
    assert retry.status_code == 200 and "Idempotent-Replayed" not in retry
    assert LicenceEvent.objects.count() == 1


# --- refusals -----------------------------------------------------------------------------------


def test_the_same_key_with_another_body_or_path_is_a_422_and_writes_nothing(world, client_for):
    client = client_for("mission_staff")
    assert _post(client, CONTRACTS, _contract(world)).status_code == 201
    written = _written()
    for url, body in [
        (CONTRACTS, _contract(world, "IDEM-C-2")),
        (CONTRACTS + "?format=json", _contract(world)),
        ("/api/v1/hiring-checks/", hiring_request(world)),
    ]:
        body = _error(_post(client, url, body), 422, "idempotency_key_reused")
        assert "Idempotency-Key" in body["detail"]
    assert _written() == written
    assert not Contract.objects.filter(reference="IDEM-C-2").exists()


def test_keys_are_per_user(world, client_for, mission_officer):
    officer, admin = client_for("mission_staff"), client_for("admin")
    mine = _post(officer, CONTRACTS, _contract(world))
    theirs = _post(admin, CONTRACTS, _contract(world, "IDEM-C-ADMIN"))  # not a 422
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in theirs
    assert _post(admin, CONTRACTS, _contract(world, "IDEM-C-ADMIN")).json() == theirs.json()
    # Nobody replays another's answer: the admin's body under the officer's key is a reuse.
    _error(
        _post(officer, CONTRACTS, _contract(world, "IDEM-C-ADMIN")), 422, "idempotency_key_reused"
    )
    assert _post(officer, CONTRACTS, _contract(world)).json() == mine.json()
    assert set(IdempotencyKey.objects.values_list("user__username", flat=True)) == {
        "officer",
        "admin",
    }


@pytest.mark.parametrize("key", ["", "k" * 256, "clé-à-molette", "tab\tinside", "\x00"], ids=repr)
def test_a_bad_key_is_a_400_naming_the_header(world, client_for, key):
    written = _written()
    body = _error(
        _post(client_for("mission_staff"), CONTRACTS, _contract(world), key=key), 400, "invalid"
    )
    assert list(body["fields"]) == ["Idempotency-Key"]
    assert _written() == written and not IdempotencyKey.objects.exists()


def test_the_longest_key_and_spaces_are_fine(world, client_for):
    client = client_for("mission_staff")
    assert _post(client, CONTRACTS, _contract(world), key="k" * 255).status_code == 201
    assert (
        _post(client, "/api/v1/hiring-checks/", hiring_request(world), key="a b ~").status_code
        == 201
    )


def test_a_key_still_in_flight_is_a_409_with_retry_after(world, client_for, mission_officer):
    body = _contract(world)
    now = timezone.now()
    IdempotencyKey.objects.create(  # the first request has claimed the key, not yet answered
        user=mission_officer,
        key=KEY,
        fingerprint=idempotency.fingerprint("POST", CONTRACTS, JSONRenderer().render(body)),
        created_at=now,
        expires_at=now + dt.timedelta(hours=24),
    )
    written = _written()
    client = client_for("mission_staff")
    response = _post(client, CONTRACTS, body)
    _error(response, 409, "idempotency_key_in_progress")
    assert response["Retry-After"] == "1"
    _error(_post(client, CONTRACTS, _contract(world, "OTHER")), 422, "idempotency_key_reused")
    assert _written() == written
    assert IdempotencyKey.objects.get().status is None  # the first request's row is untouched


def test_without_the_header_nothing_is_kept(world, client_for):
    client = client_for("mission_staff")
    assert _post(client, CONTRACTS, _contract(world), key=None).status_code == 201
    assert _post(client, CONTRACTS, _contract(world), key=None).status_code == 409  # duplicate
    assert not IdempotencyKey.objects.exists()


# --- lifetime -----------------------------------------------------------------------------------


def test_the_daily_run_deletes_expired_keys(world, client_for, settings):
    client = client_for("mission_staff")
    settings.IDEMPOTENCY_KEY_HOURS = 2
    _post(client, "/api/v1/hiring-checks/", hiring_request(world), key="old")
    _post(client, "/api/v1/hiring-checks/", hiring_request(world), key="new")
    row = IdempotencyKey.objects.get(key="new")
    assert row.expires_at - row.created_at == dt.timedelta(hours=2)
    earlier = timezone.now() - dt.timedelta(hours=3)
    IdempotencyKey.objects.filter(key="old").update(
        created_at=earlier, expires_at=earlier + dt.timedelta(hours=2)
    )
    summary = run_daily()
    assert summary["idempotency_keys_deleted"] == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_an_expired_key_is_a_new_key(world, client_for):
    client = client_for("mission_staff")
    first = _post(client, "/api/v1/hiring-checks/", hiring_request(world))
    earlier = timezone.now() - dt.timedelta(hours=25)
    IdempotencyKey.objects.update(created_at=earlier, expires_at=earlier + dt.timedelta(hours=24))
    again = _post(
        client, "/api/v1/hiring-checks/", hiring_request(world)
    )  # not yet deleted: runs again
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert again.json()["id"] != first.json()["id"]
    assert IdempotencyKey.objects.get().expires_at > timezone.now()


# --- cost, audit, schema ------------------------------------------------------------------------


def _queries(user, url, body, key) -> tuple[int, object]:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # a fresh user, as each request has
    with CaptureQueriesContext(connection) as ctx:
        response = _post(client, url, body, key=key)
    return len(ctx), response


def test_the_header_costs_a_few_queries(world, mission_officer):
    with transaction.atomic():  # the same create without a key, undone
        without, _ = _queries(mission_officer, CONTRACTS, _contract(world, "Q-1"), None)
        transaction.set_rollback(True)
    with_key, response = _queries(mission_officer, CONTRACTS, _contract(world, "Q-1"), KEY)
    assert response.status_code == 201
    replay, response = _queries(mission_officer, CONTRACTS, _contract(world, "Q-1"), KEY)
    assert response["Idempotent-Replayed"] == "true"
    print(f"\ncontract create: {without} queries, {with_key} with a key, {replay} replayed")
    assert without < with_key <= without + 5
    assert replay <= 10 < without


def test_a_misspelt_unaudited_model_refuses_to_start(monkeypatch):
    monkeypatch.setattr(recorder, "UNAUDITED_MODELS", {"registry.idempotencykeys"})
    with pytest.raises(ImproperlyConfigured, match="UNAUDITED_MODELS"):
        recorder.check_model_tables()


def test_keys_are_not_audited(world, client_for):
    assert IdempotencyKey not in recorder.audited_models()
    _post(client_for("mission_staff"), CONTRACTS, _contract(world))
    assert IdempotencyKey.objects.exists()
    assert not AuditEntry.objects.filter(object_type="registry.idempotencykey").exists()


def test_the_schema_documents_the_header_and_the_422_on_creates_and_transitions(django_db_blocker):
    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    with_header, posts = set(), set()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            if "Idempotency-Key" in headers:
                with_header.add(f"{method.upper()} {path}")
                assert "422" in operation["responses"], path
            else:
                assert "422" not in operation["responses"], path
            if method == "post":
                posts.add(f"POST {path}")
    # Every POST is a create or a licence transition, but signing in and waiving a finding.
    assert with_header == posts - {"POST /api/v1/auth/token/", "POST /api/v1/findings/{id}/waive/"}
    assert "POST /api/v1/contracts/" in with_header
    assert "POST /api/v1/hiring-checks/" in with_header
    assert "POST /api/v1/licences/{id}/suspend/" in with_header


@pytest.mark.postgres_only
@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_the_same_request_sent_at_once_runs_once():
    """Four copies of one suspension at the same moment: one runs, the others get its answer
    (they wait for it: writing requests queue on the audit chain's lock) or a 409, never a
    second run."""
    sync_reference_data()  # a transactional test may follow another that flushed them
    authority = f.AuthorityFactory()
    regulator = f.ProfileFactory(role=Role.REGULATOR, authority=authority).user
    licence = f.LicenceFactory(company=f.CompanyFactory(registering_authority=authority))
    copies = 4
    barrier = threading.Barrier(copies, timeout=30)
    answers: list = []
    lock = threading.Lock()

    def send():
        try:
            client = APIClient()
            client.force_authenticate(regulator)
            barrier.wait()
            response = _post(client, f"/api/v1/licences/{licence.pk}/suspend/", {"reason": "Gaps."})
            with lock:
                answers.append((response.status_code, response.get("Idempotent-Replayed")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == copies
    assert answers.count((200, None)) == 1, answers
    assert all(
        answer in ((200, "true"), (409, None)) for answer in answers if answer != (200, None)
    )
    assert LicenceEvent.objects.filter(licence=licence).count() == 1
    assert Licence.objects.get(pk=licence.pk).state == LicenceState.SUSPENDED
