"""Query counts of the HTMX fragments a coordinator hits all day.

Each count stays the same however many items the stage holds.
"""

import pytest

from tests.factories import AssignmentFactory, ChecklistItemFactory, StageFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture(params=[3, 60], ids=["3-items", "60-items"])
def stage(request, db):
    stage = StageFactory()
    ChecklistItemFactory.create_batch(request.param, stage=stage)
    return stage


def test_it_ticks_an_item_in_constant_queries(logged_in, stage, django_assert_num_queries):
    item = stage.items.first()
    # 1 session, 2 user, 3 the item with its stage, production, assignee and ticker,
    # 4 savepoint, 5 update the item, 6 lock the stage, 7 count its items, 8 update
    # its status, 9 release savepoint, 10 the stage with its counts for the progress
    # bar, 11 the production's counts for its progress bar
    with django_assert_num_queries(11):
        response = logged_in.post(f"/items/{item.pk}/toggle/", {"done": "1"}, headers=HTMX)
    assert response.status_code == 200


def test_it_adds_an_item_in_constant_queries(logged_in, stage, django_assert_num_queries):
    # 1 session, 2 user, 3 the stage with its production, 4 savepoint, 5 the last
    # position, 6 insert, 7 lock the stage, 8 count its items (status), 9 release
    # savepoint, 10 the stage's counts, 11 the production's counts
    with django_assert_num_queries(11):
        response = logged_in.post(
            f"/stages/{stage.pk}/items/", {"title": "Call the venue"}, headers=HTMX
        )
    assert response.status_code == 200


def test_it_deletes_an_item_in_constant_queries(logged_in, stage, django_assert_num_queries):
    item = stage.items.first()
    # 1 session, 2 user, 3 the item, 4 savepoint, 5 delete, 6 lock the stage,
    # 7 count its items (status), 8 release savepoint, 9 the stage's counts,
    # 10 the production's counts
    with django_assert_num_queries(10):
        response = logged_in.post(f"/items/{item.pk}/delete/", headers=HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize("crew_size", [1, 20])
def test_it_renders_the_crew_fragment_in_constant_queries(
    logged_in, django_assert_num_queries, crew_size
):
    production = AssignmentFactory().production
    AssignmentFactory.create_batch(crew_size, production=production)
    # 1 session, 2 user, 3 the production, 4 its assignments with crew and role,
    # 5 crew member choices, 6 role choices (the form is re-shown with its error)
    with django_assert_num_queries(6):
        response = logged_in.post(f"/productions/{production.slug}/crew/", {}, headers=HTMX)
    assert response.status_code == 422
