import pytest
from django.utils import timezone

from productions.models import ChecklistItem
from tests.conftest import HTMX
from tests.factories import ChecklistItemFactory, StageFactory


@pytest.fixture
def stage(db):
    stage = StageFactory(production__slug="neon-nights")
    ChecklistItemFactory(stage=stage, position=4, done=True, done_at=timezone.now())
    return stage


def url(stage):
    return f"/stages/{stage.pk}/items/"


def test_it_adds_an_item_at_the_end_and_redirects(logged_in, stage):
    response = logged_in.post(url(stage), {"title": "  Book the van  "})

    assert response.status_code == 302
    assert response.url == f"/productions/neon-nights/#stage-{stage.pk}"
    item = stage.items.get(title="Book the van")
    assert item.position == 5
    assert not item.done


def test_it_answers_htmx_with_a_fresh_form_the_new_row_and_progress(logged_in, stage):
    response = logged_in.post(url(stage), {"title": "Book the van"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    item = stage.items.get(title="Book the van")
    assert html.lstrip().startswith(f'<form id="stage-{stage.pk}-add-item"')
    assert f'hx-swap-oob="beforeend:#stage-{stage.pk}-items"' in html
    assert f'<li id="item-{item.pk}"' in html
    assert f'<div id="stage-{stage.pk}-progress" class="mt-2" hx-swap-oob="true">' in html
    assert "1 of 2 done" in html
    assert '<div id="production-progress" class="mb-4" hx-swap-oob="true">' in html
    assert "1 of 2 items done (50%)" in html


def test_it_counts_the_whole_production_in_the_overall_progress(logged_in, stage):
    ChecklistItemFactory(stage__production=stage.production)

    response = logged_in.post(url(stage), {"title": "Book the van"}, **HTMX)

    assert "1 of 2 done" in response.content.decode()
    assert "1 of 3 items done (33%)" in response.content.decode()


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("   ", "This field is required."),
        ("x" * 301, "Ensure this value has at most 300 characters (it has 301)."),
    ],
)
def test_it_shows_the_error_next_to_the_field(logged_in, stage, title, message):
    response = logged_in.post(url(stage), {"title": title})

    assert response.status_code == 422
    assert b"<html" in response.content
    assert (
        f'<div class="invalid-feedback" id="stage-{stage.pk}-new-title-error">{message}</div>'
        in response.content.decode()
    )
    assert stage.items.count() == 1


def test_it_answers_htmx_errors_with_the_form_fragment(logged_in, stage):
    response = logged_in.post(url(stage), {"title": ""}, **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<form id="stage-{stage.pk}-add-item"')
    assert f'id="stage-{stage.pk}-new-title-error">This field is required.' in html
    assert "hx-swap-oob" not in html
    assert stage.items.count() == 1


def test_it_404s_for_an_unknown_stage(logged_in, db):
    assert logged_in.post("/stages/999999/items/", {"title": "Book the van"}).status_code == 404


def test_it_refuses_get(logged_in, stage):
    assert logged_in.get(url(stage)).status_code == 405


def test_it_needs_a_login(client, stage):
    response = client.post(url(stage), {"title": "Book the van"})

    assert response.status_code == 302
    assert response.url.startswith("/login/")
    assert not ChecklistItem.objects.filter(title="Book the van").exists()
