"""The one maintenance path past the TRUNCATE trigger (migration 0004): for the tables' owner.

`SET LOCAL registry.audit_maintenance = 'on'` lets the owner of the audit tables (or a superuser)
TRUNCATE them in that transaction. Anyone may set the variable, but the trigger also requires
the current role to have the owner's rights, and the owner could disable the trigger anyway:
this bypass adds no power. The application's role, which must not own the tables, gets nothing
from it (it lacks the TRUNCATE privilege before any trigger runs).

Used by the test suite only: pytest-django's transactional tests end with Django's flush, one
TRUNCATE of every table. Never call it from application code.
"""

import functools
from collections.abc import Iterable

SET_MAINTENANCE = "SET LOCAL registry.audit_maintenance = 'on'"


def allow_flush() -> None:
    """Make Django's flush on PostgreSQL (one transaction) set the variable first. Idempotent."""
    from django.db.backends.base.operations import BaseDatabaseOperations
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush
    if getattr(original, "_audit_maintenance", False):
        return

    @functools.wraps(original)
    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
        return original(self, [SET_MAINTENANCE, *sql_list])

    # mypy types neither attributes set on a function nor a method patched on its class.
    execute_sql_flush._audit_maintenance = True  # type: ignore[attr-defined]
    DatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
