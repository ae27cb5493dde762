"""Streaming exports of audit entries (CSV and NDJSON) in constant memory.

Rows are read in chunks straight from the database; `at` is written exactly as it is hashed
(see docs/audit.md), so an exported file can be verified outside the registry. CSV text cells
are neutralised against formula injection (registry.csv_safety; docs/audit.md says how a
verifier undoes it); `at`, `prev_hash` and `hash` never start with a character that needs it.
On PostgreSQL the database writes the rows itself (registry.pgcopy), `at` formatted as hashed
and `changes` as PostgreSQL's JSON text of it; elsewhere they are read in chunks and written
by the csv and json modules.
"""

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from registry import pgcopy
from registry.csv_safety import neutralise, neutralise_sql

from .chain import HASHED_FIELDS, canonical_timestamp
from .models import AuditEntry

CHUNK_ROWS = 2000
FIELDS = (*HASHED_FIELDS, "hash")
TEXT_FIELDS = {"actor_label", "channel", "request_id", "object_type", "object_id", "action"}
TEXT_FIELDS |= {"changes", "event", "reason"}
# canonical_timestamp() in SQL: UTC, microseconds, a Z.
_AT_SQL = """to_char(f."at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""


def _postgres(queryset: QuerySet[AuditEntry]) -> bool:
    if connections[queryset.db].vendor != "postgresql":
        return False
    try:
        queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return False  # nothing matches: the Python path writes what an empty export holds
    return True


def _postgres_copy(queryset: QuerySet[AuditEntry], fmt: str) -> Iterator[bytes]:
    """COPY over the queryset's own SQL (its filters and order)."""
    compiled = queryset.values(*FIELDS).query.get_compiler(using=queryset.db).as_sql()

    def column(name: str) -> str:
        if name == "at":
            return _AT_SQL
        if name == "changes":
            # Always a JSON object, so its text starts with "{" and needs no neutralising.
            return 'f."changes"::text' if fmt == "csv" else 'f."changes"'
        if fmt == "csv" and name in TEXT_FIELDS:
            return neutralise_sql(f'f."{name}"')
        return f'f."{name}"'

    def statement(mogrify: Callable[..., str]) -> str:
        names = ", ".join(f'"{n}"' for n in FIELDS)
        select = ", ".join(f'{column(n)} AS "{n}"' for n in FIELDS)
        body = f"SELECT {select} FROM ({mogrify(*compiled)}) AS f({names})"
        if fmt == "csv":
            return f"COPY ({body}) TO STDOUT {pgcopy.CSV}"
        return f"COPY (SELECT row_to_json(r) FROM ({body}) AS r) TO STDOUT {pgcopy.LINES}"

    return pgcopy.copy_out(queryset.db, statement)


def _rows(queryset: QuerySet[AuditEntry]) -> Iterator[dict[str, Any]]:
    for row in queryset.values(*FIELDS).iterator(chunk_size=CHUNK_ROWS):
        row["at"] = canonical_timestamp(row["at"])
        yield row


def _chunked(lines: Iterator[str]) -> Iterator[bytes]:
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= CHUNK_ROWS:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def stream_audit_csv(queryset: QuerySet[AuditEntry]) -> Iterator[bytes]:
    """CSV with a header row; `changes` as JSON text."""
    if _postgres(queryset):
        yield from _postgres_copy(queryset, "csv")
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def lines() -> Iterator[str]:
        writer.writerow(FIELDS)
        for row in _rows(queryset):
            row["changes"] = json.dumps(row["changes"], separators=(",", ":"), ensure_ascii=False)
            writer.writerow([neutralise(value) for value in row.values()])
            yield _drain(buffer)
        yield _drain(buffer)  # the header alone when nothing matched

    yield from _chunked(lines())


def stream_audit_ndjson(queryset: QuerySet[AuditEntry]) -> Iterator[bytes]:
    """One JSON object a line, the fields of docs/audit.md plus `hash`."""
    if _postgres(queryset):
        yield from _postgres_copy(queryset, "ndjson")
        return
    encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode
    yield from _chunked(encode(row) + "\n" for row in _rows(queryset))
