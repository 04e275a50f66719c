"""The progress counters kept on stages and productions.

Every service that adds, ticks, deletes or restores items moves the counters
in its own transaction. These recount from the rows, for writes that change
many items at once (the admin, imports) and for `manage.py check_counters`.
"""

from collections.abc import Iterable

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from ..models import ChecklistItem, Production, Stage
from .locks import lock_stages


def move_counters(
    stage: Stage, *, items: int = 0, done: int = 0, handed_back: bool = False
) -> Stage:
    """Move a locked stage's counters by `items` and `done`, let its status
    follow (Stage.status_from_checklist), and save both in one UPDATE (none
    when nothing moved). The caller moves the production's through log()."""
    stage.item_count += items
    stage.done_count += done
    fields = [name for name, step in (("item_count", items), ("done_count", done)) if step]
    status = stage.status_from_checklist(handed_back=handed_back)
    if status != stage.status:
        stage.status = status
        fields.append("status")
    if fields:
        stage.save(update_fields=fields)
    return stage


def recount_stages(stage_ids: Iterable[int]) -> tuple[int, int]:
    """For writes that change many rows at once (imports): lock the stages
    (in pk order), set their counters from their rows and let their status
    follow. Returns how far the production's counters move (items, done),
    for the caller's log(), which moves them after the stages (locks.py)."""
    stages = lock_stages(stage_ids)
    actual = actual_stage_counts(list(stages))
    moved_items = moved_done = 0
    for pk, stage in stages.items():
        items, done = actual[pk]
        items, done = items - stage.item_count, done - stage.done_count
        move_counters(stage, items=items, done=done)
        if stage.deleted_at is None:
            moved_items, moved_done = moved_items + items, moved_done + done
    return moved_items, moved_done


def actual_stage_counts(stage_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{stage_id: (items, done)} counted from the rows (live items only)."""
    rows = (
        ChecklistItem.objects.filter(stage_id__in=stage_ids)
        .values("stage_id")
        .annotate(items=Count("pk"), done=Count("pk", filter=Q(done=True)))
    )
    counts = dict.fromkeys(stage_ids, (0, 0))
    counts.update({row["stage_id"]: (row["items"], row["done"]) for row in rows})
    return counts


def recount_production(production_id: int) -> None:
    """Set the counters of a production and its stages from the rows (the
    stages in pk order, the production last, as locks.py says)."""
    stage_ids = list(
        Stage.all_objects.filter(production_id=production_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for stage_id, (items, done) in actual_stage_counts(stage_ids).items():
        Stage.all_objects.filter(pk=stage_id).update(item_count=items, done_count=done)
    totals = Stage.objects.filter(production_id=production_id).aggregate(
        items=Coalesce(Sum("item_count"), 0), done=Coalesce(Sum("done_count"), 0)
    )
    Production.all_objects.filter(pk=production_id).update(
        item_count=totals["items"], done_count=totals["done"]
    )


def wrong_counters() -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """[(what, kept, actual)] for every counter that disagrees with the rows."""
    wrong = []
    stages = list(Stage.all_objects.values_list("pk", "item_count", "done_count"))
    actual = actual_stage_counts([pk for pk, _, _ in stages])
    for pk, items, done in stages:
        if (items, done) != actual[pk]:
            wrong.append((f"stage {pk}", (items, done), actual[pk]))
    live = Stage.objects.values("production_id").annotate(
        items=Sum("item_count"), done=Sum("done_count")
    )
    sums = {row["production_id"]: (row["items"], row["done"]) for row in live}
    for pk, items, done in Production.all_objects.values_list("pk", "item_count", "done_count"):
        if (items, done) != sums.get(pk, (0, 0)):
            wrong.append((f"production {pk}", (items, done), sums.get(pk, (0, 0))))
    return wrong
