"""Small presentation filters. Load with `{% load ui %}`."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


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
def minutes(duration):
    """A timedelta as a whole number of minutes (rounded up), e.g. for the lockout page."""
    try:
        seconds = duration.total_seconds()
    except AttributeError:
        return ""
    return int(-(-seconds // 60))


@register.simple_tag
def due_label(due, done=False):
    """ "due 3 Mar", marked (class and words) when it is today or past.

    Colour alone says nothing to a screen reader or in print, so an overdue
    date also says how many days overdue it is."""
    if due is None:
        return ""
    days = (timezone.localdate() - due).days
    if done or days < 0:
        when = date_format(due, "j M Y" if due.year != timezone.localdate().year else "j M")
        return format_html('<span class="due">due {}</span>', when)
    if days == 0:
        return mark_safe('<span class="due due-today">due today</span>')
    return format_html(
        '<span class="due due-overdue">due {} · {} day{} overdue</span>',
        date_format(due, "j M"),
        days,
        "" if days == 1 else "s",
    )


@register.simple_tag
def stage_options(stages, selected):
    """The <option>s of a "Move to…" select over `stages`, the stage with pk
    `selected` chosen. Every row of a stage offers the same list, so it is
    built once per stage and page (kept on the list's first stage) rather
    than once per row."""
    if not stages:
        return ""
    cache = stages[0].__dict__.setdefault("_stage_options", {})
    key = (selected, len(stages))
    if key not in cache:
        cache[key] = mark_safe(
            "".join(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    stage.pk,
                    mark_safe(" selected") if stage.pk == selected else "",
                    stage.name,
                )
                for stage in stages
            )
        )
    return cache[key]


_ITEM_URLS = {}


@register.simple_tag
def item_path(pk):
    """The item's own URL (item_detail, /items/<pk>/: its toggle/, edit/,
    delete/, move/ and comments/ URLs start with it), without a reverse() per
    row: the URL of item 0 is reversed once and the pk put in its place."""
    key = (get_script_prefix(), get_urlconf())
    base = _ITEM_URLS.get(key)
    if base is None:
        zero = reverse("item_detail", args=[0])
        assert zero.endswith("/0/"), zero
        base = _ITEM_URLS[key] = zero[:-2]
    return f"{base}{int(pk)}/"
