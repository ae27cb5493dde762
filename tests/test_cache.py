"""registry.cache.DatabaseCache: Django's database cache with a set() of one statement."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.cache import DatabaseCache, cull_caches

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


def test_set_never_counts_or_culls_the_table(cache):
    with CaptureQueriesContext(connection) as ctx:
        for i in range(60):
            cache.set(f"k{i}", i, 60)
    assert len(ctx) == 60  # one upsert each, however full the table
    assert entries() == 60


def test_cull_deletes_expired_entries_then_culls_past_max_entries(cache, monkeypatch):
    for i in range(12):
        cache.set(f"k{i:02}", i, 60)
    cache.set("old", "x", 1)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert cache.cull() == 1 + 6  # the expired one, then half of the 12 left
    assert entries() == 6
    assert cache.get("k11") == 11  # the last keys in key order stay


def test_cull_below_max_entries_deletes_only_expired(cache):
    for i in range(5):
        cache.set(f"k{i}", i, 60)
    assert cache.cull() == 0
    assert entries() == 5


def test_the_daily_run_culls_the_configured_database_caches(db, settings, monkeypatch):
    settings.CACHES = {
        "default": {"BACKEND": "registry.cache.DatabaseCache", "LOCATION": TABLE},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    call_command("createcachetable", TABLE, verbosity=0)
    from django.core.cache import caches

    caches["default"].set("old", "x", 1)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert cull_caches() == 1
    assert entries() == 0


def test_add_and_touch_keep_djangos_behaviour(cache):
    assert cache.add("once", 1, 60) is True
    assert cache.add("once", 2, 60) is False
    assert cache.get("once") == 1
    assert cache.touch("once", 120) is True
    assert cache.touch("absent", 120) is False
