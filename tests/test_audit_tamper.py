"""Ten ways to tamper with the audit trail, each detected given a checkpoint kept off-site.

Each test keeps a signed checkpoint file of the head (as an operator copies it away), tampers
directly in SQL as a superuser could (triggers off: session_replication_role = replica; on SQLite
there are no triggers), and runs `verify_audit --checkpoint FILE`. Tests that wipe the stored
checkpoints show the off-site copy alone suffices. Who has the database but not the signing key
cannot make a valid entry signature, so forged and recomputed rows are detected by their
signatures even after the last checkpoint.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from registry.audit.chain import entry_hash, verify_chain
from registry.audit.checkpoints import check
from registry.audit.models import AuditEntry, Checkpoint

from . import factories as f
from .test_audit_chain import postgres_only, tamper

pytestmark = pytest.mark.django_db
TABLE = "audit_auditentry"
IMMEDIATE = "SET CONSTRAINTS ALL IMMEDIATE; "


@pytest.fixture
def kept(db, tmp_path):
    """A history of entries and a checkpoint file of its head, kept off-site."""
    f.LicenceFactory.create_batch(2)
    f.CompanyFactory()
    path = tmp_path / "checkpoint.json"
    call_command("audit_checkpoint", "--out", str(path))
    entries = list(AuditEntry.objects.order_by("seq"))
    assert len(entries) >= 8
    call_command("verify_audit", "--checkpoint", str(path))
    return path, entries


def assert_detected(path, match):
    with pytest.raises(CommandError, match=match):
        call_command("verify_audit", "--checkpoint", str(path))


def rows(seqs):
    return list(AuditEntry.objects.filter(seq__in=seqs).order_by("seq").values())


def insert_sql(row):
    columns = ", ".join(row)
    values = ", ".join(["%s"] * len(row))
    return f"INSERT INTO {TABLE} ({columns}) VALUES ({values})", [_db(v) for v in row.values()]


def _db(value):
    import json

    return json.dumps(value) if isinstance(value, dict) else value


def rehash_from(seq):
    """What someone with the database but not the key does: recompute every hash from `seq`
    on, so links and hashes verify again. Signatures are kept (they cannot make new ones)."""
    prev = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    for row in AuditEntry.objects.filter(seq__gte=seq).order_by("seq").values():
        row["prev_hash"] = prev
        prev = entry_hash(row)
        tamper(
            f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE seq = %s",
            [row["prev_hash"], prev, row["seq"]],
        )


def test_1_an_edited_field(kept):
    path, entries = kept
    tamper(f"UPDATE {TABLE} SET actor_label = 'someone' WHERE seq = %s", [entries[3].seq])
    assert_detected(path, f"broken at sequence number {entries[3].seq}")


def test_2_an_edited_hash(kept):
    path, entries = kept
    tamper(f"UPDATE {TABLE} SET hash = %s WHERE seq = %s", ["a" * 64, entries[3].seq])
    assert_detected(path, f"broken at sequence number {entries[3].seq}")


def test_3_a_deleted_middle_row(kept):
    path, entries = kept
    tamper(f"DELETE FROM {TABLE} WHERE seq = %s", [entries[3].seq])
    assert_detected(path, f"broken at sequence number {entries[3].seq}")


def test_4_an_inserted_row(kept):
    """Rows from 4 on moved up by one and a forged row put in the gap."""
    path, entries = kept
    target = entries[3].seq
    forged = rows([target])[0] | {"reason": "forged", "signature": ""}
    for seq in reversed([e.seq for e in entries[3:]]):
        tamper(f"UPDATE {TABLE} SET seq = seq + 1 WHERE seq = %s", [seq])
    tamper(*insert_sql(forged))
    assert_detected(path, f"broken at sequence number {target}")


def test_5_reordered_rows(kept):
    path, entries = kept
    a, b = entries[3].seq, entries[4].seq
    tamper(f"UPDATE {TABLE} SET seq = 0 WHERE seq = %s", [a])
    tamper(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [a, b])
    tamper(f"UPDATE {TABLE} SET seq = %s WHERE seq = 0", [b])
    assert_detected(path, f"broken at sequence number {a}")


def test_6_a_forged_row_appended_with_a_correct_hash(kept):
    """Links and hash right, after the last checkpoint: only its signature gives it away."""
    path, entries = kept
    head = entries[-1]
    forged = rows([head.seq])[0] | {"seq": head.seq + 1, "prev_hash": head.hash}
    forged |= {"reason": "forged", "event": "licence.grant"}
    forged["hash"] = entry_hash(forged)
    forged["signature"] = head.signature  # a real signature, of another entry
    tamper(*insert_sql(forged))
    assert verify_chain() == (True, None)  # the chain alone cannot tell
    assert_detected(path, f"broken at sequence number {head.seq + 1}")
    tamper(f"UPDATE {TABLE} SET signature = '' WHERE seq = %s", [head.seq + 1])
    assert_detected(path, f"broken at sequence number {head.seq + 1}")


def test_7_a_truncated_tail(kept):
    path, entries = kept
    tamper(f"DELETE FROM {TABLE} WHERE seq > %s", [entries[4].seq])
    tamper("DELETE FROM audit_checkpoint")
    assert verify_chain() == (True, None)
    assert_detected(path, f"the chain ends at {entries[4].seq} but checkpoint file")


def test_8_an_edit_and_the_chain_recomputed(kept):
    path, entries = kept
    target = entries[3].seq
    tamper(f"UPDATE {TABLE} SET reason = 'rewritten' WHERE seq = %s", [target])
    rehash_from(target)
    tamper("DELETE FROM audit_checkpoint")
    assert verify_chain() == (True, None)
    assert_detected(path, f"broken at sequence number {target}.*the chain was rewritten")


def test_9_a_deleted_row_and_renumbering(kept):
    path, entries = kept
    target = entries[3].seq
    tamper(f"DELETE FROM {TABLE} WHERE seq = %s", [target])
    for e in entries[4:]:
        tamper(f"UPDATE {TABLE} SET seq = seq - 1 WHERE seq = %s", [e.seq])
    rehash_from(target)
    tamper("DELETE FROM audit_checkpoint")
    assert verify_chain() == (True, None)
    assert_detected(path, f"broken at sequence number {target}.*the tail was cut off")


def test_10_truncate(kept):
    path, entries = kept
    # In the test's transaction, deferred foreign-key checks must run before a TRUNCATE.
    statement = "DELETE FROM {}" if connection.vendor == "sqlite" else IMMEDIATE + "TRUNCATE {}"
    tamper(statement.format(TABLE))
    tamper(statement.format("audit_checkpoint"))
    assert AuditEntry.objects.count() == Checkpoint.objects.count() == 0
    assert_detected(path, f"the chain ends at 0 but checkpoint file .* saw entry {entries[-1].seq}")


def test_stored_checkpoints_catch_a_cut_tail_without_the_file(kept):
    path, entries = kept
    tamper(f"DELETE FROM {TABLE} WHERE seq > %s", [entries[4].seq])
    result = check()
    assert not result["ok"] and result["checkpoints_checked"] == 1
    assert "the tail was cut off" in result["problems"][0]


def test_a_forged_stored_checkpoint_is_named(kept):
    path, entries = kept
    Checkpoint.objects.create(
        seq=entries[2].seq, hash=entries[2].hash, at=entries[2].at, key_id="0" * 64, signature=""
    )
    assert check()["problems"] == [
        f"stored checkpoint {Checkpoint.objects.latest().pk} (seq {entries[2].seq}):"
        " signature does not verify"
    ]


@postgres_only
def test_truncate_is_refused_by_the_database(kept):
    from django.db import DatabaseError, transaction

    for table in (TABLE, "audit_checkpoint"):
        with (
            pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(IMMEDIATE + f"TRUNCATE {table}")
    assert verify_chain() == (True, None)
