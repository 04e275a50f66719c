"""My work: every open item assigned to me across my productions, by when it
is due; and "Everything due" across my productions for the morning check."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Count, Q
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from ..access import Access, items_for_user, productions_for_user
from ..fragments import production_versions
from ..models import ChecklistItem, CrewMember

# Each group shows this many rows at first and brings this many more at a
# time ("Show more"); the count says how many there are.
PER_GROUP = 10
# How far "Show more" goes (without JavaScript the page shows them all again).
MAX_SHOWN = 1000
ORDER = ("due_date", "stage__production__title", "pk")


@dataclass
class Group:
    key: str
    label: str
    items: list
    total: int
    # "Show more": without JavaScript, this page with more of the group; with
    # htmx, the next rows only.
    more_url: str = ""
    next_url: str = ""


def _bounds(today):
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    return {
        "overdue": ("Overdue", Q(due_date__lt=today)),
        "today": ("Today", Q(due_date=today)),
        "week": ("This week", Q(due_date__gt=today, due_date__lte=week_end)),
        "later": ("Later", Q(due_date__gt=week_end)),
        "none": ("No date", Q(due_date__isnull=True)),
    }


def grouped(request, items, today):
    """The open items in due-date groups: one aggregate query for the counts
    and one window query per group, however many items there are. Each
    group shows PER_GROUP rows, or as many as a no-JS "Show more" asked for
    (`?show_<group>=N`)."""
    bounds = _bounds(today)
    totals = items.aggregate(
        **{key: Count("pk", filter=condition) for key, (_, condition) in bounds.items()}
    )
    groups = []
    for key, (label, condition) in bounds.items():
        size = _count(request.GET.get(f"show_{key}"))
        window = list(items.filter(condition).order_by(*ORDER)[:size])
        for item in window:
            item.can = Access.of(item)
        group = Group(key, label, window, totals[key])
        if group.total > len(window):
            _offer_more(request, group, len(window))
        groups.append(group)
    return groups


def _count(value):
    """How many rows a group shows (`?show_<group>=N`), within PER_GROUP..MAX_SHOWN."""
    if value and len(value) <= 6 and value.isascii() and value.isdigit():
        return min(max(int(value), PER_GROUP), MAX_SHOWN)
    return PER_GROUP


def _offer_more(request, group, shown):
    """The group's "Show more", after its last row: up to MAX_SHOWN."""
    if shown >= MAX_SHOWN or not group.items:
        return
    group.more_url = _query(request, **{f"show_{group.key}": shown + PER_GROUP})
    group.next_url = _query(request, group=group.key, after=group.items[-1].pk)


def _query(request, **changes):
    query = request.GET.copy()
    for name in ("group", "after"):
        query.pop(name, None)
    for name, value in changes.items():
        query[name] = value
    return f"?{query.urlencode()}"


def _after(last):
    """The rows after `last` in ORDER: a keyset, so rows ticked or moved
    out of the group meanwhile make none skipped or shown twice."""
    due, title = last.due_date, last.stage.production.title
    same_due = Q(due_date=due) if due is not None else Q(due_date__isnull=True)
    later = Q(due_date__gt=due) if due is not None else Q(pk__in=[])
    return (
        later
        | (same_due & Q(stage__production__title__gt=title))
        | (same_due & Q(stage__production__title=title, pk__gt=last.pk))
    )


def next_rows(request, items, today, **context):
    """htmx "Show more" of one group (`?group=<key>&after=<id of the last row
    shown>`): its next rows and, when there are more, the next "Show more";
    None when not asked."""
    bounds = _bounds(today)
    key, after = request.GET.get("group"), request.GET.get("after", "")
    if not request.htmx or key not in bounds:
        return None
    rows = items.filter(bounds[key][1])
    if after.isascii() and after.isdigit() and int(after) < 2**63:
        # The last row shown, as it is now (done or moved since, it still marks the place).
        last = ChecklistItem.all_objects.select_related("stage__production").filter(pk=after)
        if last := last.first():
            rows = rows.filter(_after(last))
    rows = list(rows.order_by(*ORDER)[: PER_GROUP + 1])
    for item in rows:
        item.can = Access.of(item)
    group = Group(key, bounds[key][0], rows[:PER_GROUP], 0)
    if len(rows) > PER_GROUP:
        _offer_more(request, group, PER_GROUP)
    context = {**context, "group": group, "focus_first": True}
    return render(request, "productions/_rows.html#more-rows", context)


def _groups_key(request):
    """What a cached list of groups (the `groups` partial of _rows.html)
    depends on besides fragment_vary's: the user, the live version of each
    of their productions (one query: a change to any of them, or one more or
    less of them, is a new key) and their session's CSRF secret, hashed: the
    rows' forms carry the page's token, which a new login's secret refuses."""
    get_token(request)  # the secret, drawn now if the browser has none yet
    secret = salted_hmac(
        "productions.work-groups", request.META["CSRF_COOKIE"], algorithm="sha256"
    ).hexdigest()
    versions = production_versions(productions_for_user(request.user))
    return f"{request.user.pk}|{versions}|{secret}"


def _groups_when_asked(request, items, today):
    """grouped(), run when the template draws the groups: when they come
    from the cache, no item is read."""
    return SimpleLazyObject(lambda: grouped(request, items, today))


def _open_items(user):
    return items_for_user(user).filter(done=False).select_related("stage__production", "assignee")


@require_safe
@vary_on_headers("HX-Request")
def my_work(request):
    today = timezone.localdate()
    items = _open_items(request.user).filter(assignee__user=request.user)
    if more := next_rows(request, items, today):
        return more
    productions = (
        productions_for_user(request.user)
        .active()
        .exclude(status__in=["wrapped", "cancelled"])
        .order_by("start_date", "title", "pk")[:20]
    )
    context = {
        "groups": _groups_when_asked(request, items, today),
        "groups_key": _groups_key(request),
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
@vary_on_headers("HX-Request")
def everything_due(request):
    form = EverythingDueForm(request.GET, user=request.user, auto_id="due-%s")
    form.is_valid()
    items = _open_items(request.user)
    if person := form.cleaned_data.get("person"):
        items = items.filter(assignee=person)
    if more := next_rows(request, items, timezone.localdate(), show_assignee=True):
        return more
    context = {
        "groups": _groups_when_asked(request, items, timezone.localdate()),
        "groups_key": _groups_key(request),
        "today": timezone.localdate(),
        "form": form,
        "show_assignee": True,
    }
    template_name = "productions/everything_due.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#groups"
    return render(request, template_name, context)
