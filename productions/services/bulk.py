"""Bulk edits of checklist items: one request, one transaction, one activity
entry per item, one Undo for the whole action (issue 6, capability 6).

Locks follow the services' order: the items (pk order), then their stages
(pk order), the production last (through the log's UPDATE). Queries are
bounded by the number of stages touched, never one per item.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from ..exceptions import Gone
from ..models import BulkAction, ChecklistItem, CrewMember, Production, Stage
from .activity import Kind, display, log_many
from .counters import move_counters
from .locks import lock_stages, one_at_a_time

Action = BulkAction.Action

# One action changes at most this many items: beyond it, narrow the filter.
MAX_ITEMS = 1000

KINDS = {
    Action.DONE: Kind.ITEM_TICKED,
    Action.UNDONE: Kind.ITEM_UNTICKED,
    Action.ASSIGN: Kind.ITEM_EDITED,
    Action.DUE: Kind.ITEM_EDITED,
    Action.MOVE: Kind.ITEM_MOVED,
    Action.DELETE: Kind.ITEM_DELETED,
}
UNDO_KINDS = {
    Action.DONE: Kind.ITEM_UNTICKED,
    Action.UNDONE: Kind.ITEM_TICKED,
    Action.ASSIGN: Kind.ITEM_EDITED,
    Action.DUE: Kind.ITEM_EDITED,
    Action.MOVE: Kind.ITEM_MOVED,
    Action.DELETE: Kind.ITEM_RESTORED,
}


class TooMany(ValueError):
    """More items than one bulk action may change."""


def _plural(n, word="item"):
    return f"{n} {word}{'' if n == 1 else 's'}"


def _lock_items(production, pks, *, deleted=False, any_stage=False):
    """The items among `pks` that are live on live stages of `production`
    (or, with `deleted`, in its trash; with `any_stage`, on trashed stages
    too), locked, in pk order."""
    items = ChecklistItem.all_objects.select_for_update(no_key=True, of=("self",)).filter(
        pk__in=list(pks), deleted_at__isnull=not deleted, stage__production=production
    )
    if not any_stage:
        items = items.filter(stage__deleted_at__isnull=True)
    return list(items.select_related("stage", "assignee").order_by("pk"))


def _finish(production, kind, *, by, bulk, rows, counts, stages):
    """Move the locked `stages`' counters (`counts`: stage pk → [items, done]),
    write one entry per row ((item, stage pk, changes)), bump the production once."""
    for pk, (items, done) in counts.items():
        if items or done:
            move_counters(stages[pk], items=items, done=done)
    log_many(
        production,
        kind,
        by=by,
        entries=[
            {
                "subject": item.title,
                "stage": stages.get(stage_id),
                "item": item,
                "changes": changes,
                "bulk": bulk,
            }
            for item, stage_id, changes in rows
        ],
        items=sum(items for items, _ in counts.values()),
        done=sum(done for _, done in counts.values()),
    )
    return stages


def _lock_live_stages(stage_ids):
    """Lock the stages (after the items, in pk order) and refuse the change if
    one of them went to the trash meanwhile: nothing is written then."""
    stages = lock_stages(stage_ids)
    if len(stages) != len(stage_ids) or any(s.deleted_at for s in stages.values()):
        raise Gone("A stage of these items was just deleted. Nothing was changed; try again.")
    return stages


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def bulk_edit(
    production: Production,
    pks: Iterable[int],
    action: str,
    *,
    by: User,
    assignee: CrewMember | None = None,
    due_date: datetime.date | None = None,
    stage: Stage | None = None,
) -> BulkAction:
    """Apply `action` to the items `pks` of `production` and return the
    BulkAction (its `count` says how many items it changed; items already in
    the wanted state are left alone and not logged; when none changes, the
    returned action is not saved).

    `assignee` (a CrewMember or None) for ASSIGN, `due_date` (or None) for DUE,
    `stage` (a live stage of the production) for MOVE."""
    pks = set(pks)
    if len(pks) > MAX_ITEMS:
        raise TooMany(
            f"That is {len(pks):,} items; one bulk change takes at most {MAX_ITEMS:,}. "
            "Narrow the filter and try again."
        )
    if action == Action.MOVE and (stage is None or stage.production_id != production.pk):
        raise Gone("That stage is not on this production.")
    one_at_a_time(production.pk)  # before the rows, as moves and imports (locks.py)
    items = _lock_items(production, pks)
    stage_ids = {item.stage_id for item in items}
    if action == Action.MOVE:
        stage_ids.add(stage.pk)
    stages = _lock_live_stages(stage_ids)
    now = timezone.now()
    counts = defaultdict(lambda: [0, 0])
    rows, undo = [], []

    if action in (Action.DONE, Action.UNDONE):
        done = action == Action.DONE
        changed = [item for item in items if item.done != done]
        ChecklistItem.all_objects.filter(pk__in=[i.pk for i in changed]).update(
            done=done, done_at=now if done else None, done_by=by if done else None
        )
        for item in changed:
            # Who ticked it and when come back with an Undo.
            before = {"done": item.done, "done_at": _iso(item.done_at), "done_by": item.done_by_id}
            undo.append({"pk": item.pk, "before": before, "after": {"done": done}})
            counts[item.stage_id][1] += 1 if done else -1
            rows.append((item, item.stage_id, {}))
        summary = f"Marked {_plural(len(changed))} {'done' if done else 'not done'}"

    elif action in (Action.ASSIGN, Action.DUE):
        field, value = ("assignee", assignee) if action == Action.ASSIGN else ("due_date", due_date)
        key = "assignee_id" if field == "assignee" else field
        new = value.pk if field == "assignee" and value is not None else value
        changed = [item for item in items if getattr(item, key) != new]
        ChecklistItem.all_objects.filter(pk__in=[i.pk for i in changed]).update(
            **{field: value}, version=F("version") + 1, updated_by=by, updated_at=now
        )
        for item in changed:
            undo.append(
                {
                    "pk": item.pk,
                    "before": {key: _iso(getattr(item, key))},
                    "after": {key: _iso(new)},
                }
            )
            rows.append(
                (item, item.stage_id, {field: [display(getattr(item, field)), display(value)]})
            )
        if action == Action.ASSIGN:
            who = value.name if value is not None else "nobody"
            summary = f"Assigned {_plural(len(changed))} to {who}"
        else:
            when = value.strftime("%-d %b %Y") if value else "no date"
            summary = f"Set the due date of {_plural(len(changed))} to {when}"

    elif action == Action.MOVE:
        changed = [item for item in items if item.stage_id != stage.pk]
        # They join the end of the target stage, in the order they had.
        changed.sort(key=lambda i: (i.stage.position, i.stage_id, i.position, i.pk))
        last = ChecklistItem.all_objects.filter(stage=stage).aggregate(last=Max("position"))
        start = (last["last"] or 0) + 1
        for offset, item in enumerate(changed):
            undo.append(
                {
                    "pk": item.pk,
                    "before": {"stage_id": item.stage_id, "position": item.position},
                    "after": {"stage_id": stage.pk},
                }
            )
            done = 1 if item.done else 0
            counts[item.stage_id][0] -= 1
            counts[item.stage_id][1] -= done
            counts[stage.pk][0] += 1
            counts[stage.pk][1] += done
            rows.append((item, stage.pk, {"stage": [item.stage.name, stage.name]}))
            item.stage_id, item.position = stage.pk, start + offset
            item.version += 1
            item.updated_by, item.updated_at = by, now
        ChecklistItem.all_objects.bulk_update(
            changed, ["stage", "position", "version", "updated_by", "updated_at"]
        )
        summary = f"Moved {_plural(len(changed))} to {stage.name}"

    elif action == Action.DELETE:
        changed = items
        ChecklistItem.all_objects.filter(pk__in=[i.pk for i in changed]).update(
            deleted_at=now, deleted_by=by
        )
        for item in changed:
            undo.append({"pk": item.pk, "before": {"deleted": False}, "after": {"deleted": True}})
            counts[item.stage_id][0] -= 1
            counts[item.stage_id][1] -= 1 if item.done else 0
            rows.append((item, item.stage_id, {}))
        summary = f"Moved {_plural(len(changed))} to the trash"
    else:
        raise ValueError(f"Unknown bulk action {action!r}")

    bulk = BulkAction(production=production, action=action, summary=summary, by=by, undo=undo)
    bulk.count = len(rows)
    if not rows:
        return bulk  # nothing changed: no action to undo, nothing logged
    bulk.save(force_insert=True)
    _finish(production, KINDS[action], by=by, bulk=bulk, rows=rows, counts=counts, stages=stages)
    return bulk


def _still(item, after):
    """Whether the item still has the values the bulk action gave it."""
    for key, value in after.items():
        current = item.deleted_at is not None if key == "deleted" else _iso(getattr(item, key))
        if current != value:
            return False
    return True


@dataclass
class Undone:
    bulk: BulkAction
    restored: int  # items put back
    changed: int  # items changed by someone since, or gone for good: left alone
    stuck: int  # items whose stage is in the trash now: left where they are


@transaction.atomic
def undo_bulk(bulk: BulkAction, *, by: User) -> "Undone":
    """Undo a bulk action, once: every item it changed gets back the values it
    had, unless someone changed that item since (those are left as they are)
    or its stage is in the trash now."""
    # Only the action's row is locked here (of=self): the items come next,
    # then their stages, the production last, as in every other write.
    bulk = (
        BulkAction.objects.select_for_update(no_key=True, of=("self",))
        .select_related("production")
        .filter(pk=bulk.pk, undone_at__isnull=True)
        .first()
    )
    if bulk is None:
        raise Gone("That change was already undone.")
    production = bulk.production
    action = bulk.action
    records = {record["pk"]: record for record in bulk.undo}
    one_at_a_time(production.pk)  # before the rows, as moves and imports (locks.py)
    # Trashed items come back from the trash; the rest must still be live.
    found = _lock_items(production, records, deleted=action == Action.DELETE, any_stage=True)
    items = [item for item in found if _still(item, records[item.pk]["after"])]
    changed = len(records) - len(items)
    stage_ids = {item.stage_id for item in items}
    if action == Action.MOVE:
        stage_ids |= {records[item.pk]["before"]["stage_id"] for item in items}
    stages = lock_stages(stage_ids)  # trashed ones too: where items may go back

    def live(pk):
        return pk in stages and stages[pk].deleted_at is None

    ready = [item for item in items if live(item.stage_id)]
    if action == Action.MOVE:
        ready = [item for item in ready if live(records[item.pk]["before"]["stage_id"])]
    stuck = len(items) - len(ready)
    items = ready
    now = timezone.now()
    counts = defaultdict(lambda: [0, 0])
    rows = []

    if action in (Action.DONE, Action.UNDONE):
        done = action == Action.UNDONE  # the state it goes back to
        for item in items:
            before = records[item.pk]["before"]
            item.done = done
            ticked = before.get("done_at")
            item.done_at = (
                (datetime.datetime.fromisoformat(ticked) if ticked else now) if done else None
            )
            item.done_by_id = before.get("done_by") if done else None
            counts[item.stage_id][1] += 1 if done else -1
            rows.append((item, item.stage_id, {"undone": bulk.summary}))
        if done:
            # Whoever ticked them may have left since: the undoer takes it.
            known = set(
                get_user_model()
                .objects.filter(pk__in={i.done_by_id for i in items})
                .values_list("pk", flat=True)
            )
            for item in items:
                if item.done_by_id not in known:
                    item.done_by = by
        ChecklistItem.all_objects.bulk_update(items, ["done", "done_at", "done_by"])
    elif action in (Action.ASSIGN, Action.DUE):
        key = "assignee_id" if action == Action.ASSIGN else "due_date"
        field = "assignee" if action == Action.ASSIGN else "due_date"
        values = {item.pk: records[item.pk]["before"][key] for item in items}
        if action == Action.ASSIGN:
            # Someone removed from the crew directory since: back to nobody.
            known = set(
                CrewMember.objects.filter(pk__in=set(values.values())).values_list("pk", flat=True)
            )
            values = {pk: value if value in known else None for pk, value in values.items()}
        for item in items:
            value = values[item.pk]
            old_display = display(getattr(item, field))
            if key == "due_date" and value:
                value = datetime.date.fromisoformat(value)
            setattr(item, key, value)
            item.version += 1
            item.updated_by, item.updated_at = by, now
            rows.append((item, item.stage_id, {field: [old_display, "as before"]}))
        ChecklistItem.all_objects.bulk_update(items, [field, "version", "updated_by", "updated_at"])
    elif action == Action.MOVE:
        for item in items:
            before = records[item.pk]["before"]
            home = stages[before["stage_id"]]
            done = 1 if item.done else 0
            counts[item.stage_id][0] -= 1
            counts[item.stage_id][1] -= done
            counts[home.pk][0] += 1
            counts[home.pk][1] += done
            rows.append((item, home.pk, {"stage": [stages[item.stage_id].name, home.name]}))
            item.stage_id, item.position = home.pk, before["position"]
            item.version += 1
            item.updated_by, item.updated_at = by, now
        ChecklistItem.all_objects.bulk_update(
            items, ["stage", "position", "version", "updated_by", "updated_at"]
        )
    elif action == Action.DELETE:
        ChecklistItem.all_objects.filter(pk__in=[i.pk for i in items]).update(
            deleted_at=None, deleted_by=None
        )
        for item in items:
            counts[item.stage_id][0] += 1
            counts[item.stage_id][1] += 1 if item.done else 0
            rows.append((item, item.stage_id, {}))

    bulk.undone_at, bulk.undone_by = now, by
    bulk.save(update_fields=["undone_at", "undone_by"])
    _finish(
        production, UNDO_KINDS[action], by=by, bulk=bulk, rows=rows, counts=counts, stages=stages
    )
    return Undone(bulk, restored=len(rows), changed=changed, stuck=stuck)
