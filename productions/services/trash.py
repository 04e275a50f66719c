"""The trash: emptying it by hand, and purging what is past its 30 days."""

import datetime

from django.db import transaction
from django.utils import timezone

from ..models import ChecklistItem, Production, Stage
from .activity import Kind, log
from .productions import _lock

KEEP_FOR = datetime.timedelta(days=30)


@transaction.atomic
def empty_trash(production, *, by):
    """Delete for good the items and stages in a production's trash."""
    production = _lock(production.pk)
    items, _ = ChecklistItem.all_objects.filter(
        stage__production=production, deleted_at__isnull=False
    ).delete()
    stages = Stage.all_objects.filter(production=production, deleted_at__isnull=False)
    stage_count = stages.count()
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
