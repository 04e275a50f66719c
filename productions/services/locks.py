"""The lock order every writer follows, and the helpers that take the locks.

One order, bottom up, for every service in productions/services/:

1. The production's turn (`one_at_a_time`, an advisory lock on its id),
   only for the writers that lock many rows of one production or give an
   item its place: moving an item, a bulk change, its Undo, a checklist
   import, adding items, emptying the trash. Two of them could each hold a row the other
   needs; taking turns first, they cannot. (A move locks the rows it
   shifts before their stage; an item added after that, and ticked at
   once, was held by the tick waiting for the stage while the move, holding
   the stage, came to shift it.)
2. Checklist items: the one written (`lock_item`), or many in pk order.
3. Stages: the one written (`lock_stage`), or many in pk order
   (`lock_stages`); a stage's counters move after its items are locked.
4. The production row, last: log() moves its live version and counters in
   one UPDATE just before the writer's activity entry (activity.bump), and
   the lock is held only from there to COMMIT. Writers that change the
   production itself, its members, its crew or its list of stages lock it
   first (`lock_production`) and lock nothing below it afterwards.

Schedule days and calls (services/schedule.py) sit beside items and
stages, below the production: a call (`lock_call`), then its day
(`lock_day`), then the production through log(). No writer locks both
schedule rows and checklist rows (emptying the trash deletes trashed days
after the stages, before the production). Adding or duplicating a day
changes the production's list of days: it locks the production first, like
adding a stage, and then only inserts.

No writer locks an item after a stage, or a stage after the production.
What a writer only reads is not locked.

Every row lock is FOR NO KEY UPDATE (`select_for_update(no_key=True)`, or
an UPDATE, which changes no key). That matters because of what the
database does at COMMIT: Django's foreign keys are DEFERRABLE INITIALLY
DEFERRED, so each row a writer inserts (an activity entry, a comment, an
item) has its foreign keys checked then, and each check takes FOR KEY SHARE
on the row it points to: a stage the writer never locked, after it moved
the production. FOR KEY SHARE waits for FOR UPDATE but not for FOR NO KEY
UPDATE, so with FOR UPDATE an "edit an item" holding the production and
checking its stage at COMMIT deadlocked with an "add an item" holding that
stage FOR UPDATE and waiting for the production (issue 14: 16 "deadlock
detected" with 50 clients on one production). FOR UPDATE is left to
deleting rows for good (emptying the trash, the 30-day purge, the admin's
delete), in this same order.

tests/test_lock_order.py replays each pair of writers that deadlocked, step
by step; tests/test_stress.py runs every write at once.
"""

from collections.abc import Iterable

from django.db import connection, models

from ..exceptions import Gone
from ..models import Call, ChecklistItem, Production, ShootDay, Stage


def one_at_a_time(production_id: int) -> None:
    """Wait for any other many-row writer in the production to end (step 1):
    an advisory lock on the production's id, held to the end of the
    transaction (the app takes no other advisory locks). SQLite runs one
    write transaction at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [production_id])


def lock_item(pk: int, *, deleted: bool = False) -> ChecklistItem:
    """The item, locked (its row only), with its stage, production and
    assignee as they are now; live on a live stage of a live production (or,
    with `deleted`, in the trash), else Gone. A writer that moves the stage's
    counters locks the stage next (`lock_item_stage`)."""
    rows = (
        ChecklistItem.all_objects.select_for_update(no_key=True, of=("self",))
        .select_related("stage__production", "assignee")
        .filter(
            pk=pk,
            deleted_at__isnull=not deleted,
            stage__deleted_at__isnull=True,
            stage__production__deleted_at__isnull=True,
        )
    )
    # An item moved to another stage while this waited for it is dropped:
    # PostgreSQL checks the locked row again against the stage it joined
    # before the wait. Asked again, the query joins the stage it is on now.
    # (Only the item's row is locked here: locking its stage in the same
    # statement kept the lock on the stage it had left, and a move waiting
    # for that stage while holding the new one deadlocked: CI, issue 15.)
    row = rows.first() or rows.first()
    if row is None:
        raise Gone("That item was just deleted.")
    return row


def lock_item_stage(item: ChecklistItem) -> Stage:
    """Lock the stage of a locked item (step 3 after step 2) and put it, as it
    is now, on `item.stage` (with the production already read). The item's
    lock keeps it on that stage; Gone if the stage went to the trash."""
    stage = Stage.objects.select_for_update(no_key=True).filter(pk=item.stage_id).first()
    if stage is None:
        raise Gone("That stage was just deleted.")
    stage.production = item.stage.production
    item.stage = stage
    return stage


def lock_stage(pk: int, *, deleted: bool = False) -> Stage:
    """The stage, locked (only its row), with its production; live on a live
    production (or, with `deleted`, in the trash), else Gone."""
    row = (
        Stage.all_objects.select_for_update(no_key=True, of=("self",))
        .select_related("production")
        .filter(pk=pk, deleted_at__isnull=not deleted, production__deleted_at__isnull=True)
        .first()
    )
    if row is None:
        raise Gone("That stage was just deleted.")
    return row


def lock_stages(pks: Iterable[int]) -> dict[int, Stage]:
    """The stages `pks`, trashed ones too, locked in pk order in one query."""
    stages = Stage.all_objects.select_for_update(no_key=True).filter(pk__in=list(pks))
    return {stage.pk: stage for stage in stages.order_by("pk")}


def lock_for_delete(obj: models.Model) -> None:
    """Before the admin deletes a production, a stage or an item for good:
    lock the rows the delete takes (FOR UPDATE, as the DELETE will), in the
    lock order (its items in pk order, then its stages, then the production),
    so no writer holding one of them waits for another this holds."""
    if isinstance(obj, ChecklistItem):
        items, stages, productions = [obj.pk], [], []
    elif isinstance(obj, Stage):
        items = ChecklistItem.all_objects.filter(stage=obj)
        stages, productions = [obj.pk], []
    elif isinstance(obj, Production):
        items = ChecklistItem.all_objects.filter(stage__production=obj)
        stages = Stage.all_objects.filter(production=obj)
        productions = [obj.pk]
    else:
        return
    for model, pks in ((ChecklistItem, items), (Stage, stages), (Production, productions)):
        rows = model.all_objects.select_for_update(of=("self",)).filter(pk__in=pks)
        list(rows.order_by("pk").values_list("pk", flat=True))


def lock_production(pk: int, *, deleted: bool = False) -> Production:
    """The production, locked; live (or, with `deleted`, in the trash), else Gone."""
    row = (
        Production.all_objects.select_for_update(no_key=True)
        .filter(pk=pk, deleted_at__isnull=not deleted)
        .first()
    )
    if row is None:
        raise Gone("That production was just deleted.")
    return row


def lock_day(pk: int, *, deleted: bool = False) -> ShootDay:
    """The schedule day, locked (its row only), with its production and
    stage; live on a live production (or, with `deleted`, in the trash),
    else Gone."""
    row = (
        ShootDay.all_objects.select_for_update(no_key=True, of=("self",))
        .select_related("production", "stage")
        .filter(pk=pk, deleted_at__isnull=not deleted, production__deleted_at__isnull=True)
        .first()
    )
    if row is None:
        raise Gone("That day was just deleted.")
    return row


def lock_call(pk: int) -> Call:
    """The call, locked (its row only), with its day, production and person;
    on a live day of a live production, else Gone."""
    row = (
        Call.objects.select_for_update(no_key=True, of=("self",))
        .select_related("day__production", "crew_member", "user", "role", "location")
        .filter(pk=pk, day__deleted_at__isnull=True, day__production__deleted_at__isnull=True)
        .first()
    )
    if row is None:
        raise Gone("That call was just removed.")
    return row
