"""Query counts of the fragments and pages a coordinator hits all day, at 10
and at 1,000 items: the same count at both sizes (nothing is read per item,
nothing counts the rows), each query named. The production page, the
filtered page and the board have theirs next to their other tests
(test_production_detail.py, test_checklist_filters.py, test_board.py), the
live-update poll in test_live_updates.py.

Tests run inside a transaction, so each service's transaction shows here as
a savepoint and its release.
"""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from productions.models import ChecklistItem, CrewMember, Stage
from productions.services.counters import recount_production
from tests.conftest import HTMX, client_for
from tests.factories import AssignmentFactory, CrewRoleFactory, StageFactory

SIZES = [10, 1000]


def fill(production, count, user):
    """`count` items over three stages of `production`: every fourth done
    (by `user`), every tenth assigned to `user`'s crew entry with a due date.
    The stages are in progress, so the ticks below leave their status as it
    is (a tick that moves it adds one UPDATE)."""
    stages = StageFactory.create_batch(3, production=production, status=Stage.Status.IN_PROGRESS)
    me = CrewMember.objects.create(user=user, name="Mina Okafor", default_role=CrewRoleFactory())
    AssignmentFactory(production=production, crew_member=me, role=me.default_role)
    today = timezone.localdate()
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            stage=stages[n % 3],
            title=f"Item {n}",
            position=n,
            done=n % 4 == 0,
            done_at=timezone.now() if n % 4 == 0 else None,
            done_by=user if n % 4 == 0 else None,
            assignee=me if n % 10 == 0 else None,
            due_date=today + datetime.timedelta(days=n % 30 - 10) if n % 10 == 0 else None,
        )
        for n in range(count)
    )
    recount_production(production.pk)
    return stages


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-items")
def stages(request, production, manager):
    return fill(production, request.param, manager)


@pytest.fixture
def mina(manager):
    return client_for(manager)


def open_item(stage):
    return stage.items.filter(done=False).order_by("position").first()


def test_a_tick(mina, stages, django_assert_num_queries):
    item = open_item(stages[0])
    # 1 session, 2 user, 3 the item with its stage, production and the
    # user's level, 4 savepoint (a BEGIN outside the test's transaction),
    # then the tick (services.set_item_done): 5 the item with its stage,
    # production and assignee, the item locked, 6 its stage, locked, 7 tick
    # the item, 8 move its stage's done count (and status), 9 move the
    # production's counters and live version (read back), 10 the activity
    # entry, 11 release the savepoint (COMMIT).
    expected = 11
    # The progress bars come from what the writes read back.
    with django_assert_num_queries(expected):
        response = mina.post(reverse("item_toggle", args=[item.pk]), {"done": "1"}, **HTMX)
    assert response.status_code == 200
    assert f'id="stage-{item.stage_id}-bar" hx-swap-oob="true"' in response.content.decode()


def test_an_add(mina, stages, django_assert_num_queries):
    # 1 session, 2 user, 3 the stage with its production and the user's level,
    # 4 savepoint, 5 lock the stage, 6 the last position, 7 insert, 8 move the
    # stage's counters, 9 move the production's counters and live version,
    # 10 the activity entry, 11 release the savepoint. The progress bars come
    # from the stage as 5 and 8 left it and the counters 9 read back.
    # PostgreSQL: 4b the production's turn (services/locks.py: the add waits
    # for a move shifting the stage's rows); SQLite writes one at a time.
    expected = 12 if connection.vendor == "postgresql" else 11
    with django_assert_num_queries(expected):
        response = mina.post(
            reverse("item_add", args=[stages[0].pk]), {"title": "Call the venue"}, **HTMX
        )
    assert response.status_code == 200


def test_the_edit_form(mina, stages, django_assert_num_queries):
    item = open_item(stages[0])
    # 1 session, 2 user, 3 the item with its stage, production, people and
    # the user's level, 4 the assignee choices (the crew directory)
    with django_assert_num_queries(4):
        response = mina.get(reverse("item_edit", args=[item.pk]), **HTMX)
    assert response.status_code == 200


def test_an_edit(mina, stages, django_assert_num_queries):
    item = open_item(stages[0])
    data = {"title": "Call the venue", "notes": "", "version": item.version}
    # 1 session, 2 user, 3 the item with its stage, production, people and the
    # user's level, 4 savepoint, 5 lock the item, 6 save it, 7 move the
    # production's live version, 8 the activity entry, 9 release the savepoint
    with django_assert_num_queries(9):
        response = mina.post(reverse("item_edit", args=[item.pk]), data, **HTMX)
    assert response.status_code == 200
    assert "Call the venue" in response.content.decode()


def test_a_delete(mina, stages, django_assert_num_queries):
    item = open_item(stages[0])
    # 1 session, 2 user, 3 the item with the user's level, 4 savepoint, 5 lock
    # the item, 6 lock its stage, 7 move it to the trash, 8 move the stage's
    # counters, 9 move the production's counters and live version (read back
    # for the progress bar), 10 the activity entry, 11 release the savepoint
    with django_assert_num_queries(11):
        response = mina.post(reverse("item_delete", args=[item.pk]), **HTMX)
    assert response.status_code == 200


def test_the_next_window_of_a_stage(mina, stages, django_assert_num_queries):
    stage = stages[0]
    url = reverse("stage_items_more", args=[stage.pk]) + "?after=0.0.0"
    # 1 session, 2 user, 3 the stage with its production and the user's
    # level, 4 its next window of rows (with assignees and who ticked them)
    with django_assert_num_queries(4):
        response = mina.get(url, **HTMX)
    assert response.status_code == 200


def test_the_next_cards_of_a_board_column(mina, stages, django_assert_num_queries):
    stage = stages[0]
    url = reverse("board_more", args=[stage.pk]) + "?after=0.0.0"
    # 1 session, 2 user, 3 the stage with its production and the user's
    # level, 4 its next cards, 5 the stages (each card's "Move to" list)
    with django_assert_num_queries(5):
        response = mina.get(url, **HTMX)
    assert response.status_code == 200


def test_my_work(mina, stages, django_assert_num_queries):
    # 1 session, 2 user, 3 the live version of each of their productions (the
    # cached groups' key), 4 how many open items of theirs each due-date group
    # holds (one aggregate), 5-9 the first rows of each of the five groups,
    # 10 whether they are on a crew, 11 their productions (the side list)
    with django_assert_num_queries(11):
        response = mina.get(reverse("my_work"))
    assert response.status_code == 200


def test_the_csv_export(mina, production, stages, django_assert_num_queries):
    # 1 session, 2 user, 3 the production with the user's level, 4 the user's
    # time zone (dates in the file), 5 the crew's roles, 6 the rows, as tuples
    # read in chunks (a server-side cursor on PostgreSQL)
    with django_assert_num_queries(6):
        response = mina.get(reverse("production_export_csv", args=[production.slug]))
        body = b"".join(response.streaming_content)
    assert body.count(b"\n") == ChecklistItem.objects.count() + 1


@pytest.mark.parametrize("crew_size", [1, 20])
def test_it_renders_the_crew_fragment_in_constant_queries(
    logged_in, django_assert_num_queries, crew_size
):
    production = AssignmentFactory().production
    AssignmentFactory.create_batch(crew_size, production=production)
    # 1 session, 2 user, 3 the production with the user's level, 4 the crew
    # directory (the assignment form's choices), 5 the roles (both forms'),
    # 6 its assignments with crew and role (the form is shown again with its
    # error)
    with django_assert_num_queries(6):
        response = logged_in.post(f"/productions/{production.slug}/crew/", {}, **HTMX)
    assert response.status_code == 422
