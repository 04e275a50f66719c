"""DB_PREPARE (psycopg's automatic prepare), DISABLE_SERVER_SIDE_CURSORS and
REDIS_URL: read from the environment (a fresh Python per case, as settings
are read once per process), and what the running suite uses."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from productions.models import Production

ROOT = Path(__file__).resolve().parent.parent
POSTGRESQL = "postgres://bts@db.example.com:5432/bts"
OURS = ("DATABASE_URL", "DB_PREPARE", "DB_PREPARE_THRESHOLD", "DISABLE_SERVER_SIDE_CURSORS")

PRINT = """
import json
import django
from django.conf import settings
from django.core.cache import caches
django.setup()
database = settings.DATABASES["default"]
print(json.dumps({
    "DB_PREPARE": settings.DB_PREPARE,
    "OPTIONS": database.get("OPTIONS", {}),
    "DISABLE_SERVER_SIDE_CURSORS": database["DISABLE_SERVER_SIDE_CURSORS"],
    "CACHES": settings.CACHES,
    "cache": type(caches["default"]).__module__ + "." + type(caches["default"]).__name__,
}))
"""


def settings_with(**env):
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in (*OURS, "REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environ |= {"DJANGO_SETTINGS_MODULE": "bts_tracker.settings", "SECRET_KEY": "x", **env}
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# DB_PREPARE


def test_postgresql_prepares_statements_by_default():
    found = settings_with(DATABASE_URL=POSTGRESQL)

    assert found["DB_PREPARE"] is True
    assert found["OPTIONS"]["server_side_binding"] is True
    assert found["OPTIONS"]["prepare_threshold"] == 5
    assert found["DISABLE_SERVER_SIDE_CURSORS"] is False


@pytest.mark.parametrize("value", ["off", "0", "false", "no"])
def test_db_prepare_off_leaves_binding_and_preparing_to_the_client(value):
    found = settings_with(DATABASE_URL=POSTGRESQL, DB_PREPARE=value)

    assert found["DB_PREPARE"] is False
    assert "server_side_binding" not in found["OPTIONS"]
    assert "prepare_threshold" not in found["OPTIONS"]


def test_pgbouncer_in_transaction_pooling_turns_both_off():
    found = settings_with(
        DATABASE_URL=POSTGRESQL, DB_PREPARE="off", DISABLE_SERVER_SIDE_CURSORS="on"
    )

    assert found["DB_PREPARE"] is False
    assert "prepare_threshold" not in found["OPTIONS"]
    assert found["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_the_prepare_threshold_comes_from_the_environment():
    found = settings_with(DATABASE_URL=POSTGRESQL, DB_PREPARE_THRESHOLD="0")

    assert found["OPTIONS"]["prepare_threshold"] == 0


def test_sqlite_has_nothing_to_prepare():
    found = settings_with(DB_PREPARE="on")

    assert found["DB_PREPARE"] is False
    assert found["OPTIONS"] == {}


@pytest.mark.parametrize(
    ("name", "value"), [("DB_PREPARE", "sometimes"), ("DB_PREPARE_THRESHOLD", "-1")]
)
def test_it_refuses_to_start_with_a_prepare_setting_it_cannot_read(name, value):
    environ = {k: v for k, v in os.environ.items() if k not in OURS}
    environ |= {"DATABASE_URL": POSTGRESQL, "SECRET_KEY": "x", name: value}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "bts_tracker.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert name in result.stderr


@pytest.mark.django_db
def test_the_suite_runs_with_the_setting_it_was_given():
    """On PostgreSQL the suite runs as deployed: DB_PREPARE on unless the
    environment turns it off (the PgBouncer run does)."""
    expected = connection.vendor == "postgresql" and os.getenv("DB_PREPARE", "on") in (
        "1",
        "true",
        "yes",
        "on",
    )
    assert settings.DB_PREPARE is expected
    binding = getattr(connection.features, "uses_server_side_binding", False)
    assert binding is expected


@pytest.mark.django_db
def test_a_query_sent_often_is_prepared_on_its_connection():
    if not settings.DB_PREPARE:
        pytest.skip("DB_PREPARE is off (or the database is SQLite): nothing is prepared")
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    for _ in range(threshold + 1):
        list(Production.objects.filter(slug="prepared-once").values_list("pk"))

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        statements = [row[0] for row in cursor.fetchall()]
    # Prepared at the protocol level (not by SQL PREPARE), with the slug a
    # parameter: the same statement serves every slug.
    assert any('"slug" = $1' in statement for statement in statements), statements


# REDIS_URL


def test_the_cache_is_local_memory_without_redis_url():
    found = settings_with()

    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    # Room for a busy office's cached cards (Django's default is 300).
    assert found["CACHES"]["default"]["OPTIONS"]["MAX_ENTRIES"] == 20000


def test_the_cache_is_redis_with_redis_url():
    found = settings_with(REDIS_URL="redis://cache.example.com:6379/2")

    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["CACHES"]["default"]["LOCATION"] == "redis://cache.example.com:6379/2"


def test_the_redis_cache_stores_and_reads_back():
    """Through a real Redis (the one REDIS_URL_FOR_TESTS names, else the
    local one), when one answers: the client library is installed."""
    url = os.getenv("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")
    key = f"bts-test-{uuid.uuid4()}"
    code = f"""
import django
django.setup()
from django.core.cache import cache
try:
    cache.set({key!r}, {{"live_version": 7}}, 30)
except Exception as exc:
    print("unreachable", type(exc).__name__)
else:
    print(cache.get({key!r}))
    cache.delete({key!r})
"""
    environ = {
        **{k: v for k, v in os.environ.items() if k not in OURS},
        "DJANGO_SETTINGS_MODULE": "bts_tracker.settings",
        "SECRET_KEY": "x",
        "REDIS_URL": url,
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr  # redis-py is installed
    if result.stdout.startswith("unreachable ConnectionError"):
        pytest.skip(f"no Redis at {url}")
    assert result.stdout.strip() == "{'live_version': 7}"


def test_the_tests_use_local_memory():
    """A Redis shared by parallel test workers (each with its own database)
    would hand one worker's entries to another: tests/env.py drops REDIS_URL."""
    assert type(caches["default"]).__name__ == "LocMemCache"
