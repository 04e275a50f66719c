"""The tick (services.set_item_done), the one way on both databases: what
it writes, in how many queries, and what the page answers."""

import json

import pytest
from django.utils import timezone

from productions import services
from productions.exceptions import Gone
from productions.models import Activity, ChecklistItem, Production, Stage
from productions.services.counters import actual_stage_counts, recount_production
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, CrewMemberFactory, StageFactory


@pytest.fixture
def stage(production):
    return StageFactory(production=production, name="Filming")


def test_it_writes_the_item_the_counters_the_version_and_one_entry(production, stage, editor):
    crew = CrewMemberFactory(name="Lia")
    items = ChecklistItemFactory.create_batch(3, stage=stage, assignee=crew)
    version = Production.objects.get(pk=production.pk).live_version

    ticked = services.set_item_done(items[0], True, by=editor)

    row = ChecklistItem.objects.get(pk=items[0].pk)
    assert (row.done, row.done_by_id) == (True, editor.pk)
    assert row.done_at is not None
    stage.refresh_from_db()
    production.refresh_from_db()
    assert (stage.item_count, stage.done_count) == actual_stage_counts([stage.pk])[stage.pk]
    assert (stage.done_count, production.done_count) == (1, 1)
    assert production.live_version == version + 1
    entry = Activity.objects.get(item=row)
    assert (entry.kind, entry.actor, entry.stage_id, entry.subject) == (
        Activity.Kind.ITEM_TICKED,
        editor,
        stage.pk,
        row.title,
    )
    # What the page shows next comes back with it, as the tick left it.
    assert ticked.done_by == editor
    assert ticked.assignee.name == "Lia"
    assert ticked.stage.done_count == 1
    assert ticked.stage.production.done_count == 1
    assert ticked.stage.production.live_version == production.live_version


def test_it_takes_six_queries_and_a_replay_one(
    production, stage, editor, django_assert_num_queries
):
    items = ChecklistItemFactory.create_batch(2, stage=stage)

    # Seven with the test's SAVEPOINT and RELEASE around the service's own
    # transaction (in a request it is a BEGIN and COMMIT, not queries).
    with django_assert_num_queries(8) as captured:
        # 1. SELECT the item, its stage, production and assignee, locking the
        #    item (FOR NO KEY UPDATE on PostgreSQL)
        # 2. SELECT the stage, locking it
        # 3. UPDATE the item
        # 4. UPDATE the stage's done count (and its status, which moves here)
        # 5. UPDATE the production's live version and done count, RETURNING them
        # 6. INSERT the activity entry
        services.set_item_done(items[0], True, by=editor)
    sql = [query["sql"] for query in captured.captured_queries[1:-1]]
    assert sql[0].startswith("SELECT")
    assert 'FROM "productions_checklistitem"' in sql[0]
    assert sql[1].startswith("SELECT")
    assert 'FROM "productions_stage"' in sql[1]
    assert sql[2].startswith('UPDATE "productions_checklistitem"')
    assert sql[3].startswith('UPDATE "productions_stage" SET "status"')
    assert sql[4].startswith('UPDATE "productions_production"')
    assert "RETURNING" in sql[4]
    assert sql[5].startswith('INSERT INTO "productions_activity"')

    with django_assert_num_queries(8):
        # The same six when the status stays (it is in progress already).
        services.set_item_done(items[1], True, by=editor)
    with django_assert_num_queries(3):
        # 1. SELECT (and lock): already done, nothing is written.
        services.set_item_done(items[1], True, by=editor)


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
def test_the_stage_status_follows_the_one_rule(
    production, stage, editor, status, manual, items, done_before, done
):
    """The tick moves the status as Stage.status_from_checklist() says."""
    rows = ChecklistItemFactory.create_batch(items, stage=stage)
    for row in rows[:done_before]:
        services.set_item_done(row, True, by=editor)
    target = rows[done_before - 1] if not done else rows[done_before]
    Stage.objects.filter(pk=stage.pk).update(status=status, status_manual=manual)
    stage.refresh_from_db()
    stage.done_count += 1 if done else -1
    expected = stage.status_from_checklist()

    ticked = services.set_item_done(target, done, by=editor)

    assert Stage.objects.get(pk=stage.pk).status == expected
    assert ticked.stage.status == expected


@pytest.mark.parametrize(
    ("status", "manual", "total", "done", "handed_back", "expected"),
    [
        ("not_started", False, 0, 0, False, "not_started"),
        ("not_started", False, 2, 1, False, "in_progress"),
        ("in_progress", False, 2, 2, False, "done"),
        ("done", False, 2, 0, False, "not_started"),
        ("in_progress", False, 2, 0, False, "in_progress"),
        ("blocked", False, 2, 2, False, "blocked"),
        ("in_progress", True, 2, 2, False, "in_progress"),
        ("done", True, 2, 0, False, "done"),
        ("blocked", True, 2, 1, True, "in_progress"),
        ("done", True, 2, 0, True, "not_started"),
        ("in_progress", True, 0, 0, True, "not_started"),
    ],
)
def test_the_rule(status, manual, total, done, handed_back, expected):
    stage = Stage(status=status, status_manual=manual, item_count=total, done_count=done)

    assert stage.status_from_checklist(handed_back=handed_back) == expected


def test_a_trashed_item_stage_or_production_is_gone_and_nothing_is_written(
    production, stage, editor, manager
):
    trashed = ChecklistItemFactory(stage=stage)
    services.delete_item(trashed, by=manager)
    other = StageFactory(production=production)
    in_trashed_stage = ChecklistItemFactory(stage=other)
    services.delete_stage(other, by=manager)
    entries = Activity.objects.count()

    for item in (trashed, in_trashed_stage, ChecklistItem(pk=10**9)):
        with pytest.raises(Gone):
            services.set_item_done(item, True, by=editor)

    assert Activity.objects.count() == entries
    assert not ChecklistItem.all_objects.filter(done=True).exists()


def test_a_replay_writes_nothing(production, stage, editor):
    item = ChecklistItemFactory(stage=stage, done=True, done_at=timezone.now())
    version = Production.objects.get(pk=production.pk).live_version

    services.set_item_done(item, True, by=editor)

    assert not Activity.objects.exists()
    assert Production.objects.get(pk=production.pk).live_version == version


def test_the_page_ticks_through_the_one_service(production, stage, editor, viewer, outsider):
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
    recount = (Stage.objects.get(pk=stage.pk).done_count, 1)
    recount_production(production.pk)
    assert recount == (Stage.objects.get(pk=stage.pk).done_count, 1)


@pytest.mark.parametrize("pk", [2**63, 10**20])
def test_an_id_past_the_bigint_range_is_a_404_not_a_500(production, editor, pk):
    response = client_for(editor).post(f"/items/{pk}/toggle/", {"done": "1"}, **HTMX)

    assert response.status_code == 404
