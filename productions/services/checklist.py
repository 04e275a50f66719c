"""Stages and checklist items: status, add, tick, edit, delete, restore, comment."""

from django.db import transaction
from django.db.models import Count, F, Max, Window
from django.utils import timezone

from ..exceptions import Conflict, Gone, NeedsConfirmation, StageGated
from ..models import ChecklistItem, Comment, CrewMember, Production, Stage
from .activity import Kind, changes_between, display, log, log_many
from .counters import actual_stage_counts
from .returning import update_returning


def _lock_stage(pk, *, deleted=False):
    row = (
        Stage.all_objects.select_for_update(of=("self",))
        .select_related("production")
        .filter(pk=pk, deleted_at__isnull=not deleted, production__deleted_at__isnull=True)
        .first()
    )
    if row is None:
        raise Gone("That stage was just deleted.")
    return row


def _lock_item(pk, *, deleted=False):
    # Locks the item row only (of=self): the stage is locked on its own when
    # its status is synced, always after the item, so the order is fixed.
    row = (
        ChecklistItem.all_objects.select_for_update(of=("self",))
        .select_related("stage__production", "assignee")
        .filter(
            pk=pk,
            deleted_at__isnull=not deleted,
            stage__deleted_at__isnull=True,
            stage__production__deleted_at__isnull=True,
        )
        .first()
    )
    if row is None:
        raise Gone("That item was just deleted.")
    return row


def sync_stage_status(stage, *, handed_back=False):
    """Move a stage's status along with its checklist, unless set by hand.

    All items done makes it done; some done makes it in progress; unticking
    everything in a done stage sends it back to not started. A blocked stage
    stays blocked, and a status someone chose by hand stays until they hand
    the stage back to the checklist.

    For writes that change many rows at once (imports): the stage's counters
    are recounted from its rows, and its production's moved by the difference.
    The everyday writes move the counters themselves (see _count).
    """
    stage = _lock_stage(stage.pk)
    items, done = actual_stage_counts([stage.pk])[stage.pk]
    items, done = items - stage.item_count, done - stage.done_count
    _count(stage, items=items, done=done, handed_back=handed_back)
    if items or done:
        Production.all_objects.filter(pk=stage.production_id).update(
            item_count=F("item_count") + items, done_count=F("done_count") + done
        )
    return stage


def _count(stage, *, items=0, done=0, handed_back=False):
    """Move a locked stage's counters by `items` and `done`, let its status
    follow (see sync_stage_status), and save both in one UPDATE. The caller
    moves the production's counters through log()."""
    stage.item_count += items
    stage.done_count += done
    fields = ["item_count", "done_count"] if items or done else []
    status = _auto_status(stage, handed_back)
    if status != stage.status:
        stage.status = status
        fields.append("status")
    if fields:
        stage.save(update_fields=fields)
    return stage


def _auto_status(stage, handed_back):
    if not handed_back and (stage.status_manual or stage.status == Stage.Status.BLOCKED):
        return stage.status
    total, done = stage.item_count, stage.done_count
    if total and done == total:
        return Stage.Status.DONE
    if done:
        return Stage.Status.IN_PROGRESS
    if stage.status == Stage.Status.DONE or handed_back:
        return Stage.Status.NOT_STARTED
    return stage.status


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
def set_stage_status(stage, status, *, by, confirmed=False):
    """Set a stage's status by hand (or hand it back to the checklist with
    FOLLOW_CHECKLIST). Done with items still open needs `confirmed`, and the
    log records the override."""
    current = _lock_stage(stage.pk)
    before = current.get_status_display()
    changes = {}
    if status == FOLLOW_CHECKLIST:
        current.status_manual = False
        current.status_set_by, current.status_set_at = None, None
        current.save(update_fields=["status_manual", "status_set_by", "status_set_at"])
        _count(current, handed_back=True)
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
def delete_stage(stage, *, by):
    current = _lock_stage(stage.pk)
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
def restore_stage(stage, *, by):
    current = _lock_stage(stage.pk, deleted=True)
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
def add_item(stage, *, by, title, assignee=None, due_date=None, notes=""):
    stage = _lock_stage(stage.pk)
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
    _count(stage, items=1)
    log(stage.production, Kind.ITEM_ADDED, by=by, subject=title, stage=stage, item=item, items=1)
    item.stage = stage
    return item


@transaction.atomic
def add_items(stage, *, by, titles):
    """Add one item per title at the end of the stage (a pasted list): one
    transaction, the rows in one INSERT, one activity entry per item."""
    titles = list(titles)
    if not titles:
        return []
    stage = _lock_stage(stage.pk)
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
    _count(stage, items=len(items))
    log_many(
        stage.production,
        Kind.ITEM_ADDED,
        by=by,
        entries=[{"subject": item.title, "stage": stage, "item": item} for item in items],
        items=len(items),
    )
    return items


@transaction.atomic
def update_item(item, *, by, version=None, **fields):
    """Save an edited item; refuse (Conflict) if someone saved since `version`."""
    current = _lock_item(item.pk)
    if version is not None and current.version != version:
        raise Conflict(current)
    changes = changes_between(current, fields)
    if not changes:
        return current
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by, current.updated_at = by, timezone.now()
    current.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    _log_item(current, Kind.ITEM_EDITED, by=by, changes=changes)
    return current


@transaction.atomic
def set_item_done(item, done, *, by):
    """Tick or untick an item, remembering who ticked it and when.

    The caller says which state it wants, so a repeated request changes nothing.
    The busiest write, so each row is written and read back in one statement
    (UPDATE … RETURNING), which also locks it, in the usual order: the item,
    its stage (counters, and status when it follows), the production (through
    log(), which leaves its counters on `item.stage.production`)."""
    now = timezone.now()
    rows = update_returning(
        ChecklistItem.all_objects.filter(pk=item.pk, deleted_at__isnull=True, done=not done),
        done=done,
        done_at=now if done else None,
        done_by=by if done else None,
    )
    if not rows:
        # Already as asked (a replay), or deleted meanwhile (Gone): read it to say which.
        return _lock_item(item.pk)
    current = rows[0]
    step = 1 if done else -1
    current.stage = _count_at_once(current.stage_id, done=step)
    current.stage.production = item.stage.production
    # The assignee as the caller read it, unless someone changed it meanwhile.
    current.assignee = (
        item.assignee
        if item.assignee_id == current.assignee_id
        else CrewMember.objects.filter(pk=current.assignee_id).first()
    )
    current.done_by = by if done else None
    _log_item(current, Kind.ITEM_TICKED if done else Kind.ITEM_UNTICKED, by=by, done=step)
    return current


def _count_at_once(stage_id, *, items=0, done=0):
    """_count() for a stage not locked yet: one UPDATE moves its counters,
    locks it and reads it back; a second sets its status, only when the
    checklist moves it. Gone if the stage was deleted meanwhile."""
    rows = update_returning(
        Stage.all_objects.filter(pk=stage_id, deleted_at__isnull=True),
        item_count=F("item_count") + items,
        done_count=F("done_count") + done,
    )
    if not rows:
        raise Gone("That stage was just deleted.")
    stage = rows[0]
    status = _auto_status(stage, handed_back=False)
    if status != stage.status:
        stage.status = status
        Stage.all_objects.filter(pk=stage_id).update(status=status)
    return stage


@transaction.atomic
def delete_item(item, *, by):
    """Move an item to its production's trash."""
    return _set_trashed(_lock_item(item.pk), by=by, trashed=True)


@transaction.atomic
def restore_item(item, *, by):
    return _set_trashed(_lock_item(item.pk, deleted=True), by=by, trashed=False)


def _set_trashed(current, *, by, trashed):
    """Trash or restore a locked item: the stage's and production's counters
    lose (or regain) it, in the caller's transaction."""
    current.deleted_at, current.deleted_by = (timezone.now(), by) if trashed else (None, None)
    current.save(update_fields=["deleted_at", "deleted_by"])
    step = -1 if trashed else 1
    done = step if current.done else 0
    current.stage = _count(_lock_stage(current.stage_id), items=step, done=done)
    kind = Kind.ITEM_DELETED if trashed else Kind.ITEM_RESTORED
    _log_item(current, kind, by=by, items=step, done=done)
    return current


@transaction.atomic
def add_comment(item, *, by, body):
    current = _lock_item(item.pk)
    comment = Comment.objects.create(item=current, author=by, body=body)
    _log_item(current, Kind.COMMENTED, by=by, changes={"comment": display(body[:300])})
    return comment
