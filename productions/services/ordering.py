"""The order of things: checklist items within and across stages, and stages.

Positions are renumbered with one UPDATE for all the rows that make room,
never one query per row, so a move costs the same in a stage of 10 items as
in one of 5,000.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case, F, Max, Value, When

from ..exceptions import Gone
from ..models import ChecklistItem, Production, Stage
from .activity import Kind, log
from .counters import move_counters
from .locks import lock_item, lock_stage, one_at_a_time


class BadOrder(ValueError):
    """The requested order does not fit (a stage of another production, an
    item that is not in the target stage, a list that is not every stage)."""


def _lock_rows_from(stage_id, before, moving):
    """Lock the rows of the stage at or after `before`'s position (but the
    one moving; in the trash too, as the shift moves them), in pk order, and
    return that position: it holds while they are locked (moving a row in
    front of `before` needs `before`'s lock). Gone if `before` left the
    stage or moved meanwhile."""
    position = (
        ChecklistItem.objects.filter(pk=before.pk, stage_id=stage_id)
        .values_list("position", flat=True)
        .first()
    )
    if position is not None:
        rows = ChecklistItem.all_objects.select_for_update(no_key=True, of=("self",)).filter(
            stage_id=stage_id, position__gte=position
        )
        locked = dict(rows.exclude(pk=moving.pk).order_by("pk").values_list("pk", "position"))
        if locked.get(before.pk) == position:
            return position
    raise Gone("The item to move it before was just moved or deleted.")


@transaction.atomic
def move_item(
    item: ChecklistItem,
    *,
    by: User,
    stage: Stage | None = None,
    before: ChecklistItem | None = None,
) -> ChecklistItem:
    """Move `item` in front of `before` (an item of the target stage), or to
    the end of the target stage when `before` is None.

    `stage` is the target stage (its own stage when None). Moving to another
    stage moves both stages' counters; the production's total stays."""
    # The lock order (locks.py): the production's turn (each move locks its
    # own item and then the rows it shifts, which may hold another's), the
    # items, the stages in pk order, the production last (log()).
    one_at_a_time(item.stage.production_id)
    current = lock_item(item.pk)
    source_id = current.stage_id
    target_id = stage.pk if stage is not None else source_id
    if before is not None and before.pk != current.pk:
        # The rows the move will shift down, locked (in pk order) before the
        # stages: a tick holds its row and then waits for the stage.
        position = _lock_rows_from(target_id, before, current)
    locked = {pk: lock_stage(pk) for pk in sorted({source_id, target_id})}
    source, target = locked[source_id], locked[target_id]
    if target.production_id != source.production_id:
        raise BadOrder("That stage belongs to another production.")
    if before is not None and before.pk == current.pk:
        return current

    if before is not None:
        # One UPDATE makes room: every row at or after the target slot moves down one.
        ChecklistItem.all_objects.filter(stage=target, position__gte=position).exclude(
            pk=current.pk
        ).update(position=F("position") + 1)
    else:
        last = (
            ChecklistItem.all_objects.filter(stage=target)
            .exclude(pk=current.pk)
            .aggregate(last=Max("position"))["last"]
        )
        position = (last or 0) + 1

    changes = {}
    fields = ["position"]
    current.position = position
    if target.pk != source.pk:
        current.stage = target
        fields.append("stage")
        changes["stage"] = [source.name, target.name]
        done = 1 if current.done else 0
        move_counters(source, items=-1, done=-done)
        move_counters(target, items=1, done=done)
    current.save(update_fields=fields)
    log(
        target.production,
        Kind.ITEM_MOVED,
        by=by,
        subject=current.title,
        stage=target,
        item=current,
        changes=changes,
    )
    current.stage = target
    return current


@transaction.atomic
def reorder_stages(production: Production, *, by: User, order: list) -> list[str]:
    """Put the production's live stages in `order` (a list of their ids, each
    exactly once), in one UPDATE."""
    stages = list(
        Stage.objects.select_for_update(no_key=True)
        .filter(production=production)
        .order_by("pk")
        .values_list("pk", "name", "position")
    )
    try:
        order = [int(pk) for pk in order]
    except (TypeError, ValueError):
        raise BadOrder("Stage ids must be numbers.") from None
    if len(order) != len(set(order)) or set(order) != {pk for pk, _, _ in stages}:
        raise BadOrder("The order must list each of the production's stages once.")
    before = [name for _, name, _ in sorted(stages, key=lambda row: (row[2], row[0]))]
    Stage.objects.filter(pk__in=order).update(
        position=Case(*(When(pk=pk, then=Value(index)) for index, pk in enumerate(order, start=1)))
    )
    names = {pk: name for pk, name, _ in stages}
    after = [names[pk] for pk in order]
    log(
        production,
        Kind.STAGES_REORDERED,
        by=by,
        subject=production.title,
        changes={"order": [", ".join(before), ", ".join(after)]} if before != after else {},
    )
    return after
