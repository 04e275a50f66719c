"""The progress counters kept on stages and productions.

Every service that adds, ticks, deletes or restores items moves the counters
in its own transaction. These recount from the rows, for writes that change
many items at once (the admin, imports) and for `manage.py check_counters`.
"""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from ..models import ChecklistItem, Production, Stage


def actual_stage_counts(stage_ids):
    """{stage_id: (items, done)} counted from the rows (live items only)."""
    rows = (
        ChecklistItem.objects.filter(stage_id__in=stage_ids)
        .values("stage_id")
        .annotate(items=Count("pk"), done=Count("pk", filter=Q(done=True)))
    )
    counts = dict.fromkeys(stage_ids, (0, 0))
    counts.update({row["stage_id"]: (row["items"], row["done"]) for row in rows})
    return counts


def recount_production(production_id):
    """Set the counters of a production and its stages from the rows."""
    stage_ids = list(
        Stage.all_objects.filter(production_id=production_id).values_list("pk", flat=True)
    )
    for stage_id, (items, done) in actual_stage_counts(stage_ids).items():
        Stage.all_objects.filter(pk=stage_id).update(item_count=items, done_count=done)
    totals = Stage.objects.filter(production_id=production_id).aggregate(
        items=Coalesce(Sum("item_count"), 0), done=Coalesce(Sum("done_count"), 0)
    )
    Production.all_objects.filter(pk=production_id).update(
        item_count=totals["items"], done_count=totals["done"]
    )


def wrong_counters():
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
