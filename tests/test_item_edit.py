import datetime

import pytest

from tests.conftest import HTMX
from tests.factories import ChecklistItemFactory, CrewMemberFactory


@pytest.fixture
def item(db):
    return ChecklistItemFactory(title="Book the van", stage__production__slug="neon-nights")


def url(item):
    return f"/items/{item.pk}/edit/"


def test_it_shows_the_form_filled_in(logged_in, item):
    response = logged_in.get(url(item))

    assert response.status_code == 200
    assert b"<html" in response.content
    assert b'value="Book the van"' in response.content
    assert f'action="/items/{item.pk}/edit/"'.encode() in response.content


def test_it_answers_htmx_get_with_the_form_fragment(logged_in, item):
    response = logged_in.get(url(item), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<li id="item-{item.pk}"')
    assert 'value="Book the van"' in html


def test_it_saves_and_redirects(logged_in, item):
    crew_member = CrewMemberFactory()

    response = logged_in.post(
        url(item),
        {
            "title": "Book the big van",
            "assignee": crew_member.pk,
            "due_date": "2026-05-01",
            "notes": "Diesel",
        },
    )

    assert response.status_code == 302
    assert response.url == f"/productions/neon-nights/#stage-{item.stage_id}"
    item.refresh_from_db()
    assert item.title == "Book the big van"
    assert item.assignee == crew_member
    assert item.due_date == datetime.date(2026, 5, 1)
    assert item.notes == "Diesel"


def test_it_clears_the_assignee(logged_in, item):
    item.assignee = CrewMemberFactory()
    item.save()

    logged_in.post(url(item), {"title": "Book the van", "assignee": ""})

    item.refresh_from_db()
    assert item.assignee is None


def test_it_answers_htmx_with_the_updated_row(logged_in, item):
    crew_member = CrewMemberFactory(name="Ana Ruiz")

    response = logged_in.post(
        url(item), {"title": "Book the big van", "assignee": crew_member.pk}, **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<li id="item-{item.pk}"')
    assert '<div class="item-title">Book the big van</div>' in html
    assert "Assigned to Ana Ruiz" in html
    item.refresh_from_db()
    assert item.title == "Book the big van"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "Van", "due_date": "someday"}, "due_date", "Enter a valid date."),
        ({"title": "Van", "assignee": "999999"}, "assignee", "Select a valid choice."),
    ],
)
def test_it_shows_errors_next_to_the_field(logged_in, item, data, field, message):
    response = logged_in.post(url(item), data)

    assert response.status_code == 422
    assert b"<html" in response.content
    assert f'id="error_1_item-{item.pk}-{field}"><strong>{message}' in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Book the van"


def test_it_answers_htmx_errors_with_the_form_fragment(logged_in, item):
    response = logged_in.post(url(item), {"title": ""}, **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<li id="item-{item.pk}"')
    assert f'id="error_1_item-{item.pk}-title"><strong>This field is required.' in html
    item.refresh_from_db()
    assert item.title == "Book the van"


def test_it_404s_for_an_unknown_item(logged_in, db):
    assert logged_in.get("/items/999999/edit/").status_code == 404
    assert logged_in.post("/items/999999/edit/", {"title": "Van"}).status_code == 404


def test_it_needs_a_login(client, item):
    response = client.post(url(item), {"title": "Book the big van"})

    assert response.status_code == 302
    assert response.url.startswith("/login/")
    item.refresh_from_db()
    assert item.title == "Book the van"


# Cancel brings back the row through item_detail.


def test_it_cancels_with_the_row_for_htmx(logged_in, item):
    response = logged_in.get(f"/items/{item.pk}/", **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<li id="item-{item.pk}"')
    assert '<div class="item-title">Book the van</div>' in html


def test_it_cancels_to_the_production_page_without_htmx(logged_in, item):
    response = logged_in.get(f"/items/{item.pk}/")

    assert response.status_code == 302
    assert response.url == f"/productions/neon-nights/#stage-{item.stage_id}"


def test_it_404s_when_cancelling_an_unknown_item(logged_in, db):
    assert logged_in.get("/items/999999/", **HTMX).status_code == 404
