import importlib
import os
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = Path("/usr/bin/chromium")


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time (each connection
    still has its thread). On SQLite the test database lives in memory and
    the server's threads share its one connection, which SQLite cannot use
    from two threads at once: a page's requests that overlap (the time-zone
    guess, a poll, a click) failed at random with "bad parameter or other
    API misuse". PostgreSQL gives each thread its own connection and keeps
    the threaded server."""

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    # A streamed answer (an export) reads the database as it goes.
                    return [b"".join(response)]
                finally:
                    response.close()

        super().set_app(one_at_a_time)


if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = (
            "Browser tests need Debian's Chromium at /usr/bin/chromium: "
            "install it with `apt-get install -y chromium`."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
            # Without this Chromium still looks up Google's update hosts; the
            # tests may only talk to loopback.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
        ],
    }


@pytest.fixture
def console_errors(page):
    """Console errors (CSP violations, failed scripts) seen during the test.

    A 422 answer is expected (a form with errors), though Chromium logs it.
    """
    errors = []

    def on_console(msg):
        if msg.type == "error" and "status of 422" not in msg.text:
            errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture(autouse=True)
def _seeded(transactional_db):
    """The seeded crew roles and stage templates, whatever ran before.

    Live-server tests flush the database when they end; serialized rollback
    should bring the migrations' seed data back, but a flush by another
    transactional test in the same session can leave it empty. The seeding is
    idempotent, so run it again."""
    from django.apps import apps

    seed = importlib.import_module("productions.migrations.0002_seed_roles_and_templates").seed
    seed(apps, None)


@pytest.fixture
def log_in(page, live_server):
    """Log a user in with a session cookie and open `path` (logging in through
    the form has its own test in test_coordinator_flow); saves a round trip."""
    from django.test import Client

    def log_in(user, path="/"):
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page.goto(live_server.url + path)
        assert "/login/" not in page.url, "not logged in"

    return log_in
