"""Live updates: open production pages poll for what teammates changed.

The poll carries the production's live version as an ETag (If-None-Match):
when nothing changed, `condition()` answers 304 after one query, rendering
nothing. Otherwise the answer holds the fragments that changed since the
activity entry the page last saw (rows, progress bars, removals), which
app.js puts in place, skipping a row someone is editing. No state is kept in
the process: any worker on any machine answers.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_safe

from ..access import get_production_for_user, items_for_user
from ..models import Activity, Stage

# More changes than this since the last poll: the page asks to be reloaded.
MAX_CHANGES = 100

ITEM_KINDS = {
    Activity.Kind.ITEM_ADDED,
    Activity.Kind.ITEM_TICKED,
    Activity.Kind.ITEM_UNTICKED,
    Activity.Kind.ITEM_EDITED,
    Activity.Kind.ITEM_DELETED,
    Activity.Kind.ITEM_RESTORED,
    Activity.Kind.COMMENTED,
}
QUIET_KINDS = {Activity.Kind.STAGE_STATUS, Activity.Kind.TRASH_EMPTIED}


def _lookup(request, slug):
    # The ETag function and the view share one lookup.
    if not hasattr(request, "_live"):
        request._live = get_production_for_user(request.user, slug)
    return request._live


def live_etag(production, can):
    return f"{production.live_version}-{can.level}"


def _etag(request, slug):
    production, can = _lookup(request, slug)
    return live_etag(production, can)


def last_activity_id(production):
    return (
        Activity.objects.filter(production=production)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


@require_safe
@never_cache
@condition(etag_func=_etag)
def production_changes(request, slug):
    production, can = _lookup(request, slug)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    entries = list(
        Activity.objects.filter(production=production, pk__gt=after)
        .order_by("pk")
        .values_list("pk", "kind", "item_id", "stage_id")[: MAX_CHANGES + 1]
    )
    last = entries[-1][0] if entries else after
    reload = len(entries) > MAX_CHANGES or any(
        kind not in ITEM_KINDS and kind not in QUIET_KINDS for _, kind, _, _ in entries
    )
    item_ids = {item for _, kind, item, _ in entries if item and kind in ITEM_KINDS}
    stage_ids = {stage for _, _, _, stage in entries if stage}
    items = (
        list(
            items_for_user(request.user)
            .filter(pk__in=item_ids, stage__production=production)
            .select_related("stage", "assignee", "done_by")
        )
        if item_ids and not reload
        else []
    )
    stages = (
        list(
            Stage.objects.filter(pk__in=stage_ids, production=production).select_related(
                "status_set_by"
            )
        )
        if stage_ids and not reload
        else []
    )
    shown = {item.pk for item in items}
    context = {
        "production": production,
        "can": can,
        "items": items,
        "gone": sorted(item_ids - shown),
        "stages": stages,
        "production_progress": production.progress,
        "reload": reload,
        "after": last,
        "etag": live_etag(production, can),
    }
    return render(request, "productions/live_changes.html", context)
