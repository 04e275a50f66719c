"""The trash: emptying it by hand, and purging what is past its 30 days."""

import datetime

from django.db import transaction
from django.utils import timezone

from ..models import ChecklistItem, Production, Stage
from .activity import Kind, log
from .productions import _live

KEEP_FOR = datetime.timedelta(days=30)


@transaction.atomic
def empty_trash(production, *, by):
    """Delete for good the items and stages in a production's trash."""
    # Rows first (in pk order), the production last, through log(): the same
    # order as the other services, so a restore racing this cannot deadlock.
    production = _live(production.pk)
    trashed_items = ChecklistItem.all_objects.filter(
        stage__production=production, deleted_at__isnull=False
    )
    list(trashed_items.select_for_update(of=("self",)).order_by("pk").values_list("pk"))
    stages = Stage.all_objects.filter(production=production, deleted_at__isnull=False)
    stage_count = len(stages.select_for_update().order_by("pk").values_list("pk"))
    items, _ = trashed_items.delete()
    stages.delete()
    log(
        production,
        Kind.TRASH_EMPTIED,
        by=by,
        subject=f"{stage_count} stage(s), items and comments",
        changes={"deleted_rows": items},
    )


@transaction.atomic
def purge_expired(*, now=None):
    """Delete for good what has been in the trash longer than KEEP_FOR.

    Returns how many productions, stages and items went."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    productions = Production.all_objects.filter(deleted_at__lt=cutoff)
    stages = Stage.all_objects.filter(deleted_at__lt=cutoff)
    items = ChecklistItem.all_objects.filter(deleted_at__lt=cutoff)
    counts = (productions.count(), stages.count(), items.count())
    items.delete()
    stages.delete()
    productions.delete()
    return counts
