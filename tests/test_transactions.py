"""Writing transactions: the chain lock first (once per transaction), and a whole-transaction
retry on deadlock or serialization failure, never on anything else."""

import datetime as dt
import sqlite3
from unittest import mock

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from psycopg import errors as pg_errors
from rest_framework.test import APIClient

from registry.audit import chain, recorder
from registry.audit import transactions as tx
from registry.audit.models import AuditEntry
from registry.choices import FindingState, LicenceState, Role
from registry.compliance import findings, run_compliance
from registry.models import Contract, Finding, LicenceEvent
from registry.reference_data import sync_reference_data
from registry.services.licensing import expire_licences

from . import factories as f

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (advisory locks)"
)


def django_error(cause, cls=OperationalError):
    """What Django raises: its own error class, caused by the driver's."""
    exc = cls(str(cause))
    exc.__cause__ = cause
    return exc


@pytest.fixture
def reference_data():
    """Countries and services: a transactional test may follow another that flushed them."""
    sync_reference_data()


@pytest.fixture(autouse=True)
def _no_pause(monkeypatch):
    monkeypatch.setattr(tx, "BACKOFF", 0)


@pytest.mark.parametrize(
    ("exc", "retryable"),
    [
        (django_error(pg_errors.DeadlockDetected("deadlock detected")), True),
        (django_error(pg_errors.SerializationFailure("could not serialize")), True),
        (django_error(sqlite3.OperationalError("database is locked")), True),
        (django_error(pg_errors.LockNotAvailable("could not obtain lock")), False),
        (django_error(pg_errors.UniqueViolation("duplicate key"), IntegrityError), False),
        (django_error(sqlite3.OperationalError("no such table: x")), False),
        (ValueError("deadlock detected"), False),
    ],
)
def test_only_deadlocks_serialization_failures_and_a_locked_sqlite_are_retryable(exc, retryable):
    assert tx.is_retryable(exc) is retryable


def flaky(times, exc_factory):
    """A function failing `times` times with exc_factory(), then answering "done"."""
    calls = []

    def func():
        calls.append(1)
        if len(calls) <= times:
            raise exc_factory()
        return "done"

    return func, calls


def deadlock():
    return django_error(pg_errors.DeadlockDetected("deadlock detected"))


@pytest.mark.django_db(transaction=True)
def test_retried_runs_again_after_a_deadlock_then_gives_up():
    func, calls = flaky(2, deadlock)
    assert tx.retried(func) == "done" and len(calls) == 3
    func, calls = flaky(tx.ATTEMPTS, deadlock)
    with pytest.raises(OperationalError):
        tx.retried(func)
    assert len(calls) == tx.ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_retried_never_retries_other_errors():
    func, calls = flaky(1, lambda: django_error(pg_errors.UniqueViolation("dup"), IntegrityError))
    with pytest.raises(IntegrityError):
        tx.retried(func)
    assert len(calls) == 1


@pytest.mark.django_db
def test_inside_an_outer_transaction_it_runs_once():
    func, calls = flaky(1, deadlock)
    with pytest.raises(OperationalError):
        tx.retried(func)  # the test's own transaction is the outer one
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_attempt_leaves_nothing_in_collect_or_the_chain():
    standards = []

    def write():
        with tx.write_transaction():
            standards.append(f.ConductStandardFactory(code=f"std-{len(standards)}"))
            if len(standards) == 1:
                raise deadlock()

    before = AuditEntry.objects.count()
    with recorder.collect():
        tx.retried(write)
        assert len(recorder._buffer.get()) == 1  # the second attempt's entry only
    assert AuditEntry.objects.count() - before == 1
    assert chain.verify()[0]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_chain_lock_is_one_query_per_transaction():
    with CaptureQueriesContext(connection) as outside:
        chain.lock_chain()  # autocommit: nothing to hold it for
    assert len(outside) == 0
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            chain.lock_chain()
            chain.lock_chain()
            with transaction.atomic():
                chain.lock_chain()
        assert len(queries) == 2 + 1  # lock; SAVEPOINT, RELEASE
        assert chain.chain_lock_held()
        with CaptureQueriesContext(connection) as queries:
            f.ConductStandardFactory(code="held")  # its append reads the head and inserts, no lock
        assert not any("pg_advisory" in q["sql"] for q in queries)
    assert not chain.chain_lock_held()
    with transaction.atomic():
        with transaction.atomic():
            chain.lock_chain()
            transaction.set_rollback(True)  # PostgreSQL drops it with the savepoint
        assert not chain.chain_lock_held()
        with CaptureQueriesContext(connection) as queries:
            chain.lock_chain()
        assert len(queries) == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_writing_request_takes_the_chain_lock_before_any_row(reference_data):
    admin = f.ProfileFactory(role=Role.ADMIN, user__is_staff=True).user
    contract = f.ContractFactory()
    client = APIClient()
    client.force_authenticate(admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.patch(
            f"/api/v1/contracts/{contract.pk}/", {"value": "5.00"}, format="json"
        )
    assert response.status_code == 200, response.content
    sql = [q["sql"] for q in queries]
    lock = next(i for i, s in enumerate(sql) if "pg_advisory_xact_lock" in s)
    first_row_lock = next(i for i, s in enumerate(sql) if "FOR UPDATE" in s)
    assert lock < first_row_lock
    assert sum("pg_advisory_xact_lock" in s for s in sql) == 1


@pytest.mark.django_db(transaction=True)
def test_a_deadlocked_request_is_run_again_whole(reference_data):
    admin = f.ProfileFactory(role=Role.ADMIN, user__is_staff=True).user
    contract = f.ContractFactory(value=1)
    client = APIClient()
    client.force_authenticate(admin)
    real_save, calls = Contract.save, []

    def save(self, *args, **kwargs):
        real_save(self, *args, **kwargs)  # written, audited... then the deadlock
        calls.append(1)
        if len(calls) == 1:
            raise deadlock()

    before = AuditEntry.objects.count()
    with mock.patch.object(Contract, "save", save):
        response = client.patch(
            f"/api/v1/contracts/{contract.pk}/", {"value": "7.00"}, format="json"
        )
    assert response.status_code == 200, response.content
    assert response.json()["value"] == "7.00"  # the body was parsed again
    assert len(calls) == 2
    contract.refresh_from_db()
    assert contract.value == 7
    entries = AuditEntry.objects.filter(seq__gt=before)
    # One contract update (the failed attempt left nothing); the re-check's entries follow it.
    contract_entries = [e.action for e in entries if e.object_type == "registry.contract"]
    assert contract_entries == ["update"]
    assert chain.verify()[0]


@pytest.mark.django_db(transaction=True)
def test_a_request_failing_otherwise_is_not_retried(reference_data):
    admin = f.ProfileFactory(role=Role.ADMIN, user__is_staff=True).user
    contract = f.ContractFactory(value=1)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(admin)
    calls = []

    def save(self, *args, **kwargs):
        calls.append(1)
        raise django_error(sqlite3.OperationalError("disk I/O error"))

    with mock.patch.object(Contract, "save", save):
        response = client.patch(
            f"/api/v1/contracts/{contract.pk}/", {"value": "7.00"}, format="json"
        )
    # Not a lock conflict, so not run again; a database error is a 503 the client may retry.
    assert response.status_code == 503 and len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_a_compliance_batch_is_retried_and_counted_once(reference_data):
    companies = f.CompanyFactory.create_batch(3)
    real, calls = findings._run_batch, []

    def batch(*args, **kwargs):
        real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            raise deadlock()

    expected = None
    with mock.patch.object(findings, "_run_batch", batch):
        summary = run_compliance([c.pk for c in companies], batch_size=2)
    assert len(calls) == 3  # two batches, the first one twice
    expected = run_compliance([c.pk for c in companies])
    assert summary["opened"] == expected["still_open"] + expected["waived"]
    assert summary["standing"] == expected["standing"]
    assert chain.verify()[0]


@pytest.mark.django_db
def test_a_batch_never_stamps_last_seen_before_first_seen():
    """A finding first seen later than the batch's clock (a transition of another process, a
    clock step) does not break the batch."""
    company = f.CompanyFactory()
    run_compliance([company.pk])
    live = Finding.objects.filter(company=company).exclude(state=FindingState.RESOLVED)
    assert live.exists()
    ahead = timezone.now() + dt.timedelta(minutes=5)
    live.update(first_seen=ahead, last_seen=ahead)
    run_compliance([company.pk])
    assert all(x.last_seen == ahead for x in live)


@pytest.mark.django_db(transaction=True)
def test_expire_licences_is_retried_whole(reference_data):
    licence = f.LicenceFactory(valid_until=timezone.localdate() - dt.timedelta(days=1))
    real, calls = LicenceEvent.objects.bulk_create, []

    def bulk_create(*args, **kwargs):
        events = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            raise deadlock()
        return events

    with mock.patch.object(LicenceEvent.objects, "bulk_create", bulk_create):
        assert expire_licences() == [licence.company_id]
    assert len(calls) == 2
    assert LicenceEvent.objects.filter(licence=licence).count() == 1
    licence.refresh_from_db()
    assert licence.state == LicenceState.EXPIRED
    assert chain.verify()[0]
