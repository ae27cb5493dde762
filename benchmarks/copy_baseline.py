"""The exports' baseline: `COPY (SELECT …) TO STDOUT` of the rows an export streams, read
through psycopg: what the database alone costs to produce them. Plain SQL, no Django."""

import time

_CODES = (
    "LEFT JOIN (SELECT contract_id, {agg}(x.{column}{sep}) AS codes FROM {table} AS x"
    " GROUP BY contract_id) AS {name} ON {name}.contract_id = c.id"
)


def _contract_select(agg: str, sep: str) -> str:
    joins = " ".join(
        _CODES.format(agg=agg, sep=sep, column=column, table=table, name=name)
        for name, table, column in (
            ("countries", "registry_contract_countries", "country_id"),
            ("services", "registry_contract_services", "servicecategory_id"),
        )
    )
    return (
        "SELECT c.id, c.reference, c.company_id, co.legal_name AS company, c.client_id,"
        " cl.name AS client, m.acronym AS mission, c.parent_id, c.title,"
        " countries.codes AS countries, services.codes AS services, c.armed,"
        " c.personnel_international, c.personnel_third_country, c.personnel_local,"
        ' c.armed_personnel, c.value, c.currency, c.signed_on, c.start, c."end", c.status'
        " FROM registry_contract AS c JOIN registry_company AS co ON co.id = c.company_id"
        " JOIN registry_client AS cl ON cl.id = c.client_id"
        f" LEFT JOIN registry_mission AS m ON m.id = c.mission_id {joins}"
    )


# The same rows as the exports (every contract, every audit entry: what an auditor gets), in the
# same order; the database formats them itself.
_CSV_ROWS = _contract_select("string_agg", ", ';'")
_JSON_ROWS = _contract_select("array_agg", "")
COPY_BASELINES = {
    "contracts.csv": f"COPY ({_CSV_ROWS} ORDER BY c.id) TO STDOUT WITH (FORMAT csv, HEADER)",
    "contracts.ndjson": f"COPY (SELECT row_to_json(r) FROM ({_JSON_ROWS} ORDER BY c.id) AS r)"
    " TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')",
    "audit.csv": "COPY (SELECT seq, at, actor_id, actor_label, channel, request_id, object_type,"
    " object_id, company_id, action, changes, event, reason, prev_hash, hash"
    " FROM audit_auditentry ORDER BY seq DESC) TO STDOUT WITH (FORMAT csv, HEADER)",
}


def copy_seconds(dsn: str, statement: str) -> tuple[float, int, int]:
    """Run a COPY … TO STDOUT through psycopg; (seconds, bytes, lines) of what it sent."""
    import psycopg

    with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("SET jit = off")
        started = time.perf_counter()
        size = lines = 0
        with cursor.copy(statement) as copy:
            for chunk in copy:
                size += len(chunk)
                lines += bytes(chunk).count(b"\n")
        return time.perf_counter() - started, size, lines
