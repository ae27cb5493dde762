"""The server under load and the clients that load it.

- `Server`: gunicorn as production runs it (`gunicorn -c python:registry.gunicorn_conf
  registry.wsgi`, the environment deciding the rest) on a free port, ready once /readyz says so.
  Its workers' resident memory is read from /proc/<pid>/status.
- `load()`: requests per second and latency of one URL under `connections` keep-alive
  connections for `seconds`: wrk when /usr/bin/wrk exists (Debian package `wrk`), else Python
  threads with http.client. Any answer other than 2xx/3xx, or a socket error, is counted.
- `latencies()`: one request after another on one connection (a POST's p50).
- `download()`: a whole streamed answer, its bytes and lines, while the workers' memory is
  sampled.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
WRK = Path("/usr/bin/wrk")
# "auto": wrk when installed, else Python; "python" forces the fallback (run.py --load-tool).
LOAD_TOOL = "auto"


def use_wrk() -> bool:
    return LOAD_TOOL != "python" and WRK.exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int:
    """VmRSS of a process in kB (0 once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


class Server:
    """gunicorn with the project's configuration, started and stopped by this process only."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env = dict(env)
        self.log = log
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        self.env.update({"WEB_BIND": f"127.0.0.1:{self.port}", "PORT": str(self.port)})
        gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [gunicorn, "-c", "python:registry.gunicorn_conf", "registry.wsgi"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log}")
            try:
                status, _ = get(self.base + "/readyz", {}, timeout=2)
                if status == 200 and len(self.workers()) >= int(self.env.get("WEB_WORKERS", 1)):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn was not ready within {timeout:.0f} s; see {self.log}")

    def workers(self) -> list[int]:
        """The worker processes' ids (the master's children)."""
        if self.proc is None:
            return []
        pid = self.proc.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(c) for c in children]

    def rss(self) -> dict[int, int]:
        return {pid: rss_kb(pid) for pid in self.workers()}

    def stop(self) -> None:
        """SIGTERM (gunicorn drains), then SIGKILL after 30 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    errors: int  # answers other than 2xx/3xx, and socket errors

    def as_dict(self) -> dict:
        return asdict(self)


def _connection(url: str, timeout: float = 60) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout), path


def get(url: str, headers: dict[str, str], timeout: float = 60) -> tuple[int, bytes]:
    conn, path = _connection(url, timeout)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load(
    url: str, headers: dict[str, str], seconds: float, connections: int, threads: int = 2
) -> LoadResult:
    if use_wrk():
        return _wrk(url, headers, seconds, connections, threads)
    return _python_load(url, headers, seconds, connections)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS[unit]


def _wrk_latency(out: str, percent: int) -> float:
    """A percentile of wrk's latency distribution (--latency), in ms."""
    found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
    return _ms(*found.groups()) if found else float("nan")


def _wrk(url, headers, seconds, connections, threads) -> LoadResult:
    duration = max(1, round(seconds))  # wrk takes whole seconds
    command = [str(WRK), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    command += ["--timeout", "30s"]  # a slow answer is slow, not a socket error
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not done or not rps:
        raise RuntimeError(f"cannot read wrk's output: {out[-500:]}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = (int(bad.group(1)) if bad else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0
    )
    return LoadResult(
        tool="wrk",
        requests=int(done.group(1)),
        seconds=_ms(done.group(2), done.group(3)) / 1000,
        rps=float(rps.group(1)),
        p50_ms=_wrk_latency(out, 50),
        p90_ms=_wrk_latency(out, 90),
        errors=errors,
    )


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def _python_load(url, headers, seconds, connections) -> LoadResult:
    """`connections` threads, each with its own keep-alive connection, until the deadline."""
    tallies = [_Tally() for _ in range(connections)]
    started = time.perf_counter()
    deadline = started + seconds

    def worker(tally: _Tally) -> None:
        conn, path = _connection(url)
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    tally.errors += 1
                if response.will_close:
                    conn.close()
                    conn, path = _connection(url)
            except (OSError, http.client.HTTPException):
                tally.errors += 1
                conn.close()
                conn, path = _connection(url)
            tally.latencies.append(time.perf_counter() - t)
        conn.close()

    pool = [threading.Thread(target=worker, args=(t,)) for t in tallies]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    times = sorted(x for t in tallies for x in t.latencies)
    count = len(times)
    return LoadResult(
        tool="python",
        requests=count,
        seconds=elapsed,
        rps=count / elapsed if elapsed else 0.0,
        p50_ms=times[count // 2] * 1000 if times else float("nan"),
        p90_ms=times[min(count - 1, int(count * 0.9))] * 1000 if times else float("nan"),
        errors=sum(t.errors for t in tallies),
    )


def latencies(
    url: str, method: str, headers: dict[str, str], body: bytes, n: int, expect: int
) -> list[float]:
    """`n` requests one after another on one keep-alive connection; seconds each."""
    conn, path = _connection(url)
    seconds = []
    try:
        for _ in range(n):
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            seconds.append(time.perf_counter() - started)
            if response.status != expect:
                raise RuntimeError(f"{method} {path} answered {response.status}: {content[:300]!r}")
    finally:
        conn.close()
    return seconds


class MemorySampler(threading.Thread):
    """The largest VmRSS of each worker while it runs, sampled every 50 ms."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server = server
        self.peak: dict[int, int] = {}
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            for pid, kb in self.server.rss().items():
                self.peak[pid] = max(self.peak.get(pid, 0), kb)
            self._done.wait(0.05)

    def finish(self) -> dict[int, int]:
        self._done.set()
        self.join()
        return self.peak


def download(server: Server, path: str, headers: dict[str, str]) -> dict:
    """Fetch a whole (streamed) answer: seconds, bytes, lines, and the workers' memory in kB
    before, at the peak while streaming, and after."""
    before = server.rss()
    sampler = MemorySampler(server)
    sampler.start()
    conn, path = _connection(server.base + path, timeout=600)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        size = lines = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
            lines += chunk.count(b"\n")
        seconds = time.perf_counter() - started
    finally:
        conn.close()
        peak = sampler.finish()
    after = server.rss()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    growth = {
        pid: {
            "before_kb": before[pid],
            "peak_kb": peak.get(pid, 0),
            "after_kb": after.get(pid, 0),
        }
        for pid in before
    }
    return {"seconds": seconds, "bytes": size, "lines": lines, "workers": growth}


def tool() -> str:
    return f"wrk ({WRK})" if use_wrk() else "python (threads, http.client keep-alive)"


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
