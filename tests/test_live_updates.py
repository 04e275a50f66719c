"""Live updates: an open page polls for teammates' changes."""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from productions import queries, services
from productions.models import Activity, ChecklistItem
from productions.services.counters import recount_production
from productions.services.ordering import move_item
from productions.services.stages import add_stage, update_stage
from productions.views.live import MAX_MOVES
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, ProductionFactory, StageFactory, UserFactory


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


def fill(production, count):
    stage = StageFactory(production=production)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(stage=stage, title=f"Item {n}", position=n) for n in range(count)
    )
    recount_production(production.pk)
    return stage


@pytest.mark.parametrize("count", [10, 1000])
def test_an_idle_poll_is_a_304_that_renders_nothing(
    production, viewer, django_assert_num_queries, count
):
    fill(production, count)
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    # 1 session, 2 the user (Django's own login), 3 the production with the
    # user's level on it (the ETag). Nothing is rendered.
    with django_assert_num_queries(3):
        response = poll(client, production, after, etag)

    assert response.status_code == 304
    assert response.content == b""
    assert not response.templates


@pytest.mark.parametrize("count", [10, 1000])
def test_a_poll_after_a_change_reads_only_what_changed(
    production, viewer, editor, django_assert_num_queries, count
):
    stage = fill(production, count)
    client = client_for(viewer)
    after, etag = poll_state(client, production)
    item = stage.items.order_by("position").first()
    services.set_item_done(item, True, by=editor)

    # 1 session, 2 the user, 3 the production with the user's level (the
    # ETag, now stale), 4 the activity entries since the page's, 5 their items
    # (with stage, assignee, who ticked them), 6 their stages
    with django_assert_num_queries(6):
        response = poll(client, production, after, etag)

    assert response.status_code == 200
    assertContains(response, f'id="item-{item.pk}"')


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


def test_a_poll_without_a_login_is_sent_to_log_in(production, item):
    response = Client().get(f"/productions/{production.slug}/changes/?after=0", **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/")


def test_a_poll_after_a_password_change_elsewhere_is_logged_out(production, item, viewer):
    client = client_for(viewer)
    after, etag = poll_state(client, production)
    viewer.set_password("a new one, set on another device")
    viewer.save()

    response = poll(client, production, after, etag)

    # As on any page: the session no longer matches the password, so it ends.
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_a_poll_by_a_deactivated_user_is_logged_out(production, item, viewer):
    client = client_for(viewer)
    after, etag = poll_state(client, production)
    viewer.is_active = False
    viewer.save()

    response = poll(client, production, after, etag)

    assert response["HX-Redirect"].startswith("/login/")


def test_a_poll_of_a_deleted_production_is_404(production, item, viewer, manager):
    client = client_for(viewer)
    after, etag = poll_state(client, production)
    services.delete_production(production, by=manager)

    assert poll(client, production, after, etag).status_code == 404


def test_staff_poll_as_managers(production, item):
    client = client_for(UserFactory(is_staff=True))
    after, etag = poll_state(client, production)

    assert etag.endswith("-30")
    assert poll(client, production, after, etag).status_code == 304


def test_a_removed_member_can_no_longer_poll(production, item, viewer, manager):
    client = client_for(viewer)
    after, etag = poll_state(client, production)
    services.remove_member(production.memberships.get(user=viewer), by=manager)

    assert poll(client, production, after, etag).status_code == 404


# Moves and changes to the stages arrive as the fragments that changed.


@pytest.fixture
def wardrobe(production):
    stage = StageFactory(production=production, name="Wardrobe", position=1)
    for position, title in enumerate(["Fit the jackets", "Call the tailor", "Steam"], 1):
        ChecklistItemFactory(stage=stage, title=title, position=position)
    return stage


def titled(title):
    return ChecklistItem.objects.get(title=title)


def test_a_move_arrives_as_the_row_in_its_new_place(production, wardrobe, viewer, editor):
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    steam = titled("Steam")
    move_item(steam, by=editor, before=titled("Fit the jackets"))
    response = poll(client, production, after, etag)

    before = titled("Fit the jackets").pk
    place = f'<div data-place-in="stage-{wardrobe.pk}-items" data-before="item-{before}">'
    assert re.search(rf'{place}\s*<li id="item-{steam.pk}"', response.content.decode())
    assertNotContains(response, "Reload to see it")


def test_a_move_to_another_stage_brings_both_progress_bars(production, wardrobe, viewer, editor):
    casting = StageFactory(production=production, name="Casting", position=2)
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    tailor = titled("Call the tailor")
    move_item(tailor, by=editor, stage=casting)
    response = poll(client, production, after, etag)

    html = response.content.decode()
    # Last in Casting (no row after it), out of Wardrobe.
    place = f'<div data-place-in="stage-{casting.pk}-items">'
    assert re.search(rf'{place}\s*<li id="item-{tailor.pk}"', html)
    assert f'id="stage-{wardrobe.pk}-progress"' in html
    assert f'id="stage-{casting.pk}-progress"' in html
    assertContains(response, "0 of 1 done")


def test_stages_put_in_another_order_arrive_as_the_order(production, wardrobe, viewer, manager):
    casting = StageFactory(production=production, name="Casting", position=2)
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    services.reorder_stages(production, by=manager, order=[casting.pk, wardrobe.pk])
    response = poll(client, production, after, etag)

    assertContains(response, f'data-stage-order="{casting.pk},{wardrobe.pk}"')
    assertNotContains(response, "Reload to see it")


def test_a_new_stage_arrives_as_its_section(production, wardrobe, viewer, manager):
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    catering = add_stage(production, by=manager, name="Catering")
    response = poll(client, production, after, etag)

    html = response.content.decode()
    assert "<div data-new-stage>" in html
    assert f'<section id="stage-{catering.pk}"' in html
    assert f'data-stage-order="{wardrobe.pk},{catering.pk}"' in html


def test_an_edited_stage_arrives_as_its_head(production, wardrobe, viewer, manager):
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    update_stage(wardrobe, by=manager, name="Costumes")
    response = poll(client, production, after, etag)

    assertContains(response, f'<div id="stage-{wardrobe.pk}-head"')
    assertContains(response, "Costumes")
    assertNotContains(response, f'<section id="stage-{wardrobe.pk}"')


def test_an_edited_stage_s_head_keeps_the_arrows_its_place_allows(production, wardrobe, manager):
    # Wardrobe (1) between Casting (0) and Catering (2): both arrows on; the
    # last stage's down arrow off.
    StageFactory(production=production, name="Casting", position=0)
    catering = StageFactory(production=production, name="Catering", position=2)
    client = client_for(manager)
    after, etag = poll_state(client, production)

    update_stage(wardrobe, by=manager, name="Costumes")
    update_stage(catering, by=manager, name="Food")
    html = poll(client, production, after, etag).content.decode()

    def disabled(stage):
        """Whether the head's up and down arrows are off."""
        head = html[html.index(f'<div id="stage-{stage.pk}-head"') :]
        buttons = head[: head.index("Delete stage")].split('name="direction"')[1:]
        return [" disabled " in button.split(">")[0] + " " for button in buttons]

    assert disabled(wardrobe) == [False, False]
    assert disabled(catering) == [False, True]


def test_a_deleted_stage_is_marked_for_removal(production, wardrobe, viewer, manager):
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    services.delete_stage(wardrobe, by=manager)
    response = poll(client, production, after, etag)

    assertContains(response, f'<div id="stage-{wardrobe.pk}" data-remove></div>', html=True)


def test_many_moves_at_once_ask_for_a_reload(production, wardrobe, viewer, editor):
    client = client_for(viewer)
    after, etag = poll_state(client, production)

    ChecklistItemFactory.create_batch(MAX_MOVES, stage=wardrobe)
    for item in list(wardrobe.items.all()):
        move_item(item, by=editor)  # to the end of its stage
    response = poll(client, production, after, etag)

    assertContains(response, "Reload to see it")


def test_the_last_activity_lookup_reads_one_index_range_whatever_the_history(production):
    """Where a page's live updates start: the production's last entry, read
    from an index on (production, id), not by walking back the whole table
    or sorting the production's history (the page asks each time the
    statistics say a stage scan is cheaper)."""
    other = ProductionFactory()
    for n in range(30):
        where = production if n % 3 else other
        services.log(where, Activity.Kind.COMMENTED, by=None, subject=f"{n}")
    lookup = Activity.objects.filter(production=production).order_by("-pk").values("pk")[:1]

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A table this small is read whole otherwise: ask for the
                # plan a long history gets.
                cursor.execute("SET LOCAL enable_seqscan = off")
        plan = lookup.explain()

    # SQLite keeps every index in rowid (id) order within a value, so its
    # index on production_id alone serves; PostgreSQL needs (production, id).
    index = "activity_last_idx" if connection.vendor == "postgresql" else "production_id"
    assert index in plan
    assert "Sort" not in plan
    assert "TEMP B-TREE" not in plan
    assert queries.last_activity_id(production) == lookup[0]["pk"]
