"""Serving in production: health and readiness for the load balancer, a database outage as a
503 the client can retry, request ids in logs and answers, compression where it is safe, and
the database settings for a pool and a read replica."""

import datetime as dt
import gzip
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import OperationalError, ProgrammingError
from django.test import Client
from gunicorn.config import Config

from registry import gunicorn_conf, health
from registry.logs import JsonFormatter, RequestIdFilter, request_id
from registry.models import ApiToken

from . import factories as f

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_checks_the_database_the_migrations_and_the_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok"},
    }


def test_health_answers_whatever_the_host_and_without_the_https_redirect(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["registry.example.org"]
    balancer = Client(HTTP_HOST="10.0.0.7")  # an address, as load balancers probe
    assert balancer.get("/healthz").status_code == 200
    assert balancer.get("/readyz").status_code == 200
    assert balancer.get("/").status_code == 400  # everything else still checks the host


def test_health_takes_get_only(client):
    response = client.post("/readyz")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_readyz_is_503_while_the_database_is_unreachable(client, monkeypatch):
    def refused(alias):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "_check_database", refused)
    response = client.get("/readyz")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    body = response.json()
    assert body["status"] == 503 and body["code"] == "unavailable"
    assert body["checks"]["database"] == "unreachable: OperationalError"


def test_readyz_is_503_while_migrations_are_pending(client, monkeypatch):
    class Pending:
        def __init__(self, connection):
            self.loader = type("Loader", (), {"graph": type("G", (), {"leaf_nodes": list})})()

        def migration_plan(self, targets):
            return [("registry", "0099_new")]

    monkeypatch.setattr(health, "_migrated", set())
    monkeypatch.setattr(health, "MigrationExecutor", Pending)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "1 migrations not applied"


def _fail_company_list(monkeypatch, exc):
    from api.views.register import CompanyViewSet

    def broken(self):
        raise exc

    monkeypatch.setattr(CompanyViewSet, "get_queryset", broken)


def test_a_database_outage_is_a_503_the_api_client_can_retry(monkeypatch):
    _fail_company_list(monkeypatch, OperationalError("server closed the connection"))
    response = Client(raise_request_exception=False).get("/api/v1/companies/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json() == {
        "status": 503,
        "code": "unavailable",
        "detail": "The database is unavailable; retry shortly.",
    }


def test_a_database_outage_on_a_page_is_a_503_page_that_needs_no_database(monkeypatch):
    import registry.web.views.public as public

    def broken(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(public, "render", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert b"Temporarily unavailable" in response.content


def test_a_programming_error_stays_a_500(monkeypatch):
    _fail_company_list(monkeypatch, ProgrammingError("no such column"))
    response = Client(raise_request_exception=False).get("/api/v1/companies/")
    assert response.status_code == 500 and response.json()["code"] == "error"


def test_every_answer_carries_a_request_id_and_keeps_a_sound_given_one(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42")["X-Request-ID"] == "lb-7f3a.42"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="a b\nInjected: yes")["X-Request-ID"]
    assert forged != "a b\nInjected: yes" and len(forged) == 32


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord(
        "registry.x", logging.WARNING, __file__, 1, "hello %s", ("you",), None
    )
    record.company = 7  # extra=
    token = request_id.set("req-1")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hello you" and line["level"] == "WARNING"
    assert line["request_id"] == "req-1" and line["company"] == 7
    assert line["time"].endswith("Z")


def test_json_and_public_pages_are_compressed(client):
    f.CompanyFactory.create_batch(3)
    api = client.get("/api/v1/companies/", HTTP_ACCEPT_ENCODING="gzip")
    assert api["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(api.content))["results"]
    page = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200 and page["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page["Vary"]


def test_token_calls_are_compressed_but_signed_in_sessions_and_token_answers_are_not(
    client, regulator
):
    f.CompanyFactory.create_batch(3)
    _, key = ApiToken.issue(regulator)
    api = Client().get(
        "/api/v1/companies/", HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_ENCODING="gzip"
    )
    assert api.status_code == 200 and api["Content-Encoding"] == "gzip"
    client.force_login(regulator)
    for path in ("/", "/api/v1/companies/"):
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and not response.has_header("Content-Encoding")
    answer = Client().post(
        "/api/v1/auth/token/", {"username": "x", "password": "y"}, HTTP_ACCEPT_ENCODING="gzip"
    )
    assert not answer.has_header("Content-Encoding")


def test_a_pool_and_a_replica_come_from_the_environment():
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(
        DEBUG="1",
        DATABASE_URL="postgres://registry@db.example.org:5432/registry",
        DATABASE_REPLICA_URL="postgres://registry@replica.example.org:5432/registry",
        DB_POOL_MAX_SIZE="8",
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings;"
        "from registry.replica import reader;"
        "d = settings.DATABASES;"
        "print(json.dumps([d['default']['CONN_MAX_AGE'], d['default']['OPTIONS']['pool'],"
        " d['replica']['HOST'], d['replica']['TEST'], reader()]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "registry.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    max_age, pool, replica_host, replica_test, reader = json.loads(result.stdout)
    assert max_age == 0 and pool == {"min_size": 2, "max_size": 8, "timeout": 10}
    assert replica_host == "replica.example.org" and replica_test["MIRROR"] == "default"
    assert reader == "replica"


def test_gunicorn_access_lines_are_json_with_the_request_id():
    config = Config()
    config.set("accesslog", "-")
    logger = gunicorn_conf.JsonAccessLogger(config)
    response = SimpleNamespace(
        status="200 OK",
        status_code=200,
        sent=1234,
        headers=[("X-Request-ID", "req-9")],
        response_length=1234,
    )
    request = SimpleNamespace(headers=[("USER-AGENT", 'curl "quoted"')], method="GET", path="/x")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/status/?q=1",
        "PATH_INFO": "/api/v1/status/",
        "QUERY_STRING": "q=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.9",
        "HTTP_USER_AGENT": 'curl "quoted"',
    }
    lines = []
    logger.access_log.info = lines.append
    logger.access(response, request, environ, dt.timedelta(milliseconds=12.5))
    [line] = lines
    entry = json.loads(line)  # a quote in the user agent does not break the line
    assert entry["request_id"] == "req-9" and entry["status"] == 200
    assert entry["path"] == "/api/v1/status/" and entry["duration_ms"] == 12.5
    assert entry["user_agent"] == 'curl "quoted"' and "q=1" not in line


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(False)
def test_a_stream_longer_than_the_worker_timeout_is_not_killed():
    """gthread workers answer gunicorn's heartbeat while a thread streams: an export of ten
    million rows takes longer than WEB_TIMEOUT, and must still arrive whole."""
    import time
    import urllib.request

    from .workers import slow_stream

    port = _free_port()
    env = {**os.environ, "WEB_TIMEOUT": "2", "WEB_WORKERS": "1", "WEB_THREADS": "2"}
    env |= {"WEB_BIND": f"127.0.0.1:{port}", "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:registry.gunicorn_conf"]
        + ["tests.workers.slow_stream:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                started = time.monotonic()
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=20) as answer:
                    body = answer.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        took = time.monotonic() - started
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[1].decode()
    assert body.splitlines() == [f"chunk {n}" for n in range(slow_stream.CHUNKS)]
    assert took > 2 * int(env["WEB_TIMEOUT"])  # it outlived the timeout, twice over
    assert "WORKER TIMEOUT" not in log
