"""Streaming contract exports (CSV and NDJSON) over an already access-filtered queryset.

Constant memory and fast: on PostgreSQL the database writes the rows itself (`COPY (SELECT …) TO
STDOUT` over the SQL of the filtered queryset, read in chunks through psycopg 3); on SQLite the
same SQL is read with fetchmany() in chunks that feed the csv or json module. Never a serializer
per row, never the whole result in memory.

CSV text cells are neutralised against formula injection (registry.csv_safety; on PostgreSQL
as a CASE in the COPY statement, so the export stays set-based); NDJSON is unchanged.
"""

import csv
import io
import json
from collections.abc import Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery

from registry import pgcopy
from registry.csv_safety import neutralise, neutralise_sql
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
# The columns that hold text (the others are numbers, booleans and dates).
TEXT_COLUMNS = {
    "reference",
    "company",
    "client",
    "mission",
    "title",
    "countries",
    "services",
    "currency",
    "status",
}


class ListAgg(Aggregate):
    """Codes joined by LIST_SEPARATOR (in no particular order)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"STRING_AGG({sql}, '{LIST_SEPARATOR}')", params

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
    """The queryset as export rows (a values_list in COLUMNS order) in id order."""
    return (
        queryset.prefetch_related(None)
        .annotate(
            _countries=_codes(Contract.countries.through, "country_id"),
            _services=_codes(Contract.services.through, "servicecategory_id"),
        )
        .order_by("id")
        .values_list(*[expr for _, expr in COLUMNS])
    )


def _is_postgres(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _postgres_copy(queryset: QuerySet, fmt: str) -> Iterator[bytes]:
    """COPY of the filtered rows (the queryset's own SQL, in id order) joined with their
    country and service codes, aggregated per contract in one pass over each link table. The
    link rows are restricted to the filtered contracts only when the queryset filters; an
    unfiltered export (an auditor's) groups the whole table. A correlated subquery per row is
    several times slower, and a materialised CTE of the rows spills to disk at a million."""
    plain = [(n, e) for n, e in COLUMNS if n not in LIST_COLUMNS]
    bare = queryset.prefetch_related(None).order_by()
    rows = bare.order_by("id").values_list(*[e for _, e in plain])
    try:
        compiled = rows.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # a filter that matches nothing, e.g. an empty id list
        if fmt == "csv":
            yield (",".join(NAMES) + "\r\n").encode()
        return
    ids = None
    if bare.query.where:
        ids = bare.values("id").query.get_compiler(using=queryset.db).as_sql()
    agg = "string_agg({c}, ';')" if fmt == "csv" else "array_agg({c})"
    through = {
        "countries": (Contract.countries.through._meta.db_table, "country_id"),
        "services": (Contract.services.through._meta.db_table, "servicecategory_id"),
    }

    def column(name):
        if fmt == "csv" and name in TEXT_COLUMNS:
            return neutralise_sql(f'"{name}".codes' if name in LIST_COLUMNS else f'f."{name}"')
        if name in LIST_COLUMNS:
            return f'"{name}".codes' if fmt == "csv" else f"COALESCE(\"{name}\".codes, '{{}}')"
        if name == "armed" and fmt == "csv":
            return 'f."armed"::text'
        if name == "value" and fmt == "ndjson":
            return 'f."value"::text'
        return f'f."{name}"'

    def statement(mogrify) -> str:
        only = f" WHERE x.contract_id IN ({mogrify(*ids)})" if ids else ""
        joins = "".join(
            f" LEFT JOIN (SELECT x.contract_id, {agg.format(c='x.' + column)} AS codes"
            f' FROM "{table}" AS x{only} GROUP BY x.contract_id)'
            f' AS "{name}" ON "{name}".contract_id = f."id"'
            for name, (table, column) in through.items()
        )
        names = ", ".join(f'"{n}"' for n, _ in plain)
        select = ", ".join(f'{column(n)} AS "{n}"' for n in NAMES)
        body = f"SELECT {select} FROM ({mogrify(*compiled)}) AS f({names}){joins}"
        body += ' ORDER BY f."id"'
        if fmt == "csv":
            return f"COPY ({body}) TO STDOUT {pgcopy.CSV}"
        return f"COPY (SELECT row_to_json(r) FROM ({body}) AS r) TO STDOUT {pgcopy.LINES}"

    yield from pgcopy.copy_out(queryset.db, statement)


_ARMED = NAMES.index("armed")
_VALUE = NAMES.index("value")


def _row_chunks(queryset: QuerySet, render=None) -> Iterator[list[list]]:
    """Rows as the database returns them, in chunks, without Django's per-value converters
    (dates print as ISO); only booleans and the decimal value are rendered (by `render`)."""
    render = render or _render
    connection = connections[queryset.db]
    sql, params = export_rows(queryset).query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield [render(row) for row in rows]


def _render(row: tuple) -> list:
    values = list(row)
    values[_ARMED] = "true" if values[_ARMED] else "false"
    if values[_VALUE] is not None:
        values[_VALUE] = f"{values[_VALUE]:.2f}"
    return values


_TEXT = [i for i, name in enumerate(NAMES) if name in TEXT_COLUMNS]


def _render_csv(row: tuple) -> list:
    values = _render(row)
    for i in _TEXT:
        values[i] = neutralise(values[i])
    return values


def _is_empty(queryset: QuerySet) -> bool:
    try:
        queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return True
    return False


def stream_contracts_csv(queryset: QuerySet) -> Iterator[bytes]:
    """CSV with a header row; lists of codes are joined with ';'; booleans are true/false."""
    if _is_postgres(queryset):
        yield from _postgres_copy(queryset, "csv")
        return
    if _is_empty(queryset):
        yield (",".join(NAMES) + "\r\n").encode()
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(NAMES)
    for rows in _row_chunks(queryset, _render_csv):
        writer.writerows(rows)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def stream_contracts_ndjson(queryset: QuerySet) -> Iterator[bytes]:
    """One JSON object a line; countries and services as lists; the value as a decimal string."""
    if _is_postgres(queryset):
        yield from _postgres_copy(queryset, "ndjson")
        return
    if _is_empty(queryset):
        return

    encode = json.JSONEncoder(separators=(",", ":"), default=str).encode
    for rows in _row_chunks(queryset):
        lines = []
        for row in rows:
            record = dict(zip(NAMES, row, strict=True))
            record["armed"] = record["armed"] == "true"
            for name in LIST_COLUMNS:
                record[name] = record[name].split(LIST_SEPARATOR) if record[name] else []
            lines.append(encode(record))
        yield ("\n".join(lines) + "\n").encode()
