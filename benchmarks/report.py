"""The goals as a text table (stdout) and as Markdown (var/bench-<date>.md)."""

from collections import Counter
from typing import Any

from .goals import Row

HEADER = ("goal", "", "measured", "baseline", "ratio / limit", "result")


def _cells(row: Row) -> tuple[str, ...]:
    return (row.goal, row.name, row.measured, row.baseline, row.limit, row.verdict)


def _notes(rows: list[Row]) -> list[str]:
    return [f"- {row.goal} {row.name}: {row.note}" for row in rows if row.note]


def table(rows: list[Row]) -> str:
    cells = [HEADER, *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = _notes(rows)
    return "\n".join(lines + (["", "Notes:", *notes] if notes else []))


def verdict_line(rows: list[Row]) -> str:
    counts = Counter(row.verdict for row in rows)
    return ", ".join(f"{counts[v]} {v}" for v in ("PASS", "FAIL", "ERROR", "INFO") if counts[v])


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _md_table(header: tuple[str, ...], lines: list[tuple[str, ...]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(_md(c) for c in line) + " |" for line in lines),
    ]


def _n(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def _dig(data: Any, *path: str, default: Any = "—") -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


DATA_SECONDS = {
    "migrate": "migrate + createcachetable",
    "copy_total": "COPY of every table",
    "contracts": "… of which contracts",
    "analyze": "ANALYZE",
    "audit": "audit entries of the loaded rows",
}


def _data_tables(sizes: list[dict]) -> list[str]:
    labels = tuple(s["label"] for s in sizes)
    names = list(dict.fromkeys(k for s in sizes for k in _dig(s, "data", "counts", default={})))
    counts = [(n, *(_n(_dig(s, "data", "counts", n)) for s in sizes)) for n in names]
    counts.append(
        ("findings opened by the first compliance run",)
        + tuple(_n(_dig(s, "inprocess", "compliance_initial", "opened")) for s in sizes)
    )
    steps = list(dict.fromkeys(k for s in sizes for k in s["seconds"]))
    seconds = [(name, *(_n(s["seconds"].get(name, "—")) for s in sizes)) for name in steps]
    seconds += [
        (f"data: {title}", *(_n(_dig(s, "data", "seconds", key)) for s in sizes))
        for key, title in DATA_SECONDS.items()
    ]
    seconds += [
        (f"compliance: {key.split('_')[1]}",)
        + tuple(_n(_dig(s, "inprocess", key, "seconds")) for s in sizes)
        for key in ("compliance_initial", "compliance_rerun", "compliance_probe")
    ]
    return [
        *_md_table(("rows", *labels), counts),
        "",
        *_md_table(("seconds", *labels), seconds),
    ]


def _http_tables(sizes: list[dict]) -> list[str]:
    lines = []
    for s in sizes:
        for key in ("status_id", "status_lookup", "contracts_page"):
            for side in ("api", "baseline"):
                run = _dig(s, "http", key, side)
                if isinstance(run, dict):
                    lines.append(
                        (s["label"], key, side)
                        + tuple(_n(run[k]) for k in ("rps", "p50_ms", "p90_ms"))
                    )
    exports = []
    for s in sizes:
        for name, run in _dig(s, "http", "exports", default={}).items():
            if isinstance(run, dict) and "api" in run:
                api, copy = run["api"], run["copy"]
                exports.append(
                    (s["label"], name, f"{api['seconds']:.2f}", f"{copy['seconds']:.2f}")
                    + (_n(api["lines"]), _n(copy["lines"]), f"{api['bytes'] / 1e6:.1f}")
                )
    return [
        *_md_table(("size", "call", "served by", "req/s", "p50 ms", "p90 ms"), lines),
        "",
        *_md_table(("size", "export", "API s", "COPY s", "API lines", "COPY lines", "MB"), exports),
    ]


def markdown(results: dict[str, Any], rows: list[Row]) -> str:
    sizes = results["sizes"]
    out = [
        f"# Benchmarks, {results['date']} ({results['mode']} mode)",
        "",
        f"{verdict_line(rows)}; {results.get('seconds', 0):.0f} s in all. "
        "Produced by `make bench` / `make bench-quick`; benchmarks/README.md says how to read it.",
        "",
        *(f"- {k}: {v}" for k, v in results["machine"].items()),
        "",
        "## Goals",
        "",
        *_md_table(HEADER, [_cells(row) for row in rows]),
    ]
    notes = _notes(rows)
    if notes:
        out += ["", "Notes:", "", *notes]
    out += ["", "## Data and steps", "", *_data_tables(sizes)]
    out += ["", "## Under load (median of the rounds)", "", *_http_tables(sizes)]
    errors = [f"- {step}: {error}" for step, error in results.get("errors", {}).items()]
    errors += [
        f"- {s['label']} {step}: {error}" for s in sizes for step, error in s["errors"].items()
    ]
    if errors:
        out += ["", "Failed steps:", "", *errors]
    return "\n".join(out) + "\n"
