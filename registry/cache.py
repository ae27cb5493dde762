"""The database cache (CACHE_URL=db://, the default in production) with a set() of one
statement.

Django's DatabaseCache.set() counts the whole table, then selects the key and updates or
inserts it in a transaction: five statements, for every throttled API request (DRF's throttle
reads its history and sets it on each one). Here a set is one upsert and nothing else, so a
request's queries do not depend on how many came before it; the table is culled out of requests
by cull() (`manage.py daily`, cull_caches()). add() and touch() keep Django's code.
"""

import base64
import datetime as dt
import pickle

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils import timezone


def cull_caches() -> int:
    """Cull every configured DatabaseCache; returns how many entries were deleted."""
    return sum(
        backend.cull()
        for alias in settings.CACHES
        if isinstance(backend := caches[alias], DatabaseCache)
    )


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        self.table_name = table

    def cull(self) -> int:
        """Delete the expired entries, then, if more than MAX_ENTRIES are left, the first
        1/CULL_FREQUENCY of them in key order (Django's rule, as its set() applies it).
        Returns how many entries were deleted."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self.table_name)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            before = cursor.fetchone()[0]
            self._cull(  # type: ignore[attr-defined]  # Django's, untyped
                db, cursor, timezone.now().replace(microsecond=0), before
            )
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            return before - cursor.fetchone()[0]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        seconds = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self.table_name)
        if seconds is None:
            expires = dt.datetime.max
        else:
            expires = dt.datetime.fromtimestamp(seconds, tz=dt.UTC if settings.USE_TZ else None)
        stored_expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        with connection.cursor() as cursor:
            key_col, value_col, expires_col = (quote(c) for c in ("cache_key", "value", "expires"))
            # PostgreSQL and SQLite (3.24+) both take this upsert as written.
            cursor.execute(
                f"INSERT INTO {table} ({key_col}, {value_col}, {expires_col}) VALUES (%s, %s, %s)"
                f" ON CONFLICT ({key_col}) DO UPDATE"
                f" SET {value_col} = EXCLUDED.{value_col}, {expires_col} = EXCLUDED.{expires_col}",
                [key, encoded, stored_expires],
            )
