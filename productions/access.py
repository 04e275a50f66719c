"""The one home of "who may see what".

Every view looks objects up through these helpers. Today any logged-in user may
see and edit every production; per-production member roles will narrow the
querysets here (and only here). Lookups that miss raise Http404, so an object a
user may not see is indistinguishable from one that does not exist.
"""

from django.shortcuts import get_object_or_404

from .models import Assignment, ChecklistItem, Production, Stage


def productions_for_user(user):
    return Production.objects.all()


def get_production_for_user(user, slug):
    return get_object_or_404(productions_for_user(user), slug=slug)


def get_stage_for_user(user, pk):
    stages = Stage.objects.select_related("production")
    return get_object_or_404(stages.filter(production__in=productions_for_user(user)), pk=pk)


def get_item_for_user(user, pk):
    items = ChecklistItem.objects.select_related("stage__production", "assignee", "done_by")
    return get_object_or_404(items.filter(stage__production__in=productions_for_user(user)), pk=pk)


def get_assignment_for_user(user, pk):
    assignments = Assignment.objects.select_related("production", "crew_member", "role")
    return get_object_or_404(assignments.filter(production__in=productions_for_user(user)), pk=pk)
