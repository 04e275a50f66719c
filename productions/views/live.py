"""Live updates: open production pages poll for what teammates changed.

The poll carries the production's live version as an ETag (If-None-Match):
when nothing changed, `condition()` answers 304 after one query besides the
session's (it reads the logged-in user too), rendering nothing. Otherwise the
answer holds the fragments that changed since the activity entry the page
last saw (rows, progress bars, removals), which app.js puts in place,
skipping a row someone is editing. No state is kept in
the process: any worker on any machine answers.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_safe

from ..access import get_production_for_user, get_user_with_live_version, items_for_user
from ..forms import AddItemForm
from ..middleware import login_required_response
from ..models import Activity, ChecklistItem, Stage
from ..session_user import user_from_session

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


def live_etag(production, can):
    return f"{production.live_version}-{can.level}"


def _etag(request, slug):
    return request.live_etag


def last_activity_id(production):
    return (
        Activity.objects.filter(production=production)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


@login_not_required  # checked here and in _poll, which reads the user with the production
def production_changes(request, slug):
    """The changes since `after`: 304 when there are none, after one query
    (besides the session's), which reads both the user and the production."""
    if SESSION_KEY not in request.session:  # nobody logged in: no query needed to say so
        return login_required_response(request, production_changes)
    return _poll(request, slug)


@require_safe
@never_cache
def _poll(request, slug):
    user = user_from_session(request, lambda user_id: get_user_with_live_version(user_id, slug))
    if user is None:  # logged in through another kind of backend: the usual two queries
        user = request.user
        if user.is_authenticated:
            request.live_etag = live_etag(*get_production_for_user(user, slug))
    elif user.is_authenticated:
        if user.access is None:
            raise Http404("No such production.")
        request.live_etag = live_etag(user, user.access)
    if not user.is_authenticated:  # the session's login no longer holds
        return login_required_response(request, production_changes)
    return _changes(request, slug)


@condition(etag_func=_etag)
def _changes(request, slug):
    production, can = get_production_for_user(request.user, slug)
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
    return render(request, "productions/live_changes.html", context)


def _fragments(request, production, entries, item_ids, moved):
    """What to send for `entries`: the rows that changed (the moved ones with
    the row they now come before), the removed rows and stages, the stages
    whose progress moved, and for changes to the stages themselves their
    heads, new sections and order."""
    items = (
        list(
            items_for_user(request.user)
            .filter(pk__in=item_ids, stage__production=production)
            .select_related("stage", "assignee", "done_by")
        )
        if item_ids
        else []
    )
    for item in items:
        item.moved = item.pk in moved
        if item.moved:
            # The row it now comes before in its stage (None: the last).
            item.place_before = (
                ChecklistItem.objects.filter(stage_id=item.stage_id)
                .after((item.done, item.position, item.pk))
                .order_by("done", "position", "pk")
                .values_list("pk", flat=True)
                .first()
            )
    kinds = {kind for _, kind, _, _ in entries}
    named = {stage for _, _, _, stage in entries if stage}
    if kinds & (STAGE_KINDS | {MOVED}):
        from .productions import first_windows  # (it imports this module)

        # The stages as they are now, all of them (a few): their progress and order.
        stages = list(production.stages.for_checklist())
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
            "sections": first_windows([stage for stage in stages if stage.pk in new]),
            "heads": [stage for stage in stages if stage.pk in edited],
            "stages_gone": sorted(stages_of(Activity.Kind.STAGE_DELETED) - live),
            "add_item_form": AddItemForm(),
        }
    else:
        stages = list(
            Stage.objects.filter(pk__in=named, production=production).select_related(
                "status_set_by"
            )
        )
        structure = {}
    shown = {item.pk for item in items}
    return {
        "items": items,
        "gone": sorted(item_ids - shown),
        "stages": stages,
        **structure,
    }
