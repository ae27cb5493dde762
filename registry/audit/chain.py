"""The hash chain: appending entries and verifying them.

Format (version 1), enough for an outside verifier:
  For each entry, in ascending `seq` (1, 2, 3, ... with no gaps), build the JSON object
    {"v": 1, "seq": int, "at": str, "actor_id": int|null, "actor_label": str, "channel": str,
     "request_id": str, "object_type": str, "object_id": str, "company_id": int|null,
     "action": str, "changes": object, "event": str, "reason": str, "prev_hash": str}
  where "at" is the entry time in UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ (always 6 digits).
  Serialise it canonically: keys sorted at every level, no whitespace (separators "," and ":"),
  non-ASCII characters written as UTF-8 (not \\u escapes), strings escaped as JSON requires
  (\\" \\\\ \\b \\f \\n \\r \\t, other control characters as \\u00xx in lower case). `changes`
  holds only strings, integers, booleans, null, arrays and objects (no floats), so this is the
  RFC 8785 (JCS) form. hash = lower-case hex SHA-256 of those UTF-8 bytes.
  prev_hash of seq 1 is 64 zeros ("0" * 64); every later prev_hash is the previous entry's hash.
  An entry is intact when its seq is the previous seq + 1, its prev_hash equals the previous
  entry's hash and its hash equals the recomputed one.

Locking: every entry is appended under one lock (on PostgreSQL a transaction-level advisory
lock), so the chain never forks. Because every write is audited, that lock is the first one each
writing transaction takes (lock_chain()), before any row lock; see registry/audit/transactions.py
for the lock order and the retry on deadlock.
"""

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from . import signing
from .models import AuditEntry

FORMAT_VERSION = 1
GENESIS = "0" * 64
# Key of the PostgreSQL advisory lock that serialises appends (any fixed 64-bit number).
ADVISORY_LOCK_KEY = 0x5A0D_17A0_D17C_4A1B


def canonical_timestamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # as AuditEntry.at_canonical


def canonical_bytes(entry: dict[str, Any]) -> bytes:
    doc = {
        "v": FORMAT_VERSION,
        "seq": entry["seq"],
        "at": canonical_timestamp(entry["at"]),
        "actor_id": entry["actor_id"],
        "actor_label": entry["actor_label"],
        "channel": entry["channel"],
        "request_id": entry["request_id"],
        "object_type": entry["object_type"],
        "object_id": entry["object_id"],
        "company_id": entry["company_id"],
        "action": entry["action"],
        "changes": entry["changes"],
        "event": entry["event"],
        "reason": entry["reason"],
        "prev_hash": entry["prev_hash"],
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(entry)).hexdigest()


HASHED_FIELDS = [
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "channel",
    "request_id",
    "object_type",
    "object_id",
    "company_id",
    "action",
    "changes",
    "event",
    "reason",
    "prev_hash",
]


def _chain_lock_held() -> None:
    """Marker queued with on_commit() when lock_chain() takes the lock; never does anything.

    Django drops on-commit callbacks exactly when PostgreSQL drops the lock: at the end of the
    transaction, and on rollback to a savepoint taken before the lock. So "the marker is queued"
    means "this transaction holds the lock", without a query to ask."""


def chain_lock_held(using: str | None = None) -> bool:
    connection = connections[using or router.db_for_write(AuditEntry)]
    return connection.in_atomic_block and any(
        func is _chain_lock_held for _sids, func, *_ in connection.run_on_commit
    )


def lock_chain(using: str | None = None) -> None:
    """Take the chain's lock for the rest of the current transaction; call it first in every
    writing transaction, before any row lock (one lock order: no deadlock with append()).

    One query on PostgreSQL the first time in a transaction, none after (idempotent); nothing on
    SQLite (its IMMEDIATE transactions already hold the database's write lock) or outside a
    transaction (append() then takes it for its own short transaction).
    """
    using = using or router.db_for_write(AuditEntry)
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    if chain_lock_held(using):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_signed64(ADVISORY_LOCK_KEY)])
    transaction.on_commit(_chain_lock_held, using=using)


def append(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Number, time-stamp, chain and insert `entries` in the caller's transaction.

    Queries: on PostgreSQL the chain lock (lock_chain()) unless the transaction holds it
    already, as writing transactions do from their start; then one read of the chain head and
    one insert (a COPY on PostgreSQL for more than one entry; SQLite serialises writers itself:
    transactions start IMMEDIATE). Three at most, however many entries.
    """
    if not entries:
        return entries
    using = router.db_for_write(AuditEntry)
    connection = connections[using]
    # savepoint=False: inside the caller's transaction this adds no query; outside one (autocommit)
    # it makes lock, read and insert one transaction.
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        lock_chain(using)
        # Plain SQL: this runs on every write, and the ORM's query building is the larger cost.
        cursor.execute(f"SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1")
        seq, prev = cursor.fetchone() or (0, GENESIS)
        now = timezone.now()
        for entry in entries:
            seq += 1
            entry.seq, entry.at, entry.prev_hash = seq, now, prev
            entry.hash = prev = entry_hash(_as_dict(entry))
            # Outside the hash: proof that the application (which holds the key) wrote it.
            entry.signature = signing.sign(signing.entry_message(seq, entry.hash))
        if len(entries) == 1:
            entries[0].save(using=using, force_insert=True)
        elif connection.vendor == "postgresql":
            _copy(entries, connection)
        else:
            AuditEntry.objects.using(using).bulk_create(entries)
    return entries


def _copy(entries: list[AuditEntry], connection: BaseDatabaseWrapper) -> None:
    """Insert the entries with one COPY: PostgreSQL writes its rows in multi-row batches, in
    about a third of the time of bulk_create()'s INSERT for the thousands of a compliance run.
    The values are prepared by the model's fields, as bulk_create() prepares them."""
    qn = connection.ops.quote_name
    fields = AuditEntry._meta.concrete_fields
    sql = "COPY {} ({}) FROM STDIN".format(
        qn(AuditEntry._meta.db_table), ", ".join(qn(f.column) for f in fields)
    )
    rows = [
        [f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields] for e in entries
    ]

    def copy(sql: str, params: Any, many: bool, context: dict[str, Any]) -> None:
        with context["cursor"].cursor.copy(sql) as stream:
            for row in params:
                stream.write_row(row)

    connection.validate_no_broken_transaction()
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # Through the cursor's execute wrappers and its debug log (without the rows), so query
        # counts and logs see the COPY as the one statement it is.
        debug = getattr(cursor, "debug_sql", None)
        with debug(sql) if debug is not None else contextlib.nullcontext():
            cursor._execute_with_wrappers(sql, rows, False, copy)
    for entry in entries:
        entry._state.adding, entry._state.db = False, connection.alias


def _signed64(n: int) -> int:
    return n - (1 << 64) if n >= 1 << 63 else n


def _as_dict(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


def chain_head(using: str | None = None) -> tuple[int, str]:
    """(seq, hash) of the last entry, to publish or store elsewhere: with it, a truncated or
    rewritten tail is detectable too."""
    head = AuditEntry.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    return head or (0, GENESIS)


def verify(using: str | None = None, chunk_size: int = 2000) -> tuple[bool, int | None, int]:
    """(ok, first broken seq or None, entries checked), streaming in `seq` order: the links and
    hashes only (verify_detail() checks the signatures too)."""
    result = verify_detail(using, chunk_size)
    return result["ok"], result["first_broken_seq"], result["entries_checked"]


def verify_detail(
    using: str | None = None,
    chunk_size: int = 2000,
    keys: Iterable[Ed25519PublicKey] | None = None,
) -> dict[str, Any]:
    """verify(), and with `keys` (signing.trusted_keys().values()) each entry's signature too.

    An entry with a signature that does not verify is broken (forged, or edited and rehashed by
    someone without the key). Unsigned entries are accepted only as a prefix (entries written
    before signing began), counted in "unsigned_entries": after the first signed entry an
    unsigned one is broken."""
    expected_seq, prev, checked, unsigned = 1, GENESIS, 0, 0
    fields = [*HASHED_FIELDS, "hash", "signature"]
    rows = (
        AuditEntry.objects.using(using)
        .order_by("seq")
        .values(*fields)
        .iterator(chunk_size=chunk_size)
    )
    broken = None
    for row in rows:
        intact = (
            row["seq"] == expected_seq
            and row["prev_hash"] == prev
            and entry_hash(row) == row["hash"]
        )
        if intact and keys is not None:
            if not row["signature"]:
                intact = unsigned == checked  # still in the unsigned prefix
                unsigned += intact
            else:
                intact = signing.entry_signed_by(row["signature"], row["seq"], row["hash"], keys)
        if not intact:
            # A missing entry is reported by the number it should have had.
            broken = min(row["seq"], expected_seq)
            break
        prev, expected_seq, checked = row["hash"], expected_seq + 1, checked + 1
    return {
        "ok": broken is None,
        "first_broken_seq": broken,
        "entries_checked": checked,
        "unsigned_entries": unsigned,
    }


def verify_chain(using: str | None = None) -> tuple[bool, int | None]:
    """Recompute the whole chain: (True, None) if intact, else (False, first broken seq)."""
    ok, broken, _ = verify(using)
    return ok, broken
