"""Query counts of the HTMX fragments a coordinator hits all day.

Each count stays the same however many items the stage holds.
"""

import pytest

from tests.conftest import HTMX
from tests.factories import AssignmentFactory, ChecklistItemFactory, StageFactory


@pytest.fixture(params=[3, 60], ids=["3-items", "60-items"])
def stage(request, db):
    stage = StageFactory()
    ChecklistItemFactory.create_batch(request.param, stage=stage)
    return stage


def test_it_ticks_an_item_in_constant_queries(logged_in, stage, django_assert_num_queries):
    item = stage.items.first()
    # 1 session, 2 user, 3 the item with its stage, production, assignee, ticker
    # and the user's level, 4 savepoint, 5 lock the item, 6 update it, 7 lock the
    # stage, 8 move its counters and status, 9 move the production's counters and
    # live version, 10 the activity entry, 11 release savepoint, 12 the stage and
    # its production with their counters for the progress bars. Nothing is counted.
    with django_assert_num_queries(12):
        response = logged_in.post(f"/items/{item.pk}/toggle/", {"done": "1"}, **HTMX)
    assert response.status_code == 200


def test_it_adds_an_item_in_constant_queries(logged_in, stage, django_assert_num_queries):
    # 1 session, 2 user, 3 the stage with its production and the user's level,
    # 4 savepoint, 5 lock the stage, 6 the last position, 7 insert, 8 move the
    # stage's counters, 9 move the production's counters and live version,
    # 10 activity entry, 11 release savepoint, 12 the stage and its production
    # with their counters for the progress bars
    with django_assert_num_queries(12):
        response = logged_in.post(f"/stages/{stage.pk}/items/", {"title": "Call the venue"}, **HTMX)
    assert response.status_code == 200


def test_it_deletes_an_item_in_constant_queries(logged_in, stage, django_assert_num_queries):
    item = stage.items.first()
    # 1 session, 2 user, 3 the item with the user's level, 4 savepoint, 5 lock the
    # item, 6 move it to the trash, 7 lock the stage, 8 move its counters, 9 move
    # the production's counters and live version, 10 activity entry, 11 release
    # savepoint, 12 the stage and its production with their counters
    with django_assert_num_queries(12):
        response = logged_in.post(f"/items/{item.pk}/delete/", **HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize("crew_size", [1, 20])
def test_it_renders_the_crew_fragment_in_constant_queries(
    logged_in, django_assert_num_queries, crew_size
):
    production = AssignmentFactory().production
    AssignmentFactory.create_batch(crew_size, production=production)
    # 1 session, 2 user, 3 the production with the user's level, 4 its assignments
    # with crew and role, 5 crew member choices, 6 role choices (the form is re-shown
    # with its error), 7 the new-freelancer form's role choices
    with django_assert_num_queries(7):
        response = logged_in.post(f"/productions/{production.slug}/crew/", {}, **HTMX)
    assert response.status_code == 422
