"""What more than one view answers with: the production page's context (the
page itself, and a crew or bulk form refused without JavaScript shows it
again), and a My work row rescheduled through the item's edit URL.

Not a view module: views import this, and no view module imports another.
"""

from django import forms
from django.shortcuts import redirect, render

from . import queries, services
from .access import crew_for_user
from .forms import (
    AddItemForm,
    AssignmentForm,
    BulkForm,
    CalendarDateField,
    ChecklistFilterForm,
    CrewMemberForm,
)
from .models import CrewRole

# A refused crew form, given back to detail_context() to show with its errors.
CREW_FORMS = ("assignment_form", "crew_member_form")


def live_etag(production, can):
    """The live-update poll's ETag: the production's live version and the
    viewer's level (a page shows other controls at another level)."""
    return f"{production.live_version}-{can.level}"


def crew_context(request, production, can, crew_forms=False, crew_focus=False, **forms):
    """The crew panel. Its forms (the crew directory and the roles: two
    queries, and a directory that grows with the office) come only when
    asked for (`crew_forms`, or a refused form to show again); else the
    panel offers a button that brings them. `crew_focus`: they were just
    asked for, so focus goes to their first field."""
    context = {
        "production": production,
        "can": can,
        "assignments": queries.production_crew(production),
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


def bulk_page_context(request, production, stages, filters):
    """The production page's part: the bulk form, how many items "all
    matching" means (counters or the per-stage counts, no query), and the
    Undo of the bulk change just made (one query, only right after one)."""
    matching = sum(stage.matching for stage in stages) if filters else production.item_count
    done = None
    pk = request.GET.get("bulk", "")
    if pk.isascii() and pk.isdigit() and 0 < int(pk) < 2**31:
        done = production.bulk_actions.filter(pk=pk, undone_at__isnull=True).first()
    return {
        "bulk_form": BulkForm(production=production),
        "bulk_matching": matching,
        "bulk_done": done,
        "bulk_focus": "summary" if request.GET.get("undone") else None,
    }


def _by_name(pairs):
    return sorted(pairs.items(), key=lambda pair: (pair[1].lower(), pair[0]))


def detail_context(request, production, can, crew_forms=False, **extra):
    filter_form = ChecklistFilterForm(request.GET)
    filters = filter_form.filters()
    # One query for the stages, each with its open required items (which
    # stage holds the production up) and, the same on every row, where live
    # updates start: the last activity entry, read before the rows, so a
    # change committed while the page renders is sent again, not missed.
    stages = queries.checklist_stages(production)
    after = (stages[0].last_activity or 0) if stages else queries.last_activity_id(production)
    # Each stage shows a window of its rows (one more is read to know whether
    # there are more): the page costs the same at 10 items as at 100,000.
    queries.filtered_windows(production, stages, filters)
    forms = {name: extra.pop(name) for name in CREW_FORMS if name in extra}
    context = crew_context(request, production, can, crew_forms, **forms)
    if can.edit:
        context.update(bulk_page_context(request, production, stages, filters))
    # The crew (one query) also gives the filter's person and role choices.
    assignments = context["assignments"]
    people = _by_name({a.crew_member_id: a.crew_member.name for a in assignments})
    return {
        **context,
        "stages": stages,
        "production_progress": production.progress,
        # The first stage (in order) not done with open required items: no query.
        "held_up": next((st for st in stages if st.open_required and not st.is_done), None),
        "add_item_form": AddItemForm(),
        "q": filters.get("q", ""),
        "filter_form": filter_form,
        "filtered": bool(filters),
        "filter_people": people,
        "filter_roles": _by_name({a.role_id: a.role.name for a in assignments}),
        # The bulk form offers the same people; it and the exports, the stages (no query).
        "bulk_people": people,
        "stage_choices": [(stage.pk, stage.name) for stage in stages],
        # Where the live-update poll starts from.
        "after": after,
        "etag": live_etag(production, can),
        **extra,
    }


# A My work or Everything due row's new due date, posted to the item's edit
# URL with row=work (views/checklist.py's item_edit hands it here).


class RescheduleForm(forms.Form):
    due_date = CalendarDateField(required=False, label="New due date")


def work_row_page(request):
    """The page a My work / Everything due row is on, for the no-JS redirect."""
    return "everything_due" if request.POST.get("page") == "due" else "my_work"


def reschedule(request, item, can):
    """A new due date (or none) from a My work or Everything due row, posted
    to item_edit with row=work; the row comes back in place.

    Like a tick, the form says the date it wants, so it carries no version:
    saving it again changes nothing, and it overwrites only the due date."""
    form = RescheduleForm(request.POST, auto_id=f"work-item-{item.pk}-%s")
    status = 200
    if form.is_valid():
        item = services.update_item(item, by=request.user, due_date=form.cleaned_data["due_date"])
        if not request.htmx:
            return redirect(work_row_page(request))
    else:
        status = 422
    item.can = can
    context = {
        "item": item,
        "show_assignee": request.POST.get("page") == "due",
        "reschedule_form": form if status == 422 else None,
        "focus": "reschedule",
    }
    template_name = "productions/item_reschedule.html"
    if request.htmx:
        template_name = "productions/_rows.html#work-item"
    return render(request, template_name, context, status=status)
