"""My work and Everything due show ten rows a group, and more when asked:
with htmx the next ten in place, without JavaScript the page with more."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from productions.views.mywork import PER_GROUP
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, CrewMemberFactory, StageFactory


@pytest.fixture
def me(editor):
    return CrewMemberFactory(name="Eddie Crew", user=editor)


@pytest.fixture
def later(production, me):
    """25 of my items due next year ("Later"), in due order."""
    stage = StageFactory(production=production, name="Wardrobe")
    start = timezone.localdate() + datetime.timedelta(days=400)
    return [
        ChecklistItemFactory(
            stage=stage, assignee=me, title=f"Task {n:02}", due_date=start + datetime.timedelta(n)
        )
        for n in range(25)
    ]


def test_a_group_shows_ten_rows_and_a_show_more(editor, later):
    response = client_for(editor).get("/")

    group = {g.key: g for g in response.context["groups"]}["later"]
    assert [item.title for item in group.items] == [f"Task {n:02}" for n in range(PER_GROUP)]
    assert group.total == 25
    assertContains(response, 'hx-get="?group=later&amp;offset=10"')
    assertContains(response, 'href="?show_later=20#group-later"')


def test_show_more_brings_the_next_rows_in_place_then_stops(editor, later):
    client = client_for(editor)

    second = client.get("/?group=later&offset=10", **HTMX)
    third = client.get("/?group=later&offset=20", **HTMX)

    assert second.status_code == 200
    assert [i.title for i in second.context["group"].items] == [f"Task {n}" for n in range(10, 20)]
    assertContains(second, 'hx-get="?group=later&amp;offset=20"')
    assertContains(second, "autofocus", count=1)  # the first new row takes the keyboard
    assertNotContains(second, "<html")
    assert [i.title for i in third.context["group"].items] == [f"Task {n}" for n in range(20, 25)]
    assertNotContains(third, "Show more")


def test_without_javascript_the_page_shows_more_of_the_group(editor, later):
    response = client_for(editor).get("/?show_later=20")

    group = {g.key: g for g in response.context["groups"]}["later"]
    assert len(group.items) == 20
    assertContains(response, 'href="?show_later=30#group-later"')


@pytest.mark.parametrize("query", ["?show_later=-5", "?show_later=abc", "?show_later=99999999999"])
def test_odd_counts_are_kept_within_bounds(editor, later, query):
    response = client_for(editor).get(f"/{query}")

    assert response.status_code == 200
    group = {g.key: g for g in response.context["groups"]}["later"]
    assert len(group.items) in (PER_GROUP, 25)


@pytest.mark.parametrize("query", ["?group=nope&offset=10", "?group=later&offset=x"])
def test_an_odd_show_more_falls_back_to_the_page_or_the_start(editor, later, query):
    response = client_for(editor).get(f"/{query}", **HTMX)

    assert response.status_code == 200


def test_everything_due_keeps_its_person_filter_in_show_more(manager, me, later):
    response = client_for(manager).get(f"/due/?person={me.pk}")

    assertContains(response, f'hx-get="?person={me.pk}&amp;group=later&amp;offset=10"')
    more = client_for(manager).get(f"/due/?person={me.pk}&group=later&offset=10", **HTMX)
    assert len(more.context["group"].items) == 10


@pytest.mark.parametrize("count", [25, 300])
def test_show_more_makes_the_same_queries_however_many_items(
    editor, me, production, django_assert_num_queries, count
):
    stage = StageFactory(production=production)
    far = timezone.localdate() + datetime.timedelta(days=400)
    ChecklistItemFactory.create_batch(count, stage=stage, assignee=me, due_date=far)
    client = client_for(editor)

    # 1 session, 2 user, 3 the group's next window (each row with its
    # production, stage and the user's level)
    with django_assert_num_queries(3):
        response = client.get("/?group=later&offset=10", **HTMX)

    assert response.status_code == 200
