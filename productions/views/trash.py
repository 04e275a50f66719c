"""A production's trash: what was deleted, restore, and empty it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from .. import services
from ..access import Level, get_production_for_user, require
from ..models import ChecklistItem, ShootDay, Stage

PER_PAGE = 50


@require_safe
def production_trash(request, slug):
    production, can = get_production_for_user(request.user, slug)
    require(can, Level.EDITOR)
    stages = (
        Stage.all_objects.filter(production=production, deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )
    items = (
        ChecklistItem.all_objects.filter(
            stage__production=production,
            stage__deleted_at__isnull=True,
            deleted_at__isnull=False,
        )
        .select_related("stage", "deleted_by")
        .order_by("-deleted_at", "-pk")
    )
    context = {
        "production": production,
        "can": can,
        "stages": stages,
        "items_page": Paginator(items, PER_PAGE).get_page(request.GET.get("page")),
        "keep_days": services.trash.KEEP_FOR.days,
        "days": ShootDay.all_objects.filter(production=production, deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at")[:PER_PAGE],
    }
    return render(request, "productions/trash.html", context)


@require_http_methods(["GET", "POST"])
def trash_empty(request, slug):
    production, can = get_production_for_user(request.user, slug)
    require(can, Level.MANAGER)
    if request.method == "POST":
        services.empty_trash(production, by=request.user)
        messages.success(request, "Emptied the trash.")
        return redirect("production_trash", slug=production.slug)
    return render(request, "productions/trash_empty.html", {"production": production})
