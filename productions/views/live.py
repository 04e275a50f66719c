"""Live updates: open production pages poll for what teammates changed.

The poll carries the production's live version as an ETag (If-None-Match):
when nothing changed, it answers 304 after three queries (the session, the
user, the production with the user's level: Django's own login, and the
lookup every production page starts with), rendering nothing. Otherwise the
answer holds the fragments that changed since the activity entry the page
last saw (rows, progress bars, removals), which app.js puts in place,
skipping a row someone is editing. No state is kept in
the process: any worker on any machine answers.
"""

from django.shortcuts import render
from django.utils.cache import get_conditional_response, quote_etag
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import queries
from ..access import get_production_for_user
from ..forms import AddItemForm
from ..models import Activity
from ..pages import live_etag

# More changes than this since the last poll: the page asks to be reloaded.
MAX_CHANGES = 100
# Each moved row's new place costs a query: more moves than this, a reload.
MAX_MOVES = 20

ITEM_KINDS = {
    Activity.Kind.ITEM_ADDED,
    Activity.Kind.ITEM_TICKED,
    Activity.Kind.ITEM_UNTICKED,
    Activity.Kind.ITEM_EDITED,
    Activity.Kind.ITEM_DELETED,
    Activity.Kind.ITEM_RESTORED,
    Activity.Kind.COMMENTED,
}
# Changes to the stages themselves: sent as the stage's head, a new section,
# a removal, and the stages' order.
STAGE_KINDS = {
    Activity.Kind.STAGE_ADDED,
    Activity.Kind.STAGE_EDITED,
    Activity.Kind.STAGE_DELETED,
    Activity.Kind.STAGE_RESTORED,
    Activity.Kind.STAGES_REORDERED,
}
MOVED = Activity.Kind.ITEM_MOVED
# Nothing on the page to change (saving a template leaves the production as it is).
QUIET_KINDS = {
    Activity.Kind.STAGE_STATUS,
    Activity.Kind.TRASH_EMPTIED,
    Activity.Kind.TEMPLATE_SAVED,
}
SENT_KINDS = ITEM_KINDS | STAGE_KINDS | QUIET_KINDS | {MOVED}


@require_safe
@never_cache
def production_changes(request, slug):
    """The changes since `after`: 304 when there are none (the page's ETag
    is the production's live version and the viewer's level), after the
    session, the user and the production with the user's level."""
    production, can = get_production_for_user(request.user, slug)
    etag = quote_etag(live_etag(production, can))
    if unchanged := get_conditional_response(request, etag=etag):
        unchanged.headers["ETag"] = etag
        return unchanged
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    entries = queries.activity_since(production, after, MAX_CHANGES + 1)
    last = entries[-1][0] if entries else after
    item_ids = {item for _, kind, item, _ in entries if item and kind in ITEM_KINDS | {MOVED}}
    moved = {item for _, kind, item, _ in entries if item and kind == MOVED}
    reload = (
        len(entries) > MAX_CHANGES
        or len(moved) > MAX_MOVES
        or any(kind not in SENT_KINDS for _, kind, _, _ in entries)
    )
    context = {
        "production": production,
        "can": can,
        "production_progress": production.progress,
        "reload": reload,
        "after": last,
        "etag": live_etag(production, can),
    }
    if not reload:
        context.update(_fragments(request, production, entries, item_ids, moved))
    response = render(request, "productions/live_changes.html", context)
    response.headers["ETag"] = etag
    return response


def _fragments(request, production, entries, item_ids, moved):
    """What to send for `entries`: the rows that changed (the moved ones with
    the row they now come before), the removed rows and stages, the stages
    whose progress moved, and for changes to the stages themselves their
    heads, new sections and order."""
    items = queries.changed_items(request.user, production, item_ids)
    for item in items:
        item.moved = item.pk in moved
        if item.moved:
            # The row it now comes before in its stage (None: the last).
            item.place_before = queries.place_before(item)
    kinds = {kind for _, kind, _, _ in entries}
    named = {stage for _, _, _, stage in entries if stage}
    if kinds & (STAGE_KINDS | {MOVED}):
        # The stages as they are now, all of them (a few): their progress and order.
        stages = queries.production_stages(production)
        live = {stage.pk for stage in stages}

        def stages_of(*wanted):
            return {stage for _, kind, _, stage in entries if kind in wanted and stage}

        new = stages_of(Activity.Kind.STAGE_ADDED, Activity.Kind.STAGE_RESTORED)
        edited = stages_of(Activity.Kind.STAGE_EDITED) - new
        # A head sent on its own: its arrows as its place in the production says.
        for place, stage in enumerate(stages):
            stage.first_in_order, stage.last_in_order = place == 0, place == len(stages) - 1
        structure = {
            "stage_order": ",".join(str(stage.pk) for stage in stages),
            "sections": queries.first_windows([stage for stage in stages if stage.pk in new]),
            "heads": [stage for stage in stages if stage.pk in edited],
            "stages_gone": sorted(stages_of(Activity.Kind.STAGE_DELETED) - live),
            "add_item_form": AddItemForm(),
        }
    else:
        stages = queries.named_stages(production, named)
        structure = {}
    shown = {item.pk for item in items}
    return {
        "items": items,
        "gone": sorted(item_ids - shown),
        "stages": stages,
        **structure,
    }
