"""The board (issue 7): stages as columns, items as cards, on the list's
access rules and windowing; the list/board choice is remembered."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from productions.models import ChecklistItem
from productions.queries import ITEM_WINDOW
from productions.services.counters import recount_production
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, StageFactory, UserFactory


def board_url(production):
    return reverse("production_board", args=[production.slug])


@pytest.fixture
def stages(production):
    return StageFactory.create_batch(3, production=production)


def fill(stages, count, user=None):
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            stage=stages[n % len(stages)],
            title=f"Card {n}",
            position=n,
            done=n % 4 == 0,
            done_at=timezone.now() if n % 4 == 0 else None,
            done_by=user if n % 4 == 0 else None,
        )
        for n in range(count)
    )
    recount_production(stages[0].production_id)


@pytest.mark.parametrize("count", [10, 1000])
def test_the_board_makes_the_same_queries_however_many_items(
    production, stages, manager, django_assert_num_queries, count
):
    fill(stages, count, manager)
    client = client_for(manager)
    client.get(board_url(production))  # the session now remembers the board
    # 1. session
    # 2. user
    # 3. the production, by slug, with the user's access level
    # 4. its stages (their progress counters are columns: nothing is counted)
    # 5. the first window of each stage's cards: one query (a small indexed
    #    LIMIT per stage, joined)
    with django_assert_num_queries(5):
        response = client.get(board_url(production))
    assert response.status_code == 200
    html = response.content.decode()
    shown = sum(min(len(range(n, count, 3)), ITEM_WINDOW) for n in range(3))
    assert html.count('class="board-card card') == shown
    assert html.count("Show more of") == (3 if count > 3 * ITEM_WINDOW else 0)


def test_columns_in_stage_order_with_cards(production, editor):
    later = StageFactory(production=production, name="Editing", position=2)
    first = StageFactory(production=production, name="Concept", position=1)
    ChecklistItemFactory(stage=first, title="Write the treatment", position=1)
    html = client_for(editor).get(board_url(production)).content.decode()
    assert html.index("Concept") < html.index("Editing")
    assert f'id="column-{later.pk}-cards"' in html
    assert "Write the treatment" in html
    assert 'aria-label="Move up: Write the treatment"' in html
    assert f'href="{production.get_absolute_url()}">List</a>' in html


def test_scripts_carry_the_nonce_and_are_vendored(production, stages, editor):
    html = client_for(editor).get(board_url(production)).content.decode()
    assert "vendor/sortablejs/Sortable.min.js" in html
    assert "js/board.js" in html
    assert "cdn" not in html.lower()
    vendor = Path(settings.BASE_DIR) / "static/vendor/sortablejs"
    assert (vendor / "Sortable.min.js").exists()
    assert (vendor / "LICENSE").exists()


def test_a_viewer_sees_cards_but_no_controls(production, stages, viewer):
    ChecklistItemFactory(stage=stages[0], title="Book the studio")
    response = client_for(viewer).get(board_url(production))
    assert response.status_code == 200
    assert b"Book the studio" in response.content
    assert b"Move up" not in response.content
    assert b"board.js" not in response.content


def test_an_outsider_gets_404(production, stages, outsider):
    assert client_for(outsider).get(board_url(production)).status_code == 404


def test_the_choice_of_list_or_board_is_remembered(production, stages, editor):
    client = client_for(editor)
    list_url = reverse("production_list")
    assert f'href="{production.get_absolute_url()}"' in client.get(list_url).content.decode()
    client.get(board_url(production))
    assert f'href="{board_url(production)}"' in client.get(list_url).content.decode()
    client.get(production.get_absolute_url())
    assert f'href="{production.get_absolute_url()}"' in client.get(list_url).content.decode()


def test_the_production_page_links_to_the_board(production, stages, viewer):
    html = client_for(viewer).get(production.get_absolute_url()).content.decode()
    assert f'href="{board_url(production)}">Board</a>' in html


def test_show_more_cards(production, stages, editor):
    fill(stages[:1], ITEM_WINDOW + 5)
    stage = stages[0]
    html = client_for(editor).get(board_url(production)).content.decode()
    last = stage.items.for_checklist()[ITEM_WINDOW - 1]
    cursor = f"{int(last.done)}.{last.position}.{last.pk}"
    more = reverse("board_more", args=[stage.pk]) + f"?after={cursor}"
    assert more in html
    fragment = client_for(editor).get(more, **HTMX)
    assert fragment.content.decode().count('class="board-card card') == 5
    page = client_for(editor).get(more)
    assert page.status_code == 200
    assert b"more items" in page.content
    assert client_for(editor).get(reverse("board_more", args=[stage.pk])).status_code == 400


def test_a_drag_across_columns_answers_both_columns(production, stages, editor):
    first, second = stages[0], stages[1]
    card = ChecklistItemFactory(stage=first, title="Fit the jackets", position=1)
    anchor = ChecklistItemFactory(stage=second, title="Call the tailor", position=1)
    response = client_for(editor).post(
        reverse("item_move", args=[card.pk]),
        {"stage": second.pk, "before": anchor.pk, "view": "board"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="column-{first.pk}-cards" data-stage="{first.pk}" hx-swap-oob="innerHTML"' in html
    assert f'id="column-{second.pk}-cards" data-stage="{second.pk}" hx-swap-oob="innerHTML"' in html
    assert html.index("Fit the jackets") < html.index("Call the tailor")
    assert 'name="view" value="board"' in html


def test_a_staff_user_sees_the_board(production, stages):
    staff = UserFactory(is_staff=True)
    assert client_for(staff).get(board_url(production)).status_code == 200


def test_a_card_moved_without_javascript_comes_back_to_the_board(production, stages, editor):
    card = ChecklistItemFactory(stage=stages[0], title="Fit the jackets")
    response = client_for(editor).post(
        reverse("item_move", args=[card.pk]), {"stage": stages[1].pk, "view": "board"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{board_url(production)}#column-{stages[1].pk}"
