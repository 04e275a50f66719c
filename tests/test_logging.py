"""A 403 or 404 is logged as one line, without a traceback (issue 14, part 5)."""

import logging

import pytest
from django.core.exceptions import PermissionDenied

from bts_tracker.log_filters import SkipServerLineFor403And404
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def warnings_and_worse(caplog):
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.mark.parametrize("debug", [False, True])
def test_a_404_is_one_line_without_a_traceback(logged_in, caplog, settings, debug):
    settings.DEBUG = debug
    with caplog.at_level(logging.INFO):
        response = logged_in.get("/productions/no-such-production/")

    assert response.status_code == 404
    [record] = warnings_and_worse(caplog)
    assert record.getMessage() == "Not Found: /productions/no-such-production/"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("debug", [False, True])
def test_a_403_is_one_line_without_a_traceback(production, viewer, caplog, settings, debug):
    settings.DEBUG = debug
    with caplog.at_level(logging.INFO):
        response = client_for(viewer).get(f"/productions/{production.slug}/edit/")

    assert response.status_code == 403
    [record] = warnings_and_worse(caplog)
    assert record.getMessage().startswith("Forbidden (")
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_the_filter_keeps_a_500s_traceback():
    from bts_tracker.log_filters import OneLineFor403And404

    try:
        raise PermissionDenied("x")
    except PermissionDenied:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, "", 0, "boom", (), exc_info)
    record.status_code = 500

    assert OneLineFor403And404().filter(record)
    assert record.exc_info is exc_info


@pytest.mark.parametrize(("status", "kept"), [(403, False), (404, False), (200, True), (500, True)])
def test_runservers_access_line_is_left_to_django_request_for_403_and_404(status, kept):
    record = logging.LogRecord(
        "django.server", logging.WARNING, "", 0, '"GET / HTTP/1.1" %s', (status,), None
    )
    record.status_code = status

    assert SkipServerLineFor403And404().filter(record) is kept


def test_django_records_are_printed_once(settings):
    """Django's own console handler (DEBUG) would print each record after the root's."""
    django = settings.LOGGING["loggers"]["django"]

    assert django["handlers"] == ["console"]
    assert django["propagate"] is False
