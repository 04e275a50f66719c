"""Login throttling (django-axes), safe redirects after login, logout by POST only."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from bts_tracker.middleware import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
LIMIT = 5


@pytest.fixture(autouse=True)
def _axes_as_configured(settings):
    # Pinned here so these tests keep meaning the same if the defaults change.
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def log_in(client, username="coordinator", password="password", address="10.0.0.1", **data):
    return client.post(
        LOGIN, {"username": username, "password": password, **data}, REMOTE_ADDR=address
    )


def fail(client, times, **kwargs):
    for _ in range(times):
        log_in(client, password="wrong", **kwargs)


def test_it_locks_an_account_after_too_many_failures(client, user):
    fail(client, LIMIT)

    response = log_in(client)

    assertContains(response, "Too many failed logins", status_code=429)
    assertContains(response, "paused for 15 minutes", status_code=429)
    assert SESSION_KEY not in client.session


def test_it_says_so_on_the_failure_that_reaches_the_limit(client, user):
    fail(client, LIMIT - 1)

    response = log_in(client, password="wrong")

    assertContains(response, "Too many failed logins", status_code=429)


def test_it_lets_a_user_log_in_after_fewer_failures(client, user):
    fail(client, LIMIT - 1)

    response = log_in(client)

    assertRedirects(response, reverse("my_work"), fetch_redirect_response=False)
    assert client.session[SESSION_KEY] == str(user.pk)


def test_it_locks_an_account_whatever_address_the_attempts_come_from(client, user):
    for n in range(LIMIT):
        log_in(client, password="wrong", address=f"10.0.1.{n}")

    assert log_in(client, address="10.0.2.1").status_code == 429
    UserFactory(username="someone")
    assert log_in(client, username="someone", address="10.0.2.1").status_code == 302


def test_it_locks_an_address_whatever_accounts_it_tries(client, user):
    for n in range(LIMIT):
        log_in(client, username=f"guess{n}", password="wrong", address="10.0.3.1")

    assert log_in(client, address="10.0.3.1").status_code == 429
    assert log_in(client, address="10.0.3.2").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, user):
    fail(client, LIMIT)
    assert log_in(client).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = log_in(client)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_the_lockout_lasts_through_the_cool_off(client, user):
    fail(client, LIMIT)

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))

    assert log_in(client).status_code == 429


def test_a_successful_login_forgets_earlier_failures(client, user):
    fail(client, LIMIT - 1)
    log_in(client)
    client.post(reverse("logout"))

    fail(client, LIMIT - 1)

    assert log_in(client).status_code == 302


def test_the_admin_login_is_throttled_too(client):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    for _ in range(LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "boss", "password": "wrong"},
            REMOTE_ADDR="10.0.4.1",
        )

    response = log_in(client, username="boss", address="10.0.4.2")

    assert response.status_code == 429


def test_the_lockout_page_has_no_inline_style(client, user):
    fail(client, LIMIT)

    response = log_in(client)

    assertNotContains(response, "style=", status_code=429)
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_cool_off_is_not_permanent():
    # django-axes locks out for good when AXES_COOLOFF_TIME is None.
    from bts_tracker import settings as project

    cool_off, parameters = project.AXES_COOLOFF_TIME, project.AXES_LOCKOUT_PARAMETERS
    assert cool_off == timedelta(minutes=15)
    assert parameters == [["username"], ["ip_address"]]
    assert project.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


# The address failures are counted against


def test_it_counts_by_the_connecting_address(settings):
    settings.BEHIND_HTTPS_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.5.1", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert client_ip(request) == "10.0.5.1"


@pytest.mark.parametrize(
    ("forwarded", "address"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", "203.0.113.7"),
        ("6.6.6.6,203.0.113.7 ", "203.0.113.7"),
        ("", "10.0.5.1"),
    ],
)
def test_behind_the_proxy_it_counts_by_the_address_the_proxy_saw(settings, forwarded, address):
    settings.BEHIND_HTTPS_PROXY = True
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.5.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == address


# Where a login leads


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https:evil.example",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        " https://evil.example/",
    ],
)
def test_it_never_sends_a_user_to_another_site_after_logging_in(client, user, next_url):
    response = log_in(client, next=next_url)

    assertRedirects(response, reverse("my_work"), fetch_redirect_response=False)


def test_it_never_sends_a_user_to_another_site_from_the_login_link(client, user):
    page = client.get(LOGIN, {"next": "https://evil.example/"})
    assertNotContains(page, "evil.example")

    response = log_in(client, next="https://evil.example/")

    assert response.url == reverse("my_work")


def test_it_goes_to_the_page_asked_for_on_this_site(client, user):
    response = log_in(client, next="/productions/new/?kind=concert")

    assertRedirects(response, "/productions/new/?kind=concert", fetch_redirect_response=False)


# Logging out


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_it_logs_out_only_by_post(logged_in, method):
    response = getattr(logged_in, method)(reverse("logout"))

    assert response.status_code == 405
    assert SESSION_KEY in logged_in.session


def test_it_needs_the_csrf_token_to_log_out(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("logout"))

    assert response.status_code == 403
    assert SESSION_KEY in client.session


def test_it_logs_out_by_post(logged_in):
    response = logged_in.post(reverse("logout"))

    assertRedirects(response, LOGIN, fetch_redirect_response=False)
    assert SESSION_KEY not in logged_in.session


@pytest.mark.parametrize("length", [256, 1000, 10_000])
def test_it_counts_failures_for_a_username_longer_than_axes_can_store(client, length):
    # django-axes keeps at most 255 characters; PostgreSQL refuses more (a 500).
    username = "a" * length

    for _ in range(LIMIT):
        response = log_in(client, username=username, password="wrong")

    assert response.status_code == 429
    assert AccessAttempt.objects.get().username == "a" * 255


def test_it_counts_failures_for_a_username_with_any_characters(client):
    for _ in range(LIMIT):
        response = log_in(client, username="ünï 🎬\t" * 60, password="wrong")

    assert response.status_code == 429
