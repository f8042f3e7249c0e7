"""The embedded default cache is a database table shared by every process of the
machine; its incr is atomic and keeps the entry's expiry (a rate-limit window)."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

DB_CACHE = {
    "default": {"BACKEND": "ebok.core.cache.DatabaseCache", "LOCATION": "ebok_cache_test"},
}


@pytest.fixture
def db_cache(transactional_db):
    with override_settings(CACHES=DB_CACHE):
        call_command("createcachetable", verbosity=0)
        cache = caches.create_connection("default")
        yield cache
        cache.clear()


def expiry_of(cache, key):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM ebok_cache_test WHERE cache_key = %s",
            [cache.make_key(key)],
        )
        return cursor.fetchone()[0]


def test_migrate_creates_the_cache_table_when_the_default_cache_is_the_database(
    transactional_db,
):
    with override_settings(CACHES=DB_CACHE):
        call_command("migrate", "core", verbosity=0)
        assert "ebok_cache_test" in connection.introspection.table_names()


def test_incr_counts_and_keeps_the_windows_end(db_cache):
    assert db_cache.add("remarks:192.0.2.1", 1, 3600)
    before = expiry_of(db_cache, "remarks:192.0.2.1")
    assert db_cache.incr("remarks:192.0.2.1") == 2
    assert db_cache.incr("remarks:192.0.2.1", 3) == 5
    assert db_cache.get("remarks:192.0.2.1") == 5
    # Django's own incr would have set the default 300 s timeout here.
    assert expiry_of(db_cache, "remarks:192.0.2.1") == before
    expires = before if isinstance(before, datetime) else parse_datetime(before)
    if timezone.is_naive(expires):
        expires = expires.replace(tzinfo=UTC)
    assert expires - timezone.now() > timedelta(minutes=59)


def test_incr_of_a_missing_or_expired_key_raises_value_error(db_cache):
    with pytest.raises(ValueError):
        db_cache.incr("never-set")
    db_cache.set("gone", 1, -1)
    with pytest.raises(ValueError):
        db_cache.incr("gone")


def test_concurrent_increments_are_all_counted(db_cache, settings):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        # Shared in-memory SQLite: threads share one connection; the gunicorn test in
        # tests/deploy proves the file database across processes.
        pytest.skip("threads share the in-memory SQLite connection")
    db_cache.add("n", 0, 3600)
    errors = []

    def work():
        try:
            for _ in range(10):
                caches["default"].incr("n")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db_cache.get("n") == 40


def settings_in_a_fresh_process(**env) -> dict:
    """CACHES and SESSION_ENGINE as ebok/settings.py builds them from `env`."""
    import json
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
    environment.update(env, DJANGO_SETTINGS_MODULE="ebok.settings")
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings; "
            "print(json.dumps([settings.CACHES['default'], settings.SESSION_ENGINE]))",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    cache_settings, session_engine = json.loads(out)
    return {"cache": cache_settings, "sessions": session_engine}


def test_without_cache_url_the_cache_is_the_shared_database_table():
    found = settings_in_a_fresh_process()
    assert found["cache"]["BACKEND"] == "ebok.core.cache.DatabaseCache"
    assert found["cache"]["LOCATION"] == "ebok_cache"
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"


@pytest.mark.parametrize("url", ["redis://10.0.0.7:6379/3", "rediscache://10.0.0.7:6379/3"])
def test_a_redis_cache_url_uses_djangos_own_redis_backend(url):
    found = settings_in_a_fresh_process(CACHE_URL=url, EBOK_CACHE_KEY_PREFIX="ebok-test")
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache"]["LOCATION"] == "redis://10.0.0.7:6379/3"
    assert found["cache"]["KEY_PREFIX"] == "ebok-test"
