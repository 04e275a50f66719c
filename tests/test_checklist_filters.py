"""Filters on the production page (issue 6, capability 5): text, assignee,
role, department, state and due range, run in the database, carried in the
URL and by the "Show more" links."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from productions.models import ChecklistItem, CrewRole
from productions.queries import ITEM_WINDOW
from productions.services.counters import recount_production
from tests.conftest import HTMX, client_for
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    ProductionFactory,
    StageFactory,
)


def url(production, query=""):
    return f"/productions/{production.slug}/{query}"


def titles(response):
    """The item titles the page shows, in order."""
    return re.findall(r'<div class="item-title">([^<]*)', response.content.decode())


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def setup(production, today):
    camera = CrewRoleFactory(name="Camera operator", department=CrewRole.Department.CAMERA)
    sound = CrewRoleFactory(name="Sound mixer", department=CrewRole.Department.SOUND)
    alice = CrewMemberFactory(name="Alice")
    bob = CrewMemberFactory(name="Bob")
    AssignmentFactory(production=production, crew_member=alice, role=camera)
    AssignmentFactory(production=production, crew_member=bob, role=sound)
    # Bob operates a camera elsewhere: that says nothing about this production.
    AssignmentFactory(production=ProductionFactory(), crew_member=bob, role=camera)
    shoot = StageFactory(production=production, name="Shoot", position=1)
    wrap = StageFactory(production=production, name="Wrap", position=2)
    day = datetime.timedelta(days=1)
    ChecklistItemFactory(
        stage=shoot, title="Book the van", assignee=alice, due_date=today - 3 * day
    )
    ChecklistItemFactory(stage=shoot, title="Hire lights", assignee=bob, due_date=today + 5 * day)
    ChecklistItemFactory(
        stage=wrap,
        title="Print call sheets",
        due_date=today + 10 * day,
        done=True,
        done_at=timezone.now(),
    )
    ChecklistItemFactory(stage=wrap, title="Rent camera", assignee=alice, notes="The ARRI one")
    recount_production(production.pk)
    return {"alice": alice, "bob": bob, "camera": camera, "sound": sound, "shoot": shoot}


ALL = ["Book the van", "Hire lights", "Rent camera", "Print call sheets"]


def test_without_a_filter_every_item_shows_and_no_clear_link(logged_in, production, setup):
    response = logged_in.get(url(production))

    assert response.status_code == 200
    assert titles(response) == ALL
    assert "Clear filters" not in response.content.decode()
    assert "matching item" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=arri", ["Rent camera"]),
        ("?q=VAN", ["Book the van"]),
        ("?assignee={alice}", ["Book the van", "Rent camera"]),
        ("?assignee=none", ["Print call sheets"]),
        ("?role={camera}", ["Book the van", "Rent camera"]),
        ("?role={sound}", ["Hire lights"]),
        ("?department=camera", ["Book the van", "Rent camera"]),
        ("?department=sound", ["Hire lights"]),
        ("?department=lighting", []),
        ("?state=open", ["Book the van", "Hire lights", "Rent camera"]),
        ("?state=done", ["Print call sheets"]),
        ("?state=overdue", ["Book the van"]),
        ("?due_from={today}", ["Hire lights", "Print call sheets"]),
        ("?due_to={today}", ["Book the van"]),
        ("?due_from={today}&due_to={in_a_week}", ["Hire lights"]),
    ],
)
def test_each_filter(logged_in, production, setup, today, query, expected):
    query = query.format(
        alice=setup["alice"].pk,
        camera=setup["camera"].pk,
        sound=setup["sound"].pk,
        today=today.isoformat(),
        in_a_week=(today + datetime.timedelta(days=7)).isoformat(),
    )
    response = logged_in.get(url(production, query))

    assert response.status_code == 200
    assert titles(response) == expected
    page = response.content.decode()
    assert f'href="{url(production)}">Clear filters</a>' in page


def test_filters_combine(logged_in, production, setup):
    alice = setup["alice"].pk

    assert titles(logged_in.get(url(production, f"?assignee={alice}&state=overdue"))) == [
        "Book the van"
    ]
    assert titles(logged_in.get(url(production, f"?assignee={alice}&q=camera"))) == ["Rent camera"]
    assert titles(logged_in.get(url(production, "?department=sound&state=done"))) == []


def test_a_role_on_another_production_does_not_count(logged_in, production, setup):
    # Bob is a camera operator elsewhere, the sound mixer here.
    response = logged_in.get(url(production, f"?role={setup['camera'].pk}"))

    assert "Hire lights" not in titles(response)


def test_progress_counts_the_whole_stage_and_a_line_counts_matches(logged_in, production, setup):
    response = logged_in.get(url(production, "?state=overdue"))

    page = response.content.decode()
    # The bars still count every item of the stage and of the production.
    assert "0 of 2 done" in page
    assert "1 of 4 items done (25%)" in page
    assert re.findall(r"Showing (\d+) matching items?", page) == ["1", "0"]


def test_the_form_shows_the_current_filter(logged_in, production, setup):
    alice = setup["alice"].pk
    response = logged_in.get(url(production, f"?assignee={alice}&state=open&q=van"))

    page = response.content.decode()
    assert f'<option value="{alice}" selected>Alice</option>' in page
    assert '<option value="open" selected>Open</option>' in page
    assert 'name="q" id="filter-q" value="van"' in page
    # The filter form pushes the filter into the URL as it swaps the stages.
    assert 'hx-push-url="true"' in page
    assert 'hx-select="#checklist"' in page


@pytest.mark.parametrize(
    "query",
    [
        "?assignee=abc",
        "?assignee=-1",
        "?assignee=0",
        "?assignee=99999999999999999999",
        "?assignee=%D9%A3",  # an Arabic-Indic digit
        "?role=x",
        "?role=-5",
        "?role=99999999999999999999",
        "?department=nope",
        "?state=closed",
        "?due_from=2026-13-45",
        "?due_to=%27%3B+DROP+TABLE",
        "?due_from=99999-01-01",
        "?q=" + "x" * 5000,
        "?q=%E2%80%AE%E2%80%8B",  # bidi override and zero-width space
        "?state=done&state=closed&state=open",  # repeated: the last one counts
        "?due_from=2026-12-31&due_to=2026-01-01",  # an empty range, not an error
    ],
)
def test_hostile_values_are_ignored(logged_in, production, setup, query):
    response = logged_in.get(url(production, query))

    assert response.status_code == 200
    if "q=x" in query or "q=%E2" in query or "due_to=2026" in query:
        assert titles(response) == []  # valid, and nothing matches
    elif "state=open" in query:
        assert titles(response) == ["Book the van", "Hire lights", "Rent camera"]
    else:
        assert titles(response) == ALL


def test_a_nul_byte_is_refused_by_the_request_guard_not_a_500(logged_in, production, setup):
    # The project's request hardening answers NUL bytes with a 400 before any view.
    assert logged_in.get(url(production, "?q=%00")).status_code == 400


def test_an_invalid_value_is_ignored_on_its_own(logged_in, production, setup):
    response = logged_in.get(url(production, f"?assignee={setup['alice'].pk}&state=bogus&role=x"))

    assert titles(response) == ["Book the van", "Rent camera"]


def test_an_htmx_request_answers_the_page(logged_in, production, setup):
    # The form selects #checklist out of the answer (hx-select).
    response = logged_in.get(url(production, "?state=done"), **HTMX)

    assert response.status_code == 200
    assert '<div id="checklist">' in response.content.decode()
    assert titles(response) == ["Print call sheets"]


def test_an_outsider_gets_404(production, setup, outsider):
    assert client_for(outsider).get(url(production, "?state=open")).status_code == 404


def test_a_viewer_can_filter(production, setup, viewer):
    response = client_for(viewer).get(url(production, "?state=done"))

    assert response.status_code == 200
    assert titles(response) == ["Print call sheets"]


@pytest.fixture
def long_stage(production, setup):
    """A stage with more matching rows than one window, and others in between."""
    stage = setup["shoot"]
    ChecklistItem.objects.bulk_create(
        ChecklistItemFactory.build(
            stage=stage,
            title=f"Row {n:03}",
            position=10 + n,
            assignee=setup["alice"] if n % 2 else setup["bob"],
        )
        for n in range(3 * ITEM_WINDOW)
    )
    recount_production(production.pk)
    return stage


def test_show_more_carries_the_whole_filter(logged_in, production, setup, long_stage):
    alice = setup["alice"].pk
    response = logged_in.get(url(production, f"?assignee={alice}&state=open&q=row"))

    page = response.content.decode()
    link = html.unescape(re.search(r'href="(/stages/[^"]+/items/more/[^"]+)"', page)[1])
    assert link.startswith(f"/stages/{long_stage.pk}/items/more/?")
    assert f"assignee={alice}" in link
    assert "state=open" in link
    assert "q=row" in link
    assert "after=" in link
    shown = titles(response)
    assert shown == [f"Row {n:03}" for n in range(1, 2 * ITEM_WINDOW, 2)]

    more = logged_in.get(link, **HTMX)

    assert more.status_code == 200
    assert titles(more) == [f"Row {n:03}" for n in range(2 * ITEM_WINDOW + 1, 3 * ITEM_WINDOW, 2)]
    # The last window: no link further.
    assert "Show more of" not in more.content.decode()


def test_show_more_ignores_hostile_filter_values(logged_in, production, setup, long_stage):
    after = f"0.{10 + ITEM_WINDOW}.0"
    response = logged_in.get(
        f"/stages/{long_stage.pk}/items/more/?after={after}&assignee=x&role=-1&state=nope&due_to=nope"
    )

    assert response.status_code == 200


def test_show_more_next_link_keeps_the_filter(logged_in, production, setup, long_stage):
    bob = setup["bob"].pk
    first = logged_in.get(url(production, f"?assignee={bob}"))
    link = html.unescape(
        re.search(r'href="(/stages/[^"]+/items/more/[^"]+)"', first.content.decode())[1]
    )
    # Bob has 30 rows plus "Hire lights": two windows. No JS: a page of its own.
    more = logged_in.get(link)

    assert more.status_code == 200
    assert all(title in {f"Row {n:03}" for n in range(0, 60, 2)} for title in titles(more))


@pytest.mark.parametrize("count", [10, 1000])
def test_the_filtered_page_makes_the_same_queries_however_many_items(
    logged_in, user, production, django_assert_num_queries, count
):
    stages = StageFactory.create_batch(3, production=production)
    crew = CrewMemberFactory.create_batch(3, default_role=CrewRoleFactory())
    for member in crew:
        AssignmentFactory(production=production, crew_member=member)
    ChecklistItem.objects.bulk_create(
        ChecklistItemFactory.build(
            stage=stages[n % 3],
            assignee=crew[n % 3] if n % 2 else None,
            due_date=timezone.localdate() + datetime.timedelta(days=n % 20 - 10),
            done=n % 4 == 0,
            done_at=timezone.now() if n % 4 == 0 else None,
            done_by=user if n % 4 == 0 else None,
        )
        for n in range(count)
    )
    recount_production(production.pk)
    query = (
        f"?q=Item&assignee={crew[1].pk}&department=production&state=open"
        f"&due_from=2000-01-01&due_to=2999-12-31"
    )

    # 1. session
    # 2. user
    # 3. the production, by slug, with the user's access level
    # 4. its stages (their progress counters are columns: nothing is counted),
    #    each with its open required items and the id of the last activity
    #    entry (where live updates start)
    # 5. the first window of each stage's matching items (a small LIMIT per
    #    stage, joined; role and department are EXISTS subqueries in each),
    #    with their assignees and done_by users
    # 6. the matching items counted per stage: one grouped query (filtered only)
    # 7. the crew: assignments with crew members and roles joined (also the
    #    filter's person and role choices)
    # The crew panel's forms (the directory and the roles) load when asked for.
    with django_assert_num_queries(7):
        response = logged_in.get(url(production, query))

    assert response.status_code == 200
    matches = [int(n) for n in re.findall(r"Showing (\d+) matching", response.content.decode())]
    # Every item of crew[1] is open here (n % 2 and n % 4 == 0 never meet).
    assert sum(matches) == ChecklistItem.objects.filter(assignee=crew[1], done=False).count()
    assert len(titles(response)) == sum(min(n, ITEM_WINDOW) for n in matches)


def test_the_production_list_has_clear_filters_when_filtered(logged_in, production):
    assert "Clear filters" not in logged_in.get("/productions/").content.decode()

    page = logged_in.get("/productions/?q=neon&kind=bogus").content.decode()
    assert 'href="/productions/">Clear filters</a>' in page
    assert "1 production matches the filter." in page

    page = logged_in.get("/productions/?archived=1&status=wrapped", **HTMX).content.decode()
    assert 'href="/productions/?archived=1">Clear filters</a>' in page
