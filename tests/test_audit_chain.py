"""Audit hash chain: verification, tamper detection, append-only table, concurrent appends."""

import datetime as dt
import hashlib
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from registry.audit.chain import GENESIS, entry_hash, verify_chain
from registry.audit.models import AuditEntry

from . import factories as f

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (advisory locks, triggers)"
)


def tamper(sql, params=()):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As a superuser could: triggers off until the test's transaction rolls back.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


@pytest.fixture
def history(db):
    f.LicenceFactory.create_batch(2)
    f.CompanyFactory(legal_name='Société "Garde\tNord" — Ωmega\n', address="Line 1\x01")
    return list(AuditEntry.objects.order_by("seq"))


def test_an_untouched_chain_verifies(history, capsys):
    assert [e.seq for e in history] == list(range(1, len(history) + 1))
    assert history[0].prev_hash == GENESIS
    assert all(e.prev_hash == p.hash for p, e in zip(history, history[1:], strict=False))
    assert verify_chain() == (True, None)
    assert history[0].at_canonical.endswith("Z") and len(history[0].at_canonical) == 27
    call_command("verify_audit")
    assert capsys.readouterr().out.splitlines()[0] == f"ok ({len(history)} entries)"


def test_an_edited_entry_is_named(history):
    target = history[3]
    tamper("UPDATE audit_auditentry SET actor_label = %s WHERE seq = %s", ["someone", target.seq])
    assert verify_chain() == (False, target.seq)
    with pytest.raises(CommandError, match=f"broken at sequence number {target.seq}"):
        call_command("verify_audit")


def test_a_rewritten_entry_with_a_fresh_hash_breaks_the_next_link(history):
    target = history[3]
    row = AuditEntry.objects.filter(seq=target.seq).values().get()
    row["reason"] = "rewritten"
    tamper(
        "UPDATE audit_auditentry SET reason = %s, hash = %s WHERE seq = %s",
        ["rewritten", entry_hash(row), target.seq],
    )
    assert verify_chain() == (False, target.seq + 1)


def test_a_deleted_entry_is_named(history):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [history[2].seq])
    assert verify_chain() == (False, history[2].seq)


@postgres_only
@pytest.mark.parametrize(
    "sql", ["UPDATE audit_auditentry SET reason = 'x'", "DELETE FROM audit_auditentry"]
)
def test_postgresql_refuses_to_change_entries(history, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert verify_chain() == (True, None)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_valid_chain():
    writers, per_writer = 4, 5
    before = AuditEntry.objects.count()
    barrier, errors = threading.Barrier(writers), []

    def write(n):
        try:
            barrier.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    f.ConductStandardFactory(code=f"std-{n}-{i}", name=f"Standard {n}-{i}")
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.count() - before == writers * per_writer
    assert verify_chain() == (True, None)


def test_an_outside_verifier_following_docs_audit_md_agrees(history):
    """The documented format, implemented without registry code, verifies the real chain."""
    fields = ["seq", "actor_id", "actor_label", "channel", "request_id", "object_type"]
    fields += ["object_id", "company_id", "action", "changes", "event", "reason", "prev_hash"]
    prev = "0" * 64
    for row in AuditEntry.objects.order_by("seq").values(*fields, "at", "hash"):
        doc = {k: row[k] for k in fields} | {"v": 1}
        doc["at"] = row["at"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        data = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert row["prev_hash"] == prev
        assert hashlib.sha256(data.encode()).hexdigest() == row["hash"]
        prev = row["hash"]
