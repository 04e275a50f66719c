"""The crew panel of a production: assign, remove, add a new freelancer."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from .. import services
from ..access import (
    Level,
    crew_for_user,
    get_assignment_for_user,
    get_production_for_user,
    require,
)
from ..forms import AssignmentForm, CrewMemberForm
from ..pages import crew_context, detail_context
from .common import DETAIL


def _crew_answer(request, production, can, status=200, focus="assign", **forms):
    """The crew panel with its forms open: whoever just used one may well
    assign or add someone else next. `focus`: the form the keyboard goes back
    to ("assign" or "freelancer"; its first field with an error, else its
    first field), as the button just used goes with the swap."""
    if request.htmx:
        context = crew_context(request, production, can, crew_forms=True, crew_focus=focus, **forms)
        return render(request, f"{DETAIL}#crew", context, status=status)
    if status == 200:
        return redirect(f"{production.get_absolute_url()}#crew")
    context = detail_context(request, production, can, crew_focus=focus, **forms)
    return render(request, DETAIL, context, status=status)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def assignment_add(request, slug):
    """GET: the crew panel's forms (htmx: the panel; without JavaScript, the
    production page with them open). POST: assign someone from the directory."""
    production, can = get_production_for_user(request.user, slug)
    if request.method == "GET":
        require(can, Level.EDITOR)
        # Managers start with "Assign from the crew directory"; editors may only add.
        focus = "assign" if can.manage else "freelancer"
        if request.htmx:
            context = crew_context(request, production, can, crew_forms=True, crew_focus=focus)
            return render(request, f"{DETAIL}#crew", context)
        context = detail_context(request, production, can, crew_forms=True, crew_focus=focus)
        return render(request, DETAIL, context)
    require(can, Level.MANAGER)
    form = AssignmentForm(request.POST, production=production, crew=crew_for_user(request.user))
    if not form.is_valid():
        return _crew_answer(request, production, can, 422, assignment_form=form)
    services.add_assignment(
        production,
        by=request.user,
        crew_member=form.cleaned_data["crew_member"],
        role=form.cleaned_data["role"],
    )
    return _crew_answer(request, production, can)


@require_POST
def assignment_remove(request, pk):
    assignment, can = get_assignment_for_user(request.user, pk)
    require(can, Level.MANAGER)
    production = assignment.production
    services.remove_assignment(assignment, by=request.user)
    if not request.htmx:
        messages.success(request, f"Removed {assignment} from the crew.")
    return _crew_answer(request, production, can)


@require_POST
def crew_member_add(request, slug):
    """Editors add a freelancer who is not in the directory yet."""
    production, can = get_production_for_user(request.user, slug)
    require(can, Level.EDITOR)
    form = CrewMemberForm(request.POST, auto_id="new-crew-%s")
    if not form.is_valid():
        return _crew_answer(request, production, can, 422, "freelancer", crew_member_form=form)
    crew_member = services.create_crew_member(production, by=request.user, **form.cleaned_data)
    if not request.htmx:
        messages.success(request, f"Added {crew_member} to the crew.")
    return _crew_answer(request, production, can, focus="freelancer")
