"""The login limits hold across worker processes: three separate processes (each with its own
memory, like server workers) share one database and one database cache, and one account's
failures and one address's login rate are counted once for all of them."""

import json
import os
import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 3
LIMIT = 5
TIMEOUT = 30  # seconds for any one answer (start-up included)
PASSWORD = "correct-horse-battery"


def _database_url(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        # The test database may live in memory: copy it, committed rows and all, to a file.
        connection.ensure_connection()
        target = sqlite3.connect(tmp_path / "shared.sqlite3")
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, env, log_path):
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "tests/workers/login_worker.py"],
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )

    def read(self):
        ready, _, _ = select.select([self.process.stdout], [], [], TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.log.flush()
            raise AssertionError(f"worker gave no answer:\n{self.log_path.read_text()[-3000:]}")
        return json.loads(line)

    def send(self, **command):
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@pytest.fixture
def workers(tmp_path):
    f.UserFactory(username="kestrel")  # committed (transactional test): the workers see it
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": _database_url(tmp_path),
        "CACHE_URL": "db://",
        "LOGIN_FAILURE_LIMIT": str(LIMIT),
        "LOGIN_COOLOFF_MINUTES": "15",
        "TRUSTED_PROXY_COUNT": "0",
        "API_THROTTLE_LOGIN": "1000/minute",
        "LOG_LEVEL": "ERROR",
        "SECURITY_LOG_LEVEL": "ERROR",
    }
    started = []
    try:
        for n in range(WORKERS):  # started together; only the first creates the cache table
            started.append(
                Worker({**env, "CREATE_CACHE_TABLE": str(int(n == 0))}, tmp_path / f"worker{n}.log")
            )
        for worker in started:
            worker.read()  # ready
        yield started
    finally:
        for worker in started:
            worker.stop()


def test_failures_and_the_address_rate_are_counted_once_across_processes(workers):
    doors = ["web", "api", "admin"]
    answers = [
        workers[n % WORKERS].send(door=doors[n % 3 - 1], username="kestrel", password=f"guess{n}")
        for n in range(20)
    ]
    assert len({a["pid"] for a in answers}) == WORKERS
    refused = {"web": 200, "admin": 200, "api": 401}  # the form again, or 401
    expected = [refused[doors[n % 3 - 1]] if n < LIMIT - 1 else 429 for n in range(20)]
    assert [a["status"] for a in answers] == expected
    for worker in workers:  # every process now refuses even the right password, on every door
        for door in doors:
            assert worker.send(door=door, username="kestrel", password=PASSWORD)["status"] == 429

    # The per-address login rate, counted in the database cache, from another address.
    for worker in workers:
        worker.send(rate="6/minute")
    statuses = [
        workers[n % WORKERS].send(
            door="api", username=f"user{n}", password="guess", address="198.51.100.2"
        )["status"]
        for n in range(9)
    ]
    assert statuses == [401] * 6 + [429] * 3
    other = workers[0].send(
        door="web", username="kestrel", password=PASSWORD, address="198.51.100.3"
    )
    assert other["status"] == 302  # another address is not slowed down
