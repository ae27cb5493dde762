"""CSV and NDJSON exports: same filters and access as the list, streamed in constant memory."""

import csv
import io
import json
import time

import pytest
from django.db import connection

from registry import models as m
from registry.exports import NAMES, stream_contracts_csv, stream_contracts_ndjson

from .. import factories as f

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode()


def test_csv_export_has_header_and_the_filtered_rows(world, client_for):
    f.ContractFactory(
        client=world.client,
        company=world.company,
        countries=["KE", "SO"],
        services=["armed_escort", "unarmed_guarding"],
        armed=True,
        value=None,
        currency="",
    )
    response = client_for("auditor").get(
        "/api/v1/contracts/", {"format": "csv", "company": world.company.pk}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="contracts.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert list(rows[0]) == NAMES
    assert {r["reference"] for r in rows} == {world.contract.reference} | {
        c.reference for c in m.Contract.objects.filter(armed=True)
    }
    armed = next(r for r in rows if r["armed"] == "true")
    assert set(armed["countries"].split(";")) == {"KE", "SO"}
    assert set(armed["services"].split(";")) == {"armed_escort", "unarmed_guarding"}
    assert armed["value"] == "" and armed["status"] == "active"
    plain = next(r for r in rows if r["reference"] == world.contract.reference)
    assert plain["value"] == "250000.00" and plain["mission"] == world.mission.acronym


def test_ndjson_export(world, client_for):
    response = client_for("regulator").get("/api/v1/contracts/", {"format": "ndjson"})
    assert response["Content-Type"] == "application/x-ndjson"
    lines = _body(response).splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["reference"] for r in records] == [world.contract.reference]
    record = records[0]
    assert record["countries"] == ["KE"] and record["services"] == ["unarmed_guarding"]
    assert record["value"] == "250000.00" and record["armed"] is False
    assert record["start"] == world.contract.start.isoformat()


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_export_needs_the_same_access_as_the_list(world, client_for, fmt):
    assert client_for("public").get("/api/v1/contracts/", {"format": fmt}).status_code == 401


def _rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096


def _bulk_contracts(n: int) -> None:
    company, client = f.CompanyFactory(), f.ClientFactory()
    batch = [
        m.Contract(
            reference=f"BULK-{i:07d}",
            client=client,
            company=company,
            mission=client.mission,
            value=1000 + i,
            currency="USD",
            start="2025-01-01",
            end="2026-12-31",
            personnel_local=5,
            status="active",
        )
        for i in range(n)
    ]
    m.Contract.objects.bulk_create(batch, batch_size=5000)
    ids = list(m.Contract.objects.filter(client=client).values_list("id", flat=True))
    m.Contract.countries.through.objects.bulk_create(
        [m.Contract.countries.through(contract_id=i, country_id="KE") for i in ids], batch_size=5000
    )
    m.Contract.services.through.objects.bulk_create(
        [
            m.Contract.services.through(contract_id=i, servicecategory_id="unarmed_guarding")
            for i in ids
        ],
        batch_size=5000,
    )


@pytest.mark.slow
def test_export_of_30k_contracts_streams_in_constant_memory(auditor, client_for, capsys):
    # Held in memory, 30,000 rows would take 30 MiB or more; streamed, the growth is noise.
    # (benchmarks/ measures a million.)
    n = 30_000
    _bulk_contracts(n)
    client = client_for("auditor")
    for fmt in ("csv", "ndjson"):
        rss_before = _rss_bytes()
        started = time.perf_counter()
        response = client.get("/api/v1/contracts/", {"format": fmt})
        rows = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        elapsed = time.perf_counter() - started
        growth = _rss_bytes() - rss_before
        with capsys.disabled():
            print(
                f"\n{connection.vendor} {fmt}: {n / elapsed:,.0f} rows/s, "
                f"RSS growth {growth / 2**20:.1f} MiB"
            )
        assert rows == n + (1 if fmt == "csv" else 0)
        assert growth < 16 * 2**20


def test_stream_functions_accept_any_contract_queryset(world):
    qs = m.Contract.objects.filter(pk=world.contract.pk)
    assert b"".join(stream_contracts_csv(qs)).count(b"\n") == 2
    assert b"".join(stream_contracts_ndjson(qs)).count(b"\n") == 1
    assert b"".join(stream_contracts_ndjson(m.Contract.objects.none())) == b""
    assert b"".join(stream_contracts_csv(m.Contract.objects.none())).count(b"\n") == 1


FORMULAS = {
    '=HYPERLINK("http://x","y")': '\'=HYPERLINK("http://x","y")',
    "-2+3": "'-2+3",
    "+1": "'+1",
    "@SUM(A1)": "'@SUM(A1)",
    "\tTab": "'\tTab",
    "\rReturn": "'\rReturn",
    "'quoted": "''quoted",
    "Plain - title": "Plain - title",
}


def test_csv_export_neutralises_formula_cells_and_ndjson_keeps_them(world, client_for):
    for title in FORMULAS:
        f.ContractFactory(client=world.client, company=world.company, title=title)
    api = client_for("auditor")
    rows = list(
        csv.DictReader(io.StringIO(_body(api.get("/api/v1/contracts/", {"format": "csv"}))))
    )
    titles = {r["title"] for r in rows}
    assert set(FORMULAS.values()) <= titles
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in titles)
    # Numbers and dates are not text cells: written as they are.
    plain = next(r for r in rows if r["reference"] == world.contract.reference)
    assert plain["value"] == "250000.00" and plain["start"] == world.contract.start.isoformat()
    lines = _body(api.get("/api/v1/contracts/", {"format": "ndjson"})).splitlines()
    assert set(FORMULAS) <= {json.loads(line)["title"] for line in lines}


def test_stream_neutralises_every_text_column(world):
    client = f.ClientFactory(mission=world.mission, name="=cmd|' /C calc'!A0")
    contract = f.ContractFactory(client=client, company=world.company, reference="-REF", title="ok")
    body = b"".join(stream_contracts_csv(m.Contract.objects.filter(pk=contract.pk))).decode()
    row = next(csv.DictReader(io.StringIO(body)))
    assert (row["client"], row["reference"], row["title"]) == ("'=cmd|' /C calc'!A0", "'-REF", "ok")


@pytest.mark.parametrize(
    ("how", "content_type"),
    [
        ({"format": "csv"}, "text/csv; charset=utf-8"),
        ({"HTTP_ACCEPT": "text/csv"}, "text/csv; charset=utf-8"),
        ({"HTTP_ACCEPT": "application/x-ndjson, application/json;q=0.5"}, "application/x-ndjson"),
        ({"HTTP_ACCEPT": "application/json, text/csv;q=0.9"}, "application/json"),
        ({"HTTP_ACCEPT": "*/*"}, "application/json"),
        ({}, "application/json"),
    ],
)
def test_an_export_is_chosen_by_format_or_accept_header(world, client_for, how, content_type):
    params = {"format": how["format"]} if "format" in how else {}
    headers = {k: v for k, v in how.items() if k != "format"}
    response = client_for("regulator").get("/api/v1/contracts/", params, **headers)
    assert response.status_code == 200 and response["Content-Type"] == content_type


def test_a_format_suffix_exports_too(world, client_for):
    response = client_for("regulator").get("/api/v1/contracts.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_export_formats_apply_to_lists_only_and_unknown_formats_are_refused(world, client_for):
    api = client_for("regulator")
    detail = api.get(f"/api/v1/contracts/{world.contract.pk}/", {"format": "csv"})
    assert detail.status_code == 200 and detail["Content-Type"] == "application/json"
    assert api.get("/api/v1/contracts/", {"format": "xml"}).status_code == 404
    assert api.get("/api/v1/contracts/", HTTP_ACCEPT="application/xml").status_code == 406
    # A bad filter in an export is a JSON 400, not a CSV body.
    bad = api.get("/api/v1/contracts/", {"format": "csv", "start_after": "soon"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"


def test_copy_output_is_sent_in_pieces_not_a_row_at_a_time():
    from registry.pgcopy import coalesced

    rows = [b"x" * 100] * 1000  # 100 kB in 1,000 rows
    pieces = list(coalesced(iter(rows), size=64 * 1024))
    assert b"".join(pieces) == b"".join(rows)
    assert [len(p) for p in pieces] == [65600, 34400]
    assert list(coalesced(iter([]))) == []
