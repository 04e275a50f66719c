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
    last = group.items[-1].pk
    assertContains(response, f'hx-get="?group=later&amp;after={last}"')
    assertContains(response, 'href="?show_later=20#group-later"')


def test_show_more_brings_the_next_rows_in_place_then_stops(editor, later):
    client = client_for(editor)

    second = client.get(f"/?group=later&after={later[9].pk}", **HTMX)
    third = client.get(f"/?group=later&after={later[19].pk}", **HTMX)

    assert second.status_code == 200
    assert [i.title for i in second.context["group"].items] == [f"Task {n}" for n in range(10, 20)]
    assertContains(second, f'hx-get="?group=later&amp;after={later[19].pk}"')
    assertContains(second, "autofocus", count=1)  # the first new row takes the keyboard
    assertNotContains(second, "<html")
    assert [i.title for i in third.context["group"].items] == [f"Task {n}" for n in range(20, 25)]
    assertNotContains(third, "Show more")


def test_rows_ticked_meanwhile_make_none_skipped_or_shown_twice(editor, later):
    client = client_for(editor)
    for item in later[3:6]:  # ticked on the page before asking for more
        client.post(f"/items/{item.pk}/toggle/", {"done": "1", "row": "work"}, **HTMX)

    more = client.get(f"/?group=later&after={later[9].pk}", **HTMX)

    assert [i.title for i in more.context["group"].items] == [f"Task {n}" for n in range(10, 20)]


def test_without_javascript_the_page_shows_more_of_the_group(editor, later):
    response = client_for(editor).get("/?show_later=20")

    group = {g.key: g for g in response.context["groups"]}["later"]
    assert len(group.items) == 20
    assertContains(response, 'href="?show_later=30#group-later"')


@pytest.mark.parametrize(
    "query",
    ["?show_later=-5", "?show_later=abc", "?show_later=99999999999", "?show_later=" + "9" * 5000],
)
def test_odd_counts_are_kept_within_bounds(editor, later, query):
    response = client_for(editor).get(f"/{query}")

    assert response.status_code == 200
    group = {g.key: g for g in response.context["groups"]}["later"]
    assert len(group.items) in (PER_GROUP, 25)


@pytest.mark.parametrize(
    "query",
    ["?group=nope&after=10", "?group=later&after=x", "?group=later&after=" + "9" * 30],
)
def test_an_odd_show_more_falls_back_to_the_page_or_the_start(editor, later, query):
    response = client_for(editor).get(f"/{query}", **HTMX)

    assert response.status_code == 200


def test_everything_due_keeps_its_person_filter_in_show_more(manager, me, later):
    response = client_for(manager).get(f"/due/?person={me.pk}")

    assertContains(response, f'hx-get="?person={me.pk}&amp;group=later&amp;after={later[9].pk}"')
    more = client_for(manager).get(f"/due/?person={me.pk}&group=later&after={later[9].pk}", **HTMX)
    assert len(more.context["group"].items) == 10


@pytest.mark.parametrize("count", [25, 300])
def test_show_more_makes_the_same_queries_however_many_items(
    editor, me, production, django_assert_num_queries, count
):
    stage = StageFactory(production=production)
    far = timezone.localdate() + datetime.timedelta(days=400)
    items = ChecklistItemFactory.create_batch(count, stage=stage, assignee=me, due_date=far)
    client = client_for(editor)

    # 1 session, 2 user, 3 the last row shown (where the next window starts),
    # 4 the group's next window (each row with its production, stage and the
    # user's level)
    with django_assert_num_queries(4):
        response = client.get(f"/?group=later&after={items[9].pk}", **HTMX)

    assert response.status_code == 200
