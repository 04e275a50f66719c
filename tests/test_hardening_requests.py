"""Hostile or malformed requests get a 4xx answer, never a 500.

The clients here enforce the CSRF check, as browsers meet it: the test
client skips it by default, and with it skipped some of these bugs hide.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import (
    ChecklistItemFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
FORM = "application/x-www-form-urlencoded"
RAISING = [
    pytest.param(True, id="exceptions-raised"),
    pytest.param(False, id="exceptions-answered"),
]


def browser(raise_request_exception=True):
    """A client that enforces CSRF and holds a CSRF cookie, as a browser would."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=raise_request_exception)
    client.get(LOGIN)
    return client


def form_body(client, **fields):
    fields = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **fields}
    return "&".join(f"{name}={value}" for name, value in fields.items()).encode()


# Form bodies in a charset other than UTF-8


@pytest.mark.parametrize("raise_request_exception", RAISING)
@pytest.mark.parametrize("charset", ["latin-1", "iso-8859-1", "utf-16", "ascii", "cp1252"])
@pytest.mark.parametrize("url", [LOGIN, "/", "/no-such-page/", "/admin/login/"])
def test_it_refuses_a_form_body_in_another_charset(url, charset, raise_request_exception):
    client = browser(raise_request_exception)

    response = client.generic(
        "POST",
        url,
        form_body(client, username="coordinator", password="password"),
        content_type=f"{FORM}; charset={charset}",
    )

    assertContains(response, "must be UTF-8 encoded", status_code=400)


@pytest.mark.parametrize("charset", ["utf8", "UTF-8", "utf_8", "U8"])
def test_it_reads_a_form_body_labelled_with_any_name_of_utf8(user, charset):
    client = browser()

    response = client.generic(
        "POST",
        LOGIN,
        form_body(client, username="coordinator", password="password"),
        content_type=f"{FORM}; charset={charset}",
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.parametrize("raise_request_exception", RAISING)
@pytest.mark.parametrize("charset", ["nonsense", "utf-9", '"', "x" * 200])
def test_it_reads_a_form_body_with_an_unknown_charset_as_utf8(charset, raise_request_exception):
    # Django ignores a charset that names no codec: the body is read as UTF-8.
    client = browser(raise_request_exception)

    response = client.generic(
        "POST",
        LOGIN,
        form_body(client, username="nobody", password="wrong"),
        content_type=f"{FORM}; charset={charset}",
    )

    assertContains(response, "Please enter a correct username and password")


def test_it_reads_invalid_utf8_bytes_as_replacement_characters():
    client = browser()
    body = form_body(client, password="x") + b"&username=a\xff\xfe"

    response = client.generic("POST", LOGIN, body, content_type=FORM)

    assertContains(response, "Please enter a correct username and password")


# Multipart bodies without a boundary


@pytest.mark.parametrize("raise_request_exception", RAISING)
@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary="])
@pytest.mark.parametrize("url", [LOGIN, "/", "/no-such-page/"])
def test_it_refuses_a_multipart_body_without_a_boundary(url, content_type, raise_request_exception):
    client = browser(raise_request_exception)

    response = client.generic("POST", url, b"--x\r\n", content_type=content_type)

    assertContains(response, "boundary", status_code=400)


@pytest.mark.parametrize("raise_request_exception", RAISING)
def test_it_refuses_a_body_larger_than_allowed(settings, raise_request_exception):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    client = browser(raise_request_exception)

    response = client.generic("POST", LOGIN, form_body(client, notes="x" * 200), content_type=FORM)

    assert response.status_code == 400


@pytest.mark.parametrize("raise_request_exception", RAISING)
def test_it_refuses_too_many_fields(settings, raise_request_exception):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = browser(raise_request_exception)
    fields = {f"f{n}": "1" for n in range(20)}

    response = client.generic("POST", LOGIN, form_body(client, **fields), content_type=FORM)

    assert response.status_code == 400


# htmx requests after the session has run out


@pytest.mark.parametrize("current_url", ["http://[x", "http://[::1", "https://[", "http://]/"])
def test_it_sends_an_htmx_request_with_a_malformed_current_url_to_log_in(client, current_url):
    response = client.get("/", headers={"HX-Request": "true", "HX-Current-URL": current_url})

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{LOGIN}?next=/"


def test_it_sends_an_htmx_request_back_to_the_page_it_came_from(client):
    response = client.get(
        "/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/productions/x/"},
    )

    assert response["HX-Redirect"] == f"{LOGIN}?next=/productions/x/"


# NUL bytes (PostgreSQL refuses them in any text value)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/productions/crewmember/?default_role__department__exact=%00",
        "/admin/productions/crewmember/?q=%00",
        "/admin/productions/crewmember/?q=a%00b",
        "/admin/productions/crewmember/?%00=1",
        "/admin/autocomplete/?term=%00&app_label=productions&model_name=assignment"
        "&field_name=crew_member",
        "/admin/productions/production/%00/change/",
        "/productions/%00/",
        "/?q=%00",
    ],
)
def test_it_refuses_nul_bytes_in_the_url(admin_client, url):
    admin_client.raise_request_exception = False
    CrewMemberFactory()

    response = admin_client.get(url)

    assertContains(response, "NUL bytes are not allowed", status_code=400)


def test_it_refuses_nul_bytes_in_a_form(logged_in):
    item = ChecklistItemFactory()

    response = logged_in.post(reverse("item_edit", args=[item.pk]), {"title": "a\x00b"})

    assertContains(response, "NUL bytes are not allowed", status_code=400)
    item.refresh_from_db()
    assert "\x00" not in item.title


def test_it_refuses_nul_bytes_in_a_login(user):
    client = browser()

    response = client.post(
        LOGIN,
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "username": "coordinator\x00",
            "password": "password",
        },
    )

    assertContains(response, "NUL bytes are not allowed", status_code=400)


def test_it_refuses_nul_bytes_in_a_multipart_form(logged_in):
    response = logged_in.post("/", {"name": "a\x00"})  # the test client posts multipart

    assertContains(response, "NUL bytes are not allowed", status_code=400)


@pytest.mark.parametrize(
    "headers",
    [
        {"Cookie": "sessionid=abcdefgh\x00ijklmnop"},
        {"Cookie": 'sessionid="abcdefgh\\000ijklmnop"'},
        {"User-Agent": "Mozilla\x00"},
        {"HX-Request": "true", "HX-Current-URL": "http://testserver/\x00"},
    ],
)
def test_it_refuses_nul_bytes_in_headers_and_cookies(headers):
    client = Client(raise_request_exception=False)

    response = client.get(LOGIN, headers=headers)

    assertContains(response, "NUL bytes are not allowed", status_code=400)


def test_it_accepts_ordinary_requests(logged_in):
    response = logged_in.get("/productions/?q=caf%C3%A9%20%E2%80%94%20%F0%9F%8E%AC")

    assert response.status_code == 200


# Admin forms with an autocomplete field given something that is not an id


@pytest.fixture
def admin_client_answering(admin_client):
    admin_client.raise_request_exception = False
    return admin_client


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "-1", "99999999999999999999999", "1e3", " "])
def test_it_shows_an_error_for_a_production_that_is_not_an_id(admin_client_answering, bad_id):
    crew_member, role = CrewMemberFactory(), CrewRoleFactory()

    response = admin_client_answering.post(
        reverse("admin:productions_assignment_add"),
        {"production": bad_id, "crew_member": crew_member.pk, "role": role.pk},
    )

    assertContains(response, "Select a valid choice")
    assertContains(response, f'<option value="{crew_member.pk}" selected>')


@pytest.mark.parametrize("bad_id", ["1.5", "abc", "0x1"])
def test_it_shows_an_error_for_a_stage_that_is_not_an_id(admin_client_answering, bad_id):
    response = admin_client_answering.post(
        reverse("admin:productions_checklistitem_add"),
        {"stage": bad_id, "title": "Book the van", "position": "1"},
    )

    assertContains(response, "Select a valid choice")


def test_it_still_shows_the_chosen_stage_when_another_field_is_wrong(admin_client_answering):
    stage = StageFactory()

    response = admin_client_answering.post(
        reverse("admin:productions_checklistitem_add"),
        {"stage": stage.pk, "title": "", "position": "1", "assignee": "abc"},
    )

    assertContains(response, "This field is required")
    assertContains(response, f'<option value="{stage.pk}" selected>')


def test_it_shows_an_error_for_a_user_that_is_not_an_id(admin_client_answering):
    response = admin_client_answering.post(
        reverse("admin:productions_crewmember_add"),
        {"name": "Ana", "user": "1;DROP", "default_role": "x"},
    )

    assertContains(response, "Select a valid choice")
    assert UserFactory._meta.model.objects.count() == 1  # the admin only
