"""registry.cache.DatabaseCache: Django's database cache with a set() of one statement."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import cache as registry_cache
from registry.cache import CULL_EVERY, DatabaseCache

TABLE = "test_lean_cache"


@pytest.fixture
def cache(db):
    call_command("createcachetable", TABLE, verbosity=0)
    return DatabaseCache(TABLE, {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})


def entries() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def test_set_inserts_then_replaces(cache):
    cache.set("history", [1.5, 2.5], 60)
    cache.set("history", [3.5], 60)
    assert cache.get("history") == [3.5]
    assert entries() == 1


def test_a_set_after_the_first_is_one_statement(cache):
    cache.set("warm", 1)
    with CaptureQueriesContext(connection) as ctx:
        cache.set("history", [1.0], 60)
    assert len(ctx) == 1
    assert "ON CONFLICT" in ctx.captured_queries[0]["sql"]


def test_expired_values_read_as_missing(cache, monkeypatch):
    cache.set("gone", "x", 60)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61)
    monkeypatch.setattr("django.core.cache.backends.db.tz_now", lambda: later)
    assert cache.get("gone", "missing") == "missing"


def test_no_timeout_keeps_the_value(cache):
    cache.set("forever", "x", None)
    assert cache.get("forever") == "x"


def test_the_table_is_culled_past_max_entries(cache, monkeypatch):
    monkeypatch.setattr(registry_cache, "CULL_EVERY", 1)
    for i in range(11):
        cache.set(f"k{i}", i, 60)
    assert entries() == 11  # counted before the 11th insert: 10 is not past the maximum
    cache.set("k11", 11, 60)
    assert entries() <= 7  # half of the 11 culled, then one inserted


def test_culling_is_checked_every_cull_every_sets(cache):
    with CaptureQueriesContext(connection) as ctx:
        for i in range(CULL_EVERY + 1):
            cache.set(f"k{i}", i, 60)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counts) == 2  # on the first set and on the (CULL_EVERY + 1)-th


def test_add_and_touch_keep_djangos_behaviour(cache):
    assert cache.add("once", 1, 60) is True
    assert cache.add("once", 2, 60) is False
    assert cache.get("once") == 1
    assert cache.touch("once", 120) is True
    assert cache.touch("absent", 120) is False
