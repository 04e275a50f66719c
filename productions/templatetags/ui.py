"""Small presentation filters. Load with `{% load ui %}`."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import rows
from ..rows import due_label, item_path

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


# Built in Python (productions/rows.py), used by templates as tags too.
register.simple_tag(due_label)
register.simple_tag(item_path)


@register.simple_tag(takes_context=True)
def item_row(context, item, can):
    """The checklist row (the `item` partial), with the context's `focus`
    and `moved` to say where focus comes back after a swap."""
    return rows.item_row(item, can, focus=context.get("focus"), moved=context.get("moved"))
