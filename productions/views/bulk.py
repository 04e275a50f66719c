"""Bulk changes of checklist items, and their one Undo (issue 6, capability 6).

The bulk form posts to the production's URL with the page's filter in its
query string, so "all matching items" means what the user sees, and the
answer goes back to the same filtered page (htmx picks #checklist out of it).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import reselect, reswap, retarget

from .. import services
from ..access import Level, get_bulk_action_for_user, get_production_for_user, require
from ..exceptions import Gone
from ..forms import BulkForm, ChecklistFilterForm
from ..models import ChecklistItem
from ..services.bulk import MAX_ITEMS, TooMany

BULK = "productions/_bulk.html"


def _back(request, production, **params):
    """The production page with the page's filter (and `params`)."""
    query = request.GET.copy()
    query.pop("bulk", None)
    query.pop("undone", None)
    for name, value in params.items():
        query[name] = value
    url = production.get_absolute_url()
    return f"{url}?{query.urlencode()}#checklist" if query else f"{url}#checklist"


def bulk_context(production, form, *, matching):
    """What the bulk form shows: the production's crew and stages."""
    return {
        "production": production,
        "bulk_form": form,
        "bulk_people": [(c.pk, c.name) for c in form.fields["assignee"].queryset.order_by("name")],
        "stage_choices": [(stage.pk, stage.name) for stage in form.fields["stage"].queryset],
        "bulk_matching": matching,
    }


def first_error(form):
    """The field the keyboard should land on after an error (one autofocus)."""
    for name in ("action", "assignee", "due_date", "stage", "all_matching"):
        if name in form.errors:
            return name
    return "errors" if form.non_field_errors() else None


def _matching(production, filters):
    items = ChecklistItem.objects.filter(
        stage__production=production, stage__deleted_at__isnull=True
    )
    return items.filtered(production, filters)


@require_POST
def production_bulk(request, slug):
    production, can = get_production_for_user(request.user, slug)
    require(can, Level.EDITOR)
    form = BulkForm(request.POST, production=production)
    filters = ChecklistFilterForm(request.GET).filters()
    if form.is_valid():
        data = form.cleaned_data
        pks = data["items"]
        if data["all_matching"]:
            matching = _matching(production, filters).order_by("pk")
            pks = list(matching.values_list("pk", flat=True)[: MAX_ITEMS + 1])
        try:
            bulk = services.bulk_edit(
                production,
                pks,
                data["action"],
                by=request.user,
                assignee=data["assignee"],
                due_date=data["due_date"],
                stage=data["stage"],
            )
        except TooMany as exc:
            form.add_error("all_matching" if data["all_matching"] else None, str(exc))
        except Gone as exc:
            form.add_error("stage" if data["action"] == BulkForm.Action.MOVE else None, str(exc))
        else:
            if not bulk.count:
                messages.info(request, "Nothing changed: the items are like that already.")
                return redirect(_back(request, production))
            messages.success(request, f"{bulk.summary}.")
            return redirect(_back(request, production, bulk=bulk.pk))
    matching = _matching(production, filters).count()
    context = bulk_context(production, form, matching=matching)
    context["filtered"] = bool(filters)
    context["bulk_focus"] = first_error(form)
    response = render(request, f"{BULK}#bulk-form", {**context, "can": can}, status=422)
    if request.htmx:
        # The form targets the checklist; its errors replace only the form.
        retarget(response, "#bulk-form")
        reselect(response, "#bulk-form")
        reswap(response, "outerHTML")
        return response
    # Without JavaScript: the form on a page of its own, the selection kept.
    context["bulk_items"] = form.cleaned_data.get("items", []) if form.is_bound else []
    return render(request, "productions/bulk_edit.html", {**context, "can": can}, status=422)


@require_POST
def bulk_undo(request, pk):
    bulk, _ = get_bulk_action_for_user(request.user, pk)
    try:
        undone = services.undo_bulk(bulk, by=request.user)
    except Gone:
        messages.info(request, "That change was already undone.")
        return redirect(_back(request, bulk.production))
    summary = undone.bulk.summary
    message = f"Undone: {summary[0].lower()}{summary[1:]}."
    if undone.changed:
        n = undone.changed
        message += (
            f" {n} item{'s were' if n != 1 else ' was'} changed by someone since (or deleted)"
            " and kept as they are."
        )
    if undone.stuck:
        n = undone.stuck
        message += f" {n} item{'s' if n != 1 else ''} stayed put: the stage is in the trash."
    messages.success(request, message)
    # Focus goes back to the bulk form (the Undo button is gone).
    return redirect(_back(request, bulk.production, undone=1))
