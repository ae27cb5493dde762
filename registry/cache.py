"""The database cache (CACHE_URL=db://, the default in production) with a set() of one
statement.

Django's DatabaseCache.set() counts the whole table, then selects the key and updates or
inserts it in a transaction: five statements, for every throttled API request (DRF's throttle
reads its history and sets it on each one). Here a set is one upsert, and the table is counted
for culling on every CULL_EVERY-th set of the process instead of on each. add() and touch()
keep Django's code.
"""

import base64
import datetime as dt
import pickle
from itertools import count

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils import timezone

CULL_EVERY = 50


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        self.table_name = table
        self._sets = count()

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
            if next(self._sets) % CULL_EVERY == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                entries = cursor.fetchone()[0]
                if entries > self._max_entries:
                    self._cull(  # type: ignore[attr-defined]  # Django's, untyped
                        db, cursor, timezone.now().replace(microsecond=0), entries
                    )
            key_col, value_col, expires_col = (quote(c) for c in ("cache_key", "value", "expires"))
            # PostgreSQL and SQLite (3.24+) both take this upsert as written.
            cursor.execute(
                f"INSERT INTO {table} ({key_col}, {value_col}, {expires_col}) VALUES (%s, %s, %s)"
                f" ON CONFLICT ({key_col}) DO UPDATE"
                f" SET {value_col} = EXCLUDED.{value_col}, {expires_col} = EXCLUDED.{expires_col}",
                [key, encoded, stored_expires],
            )
