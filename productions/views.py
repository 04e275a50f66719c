import csv
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from . import services
from .access import (
    get_assignment_for_user,
    get_item_for_user,
    get_production_for_user,
    get_stage_for_user,
    productions_for_user,
)
from .forms import (
    AddItemForm,
    AssignmentForm,
    ItemForm,
    ProductionFilterForm,
    ProductionForm,
    StageStatusForm,
)
from .models import ChecklistItem, Progress, Stage

DETAIL = "productions/production_detail.html"
PRODUCTIONS_PER_PAGE = 25


def _stage_url(stage):
    return f"{stage.production.get_absolute_url()}#stage-{stage.pk}"


def _crew_context(production, form=None):
    return {
        "production": production,
        "assignments": production.assignments.select_related("crew_member", "role").order_by(
            "crew_member__name", "role__name"
        ),
        "assignment_form": form or AssignmentForm(production=production),
    }


def _detail_context(production, **extra):
    # Strict fetching (tests, DEBUG) turns a relation the template reads without
    # it being loaded here into an error; in production a slip costs one query
    # for all peers instead of one per item.
    fetch_mode = models.FETCH_RAISE if settings.STRICT_FETCHING else models.FETCH_PEERS
    items = ChecklistItem.objects.select_related("assignee", "done_by").fetch_mode(fetch_mode)
    # Counting items groups the rows, which drops Meta.ordering: order explicitly.
    stages = list(
        production.stages.with_progress()
        .fetch_mode(fetch_mode)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("items", queryset=items))
    )
    return {
        **_crew_context(production),
        "stages": stages,
        "production_progress": Progress(
            sum(s.done_count for s in stages), sum(s.item_count for s in stages)
        ),
        "add_item_form": AddItemForm(),
        **extra,
    }


def _checklist_response(request, stage, main_html=""):
    """The swapped element plus, out of band, the progress bars it moved."""
    stage = Stage.objects.with_progress().select_related("production").get(pk=stage.pk)
    production = stage.production
    oob = {"oob": True, "stage": stage, "production": production}
    html = (
        main_html
        + render_to_string(f"{DETAIL}#stage-progress", oob, request)
        + render_to_string(
            f"{DETAIL}#production-progress",
            {**oob, "production_progress": production.checklist_progress()},
            request,
        )
    )
    return HttpResponse(html)


@require_safe
def production_list(request):
    form = ProductionFilterForm(request.GET)
    # Counting items groups the rows, which drops Meta.ordering: order explicitly.
    productions = productions_for_user(request.user).with_progress().order_by("-created_at", "-pk")
    form.is_valid()
    # A stale or mistyped filter is ignored on its own; the others still apply.
    filters = form.cleaned_data
    productions = productions.search(filters.get("q"))
    if kind := filters.get("kind"):
        productions = productions.filter(kind=kind)
    if status := filters.get("status"):
        productions = productions.filter(status=status)
    page = Paginator(productions, PRODUCTIONS_PER_PAGE).get_page(request.GET.get("page"))

    template_name = "productions/production_list.html"
    # Back/forward past htmx's history cache asks for the whole page again.
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#results"
    response = render(request, template_name, {"form": form, "page": page})
    # The same URL answers a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
def production_create(request):
    return _production_form(request, production=None)


@require_http_methods(["GET", "POST"])
def production_edit(request, slug):
    return _production_form(request, get_production_for_user(request.user, slug))


def _production_form(request, production):
    """The new-production and edit-details form: one template, one flow."""
    form = ProductionForm(request.POST if request.method == "POST" else None, instance=production)
    status = 200
    if form.is_bound:
        if form.is_valid():
            if production is None:
                production = services.create_production(user=request.user, **form.cleaned_data)
                messages.success(request, f"Created {production}, with its stages ready.")
            else:
                services.update_production(production, **form.cleaned_data)
                messages.success(request, f"Saved {production}.")
            if request.htmx:
                return HttpResponseClientRedirect(production.get_absolute_url())
            return redirect(production)
        status = 422

    template_name = "productions/production_form.html"
    if request.htmx:
        template_name += "#form"
    return render(request, template_name, {"form": form, "production": production}, status=status)


@require_safe
def production_detail(request, slug):
    production = get_production_for_user(request.user, slug)
    return render(request, DETAIL, _detail_context(production))


@require_POST
def stage_status(request, stage_pk):
    stage = get_stage_for_user(request.user, stage_pk)
    form = StageStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Unknown stage status.")
    services.set_stage_status(stage, form.cleaned_data["status"])
    if not request.htmx:
        return redirect(_stage_url(stage))
    stage = Stage.objects.with_progress().get(pk=stage.pk)
    return render(request, f"{DETAIL}#stage-progress", {"stage": stage})


@require_POST
def item_add(request, stage_pk):
    stage = get_stage_for_user(request.user, stage_pk)
    form = AddItemForm(request.POST)
    if form.is_valid():
        item = services.add_item(stage, title=form.cleaned_data["title"])
        if not request.htmx:
            return redirect(_stage_url(stage))
        # A fresh form replaces the submitted one; the new row is appended out of band.
        context = {"stage": stage, "add_item_form": AddItemForm(), "item": item}
        html = render_to_string(f"{DETAIL}#add-item-form", context, request)
        html += render_to_string(f"{DETAIL}#item-appended", context, request)
        return _checklist_response(request, stage, html)

    context = {"stage": stage, "add_item_form": form}
    template_name = "productions/item_add.html"
    if request.htmx:
        template_name = f"{DETAIL}#add-item-form"
    return render(request, template_name, context, status=422)


@require_safe
def item_detail(request, pk):
    item = get_item_for_user(request.user, pk)
    if not request.htmx:
        return redirect(_stage_url(item.stage))
    return render(request, f"{DETAIL}#item", {"item": item})


@require_POST
def item_toggle(request, pk):
    item = get_item_for_user(request.user, pk)
    # The form says which state it wants, so a double click cannot undo itself.
    done = request.POST.get("done") in ("1", "true", "on")
    services.set_item_done(item, done, user=request.user)
    if not request.htmx:
        return redirect(_stage_url(item.stage))
    html = render_to_string(f"{DETAIL}#item", {"item": item}, request)
    return _checklist_response(request, item.stage, html)


@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = get_item_for_user(request.user, pk)
    form = ItemForm(
        request.POST if request.method == "POST" else None,
        instance=item,
        # Several rows can be in edit mode at once: keep their field ids apart.
        auto_id=f"item-{item.pk}-%s",
    )
    status = 200
    if form.is_bound:
        if form.is_valid():
            services.update_item(item, **form.cleaned_data)
            if not request.htmx:
                return redirect(_stage_url(item.stage))
            return render(request, f"{DETAIL}#item", {"item": item})
        status = 422

    template_name = "productions/item_edit.html"
    if request.htmx:
        template_name += "#form"
    return render(request, template_name, {"item": item, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def item_delete(request, pk):
    item = get_item_for_user(request.user, pk)
    if request.method == "POST":
        stage = item.stage
        services.delete_item(item)
        if not request.htmx:
            messages.success(request, f"Deleted “{item.title}”.")
            return redirect(_stage_url(stage))
        # An empty main response removes the row (outerHTML swap).
        return _checklist_response(request, stage)

    template_name = "productions/item_delete.html"
    if request.htmx:
        template_name += "#confirm"
    return render(request, template_name, {"item": item})


@require_POST
def assignment_add(request, slug):
    production = get_production_for_user(request.user, slug)
    form = AssignmentForm(request.POST, production=production)
    if form.is_valid():
        services.add_assignment(
            production, crew_member=form.cleaned_data["crew_member"], role=form.cleaned_data["role"]
        )
        if not request.htmx:
            return redirect(f"{production.get_absolute_url()}#crew")
        return render(request, f"{DETAIL}#crew", _crew_context(production))

    if request.htmx:
        return render(request, f"{DETAIL}#crew", _crew_context(production, form), status=422)
    context = _detail_context(production, assignment_form=form)
    return render(request, DETAIL, context, status=422)


@require_POST
def assignment_remove(request, pk):
    assignment = get_assignment_for_user(request.user, pk)
    production = assignment.production
    services.remove_assignment(assignment)
    if not request.htmx:
        messages.success(request, f"Removed {assignment} from the crew.")
        return redirect(f"{production.get_absolute_url()}#crew")
    return render(request, f"{DETAIL}#crew", _crew_context(production))


CSV_HEADER = ["Production", "Stage", "Phase", "Item", "Assignee", "Role", "Due", "Done", "Done at"]


def _csv_safe(value):
    # A cell starting with = + - @ is run as a formula by spreadsheet apps.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@require_safe
def production_export_csv(request, slug):
    production = get_production_for_user(request.user, slug)
    items = (
        ChecklistItem.objects.filter(stage__production=production)
        .select_related("stage", "assignee__default_role")
        .order_by("stage__position", "stage__pk", "position", "pk")
    )
    # The role a crew member holds on this production, else their usual one.
    roles = defaultdict(list)
    for assignment in production.assignments.select_related("role").order_by("role__name"):
        roles[assignment.crew_member_id].append(assignment.role.name)

    filename = f"{production.slug}-checklist-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    # The byte-order mark makes Excel read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for item in items:
        assignee = item.assignee
        if assignee is None:
            role = ""
        else:
            role = "; ".join(roles[assignee.pk]) or (
                assignee.default_role.name if assignee.default_role else ""
            )
        done_at = (
            timezone.localtime(item.done_at).strftime("%Y-%m-%d %H:%M") if item.done_at else ""
        )
        writer.writerow(
            [
                _csv_safe(production.title),
                _csv_safe(item.stage.name),
                item.stage.get_phase_display(),
                _csv_safe(item.title),
                _csv_safe(assignee.name) if assignee else "",
                _csv_safe(role),
                item.due_date.isoformat() if item.due_date else "",
                "yes" if item.done else "no",
                done_at,
            ]
        )
    return response
