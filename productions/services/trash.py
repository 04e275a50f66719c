"""The trash: emptying it by hand, and purging what is past its 30 days."""

import datetime
from collections import defaultdict

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..models import ChecklistItem, Production, ShootDay, Stage
from .activity import Kind, bump, entry, log
from .locks import one_at_a_time
from .productions import live_production

KEEP_FOR = datetime.timedelta(days=30)


@transaction.atomic
def empty_trash(production: Production, *, by: User) -> None:
    """Delete for good the items and stages in a production's trash."""
    # The lock order (locks.py): the production's turn (an Undo locks items
    # on trashed stages too), the items that go (trashed ones, and those of
    # trashed stages) in pk order, the trashed stages, the production last
    # (log()). FOR UPDATE: they are deleted for good.
    production = live_production(production.pk)
    one_at_a_time(production.pk)
    trashed_items = ChecklistItem.all_objects.filter(
        stage__production=production, deleted_at__isnull=False
    )
    going = ChecklistItem.all_objects.filter(stage__production=production).filter(
        Q(deleted_at__isnull=False) | Q(stage__deleted_at__isnull=False)
    )
    list(going.select_for_update(of=("self",)).order_by("pk").values_list("pk"))
    stages = Stage.all_objects.filter(production=production, deleted_at__isnull=False)
    stage_count = len(stages.select_for_update().order_by("pk").values_list("pk"))
    items, _ = trashed_items.delete()
    stages.delete()
    # Schedule days (with their calls): days before the production too.
    days = ShootDay.all_objects.filter(production=production, deleted_at__isnull=False)
    list(days.select_for_update().order_by("pk").values_list("pk"))
    days.delete()
    log(
        production,
        Kind.TRASH_EMPTIED,
        by=by,
        subject=f"{stage_count} stage(s), items and comments",
        changes={"deleted_rows": items},
    )


PURGE_ACTOR = "The 30-day trash purge"


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


@transaction.atomic
def purge_expired(*, now: datetime.datetime | None = None) -> tuple[int, int, int]:
    """Delete for good what has been in the trash longer than KEEP_FOR.

    Each production that keeps living but lost stages or items gets an entry
    in its log saying what went. Returns how many productions, stages and
    items went."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    productions = Production.all_objects.filter(deleted_at__lt=cutoff)
    stages = Stage.all_objects.filter(deleted_at__lt=cutoff)
    items = ChecklistItem.all_objects.filter(deleted_at__lt=cutoff)
    lost = defaultdict(lambda: [0, 0])
    for production, n in stages.values_list("production").annotate(n=Count("pk")).order_by():
        lost[production][0] = n
    # Items that go: trashed ones, and every item of a stage that goes.
    going = ChecklistItem.all_objects.filter(
        Q(deleted_at__lt=cutoff) | Q(stage__deleted_at__lt=cutoff)
    )
    for production, n in going.values_list("stage__production").annotate(n=Count("pk")).order_by():
        lost[production][1] = n
    counts = (
        productions.count(),
        sum(s for s, _ in lost.values()),
        sum(i for _, i in lost.values()),
    )
    items.delete()
    stages.delete()
    ShootDay.all_objects.filter(deleted_at__lt=cutoff).delete()
    productions.delete()
    for production in Production.all_objects.filter(pk__in=list(lost)).order_by("pk"):
        stage_count, item_count = lost[production.pk]
        bump(production)
        record = entry(
            production,
            Kind.TRASH_EMPTIED,
            by=None,
            subject=f"{_plural(stage_count, 'stage')} and {_plural(item_count, 'item')} "
            f"in the trash for over {KEEP_FOR.days} days",
            changes={"purged_stages": stage_count, "purged_items": item_count},
        )
        record.actor_name = PURGE_ACTOR
        record.save(force_insert=True)
    return counts
