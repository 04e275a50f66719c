"""The one lock order (services/locks.py), pinned pair by pair on PostgreSQL.

Each test replays, step by step, a deadlock the services had: a row is held
here while the writers start one after the other, each stopping at the lock
the deadlock needs, and then let go. Before the lock order was written down
each of these ended in PostgreSQL's "deadlock detected" (a 500 and a lost
click); now the second writer waits for the first and both land.
"""

import datetime

import pytest

from productions import services
from productions.imports import read_table
from productions.models import Activity, ChecklistItem, Stage
from productions.services.counters import wrong_counters
from productions.services.stages import move_stage, update_stage
from tests.factories import ChecklistItemFactory, CommentFactory, StageFactory
from tests.races import Holder, in_order, postgresql_only, start, waiting_for_locks

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


# A writer that logs about a stage it did not lock: the activity entry's
# foreign key to the stage is checked at COMMIT (Django's foreign keys are
# DEFERRABLE INITIALLY DEFERRED), which takes FOR KEY SHARE on the stage row,
# after the writer moved the production's live version.
LOGGERS = {
    "edit": lambda item, by: services.update_item(item, by=by, title="Edited"),
    "comment": lambda item, by: services.add_comment(item, by=by, body="On my way"),
}


# Writers that lock the stage and then move the production's live version.
def _bulk_due(stage, other, by):
    due = datetime.date(2030, 1, 1)
    return services.bulk_edit(stage.production, [other.pk], "due", by=by, due_date=due)


def _undo(stage, other, by):
    bulk = services.bulk_edit(stage.production, [other.pk], "done", by=by)
    return lambda: services.undo_bulk(bulk, by=by)


STAGE_WRITERS = {
    "add_item": lambda stage, other, by: services.add_item(stage, by=by, title="New"),
    "add_items": lambda stage, other, by: services.add_items(stage, by=by, titles=["A", "B"]),
    "set_stage_status": lambda stage, other, by: services.set_stage_status(
        stage, Stage.Status.BLOCKED, by=by
    ),
    "update_stage": lambda stage, other, by: update_stage(stage, by=by, name="Renamed"),
    "delete_stage": lambda stage, other, by: services.delete_stage(stage, by=by),
    "delete_item": lambda stage, other, by: services.delete_item(other, by=by),
    "tick": lambda stage, other, by: services.set_item_done(other, True, by=by),
    "move_item": lambda stage, other, by: services.move_item(other, by=by),
    "move_stage": lambda stage, other, by: move_stage(stage, by=by, direction="down"),
    "reorder_stages": lambda stage, other, by: services.reorder_stages(
        stage.production, by=by, order=[s.pk for s in stage.production.stages.reverse()]
    ),
    "bulk_edit": _bulk_due,
}


@pytest.mark.parametrize("writer", STAGE_WRITERS)
@pytest.mark.parametrize("logger", LOGGERS)
def test_a_write_logged_about_a_stage_and_a_write_holding_that_stage_do_not_deadlock(
    production, manager, logger, writer
):
    stage = StageFactory(production=production, name="Wardrobe", position=1)
    StageFactory(production=production, name="Filming", position=2)
    item = ChecklistItemFactory(stage=stage, title="Steam the coats", position=1)
    other = ChecklistItemFactory(stage=stage, title="Press the shirts", position=2)

    # The logger locks its item and waits for the production (held here);
    # the writer locks the stage and waits for the production too. Let go:
    # the logger moves the production and commits, and its foreign-key check
    # needs the stage, which the writer held FOR UPDATE while it waited for
    # the production: each waited for the other.
    in_order(
        production,
        lambda: LOGGERS[logger](item, manager),
        lambda: STAGE_WRITERS[writer](stage, other, manager),
    )

    assert Activity.objects.filter(item=item).exists()
    assert wrong_counters() == []


def test_a_write_logged_about_a_stage_and_an_undo_holding_that_stage_do_not_deadlock(
    production, manager
):
    stage = StageFactory(production=production, name="Wardrobe")
    item = ChecklistItemFactory(stage=stage, title="Steam the coats", position=1)
    other = ChecklistItemFactory(stage=stage, title="Press the shirts", position=2)
    undo = _undo(stage, other, manager)

    in_order(production, lambda: services.update_item(item, by=manager, title="Edited"), undo)

    assert not ChecklistItem.objects.get(pk=other.pk).done
    assert wrong_counters() == []


@pytest.mark.parametrize(
    "writer",
    [
        lambda stage, by: services.add_item(stage, by=by, title="Added by hand"),
        lambda stage, by: services.set_stage_status(stage, Stage.Status.BLOCKED, by=by),
    ],
    ids=["add_item", "set_stage_status"],
)
def test_an_import_and_a_write_holding_a_stage_it_touches_do_not_deadlock(
    production, manager, writer
):
    stage = StageFactory(production=production, name="Wardrobe")
    ChecklistItemFactory(stage=stage, title="Steam the coats")
    table = read_table("list.csv", b"Stage,Title\nWardrobe,Imported\n")

    # The writer waits for the stage (held here); the import creates its
    # item, moved the production's live version and then waited for the
    # stage to count it. Let go: the writer gets the stage and waits for the
    # production the import holds.
    in_order(
        stage,
        lambda: writer(stage, manager),
        lambda: services.apply_checklist_import(production, table, by=manager, filename="l.csv"),
    )

    assert ChecklistItem.objects.filter(title="Imported").exists()
    assert wrong_counters() == []


def test_an_admin_delete_and_a_tick_of_the_item_do_not_deadlock(production, manager, editor):
    stage = StageFactory(production=production, name="Wardrobe")
    item = ChecklistItemFactory(stage=stage, title="Steam the coats")
    CommentFactory(item=item)

    # The tick locks its item and waits for the stage (held here); the admin
    # delete moved the production's live version and waits for the item.
    # Let go: the tick gets the stage and waits for the production.
    in_order(
        stage,
        lambda: services.set_item_done(item, True, by=editor),
        lambda: services.delete_from_admin(
            ChecklistItem.objects.select_related("stage__production").get(pk=item.pk), by=manager
        ),
    )

    assert not ChecklistItem.all_objects.filter(pk=item.pk).exists()
    assert wrong_counters() == []


def test_an_add_a_move_in_front_and_a_tick_of_the_added_item_do_not_deadlock(
    production, manager, editor
):
    stage = StageFactory(production=production, name="Wardrobe")
    first, last = (ChecklistItemFactory(stage=stage, position=p) for p in (1, 2))

    # The move locks `last`, then waits for `first` (held here), to shift it.
    holding_first = Holder(first)
    move = start(lambda: services.move_item(last, by=manager, before=first))
    waiting_for_locks(1)
    # An item is added meanwhile: it used to land at once, after the rows the
    # move locked; now it waits for the move's turn.
    add = start(lambda: services.add_item(stage, by=editor, title="Added meanwhile"))
    while add.thread.is_alive():
        try:
            waiting_for_locks(2, timeout=0.2)
            break
        except AssertionError:
            pass
    if not add.thread.is_alive():
        # The add landed: hold the stage, let the move take `first` and wait
        # for the stage, and tick the new item, which waits for the stage
        # too. Let go: the move gets the stage and comes to shift the new
        # item, which the tick holds while it waits for the stage.
        added = ChecklistItem.objects.get(title="Added meanwhile")
        holding_stage = Holder(stage)
        holding_first.release()
        waiting_for_locks(1)
        tick = start(lambda: services.set_item_done(added, True, by=editor))
        waiting_for_locks(2)
        holding_stage.release()
        outcomes = [move(), tick(), add()]
    else:
        holding_first.release()
        outcomes = [move(), add()]

    assert [error for _, error in outcomes if error] == []
    assert ChecklistItem.objects.filter(title="Added meanwhile").exists()
    assert stage.items.order_by("position", "pk").first().pk == last.pk
    assert wrong_counters() == []


def test_emptying_the_trash_and_an_undo_on_a_trashed_stage_do_not_deadlock(production, manager):
    stage = StageFactory(production=production, name="Wardrobe")
    items = [ChecklistItemFactory(stage=stage, position=p) for p in (1, 2)]
    bulk = services.bulk_edit(production, [i.pk for i in items], "done", by=manager)
    services.delete_stage(stage, by=manager)

    # Emptying the trash waits for the trashed stage (held here); the Undo
    # locks the stage's items and waits for the stage too. Let go: deleting
    # the stage deleted its items, which the Undo held while it waited for
    # the stage.
    in_order(
        stage,
        lambda: services.empty_trash(production, by=manager),
        lambda: services.undo_bulk(bulk, by=manager),
    )

    assert not ChecklistItem.all_objects.filter(pk__in=[i.pk for i in items]).exists()
    assert wrong_counters() == []


def test_an_admin_save_of_a_stage_and_a_stage_move_do_not_deadlock(production, manager):
    first = StageFactory(production=production, name="Wardrobe", position=1)
    second = StageFactory(production=production, name="Filming", position=2)

    # The move waits for `first` (held here; it locks every stage in pk
    # order); the admin saves `second` and its recount waits for `first`
    # too. Let go: the move gets `first` and waits for `second`.
    second.name = "Shooting"
    in_order(
        first,
        lambda: move_stage(first, by=manager, direction="down"),
        lambda: services.save_from_admin(
            second, by=manager, changed_fields=["name"], created=False
        ),
    )

    assert Stage.objects.get(pk=second.pk).name == "Shooting"
    assert wrong_counters() == []


def test_a_tick_of_an_item_a_bulk_move_moved_and_a_move_between_its_stages_do_not_deadlock(
    production, manager, editor
):
    wardrobe = StageFactory(production=production, name="Wardrobe", position=1)
    filming = StageFactory(production=production, name="Filming", position=2)
    moved = ChecklistItemFactory(stage=filming, title="Steam the coats", position=1)
    other = ChecklistItemFactory(stage=wardrobe, title="Press the shirts", position=1)

    # The bulk move takes its turn, locks `moved` and Wardrobe, and waits for
    # Filming (held here). The tick waits for `moved`; the single move waits
    # for the bulk's turn; a second holder queues for Filming.
    holding_filming = Holder(filming)
    bulk = start(
        lambda: services.bulk_edit(production, [moved.pk], "move", by=manager, stage=wardrobe)
    )
    waiting_for_locks(1)
    tick = start(lambda: services.set_item_done(moved, True, by=editor))
    waiting_for_locks(2)
    move = start(lambda: services.move_item(other, by=editor, stage=filming))
    waiting_for_locks(3)
    queued = {}
    queued_holder = start(lambda: queued.setdefault("holder", Holder(filming)))
    waiting_for_locks(4)
    # Let go: the bulk moves `moved` to Wardrobe and commits; the queued
    # holder takes Filming. The tick took `moved` and, when it locked the
    # item's stage in the same statement, Filming, where the item no longer
    # is; asked again, it wanted Wardrobe, which the single move had locked
    # while it waited for Filming: each waited for the other.
    holding_filming.release()
    queued_holder()
    # The tick and the move both wait for Filming now (before the fix); the
    # fixed tick does not lock Filming, and either waits for Wardrobe behind
    # the move or has landed already.
    while tick.thread.is_alive():
        try:
            waiting_for_locks(2, timeout=0.2)
            break
        except AssertionError:
            pass
    queued["holder"].release()

    outcomes = [bulk(), tick(), move()]
    assert [error for _, error in outcomes if error] == []
    assert ChecklistItem.objects.get(pk=moved.pk).done
    assert ChecklistItem.objects.get(pk=other.pk).stage_id == filming.pk
    assert wrong_counters() == []
