"""My work and Everything due: open items by when they are due."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from productions.models import Activity, ChecklistItem
from tests.conftest import HTMX, client_for
from tests.factories import (
    ChecklistItemFactory,
    CrewMemberFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
)


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def me(editor):
    return CrewMemberFactory(name="Eddie Crew", user=editor)


@pytest.fixture
def stage(production):
    return StageFactory(production=production, name="Wardrobe")


def groups(response):
    return {g.key: [i.title for i in g.items] for g in response.context["groups"]}


def test_my_work_groups_my_open_items_by_due_date(editor, me, stage):
    week_end = 6 - timezone.localdate().weekday()
    ChecklistItemFactory(stage=stage, assignee=me, title="Late", due_date=days(-3))
    ChecklistItemFactory(stage=stage, assignee=me, title="Now", due_date=days(0))
    if week_end:
        ChecklistItemFactory(stage=stage, assignee=me, title="Soon", due_date=days(week_end))
    ChecklistItemFactory(stage=stage, assignee=me, title="Far", due_date=days(30))
    ChecklistItemFactory(stage=stage, assignee=me, title="Whenever")
    ChecklistItemFactory(
        stage=stage, assignee=me, title="Done already", done=True, done_at=timezone.now()
    )
    ChecklistItemFactory(stage=stage, title="Someone else's", due_date=days(-3))

    response = client_for(editor).get("/")

    assert groups(response) == {
        "overdue": ["Late"],
        "today": ["Now"],
        "week": ["Soon"] if week_end else [],
        "later": ["Far"],
        "none": ["Whenever"],
    }
    assertContains(response, "3 days overdue")
    assertContains(response, "Neon Nights · Wardrobe")


def test_my_work_leaves_out_productions_i_no_longer_belong_to(editor, me, stage):
    other = StageFactory(production=ProductionFactory(title="Old Show"))
    ChecklistItemFactory(stage=other, assignee=me, title="From an old show")

    response = client_for(editor).get("/")

    assertNotContains(response, "From an old show")


def test_my_work_ticks_in_place(editor, me, stage):
    item = ChecklistItemFactory(stage=stage, assignee=me, title="Late", due_date=days(-1))

    response = client_for(editor).post(
        f"/items/{item.pk}/toggle/", {"done": "1", "row": "work"}, **HTMX
    )

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<li id="work-item-{item.pk}"')
    assert ChecklistItem.objects.get(pk=item.pk).done


def test_my_work_ticks_without_javascript_and_comes_back(editor, me, stage):
    item = ChecklistItemFactory(stage=stage, assignee=me)

    response = client_for(editor).post(f"/items/{item.pk}/toggle/", {"done": "1", "row": "work"})

    assert response.status_code == 302
    assert response.url == "/"


def test_my_work_reschedules_in_place_and_logs_it(editor, me, stage):
    item = ChecklistItemFactory(stage=stage, assignee=me, title="Late", due_date=days(-1))

    response = client_for(editor).post(
        f"/items/{item.pk}/edit/", {"due_date": days(3).isoformat(), "row": "work"}, **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="work-item-{item.pk}"')
    assert "overdue" not in html
    assert ChecklistItem.objects.get(pk=item.pk).due_date == days(3)
    entry = Activity.objects.get(kind=Activity.Kind.ITEM_EDITED, item=item)
    assert entry.changes["due_date"] == [days(-1).isoformat(), days(3).isoformat()]


def test_my_work_reschedules_to_no_date(editor, me, stage):
    item = ChecklistItemFactory(stage=stage, assignee=me, due_date=days(-1))

    response = client_for(editor).post(
        f"/items/{item.pk}/edit/", {"due_date": "", "row": "work"}, **HTMX
    )

    assert response.status_code == 200
    assert ChecklistItem.objects.get(pk=item.pk).due_date is None


@pytest.mark.parametrize(("page", "back_to"), [("", "/"), ("due", "/due/")])
def test_my_work_reschedules_without_javascript_and_comes_back(editor, me, stage, page, back_to):
    item = ChecklistItemFactory(stage=stage, assignee=me)

    response = client_for(editor).post(
        f"/items/{item.pk}/edit/", {"due_date": days(2).isoformat(), "row": "work", "page": page}
    )

    assert response.status_code == 302
    assert response.url == back_to
    assert ChecklistItem.objects.get(pk=item.pk).due_date == days(2)


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-js"])
def test_a_refused_new_date_is_said_next_to_the_field(editor, me, stage, htmx):
    item = ChecklistItemFactory(stage=stage, assignee=me, due_date=days(-1))

    response = client_for(editor).post(
        f"/items/{item.pk}/edit/",
        {"due_date": "31 Feb", "row": "work"},
        **(HTMX if htmx else {}),
    )

    assert response.status_code == 422
    assertContains(response, "Enter a valid date.", status_code=422)
    assertContains(response, f'id="work-item-{item.pk}-due_date-error"', status_code=422)
    assert ChecklistItem.objects.get(pk=item.pk).due_date == days(-1)
    assert not Activity.objects.filter(kind=Activity.Kind.ITEM_EDITED).exists()


def test_a_viewer_may_not_reschedule(viewer, stage):
    item = ChecklistItemFactory(stage=stage, assignee=CrewMemberFactory(user=viewer))

    response = client_for(viewer).post(
        f"/items/{item.pk}/edit/", {"due_date": days(2).isoformat(), "row": "work"}, **HTMX
    )

    assert response.status_code == 403
    assert ChecklistItem.objects.get(pk=item.pk).due_date is None


def test_ticking_on_everything_due_keeps_the_rows_assignee(manager, me, stage):
    item = ChecklistItemFactory(stage=stage, assignee=me, title="Eddie's")

    response = client_for(manager).post(
        f"/items/{item.pk}/toggle/", {"done": "1", "row": "work", "page": "due"}, **HTMX
    )

    assertContains(response, "Eddie Crew")
    assertContains(response, 'name="page" value="due"')


def test_a_viewer_sees_their_items_without_a_tick(viewer, production, stage):
    me = CrewMemberFactory(user=viewer)
    item = ChecklistItemFactory(stage=stage, assignee=me)

    response = client_for(viewer).get("/")

    assertContains(response, item.title)
    assertNotContains(response, f"/items/{item.pk}/toggle/")
    assertNotContains(response, "Reschedule")


def test_everything_due_shows_every_open_item_of_my_productions_by_person(manager, me, stage):
    ChecklistItemFactory(stage=stage, assignee=me, title="Eddie's")
    ChecklistItemFactory(stage=stage, title="Nobody's")
    ChecklistItemFactory(stage=StageFactory(), title="Not my production")
    client = client_for(manager)

    everyone = client.get("/due/")
    filtered = client.get(f"/due/?person={me.pk}", **HTMX)

    def titles(response):
        return sorted(title for group in groups(response).values() for title in group)

    assert titles(everyone) == ["Eddie's", "Nobody's"]
    assert titles(filtered) == ["Eddie's"]
    assertContains(everyone, "Eddie Crew")


@pytest.mark.parametrize("count", [3, 200])
def test_my_work_makes_the_same_queries_however_many_items(
    editor, me, stage, django_assert_num_queries, count
):
    for n in range(count):
        ChecklistItemFactory(stage=stage, assignee=me, due_date=days(n % 20 - 10))
    MembershipFactory(production=ProductionFactory(), user=editor)
    client = client_for(editor)

    # 1 session, 2 user, 3 the live version of each of my productions (the
    # cached groups' key), 4 whether the user is in the crew directory, 5 my
    # productions in progress with their counts; drawn (not cached yet): 6 the
    # count of each due group in one aggregate, 7-11 one window of rows per due
    # group (each row with its production, stage and the user's level).
    with django_assert_num_queries(11):
        response = client.get("/")
    assert response.status_code == 200

    # Again, nothing changed: the groups come from the cache, no item is read.
    with django_assert_num_queries(5):
        again = client.get("/")

    def groups(page):
        return page.content.split(b'id="work-groups"')[1].split(b'id="my-productions"')[0]

    assert groups(again) == groups(response)


def test_the_production_page_marks_overdue_items_and_stages_in_words(production, viewer):
    stage = StageFactory(production=production, due_date=days(-1))
    ChecklistItemFactory(stage=stage, title="Late", due_date=days(-3))
    ChecklistItemFactory(stage=stage, title="Due now", due_date=days(0))
    ChecklistItemFactory(
        stage=stage, title="Done late", due_date=days(-9), done=True, done_at=timezone.now()
    )

    response = client_for(viewer).get(f"/productions/{production.slug}/")

    assertContains(response, "3 days overdue")
    assertContains(response, "1 day overdue")  # the stage
    assertContains(response, "due today")
    assertNotContains(response, "9 days overdue")  # done is done
