"""Writing transactions: one lock order, and a retry when the database gives up on one.

Lock order. Every change is audited, and every audit entry is appended under the chain's lock
(chain.lock_chain(): a transaction-level advisory lock on PostgreSQL). So that lock is the first
one a writing transaction takes, before any row lock:

  1. the audit chain lock, at the start of the transaction;
  2. then rows, several rows of one table in ascending id order (select_for_update().order_by("id")).

Who takes it: AuditMiddleware for every writing request (POST, PUT, PATCH, DELETE) to web, API
and admin views; the services that open their own transaction (licensing.transition() and
expire_licences(), compliance.waive_finding(), each run_compliance() batch) with
write_transaction() or lock_chain() first in their atomic block. Taking it again in the same transaction costs nothing, so a service called
from a request simply finds it held. Code that writes outside these places is still safe:
chain.append() takes the lock itself if it is not held yet, but then after the rows that code
locked, which is the order that can deadlock; new writing code should use write_transaction().

Since writers take the chain lock first, they queue on it one at a time on PostgreSQL, as they
did on the chain's insert before. On SQLite, IMMEDIATE transactions do the same.

Retry. A deadlock or serialization failure that happens anyway (another lock order outside this
code, a future isolation level) rolls the whole transaction back; retried() then runs it again a
few times, with a short random pause, when it is the outermost transaction: AuditMiddleware for
writing requests, run_compliance() for each batch, expire_licences(). Only PostgreSQL's
deadlock_detected (40P01) and serialization_failure (40001) and SQLite's "database is locked"
are retried; any other error propagates at once.
"""

import contextlib
import functools
import logging
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, transaction

from . import chain, recorder

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

ATTEMPTS = 4  # the first try and three retries
BACKOFF = 0.05  # seconds; the pause before retry n is random in [0, BACKOFF * 2**n)
RETRY_SQLSTATES = {"40P01", "40001"}  # deadlock_detected, serialization_failure

try:
    from psycopg import errors as _pg_errors

    _PG_RETRYABLE: tuple[type[BaseException], ...] = (
        _pg_errors.DeadlockDetected,
        _pg_errors.SerializationFailure,
    )
except ImportError:  # SQLite-only installs
    _PG_RETRYABLE = ()


def is_retryable(exc: BaseException) -> bool:
    """True for a deadlock or serialization failure (PostgreSQL) or a locked database (SQLite),
    as raised by Django (a django.db.OperationalError caused by the driver's error)."""
    seen = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if _PG_RETRYABLE and isinstance(error, _PG_RETRYABLE):
            return True
        if getattr(error, "sqlstate", None) in RETRY_SQLSTATES:
            return True
        if isinstance(error, sqlite3.OperationalError | OperationalError) and (
            "database is locked" in str(error)
        ):
            return True
        error = error.__cause__
    return False


@contextlib.contextmanager
def write_transaction(using: str | None = None) -> Iterator[None]:
    """transaction.atomic() that takes the audit chain lock first: the start of a writing
    transaction (or a savepoint in one, where the lock is already held)."""
    with transaction.atomic(using=using):
        chain.lock_chain(using)
        yield


def retried(
    func: Callable[..., R],
    *args: Any,
    using: str | None = None,
    attempts: int = ATTEMPTS,
    on_retry: Callable[[], object] | None = None,
    **kwargs: Any,
) -> R:
    """func(*args, **kwargs), run again on a deadlock or serialization failure.

    func must open the transaction itself (e.g. with write_transaction()), so each attempt is a
    whole new transaction. Inside an outer transaction it runs once: only the outermost
    transaction can be retried, and the error goes up to whoever opened it. `on_retry()` runs
    before each new attempt, to reset what the failed one left outside the database.
    """
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if connection.in_atomic_block:
        return func(*args, **kwargs)
    for attempt in range(1, attempts + 1):
        mark = recorder.buffer_mark()
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            if attempt == attempts or not is_retryable(exc):
                raise
            recorder.buffer_rewind(mark)  # entries of the failed attempt were rolled back
            log.warning("Retrying a transaction (attempt %s of %s): %s", attempt, attempts, exc)
        time.sleep(random.uniform(0, BACKOFF * 2**attempt))  # noqa: S311 (jitter, not secrets)
        if on_retry is not None:
            on_retry()
    raise AssertionError("unreachable")  # pragma: no cover


def retrying(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator: retried(func, ...) for a function that opens its own transaction."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        options: dict[str, Any] = kwargs  # retried() takes using, attempts and on_retry from them
        return retried(func, *args, **options)

    return wrapper
