"""Deployment settings from the environment, and the headers they produce.

Settings are read once per process, so the environment cases run a fresh Python.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent

# What a deployment behind HTTPS sets; the README lists exactly these.
DEPLOYMENT = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Jq2-not-a-real-key-but-long-and-varied-enough-9fK3pL0zR8wT5vB1nM6c",
    "ALLOWED_HOSTS": "bts.example.com",
    "SECURE_SSL_REDIRECT": "1",
    "SESSION_COOKIE_SECURE": "1",
    "CSRF_COOKIE_SECURE": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}

PRINT_SETTINGS = """
import json, sys
import django
from django.conf import settings
from django.core.mail import mailers
django.setup()
mailer = mailers.default
print(json.dumps({
    **{name: getattr(settings, name) for name in sys.argv[1:]},
    "mailer": type(mailer).__module__,
    "mail": {k: getattr(mailer, k, None) for k in ("host", "port", "username", "use_tls")},
}))
"""


def run(args, **env):
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
        and not name.startswith(("SECURE_", "SESSION_", "EMAIL_", "CSRF_", "AXES_"))
    }
    environ |= {"DJANGO_SETTINGS_MODULE": "bts_tracker.settings", **env}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_with(*names, **env):
    result = run(["-c", PRINT_SETTINGS, *names], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def check_deploy(**env):
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)


# manage.py check --deploy


def test_check_deploy_finds_nothing_to_warn_about_with_the_deployment_variables():
    result = check_deploy(**DEPLOYMENT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("left_out", "warning"),
    [
        ("SECURE_HSTS_SECONDS", "security.W004"),
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "security.W005"),
        ("SECURE_HSTS_PRELOAD", "security.W021"),
        ("SECURE_SSL_REDIRECT", "security.W008"),
        ("SESSION_COOKIE_SECURE", "security.W012"),
        ("CSRF_COOKIE_SECURE", "security.W016"),
    ],
)
def test_check_deploy_warns_without_each_deployment_variable(left_out, warning):
    env = {name: value for name, value in DEPLOYMENT.items() if name != left_out}

    result = check_deploy(**env)

    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


# Strict reading of the environment


@pytest.mark.parametrize("value", ["ture", "2", "enabled", "y e s"])
def test_it_refuses_to_start_with_a_yes_no_variable_it_cannot_read(value):
    result = run(["-c", "import django; django.setup()"], DEBUG="1", SESSION_COOKIE_SECURE=value)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SESSION_COOKIE_SECURE" in result.stderr


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "on", " On "])
def test_it_reads_yes(value):
    settings = settings_with("SECURE_HSTS_PRELOAD", DEBUG="1", SECURE_HSTS_PRELOAD=value)

    assert settings["SECURE_HSTS_PRELOAD"] is True


@pytest.mark.parametrize("value", ["0", "false", "no", "off", ""])
def test_it_reads_no(value):
    settings = settings_with("SECURE_HSTS_PRELOAD", DEBUG="1", SECURE_HSTS_PRELOAD=value)

    assert settings["SECURE_HSTS_PRELOAD"] is False


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECURE_HSTS_SECONDS", "a year"),
        ("SECURE_HSTS_SECONDS", "-1"),
        ("SESSION_COOKIE_AGE", "1.5"),
        ("SESSION_COOKIE_AGE", "10"),
        ("AXES_FAILURE_LIMIT", "0"),
        ("EMAIL_PORT", "smtp"),
    ],
)
def test_it_refuses_to_start_with_a_number_it_cannot_use(name, value):
    result = run(["-c", "import django; django.setup()"], **(DEPLOYMENT | {name: value}))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_it_is_plain_http_without_the_deployment_variables():
    settings = settings_with(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        DEBUG="1",
    )

    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["CSRF_COOKIE_SECURE"] is False


# Sessions


def test_sessions_last_two_weeks_by_default():
    settings = settings_with("SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", DEBUG="1")

    assert settings["SESSION_COOKIE_AGE"] == 14 * 24 * 60 * 60
    assert settings["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is False


def test_session_length_comes_from_the_environment():
    settings = settings_with(
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        DEBUG="1",
        SESSION_COOKIE_AGE="3600",
        SESSION_EXPIRE_AT_BROWSER_CLOSE="1",
    )

    assert settings["SESSION_COOKIE_AGE"] == 3600
    assert settings["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("age", [3600, 14 * 24 * 60 * 60])
def test_the_session_cookie_expires(client, user, settings, age):
    settings.SESSION_COOKIE_AGE = age

    response = client.post(reverse("login"), {"username": "coordinator", "password": "password"})

    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == age


@pytest.mark.django_db
def test_the_session_cookie_can_end_with_the_browser(client, user, settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True

    response = client.post(reverse("login"), {"username": "coordinator", "password": "password"})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert (cookie["max-age"], cookie["expires"]) == ("", "")


# Mail


def test_mail_is_printed_when_debugging():
    settings = settings_with(DEBUG="1")

    assert settings["mailer"] == "django.core.mail.backends.console"


def test_mail_goes_out_by_smtp_as_configured():
    settings = settings_with(
        "DEFAULT_FROM_EMAIL",
        "SERVER_EMAIL",
        **DEPLOYMENT,
        EMAIL_HOST="smtp.example.com",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="bts",
        EMAIL_HOST_PASSWORD="pw",
        EMAIL_USE_TLS="0",
        DEFAULT_FROM_EMAIL="BTS <bts@example.com>",
    )

    assert settings["mailer"] == "django.core.mail.backends.smtp"
    assert settings["mail"] == {
        "host": "smtp.example.com",
        "port": 2525,
        "username": "bts",
        "use_tls": False,
    }
    assert settings["DEFAULT_FROM_EMAIL"] == settings["SERVER_EMAIL"] == "BTS <bts@example.com>"


def test_mail_uses_tls_by_default():
    settings = settings_with(**DEPLOYMENT, EMAIL_HOST="smtp.example.com")

    assert settings["mail"]["use_tls"] is True
    assert settings["mail"]["port"] == 587


# Headers


def test_it_sends_hsts_over_https_when_configured():
    env = DEPLOYMENT | {"ALLOWED_HOSTS": "testserver"}
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/', secure=True);"
        "print(r.status_code, r.headers['Strict-Transport-Security'])"
    )

    result = run(["-c", code], **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["302", "max-age=31536000;", "includeSubDomains;", "preload"]


@pytest.mark.django_db
def test_it_sends_a_permissions_policy(client):
    policy = client.get(reverse("login"))["Permissions-Policy"]

    features = dict(part.strip().split("=") for part in policy.split(","))
    assert features["camera"] == features["microphone"] == features["geolocation"] == "()"


@pytest.mark.django_db
def test_the_permissions_policy_comes_from_settings(settings):
    settings.PERMISSIONS_POLICY = "camera=(self)"

    assert Client().get(reverse("login"))["Permissions-Policy"] == "camera=(self)"


@pytest.mark.django_db
def test_an_empty_permissions_policy_sends_no_header(settings):
    settings.PERMISSIONS_POLICY = ""

    assert "Permissions-Policy" not in Client().get(reverse("login"))


def test_the_permissions_policy_comes_from_the_environment():
    settings = settings_with("PERMISSIONS_POLICY", DEBUG="1", PERMISSIONS_POLICY="usb=()")

    assert settings["PERMISSIONS_POLICY"] == "usb=()"


# No caching of pages shown to a logged-in user


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", [reverse("production_list"), "/productions/no-such-production/", "/admin/"]
)
def test_pages_for_a_logged_in_user_are_never_stored(admin_client, url):
    response = admin_client.get(url)

    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.django_db
def test_the_page_after_logging_in_is_never_stored(client, user):
    response = client.post(reverse("login"), {"username": "coordinator", "password": "password"})

    assert response.status_code == 302
    assert {"private", "no-store"} <= cache_control(response)


def test_anonymous_answers_are_not_marked_private(client):
    response = client.get("/favicon.ico")

    assert "private" not in cache_control(response)


@pytest.mark.django_db
def test_static_files_stay_cacheable_for_a_logged_in_user(settings, user):
    # WhiteNoise serves static files before the session is even read.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(user)

    response = client.get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in cache_control(response)
    assert re.search(r"max-age=\d+", response["Cache-Control"])
