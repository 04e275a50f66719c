import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from productions.models import ChecklistItem
from tests.conftest import HTMX
from tests.factories import ChecklistItemFactory, StageFactory


@pytest.fixture
def item(db):
    stage = StageFactory(production__slug="neon-nights")
    ChecklistItemFactory(stage=stage, done=True, done_at=timezone.now())
    return ChecklistItemFactory(stage=stage, title="Book the van")


def url(item):
    return f"/items/{item.pk}/delete/"


def test_it_asks_for_confirmation(logged_in, item):
    response = logged_in.get(url(item))

    assert response.status_code == 200
    assert b"<html" in response.content
    assert "Delete “Book the van”?".encode() in response.content
    assert f'action="/items/{item.pk}/delete/"'.encode() in response.content
    assert ChecklistItem.objects.filter(pk=item.pk).exists()


def test_it_answers_htmx_get_with_the_confirm_fragment(logged_in, item):
    response = logged_in.get(url(item), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<li id="item-{item.pk}"')
    assert "Delete “Book the van”?" in html
    assert ChecklistItem.objects.filter(pk=item.pk).exists()


def test_it_moves_the_item_to_the_trash_and_redirects_to_an_undo_page(logged_in, item):
    response = logged_in.post(url(item))

    assertRedirects(response, f"/items/{item.pk}/deleted/")
    assert not ChecklistItem.objects.filter(pk=item.pk).exists()
    assert ChecklistItem.all_objects.get(pk=item.pk).deleted_at is not None
    assert ChecklistItem.objects.count() == 1


def test_it_says_what_it_deleted_and_offers_undo(logged_in, item):
    response = logged_in.post(url(item), follow=True)

    assertContains(response, "Moved “Book the van” to the trash")
    assertContains(response, f'action="/items/{item.pk}/restore/"')


def test_it_answers_htmx_with_an_undo_row_and_the_progress(logged_in, item):
    response = logged_in.post(url(item), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<li id="item-{item.pk}"')
    assertContains(response, "Moved “Book the van” to the trash.")
    assertContains(response, f'hx-post="/items/{item.pk}/restore/"')
    assert f'<div id="stage-{item.stage_id}-progress" class="mt-2" hx-swap-oob="true">' in html
    assert "1 of 1 done" in html
    assert '<div id="production-progress" class="mb-4" hx-swap-oob="true">' in html
    assert "1 of 1 items done (100%)" in html
    assert not ChecklistItem.objects.filter(pk=item.pk).exists()


def test_it_404s_for_an_unknown_item(logged_in, db):
    assert logged_in.get("/items/999999/delete/").status_code == 404
    assert logged_in.post("/items/999999/delete/").status_code == 404


def test_it_404s_for_an_item_already_deleted(logged_in, item):
    logged_in.post(url(item), **HTMX)

    assert logged_in.post(url(item), **HTMX).status_code == 404


def test_it_needs_a_login(client, item):
    response = client.post(url(item))

    assert response.status_code == 302
    assert response.url.startswith("/login/")
    assert ChecklistItem.objects.filter(pk=item.pk).exists()
