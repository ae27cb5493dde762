"""The cost of one write with its compliance re-check, against a bare ORM write of the same row.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pmsc_bench DEBUG=1 \\
        .venv/bin/python benchmarks/write_cost.py [--rounds 30]

Creates the database if it is missing, migrates it and loads the demo when it is empty, then for
each round records a sanction (a fine) on a demo company twice: through the API as the demo
regulator (validation, write rule, audit, compliance re-check of the company, the response), and
as the baseline, a bare `full_clean()` + `save()` of the same row in a transaction (the audit
signals still run: that is the floor every door pays). Prints the median time and the queries of
each and their ratio; both run in the same process, interleaved, so machine noise hits both.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
os.environ.setdefault("DEBUG", "1")


def _ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    _ensure_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from registry.models import Company, Sanction

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--if-empty", verbosity=0)

    company = Company.objects.get(legal_name="Harbourline Security Kenya Ltd")
    authority = company.registering_authority_id
    regulator = User.objects.get(username="regulator")
    body = {
        "company": company.pk,
        "imposed_by_authority": authority,
        "kind": "fine",
        "scope": "global",
        "start": "2026-01-05",
        "end": "2026-01-06",
        "reason": "Benchmark: late incident report.",
    }

    def through_the_api():
        client = APIClient()
        client.force_authenticate(User.objects.get(pk=regulator.pk))
        response = client.post("/api/v1/sanctions/", body, format="json")
        assert response.status_code == 201, response.content

    def bare_orm():
        with transaction.atomic():
            row = Sanction(
                company_id=company.pk,
                imposed_by_authority_id=authority,
                kind="fine",
                scope="global",
                start="2026-01-05",
                end="2026-01-06",
                reason="Benchmark: late incident report.",
            )
            row.full_clean()
            row.save()

    timings = {"api": [], "baseline": []}
    queries = {}
    for _ in range(args.rounds):
        for name, write in (("api", through_the_api), ("baseline", bare_orm)):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                write()
                timings[name].append(time.perf_counter() - start)
            queries[name] = len(ctx)
    api, base = (statistics.median(timings[k]) * 1000 for k in ("api", "baseline"))
    print(f"database: {connection.vendor}, rounds: {args.rounds}")
    print(f"API write with compliance re-check: {api:.1f} ms median, {queries['api']} queries")
    print(
        f"bare ORM write (baseline):          {base:.1f} ms median, {queries['baseline']} queries"
    )
    print(f"ratio: {api / base:.1f}x the baseline's time")
    Sanction.objects.filter(reason="Benchmark: late incident report.").delete()


if __name__ == "__main__":
    main()
