"""Shaping the stages from the production page (managers): add, edit, move
up or down, delete (with its Undo page) and restore; and archiving a
production. Without JavaScript each form posts and
redirects; with htmx a refused form comes back as its fragment (422, or 409
when someone else saved first) and a saved one reloads the page."""

from urllib.parse import urldefrag

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from .. import services
from ..access import (
    Level,
    get_deleted_stage_for_user,
    get_production_for_user,
    get_stage_for_user,
    require,
    require_to,
)
from ..exceptions import Conflict
from ..forms import StageForm
from ..services.stages import DOWN, UP, add_stage, move_stage, set_archived, update_stage
from .common import conflict_message, rebased, stage_url

FORM = "productions/stage_form.html"


def _done(request, url):
    if request.htmx:
        response = HttpResponseClientRedirect(url)
        # From the production page to one of its stages (the stage just added
        # there): a new #fragment only scrolls, so the page is reloaded too.
        current = request.htmx.current_url_abs_path or ""
        if urldefrag(current).url == urldefrag(url).url:
            response["HX-Refresh"] = "true"
        return response
    return redirect(url)


def _form_response(request, context, status):
    # Opened on its own, or answered with errors: the keyboard lands in the form.
    context["form"].fields["name"].widget.attrs["autofocus"] = True
    template_name = FORM + "#form" if request.htmx else FORM
    return render(request, template_name, context, status=status)


def _with_errors(form, exc):
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def stage_add(request, slug):
    production, can = get_production_for_user(request.user, slug)
    require(can, Level.MANAGER)
    form = StageForm(request.POST if request.method == "POST" else None, auto_id="new-stage-%s")
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                stage = add_stage(production, by=request.user, **form.changed_fields())
            except ValidationError as exc:
                _with_errors(form, exc)
            else:
                messages.success(request, f"Added the stage “{stage.name}”.")
                stage.production = production
                return _done(request, stage_url(stage))
        status = 422
    context = {"form": form, "production": production, "stage": None, "can": can}
    return _form_response(request, context, status)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def stage_edit(request, stage_pk):
    stage, can = get_stage_for_user(request.user, stage_pk)
    require(can, Level.MANAGER)
    auto_id = f"stage-{stage.pk}-edit-%s"
    form = StageForm(
        request.POST if request.method == "POST" else None, instance=stage, auto_id=auto_id
    )
    status, conflict = 200, None
    if form.is_bound:
        status = 422
        if form.is_valid():
            try:
                stage = update_stage(
                    stage,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    **form.changed_fields(),
                )
            except Conflict:
                conflict = get_stage_for_user(request.user, stage_pk)[0]
                form = rebased(form, conflict)
                status = 409
            except ValidationError as exc:
                _with_errors(form, exc)
            else:
                messages.success(request, f"Saved the stage “{stage.name}”.")
                return _done(request, stage_url(stage))
    context = {
        "form": form,
        "production": stage.production,
        "stage": stage,
        "can": can,
        "conflict": conflict,
        "conflict_message": conflict_message(conflict) if conflict else "",
    }
    return _form_response(request, context, status)


@require_POST
def stage_move(request, stage_pk):
    stage, can = get_stage_for_user(request.user, stage_pk)
    require(can, Level.MANAGER)
    direction = request.POST.get("direction")
    if direction not in (UP, DOWN):
        return HttpResponseBadRequest("Move a stage up or down.", content_type="text/plain")
    stage = move_stage(stage, by=request.user, direction=direction)
    return _done(request, stage_url(stage))


@require_POST
def production_archive(request, slug):
    production, can = get_production_for_user(request.user, slug)
    require_to(can, "archive")
    # The form says which state it wants, so a repeated click changes nothing.
    archived = request.POST.get("archived", "1") in ("1", "true", "on")
    production = set_archived(production, archived, by=request.user)
    if archived:
        messages.success(request, f"Archived {production}: find it under “Archived”.")
    else:
        messages.success(request, f"Took {production} out of the archive.")
    return _done(request, production.get_absolute_url())


@require_http_methods(["GET", "POST"])
def stage_delete(request, stage_pk):
    stage, can = get_stage_for_user(request.user, stage_pk)
    require(can, Level.MANAGER)
    if request.method == "POST":
        services.delete_stage(stage, by=request.user)
        return redirect("stage_deleted", stage_pk=stage.pk)
    return render(request, "productions/stage_delete.html", {"stage": stage, "can": can})


@require_safe
def stage_deleted(request, stage_pk):
    """The page right after a stage is deleted: what went, and Undo."""
    stage, can = get_deleted_stage_for_user(request.user, stage_pk)
    require(can, Level.MANAGER)
    return render(request, "productions/stage_deleted.html", {"stage": stage, "can": can})


@require_POST
def stage_restore(request, stage_pk):
    stage, can = get_deleted_stage_for_user(request.user, stage_pk)
    require(can, Level.MANAGER)
    stage = services.restore_stage(stage, by=request.user)
    messages.success(request, f"Restored the stage “{stage.name}” with its items.")
    return redirect(stage_url(stage))
