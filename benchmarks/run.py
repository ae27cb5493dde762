"""Run the benchmark suite: `make bench` (full) or `make bench-quick` (`--quick`).

    .venv/bin/python -m benchmarks.run [--quick] [--keep] [--sizes 2000,20000]

For each of two sizes (quick: 2,000 and 20,000 contracts; full: 10,000 and 1,000,000):

1. a fresh PostgreSQL database `bench_<size>` (dropped first if it exists);
2. `migrate`, `createcachetable` and synthetic data (benchmarks/data.py, COPY);
3. the in-process measurements (benchmarks/measure.py: the compliance run that fills the
   standing cache, query counts, page timings);
4. gunicorn with the project's configuration on a free port, loaded over HTTP (benchmarks/
   load.py), against the plain views (benchmarks/baseline.py) and COPY of the exported rows
   (benchmarks/copy_baseline.py);
5. the database dropped (unless --keep).

Then every goal of benchmarks/goals.py is a row of a table printed here and written to
var/bench-<date>.md. The exit status is 1 when a goal is missed or could not be measured.
Each step runs on its own: one that fails is reported (ERROR) and the rest still run.
"""

import argparse
import base64
import datetime as dt
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import goals, load, report  # noqa: E402
from benchmarks.copy_baseline import COPY_BASELINES, copy_seconds  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
WORK = ROOT / "var" / "bench-work"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
EXPORTS = {
    "contracts.csv": "/api/v1/contracts/?format=csv",
    "contracts.ndjson": "/api/v1/contracts/?format=ndjson",
    "audit.csv": "/api/v1/audit/?format=csv",
}


@dataclass(frozen=True)
class Mode:
    name: str
    sizes: tuple[int, ...]
    load_seconds: int  # one round of load on one URL
    rounds: int  # rounds per URL, API and baseline alternating
    connections: int  # keep-alive connections of the load generator
    samples: int  # in-process timings per page
    posts: int  # hiring checks posted one after another (P2 p50)
    audit_contracts: int  # loaded contracts given a "created" audit entry (benchmarks/data.py)


MODES = {
    "quick": Mode("quick", (2_000, 20_000), 2, 2, 8, 10, 20, 5_000),
    "full": Mode("full", (10_000, 1_000_000), 10, 3, 8, 25, 50, 100_000),
}


def label(contracts: int) -> str:
    if contracts % 1_000_000 == 0:
        return f"{contracts // 1_000_000}m"
    if contracts % 1000 == 0:
        return f"{contracts // 1000}k"
    return str(contracts)


def bench_env(database_url: str) -> dict[str, str]:
    """Production settings (DEBUG off; the secrets of var/serve.env when `make` sourced it, else
    made for this run) on the bench database, with what a benchmark on one machine needs:
    plain HTTP on 127.0.0.1, 2 workers, no user throttle in the way (its cost still counted),
    no worker recycling (it would hide memory growth and restart workers under load)."""
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("IDENTITY_HASH_KEY", secrets.token_urlsafe(32))
    env.setdefault("AUDIT_SIGNING_KEY", base64.b64encode(secrets.token_bytes(32)).decode())
    env.pop("DATABASE_REPLICA_URL", None)
    env.update(
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        WEB_WORKERS="2",
        WEB_MAX_REQUESTS="0",
        API_THROTTLE_USER="1000000/minute",
        LOG_LEVEL="WARNING",
    )
    return env


def run_command(args: list[str], env: dict[str, str]) -> None:
    """A subprocess whose output goes to our standard error (progress, not the table)."""
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=sys.stderr)


def recreate_database(pg: str, name: str) -> None:
    import psycopg

    if not name.startswith("bench_"):
        raise ValueError(f"refusing to touch {name!r}: benchmark databases are bench_*")
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(pg: str, name: str) -> None:
    import psycopg

    if not name.startswith("bench_"):
        raise ValueError(f"refusing to touch {name!r}: benchmark databases are bench_*")
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def one_line(exc: Exception) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:500]


class Size:
    """The steps and results of one database size; a failed step is recorded, not raised."""

    def __init__(self, contracts: int, mode: Mode, pg: str):
        self.mode, self.pg = mode, pg
        self.label = label(contracts)
        self.database = f"bench_{self.label}"
        self.dsn = f"{pg}/{self.database}"
        self.env = bench_env(self.dsn)
        self.info_path = WORK / f"{self.database}.json"
        self.result: dict[str, Any] = {
            "contracts": contracts,
            "label": self.label,
            "database": self.database,
            "seconds": {},
            "errors": {},
        }

    def step(self, name: str, action: Callable[[], Any]) -> Any:
        print(f"[{self.label}] {name} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            return action()
        except Exception as exc:
            traceback.print_exc()
            self.result["errors"][name] = one_line(exc)
            return None
        finally:
            self.result["seconds"][name] = round(time.perf_counter() - started, 2)

    def failed(self, *names: str) -> bool:
        return any(name in self.result["errors"] for name in names)

    def run(self, keep: bool) -> dict[str, Any]:
        self.step("create database", lambda: recreate_database(self.pg, self.database))
        if not self.failed("create database"):
            self.step("migrate and data", self._data)
        if not self.failed("create database", "migrate and data"):
            self.step("in-process", self._in_process)
            self.step("http", self._http)
        if not keep and not self.failed("create database"):
            self.step("drop database", lambda: drop_database(self.pg, self.database))
        return self.result

    def _data(self) -> None:
        run_command(
            [PYTHON, "-m", "benchmarks.data", "--migrate", "--out", str(self.info_path)]
            + ["--contracts", str(self.result["contracts"])]
            + ["--audit-contracts", str(self.mode.audit_contracts)],
            self.env,
        )
        info = json.loads(self.info_path.read_text())
        self.result["data"] = {"counts": info["counts"], "seconds": info["seconds"]}

    def _in_process(self) -> None:
        out = WORK / f"{self.database}-measure.json"
        out.unlink(missing_ok=True)
        run_command(
            [PYTHON, "-m", "benchmarks.measure", "--info", str(self.info_path), "--out", str(out)]
            + ["--samples", str(self.mode.samples)],
            self.env,
        )
        self.result["inprocess"] = json.loads(out.read_text())

    def _http(self) -> None:
        info = json.loads(self.info_path.read_text())
        server = load.Server(self.env, WORK / f"gunicorn-{self.database}.log")
        server.start()
        try:
            self.result["http"] = http_measurements(server, info, self.mode, self.dsn)
        finally:
            server.stop()


def attempt(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except Exception as exc:
        traceback.print_exc()
        return {"error": one_line(exc)}


def compare(server: load.Server, api: str, plain: str, headers: dict, mode: Mode) -> dict:
    """Requests per second of an API call and of its plain view, in alternating rounds."""
    for path in (api, plain):
        status, body = load.get(server.base + path, headers)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
        load.load(server.base + path, headers, 1, mode.connections)  # warm-up
    rounds: dict[str, list[dict]] = {"api": [], "baseline": []}
    for n in range(mode.rounds):
        order = [("api", api), ("baseline", plain)]
        for key, path in order[:: -1 if n % 2 else 1]:
            result = load.load(server.base + path, headers, mode.load_seconds, mode.connections)
            if result.errors:
                raise RuntimeError(f"{path}: {result.errors} of {result.requests} requests failed")
            rounds[key].append(result.as_dict())
    return {
        key: {
            "rps": round(statistics.median(r["rps"] for r in runs), 1),
            "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
            "p90_ms": round(statistics.median(r["p90_ms"] for r in runs), 2),
            "rounds": runs,
        }
        for key, runs in rounds.items()
    }


def hiring_latency(server: load.Server, info: dict, mode: Mode) -> dict:
    headers = {
        "Authorization": f"Token {info['users']['mission_staff']['token']}",
        "Content-Type": "application/json",
    }
    body = json.dumps(info["probes"]["hiring_check"]).encode()
    url = server.base + "/api/v1/hiring-checks/"
    load.latencies(url, "POST", headers, body, 3, expect=201)  # warm-up
    ms = sorted(s * 1000 for s in load.latencies(url, "POST", headers, body, mode.posts, 201))
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p90_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.9))], 2),
        "n": len(ms),
    }


# Downloads of each export, alternating with COPY: one download of a 10,000-row export lasts
# a few tens of milliseconds, well within this machine's noise.
EXPORT_ROUNDS = 3


def export(server: load.Server, name: str, headers: dict, dsn: str) -> dict:
    """The API's export against COPY of the same rows: COPY, then EXPORT_ROUNDS times a
    download and a COPY; the median of each (as the loads take the median round), and the
    workers' memory of the download in which it grew most."""
    pg_dsn = dsn.replace("postgres://", "postgresql://", 1)
    copies = [copy_seconds(pg_dsn, COPY_BASELINES[name])]
    downloads = []
    for _ in range(EXPORT_ROUNDS):
        downloads.append(load.download(server, EXPORTS[name], headers))
        copies.append(copy_seconds(pg_dsn, COPY_BASELINES[name]))
    middle = sorted(downloads, key=lambda d: d["seconds"])[len(downloads) // 2]
    grown = max(downloads, key=_growth_kb)
    return {
        "api": {**middle, "workers": grown["workers"], "rounds": [d["seconds"] for d in downloads]},
        "copy": {
            "seconds": statistics.median(c[0] for c in copies),
            "bytes": copies[0][1],
            "lines": copies[0][2],
            "rounds": [c[0] for c in copies],
        },
    }


def _growth_kb(download: dict) -> int:
    return max(
        (max(w["peak_kb"], w["after_kb"]) - w["before_kb"] for w in download["workers"].values()),
        default=0,
    )


def http_measurements(server: load.Server, info: dict, mode: Mode, dsn: str) -> dict:
    company = info["probes"]["company"]
    auditor = {"Authorization": f"Token {info['users']['auditor']['token']}"}
    query = urlencode(
        {"registration_number": company["registration_number"], "authority": company["authority"]}
    )
    pairs = {
        "status_id": (
            f"/api/v1/companies/{company['id']}/status/",
            f"/bench/companies/{company['id']}/status/",
        ),
        "status_lookup": (f"/api/v1/status/?{query}", f"/bench/status/?{query}"),
        "contracts_page": ("/api/v1/contracts/", "/bench/contracts/?page_size=50"),
    }
    results: dict[str, Any] = {"tool": load.tool(), "workers": len(server.workers())}
    for name, (api, plain) in pairs.items():
        print(f"  load: {name}", file=sys.stderr, flush=True)
        results[name] = attempt(
            lambda api=api, plain=plain: compare(server, api, plain, auditor, mode)
        )
    print("  load: hiring check p50", file=sys.stderr, flush=True)
    results["hiring_check"] = attempt(lambda: hiring_latency(server, info, mode))
    results["exports"] = {}
    for name in EXPORTS:
        print(f"  export: {name}", file=sys.stderr, flush=True)
        results["exports"][name] = attempt(lambda name=name: export(server, name, auditor, dsn))
    return results


def machine(pg: str) -> dict[str, str]:
    import psycopg

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    except OSError:
        commit = "?"
    try:
        with psycopg.connect(f"{pg}/postgres") as conn:
            row = conn.execute("SHOW server_version").fetchone()
            postgres = row[0] if row else "?"
    except psycopg.Error as exc:
        postgres = f"unreachable ({exc})"
    return {
        "commit": commit,
        "cpus": str(load.cpu_count()),
        "python": sys.version.split()[0],
        "postgres": postgres,
        "load generator": load.tool(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="2,000 and 20,000 contracts")
    parser.add_argument("--keep", action="store_true", help="keep the bench_* databases")
    parser.add_argument("--sizes", help="contracts per size, comma-separated (overrides the mode)")
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument(
        "--load-tool",
        choices=("auto", "python"),
        default="auto",
        help="auto: wrk when /usr/bin/wrk exists, else Python threads; python: always Python",
    )
    args = parser.parse_args()
    load.LOAD_TOOL = args.load_tool
    mode = MODES["quick" if args.quick else "full"]
    if args.sizes:
        mode = Mode(**{**mode.__dict__, "sizes": tuple(int(s) for s in args.sizes.split(","))})
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "mode": mode.name,
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(args.pg),
        "sizes": [],
    }
    try:
        env = bench_env(f"{args.pg}/postgres")
        run_command([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    except Exception as exc:  # the pages will fail and say so; the rest still runs
        traceback.print_exc()
        results["errors"] = {"collectstatic": str(exc)}
    for contracts in mode.sizes:
        results["sizes"].append(Size(contracts, mode, args.pg).run(args.keep))
    results["seconds"] = round(time.perf_counter() - started, 1)

    rows = goals.evaluate(results)
    print(report.table(rows))
    print(f"\n{report.verdict_line(rows)}; {results['seconds']:.0f} s in all ({mode.name} mode)")
    (WORK / "results.json").write_text(json.dumps(results, indent=2, default=str))
    path = ROOT / "var" / f"bench-{dt.date.today().isoformat()}.md"
    try:
        path.write_text(report.markdown(results, rows))
        print(f"Written to {path.relative_to(ROOT)}")
    except Exception:  # the table above is the result; the file is a copy
        traceback.print_exc()
    sys.exit(1 if any(row.verdict in ("FAIL", "ERROR") for row in rows) else 0)


if __name__ == "__main__":
    main()
