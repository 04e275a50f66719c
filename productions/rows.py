"""A checklist row's markup, built in Python.

The production page shows up to ten rows per stage, and a tick, an add, a
live update and "Show more" send rows too: the row is the markup the app
renders most. Through the template engine each row cost ~1,300 function
calls (variable lookups, filters, tags); here it is a few f-strings, with
every value from the database escaped once. The `item` partial of
production_detail.html calls this, so every page and fragment that shows a
row still goes through that one partial.
"""

import functools
import html
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines

# What a viewer sees instead of the tick button.
DONE_MARK = mark_safe(
    '<span class="btn btn-sm tick disabled btn-success" role="img" aria-label="Done">✓</span>'
)
OPEN_MARK = mark_safe(
    '<span class="btn btn-sm tick disabled btn-outline-secondary" role="img"'
    ' aria-label="Not done">·</span>'
)


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


@functools.lru_cache(maxsize=64)
def _month_names(language):
    """The "M" of Django's date formats (Jan … Dec) in `language` (the
    active one when first asked for), escaped."""
    return ("", *(esc(str(MONTHS_3[month]).title()) for month in range(1, 13)))


def day_month(value, year=False):
    """date_format(value, "j M") ("3 Mar"; "j M Y" with `year`) without
    Django's format machinery, which cost more than the row around it."""
    month = _month_names(translation.get_language())[value.month]
    return f"{value.day} {month} {value.year}" if year else f"{value.day} {month}"


def day_month_time(value):
    """date_format(value, "j M, H:i") of an aware datetime, in the current time zone."""
    value = timezone.localtime(value)
    return f"{day_month(value)}, {value.hour:02d}:{value.minute:02d}"


def due_label(due, done=False):
    """ "due 3 Mar", marked (class and words) when it is today or past.

    Colour alone says nothing to a screen reader or in print, so an overdue
    date also says how many days overdue it is."""
    if due is None:
        return ""
    today = timezone.localdate()
    days = (today - due).days
    if done or days < 0:
        return mark_safe(
            f'<span class="due">due {day_month(due, year=due.year != today.year)}</span>'
        )
    if days == 0:
        return mark_safe('<span class="due due-today">due today</span>')
    return mark_safe(
        f'<span class="due due-overdue">due {day_month(due)} · {days}'
        f" day{'' if days == 1 else 's'} overdue</span>"
    )


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


def item_path(pk):
    """The item's own URL (item_detail, /items/<pk>/: its toggle/, edit/,
    delete/, move/ and comments/ URLs start with it)."""
    return object_path("item_detail", pk)


def esc(value):
    """Escaped for HTML text and attribute values, as Django's escape()
    (without its lazy-string wrapper, which costs more than the escaping)."""
    return html.escape(str(value))


def _tick(item, url, pk, title):
    if item.done:
        value, look, pressed, words = "0", "btn-success", "true", "Mark as not done"
    else:
        value, look, pressed, words = "1", "btn-outline-secondary", "false", "Mark as done"
    return (
        f'<button type="submit" form="row-actions" formaction="{url}toggle/" name="done"'
        f' value="{value}" hx-post="{url}toggle/" hx-target="#item-{pk}" hx-swap="outerHTML"'
        f' id="tick-{pk}" class="btn btn-sm tick {look}" aria-pressed="{pressed}"'
        f' title="{words}" aria-label="{words}: {title}">✓</button>'
    )


def _details(item):
    parts = []
    if item.assignee_id is not None and item.assignee is not None:
        parts.append(f'<span class="me-2">Assigned to {esc(item.assignee.name)}</span>')
    if item.due_date:
        parts.append(f'<span class="me-2">{due_label(item.due_date, item.done)}</span>')
    if item.done:
        when = day_month_time(item.done_at) if item.done_at else ""
        by = item.done_by if item.done_by_id is not None else None
        by = f" by {esc(by.get_username())}" if by is not None else ""
        parts.append(f"<span>done {esc(when)}{by}</span>")
    # Spaced as the template had them (they are inline).
    return " ".join(parts)


def _notes(item):
    """As `{{ item.notes|linebreaksbr }}`: escaped, line breaks as <br>."""
    if not item.notes:
        return ""
    text = esc(normalize_newlines(item.notes)).replace("\n", "<br>")
    return f'<div class="small">{text}</div>'


def _edit_controls(item, url, pk, title, focus, moved):
    def autofocus(wanted):
        return " autofocus" if wanted else ""

    moving = focus and moved == item.pk
    return (
        f'<a class="btn btn-sm btn-link" href="{url}edit/" hx-get="{url}edit/"'
        f' hx-target="#item-{pk}" hx-swap="outerHTML" aria-label="Edit {title}"'
        f"{autofocus(focus == 'edit')}>Edit</a>"
        f'<a class="btn btn-sm btn-link text-danger" href="{url}delete/" hx-get="{url}delete/"'
        f' hx-target="#item-{pk}" hx-swap="outerHTML" aria-label="Delete {title}"'
        f"{autofocus(focus == 'delete')}>Delete</a>"
        '<div class="item-move d-flex flex-wrap align-items-center gap-1">'
        f'<button type="submit" form="row-actions" formaction="{url}move/" name="direction"'
        f' value="up" hx-post="{url}move/" hx-swap="none"'
        ' class="btn btn-sm btn-outline-secondary move-btn" title="Move up"'
        f' aria-label="Move up: {title}"{autofocus(moving and focus == "up")}>↑</button>'
        f'<button type="submit" form="row-actions" formaction="{url}move/" name="direction"'
        f' value="down" hx-post="{url}move/" hx-swap="none"'
        ' class="btn btn-sm btn-outline-secondary move-btn" title="Move down"'
        f' aria-label="Move down: {title}"{autofocus(moving and focus == "down")}>↓</button>'
        f'<a class="btn btn-sm btn-link" href="{url}move/" hx-get="{url}move/" hx-target="this"'
        f' hx-swap="outerHTML">Move<span class="visually-hidden"> “{title}”</span> to'
        '<span class="visually-hidden"> another stage</span>…</a>'
        "</div>"
    )


def item_row(item, can, focus=None, moved=None):
    """The <li id="item-<pk>"> of a checklist row, as the user with access
    `can` sees it. `focus` ("edit", "delete", "up", "down") puts autofocus on
    that control (the arrows only on the row `moved`), for focus to come back
    after a swap.

    Every value from the database is escaped once, by esc(), before it goes
    into the markup; ids are ints and URLs are built from them."""
    pk = int(item.pk)
    url = item_path(pk)
    title = esc(item.title)
    if can.edit:
        pick = (
            f'<label class="bulk-pick"><input type="checkbox" name="items" value="{pk}"'
            f' form="bulk-form" id="pick-{pk}" hx-preserve class="form-check-input m-0"'
            f' aria-label="Select {title}"></label>'
        )
        tick = _tick(item, url, pk, title)
        edit = _edit_controls(item, url, pk, title, focus, moved)
    else:
        pick, edit = "", ""
        tick = DONE_MARK if item.done else OPEN_MARK
    done = " item-done" if item.done else ""
    required = ' <span class="badge text-bg-warning">Required</span>' if item.required else ""
    return mark_safe(
        f'<li id="item-{pk}" class="list-group-item d-flex align-items-start gap-2{done}">'
        f"{pick}{tick}"
        f'<div class="flex-grow-1"><div class="item-title">{title}{required}</div>'
        f'<div class="small text-body-secondary">{_details(item)}</div>{_notes(item)}</div>'
        f'<a class="btn btn-sm btn-link" href="{url}comments/" aria-label="Comments on {title}">'
        f"Comments</a>{edit}</li>"
    )


def board_card(item, can, stage_options, csrf_input, focus=None, moved=None):
    """A card of the board: the item's title, assignee and due date; for
    editors, its arrows and "Move to…" (the keyboard and no-JS twin of a
    drag), in one form. `stage_options`: the select's <option>s (the same
    for every card of a column), `csrf_input`: the page's hidden token input."""
    pk = int(item.pk)
    url = item_path(pk)
    title = esc(item.title)
    details = []
    if item.assignee_id is not None and item.assignee is not None:
        details.append(f'<span class="me-2">{esc(item.assignee.name)}</span>')
    if item.due_date:
        details.append(str(due_label(item.due_date, item.done)))
    controls = ""
    if can.edit:
        moving = focus and moved == item.pk
        up = " autofocus" if moving and focus == "up" else ""
        down = " autofocus" if moving and focus == "down" else ""
        controls = (
            f'<form method="post" action="{url}move/" hx-post="{url}move/" hx-swap="none"'
            ' class="item-move d-flex flex-wrap align-items-center gap-1">'
            f'{csrf_input}<input type="hidden" name="view" value="board">'
            '<button type="submit" name="direction" value="up"'
            ' class="btn btn-sm btn-outline-secondary move-btn" title="Move up"'
            f' aria-label="Move up: {title}"{up}>↑</button>'
            '<button type="submit" name="direction" value="down"'
            ' class="btn btn-sm btn-outline-secondary move-btn" title="Move down"'
            f' aria-label="Move down: {title}"{down}>↓</button>'
            f'<label class="visually-hidden" for="move-{pk}-stage">Move “{title}” to</label>'
            f'<select name="stage" id="move-{pk}-stage" class="form-select form-select-sm w-auto">'
            f"{stage_options}</select>"
            '<button type="submit" class="btn btn-sm btn-outline-secondary"'
            f' aria-label="Move “{title}” to the chosen stage">Move</button></form>'
        )
    done = " item-done" if item.done else ""
    tick = '<span aria-label="Done">✓</span> ' if item.done else ""
    return mark_safe(
        f'<li class="board-card card mb-2{done}" id="card-{pk}" data-item="{pk}"'
        f' data-move-url="{url}move/"><div class="card-body p-2">'
        f'<div class="item-title">{tick}{title}</div>'
        f'<div class="small text-body-secondary">{" ".join(details)}</div>'
        f"{controls}</div></li>"
    )
