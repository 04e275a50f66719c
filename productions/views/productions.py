"""The production list, detail page, create/edit, and the production's trash."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from .. import services
from ..access import (
    Access,
    Level,
    crew_for_user,
    deleted_productions_for_user,
    get_deleted_production_for_user,
    get_production_for_user,
    productions_for_user,
    require,
    require_to,
)
from ..exceptions import Conflict
from ..forms import (
    AddItemForm,
    AssignmentForm,
    ChecklistFilterForm,
    CrewMemberForm,
    ProductionFilterForm,
    ProductionForm,
)
from ..models import Activity, Assignment, ChecklistItem, CrewRole, Stage
from ..precompiled import Precompiled
from .bulk import bulk_page_context
from .common import DETAIL, conflict_message, rebased
from .live import last_activity_id, live_etag
from .templates import create_production_from_form, new_production_form

PRODUCTIONS_PER_PAGE = 25
# Rows a stage shows at first, and loads at a time as the user scrolls.
ITEM_WINDOW = 10


# The production page's queries, built and compiled once (precompiled.py).
def _checklist_stages(production_id):
    # Each stage also carries the production's last activity entry (the same
    # on every row): where the page's live updates start.
    last = Activity.objects.filter(production_id=production_id).order_by("-pk").values("pk")[:1]
    return (
        Stage.objects.filter(production_id=production_id)
        .for_checklist()
        .with_open_required()
        .annotate(last_activity=models.Subquery(last))
    )


CHECKLIST_STAGES = Precompiled(_checklist_stages)
CHECKLIST_WINDOWS = Precompiled(
    lambda stage_ids: ChecklistItem.objects.for_checklist().first_windows(
        stage_ids, ITEM_WINDOW + 1
    )
)
PRODUCTION_STAGES = Precompiled(
    lambda production_id: Stage.objects.filter(production_id=production_id).for_checklist()
)
PRODUCTION_CREW = Precompiled(
    lambda production_id: (
        Assignment.objects.filter(production_id=production_id)
        .select_related("crew_member", "role")
        .order_by("crew_member__name", "role__name")
    )
)


def _fetch_mode():
    """Strict fetching (tests, DEBUG) turns a relation a template reads
    without it being loaded into an error; in production a slip costs one
    query for all peers instead of one per row."""
    return models.FETCH_RAISE if settings.STRICT_FETCHING else models.FETCH_PEERS


# A refused crew form, given back to detail_context() to show with its errors.
CREW_FORMS = ("assignment_form", "crew_member_form")


def crew_context(request, production, can, crew_forms=False, crew_focus=False, **forms):
    """The crew panel. Its forms (the crew directory and the roles: two
    queries, and a directory that grows with the office) come only when
    asked for (`crew_forms`, or a refused form to show again); else the
    panel offers a button that brings them. `crew_focus`: they were just
    asked for, so focus goes to their first field."""
    context = {
        "production": production,
        "can": can,
        "assignments": PRODUCTION_CREW(production_id=production.pk, fetch_mode=_fetch_mode()),
        "crew_forms": False,
    }
    if not (crew_forms or forms) or not can.edit:
        return context
    assignment_form = forms.get("assignment_form") or AssignmentForm(
        production=production, crew=crew_for_user(request.user)
    )
    return {
        **context,
        "crew_forms": True,
        "crew_focus": crew_focus,
        "assignment_form": assignment_form,
        "crew_member_form": forms.get("crew_member_form") or CrewMemberForm(),
        # The forms' choices, each read once and only for whoever sees the
        # form: the directory (managers assign), the roles (both forms).
        "crew_directory": assignment_form.fields["crew_member"].queryset if can.manage else (),
        "crew_roles": list(CrewRole.objects.all()),
    }


def detail_context(request, production, can, crew_forms=False, **extra):
    fetch_mode = _fetch_mode()
    filter_form = ChecklistFilterForm(request.GET)
    filters = filter_form.filters()
    # One query for the stages, each with its open required items (which
    # stage holds the production up) and, the same on every row, where live
    # updates start: the last activity entry, read before the rows, so a
    # change committed while the page renders is sent again, not missed.
    stages = _of(production, CHECKLIST_STAGES(production_id=production.pk, fetch_mode=fetch_mode))
    after = (stages[0].last_activity or 0) if stages else last_activity_id(production)
    # Each stage shows a window of its rows (one more is read to know whether
    # there are more): the page costs the same at 10 items as at 100,000.
    if not filters:
        first_windows(stages)
    else:
        items = ChecklistItem.objects.for_checklist().filtered(production, filters)
        first_windows(stages, items.fetch_mode(fetch_mode))
        # "Showing N matching items" per stage: one grouped count, only when
        # filtered (the progress bars keep counting the whole stage).
        matching = dict(
            ChecklistItem.objects.filter(stage__in=[stage.pk for stage in stages])
            .filtered(production, filters)
            .order_by()
            .values_list("stage")
            .annotate(n=models.Count("pk"))
        )
        for stage in stages:
            stage.matching = matching.get(stage.pk, 0)
    forms = {name: extra.pop(name) for name in CREW_FORMS if name in extra}
    context = crew_context(request, production, can, crew_forms, **forms)
    if can.edit:
        context.update(bulk_page_context(request, production, stages, filters))
    # The crew (one query) also gives the filter's person and role choices.
    assignments = context["assignments"] = list(context["assignments"])
    people = {a.crew_member_id: a.crew_member.name for a in assignments}
    roles = {a.role_id: a.role.name for a in assignments}
    return {
        **context,
        "stages": stages,
        "production_progress": production.progress,
        # The first stage (in order) not done with open required items: one query.
        "held_up": next((st for st in stages if st.open_required and not st.is_done), None),
        "add_item_form": AddItemForm(),
        "q": filters.get("q", ""),
        "filter_form": filter_form,
        "filtered": bool(filters),
        "filter_people": sorted(people.items(), key=lambda pair: (pair[1].lower(), pair[0])),
        "filter_roles": sorted(roles.items(), key=lambda pair: (pair[1].lower(), pair[0])),
        # The bulk form offers the same people; it and the exports, the stages (no query).
        "bulk_people": sorted(people.items(), key=lambda pair: (pair[1].lower(), pair[0])),
        "stage_choices": [(stage.pk, stage.name) for stage in stages],
        # Where the live-update poll starts from.
        "after": after,
        "etag": live_etag(production, can),
        **extra,
    }


def production_stages(production):
    """The production's live stages in order (the board's columns)."""
    return _of(production, PRODUCTION_STAGES(production_id=production.pk, fetch_mode=_fetch_mode()))


def _of(production, stages):
    """`stages` of `production` (read by id), each knowing it: no query when
    a template asks a stage for its production."""
    for stage in stages:
        stage.production = production
    return stages


def first_windows(stages, items=None):
    """Give each stage its first window of `items` (see window()), all in one
    query: a small indexed LIMIT per stage, joined (a window function over
    the production's rows would read every one of them). Without `items`,
    every live item (the query precompiled)."""
    rows = {stage.pk: [] for stage in stages}
    if not rows:
        return stages
    if items is None:
        found = CHECKLIST_WINDOWS(stage_ids=list(rows), fetch_mode=_fetch_mode())
    else:
        found = items.first_windows(list(rows), ITEM_WINDOW + 1)
    for row in found:
        rows[row.stage_id].append(row)
    for stage in stages:
        for row in rows[stage.pk]:
            row.stage = stage
        window(stage, rows[stage.pk])
    return stages


def window(stage, rows):
    """Set `stage.window` (the rows to show) and `stage.more_after` (the
    cursor of the next window, or None when these are the last)."""
    stage.window = rows[:ITEM_WINDOW]
    last = stage.window[-1] if len(rows) > ITEM_WINDOW else None
    stage.more_after = f"{int(last.done)}.{last.position}.{last.pk}" if last else None


@require_safe
def production_list(request):
    form = ProductionFilterForm(request.GET)
    # Counting items groups the rows, which drops Meta.ordering: order explicitly.
    productions = productions_for_user(request.user).order_by("-created_at", "-pk")
    form.is_valid()
    # A stale or mistyped filter is ignored on its own; the others still apply.
    filters = form.cleaned_data
    # Archived productions are found under "Archived" only.
    archived = request.GET.get("archived") == "1"
    productions = productions.archived() if archived else productions.active()
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
    context = {
        "form": form,
        "page": page,
        "archived": archived,
        "has_deleted": deleted_productions_for_user(request.user).exists(),
    }
    response = render(request, template_name, context)
    # The same URL answers a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
def production_create(request):
    return _production_form(request, production=None, can=Access(Level.MANAGER))


@require_http_methods(["GET", "POST"])
def production_edit(request, slug):
    production, can = get_production_for_user(request.user, slug)
    require(can, Level.MANAGER)
    return _production_form(request, production, can)


def _production_form(request, production, can):
    """The new-production and edit-details form: one template, one flow."""
    if production is None:
        form = new_production_form(request)
    else:
        form = ProductionForm(
            request.POST if request.method == "POST" else None, instance=production
        )
    status, conflict = 200, None
    if form.is_bound:
        if form.is_valid():
            fields = form.changed_fields()
            try:
                if production is None:
                    production = create_production_from_form(request, fields)
                else:
                    production = services.update_production(
                        production,
                        by=request.user,
                        version=form.cleaned_data["version"],
                        **fields,
                    )
                    messages.success(request, f"Saved {production}.")
            except Conflict as exc:
                conflict = exc.current
            except services.DatesOutOfRange as exc:
                form.add_error("start_date", str(exc))
            except ValidationError as exc:
                # A template made unusable (edited by hand in the admin).
                form.add_error("template" if "template" in form.fields else None, exc.messages)
            else:
                if request.htmx:
                    return HttpResponseClientRedirect(production.get_absolute_url())
                return redirect(production)
        status = 422
        if conflict:
            status = 409
            form = rebased(form, conflict)

    template_name = "productions/production_form.html"
    if request.htmx:
        template_name += "#form"
    context = {
        "form": form,
        "production": production,
        "conflict": conflict,
        "conflict_message": conflict_message(conflict) if conflict else "",
        "can": can,
    }
    return render(request, template_name, context, status=status)


@require_safe
def production_detail(request, slug):
    production, can = get_production_for_user(request.user, slug)
    # The production list links to the view (list or board) used last.
    if request.session.get("view", "list") != "list":
        request.session["view"] = "list"
    return render(request, DETAIL, detail_context(request, production, can))


@require_http_methods(["GET", "POST"])
def production_delete(request, slug):
    production, can = get_production_for_user(request.user, slug)
    require_to(can, "archive")  # archived or not
    if request.method == "POST":
        services.delete_production(production, by=request.user)
        return redirect("production_deleted", pk=production.pk)
    return render(request, "productions/production_delete.html", {"production": production})


@require_safe
def deleted_productions(request):
    productions = deleted_productions_for_user(request.user).select_related("deleted_by")
    return render(
        request,
        "productions/deleted_productions.html",
        {"productions": productions.order_by("-deleted_at")},
    )


@require_safe
def production_deleted(request, pk):
    """The page right after a production is deleted: what went, and Undo."""
    production, _ = get_deleted_production_for_user(request.user, pk)
    return render(request, "productions/production_deleted.html", {"production": production})


@require_POST
def production_restore(request, pk):
    production, _ = get_deleted_production_for_user(request.user, pk)
    production = services.restore_production(production, by=request.user)
    messages.success(request, f"Restored {production}.")
    return redirect(production)
