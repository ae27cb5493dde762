"""Schemathesis against the served schema (/api/schema/), in process over WSGI, for four roles:
a bounded, derandomized run (a few hundred requests) that every answer is not a server error,
has a documented status code and matches the documented response schema."""

import time

import pytest
import schemathesis
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from registry.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# (role, methods, examples per operation): reads for everybody, writes for two writing roles.
PLAN = [
    ("public", {"GET"}, 2),
    ("mission_staff", {"GET"}, 2),
    ("regulator", {"GET"}, 2),
    ("auditor", {"GET"}, 2),
    ("mission_staff", {"POST", "PUT", "PATCH", "DELETE"}, 1),
    ("regulator", {"POST", "PUT", "PATCH", "DELETE"}, 1),
]
# Operations left out, and why (see the report of the branch "headers").
EXCLUDED: dict[str, str] = {}
# Known input-parsing server errors, left to the strict-parsing work (branch "input"): a 500
# whose request matches one of these is reported on the terminal, not failed. Remove an entry
# once its cause is fixed.
# - A date-time filter (audit since/until, hiring-check asked_before/after, …) with a UTC offset
#   beyond ±15:59: Python accepts it, PostgreSQL refuses it (DataError "time zone displacement
#   out of range").
# Server errors the fuzzer may still meet, each with its reason (none known now: a date-time
# offset beyond PostgreSQL's ±15:59 is converted to UTC by the shared filter).
KNOWN_INPUT_500: dict = {}
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def _connection_kept():
    """Requests go through the WSGI handler, whose request_started/finished signals close the
    database connection when it is inside a transaction (the test's); Django's test client
    turns that off for its requests, and so does this fixture."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(world, _connection_kept):
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


def _summary(exc) -> str:
    """The failure's kind and status, and the request that reproduces it."""
    lines = [line.strip() for line in str(exc).splitlines()]
    kinds = [line[2:] for line in lines if line.startswith("- ")]
    received = [line for line in lines if line.startswith("Received:")][:1]
    curl = [line for line in lines if line.startswith("curl ")][:1]
    return "; ".join(kinds + received + curl) or f"{type(exc).__name__}: {exc}"


def _known(case, response) -> str | None:
    if response.status_code == 500:
        return next((why for why, match in KNOWN_INPUT_500.items() if match(case)), None)
    return None


def _run(operation, headers, examples, known) -> list[str]:
    failures = []

    @given(case=operation.as_strategy())
    @settings(FUZZ, max_examples=examples)
    def fuzz(case):
        cache.clear()  # throttles: every example is judged on its own
        # Each example in a savepoint that is rolled back: nothing it wrote (or a failed
        # statement on PostgreSQL) reaches the next one.
        with transaction.atomic():
            try:
                response = case.call(headers=headers)
                if why := _known(case, response):
                    known.append(f"{operation.label}: {why}")
                else:
                    case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # collected: one report for the run
                failures.append(f"{operation.label}: {_summary(exc)}")
            transaction.set_rollback(True)

    fuzz()
    return failures


def test_api_conforms_to_its_schema_for_every_role(api_schema, users, capsys):
    # Called through WSGI, where nothing would decompress a gzipped answer
    # (tests/test_serving.py checks the compression).
    plain = {"Accept-Encoding": "identity"}
    headers = {"public": plain}
    for role in ("mission_staff", "regulator", "auditor"):
        headers[role] = {**plain, "Authorization": f"Token {ApiToken.issue(users[role])[1]}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    failures, known, runs, started = [], [], 0, time.perf_counter()
    for role, methods, examples in PLAN:
        for operation in operations:
            if operation.method.upper() not in methods or operation.label in EXCLUDED:
                continue
            runs += 1
            found = _run(operation, headers[role], examples, known)
            failures += [f"{role} {f}" for f in found]
    with capsys.disabled():
        print(f"\nschemathesis: {runs} operation runs in {time.perf_counter() - started:.1f}s")
        for line in dict.fromkeys(known):
            print(f"schemathesis, known (not failed): {line}")
    assert failures == [], "\n".join(dict.fromkeys(failures))  # in the order found
