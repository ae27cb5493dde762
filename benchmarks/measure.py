"""In-process measurements on one benchmark database, after benchmarks/data.py loaded it.

    DATABASE_URL=postgres://…/bench_20k DJANGO_SETTINGS_MODULE=benchmarks.settings \\
        .venv/bin/python -m benchmarks.measure --info var/bench-work/bench_20k.json \\
        --out var/bench-work/bench_20k-measure.json [--samples 15]

In this order, each measurement on its own (a failure is written as {"error": …} and the next
one runs):

1. P5: the registry's compliance run over every company (`run_compliance`, as `manage.py daily`
   runs it): the initial fill of the cached standing, then a re-run that should change nothing,
   then a probe re-run over at most 200 companies in ten batches, with queries counted per batch
   and audit entries counted before and after each run.
2. Query counts with django.test's CaptureQueriesContext through the test Client (the whole
   middleware stack, the same database, after two warm-up requests): the status calls (P1), the
   hiring check (P2), the lists at page sizes 10, 100 and 500 (P6), a contract create (write).
3. Timings through the test Client, p50 and p90 of `--samples` requests: the contract list's
   first and a deep cursor page (P6), the web contract list and dashboard as a signed-in
   auditor and the public register's first page (P6), a contract create (write).
"""

import argparse
import base64
import json
import os
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

PAGE_SIZES = (10, 100, 500)
LISTS = ("companies", "licences", "contracts", "coordination", "findings")
PROBE_COMPANIES = 200
PROBE_BATCHES = 10


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) of `values`, by the nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p90_ms": round(percentile(ms, 90), 2),
        "n": len(ms),
    }


class Results(dict):
    """Measurement name -> result; a measurement that raises is stored as {"error": …}."""

    def run(self, name: str, measure: Callable[[], Any]) -> None:
        print(f"  measure: {name}", file=sys.stderr, flush=True)
        try:
            self[name] = measure()
        except Exception as exc:
            traceback.print_exc()
            self[name] = {"error": " ".join(f"{type(exc).__name__}: {exc}".split())[:500]}


class QueryCounter:
    """connection.execute_wrapper that counts queries without keeping them (for long runs)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


# --- P5: the compliance run --------------------------------------------------------------------


def compliance_run(**options: Any) -> dict[str, Any]:
    """One run_compliance with its time, its queries per batch and the audit entries it wrote."""
    from django.db import connection

    from registry.audit.actors import SystemActor
    from registry.audit.context import audit_context
    from registry.audit.models import AuditEntry
    from registry.compliance import run_compliance

    counter, marks = QueryCounter(), []
    before = AuditEntry.objects.count()
    with (
        connection.execute_wrapper(counter),
        audit_context(actor=SystemActor("command:bench"), channel="command"),
    ):
        started = time.perf_counter()
        summary = run_compliance(
            progress=lambda done, total: marks.append(counter.count), **options
        )
        seconds = time.perf_counter() - started
    # The first batch also counts run_compliance's one query for the company ids.
    per_batch = [b - a for a, b in zip([1, *marks], marks, strict=False)]
    return {
        "seconds": round(seconds, 2),
        "companies": summary["companies"],
        "opened": summary["opened"],
        "resolved": summary["resolved"],
        "still_open": summary["still_open"],
        "standing": summary["standing"],
        "queries_per_batch": per_batch,
        "audit_entries_written": AuditEntry.objects.count() - before,
    }


def compliance_probe() -> dict[str, Any]:
    """A re-run over at most PROBE_COMPANIES companies in PROBE_BATCHES batches: the queries of
    each batch, which must not grow with the rows behind them."""
    from registry.models import Company

    ids = list(Company.objects.order_by("id").values_list("id", flat=True)[:PROBE_COMPANIES])
    batch = max(1, len(ids) // PROBE_BATCHES)
    return {"batch_size": batch, **compliance_run(company_ids=ids, batch_size=batch)}


# --- requests through the test Client ----------------------------------------------------------


class Caller:
    """A test Client with the given default headers; every answer's status is checked."""

    def __init__(self, token: str | None = None, client=None):
        from django.test import Client

        extra = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
        self.client = client or Client(**extra)

    def call(self, method: str, url: str, body: dict | None = None, expect: int = 200):
        if method == "POST":
            response = self.client.post(url, json.dumps(body), content_type="application/json")
        else:
            response = self.client.get(url)
        if response.status_code != expect:
            content = b"".join(response) if response.streaming else response.content
            raise RuntimeError(
                f"{method} {url} answered {response.status_code}, not {expect}: {content[:300]!r}"
            )
        return response

    def queries(self, method: str, url: str, body: Callable[[], dict] | None = None, **kw) -> int:
        """Queries of one request, after two warm-up requests (caches, the token's last use)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(2):
            self.call(method, url, body() if body else None, **kw)
        with CaptureQueriesContext(connection) as ctx:
            self.call(method, url, body() if body else None, **kw)
        return len(ctx)

    def timings(
        self,
        method: str,
        url: str,
        samples: int,
        body: Callable[[], dict] | None = None,
        warm: int = 2,
        **kw,
    ) -> list[float]:
        for _ in range(warm):
            self.call(method, url, body() if body else None, **kw)
        seconds = []
        for _ in range(samples):
            data = body() if body else None
            started = time.perf_counter()
            self.call(method, url, data, **kw)
            seconds.append(time.perf_counter() - started)
        return seconds


def contract_body(template: dict) -> Callable[[], dict]:
    counter = iter(range(1, 1_000_000))
    stamp = int(time.time())
    return lambda: {**template, "reference": f"BENCH-NEW-{stamp}-{next(counter)}"}


def cursor_at(position: int) -> str:
    """A cursor of the API's contract list (ordered by -id) starting below `position`, encoded
    as DRF's CursorPagination encodes its own."""
    return base64.b64encode(urlencode({"p": str(position)}).encode()).decode()


def deep_cursor(auditor: Caller, min_id: int, samples: int) -> dict[str, Any]:
    """Page 1 against a page near the end of the contracts (ordered by -id), interleaved."""
    deep = f"/api/v1/contracts/?{urlencode({'cursor': cursor_at(min_id + 60)})}"
    first = "/api/v1/contracts/"
    results: dict[str, list[float]] = {first: [], deep: []}
    for url in results:
        auditor.timings("GET", url, 0)  # two warm-up requests
    for _ in range(samples):
        for url, seconds in results.items():
            seconds.extend(auditor.timings("GET", url, 1, warm=0))
    return {
        "page1": {**summary_ms(results[first]), "queries": auditor.queries("GET", first)},
        "deep": {**summary_ms(results[deep]), "queries": auditor.queries("GET", deep)},
    }


def web_session(user_id: int):
    """A test Client signed in as the user, its session verified with their authenticator (as
    the second sign-in step leaves it)."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.get(pk=user_id)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def web_page(caller: Caller, url: str, samples: int) -> dict[str, Any]:
    return {
        **summary_ms(caller.timings("GET", url, samples)),
        "queries": caller.queries("GET", url),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--info", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--samples", type=int, default=15)
    args = parser.parse_args()
    info = json.loads(args.info.read_text())

    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    probe, users = info["probes"], info["users"]
    company = probe["company"]
    auditor = Caller(users["auditor"]["token"])
    staff = Caller(users["mission_staff"]["token"])
    status_id = f"/api/v1/companies/{company['id']}/status/"
    lookup = "/api/v1/status/?" + urlencode(
        {"registration_number": company["registration_number"], "authority": company["authority"]}
    )
    hiring = probe["hiring_check"]
    new_contract = contract_body(probe["contract"])
    n = args.samples

    results = Results()
    results.run("compliance_initial", compliance_run)
    results.run("compliance_rerun", compliance_run)
    results.run("compliance_probe", compliance_probe)

    queries = Results()
    queries.run("status_id", lambda: auditor.queries("GET", status_id))
    queries.run("status_lookup", lambda: auditor.queries("GET", lookup))
    queries.run(
        "bench_status_id", lambda: auditor.queries("GET", status_id.replace("api/v1", "bench"))
    )
    queries.run(
        "bench_status_lookup", lambda: auditor.queries("GET", lookup.replace("api/v1", "bench"))
    )
    queries.run(
        "hiring_check",
        lambda: staff.queries("POST", "/api/v1/hiring-checks/", lambda: hiring, expect=201),
    )
    queries.run(
        "contract_create",
        lambda: staff.queries("POST", "/api/v1/contracts/", new_contract, expect=201),
    )
    for name in LISTS:
        queries.run(
            f"list_{name}",
            lambda name=name: {
                str(size): auditor.queries("GET", f"/api/v1/{name}/?page_size={size}")
                for size in PAGE_SIZES
            },
        )
    results["queries"] = dict(queries)

    # Twice the samples: the two pages differ by little, and the ratio is the goal.
    results.run("deep_cursor", lambda: deep_cursor(auditor, probe["contracts_min_id"], 2 * n))
    web = Results()
    signed_in = Caller(client=web_session(users["auditor"]["id"]))
    web.run("contracts", lambda: web_page(signed_in, "/contracts/", n))
    web.run("dashboard", lambda: web_page(signed_in, "/dashboard/", n))
    web.run("public", lambda: web_page(Caller(), "/", n))
    results["web"] = dict(web)
    results.run(
        "contract_create",
        lambda: summary_ms(
            staff.timings("POST", "/api/v1/contracts/", n, new_contract, expect=201)
        ),
    )

    args.out.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
