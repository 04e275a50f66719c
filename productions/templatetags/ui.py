"""Small presentation filters and tags. In every template (a builtin), and
with `{% load ui %}`.

The markup itself lives in templates: the tags below that write some render
a template of their own (inclusion tags), autoescaped like any other."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation

from ..fragments import people_version

register = template.Library()


@register.filter
def minutes(duration):
    """A timedelta as a whole number of minutes (rounded up), e.g. for the lockout page."""
    try:
        seconds = duration.total_seconds()
    except AttributeError:
        return ""
    return int(-(-seconds // 60))


@register.filter
def pct5(percent):
    """A percentage rounded to the nearest 5 and kept within 0-100.

    Only 0 and 100 show as an empty or a full bar: anything in between stays
    within 5-95, so 1% is visible and 99% does not look finished.

    Progress bars take their width from a `w-pct-N` class (static/css/app.css)
    instead of a style attribute, which the Content-Security-Policy forbids.
    """
    try:
        value = Decimal(str(percent))
    except (InvalidOperation, ValueError, TypeError):
        return 0
    if not value.is_finite():
        return 0
    if value <= 0:
        return 0
    if value >= 100:
        return 100
    rounded = int((value / 5).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 5
    return min(max(rounded, 5), 95)


@register.filter
def days_overdue(due):
    """How many days ago `due` (a date) was, in the current time zone: 0 is
    today, negative is still to come; None without a date."""
    if not due:
        return None
    return (timezone.localdate() - due).days


@register.filter
def this_year(day):
    """Whether `day` (a date) is in the current year: else dates name the year."""
    return bool(day) and day.year == timezone.localdate().year


@register.inclusion_tag("productions/_due_label.html")
def due_label(due, done=False):
    """ "due 3 Mar", marked (class and words) when it is today or past.

    Colour alone says nothing to a screen reader or in print, so an overdue
    date also says how many days overdue it is."""
    return {"due": due, "done": done, "days": days_overdue(due)}


@register.inclusion_tag("productions/_options.html")
def options(choices, current=None):
    """The <option>s of (value, label) pairs, the one whose value reads as
    `current` selected (none when `current` is None)."""
    return {"choices": choices, "current": None if current is None else str(current)}


@register.inclusion_tag("productions/_options.html")
def stage_options(stages, selected):
    """The <option>s of a "Move to…" select over `stages`, the stage with pk
    `selected` chosen."""
    choices = [(stage.pk, stage.name) for stage in stages]
    return {"choices": choices, "current": None if selected is None else str(selected)}


_PATHS = {}


def object_path(url_name, pk):
    """reverse(url_name, args=[pk]) for a URL whose one argument is an id,
    without a reverse() per call: the URL of id 0 is reversed once (per URL
    configuration) and the id put in its place."""
    key = (get_script_prefix(), get_urlconf(), url_name)
    parts = _PATHS.get(key)
    if parts is None:
        head, zero, tail = reverse(url_name, args=[0]).rpartition("/0/")
        assert zero, url_name
        parts = _PATHS[key] = (f"{head}/", f"/{tail}")
    return f"{parts[0]}{int(pk)}{parts[1]}"


@register.simple_tag
def item_path(pk):
    """The item's own URL (item_detail, /items/<pk>/: its toggle/, edit/,
    delete/, move/ and comments/ URLs start with it), as {% url %} gives it
    but without a reverse() per row."""
    return object_path("item_detail", pk)


@register.simple_tag(takes_context=True)
def fragment_vary(context, *parts):
    """What a cached fragment ({% cache %}) depends on besides its object's
    live version, as one string for its key: the language, the time zone and
    today's date (due labels, done times), the page's query (filters, Show
    more's links, windows), the people's names (crew directory and logins,
    which no production's version follows: fragments.people_version) and
    `parts` (the viewer's level, focus, place...). The common part is worked
    out once per request."""
    request = context.get("request")
    language, zone = translation.get_language() or "", timezone.get_current_timezone_name()
    memo = getattr(request, "_fragment_vary", None) if request is not None else None
    if memo is None or memo[0] != (language, zone):
        query = request.GET.urlencode() if request is not None else ""
        today = timezone.localdate().isoformat()
        common = "|".join([language, zone, today, query, people_version()])
        memo = ((language, zone), common)
        if request is not None:
            request._fragment_vary = memo
    return "|".join([memo[1], *map(str, parts)])
