"""Health endpoints for a load balancer or an orchestrator, answered before any other middleware
(no host check, no HTTPS redirect, no session, no audit transaction):

- `GET /healthz`: the process is alive and answering (touches nothing else);
- `GET /readyz`: it can serve: the database answers, every migration is applied and the shared
  cache answers. 503 in the API's error shape with Retry-After otherwise, so the balancer sends
  the traffic elsewhere until it is ready again.

And `database_unavailable`: whether an exception means that the database cannot be reached,
which the error handler answers as 503 with Retry-After instead of 500."""

import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

RETRY_AFTER_SECONDS = 5
PATHS = ("/healthz", "/readyz")

_migrated: set[str] = set()  # aliases seen fully migrated (a process never loses a migration)


def database_unavailable(exc: BaseException | None) -> bool:
    """Connection refused or lost, server shutting down or restarting, too many clients, a
    deadlock, a statement timeout, a locked SQLite file: errors a retry can cure. A bad query
    or a broken constraint (ProgrammingError, IntegrityError) is not one of them."""
    return isinstance(exc, (OperationalError, InterfaceError))


def unavailable(detail: str, **extra) -> JsonResponse:
    body = {"status": 503, "code": "unavailable", "detail": detail, **extra}
    response = JsonResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _check_database(alias: str) -> str:
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    if alias not in _migrated:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return f"{len(pending)} migrations not applied"
        _migrated.add(alias)
    return "ok"


def _check_cache() -> str:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return "ok" if ok else "the cache did not keep a value"


def readiness() -> dict[str, str]:
    checks = {}
    for name, check in (
        ("database", lambda: _check_database(DEFAULT_DB_ALIAS)),
        ("cache", _check_cache),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # a cache server raises its own client's errors, not Django's
            checks[name] = f"unreachable: {type(exc).__name__}"
    return checks


class HealthCheckMiddleware:
    """First in MIDDLEWARE (after the request id)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse(
                {"status": 405, "code": "method_not_allowed", "detail": "GET only."}, status=405
            )
            response["Allow"] = "GET, HEAD"
            return response
        if request.path == "/healthz":
            response = JsonResponse({"status": "ok"})
        else:
            checks = readiness()
            if all(value == "ok" for value in checks.values()):
                response = JsonResponse({"status": "ready", "checks": checks})
            else:
                return unavailable("Not ready to serve.", checks=checks)
        response["Cache-Control"] = "no-store"
        return response
