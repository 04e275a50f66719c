"""Stages and checklist items: status, add, tick, edit, delete, restore, comment."""

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from ..exceptions import Conflict, Gone, NeedsConfirmation
from ..models import ChecklistItem, Comment, Stage
from .activity import Kind, changes_between, display, log


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


def _open_items(stage):
    return stage.items.filter(done=False)


def sync_stage_status(stage, *, handed_back=False):
    """Move a stage's status along with its checklist, unless set by hand.

    All items done makes it done; some done makes it in progress; unticking
    everything in a done stage sends it back to not started. A blocked stage
    stays blocked, and a status someone chose by hand stays until they hand
    the stage back to the checklist.
    """
    # Lock the stage row first: two people ticking the last two items at once
    # must not both count before the other's tick and leave it "in progress".
    return _sync(_lock_stage(stage.pk), handed_back=handed_back)


def _sync(stage, *, handed_back=False):
    """sync_stage_status() for a stage this transaction has locked already."""
    if not handed_back and (stage.status_manual or stage.status == Stage.Status.BLOCKED):
        return stage
    counts = stage.items.aggregate(total=Count("pk"), done=Count("pk", filter=Q(done=True)))
    if counts["total"] and counts["done"] == counts["total"]:
        status = Stage.Status.DONE
    elif counts["done"]:
        status = Stage.Status.IN_PROGRESS
    elif stage.status == Stage.Status.DONE or handed_back:
        status = Stage.Status.NOT_STARTED
    else:
        status = stage.status
    if status != stage.status:
        stage.status = status
        Stage.all_objects.filter(pk=stage.pk).update(status=status)
    return stage


FOLLOW_CHECKLIST = "auto"


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
        current = sync_stage_status(current, handed_back=True)
        changes["status"] = [before, f"{current.get_status_display()} (follows the checklist)"]
    else:
        if status == Stage.Status.DONE:
            open_count = _open_items(current).count()
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
    log(current.production, Kind.STAGE_DELETED, by=by, subject=current.name, stage=current)
    return current


@transaction.atomic
def restore_stage(stage, *, by):
    current = _lock_stage(stage.pk, deleted=True)
    current.deleted_at, current.deleted_by = None, None
    current.save(update_fields=["deleted_at", "deleted_by"])
    log(current.production, Kind.STAGE_RESTORED, by=by, subject=current.name, stage=current)
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
    log(stage.production, Kind.ITEM_ADDED, by=by, subject=title, stage=stage, item=item)
    _sync(stage)
    return item


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
    log(
        current.stage.production,
        Kind.ITEM_EDITED,
        by=by,
        subject=current.title,
        stage=current.stage,
        item=current,
        changes=changes,
    )
    return current


@transaction.atomic
def set_item_done(item, done, *, by):
    """Tick or untick an item, remembering who ticked it and when.

    The caller says which state it wants, so a repeated request changes nothing."""
    current = _lock_item(item.pk)
    if current.done == done:
        return current
    current.done = done
    current.done_at = timezone.now() if done else None
    current.done_by = by if done else None
    current.save(update_fields=["done", "done_at", "done_by"])
    log(
        current.stage.production,
        Kind.ITEM_TICKED if done else Kind.ITEM_UNTICKED,
        by=by,
        subject=current.title,
        stage=current.stage,
        item=current,
    )
    sync_stage_status(current.stage)
    return current


@transaction.atomic
def delete_item(item, *, by):
    """Move an item to its production's trash."""
    current = _lock_item(item.pk)
    current.deleted_at, current.deleted_by = timezone.now(), by
    current.save(update_fields=["deleted_at", "deleted_by"])
    log(
        current.stage.production,
        Kind.ITEM_DELETED,
        by=by,
        subject=current.title,
        stage=current.stage,
        item=current,
    )
    sync_stage_status(current.stage)
    return current


@transaction.atomic
def restore_item(item, *, by):
    current = _lock_item(item.pk, deleted=True)
    current.deleted_at, current.deleted_by = None, None
    current.save(update_fields=["deleted_at", "deleted_by"])
    log(
        current.stage.production,
        Kind.ITEM_RESTORED,
        by=by,
        subject=current.title,
        stage=current.stage,
        item=current,
    )
    sync_stage_status(current.stage)
    return current


@transaction.atomic
def add_comment(item, *, by, body):
    current = _lock_item(item.pk)
    comment = Comment.objects.create(item=current, author=by, body=body)
    log(
        current.stage.production,
        Kind.COMMENTED,
        by=by,
        subject=current.title,
        stage=current.stage,
        item=current,
        changes={"comment": display(body[:300])},
    )
    return comment
