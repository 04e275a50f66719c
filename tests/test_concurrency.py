"""Requests that really run at the same time, on PostgreSQL.

Each request runs in its own thread, with its own database connection, and
the threads start together at a barrier. The data is committed
(transaction=True), so every thread sees it, and row locks really block.
SQLite serializes every write on one file lock, so there is nothing to race
there: these tests are skipped on it.
"""

import threading
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from productions.models import Activity, ChecklistItem, Membership, Production, Stage
from productions.services.counters import recount_production, wrong_counters
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, MembershipFactory, StageFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serializes all writes, "
        "so there are no real races to test",
    ),
    pytest.mark.django_db(transaction=True),
]

Kind = Activity.Kind


def race(*calls, timeout=60):
    """Run each call in its own thread, all released at once; their results
    in order. An exception in a thread (a 500 raised by the test client, a
    deadlock) is raised here, with its traceback."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except BaseException as exc:  # re-raised in the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    if errors:
        raise errors[0]
    return results


def post(client, url, data=None, **headers):
    return lambda: client.post(url, data or {}, **headers)


@pytest.fixture
def stage(production):
    return StageFactory(production=production, name="Wardrobe")


# (a) Two people saving the same item, opened at the same version


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_two_saves_of_the_same_version_one_wins_one_is_told(production, stage, editor, htmx):
    other = UserFactory(username="olga")
    MembershipFactory(production=production, user=other, level=Membership.Level.EDITOR)
    headers = HTMX if htmx else {}
    for round_ in range(5):
        item = ChecklistItemFactory(stage=stage, title=f"Book the van {round_}")
        url = reverse("item_edit", args=[item.pk])
        mine = {"title": "Mine", "version": item.version, "notes": "mine"}
        theirs = {"title": "Theirs", "version": item.version, "notes": "theirs"}

        a, b = race(
            post(client_for(editor), url, mine, **headers),
            post(client_for(other), url, theirs, **headers),
        )

        saved = 200 if htmx else 302
        statuses = sorted([a.status_code, b.status_code])
        assert statuses == sorted([saved, 409]), (round_, statuses)
        loser = a if a.status_code == 409 else b
        assert "Changed by" in loser.content.decode()
        item.refresh_from_db()
        winner_title = "Mine" if a.status_code == saved else "Theirs"
        assert (item.title, item.version) == (winner_title, 2)
        edits = Activity.objects.filter(item=item, kind=Kind.ITEM_EDITED)
        assert edits.count() == 1


# (b) Twenty people ticking twenty items of one production at once


def test_twenty_ticks_at_once_are_all_kept(production, editor):
    first = StageFactory(production=production, name="Wardrobe", position=1)
    second = StageFactory(production=production, name="Catering", position=2)
    items = [ChecklistItemFactory(stage=first) for _ in range(10)]
    items += [ChecklistItemFactory(stage=second) for _ in range(10)]
    still_open = ChecklistItemFactory(stage=second, title="Still open")
    clients = []
    for n in range(20):
        user = UserFactory(username=f"ticker{n}")
        MembershipFactory(production=production, user=user, level=Membership.Level.EDITOR)
        clients.append(client_for(user))

    responses = race(
        *(
            post(client, reverse("item_toggle", args=[item.pk]), {"done": "1"}, **HTMX)
            for client, item in zip(clients, items, strict=True)
        )
    )

    assert [r.status_code for r in responses] == [200] * 20
    assert ChecklistItem.objects.filter(done=True).count() == 20
    assert not ChecklistItem.objects.get(pk=still_open.pk).done
    ticks = Activity.objects.filter(production=production, kind=Kind.ITEM_TICKED)
    assert ticks.count() == 20
    assert sorted(ticks.values_list("item", flat=True)) == sorted(i.pk for i in items)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Stage.Status.DONE
    assert second.status == Stage.Status.IN_PROGRESS
    progress = Production.objects.get(pk=production.pk).progress
    assert (progress.done, progress.total) == (20, 21)
    assert wrong_counters() == []


def test_ticking_the_last_two_items_at_once_finishes_the_stage(production, stage, editor):
    """The stage lock: both ticks must not count before the other's."""
    other = UserFactory(username="olga")
    MembershipFactory(production=production, user=other, level=Membership.Level.EDITOR)
    for _ in range(10):
        stage.items.all().delete()
        Stage.objects.filter(pk=stage.pk).update(status=Stage.Status.NOT_STARTED)
        a, b = ChecklistItemFactory(stage=stage), ChecklistItemFactory(stage=stage)

        race(
            post(client_for(editor), reverse("item_toggle", args=[a.pk]), {"done": "1"}),
            post(client_for(other), reverse("item_toggle", args=[b.pk]), {"done": "1"}),
        )

        stage.refresh_from_db()
        assert stage.status == Stage.Status.DONE


# (c) A tick racing a delete of the same item


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_tick_racing_a_delete_never_fails(production, stage, editor, manager, htmx):
    headers = HTMX if htmx else {}
    outcomes = Counter()
    for _ in range(10):
        item = ChecklistItemFactory(stage=stage)

        tick, delete = race(
            post(
                client_for(editor), reverse("item_toggle", args=[item.pk]), {"done": "1"}, **headers
            ),
            post(client_for(manager), reverse("item_delete", args=[item.pk]), **headers),
        )

        for response in (tick, delete):
            assert 200 <= response.status_code < 400 or response.status_code == 404, response
        outcomes[(tick.status_code, delete.status_code)] += 1
        item = ChecklistItem.all_objects.get(pk=item.pk)
        entries = Activity.objects.filter(item=item)
        # The delete always wins in the end; the tick is kept only if it answered.
        assert item.deleted_at is not None
        assert entries.filter(kind=Kind.ITEM_DELETED).count() == 1
        ticked = tick.status_code != 404
        assert item.done == ticked
        assert entries.filter(kind=Kind.ITEM_TICKED).count() == int(ticked)
    print(f"\ntick vs delete outcomes (tick, delete): {dict(outcomes)}")


def test_a_tick_racing_the_stage_delete_never_fails(production, editor, manager):
    outcomes = Counter()
    for n in range(10):
        stage = StageFactory(production=production, name=f"Stage {n}")
        item = ChecklistItemFactory(stage=stage)

        tick, delete = race(
            post(client_for(editor), reverse("item_toggle", args=[item.pk]), {"done": "1"}),
            post(client_for(manager), reverse("stage_delete", args=[stage.pk])),
        )

        assert tick.status_code in (302, 404), tick
        assert delete.status_code == 302, delete
        outcomes[(tick.status_code, delete.status_code)] += 1
    print(f"\ntick vs stage delete outcomes: {dict(outcomes)}")


# (d) Twenty people creating productions with the same title at once


def test_twenty_productions_with_one_title_get_twenty_slugs(db):
    clients = [client_for(UserFactory(username=f"creator{n}")) for n in range(20)]
    data = {"title": "Neon Nights", "kind": "concert", "status": "planning"}

    responses = race(*(post(client, reverse("production_create"), data) for client in clients))

    assert [r.status_code for r in responses] == [302] * 20
    productions = Production.objects.filter(title="Neon Nights")
    slugs = set(productions.values_list("slug", flat=True))
    assert len(slugs) == 20
    assert {r.url for r in responses} == {f"/productions/{slug}/" for slug in slugs}
    # Each creator manages their own production, and each was logged.
    assert Membership.objects.filter(production__in=productions, level=30).count() == 20
    created = Activity.objects.filter(kind=Kind.PRODUCTION_CREATED, production__in=productions)
    assert created.count() == 20


# Two managers taking each other's access at the same time


@pytest.mark.parametrize("action", ["member_level", "member_remove"])
def test_two_managers_cannot_both_step_down_at_once(production, manager, action):
    """The last-manager check holds under a race: one of them stays manager."""
    other = UserFactory(username="max")
    theirs = MembershipFactory(production=production, user=other, level=Membership.Level.MANAGER)
    mine = production.memberships.get(user=manager)
    data = {"level": "10"} if action == "member_level" else {}

    a, b = race(
        post(client_for(manager), reverse(action, args=[theirs.pk]), data),
        post(client_for(other), reverse(action, args=[mine.pk]), data),
    )

    assert sorted([a.status_code, b.status_code]) in ([302, 403], [302, 422], [302, 404]), (
        a,
        b,
    )
    managers = Membership.objects.filter(production=production, level=Membership.Level.MANAGER)
    assert managers.count() == 1


# (f) A bulk change racing ticks, deletes and moves of the same items


def test_a_bulk_change_racing_single_writes_keeps_every_count_right(production, editor):
    wardrobe = StageFactory(production=production, name="Wardrobe", position=1)
    filming = StageFactory(production=production, name="Filming", position=2)
    items = [
        ChecklistItemFactory(stage=(wardrobe, filming)[n % 2], title=f"Item {n}", position=n)
        for n in range(12)
    ]
    recount_production(production.pk)
    others = []
    for n in range(6):
        user = UserFactory(username=f"racer{n}")
        MembershipFactory(production=production, user=user, level=Membership.Level.EDITOR)
        others.append(client_for(user))
    bulk = post(
        client_for(editor),
        reverse("production_bulk", args=[production.slug]),
        {"action": "move", "stage": wardrobe.pk, "items": [item.pk for item in items]},
    )
    singles = [
        post(others[0], reverse("item_toggle", args=[items[1].pk]), {"done": "1"}),
        post(others[1], reverse("item_delete", args=[items[3].pk])),
        post(others[2], reverse("item_toggle", args=[items[5].pk]), {"done": "1"}),
        post(others[3], reverse("item_move", args=[items[7].pk]), {"stage": filming.pk}),
        post(others[4], reverse("item_toggle", args=[items[0].pk]), {"done": "1"}),
        post(others[5], reverse("item_toggle", args=[items[9].pk]), {"done": "1"}),
    ]

    responses = race(bulk, *singles)

    assert all(response.status_code in (302, 404) for response in responses), [
        response.status_code for response in responses
    ]
    assert wrong_counters() == []
    statuses = [response.status_code for response in responses]
    assert ChecklistItem.objects.filter(done=True).count() == 4, statuses


def test_an_undo_racing_ticks_of_its_items_never_deadlocks(production, editor):
    stage = StageFactory(production=production, name="Wardrobe")
    items = [ChecklistItemFactory(stage=stage, title=f"Item {n}", position=n) for n in range(8)]
    recount_production(production.pk)
    others = []
    for n in range(4):
        user = UserFactory(username=f"ticker{n}")
        MembershipFactory(production=production, user=user, level=Membership.Level.EDITOR)
        others.append(client_for(user))
    client = client_for(editor)
    for _ in range(5):
        client.post(
            reverse("production_bulk", args=[production.slug]),
            {"action": "done", "items": [item.pk for item in items]},
        )
        bulk = production.bulk_actions.order_by("-pk").first()
        ticks = [
            post(others[n], reverse("item_toggle", args=[items[n * 2].pk]), {"done": "0"})
            for n in range(4)
        ]
        responses = race(post(client, reverse("bulk_undo", args=[bulk.pk])), *ticks)
        assert all(r.status_code == 302 for r in responses), [r.status_code for r in responses]
        assert wrong_counters() == []
        assert not ChecklistItem.objects.filter(done=True).exists()
