"""The database down (issue 14, part 4): a 503 with Retry-After that says the
change was not saved, one log line per failed request, and serving again on
the next request once the database is back. The database is made really
unreachable for the connection: a closed port on PostgreSQL, a path that
cannot be opened on SQLite."""

import logging
from contextlib import contextmanager

import pytest
from django.db import connection
from pytest_django.asserts import assertContains

from tests.conftest import HTMX, client_for
from tests.factories import MembershipFactory, ProductionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

UNAVAILABLE = "your last change was not saved"


class Outage:
    """The default connection's next connect fails, as with the server stopped."""

    def start(self):
        settings = connection.settings_dict
        if connection.vendor == "sqlite":
            # The test database lives in this connection (in memory): keep it
            # aside, and let the next connect try a file that cannot be opened.
            self.kept, self.name = connection.connection, settings["NAME"]
            connection.connection = None
            settings["NAME"] = "/nonexistent-directory/unreachable.sqlite3"
        else:
            self.port = settings["PORT"]
            connection.close()
            settings["PORT"] = "1"  # nothing listens there

    def stop(self):
        connection.close()
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"], connection.connection = self.name, self.kept
        else:
            connection.settings_dict["PORT"] = self.port


@contextmanager
def database_unreachable():
    outage = Outage()
    outage.start()
    try:
        yield
    finally:
        outage.stop()


@pytest.fixture
def member():
    production = ProductionFactory()
    user = UserFactory()
    MembershipFactory(production=production, user=user, level=30)
    client = client_for(user)
    # Answer as a server would, rather than raise the error into the test.
    client.raise_request_exception = False
    return client, production


def problems(caplog):
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_a_page_answers_503_with_retry_after_when_the_database_is_down(member, caplog):
    client, production = member

    with database_unreachable(), caplog.at_level(logging.INFO):
        response = client.get(production.get_absolute_url())

    assertContains(response, UNAVAILABLE, status_code=503)
    assert response["Retry-After"] == "5"
    assert [record.name for record in problems(caplog)] == ["productions.database"]
    assert "Traceback" not in caplog.text


def test_a_write_answers_503_and_one_log_line(member, caplog):
    client, production = member

    with database_unreachable(), caplog.at_level(logging.INFO):
        response = client.post(
            f"/productions/{production.slug}/members/add/", {"who": "x", "level": "10"}
        )

    assertContains(response, UNAVAILABLE, status_code=503)
    [record] = problems(caplog)
    assert record.exc_info is None
    assert "Database unavailable (OperationalError" in record.getMessage()


def test_an_htmx_request_gets_the_503_too(member, caplog):
    client, production = member

    with database_unreachable(), caplog.at_level(logging.INFO):
        response = client.get(production.get_absolute_url(), **HTMX)

    assert response.status_code == 503
    assert len(problems(caplog)) == 1


def test_a_failure_inside_the_view_answers_503(member, caplog, monkeypatch):
    """The session and user load, then the database goes: the view's own
    query fails (DatabaseUnavailableMiddleware.process_exception)."""
    client, production = member
    from productions.views import members

    outage = Outage()

    def down(*args, **kwargs):
        outage.start()
        connection.ensure_connection()

    monkeypatch.setattr(members, "members_context", down)
    try:
        with caplog.at_level(logging.INFO):
            response = client.get(f"/productions/{production.slug}/members/")
    finally:
        outage.stop()

    assertContains(response, UNAVAILABLE, status_code=503)
    assert response["Retry-After"] == "5"
    assert len(problems(caplog)) == 1


def test_it_serves_again_as_soon_as_the_database_is_back(member):
    client, production = member
    with database_unreachable():
        assert client.get(production.get_absolute_url()).status_code == 503

    response = client.get(production.get_absolute_url())

    assert response.status_code == 200


def test_the_503_page_needs_nothing_from_the_database(member):
    client, _ = member

    with database_unreachable():
        response = client.get("/no-such-page/")

    assert response.status_code == 503
    assert b"<title>Briefly unavailable" in response.content


def test_health_answers_200_without_a_login_while_the_database_answers(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_answers_503_while_the_database_is_down(client, caplog):
    with database_unreachable():
        response = client.get("/health/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.content == b"database unavailable\n"


def test_health_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/").status_code == 200
    assert client.get("/login/").status_code == 301
