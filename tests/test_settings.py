"""Settings are read once per process, so each case starts a fresh Python."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "NAME": settings.DATABASES["default"]["NAME"],
    "HOST": settings.DATABASES["default"]["HOST"],
}))
"""


def run(code, **env):
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")
    }
    environ |= {"DJANGO_SETTINGS_MODULE": "bts_tracker.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_with(**env):
    result = run(PRINT_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_refuses_to_start_without_a_secret_key_when_not_debugging():
    result = run("import django; django.setup()", DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_to_start_without_a_secret_key_by_default():
    result = run("import django; django.setup()")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_starts_without_a_secret_key_when_debugging():
    result = run("import django; django.setup()", DEBUG="1")

    assert result.returncode == 0, result.stderr


def test_it_uses_a_development_key_when_debugging():
    settings = settings_with(DEBUG="1")

    assert settings["DEBUG"] is True
    assert settings["SECRET_KEY"]


def test_it_uses_the_given_secret_key():
    settings = settings_with(DEBUG="0", SECRET_KEY="s3cret-from-env")

    assert settings["DEBUG"] is False
    assert settings["SECRET_KEY"] == "s3cret-from-env"


def test_it_uses_sqlite_without_a_database_url():
    settings = settings_with(DEBUG="1")

    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["NAME"].endswith("db.sqlite3")


def test_it_uses_postgresql_from_the_database_url():
    settings = settings_with(DEBUG="1", DATABASE_URL="postgres://u@h:5432/db")

    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert (settings["HOST"], settings["NAME"]) == ("h", "db")


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on"])
def test_it_reads_debug_from_the_environment(value):
    assert settings_with(DEBUG=value, SECRET_KEY="x")["DEBUG"] is True
