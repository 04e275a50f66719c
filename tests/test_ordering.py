"""Reordering items within and across stages, and stages (issue 6, capability
4; issue 7): the services and the Move up / Move down / Move to… views."""

import pytest
from django.db import connection
from django.urls import reverse

from productions import services
from productions.models import Activity, ChecklistItem, Stage
from productions.services.counters import wrong_counters
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, ProductionFactory, StageFactory


def titles(stage):
    return list(stage.items.for_checklist().values_list("title", flat=True))


@pytest.fixture
def board(production):
    """Two stages: Wardrobe (a, b, c, d; d done) and Casting (x)."""
    wardrobe = StageFactory(production=production, name="Wardrobe", position=1)
    casting = StageFactory(production=production, name="Casting", position=2)
    for position, title in enumerate("abc", start=1):
        ChecklistItemFactory(stage=wardrobe, title=title, position=position)
    ChecklistItemFactory(
        stage=wardrobe, title="d", position=4, done=True, done_at="2026-01-01T00:00Z"
    )
    ChecklistItemFactory(stage=casting, title="x", position=1)
    return wardrobe, casting


def item(title):
    return ChecklistItem.objects.select_related("stage__production").get(title=title)


# Services


def test_move_before_an_item_in_the_same_stage(board, user):
    wardrobe, _ = board
    services.move_item(item("c"), by=user, before=item("a"))
    assert titles(wardrobe) == ["c", "a", "b", "d"]
    entry = Activity.objects.get(kind=Activity.Kind.ITEM_MOVED)
    assert entry.subject == "c"
    assert entry.actor == user


def test_move_to_the_end_of_the_same_stage(board, user):
    wardrobe, _ = board
    services.move_item(item("a"), by=user)
    assert titles(wardrobe) == ["b", "c", "a", "d"]


def test_move_to_another_stage_moves_both_stages_counters(board, user, production):
    wardrobe, casting = board
    services.move_item(item("d"), by=user, stage=casting, before=item("x"))
    # d is done: it still sorts after the open x, its position before x's.
    assert titles(casting) == ["x", "d"]
    assert titles(wardrobe) == ["a", "b", "c"]
    assert wrong_counters() == []
    wardrobe.refresh_from_db()
    casting.refresh_from_db()
    production.refresh_from_db()
    assert (wardrobe.item_count, wardrobe.done_count) == (3, 0)
    assert (casting.item_count, casting.done_count) == (2, 1)
    assert (production.item_count, production.done_count) == (5, 1)
    entry = Activity.objects.get(kind=Activity.Kind.ITEM_MOVED)
    assert entry.changes == {"stage": ["Wardrobe", "Casting"]}


def test_move_to_another_stage_in_front(board, user):
    _, casting = board
    services.move_item(item("a"), by=user, stage=casting, before=item("x"))
    assert titles(casting) == ["a", "x"]
    assert wrong_counters() == []


def test_move_bumps_the_live_version(board, user, production):
    version = production.live_version
    services.move_item(item("b"), by=user, before=item("a"))
    production.refresh_from_db()
    assert production.live_version == version + 1


def test_renumbering_is_one_update_however_many_rows(board, user, django_assert_num_queries):
    wardrobe, _ = board
    ChecklistItem.objects.bulk_create(
        ChecklistItem(stage=wardrobe, title=f"more {n}", position=10 + n) for n in range(200)
    )
    target, first = item("more 199"), item("a")
    # PostgreSQL first waits for other moves in the production (one query).
    # 1. lock the item (with its stage and production joined)
    # 2. the position of the item it goes in front of
    # 3. lock the rows at or after it (before the stage, as a tick locks)
    # 4. lock its stage
    # 5. ONE UPDATE: every row at or after that position moves down one
    # 6. the moved item's new position
    # 7. the production's live version (log)
    # 8. the activity entry
    # plus the savepoint and its release (the service's atomic() inside the test's)
    expected = 11 if connection.vendor == "postgresql" else 10
    with django_assert_num_queries(expected) as captured:
        services.move_item(target, by=user, before=first)
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    renumbering = [sql for sql in updates if '"position" = ("productions_checklistitem"' in sql]
    assert len(renumbering) == 1  # not one per row moved
    assert len(updates) == 3  # the renumbering, the item, the production
    assert titles(wardrobe)[:2] == ["more 199", "a"]


def test_a_stage_of_another_production_is_refused(board, user):
    elsewhere = StageFactory(production=ProductionFactory(), name="Elsewhere")
    with pytest.raises(services.BadOrder):
        services.move_item(item("a"), by=user, stage=elsewhere)
    assert item("a").stage.name == "Wardrobe"


def test_reorder_stages(board, user, production):
    wardrobe, casting = board
    services.reorder_stages(production, by=user, order=[casting.pk, wardrobe.pk])
    assert list(production.stages.for_checklist().values_list("name", flat=True)) == [
        "Casting",
        "Wardrobe",
    ]
    entry = Activity.objects.get(kind=Activity.Kind.STAGES_REORDERED)
    assert entry.changes == {"order": ["Wardrobe, Casting", "Casting, Wardrobe"]}


def test_reorder_stages_is_one_update(board, user, production, django_assert_num_queries):
    wardrobe, casting = board
    # 1. lock the live stages; 2. ONE UPDATE with CASE/WHEN; 3. live version;
    # 4. activity entry; plus the savepoint and its release.
    with django_assert_num_queries(6):
        services.reorder_stages(production, by=user, order=[casting.pk, wardrobe.pk])


@pytest.mark.parametrize(
    "order",
    [["1"], ["x", "y"], "twice", "foreign"],
    ids=["too few", "not numbers", "duplicate", "another production's stage"],
)
def test_reorder_stages_refuses_an_order_that_is_not_every_stage(board, user, production, order):
    wardrobe, _casting = board
    if order == "twice":
        order = [wardrobe.pk, wardrobe.pk]
    elif order == "foreign":
        order = [wardrobe.pk, StageFactory(production=ProductionFactory()).pk]
    with pytest.raises(services.BadOrder):
        services.reorder_stages(production, by=user, order=order)
    assert not Activity.objects.filter(kind=Activity.Kind.STAGES_REORDERED).exists()


# Views


def move_url(title):
    return reverse("item_move", args=[item(title).pk])


def test_editor_moves_up_without_javascript(board, editor):
    wardrobe, _ = board
    response = client_for(editor).post(move_url("b"), {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#stage-{wardrobe.pk}")
    assert titles(wardrobe) == ["b", "a", "c", "d"]


def test_move_down(board, editor):
    wardrobe, _ = board
    client_for(editor).post(move_url("a"), {"direction": "down"})
    assert titles(wardrobe) == ["b", "a", "c", "d"]
    client_for(editor).post(move_url("a"), {"direction": "down"})
    assert titles(wardrobe) == ["b", "c", "a", "d"]


def test_moving_the_first_up_changes_nothing(board, editor):
    wardrobe, _ = board
    client_for(editor).post(move_url("a"), {"direction": "up"})
    client_for(editor).post(move_url("c"), {"direction": "down"})  # last open item
    assert titles(wardrobe) == ["a", "b", "c", "d"]
    assert not Activity.objects.filter(kind=Activity.Kind.ITEM_MOVED).exists()


def test_move_to_a_stage_with_htmx_swaps_both_lists(board, editor):
    wardrobe, casting = board
    response = client_for(editor).post(move_url("a"), {"stage": casting.pk}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="stage-{wardrobe.pk}-items" hx-swap-oob="innerHTML"' in html
    assert f'id="stage-{casting.pk}-items" hx-swap-oob="innerHTML"' in html
    assert f'id="stage-{casting.pk}-progress"' in html
    assert titles(casting) == ["x", "a"]
    assert "announce" in response["HX-Trigger"]
    assert wrong_counters() == []


def test_move_up_with_htmx_focuses_the_moved_button(board, editor):
    response = client_for(editor).post(move_url("b"), {"direction": "up"}, **HTMX)
    html = response.content.decode()
    assert html.count("autofocus") == 1
    assert 'aria-label="Move up: b" autofocus' in html


def test_viewer_may_not_move(board, viewer):
    response = client_for(viewer).post(move_url("b"), {"direction": "up"})
    assert response.status_code == 403


def test_outsider_gets_404(board, outsider):
    response = client_for(outsider).post(move_url("b"), {"direction": "up"})
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["another production", "nonsense", ""])
def test_a_bad_stage_is_404_not_500(board, editor, value):
    if value == "another production":
        value = StageFactory(production=ProductionFactory()).pk
    response = client_for(editor).post(move_url("a"), {"stage": value})
    assert response.status_code == 404
    assert item("a").stage.name == "Wardrobe"


def test_before_an_item_of_another_stage_is_404(board, editor):
    _wardrobe, casting = board
    response = client_for(editor).post(move_url("a"), {"stage": casting.pk, "before": item("b").pk})
    assert response.status_code == 404


def test_nothing_to_do_is_422(board, editor):
    assert client_for(editor).post(move_url("a"), {}).status_code == 422


def test_the_move_page_offers_every_stage(board, editor):
    response = client_for(editor).get(move_url("a"))
    assert response.status_code == 200
    assert b"Wardrobe" in response.content
    assert b"Casting" in response.content


def test_the_production_page_has_move_controls(board, editor, production):
    response = client_for(editor).get(production.get_absolute_url())
    html = response.content.decode()
    assert 'aria-label="Move up: a"' in html
    assert 'aria-label="Move down: a"' in html
    # The stage list comes when asked for: a link to the move page, or its
    # form in place with htmx.
    assert f'href="{move_url("a")}" hx-get="{move_url("a")}"' in html
    assert f'id="move-{item("a").pk}-stage"' not in html
    fragment = client_for(editor).get(move_url("a"), **HTMX).content.decode()
    assert f'<select name="stage" id="move-{item("a").pk}-stage"' in fragment
    assert "<html" not in fragment


def test_the_production_pages_arrows_move_without_javascript(board, editor, production):
    # The row's arrow posts the page's shared form to the item's move URL.
    html = client_for(editor).get(production.get_absolute_url()).content.decode()
    assert f'form="row-actions" formaction="{move_url("b")}" name="direction" value="up"' in html
    assert '<form id="row-actions" method="post" hidden>' in html
    response = client_for(editor).post(move_url("b"), {"direction": "up"})
    assert response.status_code == 302
    assert titles(board[0])[:2] == ["b", "a"]


def test_a_viewer_sees_no_move_controls(board, viewer, production):
    response = client_for(viewer).get(production.get_absolute_url())
    assert b"Move up" not in response.content


def test_manager_reorders_stages_without_javascript(board, manager, production):
    _wardrobe, casting = board
    url = reverse("production_stage_order", args=[production.slug])
    response = client_for(manager).post(url, {"stage": casting.pk, "direction": "left"})
    assert response.status_code == 302
    assert response["Location"] == reverse("production_board", args=[production.slug])
    assert list(Stage.objects.filter(production=production).values_list("name", flat=True)) == [
        "Casting",
        "Wardrobe",
    ]


def test_stage_order_from_a_drag(board, manager, production):
    wardrobe, casting = board
    url = reverse("production_stage_order", args=[production.slug])
    response = client_for(manager).post(url, {"order": [casting.pk, wardrobe.pk]}, **HTMX)
    assert response.status_code == 204
    assert Stage.objects.get(pk=casting.pk).position < Stage.objects.get(pk=wardrobe.pk).position


def test_stage_order_refuses_a_foreign_stage(board, manager, production):
    wardrobe, _ = board
    foreign = StageFactory(production=ProductionFactory())
    url = reverse("production_stage_order", args=[production.slug])
    response = client_for(manager).post(url, {"order": [wardrobe.pk, foreign.pk]})
    assert response.status_code == 422
    response = client_for(manager).post(url, {"stage": foreign.pk, "direction": "left"})
    assert response.status_code == 422


def test_editor_may_not_reorder_stages(board, editor, production):
    url = reverse("production_stage_order", args=[production.slug])
    assert client_for(editor).post(url, {"order": []}).status_code == 403
