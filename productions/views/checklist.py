"""Checklist items and a stage's status: add, tick, edit, delete, restore, comment."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from .. import queries, services
from ..access import (
    Level,
    crew_for_user,
    get_deleted_item_for_user,
    get_item_for_user,
    get_stage_for_user,
    require,
)
from ..exceptions import Conflict, NeedsConfirmation, StageGated
from ..forms import AddItemForm, ChecklistFilterForm, CommentForm, ItemForm, StageStatusForm
from ..models import Stage
from ..pages import reschedule, work_row_page
from .common import DETAIL, conflict_message, rebased, stage_url


def _checklist_response(
    request,
    stage,
    can,
    main_html="",
    announce="",
    held_up=False,
    fresh=False,
    status=True,
    status_focus=False,
    **answer,
):
    """The swapped element plus, out of band, the progress bars it moved
    (the checklist-answer partial).

    `announce` is read out by screen readers, with the stage's new progress.
    `held_up`: the change may have moved which stage holds the production up
    (a required item or a stage status changed), so that line is sent too,
    at the cost of one query. `fresh`: the service left the stage and its
    production's counters on `stage` (a tick): no query for them. `status`:
    the stage's status may have moved, so its status control is sent too
    (else only its progress bar); `status_focus`: with autofocus on its Set.
    `answer`: more of the partial's context (a tick's row)."""
    if not fresh:
        # One query: the stage and its production, with their counters as
        # this change left them (no rows are counted).
        stage = Stage.objects.select_related("production", "status_set_by").get(pk=stage.pk)
    elif status:
        # Who set the status by hand, named next to it: a query only then.
        manual = stage.status_manual and stage.status_set_by_id
        stage.status_set_by = get_user_model().objects.get(pk=manual) if manual else None
    production = stage.production
    context = {
        "stage": stage,
        "can": can,
        "main": main_html,
        "oob": True,
        "status": status,
        "status_focus": status_focus,
        "production_progress": production.progress,
        "held_up_line": held_up,
        **answer,
    }
    if held_up:
        # The first stage (in order) not done with open required items: one query.
        context["held_up"] = production.stages.holding_up().first()
    response = render(request, f"{DETAIL}#checklist-answer", context)
    if announce:
        progress = stage.progress
        trigger_client_event(
            response,
            "announce",
            f"{announce} — {stage.name} {progress.done} of {progress.total} done",
        )
    return response


def held_up_html(request, production):
    """The "Held up by" line, out of band (one query)."""
    context = {"oob": True, "held_up": production.stages.holding_up().first()}
    return render_to_string(f"{DETAIL}#held-up", context, request)


def _item_context(item, can, **extra):
    return {"item": item, "can": can, **extra}


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def stage_status(request, stage_pk):
    stage, can = get_stage_for_user(request.user, stage_pk)
    require(can, Level.EDITOR)
    if request.method == "GET":
        # "Cancel" of "Mark done anyway": the status as it is, focus on Set
        # (the Cancel link goes with the swap); without JavaScript, the stage.
        if not request.htmx:
            return redirect(stage_url(stage))
        stage = Stage.objects.select_related("production", "status_set_by").get(pk=stage.pk)
        context = {"stage": stage, "can": can, "status_focus": True}
        return render(request, f"{DETAIL}#stage-progress", context)
    form = StageStatusForm(request.POST)
    confirm = gated = None
    if form.is_valid():
        try:
            services.set_stage_status(
                stage,
                form.cleaned_data["status"],
                by=request.user,
                confirmed=form.cleaned_data["confirmed"],
            )
        except NeedsConfirmation as exc:
            confirm = exc.message
        except StageGated as exc:
            # Not overridable: said next to the status control, as a refusal.
            gated = exc.message
        else:
            if not request.htmx:
                return redirect(stage_url(stage))
            # After "Mark done anyway" (its button goes with the swap) focus comes back to Set.
            confirmed = form.cleaned_data["confirmed"]
            return _checklist_response(request, stage, can, held_up=True, status_focus=confirmed)

    status = 200 if confirm else 422
    stage = Stage.objects.select_related("production", "status_set_by").get(pk=stage.pk)
    context = {
        "stage": stage,
        "can": can,
        "status_form": form,
        "confirm": confirm,
        "gated": gated,
    }
    if request.htmx:
        return render(request, f"{DETAIL}#stage-progress", context, status=status)
    return render(request, "productions/stage_status.html", context, status=status)


@require_POST
def item_add(request, stage_pk):
    stage, can = get_stage_for_user(request.user, stage_pk)
    require(can, Level.EDITOR)
    form = AddItemForm(request.POST)
    if form.is_valid() and len(titles := form.cleaned_data["titles"]) > 1:
        # A pasted list: one item per line, in one transaction.
        items = services.add_items(stage, by=request.user, titles=titles)
        if not request.htmx:
            messages.success(request, f"Added {len(items)} items to {stage.name}.")
            return redirect(stage_url(stage))
        context = {"stage": stage, "add_item_form": AddItemForm(), "items": items, "can": can}
        html = render_to_string(f"{DETAIL}#add-item-form", context, request)
        html += render_to_string(f"{DETAIL}#items-appended", context, request)
        return _checklist_response(request, stage, can, html, f"Added {len(items)} items")
    if form.is_valid():
        item = services.add_item(stage, by=request.user, title=titles[0])
        if not request.htmx:
            return redirect(stage_url(stage))
        # A fresh form replaces the submitted one; the new row is appended out of band.
        context = {"stage": stage, "add_item_form": AddItemForm(), "item": item, "can": can}
        html = render_to_string(f"{DETAIL}#add-item-form", context, request)
        html += render_to_string(f"{DETAIL}#item-appended", context, request)
        # The service left the stage and the production's counters on item.stage.
        announce = f"Added “{item.title}”"
        return _checklist_response(request, item.stage, can, html, announce, fresh=True)

    context = {"stage": stage, "add_item_form": form, "can": can}
    template_name = "productions/item_add.html"
    if request.htmx:
        template_name = f"{DETAIL}#add-item-form"
    return render(request, template_name, context, status=422)


@require_safe
def stage_items_more(request, stage_pk):
    """The next window of a stage's rows, after the `after` cursor: swapped in
    place of the "Show more" row as the user scrolls to it (or, without
    JavaScript, a page of its own)."""
    stage, can = get_stage_for_user(request.user, stage_pk)
    cursor = queries.parse_cursor(request.GET.get("after", ""))
    if cursor is None:
        return HttpResponse("Bad cursor.", status=400, content_type="text/plain")
    # The page's filter comes along in the link (see the show-more partial).
    filters = ChecklistFilterForm(request.GET).filters()
    queries.next_window(stage, cursor, stage.production, filters)
    context = {"stage": stage, "can": can}
    if request.htmx:
        return render(request, "productions/stage_items.html#rows", context)
    return render(request, "productions/stage_items.html", context)


@require_safe
def item_detail(request, pk):
    item, can = get_item_for_user(request.user, pk)
    if not request.htmx:
        return redirect(stage_url(item.stage))
    # Back from an edit or a delete confirmation: focus returns to its button.
    focus = request.GET.get("focus")
    return render(request, f"{DETAIL}#item", _item_context(item, can, focus=focus))


DONE_VALUES = {"1": True, "true": True, "on": True, "0": False, "false": False, "": False}


@require_POST
def item_toggle(request, pk):
    # The form says which state it wants, so a double click cannot undo itself.
    # No value is "not done", as an unticked checkbox; anything else is refused.
    done = DONE_VALUES.get(request.POST.get("done", ""))
    if done is None:
        return HttpResponse("done must be 1 or 0.", status=400, content_type="text/plain")
    item, can = get_item_for_user(request.user, pk)
    require(can, Level.EDITOR)
    status_before = item.stage.status
    item = services.set_item_done(item, done, by=request.user)
    status_moved = item.stage.status != status_before
    if request.POST.get("row") == "work":
        # Ticked on My work or Everything due: that page's row, no progress bars.
        if not request.htmx:
            return redirect(work_row_page(request))
        item.can = can
        context = {"item": item, "show_assignee": request.POST.get("page") == "due"}
        return render(request, "productions/_rows.html#work-item", context)
    if not request.htmx:
        return redirect(stage_url(item.stage))
    verb = "Ticked" if item.done else "Unticked"
    return _checklist_response(
        request,
        item.stage,
        can,
        announce=f"{verb} “{item.title}”",
        held_up=item.required,
        # The service read the stage and the production's counters as it left them.
        fresh=True,
        status=False,
        # The row; when the checklist moved the stage's status, its select
        # out of band (the form around it stays as it is).
        ticked=True,
        item=item,
        select_oob=status_moved,
    )


def _item_form(request, item, data=None):
    return ItemForm(
        data,
        instance=item,
        crew=crew_for_user(request.user),
        production=item.stage.production,
        # Several rows can be in edit mode at once: keep their field ids apart.
        auto_id=f"item-{item.pk}-%s",
    )


@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item, can = get_item_for_user(request.user, pk)
    require(can, Level.EDITOR)
    if request.method == "POST" and request.POST.get("row") == "work":
        # Rescheduled from a My work or Everything due row.
        return reschedule(request, item, can)
    form = _item_form(request, item, request.POST if request.method == "POST" else None)
    status, conflict = 200, None
    if form.is_bound:
        if form.is_valid():
            try:
                item = services.update_item(
                    item,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    **form.changed_fields(),
                )
            except Conflict:
                conflict = get_item_for_user(request.user, pk)[0]
                form = rebased(
                    form,
                    conflict,
                    crew=crew_for_user(request.user),
                    production=conflict.stage.production,
                )
                status = 409
            else:
                if not request.htmx:
                    return redirect(stage_url(item.stage))
                response = render(request, f"{DETAIL}#item", _item_context(item, can, focus="edit"))
                if "required" in form.changed_data:
                    # Marked (or no longer) required: which stage holds things up may move.
                    response.content += held_up_html(request, item.stage.production).encode()
                return response
        else:
            status = 422

    template_name = "productions/item_edit.html"
    if request.htmx:
        template_name += "#form"
    context = _item_context(
        item,
        can,
        form=form,
        conflict=conflict,
        conflict_message=conflict_message(conflict) if conflict else "",
    )
    return render(request, template_name, context, status=status)


@require_http_methods(["GET", "POST"])
def item_delete(request, pk):
    item, can = get_item_for_user(request.user, pk)
    require(can, Level.EDITOR)
    if request.method == "POST":
        item = services.delete_item(item, by=request.user)
        if not request.htmx:
            return redirect("item_deleted", pk=item.pk)
        # The row becomes a "deleted — Undo" notice.
        html = render_to_string(f"{DETAIL}#item-deleted", _item_context(item, can), request)
        announce = f"Moved “{item.title}” to the trash"
        return _checklist_response(
            request, item.stage, can, html, announce, held_up=item.required, fresh=True
        )

    template_name = "productions/item_delete.html"
    if request.htmx:
        template_name += "#confirm"
    return render(request, template_name, _item_context(item, can))


@require_safe
def item_deleted(request, pk):
    """Without JavaScript, the page after a delete: what went, and Undo."""
    item, can = get_deleted_item_for_user(request.user, pk)
    return render(request, "productions/item_deleted.html", _item_context(item, can))


@require_POST
def item_restore(request, pk):
    item, can = get_deleted_item_for_user(request.user, pk)
    require(can, Level.EDITOR)
    item = services.restore_item(item, by=request.user)
    if not request.htmx:
        messages.success(request, f"Restored “{item.title}”.")
        return redirect(stage_url(item.stage))
    html = render_to_string(f"{DETAIL}#item", _item_context(item, can), request)
    return _checklist_response(request, item.stage, can, html, held_up=item.required, fresh=True)


@require_http_methods(["GET", "POST"])
def item_comments(request, pk):
    """An item's comment thread, and the form that adds to it."""
    item, can = get_item_for_user(request.user, pk)
    form = CommentForm(request.POST if request.method == "POST" else None, auto_id=f"item-{pk}-%s")
    status = 200
    if form.is_bound:
        require(can, Level.EDITOR)
        if form.is_valid():
            services.add_comment(item, by=request.user, body=form.cleaned_data["body"])
            if not request.htmx:
                return redirect(f"{stage_url(item.stage)}")
            form = CommentForm(auto_id=f"item-{pk}-%s")
        else:
            status = 422
    comments = item.comments.select_related("author").order_by("created_at", "pk")
    context = _item_context(item, can, comments=comments, comment_form=form)
    template_name = "productions/item_comments.html"
    if request.htmx:
        template_name += "#thread"
    return render(request, template_name, context, status=status)
