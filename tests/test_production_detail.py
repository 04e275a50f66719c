import pytest
from django.utils import timezone

from productions.models import ChecklistItem
from productions.queries import ITEM_WINDOW
from productions.services.counters import recount_production
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    ProductionFactory,
    StageFactory,
)


@pytest.fixture
def production(db):
    return ProductionFactory(title="Neon Nights", slug="neon-nights", artist="Luna")


def url(production):
    return f"/productions/{production.slug}/"


def test_it_shows_the_production(logged_in, production):
    response = logged_in.get(url(production))

    assert response.status_code == 200
    assert b"<html" in response.content
    assert b"<h1" in response.content
    assert b"Neon Nights" in response.content
    assert b"Music video \xc2\xb7 Luna" in response.content


def test_it_shows_stages_in_order_with_their_items(logged_in, production):
    later = StageFactory(production=production, name="Filming", position=2)
    first = StageFactory(production=production, name="Location scouting", position=1)
    ChecklistItemFactory(stage=first, title="Shortlist locations")
    ChecklistItemFactory(stage=later, title="Call sheet sent")

    html = logged_in.get(url(production)).content.decode()
    # The stages as laid out (the export menu above also names them).
    html = html[html.index(f'id="stage-{first.pk}"') :]

    assert html.index("Location scouting") < html.index("Filming")
    assert html.index("Shortlist locations") < html.index("Filming") < html.index("Call sheet sent")
    assert f'id="stage-{first.pk}-items"' in html


def test_it_shows_who_does_what_and_what_is_done(logged_in, production, user):
    stage = StageFactory(production=production)
    done = ChecklistItemFactory(
        stage=stage, done=True, done_at=timezone.now(), done_by=user, title="Book crew"
    )
    ChecklistItemFactory(stage=stage, assignee=CrewMemberFactory(name="Ana Ruiz"))

    html = logged_in.get(url(production)).content.decode()

    assert (
        f'<li id="item-{done.pk}" class="list-group-item d-flex align-items-start gap-2 item-done">'
        in html
    )
    assert "by coordinator" in html
    assert "Assigned to Ana Ruiz" in html
    assert "1 of 2 done" in html
    assert "1 of 2 items done (50%)" in html


def test_it_adds_up_progress_across_stages(logged_in, production):
    for stage in StageFactory.create_batch(2, production=production):
        ChecklistItemFactory(stage=stage, done=True, done_at=timezone.now())
        ChecklistItemFactory(stage=stage)
    ChecklistItemFactory(stage__production=production)

    html = logged_in.get(url(production)).content.decode()

    assert "2 of 5 items done (40%)" in html
    assert html.count("1 of 2 done") == 2


def test_it_shows_the_crew(logged_in, production):
    ours = AssignmentFactory(
        production=production,
        crew_member=CrewMemberFactory(name="Ana Ruiz", phone="555-0100"),
        role=CrewRoleFactory(name="Choreographer"),
    )
    elsewhere = AssignmentFactory()

    html = logged_in.get(url(production)).content.decode()

    assert f'id="assignment-{ours.pk}"' in html
    assert "<div>Ana Ruiz</div>" in html
    assert "Choreographer · 555-0100" in html
    assert f'id="assignment-{elsewhere.pk}"' not in html
    assert "Nobody is assigned yet." not in html


def test_it_says_when_there_are_no_stages_or_crew(logged_in, production):
    html = logged_in.get(url(production)).content.decode()

    assert "This production has no stages yet." in html
    assert "Nobody is assigned yet." in html
    assert "0 of 0 items done (0%)" in html


def test_it_404s_for_an_unknown_slug(logged_in, db):
    assert logged_in.get("/productions/nope/").status_code == 404


def test_it_needs_a_login(client, production):
    response = client.get(url(production))

    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_it_refuses_post(logged_in, production):
    assert logged_in.post(url(production)).status_code == 405


@pytest.mark.parametrize("count", [10, 1000])
def test_it_makes_the_same_queries_however_many_items(
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
            done=n % 4 == 0,
            done_at=timezone.now() if n % 4 == 0 else None,
            done_by=user if n % 4 == 0 else None,
        )
        for n in range(count)
    )
    recount_production(production.pk)

    # 1. session
    # 2. user
    # 3. the production, by slug, with the user's access level
    # 4. its stages (their progress counters are columns: nothing is counted),
    #    each with its open required items (which one holds the production
    #    up) and the id of the last activity entry, where live updates start
    #    from (read before the rows, so a change made meanwhile is sent again)
    # 5. the first window of each stage's items, with their assignees and
    #    done_by users: one query (a small indexed LIMIT per stage, joined)
    # 6. the crew: assignments with crew members and roles joined (also the
    #    filter's person and role choices)
    # The activity feed, and the crew panel's forms (the directory and the
    # roles), load after the page, in requests of their own.
    with django_assert_num_queries(6):
        response = logged_in.get(url(production))

    done = len(range(0, count, 4))
    assert f"{done} of {count} items done" in response.content.decode()
    # Each stage shows its first window of rows, the rest as the user scrolls.
    shown = sum(min(len(range(n, count, 3)), ITEM_WINDOW) for n in range(3))
    assert response.content.count(b'class="list-group-item d-flex align-items-start') == shown
    assert response.content.count(b"Show more of") == (3 if count > 3 * ITEM_WINDOW else 0)
