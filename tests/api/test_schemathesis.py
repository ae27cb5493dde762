"""Schemathesis against the served schema (/api/schema/), in process over WSGI, for four roles:
a bounded, derandomized run (a few hundred requests) that every answer is not a server error,
has a documented status code and matches the documented response schema."""

import time

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from api.models import ApiToken

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
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(world):
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


def _summary(exc) -> str:
    """The failure's kind and status, and the request that reproduces it."""
    lines = [line.strip() for line in str(exc).splitlines()]
    kinds = [line[2:] for line in lines if line.startswith("- ")]
    received = [line for line in lines if line.startswith("Received:")][:1]
    curl = [line for line in lines if line.startswith("curl ")][:1]
    return "; ".join(kinds + received + curl) or f"{type(exc).__name__}: {exc}"


def _run(operation, headers, examples) -> list[str]:
    failures = []

    @given(case=operation.as_strategy())
    @settings(FUZZ, max_examples=examples)
    def fuzz(case):
        cache.clear()  # throttles: every example is judged on its own
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # collected: one report for the run
            failures.append(f"{operation.label}: {_summary(exc)}")

    fuzz()
    return failures


def test_api_conforms_to_its_schema_for_every_role(api_schema, users, capsys):
    headers = {"public": {}}
    for role in ("mission_staff", "regulator", "auditor"):
        headers[role] = {"Authorization": f"Token {ApiToken.issue(users[role])[1]}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    failures, runs, started = [], 0, time.perf_counter()
    for role, methods, examples in PLAN:
        for operation in operations:
            if operation.method.upper() not in methods or operation.label in EXCLUDED:
                continue
            runs += 1
            failures += [f"{role} {f}" for f in _run(operation, headers[role], examples)]
    with capsys.disabled():
        print(f"\nschemathesis: {runs} operation runs in {time.perf_counter() - started:.1f}s")
    assert failures == [], "\n".join(sorted(set(failures)))
