"""The parts of a stage's card, and the production's progress, built in Python.

Like the rows (rows.py), these are rendered on every production page, once
per stage, and sent by ticks, adds and live updates; through the template
engine they cost more than the rows they frame. Each is the whole body of a
partial of production_detail.html (stage-head, stage-bar, show-more,
add-item-form, production-progress) or its common part (stage-progress:
the status form; its rare refusals stay in the template), so every
fragment still goes through those partials. stage_section() puts them
together into the whole card (the stage-section partial), as the page shows
it.

Every value from the database or the user is escaped once, by esc().
"""

from django.template.defaulttags import querystring

from .models import Stage
from .rows import day_month, due_label, esc, item_row, object_path, pct5

DISABLED = " disabled"


def csrf_input(token):
    """As {% csrf_token %}: the page's token (one per response) in a hidden input."""
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(token)}">'


def _bar(percent):
    return f'<div class="progress-bar w-pct-{pct5(percent)}"></div>'


def production_progress(progress, oob=False):
    percent = int(progress.percent)
    swap = ' hx-swap-oob="true"' if oob else ""
    return (
        f'<div id="production-progress" class="mb-4"{swap}>'
        '<div class="d-flex justify-content-between small"><span>Overall progress</span>'
        f"<span>{int(progress.done)} of {int(progress.total)} items done ({percent}%)</span></div>"
        '<div class="progress production-progress" role="progressbar"'
        f' aria-label="Production progress" aria-valuenow="{percent}" aria-valuemin="0"'
        f' aria-valuemax="100"><div class="progress-bar bg-success w-pct-{pct5(percent)}"></div>'
        "</div></div>"
    )


def stage_bar(stage, oob=False):
    """The stage's progress bar: what a tick that leaves the status as it was sends."""
    pk, progress = int(stage.pk), stage.progress
    percent = int(progress.percent)
    swap = ' hx-swap-oob="true"' if oob else ""
    return (
        f'<div id="stage-{pk}-bar"{swap}>'
        f'<div class="progress stage-progress" role="progressbar"'
        f' aria-label="{esc(stage.name)} progress" aria-valuenow="{percent}"'
        f' aria-valuemin="0" aria-valuemax="100">{_bar(percent)}</div>'
        f'<div class="small text-body-secondary">{int(progress.done)} of {int(progress.total)}'
        " done</div></div>"
    )


def stage_head(stage, can, csrf_token, first=False, last=False):
    """The stage's name, phase and dates; for managers, edit, move and delete."""
    pk, name = int(stage.pk), esc(stage.name)
    parts = [f'<span class="badge text-bg-light border">{esc(stage.get_phase_display())}</span>']
    if stage.start_date:
        start = day_month(stage.start_date)
        parts.append(f'<span class="text-body-secondary">from {start}</span>')
    if stage.due_date:
        parts.append(str(due_label(stage.due_date, stage.is_done)))
    if can.manage:
        move, delete = object_path("stage_move", pk), object_path("stage_delete", pk)
        parts.append(
            f'<a class="btn btn-sm btn-link p-0" href="{object_path("stage_edit", pk)}"'
            f' aria-label="Edit stage {name}">Edit stage</a>'
            f'<form method="post" action="{move}" class="d-inline-flex gap-1">'
            f"{csrf_input(csrf_token)}"
            '<button type="submit" name="direction" value="up"'
            f' class="btn btn-sm btn-outline-secondary py-0"{DISABLED if first else ""}'
            f' aria-label="Move the stage {name} up" title="Move up">↑</button>'
            '<button type="submit" name="direction" value="down"'
            f' class="btn btn-sm btn-outline-secondary py-0"{DISABLED if last else ""}'
            f' aria-label="Move the stage {name} down" title="Move down">↓</button>'
            "</form>"
            f'<a class="btn btn-sm btn-link text-danger p-0" href="{delete}"'
            f' aria-label="Delete stage {name}">Delete stage</a>'
        )
    return (
        f'<div id="stage-{pk}-head" class="d-flex flex-wrap justify-content-between'
        ' align-items-center gap-2">'
        f'<h2 class="h5 mb-0" id="stage-{pk}-name">{name}</h2>'
        f'<div class="small d-flex align-items-center gap-2">{" ".join(parts)}</div></div>'
    )


def stage_status(stage, can, csrf_token, focus=False):
    """The stage's status: a form (Set) for editors, words for viewers.
    `focus`: the answer to "Mark done anyway" or its Cancel, whose button
    goes with the swap: the keyboard comes back to Set."""
    pk, status = int(stage.pk), esc(stage.status)
    if not can.edit:
        return (
            f'<div class="small mb-2">Status: <span class="stage-status-{status}">'
            f"{esc(stage.get_status_display())}</span></div>"
        )
    url = object_path("stage_status", pk)
    manual = ""
    if stage.status_manual:
        by = stage.status_set_by
        by = f" by {esc(by.get_username())}" if by is not None else ""
        manual = f'<span class="small text-body-secondary">set by hand{by}</span>'
    return (
        f'<form method="post" action="{url}" class="d-flex flex-wrap align-items-center gap-2'
        f' mb-2" hx-post="{url}" hx-target="#stage-{pk}-progress" hx-swap="outerHTML">'
        f"{csrf_input(csrf_token)}"
        f'<label class="small text-body-secondary" for="stage-{pk}-status">Status</label>'
        f"{status_select(stage)}"
        f'<button type="submit" class="btn btn-sm btn-outline-secondary" id="stage-{pk}-set"'
        f"{' autofocus' if focus else ''}>Set</button>{manual}</form>"
    )


def status_select(stage, oob=False):
    """The status form's select, the stage's status chosen. `oob`: sent on
    its own after a tick moved the status (the checklist never moves one set
    by hand, so nothing else in the form changed)."""
    pk, status = int(stage.pk), esc(stage.status)
    options = "".join(
        f'<option value="{esc(value)}"{" selected" if value == stage.status else ""}>'
        f"{esc(label)}</option>"
        for value, label in Stage.Status.choices
    )
    if stage.status_manual:
        options += '<option value="auto">Follow the checklist</option>'
    swap = ' hx-swap-oob="true"' if oob else ""
    return (
        f'<select name="status" id="stage-{pk}-status"'
        f' class="form-select form-select-sm w-auto stage-status-{status}"{swap}>{options}</select>'
    )


def stage_progress(stage, can, csrf_token, oob=False, focus=False):
    """The stage's status area: its status (form or words) and progress bar
    (the stage-progress partial, which adds a refusal to it when there is
    one). `oob`: sent out of band, after a change elsewhere."""
    pk = int(stage.pk)
    swap = ' hx-swap-oob="true"' if oob else ""
    return (
        f'<div id="stage-{pk}-progress" class="mt-2"{swap}>'
        f"{stage_status(stage, can, csrf_token, focus)}{stage_bar(stage)}</div>"
    )


def add_item_form(stage, form, csrf_token):
    """The stage's "Add an item" box; `form` is an AddItemForm, bound after
    a refused add (its text and error shown again, focus on it)."""
    pk = int(stage.pk)
    url = object_path("item_add", pk)
    field = form["title"] if form is not None else None
    errors = list(field.errors) if field is not None else []
    value = field.value() if field is not None else None
    box = f"stage-{pk}-new-title"
    invalid = " is-invalid" if errors else ""
    described = f"{box}-preview{f' {box}-error' if errors else ''}"
    shown = "".join(
        f'<div class="invalid-feedback" id="{box}-error">{esc(error)}</div>' for error in errors
    )
    return (
        f'<form id="stage-{pk}-add-item" method="post" action="{url}" novalidate'
        f' hx-post="{url}" hx-target="this" hx-swap="outerHTML">'
        f"{csrf_input(csrf_token)}"
        '<div class="input-group input-group-sm">'
        f'<label class="visually-hidden" for="{box}">New item for {esc(stage.name)}</label>'
        f'<textarea name="title" id="{box}" rows="1" placeholder="Add an item… (or paste a list)"'
        f' data-paste-add class="form-control add-item-box{invalid}"'
        f' aria-describedby="{described}"{" autofocus" if errors else ""}>'
        f"{esc(value) if value else ''}</textarea>"
        '<button type="submit" class="btn btn-outline-primary">Add</button>'
        f"{shown}</div>"
        f'<div class="small text-body-secondary" id="{box}-preview" aria-live="polite"'
        " data-paste-preview></div></form>"
    )


def show_more(context, stage):
    """The "Show more" row that loads the stage's next window as it comes
    into view; its link carries the page's whole filter and the cursor."""
    pk = int(stage.pk)
    request = context.get("request")
    if request is not None and not request.GET:
        # No filter (most pages): only the cursor, as {% querystring %} writes it.
        query = f"?after={esc(stage.more_after)}"
    else:
        query = esc(querystring(context, after=stage.more_after))
    url = object_path("stage_items_more", pk) + query
    return (
        f'<li id="stage-{pk}-more" class="list-group-item text-center">'
        f'<a class="btn btn-sm btn-link" href="{url}" hx-get="{url}"'
        f' hx-trigger="revealed, click" hx-target="#stage-{pk}-more" hx-swap="outerHTML">'
        f"Show more of {esc(stage.name)}</a></li>"
    )


def stage_section(context, stage, can, first=False, last=False):
    """The stage's whole card as a page shows it (the stage-section partial):
    head, status and bar, its first window of rows, "Show more" and the add
    box, each the same markup as the partial of that name (which fragments
    still send on their own). Built in one go, the card costs no template
    machinery per stage. `first` and `last`: its move arrows are off."""
    pk = int(stage.pk)
    token = context.get("csrf_token")
    focus, moved = context.get("focus"), context.get("moved")
    matching = ""
    if context.get("filtered"):
        count = int(stage.matching)
        matching = (
            '<div class="small fw-semibold mt-1 stage-matching">'
            f"Showing {count} matching item{'' if count == 1 else 's'}</div>"
        )
    rows = "".join(item_row(item, can, focus=focus, moved=moved) for item in stage.window)
    more = show_more(context, stage) if stage.more_after else ""
    add = ""
    if can.edit:
        form = add_item_form(stage, context.get("add_item_form"), token)
        add = f'<div class="card-body">{form}</div>'
    progress = stage_progress(stage, can, token, focus=bool(context.get("status_focus")))
    return (
        f'<section id="stage-{pk}" class="card mb-3" aria-labelledby="stage-{pk}-name">'
        f'<div class="card-header">{stage_head(stage, can, token, first=first, last=last)}'
        f"{progress}{matching}</div>"
        f'<ul class="list-group list-group-flush" id="stage-{pk}-items">{rows}{more}</ul>'
        f"{add}</section>"
    )
