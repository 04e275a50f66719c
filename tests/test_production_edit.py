import datetime

import pytest

from productions.models import Production
from tests.conftest import HTMX
from tests.factories import ProductionFactory


@pytest.fixture
def production(db):
    return ProductionFactory(title="Neon Nights", slug="neon-nights", kind="concert")


def url(production):
    return f"/productions/{production.slug}/edit/"


def valid_data(**overrides):
    return {"title": "Neon Nights Live", "kind": "concert", "status": "in_production", **overrides}


def test_it_shows_the_form_filled_in(logged_in, production):
    response = logged_in.get(url(production))

    assert response.status_code == 200
    assert b"<html" in response.content
    assert b'value="Neon Nights"' in response.content
    assert b'action="/productions/neon-nights/edit/"' in response.content


def test_it_saves_and_redirects(logged_in, production):
    response = logged_in.post(url(production), valid_data(venue="Arena", start_date="2026-05-01"))

    assert response.status_code == 302
    assert response.url == "/productions/neon-nights/"
    production.refresh_from_db()
    assert production.title == "Neon Nights Live"
    assert production.status == Production.Status.IN_PRODUCTION
    assert production.venue == "Arena"
    assert production.start_date == datetime.date(2026, 5, 1)


def test_it_keeps_the_slug_when_the_title_changes(logged_in, production):
    logged_in.post(url(production), valid_data(title="Something else"))

    production.refresh_from_db()
    assert production.slug == "neon-nights"


def test_it_tells_htmx_where_to_go(logged_in, production):
    response = logged_in.post(url(production), valid_data(), **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/productions/neon-nights/"
    production.refresh_from_db()
    assert production.title == "Neon Nights Live"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (valid_data(title=""), "title", "This field is required."),
        (
            valid_data(start_date="2026-05-02", end_date="2026-05-01"),
            "end_date",
            "The end date cannot be before the start date.",
        ),
        (valid_data(status="postponed"), "status", "Select a valid choice."),
    ],
)
def test_it_shows_errors_next_to_the_field(logged_in, production, data, field, message):
    response = logged_in.post(url(production), data)

    assert response.status_code == 422
    assert b"<html" in response.content
    assert f'id="error_1_id_{field}"><strong>{message}' in response.content.decode()
    production.refresh_from_db()
    assert production.title == "Neon Nights"


def test_it_answers_htmx_errors_with_the_form_fragment(logged_in, production):
    response = logged_in.post(url(production), valid_data(title=""), **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<form id="production-form"')
    assert 'id="error_1_id_title"' in html
    production.refresh_from_db()
    assert production.title == "Neon Nights"


def test_it_answers_htmx_get_with_the_form_fragment(logged_in, production):
    response = logged_in.get(url(production), **HTMX)

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'value="Neon Nights"' in response.content


def test_it_404s_for_an_unknown_slug(logged_in, db):
    assert logged_in.get("/productions/nope/edit/").status_code == 404
    assert logged_in.post("/productions/nope/edit/", valid_data()).status_code == 404


def test_it_needs_a_login(client, production):
    response = client.post(url(production), valid_data())

    assert response.status_code == 302
    assert response.url.startswith("/login/")
    production.refresh_from_db()
    assert production.title == "Neon Nights"
