"""`COPY (SELECT …) TO STDOUT` for the streaming exports on PostgreSQL: the database formats
the rows itself (CSV, or one JSON text a line), read in chunks through psycopg 3 and handed on
in pieces of about SEND_BYTES, so memory stays flat and the server makes one system call per
piece rather than per row."""

from collections.abc import Callable, Iterator

from django.db import connections, transaction

SEND_BYTES = 64 * 1024

# JSON text never holds a raw newline; CSV with control-character quote and delimiter makes
# COPY pass each line through unescaped.
LINES = "WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
CSV = "WITH (FORMAT csv, HEADER)"


def copy_out(using: str, statement: Callable[[Callable[..., str]], str]) -> Iterator[bytes]:
    """Stream the COPY statement that `statement(mogrify)` builds; mogrify(sql, params) turns
    a compiled queryset into SQL text to embed (COPY takes no parameters)."""
    from psycopg import ClientCursor

    connection = connections[using]
    connection.ensure_connection()
    with transaction.atomic(using=using), ClientCursor(connection.connection) as cursor:
        # JIT compilation costs more than it saves on these plain scans and joins.
        cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '32MB'")
        with cursor.copy(statement(cursor.mogrify)) as copy:
            yield from coalesced(copy)


def coalesced(chunks, size: int = SEND_BYTES) -> Iterator[bytes]:
    """The chunks joined into pieces of about `size` bytes. COPY hands over a row at a time,
    and a response chunk per row costs the server a system call per row."""
    pending = bytearray()
    for chunk in chunks:
        pending += chunk
        if len(pending) >= size:
            yield bytes(pending)
            pending.clear()
    if pending:
        yield bytes(pending)
