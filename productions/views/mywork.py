"""My work: every open item assigned to me across my productions, by when it
is due; and "Everything due" across my productions for the morning check."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import services
from ..access import Access, items_for_user, productions_for_user
from ..forms import DateInput
from ..models import CrewMember

# Each group shows at most this many rows; the count says how many there are.
PER_GROUP = 50


@dataclass
class Group:
    key: str
    label: str
    items: list
    total: int


def _bounds(today):
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    return {
        "overdue": ("Overdue", Q(due_date__lt=today)),
        "today": ("Today", Q(due_date=today)),
        "week": ("This week", Q(due_date__gt=today, due_date__lte=week_end)),
        "later": ("Later", Q(due_date__gt=week_end)),
        "none": ("No date", Q(due_date__isnull=True)),
    }


def grouped(items, today):
    """The open items in due-date groups: one aggregate query for the counts
    and one window query per group, however many items there are."""
    bounds = _bounds(today)
    totals = items.aggregate(
        **{key: Count("pk", filter=condition) for key, (_, condition) in bounds.items()}
    )
    groups = []
    for key, (label, condition) in bounds.items():
        matching = items.filter(condition)
        window = list(matching.order_by("due_date", "stage__production__title", "pk")[:PER_GROUP])
        for item in window:
            item.can = Access(item.access_level)
        groups.append(Group(key, label, window, totals[key]))
    return groups


def _open_items(user):
    return items_for_user(user).filter(done=False).select_related("stage__production", "assignee")


@require_safe
def my_work(request):
    today = timezone.localdate()
    items = _open_items(request.user).filter(assignee__user=request.user)
    productions = (
        productions_for_user(request.user)
        .active()
        .exclude(status__in=["wrapped", "cancelled"])
        .order_by("start_date", "title", "pk")[:20]
    )
    context = {
        "groups": grouped(items, today),
        "today": today,
        "productions": productions,
        "is_crew": CrewMember.objects.filter(user=request.user).exists(),
    }
    return render(request, "productions/my_work.html", context)


class EverythingDueForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=CrewMember.objects.none(), required=False, empty_label="Everyone"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        mine = productions_for_user(user).values("pk")
        # The crew of my productions, and whoever has items on them.
        self.fields["person"].queryset = (
            CrewMember.objects.filter(
                Q(assignments__production__in=mine) | Q(checklist_items__stage__production__in=mine)
            )
            .distinct()
            .order_by("name", "pk")
        )
        self.fields["person"].widget.attrs["class"] = "form-select"


@require_safe
def everything_due(request):
    form = EverythingDueForm(request.GET, user=request.user, auto_id="due-%s")
    form.is_valid()
    items = _open_items(request.user)
    if person := form.cleaned_data.get("person"):
        items = items.filter(assignee=person)
    context = {
        "groups": grouped(items, timezone.localdate()),
        "today": timezone.localdate(),
        "form": form,
        "show_assignee": True,
    }
    template_name = "productions/everything_due.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#groups"
    return render(request, template_name, context)


class RescheduleForm(forms.Form):
    due_date = forms.DateField(required=False, label="New due date", widget=DateInput)


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
