import pytest

from productions.models import ChecklistItem, ChecklistItemTemplate, Production, StageTemplate
from tests.conftest import HTMX
from tests.factories import ProductionFactory

URL = "/productions/new/"


def valid_data(**overrides):
    return {"title": "Neon Nights", "kind": "concert", "status": "planning", **overrides}


def test_it_shows_the_form(logged_in):
    response = logged_in.get(URL)

    assert response.status_code == 200
    assert b"<html" in response.content
    assert b'id="production-form"' in response.content
    assert b'name="title"' in response.content


def test_it_creates_a_production_and_redirects_to_it(logged_in, user):
    response = logged_in.post(URL, valid_data(artist="Luna", venue="Arena"))

    production = Production.objects.get()
    assert response.status_code == 302
    assert response.url == f"/productions/{production.slug}/"
    assert production.slug == "neon-nights"
    assert (production.artist, production.venue) == ("Luna", "Arena")
    assert production.created_by == user


def test_it_copies_the_template_stages_and_items_of_its_kind(logged_in):
    logged_in.post(URL, valid_data(kind="concert"))

    production = Production.objects.get()
    templates = StageTemplate.objects.filter(kind="concert")
    stages = list(production.stages.all())
    assert stages
    assert [s.name for s in stages] == [t.name for t in templates]
    assert [s.phase for s in stages] == [t.phase for t in templates]
    item_titles = ChecklistItem.objects.filter(stage__production=production)
    template_titles = ChecklistItemTemplate.objects.filter(stage_template__kind="concert")
    assert sorted(item_titles.values_list("stage__name", "title")) == sorted(
        template_titles.values_list("stage_template__name", "title")
    )


def test_it_gives_a_taken_title_a_new_slug(logged_in):
    ProductionFactory(slug="neon-nights")

    logged_in.post(URL, valid_data())

    assert Production.objects.filter(slug="neon-nights-2").exists()


def test_it_tells_htmx_where_to_go(logged_in):
    response = logged_in.post(URL, valid_data(), **HTMX)

    production = Production.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/productions/{production.slug}/"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (valid_data(title=""), "title", "This field is required."),
        (
            valid_data(start_date="2026-05-02", end_date="2026-05-01"),
            "end_date",
            "The end date cannot be before the start date.",
        ),
        (valid_data(kind="opera"), "kind", "Select a valid choice."),
    ],
)
def test_it_shows_errors_next_to_the_field(logged_in, data, field, message):
    response = logged_in.post(URL, data)

    assert response.status_code == 422
    assert b"<html" in response.content
    html = response.content.decode()
    assert f'id="error_1_id_{field}"><strong>{message}' in html
    assert not Production.objects.exists()


def test_it_keeps_what_was_typed_on_an_error(logged_in):
    response = logged_in.post(URL, valid_data(kind="opera", artist="Luna Park"))

    assert b'value="Luna Park"' in response.content


def test_it_answers_htmx_errors_with_the_form_fragment(logged_in):
    response = logged_in.post(URL, valid_data(title=""), **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<form id="production-form"')
    assert 'id="error_1_id_title"' in html
    assert not Production.objects.exists()


def test_it_answers_htmx_get_with_the_form_fragment(logged_in):
    response = logged_in.get(URL, **HTMX)

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'id="production-form"' in response.content


def test_it_needs_a_login(client, db):
    response = client.post(URL, valid_data())

    assert response.status_code == 302
    assert response.url.startswith("/login/")
    assert not Production.objects.exists()
