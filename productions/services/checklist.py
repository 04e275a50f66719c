"""Stages and checklist items: status, add, tick, edit, delete, restore, comment."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Max, Window
from django.utils import timezone

from ..exceptions import NeedsConfirmation, StageGated
from ..models import ChecklistItem, Comment, CrewMember, Stage
from .activity import Kind, display, log, log_many, save_edit
from .counters import move_counters
from .locks import lock_item, lock_item_stage, lock_stage, one_at_a_time


def _log_item(item, kind, *, by, **extra):
    """log() an entry about an item (its stage and production known)."""
    return log(
        item.stage.production, kind, by=by, subject=item.title, stage=item.stage, item=item, **extra
    )


FOLLOW_CHECKLIST = "auto"

# How many open required items a refusal names before "and N more".
GATE_NAMES = 5


def _refuse_if_gated(stage):
    """Raise StageGated if the stage has open required items, naming them.

    One query, bounded: the first few titles, each carrying the total count."""
    rows = list(
        ChecklistItem.objects.filter(stage=stage, required=True, done=False)
        .annotate(total=Window(Count("pk")))
        .order_by("position", "pk")
        .values_list("title", "total")[:GATE_NAMES]
    )
    if not rows:
        return
    titles = [title for title, _ in rows]
    total = rows[0][1]
    more = total - len(titles)
    names = ", ".join(f"“{title}”" for title in titles)
    if more:
        names += f" and {more} more"
    raise StageGated(
        f"{stage.name} cannot be marked done: {total} required "
        f"item{'s are' if total != 1 else ' is'} still open: {names}.",
        titles,
        more,
    )


@transaction.atomic
def set_stage_status(stage: Stage, status: str, *, by: User, confirmed: bool = False) -> Stage:
    """Set a stage's status by hand (or hand it back to the checklist with
    FOLLOW_CHECKLIST). Done with items still open needs `confirmed`, and the
    log records the override."""
    current = lock_stage(stage.pk)
    before = current.get_status_display()
    changes = {}
    if status == FOLLOW_CHECKLIST:
        current.status_manual = False
        current.status_set_by, current.status_set_at = None, None
        current.save(update_fields=["status_manual", "status_set_by", "status_set_at"])
        move_counters(current, handed_back=True)
        changes["status"] = [before, f"{current.get_status_display()} (follows the checklist)"]
    else:
        if status == Stage.Status.DONE:
            _refuse_if_gated(current)
            open_count = current.item_count - current.done_count
            if open_count and not confirmed:
                raise NeedsConfirmation(
                    f"{open_count} item{'s are' if open_count != 1 else ' is'} still open "
                    f"in {current.name}. Mark the stage done anyway?"
                )
            if open_count:
                changes["overridden"] = f"{open_count} open"
        current.status = status
        current.status_manual = True
        current.status_set_by, current.status_set_at = by, timezone.now()
        current.save(update_fields=["status", "status_manual", "status_set_by", "status_set_at"])
        changes["status"] = [before, current.get_status_display()]
    log(
        current.production,
        Kind.STAGE_STATUS,
        by=by,
        subject=current.name,
        stage=current,
        changes=changes,
    )
    return current


@transaction.atomic
def delete_stage(stage: Stage, *, by: User) -> Stage:
    current = lock_stage(stage.pk)
    current.deleted_at, current.deleted_by = timezone.now(), by
    current.save(update_fields=["deleted_at", "deleted_by"])
    # Its items leave the production's counts with it (and come back on restore).
    log(
        current.production,
        Kind.STAGE_DELETED,
        by=by,
        subject=current.name,
        stage=current,
        items=-current.item_count,
        done=-current.done_count,
    )
    return current


@transaction.atomic
def restore_stage(stage: Stage, *, by: User) -> Stage:
    current = lock_stage(stage.pk, deleted=True)
    current.deleted_at, current.deleted_by = None, None
    current.save(update_fields=["deleted_at", "deleted_by"])
    log(
        current.production,
        Kind.STAGE_RESTORED,
        by=by,
        subject=current.name,
        stage=current,
        items=current.item_count,
        done=current.done_count,
    )
    return current


@transaction.atomic
def add_item(
    stage: Stage,
    *,
    by: User,
    title: str,
    assignee: CrewMember | None = None,
    due_date: datetime.date | None = None,
    notes: str = "",
) -> ChecklistItem:
    """Add an item at the end of the stage. It takes the production's turn
    (locks.py): a move shifting the stage's rows must not meet a row added
    after it locked them."""
    one_at_a_time(stage.production_id)
    stage = lock_stage(stage.pk)
    last = ChecklistItem.all_objects.filter(stage=stage).aggregate(last=Max("position"))["last"]
    item = ChecklistItem.objects.create(
        stage=stage,
        title=title,
        assignee=assignee,
        due_date=due_date,
        notes=notes,
        position=(last or 0) + 1,
        updated_by=by,
        updated_at=timezone.now(),
    )
    move_counters(stage, items=1)
    log(stage.production, Kind.ITEM_ADDED, by=by, subject=title, stage=stage, item=item, items=1)
    item.stage = stage
    return item


@transaction.atomic
def add_items(stage: Stage, *, by: User, titles: Iterable[str]) -> list[ChecklistItem]:
    """Add one item per title at the end of the stage (a pasted list): one
    transaction, the rows in one INSERT, one activity entry per item."""
    titles = list(titles)
    if not titles:
        return []
    one_at_a_time(stage.production_id)  # as add_item
    stage = lock_stage(stage.pk)
    last = ChecklistItem.all_objects.filter(stage=stage).aggregate(last=Max("position"))["last"]
    now = timezone.now()
    items = ChecklistItem.objects.bulk_create(
        ChecklistItem(
            stage=stage,
            title=title,
            position=(last or 0) + number,
            updated_by=by,
            updated_at=now,
        )
        for number, title in enumerate(titles, 1)
    )
    move_counters(stage, items=len(items))
    log_many(
        stage.production,
        Kind.ITEM_ADDED,
        by=by,
        entries=[{"subject": item.title, "stage": stage, "item": item} for item in items],
        items=len(items),
    )
    return items


@transaction.atomic
def update_item(
    item: ChecklistItem, *, by: User, version: int | None = None, **fields
) -> ChecklistItem:
    """Save an edited item; refuse (Conflict) if someone saved since `version`."""
    current = lock_item(item.pk)
    changes = save_edit(current, fields, version=version, by=by)
    if changes:
        _log_item(current, Kind.ITEM_EDITED, by=by, changes=changes)
    return current


@transaction.atomic
def set_item_done(item: ChecklistItem, done: bool, *, by: User) -> ChecklistItem:
    """The tick: tick or untick an item, remembering who ticked it and when.

    The caller says which state it wants, so a repeated request changes
    nothing. The busiest write, in six queries (tests/test_tick.py pins
    them), in the lock order of locks.py:

    1. SELECT the item with its stage, production and assignee, locking the
       item (FOR NO KEY UPDATE); Gone if it, its stage or its production was
       trashed. A replay (already as asked) ends here.
    2. SELECT the stage as it is now, locking it (lock_item_stage).
    3. UPDATE the item: done, done_at, done_by.
    4. UPDATE the stage: its done count, and its status when the checklist
       moves it (Stage.status_from_checklist).
    5. UPDATE the production: live version and done count, read back
       (log(), activity.bump).
    6. INSERT the activity entry.

    The item comes back with `.stage` and `.stage.production` as the tick
    left them."""
    current = lock_item(item.pk)
    if current.done == done:
        return current
    lock_item_stage(current)
    current.done = done
    current.done_at, current.done_by = (timezone.now(), by) if done else (None, None)
    current.save(update_fields=["done", "done_at", "done_by"])
    step = 1 if done else -1
    move_counters(current.stage, done=step)
    _log_item(current, Kind.ITEM_TICKED if done else Kind.ITEM_UNTICKED, by=by, done=step)
    return current


@transaction.atomic
def delete_item(item: ChecklistItem, *, by: User) -> ChecklistItem:
    """Move an item to its production's trash."""
    return _set_trashed(lock_item(item.pk), by=by, trashed=True)


@transaction.atomic
def restore_item(item: ChecklistItem, *, by: User) -> ChecklistItem:
    return _set_trashed(lock_item(item.pk, deleted=True), by=by, trashed=False)


def _set_trashed(current, *, by, trashed):
    """Trash or restore a locked item: its stage (locked next) and the
    production's counters lose (or regain) it, in the caller's transaction."""
    lock_item_stage(current)
    current.deleted_at, current.deleted_by = (timezone.now(), by) if trashed else (None, None)
    current.save(update_fields=["deleted_at", "deleted_by"])
    step = -1 if trashed else 1
    done = step if current.done else 0
    move_counters(current.stage, items=step, done=done)
    kind = Kind.ITEM_DELETED if trashed else Kind.ITEM_RESTORED
    _log_item(current, kind, by=by, items=step, done=done)
    return current


@transaction.atomic
def add_comment(item: ChecklistItem, *, by: User, body: str) -> Comment:
    current = lock_item(item.pk)
    comment = Comment.objects.create(item=current, author=by, body=body)
    _log_item(current, Kind.COMMENTED, by=by, changes={"comment": display(body[:300])})
    return comment
