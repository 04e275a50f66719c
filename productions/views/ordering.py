"""Reordering: items within and across stages, stages within a production, and
the board (stages as columns, items as cards) whose drags post here.

Every drag has a form twin (Move up / Move down / Move to…, and stage
left / right on the board) that works without JavaScript: the form posts, the
view redirects back to the stage."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import trigger_client_event

from .. import queries, services
from ..access import Level, get_item_for_user, get_production_for_user, get_stage_for_user, require
from ..models import ChecklistItem, Stage
from .common import DETAIL, stage_url

BOARD = "productions/board.html"
FRAGMENTS = "productions/ordering_fragments.html"


def _neighbour(item, direction):
    """The item to move `item` in front of for Move up / Move down (None: to
    the end), among the rows shown with it (same stage, same done state)."""
    rows = ChecklistItem.objects.filter(stage_id=item.stage_id, done=item.done).exclude(pk=item.pk)
    if direction == "up":
        earlier = rows.filter(position__lte=item.position).order_by("-position", "-pk")
        earlier = [row for row in earlier[:2] if (row.position, row.pk) < (item.position, item.pk)]
        return earlier[0] if earlier else item
    later = rows.filter(position__gte=item.position).order_by("position", "pk")
    later = [row for row in later[:3] if (row.position, row.pk) > (item.position, item.pk)]
    if not later:
        return item  # already last: nothing to do
    return later[1] if len(later) > 1 else None


@require_http_methods(["GET", "POST"])
def item_move(request, pk):
    """Move an item up, down, or to a stage (in front of `before`, or last)."""
    item, can = get_item_for_user(request.user, pk)
    require(can, Level.EDITOR)
    production = item.stage.production
    if request.method == "GET":
        # The stage list: in the row's place ("Move to…" with htmx), or a page.
        stages = queries.production_stages(production)
        if request.htmx:
            context = {"item": item, "stages": stages}
            return render(request, "productions/item_move_controls.html#to-stage", context)
        return render(request, "productions/item_move.html", {"item": item, "stages": stages})

    direction = request.POST.get("direction")
    target, before = item.stage, None
    if direction in ("up", "down"):
        before = _neighbour(item, direction)
    elif "stage" in request.POST:
        target = _stage_in(production, request.POST["stage"])
        if request.POST.get("before"):
            before = _item_in(target, request.POST["before"])
    else:
        return HttpResponse("Say where to move it.", status=422, content_type="text/plain")
    source = item.stage
    if before is not item:
        item = services.move_item(item, by=request.user, stage=target, before=before)

    board = request.POST.get("view") == "board"
    if not request.htmx:
        if board:
            board_url = reverse("production_board", args=[production.slug])
            return redirect(f"{board_url}#column-{target.pk}")
        return redirect(stage_url(target))
    stages = [source] if source.pk == target.pk else [source, target]
    response = _stages_response(request, stages, can, board=board, moved=item.pk, focus=direction)
    trigger_client_event(response, "announce", f"Moved “{item.title}” — {target.name}")
    return response


def _stage_in(production, value):
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = 0
    return get_object_or_404(
        Stage.objects.select_related("production"), pk=pk, production=production
    )


def _item_in(stage, value):
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = 0
    return get_object_or_404(ChecklistItem.objects.only("pk", "stage_id"), pk=pk, stage=stage)


def _stages_response(request, stages, can, *, board, moved=None, focus=None):
    """The moved stages' first windows and progress, swapped in out of band."""
    fresh = queries.moved_stages([stage.pk for stage in stages])
    html = ""
    every = None
    for stage in stages:
        stage = queries.first_window(fresh[stage.pk])
        if every is None:  # for the Move to… selects
            every = queries.production_stages(stage.production)
        context = {
            "stage": stage,
            "stages": every,
            "can": can,
            "moved": moved,
            "focus": focus,
            "oob": True,
            "board": board,
        }
        if board:
            html += render_to_string(f"{BOARD}#column-oob", context, request)
        else:
            html += render_to_string(f"{FRAGMENTS}#list-oob", context, request)
            html += render_to_string(f"{DETAIL}#stage-progress", context, request)
    return HttpResponse(html)


@require_POST
def stage_reorder(request, slug):
    """Managers: the stages in a new order, from a drag (`order`, every stage
    id) or a Move left / Move right button (`stage` and `direction`)."""
    production, can = get_production_for_user(request.user, slug)
    require(can, Level.MANAGER)
    order = request.POST.getlist("order")
    if not order:
        order = list(production.stages.for_checklist().values_list("pk", flat=True))
        try:
            index = order.index(int(request.POST.get("stage", "")))
        except ValueError:
            return HttpResponse("Unknown stage.", status=422, content_type="text/plain")
        step = -1 if request.POST.get("direction") == "left" else 1
        if 0 <= index + step < len(order):
            order[index], order[index + step] = order[index + step], order[index]
    try:
        services.reorder_stages(production, by=request.user, order=order)
    except services.BadOrder as exc:
        return HttpResponse(str(exc), status=422, content_type="text/plain")
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("production_board", slug=production.slug)


@require_safe
def production_board(request, slug):
    production, can = get_production_for_user(request.user, slug)
    if request.session.get("view") != "board":
        request.session["view"] = "board"
    # The live stages, each with its first window of cards (one query, as
    # on the production page).
    stages = queries.first_windows(queries.production_stages(production))
    context = {
        "production": production,
        "can": can,
        "stages": stages,
        "production_progress": production.progress,
        "board": True,
        "board_order_url": reverse("production_stage_order", args=[production.slug]),
    }
    return render(request, BOARD, context)


@require_safe
def board_more(request, stage_pk):
    """The next cards of a board column, after the `after` cursor."""
    stage, can = get_stage_for_user(request.user, stage_pk)
    cursor = queries.parse_cursor(request.GET.get("after", ""))
    if cursor is None:
        return HttpResponse("Bad cursor.", status=400, content_type="text/plain")
    queries.next_window(stage, cursor)
    stages = queries.production_stages(stage.production)
    context = {"stage": stage, "can": can, "stages": stages, "board": True}
    if request.htmx:
        return render(request, f"{BOARD}#cards", context)
    return render(request, "productions/board_more.html", context)
