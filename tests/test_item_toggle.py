import pytest
from django.utils import timezone

from productions import services
from tests.conftest import HTMX
from tests.factories import ChecklistItemFactory, StageFactory


@pytest.fixture
def item(db):
    stage = StageFactory(production__slug="neon-nights")
    ChecklistItemFactory(stage=stage)
    return ChecklistItemFactory(stage=stage, title="Book the van")


def url(item):
    return f"/items/{item.pk}/toggle/"


def test_it_ticks_an_item_and_redirects(logged_in, user, item):
    before = timezone.now()

    response = logged_in.post(url(item), {"done": "1"})

    assert response.status_code == 302
    assert response.url == f"/productions/neon-nights/#stage-{item.stage_id}"
    item.refresh_from_db()
    assert item.done
    assert item.done_at >= before
    assert item.done_by == user


def test_it_unticks_an_item(logged_in, user, item):
    services.set_item_done(item, True, by=user)

    logged_in.post(url(item), {"done": "0"})

    item.refresh_from_db()
    assert not item.done
    assert item.done_at is None
    assert item.done_by is None


def test_it_keeps_an_item_done_when_ticked_twice(logged_in, user, other_user, item):
    logged_in.post(url(item), {"done": "1"})
    item.refresh_from_db()
    first_done_at = item.done_at
    logged_in.force_login(other_user)

    logged_in.post(url(item), {"done": "1"})

    item.refresh_from_db()
    assert item.done
    assert item.done_at == first_done_at
    assert item.done_by == user


def test_it_unticks_when_done_is_missing(logged_in, user, item):
    services.set_item_done(item, True, by=user)

    logged_in.post(url(item))

    item.refresh_from_db()
    assert not item.done


def test_it_answers_htmx_with_the_row_and_progress(logged_in, item):
    response = logged_in.post(url(item), {"done": "1"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<li id="item-{item.pk}"')
    assert "item-done" in html
    assert 'aria-pressed="true"' in html
    # The next press unticks (the button carries the state it asks for).
    assert 'name="done" value="0"' in html
    assert "by coordinator" in html
    # The checklist moved the stage to In progress: its status select and its
    # bar come out of band.
    assert f'<select name="status" id="stage-{item.stage_id}-status"' in html
    assert 'stage-status-in_progress" hx-swap-oob="true">' in html
    assert '<option value="in_progress" selected>' in html
    assert f'<div id="stage-{item.stage_id}-bar" hx-swap-oob="true">' in html
    assert "1 of 2 done" in html
    assert '<div id="production-progress" class="mb-4" hx-swap-oob="true">' in html
    assert "1 of 2 items done (50%)" in html


def test_it_answers_htmx_unticking_with_lower_progress(logged_in, user, item):
    services.set_item_done(item, True, by=user)

    response = logged_in.post(url(item), {"done": "0"}, **HTMX)

    html = response.content.decode()
    assert 'aria-pressed="false"' in html
    assert 'name="done" value="1"' in html
    assert "0 of 2 done" in html
    assert "0 of 2 items done (0%)" in html


def test_it_404s_for_an_unknown_item(logged_in, db):
    assert logged_in.post("/items/999999/toggle/", {"done": "1"}).status_code == 404


def test_it_refuses_get(logged_in, item):
    assert logged_in.get(url(item)).status_code == 405


def test_it_needs_a_login(client, item):
    response = client.post(url(item), {"done": "1"})

    assert response.status_code == 302
    assert response.url.startswith("/login/")
    item.refresh_from_db()
    assert not item.done


@pytest.mark.parametrize("value", ["2", "yes", "-1", "1 ", "tru\u0000e", "x" * 5000])
def test_a_done_value_that_is_neither_1_nor_0_is_refused(logged_in, user, item, value):
    services.set_item_done(item, True, by=user)

    response = logged_in.post(url(item), {"done": value}, **HTMX)

    assert response.status_code == 400
    item.refresh_from_db()
    assert item.done
