"""Streaming contract exports (CSV and NDJSON) over an already access-filtered queryset.

Constant memory and fast: on PostgreSQL the database writes the rows itself (`COPY (SELECT …) TO
STDOUT` over the SQL of the filtered queryset, read in chunks through psycopg 3); elsewhere a
chunked `values_list().iterator()` feeds the csv module. Never a serializer per row.
"""

import csv
import io
import json
from collections.abc import Iterator

from django.db import connections
from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery

from registry.models import Contract

CHUNK_ROWS = 2000
LIST_SEPARATOR = ";"

# (column name, queryset expression); countries and services are annotated lists.
COLUMNS = (
    ("id", "id"),
    ("reference", "reference"),
    ("company_id", "company_id"),
    ("company", "company__legal_name"),
    ("client_id", "client_id"),
    ("client", "client__name"),
    ("mission", "mission__acronym"),
    ("parent_id", "parent_id"),
    ("title", "title"),
    ("countries", "_countries"),
    ("services", "_services"),
    ("armed", "armed"),
    ("personnel_international", "personnel_international"),
    ("personnel_third_country", "personnel_third_country"),
    ("personnel_local", "personnel_local"),
    ("armed_personnel", "armed_personnel"),
    ("value", "value"),
    ("currency", "currency"),
    ("signed_on", "signed_on"),
    ("start", "start"),
    ("end", "end"),
    ("status", "status"),
)
NAMES = [name for name, _ in COLUMNS]
LIST_COLUMNS = {"countries", "services"}


class ListAgg(Aggregate):
    """Codes joined by LIST_SEPARATOR, in code order on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"STRING_AGG({sql}, '{LIST_SEPARATOR}' ORDER BY {sql})", params + params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"GROUP_CONCAT({sql}, '{LIST_SEPARATOR}')", params


def _codes(through, column: str) -> Subquery:
    rows = (
        through.objects.filter(contract_id=OuterRef("pk"))
        .values("contract_id")
        .annotate(codes=ListAgg(column))
        .values("codes")
    )
    return Subquery(rows, output_field=CharField())


def export_rows(queryset: QuerySet) -> QuerySet:
    """The queryset as export rows (a values_list in COLUMNS order), keeping filters and order."""
    return queryset.annotate(
        _countries=_codes(Contract.countries.through, "country_id"),
        _services=_codes(Contract.services.through, "servicecategory_id"),
    ).values_list(*[expr for _, expr in COLUMNS])


def _is_postgres(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _postgres_copy(queryset: QuerySet, select: str, options: str) -> Iterator[bytes]:
    from psycopg import ClientCursor

    connection = connections[queryset.db]
    sql, params = export_rows(queryset).query.get_compiler(using=queryset.db).as_sql()
    connection.ensure_connection()
    with ClientCursor(connection.connection) as cursor:
        inner = cursor.mogrify(sql, params)
        columns = ", ".join(f'"{name}"' for name in NAMES)
        statement = f"COPY (SELECT {select} FROM ({inner}) AS t({columns})) TO STDOUT {options}"
        with cursor.copy(statement) as copy:
            yield from (bytes(chunk) for chunk in copy)


def _buffered(rows, write) -> Iterator[bytes]:
    buffer = io.StringIO()
    for count, row in enumerate(rows, 1):
        write(buffer, row)
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def _text(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else value


def stream_contracts_csv(queryset: QuerySet) -> Iterator[bytes]:
    """CSV with a header row; lists of codes are joined with ';'; booleans are true/false."""
    if _is_postgres(queryset):
        select = ", ".join(f'"{n}"::text' if n == "armed" else f'"{n}"' for n in NAMES)
        yield from _postgres_copy(queryset, select, "WITH (FORMAT csv, HEADER)")
        return
    out = io.StringIO()
    csv.writer(out).writerow(NAMES)
    yield out.getvalue().encode()

    def write(buffer, row):
        csv.writer(buffer).writerow([_text(v) for v in row])

    yield from _buffered(export_rows(queryset).iterator(chunk_size=CHUNK_ROWS), write)


def stream_contracts_ndjson(queryset: QuerySet) -> Iterator[bytes]:
    """One JSON object a line; countries and services as lists; the value as a decimal string."""
    if _is_postgres(queryset):
        fields = ", ".join(
            f"'{n}', "
            + (
                f"COALESCE(string_to_array(t.\"{n}\", '{LIST_SEPARATOR}'), '{{}}')"
                if n in LIST_COLUMNS
                else f't."{n}"::text'
                if n == "value"
                else f't."{n}"'
            )
            for n in NAMES
        )
        # row_to_json never emits raw newlines; CSV with control-character quote and delimiter
        # makes COPY pass each JSON line through unescaped.
        yield from _postgres_copy(
            queryset,
            f"json_build_object({fields})",
            "WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')",
        )
        return

    def write(buffer, row):
        record = dict(zip(NAMES, row, strict=True))
        for name in LIST_COLUMNS:
            record[name] = record[name].split(LIST_SEPARATOR) if record[name] else []
        buffer.write(json.dumps(record, default=str, separators=(",", ":")))
        buffer.write("\n")

    yield from _buffered(export_rows(queryset).iterator(chunk_size=CHUNK_ROWS), write)
