"""The goals (issue 12, "Production serving and speed"), each a row: what was measured, its
baseline, the ratio or limit, and PASS, FAIL, ERROR (not measured) or INFO (reported only).

Ratios are taken against a baseline measured in the same run, because the machines are noisy:
a plain view served by the same gunicorn (P1), COPY of the same rows (P3), the same request at
the small size (P2, P6). In quick mode the sizes are 2,000 and 20,000 contracts, and the P5
time, set for 1,000,000 contracts, is extrapolated linearly from the large size.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

P1_MIN_RATIO = 0.7
P1_MAX_QUERIES = 8
P2_MAX_RATIO = 1.3
P3_MIN_RATIO = 0.7
P3_MAX_GROWTH_MB = 50
P5_MAX_SECONDS = 120
P5_AT_CONTRACTS = 1_000_000
P6_MAX_DEEP_RATIO = 1.2
P6_MAX_PAGE_MS = 300
WRITE_AIM_MS = 25
LISTS = ("companies", "licences", "contracts", "coordination", "findings")
EXPORTS = ("contracts.csv", "contracts.ndjson", "audit.csv")


@dataclass
class Row:
    goal: str
    name: str
    measured: str = "—"
    baseline: str = "—"
    limit: str = "—"
    verdict: str = "ERROR"
    note: str = ""


class NotMeasured(Exception):
    pass


class Size:
    """One size's results, read with get(), which raises NotMeasured (naming the failed step)
    for a measurement that is missing or was recorded as an error."""

    def __init__(self, result: dict[str, Any]):
        self.result = result
        self.label = result["label"]
        self.contracts = result["contracts"]

    def get(self, *path: str) -> Any:
        data: Any = self.result
        for key in path:
            if isinstance(data, dict) and set(data) == {"error"}:
                raise NotMeasured(f"{self.label}: {data['error']}")
            if not isinstance(data, dict) or key not in data:
                failed = ", ".join(self.result["errors"])
                why = f"step {failed} failed (see Failed steps)" if failed else "not measured"
                raise NotMeasured(f"{self.label}: no {'.'.join(path)}: {why}")
            data = data[key]
        if isinstance(data, dict) and set(data) == {"error"}:
            raise NotMeasured(f"{self.label}: {data['error']}")
        return data


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def safe(goal: str, name: str, build: Callable[[], Row]) -> Row:
    try:
        return build()
    except NotMeasured as exc:
        return Row(goal, name, note=str(exc))
    except Exception as exc:
        return Row(goal, name, note=f"{type(exc).__name__}: {exc}")


def _rate(seconds: float, rows: int) -> float:
    return rows / seconds if seconds else 0.0


# --- one function per goal ---------------------------------------------------------------------


def p1_rps(size: Size, key: str, title: str) -> Row:
    name = f"{title}: req/s vs plain view ({size.label})"

    def build() -> Row:
        api = size.get("http", key, "api", "rps")
        plain = size.get("http", key, "baseline", "rps")
        ratio = api / plain
        return Row(
            "P1",
            name,
            f"{api:.0f} req/s",
            f"{plain:.0f} req/s",
            f"{ratio:.2f} (≥ {P1_MIN_RATIO:.2f})",
            verdict(ratio >= P1_MIN_RATIO),
        )

    return safe("P1", name, build)


def p1_queries(small: Size, large: Size, key: str, title: str) -> Row:
    name = f"{title}: queries ({small.label} / {large.label})"

    def build() -> Row:
        counts = [s.get("inprocess", "queries", key) for s in (small, large)]
        plain = large.get("inprocess", "queries", f"bench_{key}")
        ok = max(counts) <= P1_MAX_QUERIES and counts[0] == counts[1]
        return Row(
            "P1",
            name,
            " / ".join(map(str, counts)),
            f"{plain} (plain view)",
            f"≤ {P1_MAX_QUERIES}, same at both",
            verdict(ok),
        )

    return safe("P1", name, build)


def p2_queries(small: Size, large: Size) -> Row:
    name = f"hiring check: queries ({small.label} / {large.label})"

    def build() -> Row:
        counts = [s.get("inprocess", "queries", "hiring_check") for s in (small, large)]
        return Row(
            "P2",
            name,
            " / ".join(map(str, counts)),
            "—",
            "same at both",
            verdict(counts[0] == counts[1]),
        )

    return safe("P2", name, build)


def p2_latency(small: Size, large: Size) -> Row:
    name = f"hiring check: p50 {large.label} vs {small.label}"

    def build() -> Row:
        big = large.get("http", "hiring_check", "p50_ms")
        little = small.get("http", "hiring_check", "p50_ms")
        ratio = big / little
        return Row(
            "P2",
            name,
            f"{big:.1f} ms",
            f"{little:.1f} ms",
            f"{ratio:.2f} (≤ {P2_MAX_RATIO:.2f})",
            verdict(ratio <= P2_MAX_RATIO),
        )

    return safe("P2", name, build)


def p3_throughput(size: Size, export: str) -> Row:
    name = f"export {export}: rows/s vs COPY ({size.label})"

    def build() -> Row:
        api = size.get("http", "exports", export, "api")
        copy = size.get("http", "exports", export, "copy")
        api_rate, copy_rate = (
            _rate(api["seconds"], api["lines"]),
            _rate(copy["seconds"], copy["lines"]),
        )
        ratio = api_rate / copy_rate
        note = ""
        if abs(api["lines"] - copy["lines"]) > max(2, copy["lines"] // 100):
            note = f"{size.label}: the export had {api['lines']} lines, COPY {copy['lines']}"
        return Row(
            "P3",
            name,
            f"{api_rate:,.0f} rows/s ({api['lines']:,} rows, {api['bytes'] / 1e6:.1f} MB)",
            f"{copy_rate:,.0f} rows/s",
            f"{ratio:.2f} (≥ {P3_MIN_RATIO:.2f})",
            verdict(ratio >= P3_MIN_RATIO),
            note,
        )

    return safe("P3", name, build)


def p3_memory(sizes: list[Size], export: str) -> Row:
    name = f"export {export}: worker RSS growth (max of sizes)"

    def build() -> Row:
        peak = after = 0.0
        for size in sizes:
            for worker in size.get("http", "exports", export, "api", "workers").values():
                peak = max(peak, (worker["peak_kb"] - worker["before_kb"]) / 1024)
                after = max(after, (worker["after_kb"] - worker["before_kb"]) / 1024)
        growth = max(peak, after)
        return Row(
            "P3",
            name,
            f"{growth:.1f} MB (after: {after:.1f} MB)",
            "—",
            f"< {P3_MAX_GROWTH_MB} MB",
            verdict(growth < P3_MAX_GROWTH_MB),
        )

    return safe("P3", name, build)


def _at_target(size: Size, seconds: float) -> tuple[float, str]:
    if size.contracts == P5_AT_CONTRACTS:
        return seconds, f"{seconds:.1f} s at {size.label}"
    scaled = seconds * P5_AT_CONTRACTS / size.contracts
    return scaled, f"{seconds:.1f} s at {size.label} → {scaled:.0f} s at 1M (linear)"


def p5_time(large: Size, key: str, title: str) -> Row:
    name = f"compliance {title}: time"

    def build() -> Row:
        run = large.get("inprocess", key)
        seconds, text = _at_target(large, run["seconds"])
        return Row(
            "P5",
            name,
            text,
            f"{run['companies']:,} companies, {run['opened']:,} opened",
            f"≤ {P5_MAX_SECONDS} s at 1M",
            verdict(seconds <= P5_MAX_SECONDS),
        )

    return safe("P5", name, build)


def p5_batches(small: Size, large: Size) -> Row:
    name = f"compliance: queries per batch ({small.label} / {large.label})"

    def build() -> Row:
        probes = [s.get("inprocess", "compliance_probe") for s in (small, large)]
        tops = [max(p["queries_per_batch"]) for p in probes]
        spans = [f"{min(p['queries_per_batch'])}–{max(p['queries_per_batch'])}" for p in probes]
        initial = max(large.get("inprocess", "compliance_initial", "queries_per_batch"))
        return Row(
            "P5",
            name,
            f"{' / '.join(spans)} (batches of {probes[0]['batch_size']} / {probes[1]['batch_size']})",
            f"initial fill: ≤ {initial}/batch",
            "no growth (same max)",
            verdict(tops[0] == tops[1]),
        )

    return safe("P5", name, build)


def p5_idempotent(sizes: list[Size]) -> Row:
    name = "compliance re-run: audit entries written"

    def build() -> Row:
        written, changed = [], []
        for size in sizes:
            for key in ("compliance_rerun", "compliance_probe"):
                run = size.get("inprocess", key)
                written.append(run["audit_entries_written"])
                if run["opened"] or run["resolved"]:
                    changed.append(
                        f"{size.label} {key}: {run['opened']} opened, {run['resolved']} resolved"
                    )
        return Row(
            "P5",
            name,
            " / ".join(map(str, written)),
            "—",
            "0 (a re-run changes nothing)",
            verdict(not any(written) and not changed),
            "; ".join(changed),
        )

    return safe("P5", name, build)


def p6_list(small: Size, large: Size, name_: str) -> Row:
    name = f"API list {name_}: queries at page size 10/100/500"

    def build() -> Row:
        counts = [s.get("inprocess", "queries", f"list_{name_}") for s in (small, large)]
        text = " ; ".join(
            f"{s.label}: {'/'.join(str(c[k]) for k in ('10', '100', '500'))}"
            for s, c in zip((small, large), counts, strict=True)
        )
        ok = all(len(set(c.values())) == 1 for c in counts)
        return Row("P6", name, text, "—", "same at every page size", verdict(ok))

    return safe("P6", name, build)


def p6_cursor(large: Size) -> Row:
    name = f"contracts deep cursor page vs page 1 ({large.label})"

    def build() -> Row:
        cursor = large.get("inprocess", "deep_cursor")
        deep, first = cursor["deep"]["p50_ms"], cursor["page1"]["p50_ms"]
        ratio = deep / first
        return Row(
            "P6",
            name,
            f"{deep:.1f} ms p50",
            f"{first:.1f} ms p50",
            f"{ratio:.2f} (≤ {P6_MAX_DEEP_RATIO:.2f})",
            verdict(ratio <= P6_MAX_DEEP_RATIO),
        )

    return safe("P6", name, build)


def p6_page(small: Size, large: Size, key: str, title: str, gated: bool = True) -> Row:
    name = f"{title} p50/p90 ({large.label})"

    def build() -> Row:
        big = large.get("inprocess", "web", key)
        little = small.get("inprocess", "web", key)
        ok = max(big["p50_ms"], big["p90_ms"]) <= P6_MAX_PAGE_MS
        return Row(
            "P6",
            name,
            f"{big['p50_ms']:.0f} / {big['p90_ms']:.0f} ms, {big['queries']} queries",
            f"{small.label}: {little['p50_ms']:.0f} / {little['p90_ms']:.0f} ms",
            f"≤ {P6_MAX_PAGE_MS} ms" + ("" if gated else " (report)"),
            verdict(ok) if gated else "INFO",
        )

    return safe("P6", name, build)


def write_row(large: Size) -> Row:
    name = f"contract create POST /api/v1/contracts/ ({large.label})"

    def build() -> Row:
        timing = large.get("inprocess", "contract_create")
        queries = large.get("inprocess", "queries", "contract_create")
        return Row(
            "W",
            name,
            f"{timing['p50_ms']:.1f} ms p50, {queries} queries",
            "—",
            f"aim < {WRITE_AIM_MS} ms (report)",
            "INFO",
        )

    return safe("W", name, build)


def contracts_page_row(large: Size) -> Row:
    name = f"API contract list page: req/s vs plain view ({large.label})"

    def build() -> Row:
        api = large.get("http", "contracts_page", "api", "rps")
        plain = large.get("http", "contracts_page", "baseline", "rps")
        return Row(
            "P6",
            name,
            f"{api:.0f} req/s",
            f"{plain:.0f} req/s",
            f"{api / plain:.2f} (report)",
            "INFO",
        )

    return safe("P6", name, build)


def evaluate(results: dict[str, Any]) -> list[Row]:
    sizes = [Size(r) for r in results["sizes"]]
    if not sizes:
        return [Row("—", "no size was measured")]
    small, large = sizes[0], sizes[-1]
    return list(_rows(sizes, small, large))


def _rows(sizes: list[Size], small: Size, large: Size) -> Iterator[Row]:
    status = (
        ("status_id", "status by id"),
        ("status_lookup", "status lookup"),
    )
    for key, title in status:
        for size in sizes:
            yield p1_rps(size, key, title)
        yield p1_queries(small, large, key, title)
    yield p2_queries(small, large)
    yield p2_latency(small, large)
    for export in EXPORTS:
        for size in sizes:
            yield p3_throughput(size, export)
        yield p3_memory(sizes, export)
    yield p5_time(large, "compliance_initial", "initial fill")
    yield p5_time(large, "compliance_rerun", "daily re-run")
    yield p5_batches(small, large)
    yield p5_idempotent(sizes)
    for name in LISTS:
        yield p6_list(small, large, name)
    yield p6_cursor(large)
    yield contracts_page_row(large)
    yield p6_page(small, large, "contracts", "web /contracts/")
    yield p6_page(small, large, "dashboard", "web /dashboard/")
    yield p6_page(small, large, "public", "web / (public register)", gated=False)
    yield write_row(large)
