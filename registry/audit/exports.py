"""Streaming exports of audit entries (CSV and NDJSON) in constant memory.

Rows are read in chunks straight from the database; `at` is written exactly as it is hashed
(see docs/audit.md), so an exported file can be verified outside the registry. CSV text cells
are neutralised against formula injection (registry.csv_safety; docs/audit.md says how a
verifier undoes it); `at`, `prev_hash` and `hash` never start with a character that needs it.
"""

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from registry.csv_safety import neutralise

from .chain import HASHED_FIELDS, canonical_timestamp
from .models import AuditEntry

CHUNK_ROWS = 2000
FIELDS = (*HASHED_FIELDS, "hash")


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
    """CSV with a header row; `changes` as compact JSON text."""
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
    encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode
    yield from _chunked(encode(row) + "\n" for row in _rows(queryset))
