"""Small presentation filters. Load with `{% load ui %}`."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import rows, stage_parts
from ..rows import due_label, esc, item_path, pct5

register = template.Library()


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


@register.simple_tag
def options(choices, current=None):
    """The <option>s of (value, label) pairs, the one whose value reads as
    `current` selected (none when `current` is None): one tag for the list
    instead of a loop of template nodes per option."""
    current = None if current is None else str(current)
    return mark_safe(
        "".join(
            f'<option value="{esc(value)}"{" selected" if str(value) == current else ""}>'
            f"{esc(label)}</option>"
            for value, label in choices
        )
    )


# Built in Python (productions/rows.py), used by templates as tags too.
register.filter(pct5)
register.simple_tag(due_label)
register.simple_tag(item_path)


@register.simple_tag(takes_context=True)
def item_row(context, item, can):
    """The checklist row (the `item` partial), with the context's `focus`
    and `moved` to say where focus comes back after a swap."""
    return rows.item_row(item, can, focus=context.get("focus"), moved=context.get("moved"))


# The stage's card and the production's progress (productions/stage_parts.py).


@register.simple_tag
def production_progress(progress, oob=False):
    return mark_safe(stage_parts.production_progress(progress, oob))


@register.simple_tag
def stage_bar(stage, oob=False):
    return mark_safe(stage_parts.stage_bar(stage, oob))


@register.simple_tag(takes_context=True)
def stage_head(context, stage, can):
    """The move buttons of the first and last stage are off: the first and
    last of the page's loop, or of the production (`stage.first_in_order`
    and `last_in_order`, set where a head is sent on its own)."""
    loop = context.get("forloop") or {}
    return mark_safe(
        stage_parts.stage_head(
            stage,
            can,
            context.get("csrf_token"),
            first=getattr(stage, "first_in_order", loop.get("first", False)),
            last=getattr(stage, "last_in_order", loop.get("last", False)),
        )
    )


@register.simple_tag(takes_context=True)
def stage_section(context, stage, can):
    """The stage's whole card; its arrows as stage_head's."""
    loop = context.get("forloop") or {}
    first = getattr(stage, "first_in_order", loop.get("first", False))
    last = getattr(stage, "last_in_order", loop.get("last", False))
    return mark_safe(stage_parts.stage_section(context, stage, can, first=first, last=last))


@register.simple_tag(takes_context=True)
def stage_status(context, stage, can):
    focus = bool(context.get("status_focus"))
    return mark_safe(stage_parts.stage_status(stage, can, context.get("csrf_token"), focus))


@register.simple_tag(takes_context=True)
def stage_progress(context, stage, can, oob=False):
    focus = bool(context.get("status_focus"))
    return mark_safe(stage_parts.stage_progress(stage, can, context.get("csrf_token"), oob, focus))


@register.simple_tag(takes_context=True)
def add_item_form(context, stage, form):
    return mark_safe(stage_parts.add_item_form(stage, form, context.get("csrf_token")))


@register.simple_tag(takes_context=True)
def show_more(context, stage):
    return mark_safe(stage_parts.show_more(context, stage))


@register.simple_tag(takes_context=True)
def board_card(context, item, can, stages):
    """A board card (the `card` partial of board.html)."""
    return rows.board_card(
        item,
        can,
        stage_options(stages, item.stage_id) if can.edit else "",
        stage_parts.csrf_input(context.get("csrf_token")),
        focus=context.get("focus"),
        moved=context.get("moved"),
    )
