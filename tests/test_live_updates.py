"""Live updates: an open page polls for teammates' changes."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from productions import services
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, StageFactory


@pytest.fixture
def item(production):
    return ChecklistItemFactory(stage=StageFactory(production=production), title="Book the van")


def poll_state(client, production):
    page = client.get(f"/productions/{production.slug}/")
    return page.context["after"], page.context["etag"]


def poll(client, production, after, etag):
    return client.get(
        f"/productions/{production.slug}/changes/?after={after}",
        headers={**HTMX["headers"], "If-None-Match": f'"{etag}"'},
    )


def test_an_idle_poll_is_a_304_that_renders_nothing(
    production, item, viewer, django_assert_num_queries
):
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    # 1 session, 2 user, 3 the production with the user's level (its live version
    # is the ETag). Nothing is rendered.
    with django_assert_num_queries(3):
        response = poll(client, production, after, etag)

    assert response.status_code == 304
    assert response.content == b""
    assert not response.templates


def test_a_teammates_tick_arrives_as_the_row_and_progress(production, item, viewer, editor):
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    services.set_item_done(item, True, by=editor)
    response = poll(client, production, after, etag)

    assert response.status_code == 200
    assertContains(response, f'id="item-{item.pk}"')
    assertContains(response, "done")
    assertContains(response, "1 of 1 items done")
    # The next poll starts after this change, and is idle again.
    after, etag = response.context["after"], response.context["etag"]
    assert poll(client, production, after, etag).status_code == 304


def test_a_deleted_item_is_marked_for_removal(production, item, viewer, editor):
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    services.delete_item(item, by=editor)
    response = poll(client, production, after, etag)

    assertContains(response, f'<div id="item-{item.pk}" data-remove></div>', html=True)


def test_a_structural_change_asks_for_a_reload(production, item, viewer, manager):
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    services.update_production(production, by=manager, venue="Pier 4")
    response = poll(client, production, after, etag)

    assertContains(response, "Reload to see it")
    assertNotContains(response, f'id="item-{item.pk}"')


def test_an_outsider_cannot_poll(production, outsider):
    response = client_for(outsider).get(f"/productions/{production.slug}/changes/?after=0")

    assert response.status_code == 404


def test_a_changed_level_changes_the_etag(production, item, editor, manager):
    client = client_for(editor)
    after, etag = poll_state(client, production)
    membership = production.memberships.get(user=editor)

    services.change_level(membership, by=manager, level=10)

    assert poll(client, production, after, etag).status_code == 200
