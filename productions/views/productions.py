"""The production list, detail page, create/edit, and the production's trash."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from .. import services
from ..access import (
    Access,
    Level,
    deleted_productions_for_user,
    get_deleted_production_for_user,
    get_production_for_user,
    productions_for_user,
    require,
    require_to,
    templates_for_user,
)
from ..exceptions import Conflict
from ..forms import ProductionFilterForm, ProductionForm
from ..pages import detail_context
from ..template_forms import NewProductionForm
from .common import DETAIL, conflict_message, rebased

PRODUCTIONS_PER_PAGE = 25


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


# The new-production form's "Start from": a template, or the kind's usual stages.


def new_production_form(request):
    """The new-production form; `?template=<pk>` (the templates page's "Start
    a production from this") chooses that template and its kind."""
    templates = templates_for_user(request.user)
    initial = {}
    pk = request.GET.get("template", "")
    if request.method == "GET" and pk.isascii() and pk.isdigit() and 0 < int(pk) < 2**63:
        template = templates.filter(pk=pk).only("pk", "kind").first()
        if template is not None:
            initial = {"template": template.pk, "kind": template.kind}
    data = request.POST if request.method == "POST" else None
    return NewProductionForm(data, templates=templates, initial=initial)


def create_production_from_form(request, fields):
    """Create the production the form describes, from its kind's usual stages
    or from the chosen template. May raise services.DatesOutOfRange."""
    template = fields.pop("template", None)
    if template is None:
        production = services.create_production(by=request.user, **fields)
        messages.success(request, f"Created {production}, with its stages ready.")
    else:
        production = services.create_production_from_template(template, by=request.user, **fields)
        messages.success(request, f"Created {production} from the template “{template}”.")
    return production
