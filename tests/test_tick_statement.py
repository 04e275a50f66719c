"""The tick in one statement (services.tick, PostgreSQL): it writes exactly
what set_item_done() writes, only for someone who may edit a live item not
already as asked, and otherwise writes nothing and leaves the usual way to
answer (404, 403, a replay)."""

import json

import pytest
from django.db import connection
from django.utils import timezone

from productions import services
from productions.models import Activity, ChecklistItem, Stage
from productions.services.checklist import _auto_status
from productions.services.counters import actual_stage_counts, recount_production
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, CrewMemberFactory, StageFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="one statement of data-modifying CTEs"
)


@pytest.fixture
def stage(production):
    return StageFactory(production=production, name="Filming")


def entry_fields(entry):
    return {
        "production": entry.production_id,
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "kind": entry.kind,
        "subject": entry.subject,
        "stage": entry.stage_id,
        "item": entry.item_id,
        "changes": entry.changes,
        "bulk": entry.bulk_id,
    }


@postgresql_only
def test_it_writes_what_set_item_done_writes(production, stage, editor):
    crew = CrewMemberFactory(name="Lia")
    first, second = ChecklistItemFactory.create_batch(2, stage=stage, assignee=crew)

    ticked = services.tick(first.pk, True, by=editor)
    services.set_item_done(second, True, by=editor)

    assert ticked is not None
    assert ticked.access.edit
    assert ticked.item.done
    assert ticked.item.done_by == editor
    assert ticked.item.assignee.name == "Lia"
    fast, slow = ChecklistItem.objects.get(pk=first.pk), ChecklistItem.objects.get(pk=second.pk)
    assert (fast.done, fast.done_by_id) == (slow.done, slow.done_by_id)
    assert fast.done_at is not None
    entries = {e.item_id: entry_fields(e) for e in Activity.objects.filter(stage=stage)}
    assert {**entries[first.pk], "item": None, "subject": None} == {
        **entries[second.pk],
        "item": None,
        "subject": None,
    }
    assert entries[first.pk]["subject"] == first.title


@postgresql_only
def test_its_counters_and_version_agree_with_the_rows(production, stage, editor):
    items = ChecklistItemFactory.create_batch(3, stage=stage)
    recount_production(production.pk)
    production.refresh_from_db()
    version = production.live_version

    ticked = services.tick(items[0].pk, True, by=editor)

    stage.refresh_from_db()
    production.refresh_from_db()
    assert (stage.item_count, stage.done_count) == actual_stage_counts([stage.pk])[stage.pk]
    assert (stage.done_count, production.done_count) == (1, 1)
    assert production.live_version == version + 1
    # What the statement read back is what the rows now hold.
    assert ticked.item.stage.done_count == 1
    assert ticked.item.stage.production.done_count == 1
    assert ticked.item.stage.production.live_version == production.live_version


@postgresql_only
def test_the_checklist_moves_the_stage_status(production, stage, editor):
    item = ChecklistItemFactory(stage=stage)
    recount_production(production.pk)

    ticked = services.tick(item.pk, True, by=editor)

    assert ticked.status_moved
    assert Stage.objects.get(pk=stage.pk).status == Stage.Status.DONE
    assert services.tick(item.pk, False, by=editor).status_moved
    assert Stage.objects.get(pk=stage.pk).status == Stage.Status.NOT_STARTED


@postgresql_only
@pytest.mark.parametrize("status", Stage.Status.values)
@pytest.mark.parametrize("manual", [False, True])
@pytest.mark.parametrize(
    ("items", "done_before", "done"),
    [
        (1, 0, True),
        (1, 1, False),
        (3, 0, True),
        (3, 1, True),
        (3, 2, True),
        (3, 3, False),
        (3, 2, False),
        (3, 1, False),
    ],
)
def test_the_statement_moves_the_status_as_the_usual_way_does(
    production, stage, editor, status, manual, items, done_before, done
):
    """The statement's status rule (SQL) and _auto_status() (Python) agree,
    as does what they say about the status having moved."""
    rows = ChecklistItemFactory.create_batch(items, stage=stage)
    for row in rows[:done_before]:
        services.set_item_done(row, True, by=editor)
    target = rows[done_before - 1] if not done else rows[done_before]
    Stage.objects.filter(pk=stage.pk).update(status=status, status_manual=manual)
    stage.refresh_from_db()
    expected = _auto_status(
        Stage(
            status=status,
            status_manual=manual,
            item_count=stage.item_count,
            done_count=stage.done_count + (1 if done else -1),
        ),
        handed_back=False,
    )

    ticked = services.tick(target.pk, done, by=editor)

    assert Stage.objects.get(pk=stage.pk).status == expected
    assert ticked.item.stage.status == expected
    assert ticked.status_moved == (expected != status)


@postgresql_only
@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_it_writes_nothing_for_who_may_not_edit(request, production, stage, who):
    item = ChecklistItemFactory(stage=stage)
    user = request.getfixturevalue(who)

    assert services.tick(item.pk, True, by=user) is None

    assert not ChecklistItem.objects.get(pk=item.pk).done
    assert not Activity.objects.exists()


@postgresql_only
def test_it_leaves_a_replay_a_trashed_item_and_a_trashed_stage_to_the_usual_way(
    production, stage, editor, manager
):
    done = ChecklistItemFactory(stage=stage, done=True, done_at=timezone.now())
    trashed = ChecklistItemFactory(stage=stage)
    services.delete_item(trashed, by=manager)
    other = StageFactory(production=production)
    in_trashed_stage = ChecklistItemFactory(stage=other)
    services.delete_stage(other, by=manager)
    entries = Activity.objects.count()

    assert services.tick(done.pk, True, by=editor) is None
    assert services.tick(trashed.pk, True, by=editor) is None
    assert services.tick(in_trashed_stage.pk, True, by=editor) is None
    assert services.tick(10**9, True, by=editor) is None

    assert Activity.objects.count() == entries


@postgresql_only
def test_staff_may_tick_without_a_membership(production, stage, staff):
    item = ChecklistItemFactory(stage=stage)

    assert services.tick(item.pk, True, by=staff).access.manage


def test_the_page_answers_the_same_either_way(production, stage, editor, viewer, outsider):
    item = ChecklistItemFactory(stage=stage, title="Book the crane")
    url = f"/items/{item.pk}/toggle/"

    assert client_for(outsider).post(url, {"done": "1"}, **HTMX).status_code == 404
    assert client_for(viewer).post(url, {"done": "1"}, **HTMX).status_code == 403
    response = client_for(editor).post(url, {"done": "1"}, **HTMX)
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert json.loads(response["HX-Trigger"])["announce"].startswith("Ticked “Book the crane”")
    # Again (a double click): nothing changes, nothing is logged twice.
    again = client_for(editor).post(url, {"done": "1"}, **HTMX)
    assert again.status_code == 200
    assert Activity.objects.filter(item=item).count() == 1


def test_sqlite_takes_the_usual_way(production, stage, editor):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    item = ChecklistItemFactory(stage=stage)

    assert services.tick(item.pk, True, by=editor) is None


@pytest.mark.parametrize("pk", [2**63, 10**20])
def test_an_id_past_the_bigint_range_is_a_404_not_a_500(production, editor, pk):
    response = client_for(editor).post(f"/items/{pk}/toggle/", {"done": "1"}, **HTMX)

    assert response.status_code == 404
